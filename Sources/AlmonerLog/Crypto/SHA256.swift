internal import COpenSSL

/// A SHA-256 digest: 32 bytes held inline, so hashing a million entries
/// allocates nothing.
public struct Hash32: Hashable, Sendable, CustomStringConvertible {
  // Four big-endian words; stored in byte order via `withUnsafeBytes`.
  private var w0: UInt64 = 0
  private var w1: UInt64 = 0
  private var w2: UInt64 = 0
  private var w3: UInt64 = 0

  public static let byteCount = 32
  /// 32 zero bytes: the `prev` of the genesis entry.
  public static let zero = Hash32()

  public init() {}

  /// Copies exactly 32 bytes; `nil` if `bytes` has any other length.
  public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
    guard bytes.count == Hash32.byteCount else { return nil }
    self.init()
    // One copy of contiguous storage ([UInt8], Data, buffers): this generic
    // init is not specialized across the module boundary, so a loop over
    // the elements would go through the runtime for every byte.
    let copied = bytes.withContiguousStorageIfAvailable { source in
      withUnsafeMutableBytes { target in target.copyMemory(from: UnsafeRawBufferPointer(source)) }
    }
    guard copied == nil else { return }
    withUnsafeMutableBytes { target in
      for (offset, byte) in bytes.enumerated() { target[offset] = byte }
    }
  }

  /// Copies exactly 32 bytes; `nil` if `bytes` has any other length.
  public init?(bytes: UnsafeRawBufferPointer) {
    guard bytes.count == Hash32.byteCount else { return nil }
    self.init()
    withUnsafeMutableBytes { target in target.copyMemory(from: bytes) }
  }

  /// Parses 64 hex digits (either case); `nil` otherwise.
  public init?(hex: String) {
    var text = hex
    guard
      let parsed = text.withUTF8({ utf8 -> Hash32? in
        guard utf8.count == 64 else { return nil }
        var hash = Hash32()
        let valid = hash.withUnsafeMutableBytes { target in
          for index in 0..<32 {
            guard let high = Hex.nibble(utf8[2 * index]), let low = Hex.nibble(utf8[2 * index + 1])
            else { return false }
            target[index] = high << 4 | low
          }
          return true
        }
        return valid ? hash : nil
      })
    else { return nil }
    self = parsed
  }

  public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
  public var hex: String { withUnsafeBytes { Hex.encode($0) } }
  public var description: String { hex }

  @inlinable
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try Swift.withUnsafeBytes(of: self) { try body($0) }
  }

  @inlinable
  package mutating func withUnsafeMutableBytes<R>(
    _ body: (UnsafeMutableRawBufferPointer) throws -> R
  ) rethrows -> R {
    try Swift.withUnsafeMutableBytes(of: &self) { try body($0) }
  }

  /// Constant-time equality, for comparing a computed hash with a claimed one.
  public func constantTimeEquals(_ other: Hash32) -> Bool {
    withUnsafeBytes { left in
      other.withUnsafeBytes { right in
        CRYPTO_memcmp(left.baseAddress, right.baseAddress, Hash32.byteCount) == 0
      }
    }
  }
}

/// The SHA-256 digest algorithm, fetched once: in OpenSSL 3 `EVP_sha256()`
/// and `SHA256()` fetch on every call and cost ~40 % on small messages.
nonisolated(unsafe) private let sha256Algorithm: OpaquePointer? = EVP_MD_fetch(
  nil, "SHA256", nil)

/// SHA-256 over OpenSSL. A `SHA256` value owns one digest context; reuse it on
/// hot paths (one per thread), or call the static helpers for one-off hashes.
public final class SHA256 {
  private let context: OpaquePointer

  public init() {
    guard let context = EVP_MD_CTX_new() else {
      preconditionFailure("EVP_MD_CTX_new failed: out of memory")
    }
    self.context = context
  }

  deinit { EVP_MD_CTX_free(context) }

  /// SHA-256 of the concatenation of `parts`.
  public func hash(_ parts: UnsafeRawBufferPointer...) -> Hash32 {
    precondition(EVP_DigestInit_ex(context, sha256Algorithm, nil) == 1, "EVP_DigestInit_ex")
    for part in parts where part.count > 0 {
      precondition(EVP_DigestUpdate(context, part.baseAddress, part.count) == 1, "EVP_DigestUpdate")
    }
    var digest = Hash32()
    var length: UInt32 = 0
    digest.withUnsafeMutableBytes { out in
      precondition(
        EVP_DigestFinal_ex(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length)
          == 1, "EVP_DigestFinal_ex")
    }
    precondition(length == 32)
    return digest
  }

  public func hash(_ bytes: [UInt8]) -> Hash32 {
    bytes.withUnsafeBytes { hash($0) }
  }

  /// RFC 6962/9162 leaf hash: SHA-256(0x00 ‖ data). Also the entry hash.
  public func leafHash(_ data: UnsafeRawBufferPointer) -> Hash32 {
    withUnsafeBytes(of: UInt8(0)) { prefix in hash(prefix, data) }
  }

  public func leafHash(_ data: [UInt8]) -> Hash32 {
    data.withUnsafeBytes { leafHash($0) }
  }

  /// RFC 6962/9162 interior node hash: SHA-256(0x01 ‖ left ‖ right).
  public func nodeHash(_ left: Hash32, _ right: Hash32) -> Hash32 {
    withUnsafeBytes(of: UInt8(1)) { prefix in
      left.withUnsafeBytes { l in right.withUnsafeBytes { r in hash(prefix, l, r) } }
    }
  }

  public static func hash(_ bytes: [UInt8]) -> Hash32 { SHA256().hash(bytes) }
  public static func leafHash(_ bytes: [UInt8]) -> Hash32 { SHA256().leafHash(bytes) }
  public static func nodeHash(_ left: Hash32, _ right: Hash32) -> Hash32 {
    SHA256().nodeHash(left, right)
  }
}

/// Cryptographically secure random bytes from OpenSSL's CSPRNG.
public enum SecureRandom {
  public static func bytes(count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    let status = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
    precondition(status == 1, "RAND_bytes failed: \(OpenSSLError.lastMessage())")
    return bytes
  }
}
