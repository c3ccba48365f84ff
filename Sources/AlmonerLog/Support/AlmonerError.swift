import Foundation

/// Every error the library reports to a person. The message is Chinese, the
/// language of treasurers and residents; it names what was wrong and where
/// (argument, file, entry seq) and, when it helps, what to do next.
public struct AlmonerError: Error, CustomStringConvertible, LocalizedError, Equatable, Sendable {
  public enum Kind: Sendable, Equatable {
    /// Bad input or usage: nothing was changed. Exit status 2.
    case badInput
    /// A verification or audit found a problem. Exit status 1.
    case verificationFailed
    /// Anything else (I/O, database). Exit status 3.
    case failure
    /// The disk (or the file system holding the ledger or an output file) is
    /// full; nothing was changed. Exit status 3, like any other failure.
    case diskFull
  }

  public var kind: Kind
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public static func badInput(_ message: String) -> AlmonerError { .init(.badInput, message) }
  public static func verification(_ message: String) -> AlmonerError {
    .init(.verificationFailed, message)
  }
  public static func failure(_ message: String) -> AlmonerError { .init(.failure, message) }
  public static func diskFull(_ message: String) -> AlmonerError { .init(.diskFull, message) }

  public var description: String { message }
  public var errorDescription: String? { message }

  /// The process exit status DESIGN §9 assigns to this kind of error.
  public var exitStatus: Int32 {
    switch kind {
    case .badInput: 2
    case .verificationFailed: 1
    case .failure, .diskFull: 3
    }
  }

  /// A stable code for scripts (`--format json` errors print it): one per
  /// kind for now; a later error-code enum may refine it into finer codes.
  public var code: String {
    switch kind {
    case .badInput: "bad-input"
    case .verificationFailed: "verification-failed"
    case .failure: "failure"
    case .diskFull: "disk-full"
    }
  }
}
