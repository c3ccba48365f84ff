/// What a disbursement pays for. A restricted fund pays only for its own
/// category; each category has its own expense account, so statements can
/// total spending by purpose (DESIGN §5).
public enum PurposeCategory: String, Sendable, CaseIterable, Comparable {
  case elderly, education, medical, disability, poverty, disaster, community, administration, other

  public var displayName: String {
    switch self {
    case .elderly: "助老"
    case .education: "助学"
    case .medical: "助医"
    case .disability: "助残"
    case .poverty: "济困"
    case .disaster: "救灾"
    case .community: "社区服务"
    case .administration: "行政管理"
    case .other: "其他"
    }
  }

  /// The expense account a payment of this category debits.
  public var expenseAccount: Account { Account(PurposeCategory.accountPrefix + rawValue) }

  static let accountPrefix = "expenses:programme:"

  /// Words that mark a purpose as belonging to a category, checked in this
  /// order (so 社区老年人助餐 is 助老, not 社区服务).
  private static let keywords: [(PurposeCategory, [String])] = [
    (.disability, ["残"]),
    (.elderly, ["老", "敬老", "助餐"]),
    (.education, ["学", "教", "书"]),
    (.medical, ["医", "病", "药", "康复"]),
    (.poverty, ["困", "贫", "低保", "救助"]),
    (.disaster, ["灾", "疫", "防汛", "应急"]),
    (.administration, ["行政", "管理费", "办公"]),
    (.community, ["社区", "活动", "志愿"]),
  ]

  /// The category a purpose text names, by keyword; `.other` when none
  /// matches. Used when a treasurer gives no `--category`.
  public static func derived(fromPurpose purpose: String) -> PurposeCategory {
    for (category, words) in keywords where words.contains(where: purpose.contains) {
      return category
    }
    return .other
  }

  private var order: Int { PurposeCategory.allCases.firstIndex(of: self)! }
  public static func < (lhs: PurposeCategory, rhs: PurposeCategory) -> Bool {
    lhs.order < rhs.order
  }
}

extension Fund {
  /// The category a restricted fund pays for: the one it was opened with,
  /// else the one its purpose names. Nil for a general fund, which pays for
  /// any category.
  public var effectiveCategory: PurposeCategory? {
    guard restricted else { return nil }
    return category ?? PurposeCategory.derived(fromPurpose: purpose ?? "")
  }
}

/// The approval policy (DESIGN §3): per tier of the paying unit, the amounts
/// above which the parent tier and the district must also approve, and how
/// many approvers each tier must provide. A request is held to the policy in
/// force when it was made.
public struct ApprovalPolicy: Sendable, Equatable {
  /// Most approvers a policy may ask of one tier.
  public static let approvalsPerTierMax = 5

  /// A community's request above this also needs its street.
  public var communityParentAboveFen: Int64
  /// A community's request above this also needs the district.
  public var communityDistrictAboveFen: Int64
  /// A street's request above this also needs the district.
  public var streetDistrictAboveFen: Int64
  /// Approvers each tier provides when its approval is needed.
  public var approvals: [Tier: Int]
  /// Seq of the `policy.set` entry; nil for the default policy.
  public var seq: Int64?

  public init(
    communityParentAboveFen: Int64, communityDistrictAboveFen: Int64,
    streetDistrictAboveFen: Int64, approvals: [Tier: Int], seq: Int64? = nil
  ) {
    self.communityParentAboveFen = communityParentAboveFen
    self.communityDistrictAboveFen = communityDistrictAboveFen
    self.streetDistrictAboveFen = streetDistrictAboveFen
    self.approvals = approvals
    self.seq = seq
  }

  /// The policy of a ledger with no `policy.set` entry: a community alone up
  /// to ¥5,000, with its street up to ¥50,000, with the district above; a
  /// street alone up to ¥50,000, with the district above; one approver each.
  public static let `default` = ApprovalPolicy(
    communityParentAboveFen: 500_000, communityDistrictAboveFen: 5_000_000,
    streetDistrictAboveFen: 5_000_000, approvals: [.district: 1, .street: 1, .community: 1])

  public func approvalCount(_ tier: Tier) -> Int { approvals[tier] ?? 1 }

  /// Approvers needed from each tier for a request of `amountFen` by a unit
  /// of `tier`. The paying unit's own tier always approves.
  public func requiredApprovals(unitTier tier: Tier, amountFen: Int64) -> [Tier: Int] {
    var required = [tier: approvalCount(tier)]
    switch tier {
    case .community:
      if amountFen > communityParentAboveFen { required[.street] = approvalCount(.street) }
      if amountFen > communityDistrictAboveFen { required[.district] = approvalCount(.district) }
    case .street:
      if amountFen > streetDistrictAboveFen { required[.district] = approvalCount(.district) }
    case .district:
      break
    }
    return required
  }

  /// The body of a `policy.set` entry.
  package var entryBody: PolicySetBody {
    PolicySetBody(
      community: .init(
        approvals: Int64(approvalCount(.community)), districtAboveFen: communityDistrictAboveFen,
        parentAboveFen: communityParentAboveFen),
      district: .init(approvals: Int64(approvalCount(.district))),
      street: .init(
        approvals: Int64(approvalCount(.street)), districtAboveFen: streetDistrictAboveFen))
  }

  /// Same thresholds and counts, whatever entry set them.
  func hasSameRules(as other: ApprovalPolicy) -> Bool {
    var other = other
    other.seq = seq
    return self == other
  }

  /// Approvers still missing per tier, given the tiers of the approvals so
  /// far. An approver covers their unit's subtree, so an approval from a
  /// higher tier may stand in for a lower one; each approval counts once.
  /// The sets of tiers that may fill each requirement are nested, so filling
  /// the district first, then the street, then the community, each from the
  /// lowest eligible tier up, matches as many as any assignment could.
  public static func missingApprovals(required: [Tier: Int], approvals: [Tier]) -> [Tier: Int] {
    var pool: [Tier: Int] = [:]
    for tier in approvals { pool[tier, default: 0] += 1 }
    var missing: [Tier: Int] = [:]
    for tier in Tier.allCases {
      var needed = required[tier] ?? 0
      for source in Tier.allCases.filter({ $0 <= tier }).reversed() where needed > 0 {
        let taken = min(needed, pool[source] ?? 0)
        pool[source, default: 0] -= taken
        needed -= taken
      }
      if needed > 0 { missing[tier] = needed }
    }
    return missing
  }
}

/// A request to spend money (a disbursement), or to release a restricted
/// fund's money to the unit's general fund. Both go request → approvals →
/// payment under the approval policy. The id is the request entry's seq.
public struct Disbursement: Sendable, Equatable {
  public enum Kind: String, Sendable, CaseIterable {
    /// Money paid out of a fund to a payee.
    case payment
    /// Restricted money moved to the unit's general fund (定向资金释放).
    case release
    /// Money the unit already holds, brought in as an opening balance (`Openings.swift`).
    case opening

    public var displayName: String {
      switch self {
      case .payment: "支出"
      case .release: "定向资金释放"
      case .opening: "期初余额"
      }
    }
  }

  public enum Status: String, Sendable, CaseIterable {
    case pending, approved, paid, rejected, cancelled

    public var displayName: String {
      switch self {
      case .pending: "待审批"
      case .approved: "已批准待付款"
      case .paid: "已付款"
      case .rejected: "已驳回"
      case .cancelled: "已撤销"
      }
    }

    /// Still open: it may be approved, paid, rejected or cancelled.
    public var isOpen: Bool { self == .pending || self == .approved }
  }

  /// One approval: who, at which tier it counts, and its entry.
  public struct Approval: Sendable, Equatable {
    public var keyID: String
    public var tier: Tier
    public var seq: Int64
    /// Seq of the `member.revoke` (or `member.rotate --compromised`) that
    /// took the approver's key away before the request was paid: from then
    /// on the approval no longer counts. Nil while it counts.
    public var voidedSeq: Int64? = nil

    /// The approval still counts towards the policy.
    public var counts: Bool { voidedSeq == nil }

    /// The memberwise initializer, for the store and the facade.
    package init(
      keyID: String, tier: Tier, seq: Int64, voidedSeq: Int64? = nil
    ) {
      self.keyID = keyID
      self.tier = tier
      self.seq = seq
      self.voidedSeq = voidedSeq
    }
  }

  /// A file kept beside the ledger, named in the entry by its SHA-256.
  public struct Attachment: Sendable, Equatable {
    public var sha256: Hash32
    public var name: String
    public var byteCount: Int64

    /// The memberwise initializer, for the store and the facade.
    package init(
      sha256: Hash32, name: String, byteCount: Int64
    ) {
      self.sha256 = sha256
      self.name = name
      self.byteCount = byteCount
    }
  }

  public var id: Int64
  public var kind: Kind
  public var unit: String
  public var fund: String
  public var amountFen: Int64
  /// Nil for a release.
  public var category: PurposeCategory?
  /// What the money is for; for a release, why it is released.
  public var purpose: String
  /// The payee as the entry shows it (masked when a person); nil for a release.
  public var payee: String?
  public var payeeIsPerson: Bool
  /// Key id of the treasurer who made the request.
  public var requester: String
  public var date: AccountingDate
  /// Seq of the policy in force at the request; nil for the default policy.
  public var policySeq: Int64?
  /// Approvers needed per tier, fixed when the request was made.
  public var required: [Tier: Int]
  public var approvals: [Approval]
  public var status: Status
  /// Seq of the approval that met the policy.
  public var approvedSeq: Int64?
  /// Seq of the payment, rejection or cancellation.
  public var settledSeq: Int64?
  /// Why it was rejected or cancelled.
  public var reason: String?
  public var attachments: [Attachment]
  /// For an opening balance: the asset account it brings money into.
  public var account: Account? = nil

  /// Approvals still missing per tier; voided approvals don't count.
  public var missingApprovals: [Tier: Int] {
    ApprovalPolicy.missingApprovals(
      required: required, approvals: approvals.filter(\.counts).map(\.tier))
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    id: Int64, kind: Kind, unit: String, fund: String, amountFen: Int64,
    category: PurposeCategory? = nil, purpose: String, payee: String? = nil, payeeIsPerson: Bool,
    requester: String, date: AccountingDate, policySeq: Int64? = nil, required: [Tier: Int],
    approvals: [Approval], status: Status, approvedSeq: Int64? = nil, settledSeq: Int64? = nil,
    reason: String? = nil, attachments: [Attachment], account: Account? = nil
  ) {
    self.id = id
    self.kind = kind
    self.unit = unit
    self.fund = fund
    self.amountFen = amountFen
    self.category = category
    self.purpose = purpose
    self.payee = payee
    self.payeeIsPerson = payeeIsPerson
    self.requester = requester
    self.date = date
    self.policySeq = policySeq
    self.required = required
    self.approvals = approvals
    self.status = status
    self.approvedSeq = approvedSeq
    self.settledSeq = settledSeq
    self.reason = reason
    self.attachments = attachments
    self.account = account
  }
}

/// A unit's bank or cash account across all its funds: what a bank
/// statement or a cash count shows.
public struct AssetAccountKey: Hashable, Sendable, Comparable {
  public var unit: String
  public var account: Account

  public init(unit: String, account: Account) {
    self.unit = unit
    self.account = account
  }

  public static func < (lhs: AssetAccountKey, rhs: AssetAccountKey) -> Bool {
    (lhs.unit, lhs.account) < (rhs.unit, rhs.account)
  }

  /// The accounts a reconciliation may assert.
  public static let reconcilable: [Account] = [.bank, .cash]
}

/// The latest reconciliation of an account: nothing may be posted to it on
/// or before `asOf` any more, so the asserted balance stays true.
public struct ReconciliationMark: Sendable, Equatable {
  public var asOf: AccountingDate
  public var seq: Int64
  public var balanceFen: Int64

  /// The memberwise initializer, for the store and the facade.
  package init(
    asOf: AccountingDate, seq: Int64, balanceFen: Int64
  ) {
    self.asOf = asOf
    self.seq = seq
    self.balanceFen = balanceFen
  }
}

/// The part of the ledger state that supervision adds: the policy in force,
/// every disbursement request, reconciliations, and the daily bank and cash
/// movements a reconciliation is checked against.
public struct SupervisionState: Sendable, Equatable {
  public var policy = ApprovalPolicy.default
  /// Every request, by id. Changed only through `record`, which keeps
  /// `approvedByFund` in step.
  public private(set) var disbursements: [Int64: Disbursement] = [:]
  /// The approved, unpaid requests of each fund: the money reserved for
  /// them. An outflow reads its fund's few open requests here instead of
  /// scanning every request ever made (which made a replay quadratic).
  private(set) var approvedByFund: [LedgerState.FundKey: Set<Int64>] = [:]
  public var reconciled: [AssetAccountKey: ReconciliationMark] = [:]
  /// Sum of postings per unit, bank or cash account and accounting date.
  /// Zero sums are not kept.
  public var assetDaily: [AssetAccountKey: [AccountingDate: Int64]] = [:]

  public init() {}

  /// Adds or replaces a request.
  package mutating func record(_ request: Disbursement) {
    let old = disbursements.updateValue(request, forKey: request.id)
    let key = LedgerState.FundKey(unit: request.unit, code: request.fund)
    if let old, old.status == .approved,
      request.status != .approved || old.unit != request.unit
        || old.fund != request.fund
    {
      let oldKey = LedgerState.FundKey(unit: old.unit, code: old.fund)
      approvedByFund[oldKey]?.remove(old.id)
      if approvedByFund[oldKey]?.isEmpty == true { approvedByFund[oldKey] = nil }
    }
    if request.status == .approved { approvedByFund[key, default: []].insert(request.id) }
  }

  /// Records a reconciliation; the latest `asOf` wins, and of equal dates
  /// the later entry.
  package mutating func noteReconciliation(_ mark: ReconciliationMark, for key: AssetAccountKey) {
    if let current = reconciled[key], current.asOf > mark.asOf { return }
    reconciled[key] = mark
  }

  /// The balance of `key` at the end of `date`.
  public func balance(of key: AssetAccountKey, asOf date: AccountingDate) -> Int64 {
    (assetDaily[key] ?? [:]).reduce(0) { $1.key <= date ? $0 + $1.value : $0 }
  }
}

/// What one entry changed in the supervision projections.
package struct SupervisionChanges {
  package var policies: [ApprovalPolicy] = []
  /// Inserted or updated, with their approvals and attachments.
  package var disbursements: [Int64: Disbursement] = [:]
  package var reconciliations: [(key: AssetAccountKey, mark: ReconciliationMark)] = []
}

extension Account {
  /// Restricted money released to the general fund: debited in the restricted fund…
  public static let releaseOut = Account("net-assets:release-out")
  /// …and credited in the general fund.
  public static let releaseIn = Account("net-assets:release-in")

  /// Names of the accounts supervision adds, or nil.
  static func supervisionDisplayName(_ name: String) -> String? {
    switch name {
    case Account.releaseOut.name: return "定向资金释放转出"
    case Account.releaseIn.name: return "定向资金释放转入"
    case Account.openingBalance.name: return "期初余额转入"
    default:
      guard name.hasPrefix(PurposeCategory.accountPrefix),
        let category = PurposeCategory(
          rawValue: String(name.dropFirst(PurposeCategory.accountPrefix.count)))
      else { return nil }
      return "公益支出·" + category.displayName
    }
  }
}

extension Entry {
  /// The salted commitment to personal data (DESIGN §6) this entry carries,
  /// with whose data it is: a donation's donor, or a payment's payee when
  /// the payee is a person; and the unit whose books it is in.
  package var personalDataCommitment: (whose: String, commitment: Hash32, unit: String)? {
    switch body {
    case .donation(let donation):
      return ("捐赠人", donation.donor.commitment, donation.unit)
    case .disbursementRequest(let request):
      return request.payee.commitment.map { ("收款人", $0, request.unit) }
    default:
      return nil
    }
  }
}
