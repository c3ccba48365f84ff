/// What an entry records. The raw value is the `kind` field of the canonical
/// entry and is part of the published format: never rename a case.
public enum EntryKind: String, Sendable, CaseIterable {
  case genesis
  case unitAdd = "unit.add"
  case memberGrant = "member.grant"
  case memberRevoke = "member.revoke"
  case fundOpen = "fund.open"
  case donation
  case allocationSend = "allocation.send"
  case allocationConfirm = "allocation.confirm"
  case allocationVoid = "allocation.void"
  case reversal
  case checkpoint
  case checkpointCosign = "checkpoint.cosign"
  case policySet = "policy.set"
  case disbursementRequest = "disbursement.request"
  case disbursementApprove = "disbursement.approve"
  case disbursementReject = "disbursement.reject"
  case disbursementPay = "disbursement.pay"
  case disbursementCancel = "disbursement.cancel"
  case fundRelease = "fund.release"
  case reconciliation
  case memberRotate = "member.rotate"
  /// A person's personal data deleted on request (DESIGN §6); holds none.
  case erasure

  /// The name a treasurer reads in the journal.
  public var displayName: String {
    switch self {
    case .genesis: "建账"
    case .unitAdd: "新增单位"
    case .memberGrant: "授予角色"
    case .memberRevoke: "撤销成员"
    case .fundOpen: "设立基金"
    case .donation: "捐赠"
    case .allocationSend: "划拨发出"
    case .allocationConfirm: "划拨确认"
    case .allocationVoid: "划拨撤回"
    case .reversal: "冲销"
    case .checkpoint: "检查点"
    case .checkpointCosign: "检查点联署"
    case .policySet: "设定审批规则"
    case .disbursementRequest: "申请支出"
    case .disbursementApprove: "批准支出"
    case .disbursementReject: "驳回支出"
    case .disbursementPay: "支出付款"
    case .disbursementCancel: "撤销支出申请"
    case .fundRelease: "申请释放定向资金"
    case .reconciliation: "对账"
    case .memberRotate: "更换密钥"
    case .erasure: "删除个人信息"
    }
  }
}

/// One entry of the log (DESIGN §2): the unit of history. Its canonical JSON
/// bytes are what is hashed, signed, chained and published.
public struct Entry: Sendable, Equatable {
  /// The `v` field: the entry format version.
  public static let formatVersion: Int64 = 1

  public var seq: Int64
  public var prev: Hash32
  /// UTC, RFC 3339, whole seconds: when the entry was written.
  public var time: String
  /// The accounting date the entry belongs to, in the ledger's time zone.
  public var date: AccountingDate
  public var kind: EntryKind
  /// Key id of the signer.
  public var author: String
  public var body: JSONObject

  public init(
    seq: Int64, prev: Hash32, time: String, date: AccountingDate, kind: EntryKind,
    author: String, body: JSONObject
  ) {
    self.seq = seq
    self.prev = prev
    self.time = time
    self.date = date
    self.kind = kind
    self.author = author
    self.body = body
  }

  /// The entry as a JSON object, before canonical encoding.
  public var json: JSONValue {
    .object([
      "author": .string(author),
      "body": .object(body),
      "date": .string(date.text),
      "kind": .string(kind.rawValue),
      "prev": .string(prev.hex),
      "seq": .integer(seq),
      "time": .string(time),
      "v": .integer(Entry.formatVersion),
    ])
  }

  /// RFC 8785 bytes: what is hashed and stored.
  public var canonicalBytes: [UInt8] { Canonical.encode(json) }

  /// Decodes canonical bytes as stored in the ledger or a receipt. Checks the
  /// envelope fields; the body is checked by the ledger rules for its kind.
  public init(canonical bytes: UnsafeRawBufferPointer) throws(AlmonerError) {
    let value: JSONValue
    do {
      value = try JSONValue.parse(bytes)
    } catch {
      throw .verification("不是合法的 JSON：\(error.message)")
    }
    try self.init(json: value)
  }

  public init(canonical bytes: [UInt8]) throws(AlmonerError) {
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(AlmonerError) -> Entry in try Entry(canonical: buffer) }
    }
    self = try result.get()
  }

  init(json value: JSONValue) throws(AlmonerError) {
    guard let object = value.objectValue else { throw .verification("记录不是 JSON 对象") }
    func field(_ name: String) throws(AlmonerError) -> JSONValue {
      guard let value = object[name] else { throw .verification("缺少字段 \(name)") }
      return value
    }
    func string(_ name: String) throws(AlmonerError) -> String {
      guard let text = try field(name).stringValue else {
        throw .verification("字段 \(name) 应为字符串")
      }
      return text
    }
    guard object.count == 8 else {
      throw .verification(
        "记录应恰有 8 个字段（v, seq, prev, time, date, kind, author, body），实有 \(object.count) 个")
    }
    guard try field("v").integerValue == Entry.formatVersion else {
      throw .verification("不支持的格式版本 v=\(object["v"].map { "\($0)" } ?? "?")")
    }
    guard let seq = try field("seq").integerValue, seq >= 0 else {
      throw .verification("字段 seq 应为非负整数")
    }
    let prevText = try string("prev")
    guard let prev = Hash32(hex: prevText),
      !prevText.utf8.contains(where: { (65...70).contains($0) })
    else {
      throw .verification("字段 prev 应为 64 位小写十六进制哈希")
    }
    let kindText = try string("kind")
    guard let kind = EntryKind(rawValue: kindText) else {
      throw .verification("未知的记录类型 \"\(kindText)\"")
    }
    guard let body = try field("body").objectValue else {
      throw .verification("字段 body 应为 JSON 对象")
    }
    let date: AccountingDate
    do { date = try AccountingDate(try string("date")) } catch {
      throw .verification("字段 date 无效：\(error.message)")
    }
    self.init(
      seq: seq, prev: prev, time: try string("time"), date: date, kind: kind,
      author: try string("author"), body: body)
  }
}

/// An entry as it sits in the log: the exact bytes that were signed, their
/// hash, and the decoded entry.
public struct LoggedEntry: Sendable {
  public var entry: Entry
  public var canonical: [UInt8]
  public var hash: Hash32

  public var seq: Int64 { entry.seq }
}

/// A commit: consecutive entries by one author, covered by one signature
/// over the commit statement (DESIGN §2).
public struct Commit: Sendable, Equatable {
  public var firstSeq: Int64
  public var lastSeq: Int64
  public var author: String
  public var signature: [UInt8]

  /// `almoner-commit/v1\n<ledger id>\n<first seq>\n<last seq>\n<hash of last entry hex>\n`
  public static func statement(
    ledgerID: Hash32, firstSeq: Int64, lastSeq: Int64, lastHash: Hash32
  ) -> [UInt8] {
    Array("almoner-commit/v1\n\(ledgerID.hex)\n\(firstSeq)\n\(lastSeq)\n\(lastHash.hex)\n".utf8)
  }
}
