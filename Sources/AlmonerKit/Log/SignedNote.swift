import Foundation

/// A C2SP signed note (`specs/c2sp-signed-note.md`): text ending in a
/// newline, a blank line, then signature lines `— <name> base64(keyID ‖ sig)`.
public struct SignedNote: Sendable, Equatable {
  /// Most signature lines a note may carry.
  public static let signatureCountMax = 64
  /// Largest note accepted, in bytes.
  public static let byteCountMax = 64 * 1024

  public struct Signature: Sendable, Equatable {
    public var name: String
    public var keyID: UInt32
    /// The signature bytes after the 4-byte key id.
    public var signature: [UInt8]

    public init(name: String, keyID: UInt32, signature: [UInt8]) {
      self.name = name
      self.keyID = keyID
      self.signature = signature
    }

    public var line: String {
      let bytes = withUnsafeBytes(of: keyID.bigEndian, Array.init) + signature
      return "— \(name) \(Data(bytes).base64EncodedString())\n"
    }
  }

  /// The signed text, including its final newline.
  public var text: String
  public var signatures: [Signature]

  public init(text: String, signatures: [Signature] = []) {
    self.text = text
    self.signatures = signatures
  }

  public var serialized: String { text + "\n" + signatures.map(\.line).joined() }

  /// Parses a note, naming what is malformed.
  public init(parsing note: String) throws(AlmonerError) {
    guard note.utf8.count <= SignedNote.byteCountMax else { throw .badInput("签名文本过大") }
    guard !note.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else {
      throw .badInput("签名文本含有控制字符")
    }
    guard let separator = note.range(of: "\n\n", options: .backwards) else {
      throw .badInput("签名文本缺少正文与签名之间的空行")
    }
    let text = String(note[..<separator.lowerBound]) + "\n"
    let lines = note[separator.upperBound...].split(
      separator: "\n", omittingEmptySubsequences: false)
    guard lines.last == "" else { throw .badInput("签名文本应以换行结尾") }
    var signatures: [Signature] = []
    for line in lines.dropLast() {
      guard line.hasPrefix("— ") else { throw .badInput("签名行格式不对：\(line)") }
      let parts = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains("+"),
        let bytes = Data(base64Encoded: String(parts[1])), bytes.count > 4
      else { throw .badInput("签名行格式不对：\(line)") }
      let keyID = bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
      signatures.append(
        Signature(name: String(parts[0]), keyID: keyID, signature: [UInt8](bytes.dropFirst(4))))
    }
    guard !signatures.isEmpty, signatures.count <= SignedNote.signatureCountMax else {
      throw .badInput("签名文本应有 1 至 \(SignedNote.signatureCountMax) 个签名")
    }
    self.init(text: text, signatures: signatures)
  }

  // MARK: Keys

  /// Signature types of the C2SP signed-note registry that Almoner uses.
  public enum SignatureType: UInt8, Sendable {
    /// A log's Ed25519 signature over the note text.
    case ed25519 = 0x01
    /// A timestamped Ed25519 checkpoint cosignature (c2sp.org/tlog-cosignature).
    case cosignatureV1 = 0x04
  }

  /// SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4], big-endian.
  public static func keyID(name: String, type: SignatureType, publicKey: PublicKey) -> UInt32 {
    let digest = SHA256.hash(Array(name.utf8) + [0x0A, type.rawValue] + publicKey.raw)
    return digest.bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
  }

  /// The verifier key text `<name>+<hex key id>+base64(type ‖ public key)`.
  public static func verifierKey(name: String, type: SignatureType, publicKey: PublicKey) -> String
  {
    let id = keyID(name: name, type: type, publicKey: publicKey)
    let hex = String(id, radix: 16)
    return "\(name)+\(String(repeating: "0", count: 8 - hex.count) + hex)+"
      + Data([type.rawValue] + publicKey.raw).base64EncodedString()
  }

  /// Parses a verifier key, checking that its key id matches its key.
  public static func parseVerifierKey(_ text: String) throws(AlmonerError)
    -> (name: String, type: SignatureType, publicKey: PublicKey)
  {
    // The base64 part may itself contain "+": split at the first two only.
    let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, parts[1].count == 8,
      let id = UInt32(parts[1], radix: 16), let material = Data(base64Encoded: String(parts[2])),
      material.count == 33, let type = SignatureType(rawValue: material[material.startIndex])
    else { throw .badInput("公钥 \"\(text)\" 不是有效的签名文本验证公钥（vkey）") }
    let publicKey = try PublicKey(raw: [UInt8](material.dropFirst()))
    guard keyID(name: String(parts[0]), type: type, publicKey: publicKey) == id else {
      throw .badInput("公钥 \"\(text)\" 的密钥编号与公钥不符")
    }
    return (String(parts[0]), type, publicKey)
  }

  // MARK: Log signatures (type 0x01)

  /// Signs the text as the log (Ed25519 over the note text).
  public mutating func sign(as name: String, with key: SigningKey) {
    signatures.append(
      Signature(
        name: name, keyID: SignedNote.keyID(name: name, type: .ed25519, publicKey: key.publicKey),
        signature: key.sign(Array(text.utf8))))
  }

  /// The signature by (`name`, `publicKey`) if there is one, and whether it verifies.
  public func logSignature(name: String, publicKey: PublicKey) -> Bool? {
    let id = SignedNote.keyID(name: name, type: .ed25519, publicKey: publicKey)
    guard let signature = signatures.first(where: { $0.name == name && $0.keyID == id }) else {
      return nil
    }
    return publicKey.isValidSignature(signature.signature, for: Array(text.utf8))
  }

  // MARK: Cosignatures (type 0x04)

  /// `cosignature/v1\ntime <t>\n` followed by the note text.
  public static func cosignedMessage(text: String, timestamp: UInt64) -> [UInt8] {
    Array("cosignature/v1\ntime \(timestamp)\n\(text)".utf8)
  }

  /// Adds a timestamped Ed25519 cosignature.
  public mutating func cosign(as name: String, with key: SigningKey, timestamp: UInt64) {
    let signature = key.sign(SignedNote.cosignedMessage(text: text, timestamp: timestamp))
    signatures.append(
      Signature(
        name: name,
        keyID: SignedNote.keyID(name: name, type: .cosignatureV1, publicKey: key.publicKey),
        signature: withUnsafeBytes(of: timestamp.bigEndian, Array.init) + signature))
  }

  /// The cosignature by (`name`, `publicKey`): its timestamp and whether it
  /// verifies; nil when the note has none from that key.
  public func cosignature(name: String, publicKey: PublicKey) -> (timestamp: UInt64, valid: Bool)? {
    let id = SignedNote.keyID(name: name, type: .cosignatureV1, publicKey: publicKey)
    guard let signature = signatures.first(where: { $0.name == name && $0.keyID == id }) else {
      return nil
    }
    guard signature.signature.count == 8 + PublicKey.signatureByteCount else { return (0, false) }
    let timestamp = signature.signature.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    let message = SignedNote.cosignedMessage(text: text, timestamp: timestamp)
    return (
      timestamp,
      publicKey.isValidSignature(Array(signature.signature.dropFirst(8)), for: message)
    )
  }
}

/// The body of a C2SP tlog checkpoint: origin, tree size, base64 root hash.
public struct Checkpoint: Sendable, Equatable {
  public var origin: String
  public var treeSize: Int64
  public var rootHash: Hash32

  public init(origin: String, treeSize: Int64, rootHash: Hash32) {
    self.origin = origin
    self.treeSize = treeSize
    self.rootHash = rootHash
  }

  public var text: String {
    "\(origin)\n\(treeSize)\n\(Data(rootHash.bytes).base64EncodedString())\n"
  }

  /// Reads a checkpoint from note text (extension lines are refused: Almoner
  /// writes none).
  public init(text: String) throws(AlmonerError) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.count == 4, lines[3].isEmpty, !lines[0].isEmpty,
      let size = Int64(lines[1]), size >= 0, String(size) == lines[1],
      let root = Data(base64Encoded: String(lines[2])), let hash = Hash32(bytes: root)
    else { throw .badInput("不是有效的检查点（应为 origin、记录数、base64 根哈希三行）") }
    self.init(origin: String(lines[0]), treeSize: size, rootHash: hash)
  }
}
