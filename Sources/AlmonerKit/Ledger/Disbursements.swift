import Foundation

/// What a treasurer asks to pay, already parsed.
public struct DisbursementInput: Sendable {
  public var unit: String
  public var amount: Money
  public var payee: String
  /// The payee is a person: the entry keeps only a masked name and a
  /// salted commitment (DESIGN §6).
  public var payeeIsPerson: Bool
  public var purpose: String
  /// Nil: the category the purpose names (`PurposeCategory.derived`).
  public var category: PurposeCategory?
  /// Nil: the general fund.
  public var fund: String?
  /// Paths of files to attach (invoice photos, contracts).
  public var attachments: [String]
  public var date: AccountingDate?

  public init(
    unit: String, amount: Money, payee: String, payeeIsPerson: Bool = false, purpose: String,
    category: PurposeCategory? = nil, fund: String? = nil, attachments: [String] = [],
    date: AccountingDate? = nil
  ) {
    self.unit = unit
    self.amount = amount
    self.payee = payee
    self.payeeIsPerson = payeeIsPerson
    self.purpose = purpose
    self.category = category
    self.fund = fund
    self.attachments = attachments
    self.date = date
  }
}

/// A change to the approval policy; nil keeps the value in force.
public struct PolicyChange: Sendable {
  public var communityParentAbove: Money?
  public var communityDistrictAbove: Money?
  public var streetDistrictAbove: Money?
  public var approvals: [Tier: Int]

  public init(
    communityParentAbove: Money? = nil, communityDistrictAbove: Money? = nil,
    streetDistrictAbove: Money? = nil, approvals: [Tier: Int] = [:]
  ) {
    self.communityParentAbove = communityParentAbove
    self.communityDistrictAbove = communityDistrictAbove
    self.streetDistrictAbove = streetDistrictAbove
    self.approvals = approvals
  }

  func applied(to current: ApprovalPolicy) -> ApprovalPolicy {
    var policy = current
    policy.seq = nil
    if let fen = communityParentAbove?.fen { policy.communityParentAboveFen = fen }
    if let fen = communityDistrictAbove?.fen { policy.communityDistrictAboveFen = fen }
    if let fen = streetDistrictAbove?.fen { policy.streetDistrictAboveFen = fen }
    for tier in Tier.allCases {
      policy.approvals[tier] = approvals[tier] ?? current.approvalCount(tier)
    }
    return policy
  }
}

/// A request after an entry about it: what it now is, and in words which
/// approvals it needs and still lacks.
public struct DisbursementUpdate: Sendable {
  public var appended: AppendedEntry
  public var request: Disbursement
  /// "社区审批人 1 人（建设路社区）、街道审批人 1 人（北城街道）".
  public var requiredText: String
  /// Like `requiredText`; empty when nothing is missing.
  public var missingText: String
}

extension Money {
  /// Parses like `parseYuan`, but also accepts zero (`0`, `0.00`): for
  /// thresholds and reconciled balances.
  public static func parseYuan(_ text: String, allowingZero: Bool) throws(AlmonerError) -> Money {
    if allowingZero {
      var body = Substring(text.trimmingWhitespace())
      if body.hasPrefix("¥") || body.hasPrefix("￥") { body = body.dropFirst() }
      let parts = body.split(separator: ".", omittingEmptySubsequences: false)
      let zeros = { (part: Substring) in part.allSatisfy { $0 == "0" } }
      if !body.isEmpty, !parts[0].isEmpty, parts.count <= 2, parts.allSatisfy(zeros),
        parts.count == 1 || (1...2).contains(parts[1].count)
      {
        return .zero
      }
    }
    return try parseYuan(text)
  }
}

/// Disbursements, releases, the policy and reconciliation: each one signed
/// commit. The rules are in `SupervisionRules.swift`; these resolve names,
/// split off personal data, keep attachments, and build the entry.
extension Ledger {
  /// Largest file one attachment may be.
  public static let attachmentByteCountMax = 64 << 20

  /// The folder beside the ledger where attachments are kept, each named by
  /// its SHA-256 in hex.
  public var attachmentsDirectory: String { path + ".attachments" }

  public func attachmentPath(_ sha256: Hash32) -> String {
    attachmentsDirectory + "/" + sha256.hex
  }

  private func appendOne(
    signer: SigningKey, _ build: (LedgerState) throws(AlmonerError) -> EntryDraft
  ) throws(AlmonerError) -> AppendedEntry {
    try commit(signer: signer) { state throws(AlmonerError) in [try build(state)] }[0]
  }

  /// The request `id` as it stands after `appended`.
  private func update(_ appended: AppendedEntry, id: Int64) throws(AlmonerError)
    -> DisbursementUpdate
  {
    let state = try state()
    guard let request = state.supervision.disbursements[id] else {
      throw .refused(.writeNotReadBack(subject: "支出申请 #\(id) "))
    }
    return DisbursementUpdate(
      appended: appended, request: request,
      requiredText: state.describeMissing(request.required, unit: request.unit),
      missingText: state.describeMissing(request.missingApprovals, unit: request.unit))
  }

  // MARK: Policy

  /// Records a new approval policy: the one in force with `change` applied.
  /// It holds every request made after it.
  @discardableResult
  public func setPolicy(_ change: PolicyChange, signer: SigningKey) throws(AlmonerError)
    -> AppendedEntry
  {
    try appendOne(signer: signer) { state throws(AlmonerError) in
      EntryDraft(body: .policySet(change.applied(to: state.supervision.policy).entryBody))
    }
  }

  // MARK: Requests

  /// Asks to pay money out of a fund; the returned request's id is the
  /// entry's seq.
  @discardableResult
  public func requestDisbursement(_ input: DisbursementInput, signer: SigningKey)
    throws(AlmonerError) -> DisbursementUpdate
  {
    let payee = try Text.input(input.payee, field: "--payee")
    let purpose = try Text.input(input.purpose, field: "--purpose")
    let category = input.category ?? PurposeCategory.derived(fromPurpose: purpose)
    let personal = input.payeeIsPerson ? DonorPrivate(name: payee) : nil
    let payeeBody = DisbursementRequestBody.Payee(
      commitment: personal?.commitment, display: personal == nil ? payee : Text.masked(payee),
      person: personal != nil)
    let staged = try stageAttachments(input.attachments)
    let appended: AppendedEntry
    do throws(AlmonerError) {
      appended = try appendOne(signer: signer) { state throws(AlmonerError) in
        let unit = try state.resolveUnit(input.unit, field: "--unit")
        let fund = try state.resolveFund(input.fund, of: unit)
        let attachments = staged.attachments.map {
          DisbursementRequestBody.Attachment(bytes: $0.byteCount, name: $0.name, sha256: $0.sha256)
        }
        let body = DisbursementRequestBody(
          amountFen: input.amount.fen, attachments: attachments.isEmpty ? nil : attachments,
          category: category, fund: fund.code, payee: payeeBody, purpose: purpose,
          unit: unit.code)
        return EntryDraft(
          date: input.date, body: .disbursementRequest(body), donorPrivate: personal)
      }
    } catch {
      staged.discard()
      throw error
    }
    return try update(appended, id: appended.seq)
  }

  /// Asks to release restricted money to the unit's general fund; approved
  /// and carried out (`payDisbursement`) like a disbursement.
  @discardableResult
  public func requestRelease(
    unit: String, fund: String, amount: Money, reason: String, date: AccountingDate? = nil,
    signer: SigningKey
  ) throws(AlmonerError) -> DisbursementUpdate {
    let reason = try Text.input(reason, field: "--reason")
    let appended = try appendOne(signer: signer) { state throws(AlmonerError) in
      let unit = try state.resolveUnit(unit, field: "--unit")
      let fund = try state.resolveFund(fund, of: unit)
      return EntryDraft(
        date: date,
        body: .fundRelease(
          FundReleaseBody(amountFen: amount.fen, fund: fund.code, reason: reason, unit: unit.code)))
    }
    return try update(appended, id: appended.seq)
  }

  // MARK: Approval, rejection, cancellation, payment

  @discardableResult
  public func approveDisbursement(id: Int64, date: AccountingDate? = nil, signer: SigningKey)
    throws(AlmonerError) -> DisbursementUpdate
  {
    let appended = try appendOne(signer: signer) { _ in
      EntryDraft(date: date, body: .disbursementApprove(RequestRefBody(request: id)))
    }
    return try update(appended, id: id)
  }

  @discardableResult
  public func rejectDisbursement(id: Int64, reason: String, signer: SigningKey)
    throws(AlmonerError) -> DisbursementUpdate
  {
    let reason = try Text.input(reason, field: "--reason")
    let appended = try appendOne(signer: signer) { _ in
      EntryDraft(body: .disbursementReject(RejectBody(reason: reason, request: id)))
    }
    return try update(appended, id: id)
  }

  @discardableResult
  public func cancelDisbursement(id: Int64, reason: String? = nil, signer: SigningKey)
    throws(AlmonerError) -> DisbursementUpdate
  {
    let body = CancelBody(
      reason: try reason.map { text throws(AlmonerError) in try Text.input(text, field: "--reason")
      },
      request: id)
    let appended = try appendOne(signer: signer) { _ in
      EntryDraft(body: .disbursementCancel(body))
    }
    return try update(appended, id: id)
  }

  /// Pays an approved request (or carries out an approved release).
  @discardableResult
  public func payDisbursement(id: Int64, date: AccountingDate? = nil, signer: SigningKey)
    throws(AlmonerError) -> DisbursementUpdate
  {
    let appended = try appendOne(signer: signer) { _ in
      EntryDraft(date: date, body: .disbursementPay(RequestRefBody(request: id)))
    }
    return try update(appended, id: id)
  }

  // MARK: Reconciliation

  /// Asserts that `unit`'s bank (or cash) balance across its funds at the
  /// end of `asOf` is `balance`; refused, with the difference, when the
  /// books disagree.
  @discardableResult
  public func reconcile(
    unit: String, account: Account, asOf: AccountingDate, balance: Money,
    date: AccountingDate? = nil, signer: SigningKey
  ) throws(AlmonerError) -> AppendedEntry {
    guard AssetAccountKey.reconcilable.contains(account) else {
      throw .refused(.openingAccountInvalid)
    }
    return try appendOne(signer: signer) { state throws(AlmonerError) in
      let unit = try state.resolveUnit(unit, field: "--unit")
      return EntryDraft(
        date: date,
        body: .reconciliation(
          ReconciliationBody(
            account: account, asOf: asOf, balanceFen: balance.fen, unit: unit.code)))
    }
  }

  // MARK: Attachments

  /// Files copied into the attachments folder before a commit, so they can
  /// be removed again if the commit is refused.
  struct StagedAttachments {
    var attachments: [Disbursement.Attachment] = []
    /// Files this staging created (not ones that were already there).
    var created: [String] = []
    var createdDirectory: String?

    func discard() {
      for path in created { try? FileManager.default.removeItem(atPath: path) }
      if let directory = createdDirectory,
        (try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty == true
      {
        try? FileManager.default.removeItem(atPath: directory)
      }
    }
  }

  /// Reads each file, hashes it and keeps a copy named by its SHA-256.
  func stageAttachments(_ paths: [String]) throws(AlmonerError) -> StagedAttachments {
    var staged = StagedAttachments()
    guard !paths.isEmpty else { return staged }
    guard paths.count <= LedgerState.attachmentsPerRequestMax else {
      throw .refused(
        .inField("--attach", .attachmentsTooMany(max: LedgerState.attachmentsPerRequestMax)))
    }
    let files = FileManager.default
    var contents: [(attachment: Disbursement.Attachment, data: Data, path: String)] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard files.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
        let data = files.contents(atPath: path)
      else { throw .refused(.inField("--attach", .attachmentUnreadable(path: path))) }
      guard data.count <= Ledger.attachmentByteCountMax else {
        throw .refused(
          .inField(
            "--attach",
            .attachmentTooLarge(
              path: path, bytes: data.count, maxMB: Ledger.attachmentByteCountMax >> 20)))
      }
      let name = try Text.input(
        URL(fileURLWithPath: path).lastPathComponent, field: "--attach 的文件名")
      let hash = SHA256.hash([UInt8](data))
      if let same = contents.first(where: { $0.attachment.sha256 == hash }) {
        throw .refused(.inField("--attach", .attachmentDuplicate(path: path, samePath: same.path)))
      }
      contents.append(
        (
          Disbursement.Attachment(sha256: hash, name: name, byteCount: Int64(data.count)), data,
          path
        ))
    }
    let directory = attachmentsDirectory
    if !files.fileExists(atPath: directory) {
      do {
        try files.createDirectory(atPath: directory, withIntermediateDirectories: false)
      } catch {
        throw .refused(
          .attachmentFolderNotCreatable(
            directory: directory, reason: error.localizedDescription))
      }
      staged.createdDirectory = directory
    }
    for (attachment, data, _) in contents {
      let target = attachmentPath(attachment.sha256)
      let existed = files.fileExists(atPath: target)
      if existed, let kept = files.contents(atPath: target),
        SHA256.hash([UInt8](kept)) == attachment.sha256
      {
        staged.attachments.append(attachment)
        continue
      }
      do {
        try data.write(to: URL(fileURLWithPath: target), options: .atomic)
      } catch {
        staged.discard()
        throw .refused(
          .attachmentNotSaved(
            name: attachment.name, target: target, reason: error.localizedDescription))
      }
      if !existed { staged.created.append(target) }
      staged.attachments.append(attachment)
    }
    return staged
  }

  /// Every attachment whose kept file is missing or no longer hashes to
  /// what its request entry says, named by the request's seq.
  func attachmentProblems() -> [VerificationReport.Problem] {
    let state: LedgerState
    do {
      state = try self.state()
    } catch {
      return [.init(seq: nil, message: "无法读取支出申请以核对附件：\(error.message)")]
    }
    return attachmentProblems(in: state)
  }

  /// `attachmentProblems()` for the requests of `state` (inside a
  /// transaction), those from seq `since` on.
  func attachmentProblems(in state: LedgerState, since: Int64 = 0) -> [VerificationReport.Problem] {
    let requests = state.supervision.disbursements.values.filter { $0.id >= since }
      .sorted { $0.id < $1.id }
    let hasher = SHA256()
    var problems: [VerificationReport.Problem] = []
    for request in requests {
      for attachment in request.attachments {
        let path = attachmentPath(attachment.sha256)
        guard let data = FileManager.default.contents(atPath: path) else {
          problems.append(
            .init(
              seq: request.id, message: "申请 #\(request.id) 的附件「\(attachment.name)」文件缺失（应在 \(path)）",
              code: "attachment-missing")
          )
          continue
        }
        let actual = hasher.hash([UInt8](data))
        if !actual.constantTimeEquals(attachment.sha256) {
          problems.append(
            .init(
              seq: request.id,
              message:
                "申请 #\(request.id) 的附件「\(attachment.name)」文件已被改动：记录中的 SHA-256 为 \(attachment.sha256.hex)，文件现在是 \(actual.hex)（\(path)）",
              code: "attachment-changed"))
        }
      }
    }
    return problems
  }
}
