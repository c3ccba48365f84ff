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

    /// The timestamp of a tlog cosignature (its first 8 bytes, big-endian),
    /// when the signature has the length of one.
    public var cosignatureTimestamp: UInt64? {
      guard signature.count == 8 + PublicKey.signatureByteCount else { return nil }
      return signature.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// Reads a signature line as it stands in a note, ending in its newline.
    public init?(parsing line: String) {
      var bytes = Array(line.utf8)
      guard bytes.last == SignedNote.newline else { return nil }
      bytes.removeLast()
      self.init(line: bytes)
    }

    /// Reads one signature line (without its newline) from its bytes:
    /// em dash, space, key name up to the next 0x20 byte, space, base64 of
    /// the 4-byte key id and at least one signature byte.
    init?(line: some Collection<UInt8>) {
      guard line.starts(with: SignedNote.signaturePrefix) else { return nil }
      let rest = line.dropFirst(SignedNote.signaturePrefix.count)
      guard let space = rest.firstIndex(of: 0x20) else { return nil }
      let name = rest[..<space]
      let encoded = rest[rest.index(after: space)...]
      guard SignedNote.isValidKeyName(name), !encoded.isEmpty, !encoded.contains(0x20),
        let bytes = Data(base64Encoded: Data(encoded)), bytes.count > 4
      else { return nil }
      self.init(
        name: String(decoding: name, as: UTF8.self),
        keyID: bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) },
        signature: [UInt8](bytes.dropFirst(4)))
    }

    /// Whether this line claims to be from the key (`name`, `keyID`): names
    /// compare byte for byte, never by Unicode canonical equivalence.
    func isFrom(name: String, keyID: UInt32) -> Bool {
      self.keyID == keyID && self.name.utf8.elementsEqual(name.utf8)
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
    try self.init(parsing: Array(note.utf8))
  }

  /// Parses a note byte for byte as the C2SP signed-note spec says: the
  /// em dash, the spaces and the newlines are found as UTF-8 bytes, never as
  /// Swift characters (a combining mark after a space would otherwise merge
  /// with it). Lines from keys the verifier doesn't know are kept, and the
  /// lookups below ignore them; a line that is not of the form
  /// `— <name> <base64>` makes the whole note malformed.
  public init(parsing bytes: [UInt8]) throws(AlmonerError) {
    guard bytes.count <= SignedNote.byteCountMax else { throw .refused(.noteTooLarge) }
    guard String(validating: bytes, as: UTF8.self) != nil else {
      throw .refused(.noteNotUTF8)
    }
    guard !bytes.contains(where: { $0 < 0x20 && $0 != SignedNote.newline }) else {
      throw .refused(.noteControlCharacter)
    }
    // The text is separated from the signatures by the last empty line.
    guard
      let separator = bytes.indices.dropLast().last(where: {
        bytes[$0] == SignedNote.newline && bytes[$0 + 1] == SignedNote.newline
      })
    else { throw .refused(.noteBlankLineMissing) }
    let text = String(decoding: bytes[...separator], as: UTF8.self)
    let tail = bytes[(separator + 2)...]
    guard tail.last == SignedNote.newline else { throw .refused(.noteFinalNewlineMissing) }
    var signatures: [Signature] = []
    for line in tail.dropLast().split(
      separator: SignedNote.newline, omittingEmptySubsequences: false)
    {
      guard let signature = Signature(line: line) else {
        let shown = String(decoding: line, as: UTF8.self)
        throw .refused(.noteSignatureLineMalformed(line: shown))
      }
      signatures.append(signature)
      guard signatures.count <= SignedNote.signatureCountMax else { break }
    }
    guard !signatures.isEmpty, signatures.count <= SignedNote.signatureCountMax else {
      throw .refused(.noteSignatureCount(max: SignedNote.signatureCountMax))
    }
    self.init(text: text, signatures: signatures)
  }

  package static let newline: UInt8 = 0x0A
  /// U+2014 EM DASH then U+0020 SPACE, in UTF-8.
  static let signaturePrefix: [UInt8] = [0xE2, 0x80, 0x94, 0x20]

  /// Whether `name` may name a key: non-empty, no Unicode space, no `+`.
  static func isValidKeyName(_ name: some Collection<UInt8>) -> Bool {
    guard !name.isEmpty, !name.contains(0x2B),
      let text = String(validating: name, as: UTF8.self)
    else { return false }
    return !text.unicodeScalars.contains { $0.properties.isWhitespace }
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
    else { throw .refused(.verifierKeyInvalid(text: text)) }
    let publicKey = try PublicKey(raw: [UInt8](material.dropFirst()))
    guard keyID(name: String(parts[0]), type: type, publicKey: publicKey) == id else {
      throw .refused(.verifierKeyIDMismatch(text: text))
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

  /// Whether the note's signature by (`name`, `publicKey`) verifies; nil
  /// when the note has none from that key. Every line naming that key must
  /// verify.
  public func logSignature(name: String, publicKey: PublicKey) -> Bool? {
    let id = SignedNote.keyID(name: name, type: .ed25519, publicKey: publicKey)
    let lines = signatures.filter { $0.isFrom(name: name, keyID: id) }
    guard !lines.isEmpty else { return nil }
    let message = Array(text.utf8)
    return lines.allSatisfy { publicKey.isValidSignature($0.signature, for: message) }
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
  /// verifies; nil when the note has none from that key. Every line naming
  /// that key must verify, and a timestamp above 2^63 − 1 is invalid
  /// (c2sp.org/tlog-cosignature).
  public func cosignature(name: String, publicKey: PublicKey) -> (timestamp: UInt64, valid: Bool)? {
    let id = SignedNote.keyID(name: name, type: .cosignatureV1, publicKey: publicKey)
    let lines = signatures.filter { $0.isFrom(name: name, keyID: id) }
    guard let first = lines.first else { return nil }
    var valid = true
    for line in lines {
      guard let timestamp = line.cosignatureTimestamp, timestamp <= UInt64(Int64.max) else {
        valid = false
        continue
      }
      let message = SignedNote.cosignedMessage(text: text, timestamp: timestamp)
      valid =
        valid && publicKey.isValidSignature(Array(line.signature.dropFirst(8)), for: message)
    }
    return (first.cosignatureTimestamp ?? 0, valid)
  }
}

/// The body of a C2SP tlog checkpoint: origin, tree size, base64 root hash,
/// then any extension lines.
public struct Checkpoint: Sendable, Equatable {
  public var origin: String
  public var treeSize: Int64
  public var rootHash: Hash32
  /// Opaque non-empty lines after the root (c2sp.org/tlog-checkpoint allows
  /// them; Almoner writes none, and its own checkpoint entries have none).
  public var extensionLines: [String]

  public init(origin: String, treeSize: Int64, rootHash: Hash32, extensionLines: [String] = []) {
    self.origin = origin
    self.treeSize = treeSize
    self.rootHash = rootHash
    self.extensionLines = extensionLines
  }

  public var text: String {
    "\(origin)\n\(treeSize)\n\(Data(rootHash.bytes).base64EncodedString())\n"
      + extensionLines.map { $0 + "\n" }.joined()
  }

  /// Reads a checkpoint from note text, byte by byte: a non-empty origin
  /// line, the tree size in decimal without leading zeros, the base64 root,
  /// then optional non-empty extension lines, each ending in a newline.
  public init(text: String) throws(AlmonerError) {
    let bytes = Array(text.utf8)
    let invalid = AlmonerError.refused(.checkpointMalformed)
    guard bytes.last == SignedNote.newline else { throw invalid }
    let lines = bytes.dropLast().split(
      separator: SignedNote.newline, omittingEmptySubsequences: false)
    guard lines.count >= 3, !lines[0].isEmpty, lines.allSatisfy({ !$0.isEmpty }) else {
      throw invalid
    }
    let sizeText = lines[1]
    guard sizeText.allSatisfy({ (0x30...0x39).contains($0) }),
      sizeText.first != 0x30 || sizeText.count == 1,
      let size = Int64(String(decoding: sizeText, as: UTF8.self)),
      let root = Data(base64Encoded: Data(lines[2])), let hash = Hash32(bytes: root)
    else { throw invalid }
    self.init(
      origin: String(decoding: lines[0], as: UTF8.self), treeSize: size, rootHash: hash,
      extensionLines: lines.dropFirst(3).map { String(decoding: $0, as: UTF8.self) })
  }
}
