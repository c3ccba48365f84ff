import Foundation

/// A public statement (公示, DESIGN §5): the accounts of one unit, or its
/// subtree, over a period, bound to a cosigned checkpoint. Every number is
/// recomputable from the lines, each an entry's canonical bytes with an
/// inclusion proof against the checkpoint. The body is hashed (SHA-256 of
/// its RFC 8785 bytes); the treasurer and supervisors sign
/// `almoner-statement/v1\n<hash hex>\n` with Ed25519.
public struct Statement: Sendable, Equatable {
  public static let format = "almoner-statement/v1"
  /// Most lines one statement may hold.
  public static let linesMax = 1_000_000

  public struct UnitRef: Sendable, Equatable {
    public var code: String
    public var name: String
    public var tier: Tier

    /// The memberwise initializer, for the store and the facade.
    package init(
      code: String, name: String, tier: Tier
    ) {
      self.code = code
      self.name = name
      self.tier = tier
    }
  }

  public struct Line: Sendable, Equatable {
    public var seq: Int64
    /// The entry's canonical bytes, as signed in the ledger.
    public var entry: [UInt8]
    /// RFC 9162 inclusion proof of leaf `seq` in the checkpoint's tree.
    public var proof: [Hash32]
    /// The seq of the entry that reverses this one, if any (已冲销).
    public var reversedBy: Int64?

    /// The memberwise initializer, for the store and the facade.
    package init(
      seq: Int64, entry: [UInt8], proof: [Hash32], reversedBy: Int64? = nil
    ) {
      self.seq = seq
      self.entry = entry
      self.proof = proof
      self.reversedBy = reversedBy
    }
  }

  public struct Signature: Sendable, Equatable {
    public enum Role: String, Sendable { case treasurer, supervisor }
    public var role: Role
    public var keyID: String
    public var name: String
    public var signature: [UInt8]
    /// The entries that gave a countersigning supervisor their role, with
    /// inclusion proofs (a treasurer's are among the statement's lines).
    public var grants: [Line] = []
  }

  public struct Supersedes: Sendable, Equatable {
    public var hash: Hash32
    public var reason: String

    /// The memberwise initializer, for the store and the facade.
    package init(
      hash: Hash32, reason: String
    ) {
      self.hash = hash
      self.reason = reason
    }
  }

  public var ledgerID: Hash32
  public var origin: String
  public var unit: UnitRef
  /// The unit's parents, nearest first.
  public var parents: [UnitRef]
  public var subtree: Bool
  /// The units whose money the statement covers: the unit, and with
  /// `subtree` every unit below it.
  public var units: [UnitRef]
  public var period: StatementPeriod
  /// The cosigned checkpoint note, verbatim.
  public var checkpoint: String
  /// Inclusion proof of leaf 0 (the genesis entry, whose hash is the
  /// ledger id) in the checkpoint's tree.
  public var ledgerProof: [Hash32]
  /// The hash of the previous published statement of this unit, if any.
  public var previous: Hash32?
  public var supersedes: Supersedes?
  public var funds: [FundFigures]
  public var lines: [Line]
  public var signatures: [Signature] = []
  /// The `hash` field as read from a file (checked by `verify`).
  var statedHash: String?

  /// Two statements are equal when their files would be.
  public static func == (lhs: Statement, rhs: Statement) -> Bool { lhs.json == rhs.json }

  /// `almoner-statement/v1\n<hash hex>\n`: what each signer signs.
  public static func signedMessage(hash: Hash32) -> [UInt8] {
    Array("\(Statement.format)\n\(hash.hex)\n".utf8)
  }

  /// The statement's hash: SHA-256 of the body's canonical bytes. The
  /// `statement.publish` entry records it; signatures do not change it.
  public var hash: Hash32 { SHA256.hash(Canonical.encode(bodyJSON)) }

  public var bodyJSON: JSONValue {
    func unitJSON(_ unit: UnitRef) -> JSONValue {
      .object([
        "code": .string(unit.code), "name": .string(unit.name), "tier": .string(unit.tier.rawValue),
      ])
    }
    func hashes(_ list: [Hash32]) -> JSONValue {
      .array(list.map { .string(Data($0.bytes).base64EncodedString()) })
    }
    return .object([
      "ledgerId": .string(ledgerID.hex),
      "origin": .string(origin),
      "unit": unitJSON(unit),
      "parents": .array(parents.map(unitJSON)),
      "subtree": .bool(subtree),
      "units": .array(units.map(unitJSON)),
      "period": .object([
        "name": .string(period.name), "from": .string(period.from.text),
        "to": .string(period.to.text),
      ]),
      "checkpoint": .object([
        "note": .string(checkpoint), "ledgerProof": hashes(ledgerProof),
      ]),
      "previous": previous.map { .string($0.hex) } ?? .null,
      "supersedes": supersedes.map {
        .object(["hash": .string($0.hash.hex), "reason": .string($0.reason)])
      } ?? .null,
      "funds": .array(funds.map(\.json)),
      "lines": .array(lines.map(Statement.lineJSON)),
    ])
  }

  static func lineJSON(_ line: Line) -> JSONValue {
    var object: JSONObject = [
      "seq": .integer(line.seq),
      "entry": .string(String(decoding: line.entry, as: UTF8.self)),
      "proof": .array(line.proof.map { .string(Data($0.bytes).base64EncodedString()) }),
    ]
    if let by = line.reversedBy { object["reversedBy"] = .integer(by) }
    return .object(object)
  }

  static func parseLine(_ item: JSONValue, path: String) throws(AlmonerError) -> Line {
    let sub = StatementReader(path: path)
    let object = try sub.object(item, "")
    var reversedBy: Int64?
    if let value = object["reversedBy"] {
      reversedBy = try sub.integer(value, "reversedBy")
    }
    return Line(
      seq: try sub.integer(object["seq"], "seq"),
      entry: Array(try sub.string(object["entry"], "entry").utf8),
      proof: try sub.hashes(object["proof"], "proof"), reversedBy: reversedBy)
  }

  /// The whole file: format, body, its hash and the signatures.
  public var json: JSONValue {
    // The body is built and encoded once for both places.
    let body = bodyJSON
    return fileJSON(body: body, hash: SHA256.hash(Canonical.encode(body)))
  }

  private func fileJSON(body: JSONValue, hash: Hash32) -> JSONValue {
    .object([
      "format": .string(Statement.format),
      "statement": body,
      "hash": .string(hash.hex),
      "signatures": .array(
        signatures.map {
          var object: JSONObject = [
            "role": .string($0.role.rawValue), "keyId": .string($0.keyID),
            "name": .string($0.name),
            "signature": .string(Data($0.signature).base64EncodedString()),
          ]
          if !$0.grants.isEmpty { object["grants"] = .array($0.grants.map(Statement.lineJSON)) }
          return .object(object)
        }),
    ])
  }

  /// The file's bytes: RFC 8785 canonical JSON.
  public var fileBytes: [UInt8] { Canonical.encode(json) }

  /// The file's bytes and the statement's hash, the body built once for
  /// both (a quarter of a community at a million entries is megabytes).
  public var fileBytesAndHash: (bytes: [UInt8], hash: Hash32) {
    let body = bodyJSON
    let hash = SHA256.hash(Canonical.encode(body))
    return (Canonical.encode(fileJSON(body: body, hash: hash)), hash)
  }

  /// Adds a signature by `key` over the statement's hash.
  public mutating func sign(
    as role: Signature.Role, name: String, with key: SigningKey, grants: [Line] = []
  ) {
    signatures.append(
      Signature(
        role: role, keyID: key.keyID, name: name,
        signature: key.sign(Statement.signedMessage(hash: hash)), grants: grants))
  }

  init(
    ledgerID: Hash32, origin: String, unit: UnitRef, parents: [UnitRef], subtree: Bool,
    units: [UnitRef], period: StatementPeriod, checkpoint: String, ledgerProof: [Hash32],
    previous: Hash32?, supersedes: Supersedes?, funds: [FundFigures], lines: [Line]
  ) {
    self.ledgerID = ledgerID
    self.origin = origin
    self.unit = unit
    self.parents = parents
    self.subtree = subtree
    self.units = units
    self.period = period
    self.checkpoint = checkpoint
    self.ledgerProof = ledgerProof
    self.previous = previous
    self.supersedes = supersedes
    self.funds = funds
    self.lines = lines
  }

  /// Reads a statement file. A file that is not a statement at all is bad
  /// input (exit 2); one whose fields are malformed fails verification.
  public init(parsing data: [UInt8]) throws(AlmonerError) {
    guard let file = try? JSONValue.parse(data).objectValue,
      file["format"]?.stringValue == Statement.format
    else {
      throw .refused(.notAStatementFile(format: Statement.format))
    }
    let reader = StatementReader(path: "")
    let body = try reader.object(file["statement"], "statement")
    let inner = StatementReader(path: "statement.")
    func unit(_ value: JSONValue?, _ field: String) throws(AlmonerError) -> UnitRef {
      let object = try inner.object(value, field)
      let sub = StatementReader(path: "statement.\(field).")
      guard let tier = Tier(rawValue: try sub.string(object["tier"], "tier")) else {
        throw sub.fail("tier", "应为 district、street 或 community")
      }
      return UnitRef(
        code: try sub.string(object["code"], "code"), name: try sub.string(object["name"], "name"),
        tier: tier)
    }
    func units(_ field: String) throws(AlmonerError) -> [UnitRef] {
      var list: [UnitRef] = []
      for (index, item) in try inner.array(body[field], field).enumerated() {
        list.append(try unit(item, "\(field)[\(index)]"))
      }
      return list
    }
    guard let ledgerID = Hash32(hex: try inner.string(body["ledgerId"], "ledgerId")) else {
      throw inner.fail("ledgerId", "应为 64 位十六进制哈希")
    }
    let periodObject = try inner.object(body["period"], "period")
    let period: StatementPeriod
    do { period = try StatementPeriod(try inner.string(periodObject["name"], "period.name")) } catch
    { throw inner.fail("period.name", error.message) }
    guard periodObject["from"]?.stringValue == period.from.text,
      periodObject["to"]?.stringValue == period.to.text
    else { throw inner.fail("period", "起止日期与期间 \(period.name) 不符") }
    let checkpointObject = try inner.object(body["checkpoint"], "checkpoint")
    func optionalHash(_ field: String) throws(AlmonerError) -> Hash32? {
      guard let value = body[field], !value.isNull else { return nil }
      guard let hash = value.stringValue.flatMap({ Hash32(hex: $0) }) else {
        throw inner.fail(field, "应为 64 位十六进制哈希或 null")
      }
      return hash
    }
    var supersedes: Supersedes?
    if let value = body["supersedes"], !value.isNull {
      let object = try inner.object(value, "supersedes")
      guard let hash = object["hash"]?.stringValue.flatMap({ Hash32(hex: $0) }) else {
        throw inner.fail("supersedes.hash", "应为 64 位十六进制哈希")
      }
      supersedes = Supersedes(
        hash: hash, reason: try inner.string(object["reason"], "supersedes.reason"))
    }
    var funds: [FundFigures] = []
    for (index, item) in try inner.array(body["funds"], "funds").enumerated() {
      funds.append(try FundFigures(json: item, path: "statement.funds[\(index)]."))
    }
    let lineValues = try inner.array(body["lines"], "lines")
    guard lineValues.count <= Statement.linesMax else {
      throw inner.fail("lines", "超过 \(Statement.linesMax) 行")
    }
    var lines: [Line] = []
    for (index, item) in lineValues.enumerated() {
      lines.append(try Statement.parseLine(item, path: "statement.lines[\(index)]."))
    }
    self.init(
      ledgerID: ledgerID, origin: try inner.string(body["origin"], "origin"),
      unit: try unit(body["unit"], "unit"), parents: try units("parents"),
      subtree: try inner.bool(body["subtree"], "subtree"), units: try units("units"),
      period: period,
      checkpoint: try inner.string(checkpointObject["note"], "checkpoint.note"),
      ledgerProof: try inner.hashes(checkpointObject["ledgerProof"], "checkpoint.ledgerProof"),
      previous: try optionalHash("previous"), supersedes: supersedes, funds: funds, lines: lines)
    statedHash = file["hash"]?.stringValue
    for (index, item) in try reader.array(file["signatures"], "signatures").enumerated() {
      let sub = StatementReader(path: "signatures[\(index)].")
      let object = try sub.object(item, "")
      guard let role = Signature.Role(rawValue: try sub.string(object["role"], "role")) else {
        throw sub.fail("role", "应为 treasurer 或 supervisor")
      }
      guard let signature = Data(base64Encoded: try sub.string(object["signature"], "signature"))
      else { throw sub.fail("signature", "应为 base64") }
      var grants: [Line] = []
      if let value = object["grants"] {
        for (offset, line) in try sub.array(value, "grants").prefix(16).enumerated() {
          grants.append(
            try Statement.parseLine(line, path: "signatures[\(index)].grants[\(offset)]."))
        }
      }
      signatures.append(
        Signature(
          role: role, keyID: try sub.string(object["keyId"], "keyId"),
          name: try sub.string(object["name"], "name"), signature: [UInt8](signature),
          grants: grants))
    }
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    ledgerID: Hash32, origin: String, unit: UnitRef, parents: [UnitRef], subtree: Bool,
    units: [UnitRef], period: StatementPeriod, checkpoint: String, ledgerProof: [Hash32],
    previous: Hash32? = nil, supersedes: Supersedes? = nil, funds: [FundFigures], lines: [Line],
    signatures: [Signature] = [], statedHash: String? = nil
  ) {
    self.ledgerID = ledgerID
    self.origin = origin
    self.unit = unit
    self.parents = parents
    self.subtree = subtree
    self.units = units
    self.period = period
    self.checkpoint = checkpoint
    self.ledgerProof = ledgerProof
    self.previous = previous
    self.supersedes = supersedes
    self.funds = funds
    self.lines = lines
    self.signatures = signatures
    self.statedHash = statedHash
  }
}

extension FundFigures {
  var json: JSONValue {
    func map(_ values: [String: Int64]) -> JSONValue {
      .object(JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) }))
    }
    var object: JSONObject = [
      "code": .string(code), "name": .string(name), "restricted": .bool(restricted),
      "openingFen": .integer(openingFen), "donationsFen": map(donationsFen),
      "reversalsFen": .integer(reversalsFen), "allocationsInFen": .integer(allocationsInFen),
      "allocationsOutFen": .integer(allocationsOutFen),
      "internalTransfersFen": .integer(internalTransfersFen),
      "disbursementsFen": map(disbursementsFen), "releasesInFen": .integer(releasesInFen),
      "releasesOutFen": .integer(releasesOutFen), "closingFen": .integer(closingFen),
    ]
    if openingBalancesFen != 0 { object["openingBalancesFen"] = .integer(openingBalancesFen) }
    return .object(object)
  }

  init(json value: JSONValue, path: String) throws(AlmonerError) {
    let reader = StatementReader(path: path)
    let object = try reader.object(value, "")
    func amount(_ field: String) throws(AlmonerError) -> Int64 {
      let value = try reader.integer(object[field], field)
      guard value.magnitude <= UInt64(Money.fenMax) else { throw reader.fail(field, "超出金额上限") }
      return value
    }
    func amounts(_ field: String) throws(AlmonerError) -> [String: Int64] {
      var result: [String: Int64] = [:]
      for (key, value) in try reader.object(object[field], field).members {
        let amount = try reader.integer(value, "\(field).\(key)")
        guard amount >= 0, amount <= Money.fenMax else {
          throw reader.fail("\(field).\(key)", "应为非负金额（分）")
        }
        result[key] = amount
      }
      return result
    }
    self.init(
      code: try reader.string(object["code"], "code"),
      name: try reader.string(object["name"], "name"),
      restricted: try reader.bool(object["restricted"], "restricted"))
    openingFen = try amount("openingFen")
    donationsFen = try amounts("donationsFen")
    reversalsFen = try amount("reversalsFen")
    allocationsInFen = try amount("allocationsInFen")
    allocationsOutFen = try amount("allocationsOutFen")
    internalTransfersFen = try amount("internalTransfersFen")
    disbursementsFen = try amounts("disbursementsFen")
    releasesInFen = try amount("releasesInFen")
    releasesOutFen = try amount("releasesOutFen")
    if object["openingBalancesFen"] != nil { openingBalancesFen = try amount("openingBalancesFen") }
    closingFen = try amount("closingFen")
  }
}

/// Strict reads of a statement's fields, each failure naming the field.
struct StatementReader {
  let path: String

  func fail(_ field: String, _ why: String) -> AlmonerError {
    .refused(.statementFieldInvalid(field: path + field, detail: why))
  }
  func object(_ value: JSONValue?, _ field: String) throws(AlmonerError) -> JSONObject {
    guard let object = value?.objectValue else { throw fail(field, "应为 JSON 对象") }
    return object
  }
  func array(_ value: JSONValue?, _ field: String) throws(AlmonerError) -> [JSONValue] {
    guard let array = value?.arrayValue else { throw fail(field, "应为数组") }
    return array
  }
  func string(_ value: JSONValue?, _ field: String) throws(AlmonerError) -> String {
    guard let text = value?.stringValue else { throw fail(field, "应为字符串") }
    return text
  }
  func integer(_ value: JSONValue?, _ field: String) throws(AlmonerError) -> Int64 {
    guard let number = value?.integerValue else { throw fail(field, "应为整数") }
    return number
  }
  func bool(_ value: JSONValue?, _ field: String) throws(AlmonerError) -> Bool {
    guard let flag = value?.boolValue else { throw fail(field, "应为 true 或 false") }
    return flag
  }
  func hashes(_ value: JSONValue?, _ field: String) throws(AlmonerError) -> [Hash32] {
    let items = try array(value, field)
    guard items.count <= 64 else { throw fail(field, "哈希过多") }
    var result: [Hash32] = []
    for item in items {
      guard let text = item.stringValue, let data = Data(base64Encoded: text),
        let hash = Hash32(bytes: data)
      else { throw fail(field, "含有格式不对的哈希") }
      result.append(hash)
    }
    return result
  }
}

extension Statement {
  /// The tree size of the statement's checkpoint, read without checking
  /// its signatures (to know how much of a public log to read).
  public func checkpointTreeSize() throws(AlmonerError) -> Int64 {
    do {
      return try Checkpoint(text: try SignedNote(parsing: checkpoint).text).treeSize
    } catch {
      throw .refused(.statementCheckFailed(.checkpoint, detail: error.message))
    }
  }
}
