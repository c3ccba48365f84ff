/// The rules of three-tier supervision (DESIGN §3): the approval policy,
/// disbursement requests with their approvals, rejections, cancellations and
/// payments, releases of restricted money, reconciliations, and money
/// reserved for approved requests. Each rule checks everything before it
/// changes anything. They run when an entry is appended and again when
/// `verify ledger` replays the log, so a paid request is re-checked against
/// the policy in force when it was made.
extension LedgerState {
  /// Most files one request may attach.
  package static let attachmentsPerRequestMax = 16

  // MARK: Queries

  /// The tier at which `keyID`'s approval of a request by `unit` counts: the
  /// highest unit among `unit` and its ancestors where the key is an
  /// approver. Nil when it approves nothing there.
  public func approverTier(of keyID: String, for unit: String) -> Tier? {
    let lineage = lineage(of: unit)
    return grants.lazy
      .filter {
        $0.keyID == keyID && $0.role == .approver && $0.revokedSeq == nil
          && lineage.contains($0.unit)
      }
      .compactMap { self.units[$0.unit]?.tier }.min()
  }

  /// "街道审批人 1 人（北城街道）、区级审批人 1 人（广安区）", lowest tier first.
  public func describeMissing(_ missing: [Tier: Int], unit: String) -> String {
    let lineage = lineage(of: unit).compactMap { units[$0] }
    return Tier.allCases.reversed().compactMap { tier in
      guard let count = missing[tier] else { return nil }
      let name = lineage.first { $0.tier == tier }.map { "（\($0.name)）" } ?? ""
      return "\(tier.displayName)审批人 \(count) 人\(name)"
    }.joined(separator: "、")
  }

  /// "默认规则" or "记录 #12 设定的规则".
  package static func policyName(_ seq: Int64?) -> String {
    seq.map { "记录 #\($0) 设定的审批规则" } ?? "默认审批规则"
  }

  package func memberName(_ keyID: String) -> String { keys[keyID]?.name ?? keyID }

  package func unitLabel(_ code: String) -> String {
    units[code].map { "\($0.name)（\(code)）" } ?? code
  }

  // MARK: Money held for approved requests

  /// Refuses an outflow from a fund's bank account that would leave less
  /// than the money reserved for its approved, unpaid requests. When paying
  /// `paying`, only requests approved before it are ahead of it; other
  /// outflows (allocations, reversals) must leave every reservation whole.
  /// Without reservations, `post` refuses a negative balance by itself.
  func requireUnreserved(
    unit: String, fund: String, account: Account, outflowFen: Int64,
    paying: Disbursement? = nil
  ) throws(AlmonerError) {
    guard account == .bank else { return }
    var reservedFen: Int64 = 0
    var holders: [Int64] = []
    let approved = supervision.approvedByFund[FundKey(unit: unit, code: fund)] ?? []
    for id in approved {
      guard let request = supervision.disbursements[id], request.status == .approved,
        request.id != paying?.id, request.kind != .opening
      else { continue }
      if let mine = paying?.approvedSeq, let theirs = request.approvedSeq, theirs > mine {
        continue
      }
      reservedFen += request.amountFen
      holders.append(request.id)
    }
    guard reservedFen > 0 else { return }
    let heldFen = balance(BalanceKey(unit: unit, fund: fund, account: .bank))
    guard heldFen - outflowFen < reservedFen else { return }
    let fundName = funds[FundKey(unit: unit, code: fund)]?.name ?? fund
    let ids = holders.sorted().prefix(8).map { "#\($0)" }.joined(separator: "、")
    let available = Money(fen: max(0, heldFen - reservedFen))
    throw .refused(
      .balanceReserved(
        unit: unitLabel(unit), fund: fundName, heldFen: heldFen, reservedFen: reservedFen,
        requests: ids, availableFen: available.fen, outflowFen: outflowFen))
  }

  /// Called by `post` for every transaction, after its checks (among them
  /// `requireUnreconciled`): records the day's movement of bank and cash.
  mutating func noteAssetPostings(_ postings: [Posting], on date: AccountingDate)
    throws(AlmonerError)
  {
    for posting in postings
    where posting.account.category == .assets && posting.account != .inTransit
      && posting.amountFen != 0
    {
      let key = AssetAccountKey(unit: posting.unit, account: posting.account)
      // One lookup of the account, one of the day.
      guard let index = supervision.assetDaily.index(forKey: key) else {
        supervision.assetDaily[key] = [date: posting.amountFen]
        continue
      }
      supervision.assetDaily.values[index][date, default: 0] += posting.amountFen
      if supervision.assetDaily.values[index][date] == 0 {
        supervision.assetDaily.values[index][date] = nil
        if supervision.assetDaily.values[index].isEmpty {
          supervision.assetDaily.remove(at: index)
        }
      }
    }
  }

  /// Refuses asset postings dated on or before the account's latest
  /// reconciliation: a correction goes inside the open period.
  func requireUnreconciled(_ postings: [Posting], on date: AccountingDate) throws(AlmonerError) {
    guard !supervision.reconciled.isEmpty else { return }
    for posting in postings where posting.account.category == .assets {
      let key = AssetAccountKey(unit: posting.unit, account: posting.account)
      if let mark = supervision.reconciled[key], date <= mark.asOf {
        throw .refused(
          .reconciledPeriodClosed(
            unit: unitLabel(key.unit), account: key.account.displayName, asOf: "\(mark.asOf)",
            seq: mark.seq))
      }
    }
  }

  // MARK: Policy

  mutating func applyPolicySet(
    _ entry: Entry, _ body: PolicySetBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    try body.validate()
    func approvals(_ count: Int64, _ tier: Tier) throws(AlmonerError) -> Int {
      guard count >= 1, count <= Int64(ApprovalPolicy.approvalsPerTierMax) else {
        throw .refused(
          .policyApproverCount(
            tier: tier.displayName, max: ApprovalPolicy.approvalsPerTierMax, count: count))
      }
      return Int(count)
    }
    let policy = ApprovalPolicy(
      communityParentAboveFen: body.community.parentAboveFen,
      communityDistrictAboveFen: body.community.districtAboveFen,
      streetDistrictAboveFen: body.street.districtAboveFen,
      approvals: [
        .community: try approvals(body.community.approvals, .community),
        .street: try approvals(body.street.approvals, .street),
        .district: try approvals(body.district.approvals, .district),
      ], seq: entry.seq)
    guard let district else { throw .refused(.ledgerWithoutDistrict) }
    try requireRole([.admin], on: district.code, entry)
    guard policy.communityParentAboveFen <= policy.communityDistrictAboveFen else {
      throw .refused(
        .policyThresholdsReversed(
          parentFen: policy.communityParentAboveFen, districtFen: policy.communityDistrictAboveFen))
    }
    guard !policy.hasSameRules(as: supervision.policy) else {
      throw .refused(.policyUnchanged(policy: LedgerState.policyName(supervision.policy.seq)))
    }
    supervision.policy = policy
    changes.supervision.policies.append(policy)
  }

  // MARK: Requests

  mutating func applyDisbursementRequest(
    _ entry: Entry, _ body: DisbursementRequestBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let unit = try requireUnit(body.unit)
    let fund = try requireFund(body.fund, of: unit.code)
    try body.validate()
    let amount = body.amountFen
    let category = body.category
    let purpose = body.purpose
    let payeeDisplay = body.payee.display
    let isPerson = body.payee.person
    let attachments = try readAttachments(body)
    try requireRole([.treasurer], on: unit.code, entry)
    if let fundCategory = fund.effectiveCategory, fundCategory != category {
      throw .refused(
        .restrictedFundOffPurpose(
          fund: fund.name, fundCode: fund.code, fundCategory: fundCategory.displayName,
          category: category.displayName))
    }
    openRequest(
      Disbursement(
        id: entry.seq, kind: .payment, unit: unit.code, fund: fund.code, amountFen: amount,
        category: category, purpose: purpose, payee: payeeDisplay, payeeIsPerson: isPerson,
        requester: entry.author, date: entry.date, policySeq: nil, required: [:], approvals: [],
        status: .pending, approvedSeq: nil, settledSeq: nil, reason: nil,
        attachments: attachments), unitTier: unit.tier, &changes)
  }

  private func readAttachments(_ body: DisbursementRequestBody) throws(AlmonerError)
    -> [Disbursement.Attachment]
  {
    var attachments: [Disbursement.Attachment] = []
    for item in body.attachments ?? [] {
      let attachment = Disbursement.Attachment(
        sha256: item.sha256, name: item.name, byteCount: item.bytes)
      guard !attachments.contains(where: { $0.sha256 == attachment.sha256 }) else {
        throw .refused(.attachmentRepeated(name: attachment.name))
      }
      attachments.append(attachment)
    }
    return attachments
  }

  mutating func applyReleaseRequest(
    _ entry: Entry, _ body: FundReleaseBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let unit = try requireUnit(body.unit)
    let fund = try requireFund(body.fund, of: unit.code)
    try body.validate()
    let amount = body.amountFen
    let reason = body.reason
    try requireRole([.treasurer], on: unit.code, entry)
    guard fund.restricted else {
      throw .refused(.releaseFundNotRestricted(fund: fund.name))
    }
    openRequest(
      Disbursement(
        id: entry.seq, kind: .release, unit: unit.code, fund: fund.code, amountFen: amount,
        category: nil, purpose: reason, payee: nil, payeeIsPerson: false,
        requester: entry.author, date: entry.date, policySeq: nil, required: [:], approvals: [],
        status: .pending, approvedSeq: nil, settledSeq: nil, reason: nil, attachments: []),
      unitTier: unit.tier, &changes)
  }

  /// Records a new request, holding it to the policy in force now.
  mutating func openRequest(
    _ request: Disbursement, unitTier: Tier, _ changes: inout ProjectionChanges
  ) {
    var request = request
    let policy = supervision.policy
    request.policySeq = policy.seq
    request.required = policy.requiredApprovals(unitTier: unitTier, amountFen: request.amountFen)
    save(request, &changes)
  }

  mutating func save(_ request: Disbursement, _ changes: inout ProjectionChanges) {
    supervision.record(request)
    changes.supervision.disbursements[request.id] = request
  }

  private func requireRequest(_ id: Int64) throws(AlmonerError) -> Disbursement {
    guard let request = supervision.disbursements[id] else {
      throw .refused(.disbursementUnknown(id: id))
    }
    return request
  }

  /// Why a request that is no longer open can't be acted on.
  private func closedError(_ request: Disbursement) -> AlmonerError {
    .refused(
      .disbursementClosed(
        id: request.id, status: request.status.displayName, seq: request.settledSeq))
  }

  // MARK: Approvals, rejection, cancellation

  mutating func applyApproval(
    _ entry: Entry, _ body: RequestRefBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    var request = try requireRequest(body.request)
    try requireRole([.approver], on: request.unit, entry)
    guard let tier = approverTier(of: entry.author, for: request.unit) else {
      preconditionFailure("an approver of the unit holds a grant in its lineage")
    }
    guard request.status.isOpen else { throw closedError(request) }
    guard entry.date >= request.date else {
      throw .refused(
        .approvalDateBeforeRequest(
          date: "\(entry.date)", id: request.id, requestDate: "\(request.date)"))
    }
    guard request.status == .pending else {
      throw .refused(.approvalNotNeeded(id: request.id))
    }
    guard !isSamePerson(entry.author, request.requester) else {
      throw .refused(.approvalOwnRequest(id: request.id))
    }
    try requireNotTreasurer(of: request, approver: entry.author)
    if let earlier = request.approvals.first(where: {
      $0.counts && isSamePerson($0.keyID, entry.author)
    }) {
      throw .refused(
        .approvalRepeated(
          name: memberName(entry.author), id: request.id, seq: earlier.seq,
          earlierKeyID: earlier.keyID == entry.author ? nil : earlier.keyID))
    }
    let before = request.missingApprovals
    request.approvals.append(.init(keyID: entry.author, tier: tier, seq: entry.seq))
    let after = request.missingApprovals
    guard after != before else {
      throw .refused(
        .approvalTierNotNeeded(
          id: request.id, missing: describeMissing(before, unit: request.unit),
          name: memberName(entry.author), tier: tier.displayName))
    }
    if after.isEmpty {
      request.status = .approved
      request.approvedSeq = entry.seq
    }
    save(request, &changes)
  }

  /// `disbursement.reject` (with a reason) and `disbursement.cancel`; the
  /// body was validated by the caller.
  mutating func applyClosing(
    _ entry: Entry, request id: Int64, reason: String?, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let rejecting = entry.kind == .disbursementReject
    var request = try requireRequest(id)
    if rejecting {
      try requireRole([.approver], on: request.unit, entry)
      guard !isSamePerson(entry.author, request.requester) else {
        throw .refused(.rejectOwnRequest(id: request.id))
      }
    } else {
      guard isSamePerson(entry.author, request.requester) else {
        throw .refused(
          .cancelNotRequester(requester: memberName(request.requester), id: request.id))
      }
    }
    guard request.status.isOpen else { throw closedError(request) }
    request.status = rejecting ? .rejected : .cancelled
    request.settledSeq = entry.seq
    request.reason = reason
    save(request, &changes)
  }

  // MARK: Payment

  mutating func applyPayment(
    _ entry: Entry, _ body: RequestRefBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    var request = try requireRequest(body.request)
    try requireRole([.treasurer], on: request.unit, entry)
    switch request.status {
    case .approved: break
    case .pending:
      throw .refused(
        .paymentApprovalsMissing(
          id: request.id, policy: LedgerState.policyName(request.policySeq),
          missing: describeMissing(request.missingApprovals, unit: request.unit)))
    case .paid, .rejected, .cancelled: throw closedError(request)
    }
    guard entry.date >= request.date else {
      throw .refused(
        .paymentDateBeforeRequest(date: "\(entry.date)", requestDate: "\(request.date)"))
    }
    try requireNotApprover(of: request, payer: entry.author)
    let amount = request.amountFen
    if request.kind == .opening {
      // Money in, not out: nothing to reserve; booked on the opening's date.
      try post(openingPostings(request), on: request.date, &changes)
      request.status = .paid
      request.settledSeq = entry.seq
      save(request, &changes)
      return
    }
    try requireUnreserved(
      unit: request.unit, fund: request.fund, account: .bank, outflowFen: amount, paying: request)
    let unit = request.unit
    let fund = request.fund
    switch request.kind {
    case .payment:
      guard let category = request.category else { preconditionFailure("a payment has a category") }
      try post(
        [
          Posting(unit: unit, fund: fund, account: category.expenseAccount, amountFen: amount),
          Posting(unit: unit, fund: fund, account: .bank, amountFen: -amount),
        ], on: entry.date, &changes)
    case .release:
      try post(
        [
          Posting(unit: unit, fund: fund, account: .releaseOut, amountFen: amount),
          Posting(unit: unit, fund: fund, account: .bank, amountFen: -amount),
          Posting(unit: unit, fund: Fund.generalCode, account: .bank, amountFen: amount),
          Posting(unit: unit, fund: Fund.generalCode, account: .releaseIn, amountFen: -amount),
        ], on: entry.date, &changes)
    case .opening:
      preconditionFailure("an opening is booked above")
    }
    request.status = .paid
    request.settledSeq = entry.seq
    save(request, &changes)
  }

  // MARK: Reconciliation

  mutating func applyReconciliation(
    _ entry: Entry, _ body: ReconciliationBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let unit = try requireUnit(body.unit)
    let account = body.account
    let asOf = body.asOf
    try body.validate()
    let statedFen = body.balanceFen
    try requireRole([.treasurer, .supervisor], on: unit.code, entry)
    // A day is reconciled once it is over: postings on or before `asOf` are
    // refused afterwards, and the day of the entry may still have some.
    guard asOf < entry.date else {
      throw .refused(.reconcileDateNotPast(asOf: "\(asOf)", date: "\(entry.date)"))
    }
    let key = AssetAccountKey(unit: unit.code, account: account)
    let bookedFen = supervision.balance(of: key, asOf: asOf)
    guard bookedFen == statedFen else {
      throw .refused(
        .reconcileMismatch(
          unit: unitLabel(unit.code), account: account.displayName, asOf: "\(asOf)",
          bookedFen: bookedFen, statedFen: statedFen))
    }
    let mark = ReconciliationMark(asOf: asOf, seq: entry.seq, balanceFen: statedFen)
    supervision.noteReconciliation(mark, for: key)
    changes.supervision.reconciliations.append((key, mark))
  }
}
