internal import COpenSSL

/// Text of the most recent OpenSSL errors, drained from the thread's queue.
enum OpenSSLError {
  static func lastMessage() -> String {
    var messages: [String] = []
    while true {
      let code = ERR_get_error()
      if code == 0 { break }
      var buffer = [CChar](repeating: 0, count: 256)
      ERR_error_string_n(code, &buffer, buffer.count)
      messages.append(
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return messages.isEmpty ? "no OpenSSL error recorded" : messages.joined(separator: "; ")
  }

  static func clear() { ERR_clear_error() }
}

/// Owns one `EVP_PKEY` and frees it on deinit. The key is never mutated after
/// creation, so sharing across threads is safe.
final class OwnedPKey: @unchecked Sendable {
  let pointer: OpaquePointer
  init(_ pointer: OpaquePointer) { self.pointer = pointer }
  deinit { EVP_PKEY_free(pointer) }
}

/// Owns a memory `BIO`.
private final class MemoryBIO {
  let pointer: OpaquePointer

  init() {
    guard let bio = BIO_new(BIO_s_mem()) else {
      preconditionFailure("BIO_new failed: out of memory")
    }
    pointer = bio
  }

  /// A BIO holding a copy of `bytes` (`BIO_new_mem_buf` would only borrow them).
  convenience init(reading bytes: [UInt8]) {
    self.init()
    let written = bytes.withUnsafeBytes { BIO_write(pointer, $0.baseAddress, Int32($0.count)) }
    precondition(written == bytes.count, "BIO_write failed")
  }

  deinit { BIO_free(pointer) }

  var contents: String {
    var data: UnsafeMutablePointer<CChar>?
    let length = almoner_BIO_get_mem_data(pointer, &data)
    guard length > 0, let data else { return "" }
    return data.withMemoryRebound(to: UInt8.self, capacity: length) {
      String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
  }
}

/// An Ed25519 public key: verifies signatures and names its holder by key id.
public final class PublicKey: Sendable, Hashable, CustomStringConvertible {
  public static let rawByteCount = 32
  public static let signatureByteCount = 64

  let key: OwnedPKey
  /// The raw 32-byte public key (RFC 8032 encoding).
  public let raw: [UInt8]
  /// `ed25519:` followed by the first 16 hex digits of SHA-256(raw key) (DESIGN §2).
  public let keyID: String

  /// Builds a key from its raw 32 bytes. Refuses small-order and
  /// non-canonical encodings (`Ed25519Point`): OpenSSL would take them, and
  /// a signature under a small-order key can be forged without a private key.
  public convenience init(raw: [UInt8]) throws(AlmonerError) {
    guard raw.count == PublicKey.rawByteCount else {
      throw .refused(.publicKeyLength(count: raw.count))
    }
    if let weakness = Ed25519Point.weakness(raw) {
      throw .refused(Ed25519Point.refusal(weakness))
    }
    try self.init(uncheckedRaw: raw)
  }

  /// Builds a key from any 32 bytes OpenSSL takes, weak or not. Only for
  /// tests that show what OpenSSL alone would accept; `isValidSignature`
  /// still refuses everything under a weak key.
  init(uncheckedRaw raw: [UInt8]) throws(AlmonerError) {
    guard
      let pkey = raw.withUnsafeBufferPointer({
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
      })
    else {
      throw .refused(.publicKeyInvalid(detail: OpenSSLError.lastMessage()))
    }
    self.key = OwnedPKey(pkey)
    self.raw = raw
    self.keyID = PublicKey.keyID(raw: raw)
  }

  /// Takes over `key` (from a PEM file or a private key), refusing weak keys
  /// as `init(raw:)` does.
  init(owning key: OwnedPKey) throws(AlmonerError) {
    var length = 0
    guard EVP_PKEY_get_raw_public_key(key.pointer, nil, &length) == 1, length == 32 else {
      throw .refused(.keyNotEd25519(detail: OpenSSLError.lastMessage()))
    }
    var raw = [UInt8](repeating: 0, count: length)
    guard EVP_PKEY_get_raw_public_key(key.pointer, &raw, &length) == 1 else {
      throw .refused(.publicKeyUnreadable(detail: OpenSSLError.lastMessage()))
    }
    if let weakness = Ed25519Point.weakness(raw) {
      throw .refused(Ed25519Point.refusal(weakness))
    }
    self.key = key
    self.raw = raw
    self.keyID = PublicKey.keyID(raw: raw)
  }

  /// Parses a SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"), as
  /// `openssl pkey -pubout` writes it.
  public convenience init(pem: String) throws(AlmonerError) {
    let bio = MemoryBIO(reading: Array(pem.utf8))
    OpenSSLError.clear()
    guard let pkey = PEM_read_bio_PUBKEY(bio.pointer, nil, nil, nil) else {
      throw .refused(.publicKeyNotPEM)
    }
    guard EVP_PKEY_get_id(pkey) == EVP_PKEY_ED25519 else {
      EVP_PKEY_free(pkey)
      throw .refused(.publicKeyWrongType)
    }
    try self.init(owning: OwnedPKey(pkey))
  }

  public static func keyID(raw: [UInt8]) -> String {
    "ed25519:" + String(SHA256.hash(raw).hex.prefix(16))
  }

  /// The key as SubjectPublicKeyInfo PEM.
  public var pem: String {
    let bio = MemoryBIO()
    precondition(PEM_write_bio_PUBKEY(bio.pointer, key.pointer) == 1, "PEM_write_bio_PUBKEY")
    return bio.contents
  }

  /// True when `signature` is a valid Ed25519 signature of `message` by this
  /// key. Beyond OpenSSL's check it refuses what OpenSSL lets through
  /// (`Ed25519Point`): a weak key, and an R of small order or not
  /// canonically encoded; and, though OpenSSL checks it too, S ≥ L.
  public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
    guard signature.count == PublicKey.signatureByteCount,
      Ed25519Point.weakness(raw) == nil,
      Ed25519Point.weakness(signature[0..<32]) == nil,
      Ed25519Point.isReducedScalar(signature[32..<64])
    else { return false }
    return openSSLVerifies(signature, for: message)
  }

  /// OpenSSL's verdict alone (`EVP_DigestVerify`), without the checks above.
  func openSSLVerifies(_ signature: [UInt8], for message: [UInt8]) -> Bool {
    guard let context = EVP_MD_CTX_new() else { return false }
    defer { EVP_MD_CTX_free(context) }
    guard EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1 else {
      OpenSSLError.clear()
      return false
    }
    let status = signature.withUnsafeBufferPointer { sig in
      message.withUnsafeBufferPointer { msg in
        EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
      }
    }
    if status != 1 { OpenSSLError.clear() }
    return status == 1
  }

  public var description: String { keyID }

  public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.raw == rhs.raw }
  public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}

/// An Ed25519 private key. Kept only in PEM files on the signer's machine,
/// never in the ledger.
public final class SigningKey: Sendable {
  let key: OwnedPKey
  public let publicKey: PublicKey

  private init(owning key: OwnedPKey) throws(AlmonerError) {
    self.key = key
    self.publicKey = try PublicKey(owning: PublicKey.publicOnly(of: key))
  }

  /// A fresh key from OpenSSL's CSPRNG.
  public static func generate() -> SigningKey {
    guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
      preconditionFailure("EVP_PKEY_CTX_new_id failed: \(OpenSSLError.lastMessage())")
    }
    defer { EVP_PKEY_CTX_free(context) }
    var pkey: OpaquePointer?
    precondition(EVP_PKEY_keygen_init(context) == 1, "EVP_PKEY_keygen_init")
    precondition(EVP_PKEY_keygen(context, &pkey) == 1 && pkey != nil, "EVP_PKEY_keygen")
    do {
      return try SigningKey(owning: OwnedPKey(pkey!))
    } catch {
      preconditionFailure("a freshly generated Ed25519 key has no public key: \(error)")
    }
  }

  /// Parses a PKCS#8 private key PEM ("-----BEGIN PRIVATE KEY-----"), as
  /// `openssl genpkey -algorithm ed25519` writes it, or an encrypted one
  /// ("-----BEGIN ENCRYPTED PRIVATE KEY-----", `openssl genpkey … -aes-256-cbc`)
  /// with `passphrase`.
  ///
  /// OpenSSL is always given a passphrase callback: with none it would fall
  /// back to prompting on the terminal, and a command run from a script
  /// would hang there. The callback supplies `passphrase` or fails, so an
  /// encrypted key without one is refused at once.
  public convenience init(pem: String, passphrase: [UInt8]? = nil) throws(AlmonerError) {
    let bio = MemoryBIO(reading: Array(pem.utf8))
    let supply = PassphraseSupply(passphrase)
    OpenSSLError.clear()
    let pkey = withExtendedLifetime(supply) {
      PEM_read_bio_PrivateKey(
        bio.pointer, nil, supplyPassphrase, Unmanaged.passUnretained(supply).toOpaque())
    }
    guard let pkey else {
      OpenSSLError.clear()
      switch (supply.wasAsked, passphrase) {
      case (false, _):
        throw .refused(.privateKeyNotPEM)
      case (true, nil):
        throw .refused(.privateKeyEncrypted)
      case (true, .some):
        throw .refused(supply.wasTooLong ? .passphraseTooLongForKey : .passphraseWrong)
      }
    }
    guard EVP_PKEY_get_id(pkey) == EVP_PKEY_ED25519 else {
      EVP_PKEY_free(pkey)
      throw .refused(.privateKeyWrongType)
    }
    try self.init(owning: OwnedPKey(pkey))
  }

  /// The key as unencrypted PKCS#8 PEM.
  public var pem: String {
    let bio = MemoryBIO()
    precondition(
      PEM_write_bio_PrivateKey(bio.pointer, key.pointer, nil, nil, 0, nil, nil) == 1,
      "PEM_write_bio_PrivateKey")
    return bio.contents
  }

  public var keyID: String { publicKey.keyID }

  /// An Ed25519 signature (64 bytes) of `message`.
  public func sign(_ message: [UInt8]) -> [UInt8] {
    guard let context = EVP_MD_CTX_new() else {
      preconditionFailure("EVP_MD_CTX_new: out of memory")
    }
    defer { EVP_MD_CTX_free(context) }
    precondition(EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1, "EVP_DigestSignInit")
    var signature = [UInt8](repeating: 0, count: PublicKey.signatureByteCount)
    var length = signature.count
    let status = message.withUnsafeBufferPointer { msg in
      EVP_DigestSign(context, &signature, &length, msg.baseAddress, msg.count)
    }
    precondition(status == 1 && length == PublicKey.signatureByteCount, "EVP_DigestSign")
    return signature
  }
}

extension PublicKey {
  /// A public-only `EVP_PKEY` holding the public half of `key`.
  fileprivate static func publicOnly(of key: OwnedPKey) -> OwnedPKey {
    var length = 0
    precondition(EVP_PKEY_get_raw_public_key(key.pointer, nil, &length) == 1 && length == 32)
    var raw = [UInt8](repeating: 0, count: length)
    precondition(EVP_PKEY_get_raw_public_key(key.pointer, &raw, &length) == 1)
    guard let pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count) else {
      preconditionFailure("EVP_PKEY_new_raw_public_key: \(OpenSSLError.lastMessage())")
    }
    return OwnedPKey(pkey)
  }
}

/// The passphrase handed to OpenSSL's `pem_password_cb`, and what OpenSSL
/// asked of it. Lives only for one synchronous `PEM_read_bio_PrivateKey`.
private final class PassphraseSupply {
  let passphrase: [UInt8]?
  /// OpenSSL asked for a passphrase: the key is encrypted.
  var wasAsked = false
  var wasTooLong = false

  init(_ passphrase: [UInt8]?) { self.passphrase = passphrase }

}

/// OpenSSL's `pem_password_cb` for `PassphraseSupply`: copies the passphrase
/// into OpenSSL's buffer, or returns -1 (OpenSSL then fails the read) when
/// there is none or it does not fit.
private func supplyPassphrase(
  _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32,
  _ context: UnsafeMutableRawPointer?
) -> Int32 {
  guard let buffer, let context else { return -1 }
  let supply = Unmanaged<PassphraseSupply>.fromOpaque(context).takeUnretainedValue()
  supply.wasAsked = true
  guard let passphrase = supply.passphrase, !passphrase.isEmpty else { return -1 }
  guard passphrase.count <= Int(size) else {
    supply.wasTooLong = true
    return -1
  }
  passphrase.withUnsafeBytes { bytes in
    UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
  }
  return Int32(passphrase.count)
}
