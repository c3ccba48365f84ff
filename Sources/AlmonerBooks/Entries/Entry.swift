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
  /// A public statement published, by hash (DESIGN §5).
  case statementPublish = "statement.publish"
  /// A supervisor's audit of a unit's subtree, signed into the log.
  case audit
  /// A supervisor's answer to what an audit found.
  case auditNote = "audit.note"
  /// Money a unit already holds, moved in without its history.
  case openingRequest = "opening.request"

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
    case .statementPublish: "发布公示报表"
    case .audit: "监督审计"
    case .auditNote: "审计说明"
    case .openingRequest: "期初余额申请"
    }
  }

  /// What signing an entry of this kind does, as a verb phrase for
  /// messages such as "无权签发检查点".
  public var actionName: String {
    switch self {
    case .genesis: "建账"
    case .unitAdd: "新增单位"
    case .memberGrant: "授予角色"
    case .memberRevoke: "撤销成员"
    case .fundOpen: "设立基金"
    case .donation: "记录捐赠"
    case .allocationSend: "发出划拨"
    case .allocationConfirm: "确认划拨"
    case .allocationVoid: "撤回划拨"
    case .reversal: "冲销记录"
    case .checkpoint: "签发检查点"
    case .checkpointCosign: "联署检查点"
    case .policySet: "设定审批规则"
    case .disbursementRequest: "申请支出"
    case .disbursementApprove: "批准支出"
    case .disbursementReject: "驳回支出"
    case .disbursementPay: "支付支出"
    case .disbursementCancel: "撤销支出申请"
    case .fundRelease: "申请释放定向资金"
    case .reconciliation: "对账"
    case .memberRotate: "更换密钥"
    case .erasure: "删除个人信息"
    case .statementPublish: "发布公示报表"
    case .audit: "记录监督审计"
    case .auditNote: "作审计说明"
    case .openingRequest: "申请转入期初余额"
    }
  }
}

/// One entry of the log (DESIGN §2): the unit of history. Its canonical JSON
/// bytes are what is hashed, signed, chained and published; they are written
/// and read by the typed codec in Entries/ (`EntryBody`, `EntryReader`).
public struct Entry: Sendable, Equatable {
  /// The `v` field: the entry format version.
  public static let formatVersion: Int64 = 1

  public var seq: Int64
  public var prev: Hash32
  /// UTC, RFC 3339, whole seconds: when the entry was written.
  public var time: String
  /// The accounting date the entry belongs to, in the ledger's time zone.
  public var date: AccountingDate
  /// Key id of the signer.
  public var author: String
  /// The kind-specific content; its case is the entry's kind.
  public var body: EntryBody

  /// What the entry records: the case of its body.
  public var kind: EntryKind { body.kind }

  public init(
    seq: Int64, prev: Hash32, time: String, date: AccountingDate, author: String, body: EntryBody
  ) {
    self.seq = seq
    self.prev = prev
    self.time = time
    self.date = date
    self.author = author
    self.body = body
  }

  /// An entry whose body is given as a generic JSON object (by another tool,
  /// or a test): refused, naming the field, when the body does not fit the
  /// type of `kind`.
  public init(
    seq: Int64, prev: Hash32, time: String, date: AccountingDate, kind: EntryKind,
    author: String, body: JSONObject
  ) throws(AlmonerError) {
    self.init(
      seq: seq, prev: prev, time: time, date: date, author: author,
      body: try EntryBody(kind: kind, json: body))
  }

  /// The entry as a generic JSON value, for printing it whole.
  public var json: JSONValue {
    guard let value = try? JSONValue.parse(canonicalBytes) else {
      preconditionFailure("an entry encodes to JSON")
    }
    return value
  }

  /// RFC 8785 bytes: what is hashed and stored.
  public var canonicalBytes: [UInt8] { Canonical.bytes { write(to: &$0) } }

  /// Decodes canonical bytes as stored in the ledger or a receipt, in one
  /// pass into the typed entry; bytes that are not exactly the canonical
  /// form of an entry are refused, naming the field.
  public init(canonical bytes: UnsafeRawBufferPointer) throws(AlmonerError) {
    guard let base = bytes.baseAddress, bytes.count > 0 else {
      throw .refused(.entryEmpty)
    }
    var reader = EntryReader(bytes: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    do { self = try Entry.read(&reader) } catch {
      throw .refused(.entryBytesMalformed(detail: error.message))
    }
  }

  public init(canonical bytes: [UInt8]) throws(AlmonerError) {
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(AlmonerError) -> Entry in try Entry(canonical: buffer) }
    }
    self = try result.get()
  }

  /// Two entries are equal when their canonical bytes are.
  public static func == (lhs: Entry, rhs: Entry) -> Bool {
    lhs.canonicalBytes == rhs.canonicalBytes
  }
}

/// An entry as it sits in the log: the exact bytes that were signed, their
/// hash, and the decoded entry.
public struct LoggedEntry: Sendable {
  public var entry: Entry
  public var canonical: [UInt8]
  public var hash: Hash32

  public var seq: Int64 { entry.seq }

  /// The memberwise initializer, for the store and the facade.
  package init(
    entry: Entry, canonical: [UInt8], hash: Hash32
  ) {
    self.entry = entry
    self.canonical = canonical
    self.hash = hash
  }
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

  /// The memberwise initializer, for the store and the facade.
  package init(
    firstSeq: Int64, lastSeq: Int64, author: String, signature: [UInt8]
  ) {
    self.firstSeq = firstSeq
    self.lastSeq = lastSeq
    self.author = author
    self.signature = signature
  }
}
