import Foundation

/// Every error the library reports to a person. The message is Chinese, the
/// language of treasurers and residents; it names what was wrong and where
/// (argument, file, entry seq) and, when it helps, what to do next.
///
/// A refusal the program knows by name carries its `Refusal` case: its
/// stable `code` for scripts, and its text rendered in one place
/// (`RefusalText.swift`). Errors built from a kind and free text (I/O
/// wrapping, sites not yet converted) carry the kind's generic code.
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
  /// The named refusal, when this error is one; nil for free-text errors.
  public var refusal: Refusal?

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
    self.refusal = nil
  }

  /// The error for `refusal`: its kind, code and Chinese text.
  public init(_ refusal: Refusal) {
    self.kind = refusal.kind
    self.message = refusal.message()
    self.refusal = refusal
  }

  public static func refused(_ refusal: Refusal) -> AlmonerError { .init(refusal) }
  public static func badInput(_ message: String) -> AlmonerError { .init(.badInput, message) }
  public static func verification(_ message: String) -> AlmonerError {
    .init(.verificationFailed, message)
  }
  public static func failure(_ message: String) -> AlmonerError { .init(.failure, message) }
  public static func diskFull(_ message: String) -> AlmonerError { .init(.diskFull, message) }

  /// This error placed in `field` (an option, a file path): `field：message`,
  /// keeping the refusal's code when it has one.
  public func inField(_ field: String) -> AlmonerError {
    if let refusal { return .refused(.inField(field, refusal)) }
    return .init(kind, "\(field)：\(message)")
  }

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

  /// The stable code of this kind of error, whatever the refusal:
  /// `bad-input`, `verification-failed`, `failure` or `disk-full`.
  public var kindCode: String {
    switch kind {
    case .badInput: "bad-input"
    case .verificationFailed: "verification-failed"
    case .failure: "failure"
    case .diskFull: "disk-full"
    }
  }

  /// A stable code for scripts (`--format json` errors print it): the
  /// refusal's own code (`unit-unknown`, `key-file-permissions` …) when
  /// there is one, else the kind's (`kindCode`).
  public var code: String { refusal?.code ?? kindCode }
}
