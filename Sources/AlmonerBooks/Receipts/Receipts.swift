import Foundation

/// The public keys a resident trusts (`almoner keys export`): who may sign
/// checkpoints for the log, and which supervisors witness them.
public struct TrustBundle: Sendable, Equatable {
  public struct Key: Sendable, Equatable {
    /// The key name in signed notes (the origin for log keys).
    public var name: String
    public var publicKey: [UInt8]
    public var holder: String
    public var keyID: String
    /// `unit:role` pairs the holder has, e.g. `GA:admin`.
    public var roles: [String]

    /// The memberwise initializer, for the store and the facade.
    package init(
      name: String, publicKey: [UInt8], holder: String, keyID: String, roles: [String]
    ) {
      self.name = name
      self.publicKey = publicKey
      self.holder = holder
      self.keyID = keyID
      self.roles = roles
    }
  }

  /// Cosignatures a resident requires when none is stated: one street or
  /// district supervisor other than whoever signed the checkpoint.
  public static let defaultWitnessQuorum = 1
  /// Most cosignatures a trust file may require.
  public static let witnessQuorumMax = SignedNote.signatureCountMax

  public var origin: String
  /// The ledger id (hash of the genesis entry); `.zero` when read from a
  /// `.vkeys` file, which can't carry it.
  public var ledgerID: Hash32
  public var logKeys: [Key]
  public var witnesses: [Key]
  /// Unit code → display name, so a verifier can name units in plain words.
  public var unitNames: [String: String]
  /// How many valid cosignatures by distinct witnesses (none of them a log
  /// key) a checkpoint needs before a resident believes it.
  public var witnessQuorum: Int
  /// False when the file did not say (written by an older version, or a
  /// `.vkeys` file): the default quorum applies.
  public var witnessQuorumStated: Bool

  /// The signed-note verifier keys, one per line: log keys (type 0x01) then
  /// witness keys (type 0x04).
  public var verifierKeys: String {
    func line(_ key: Key, _ type: SignedNote.SignatureType) -> String {
      guard let publicKey = try? PublicKey(raw: key.publicKey) else { return "" }
      return SignedNote.verifierKey(name: key.name, type: type, publicKey: publicKey) + "\n"
    }
    return logKeys.map { line($0, .ed25519) }.joined()
      + witnesses.map { line($0, .cosignatureV1) }.joined()
  }

  public var json: JSONValue {
    func keys(_ list: [Key], _ type: SignedNote.SignatureType) -> JSONValue {
      .array(
        list.map { key in
          let vkey = (try? PublicKey(raw: key.publicKey)).map {
            SignedNote.verifierKey(name: key.name, type: type, publicKey: $0)
          }
          return .object([
            "name": .string(key.name), "vkey": .string(vkey ?? ""), "keyId": .string(key.keyID),
            "holder": .string(key.holder), "roles": .array(key.roles.map { .string($0) }),
          ])
        })
    }
    return .object([
      "format": "almoner-trust/v1",
      "origin": .string(origin),
      "ledgerId": .string(ledgerID.hex),
      "log": keys(logKeys, .ed25519),
      "witnesses": keys(witnesses, .cosignatureV1),
      "witnessQuorum": .integer(Int64(witnessQuorum)),
      "units": .object(
        JSONObject(unitNames.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
    ])
  }

  /// Reads the JSON form, or the plain verifier-key lines.
  public init(parsing data: [UInt8]) throws(AlmonerError) {
    if let object = try? JSONValue.parse(data).objectValue {
      guard object["format"]?.stringValue == "almoner-trust/v1",
        let origin = object["origin"]?.stringValue,
        let ledgerID = object["ledgerId"]?.stringValue.flatMap({ Hash32(hex: $0) })
      else { throw .refused(.trustFileMalformed) }
      func keys(_ field: String, _ type: SignedNote.SignatureType) throws(AlmonerError) -> [Key] {
        var list: [Key] = []
        for item in object[field]?.arrayValue ?? [] {
          guard let vkey = item.objectValue?["vkey"]?.stringValue else {
            throw .refused(.trustFileVkeyMissing(field: field))
          }
          let parsed = try SignedNote.parseVerifierKey(vkey)
          guard parsed.type == type else { throw .refused(.trustKeyWrongType(vkey: vkey)) }
          list.append(
            Key(
              name: parsed.name, publicKey: parsed.publicKey.raw,
              holder: item.objectValue?["holder"]?.stringValue ?? parsed.name,
              keyID: parsed.publicKey.keyID,
              roles: item.objectValue?["roles"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        }
        return list
      }
      var units: [String: String] = [:]
      for (code, name) in object["units"]?.objectValue?.members ?? [] {
        units[code] = name.stringValue
      }
      // A file without the field is from an older version: the default applies.
      var quorum: Int?
      if let stated = object["witnessQuorum"] {
        guard let value = stated.integerValue, value >= 1,
          value <= Int64(TrustBundle.witnessQuorumMax)
        else {
          throw .refused(.trustQuorumInvalid(max: TrustBundle.witnessQuorumMax))
        }
        quorum = Int(value)
      }
      self.init(
        origin: origin, ledgerID: ledgerID, logKeys: try keys("log", .ed25519),
        witnesses: try keys("witnesses", .cosignatureV1), unitNames: units,
        witnessQuorum: quorum)
      return
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      throw .refused(.trustFileNotUTF8)
    }
    var logKeys: [Key] = []
    var witnesses: [Key] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let parsed = try SignedNote.parseVerifierKey(String(line))
      let key = Key(
        name: parsed.name, publicKey: parsed.publicKey.raw, holder: parsed.name,
        keyID: parsed.publicKey.keyID, roles: [])
      if parsed.type == .ed25519 { logKeys.append(key) } else { witnesses.append(key) }
    }
    guard let origin = logKeys.first?.name else { throw .refused(.trustFileWithoutLogKey) }
    self.init(
      origin: origin, ledgerID: .zero, logKeys: logKeys, witnesses: witnesses, unitNames: [:])
  }

  /// `witnessQuorum` nil means the file did not say: the default applies.
  public init(
    origin: String, ledgerID: Hash32, logKeys: [Key], witnesses: [Key],
    unitNames: [String: String], witnessQuorum: Int? = nil
  ) {
    self.origin = origin
    self.ledgerID = ledgerID
    self.logKeys = logKeys
    self.witnesses = witnesses
    self.unitNames = unitNames
    self.witnessQuorum = witnessQuorum ?? TrustBundle.defaultWitnessQuorum
    self.witnessQuorumStated = witnessQuorum != nil
  }
}

/// A donor's receipt: their entry's exact bytes, the opening of their
/// personal-data commitment and, once a checkpoint covers the entry, a C2SP
/// tlog-proof — verifiable offline with the trust bundle alone.
public struct Receipt: Sendable, Equatable {
  public static let format = "almoner-receipt/v1"

  public var entry: [UInt8]
  public var salt: [UInt8]
  public var personal: [UInt8]
  /// `c2sp.org/tlog-proof@v1` text; nil until a checkpoint covers the entry.
  public var proof: String?
  /// Which ledger the checkpoint is of: the ledger id is the hash of the
  /// genesis entry, leaf 0, so its RFC 9162 inclusion proof in the proof's
  /// checkpoint ties that signed tree to the ledger a resident trusts. Nil
  /// with `proof`, and in receipts from before it was added.
  public var ledger: LedgerIdentity?

  /// The ledger id and its inclusion proof (leaf 0) in the checkpointed tree.
  public struct LedgerIdentity: Sendable, Equatable {
    public var id: Hash32
    public var inclusion: [Hash32]

    public init(id: Hash32, inclusion: [Hash32]) {
      self.id = id
      self.inclusion = inclusion
    }
  }

  public var json: JSONValue {
    .object([
      "format": .string(Receipt.format),
      "entry": .string(String(decoding: entry, as: UTF8.self)),
      "donor": .object([
        "salt": .string(Hex.encode(salt)),
        "personal": .string(String(decoding: personal, as: UTF8.self)),
      ]),
      "proof": proof.map { .string($0) } ?? .null,
      "ledger": ledger.map { ledger in
        .object([
          "id": .string(ledger.id.hex),
          "inclusion": .array(
            ledger.inclusion.map { .string(Data($0.bytes).base64EncodedString()) }),
        ])
      } ?? .null,
    ])
  }

  public init(
    entry: [UInt8], salt: [UInt8], personal: [UInt8], proof: String?,
    ledger: LedgerIdentity? = nil
  ) {
    self.entry = entry
    self.salt = salt
    self.personal = personal
    self.proof = proof
    self.ledger = ledger
  }

  /// One step of verifying a receipt, for reporting which one failed.
  public enum Step: Int, Sendable, CaseIterable, CustomStringConvertible {
    case file = 1
    case entry, donor, proofFormat, checkpointSignature, cosignatures, inclusion

    public var description: String { refusalStep.title }

    /// The same step as a refusal names it.
    var refusalStep: Refusal.ReceiptStep {
      switch self {
      case .file: .file
      case .entry: .entry
      case .donor: .donor
      case .proofFormat: .proofFormat
      case .checkpointSignature: .checkpointSignature
      case .cosignatures: .cosignatures
      case .inclusion: .inclusion
      }
    }
  }

  /// A failed step: step 1 means the file is not a receipt at all (bad
  /// input, exit 2); a later step means the receipt does not verify (exit 1).
  private static func fail(_ step: Step, _ why: String) -> AlmonerError {
    .refused(.receiptStepFailed(step.refusalStep, detail: why))
  }

  public init(parsing data: [UInt8]) throws(AlmonerError) {
    guard let object = try? JSONValue.parse(data).objectValue,
      object["format"]?.stringValue == Receipt.format
    else { throw Receipt.fail(.file, "不是善款收据文件（应由 almoner receipt 生成）") }
    guard let entry = object["entry"]?.stringValue,
      let donor = object["donor"]?.objectValue,
      let salt = donor["salt"]?.stringValue.flatMap({ Hex.decode($0) }),
      let personal = donor["personal"]?.stringValue
    else { throw Receipt.fail(.file, "收据缺少记录或捐赠人信息") }
    let proof = object["proof"]
    guard proof == nil || proof == .null || proof?.stringValue != nil else {
      throw Receipt.fail(.file, "收据的证明字段格式不对")
    }
    var ledger: LedgerIdentity?
    if let field = object["ledger"], field != .null {
      guard let fields = field.objectValue,
        let id = fields["id"]?.stringValue.flatMap({ Hash32(hex: $0) }),
        let hashes = fields["inclusion"]?.arrayValue, hashes.count <= 64
      else { throw Receipt.fail(.file, "收据的账本 ID 字段（ledger）格式不对") }
      var inclusion: [Hash32] = []
      for hash in hashes {
        guard let text = hash.stringValue, let data = Data(base64Encoded: text),
          let parsed = Hash32(bytes: data)
        else { throw Receipt.fail(.file, "收据的账本 ID 证明中有格式不对的哈希") }
        inclusion.append(parsed)
      }
      ledger = LedgerIdentity(id: id, inclusion: inclusion)
    }
    self.init(
      entry: Array(entry.utf8), salt: salt, personal: Array(personal.utf8),
      proof: proof?.stringValue, ledger: ledger)
  }

  /// What a successful verification proved.
  public struct Verified: Sendable {
    public var entry: Entry
    public var donorName: String
    public var checkpoint: Checkpoint
    public var logSigner: String
    public var cosigners: [String]
    public var unitName: String
    /// The quorum the trust file asked for, and whether it said so.
    public var witnessQuorum: Int = TrustBundle.defaultWitnessQuorum
    public var witnessQuorumStated = true

    /// The plain-words statement, in Chinese. Every name in it came from
    /// the receipt or the trust file, so it is shown escaped (`Text.escaped`):
    /// a name can't draw lines of its own on the reader's terminal.
    public var statement: String {
      guard case .donation(let donation) = entry.body else {
        preconditionFailure("a verified receipt is of a donation")
      }
      let amount = Money(fen: donation.amountFen).displayText
      let quorum =
        witnessQuorumStated
        ? ""
        : "（信任文件没有写明需要几名监督员联署，是旧版本导出的：已按默认至少 \(witnessQuorum) 名核验。）\n"
      return """
        核验通过：\(Text.escaped(donorName)) 于 \(entry.date) 向\(Text.escaped(unitName))捐赠的 \(amount)，是账本记录 #\(entry.seq)；
        它包含在覆盖前 \(checkpoint.treeSize) 条记录的检查点中，该检查点由 \(Text.escaped(logSigner)) 签发，并由 \(cosigners.map(Text.escaped).joined(separator: "、")) 联署。
        账本：\(Text.escaped(checkpoint.origin))
        \(quorum)（收据证明这笔捐赠已记入账本且未被改动；若日后更正，账本中会另有冲销记录，可在公开报表中查看。）

        """
    }
  }

  /// Verifies everything offline, naming the first step that fails.
  public func verify(trust: TrustBundle) throws(AlmonerError) -> Verified {
    let decoded: Entry
    do { decoded = try Entry(canonical: entry) } catch {
      throw Receipt.fail(.entry, "记录内容无法解析：\(error.message)")
    }
    guard decoded.canonicalBytes == entry else {
      throw Receipt.fail(.entry, "记录内容不是规范 JSON 编码")
    }
    guard case .donation(let donation) = decoded.body else {
      throw Receipt.fail(.entry, "这条记录不是捐赠")
    }
    let leafHash = SHA256.leafHash(entry)

    let opened = DonorPrivate(salt: salt, personal: personal).commitment
    guard salt.count == DonorPrivate.saltByteCount,
      donation.donor.commitment.constantTimeEquals(opened)
    else {
      throw Receipt.fail(.donor, "捐赠人信息与记录中的承诺值不符")
    }
    let donor = DonorPrivate(salt: salt, personal: personal)
    guard let name = donor.name else {
      throw Receipt.fail(.donor, "捐赠人信息格式不对")
    }
    if let problem = displayedNameProblem(decoded, name: name, type: donor.donorType) {
      throw Receipt.fail(.donor, problem)
    }

    guard let proof else {
      throw Receipt.fail(.proofFormat, "收据还没有包含证明：账本尚未签发覆盖记录 #\(decoded.seq) 的检查点，请之后重新领取收据")
    }
    let parsed = try TlogProof(parsing: proof, step: .proofFormat)
    guard parsed.index == decoded.seq else {
      throw Receipt.fail(.proofFormat, "证明针对记录 #\(parsed.index)，而收据中的是记录 #\(decoded.seq)")
    }

    let signed: (note: SignedNote, checkpoint: Checkpoint, logSigner: String)
    do { signed = try CheckpointTrust.signed(note: parsed.checkpoint, trust: trust) } catch {
      throw Receipt.fail(.checkpointSignature, error.message)
    }
    let checkpoint = signed.checkpoint
    let logSigner = signed.logSigner
    try checkLedger(of: checkpoint, trust: trust)
    let cosigners: [String]
    do { cosigners = try CheckpointTrust.cosigners(of: signed.note, trust: trust) } catch {
      throw Receipt.fail(.cosignatures, error.message)
    }
    if let problem = CheckpointTrust.quorumProblem(cosigners, trust: trust) {
      throw Receipt.fail(.cosignatures, "\(problem)：请等监督员联署后重新领取收据")
    }

    do {
      try MerkleVerification.verifyInclusion(
        leafHash: leafHash, leafIndex: UInt64(decoded.seq), treeSize: UInt64(checkpoint.treeSize),
        proof: parsed.hashes, rootHash: checkpoint.rootHash)
    } catch {
      throw Receipt.fail(.inclusion, "记录不在检查点的默克尔树中（\(error)）")
    }
    let unit = donation.unit
    return Verified(
      entry: decoded, donorName: name, checkpoint: checkpoint, logSigner: logSigner,
      cosigners: cosigners, unitName: trust.unitNames[unit] ?? unit,
      witnessQuorum: trust.witnessQuorum, witnessQuorumStated: trust.witnessQuorumStated)
  }

  /// The signed checkpoint must be of the trusted ledger: its leaf 0 (the
  /// genesis entry, whose hash is the ledger id) is the trust file's ledger
  /// id. Another ledger under the same origin and keys fails here.
  private func checkLedger(of checkpoint: Checkpoint, trust: TrustBundle) throws(AlmonerError) {
    guard trust.ledgerID != .zero else {
      throw Receipt.fail(
        .checkpointSignature,
        "信任文件没有账本 ID（.vkeys 格式不含账本 ID 和联署人数要求）：请用 almoner keys export 导出的 JSON 信任文件核验")
    }
    guard let ledger else {
      throw Receipt.fail(
        .checkpointSignature, "收据没有账本 ID 证明（旧版本开具的收据）：无法确认它属于账本 \(trust.ledgerID.hex)，请重新领取收据")
    }
    guard ledger.id == trust.ledgerID else {
      throw Receipt.fail(
        .checkpointSignature,
        "收据来自另一本账（账本 ID \(ledger.id.hex)），不是信任文件中的账本 \(trust.ledgerID.hex)")
    }
    do {
      try MerkleVerification.verifyInclusion(
        leafHash: ledger.id, leafIndex: 0, treeSize: UInt64(checkpoint.treeSize),
        proof: ledger.inclusion, rootHash: checkpoint.rootHash)
    } catch {
      throw Receipt.fail(
        .checkpointSignature,
        "检查点的记录 #0（建账记录）不是账本 \(trust.ledgerID.hex) 的：这是另一本账的检查点（\(error)）")
    }
  }
}

/// A C2SP `tlog-proof` (specs/c2sp-tlog-proof.md): index, inclusion proof
/// hashes, then the checkpoint with its signatures.
public struct TlogProof: Sendable, Equatable {
  public static let header = "c2sp.org/tlog-proof@v1"

  public var index: Int64
  public var hashes: [Hash32]
  /// The cosigned checkpoint note, verbatim.
  public var checkpoint: String

  public init(index: Int64, hashes: [Hash32], checkpoint: String) {
    self.index = index
    self.hashes = hashes
    self.checkpoint = checkpoint
  }

  public var text: String {
    "\(TlogProof.header)\nindex \(index)\n"
      + hashes.map { Data($0.bytes).base64EncodedString() + "\n" }.joined() + "\n" + checkpoint
  }

  /// Reads the proof as bytes: the header, an optional `extra` line, the
  /// index, the hashes, an empty line, then the checkpoint verbatim.
  init(parsing text: String, step: Receipt.Step) throws(AlmonerError) {
    func fail(_ why: String) -> AlmonerError {
      .refused(.receiptStepFailed(step.refusalStep, detail: why))
    }
    let bytes = Array(text.utf8)
    let newline = SignedNote.newline
    guard
      let blank = bytes.indices.dropLast().first(where: {
        bytes[$0] == newline && bytes[$0 + 1] == newline
      })
    else { throw fail("证明缺少检查点前的空行") }
    var lines = bytes[..<blank].split(separator: newline, omittingEmptySubsequences: false)[...]
    guard lines.first.map({ $0.elementsEqual(TlogProof.header.utf8) }) == true else {
      throw fail("证明应以 \(TlogProof.header) 开头")
    }
    lines.removeFirst()
    if lines.first?.starts(with: "extra ".utf8) == true { lines.removeFirst() }
    let indexPrefix = Array("index ".utf8)
    guard let indexLine = lines.first, indexLine.starts(with: indexPrefix) else {
      throw fail("证明缺少 index 行")
    }
    let digits = indexLine.dropFirst(indexPrefix.count)
    guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }),
      digits.first != 0x30 || digits.count == 1,
      let index = Int64(String(decoding: digits, as: UTF8.self))
    else { throw fail("证明缺少 index 行") }
    var hashes: [Hash32] = []
    for line in lines.dropFirst() {
      guard let data = Data(base64Encoded: Data(line)), let hash = Hash32(bytes: data) else {
        throw fail("证明中的哈希行格式不对：\(String(decoding: line, as: UTF8.self))")
      }
      hashes.append(hash)
    }
    self.init(
      index: index, hashes: hashes,
      checkpoint: String(decoding: bytes[(blank + 2)...], as: UTF8.self))
  }
}
