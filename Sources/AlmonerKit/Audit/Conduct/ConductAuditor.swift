import Foundation

/// The conduct half of `almoner audit` (issue 10, item 3): reads the log
/// once, in seq order, and reports conduct a supervisor must look at —
/// split requests, duplicate references, money left in transit or unpaid,
/// payments before approvals, approvers not in office, restricted money on
/// an unrelated purpose, one name in incompatible duties, unusual sizes,
/// round-number clusters, late entries, missing statements and the
/// disclosure ratios.
///
/// Everything is derived from the entries themselves (units, members and
/// their rotations, policy, funds): the store's tables are not trusted in an
/// audit. The work per entry is a few dictionary look-ups; what it keeps is
/// per unit, per fund, per member and per open request or allocation, plus
/// one 16-byte slot per external reference (duplicates can only be found by
/// remembering every reference) and one per restricted-fund donation old
/// enough for `restricted-fund-unused` (so a reversal can be taken off).
///
/// Scope: `units` (nil for the whole ledger) and `from`/`to` choose which
/// findings are reported — those concerning a unit in scope and an entry
/// dated in the period (or, for something that lasts, like money in transit,
/// a span that overlaps it). Entries outside the scope still shape the state
/// (usual sizes, membership, thresholds).
public struct ConductAuditor {
  let rules: ConductRules
  let scope: Set<String>?
  let from: AccountingDate?
  let to: AccountingDate?
  let asOf: AccountingDate
  let asOfDay: Int64

  /// The default reader of statement publications: the log's
  /// `statement.publish` entries.
  public static let defaultStatementReader: (any StatementPublicationReader)? =
    LogStatementReader()

  /// Recognises statement publications; when nil, `statement-missing` does
  /// not run.
  public var statementReader: (any StatementPublicationReader)? =
    ConductAuditor.defaultStatementReader

  /// Where ASCII references held by several donations are found; when nil,
  /// every reference is remembered as it is read.
  var referenceIndex: (any ReferenceIndex)?

  // MARK: State derived from the entries

  var unitIndex: [String: Int] = [:]
  var units: [ConductUnit] = []
  /// Seconds east of UTC of the ledger's time zone, for the day an entry
  /// was recorded.
  var zoneOffsetSeconds: Int64 = 8 * 3600
  var personOfKey: [String: String] = [:]
  var persons: [String: ConductPerson] = [:]
  var personsByName: [String: [String]] = [:]
  var reportedNamePairs: Set<String> = []
  var funds: [String: ConductFund] = [:]
  var policy = ApprovalPolicy.default
  var requests: [Int64: ConductRequest] = [:]
  var allocations: [Int64: ConductAllocation] = [:]
  var referenceFirst: [String: ReferenceSeen] = [:]
  var referenceRepeats: [String: [ReferenceSeen]] = [:]
  var reversed: Set<Int64> = []
  var restrictedDonations: [Int64: (fund: String, amountFen: Int64, date: AccountingDate)] = [:]
  var splitDrafts: [SplitDraft] = []
  var splitDraftsByUnit: [String: [Int]] = [:]
  var splitSeqs: Set<Int64> = []
  var closedUnpaid: Set<Int64> = []
  var lateGroups: [String: LateGroup] = [:]
  var lateGroupOrder: [String] = []
  let unusedCutoff: AccountingDate
  var findings: [AuditFinding] = []
  var finished: [AuditFinding]?

  /// Most seqs one aggregate finding lists (a round-number cluster, late
  /// entries of one day); the message gives the full count.
  static let seqsPerFindingMax = 50
  /// Most recent requests per unit kept for `split-request`.
  static let recentRequestsMax = 256

  public init(
    rules: ConductRules, units: Set<String>?, from: AccountingDate?, to: AccountingDate?,
    asOf: AccountingDate
  ) {
    self.rules = rules
    self.scope = units
    self.from = from
    self.to = to
    self.asOf = asOf
    self.asOfDay = asOf.daysSince1970
    self.unusedCutoff = asOf.addingMonths(-rules.unusedMonths)
  }

  // MARK: Scope

  func inScope(_ codes: [String]) -> Bool {
    guard let scope else { return true }
    return codes.contains { scope.contains($0) }
  }

  func judged(_ date: AccountingDate) -> Bool {
    if let from, date < from { return false }
    if let to, date > to { return false }
    return true
  }

  /// Whether the span from `start` to `end` touches the audited period.
  func overlaps(_ start: AccountingDate, _ end: AccountingDate) -> Bool {
    if let from, end < from { return false }
    if let to, start > to { return false }
    return true
  }

  // MARK: Names

  func unitLabel(_ code: String) -> String {
    unitIndex[code].map { "\(units[$0].name)（\(code)）" } ?? code
  }

  func unitLabelEnglish(_ code: String) -> String {
    unitIndex[code].map { "\(units[$0].name) (\(code))" } ?? code
  }

  static func yuan(_ fen: Int64) -> String { Money(fen: fen).displayText }

  static func seqList(_ seqs: [Int64]) -> String {
    seqs.sorted().map { "#\($0)" }.joined(separator: "、")
  }

  static func seqListEnglish(_ seqs: [Int64]) -> String {
    seqs.sorted().map { "#\($0)" }.joined(separator: ", ")
  }

  mutating func report(
    _ code: String, _ severity: AuditFinding.Severity, units: [String], seqs: [Int64],
    _ chinese: String, _ english: String
  ) {
    guard rules.isEnabled(code) else { return }
    findings.append(
      AuditFinding(
        code: code, severity: severity, units: units, seqs: seqs, message: chinese,
        messageEnglish: english))
  }

  // MARK: Reading the log

  /// Takes in one entry. Call for every entry, in seq order from 0,
  /// whatever the scope.
  public mutating func visit(_ logged: LoggedEntry) {
    let entry = logged.entry
    switch entry.body {
    case .genesis(let body): visitGenesis(entry, body)
    case .unitAdd(let body): visitUnitAdd(entry, body)
    case .memberGrant(let body): visitGrant(entry, body)
    case .memberRevoke(let body): visitRevoke(body)
    case .memberRotate(let body): visitRotate(body)
    case .fundOpen(let body): visitFundOpen(entry, body)
    case .policySet(let body): visitPolicy(entry, body)
    case .donation(let body): visitDonation(entry, body)
    case .allocationSend(let body): visitAllocationSend(entry, body)
    case .allocationConfirm(let body): visitAllocationSettle(entry, body, confirmed: true)
    case .allocationVoid(let body): visitAllocationSettle(entry, body, confirmed: false)
    case .reversal(let body): visitReversal(entry, body)
    case .disbursementRequest(let body): visitRequest(entry, body)
    case .fundRelease(let body): visitRelease(entry, body)
    case .disbursementApprove(let body): visitApproval(entry, body)
    case .disbursementReject(let body): visitClosing(body.request)
    case .disbursementCancel(let body): visitClosing(body.request)
    case .disbursementPay(let body): visitPayment(entry, body)
    case .reconciliation(let body): noteLate(entry, unit: body.unit)
    default: break  // checkpoints, cosignatures, erasures and kinds added later
    }
    if let reader = statementReader, let publication = reader.publication(in: entry) {
      notePublication(publication)
    }
  }

  /// The findings, most serious first, then by first seq. Call once, after
  /// the last entry; later calls return the same findings.
  public mutating func finish() -> [AuditFinding] {
    if let finished { return finished }
    finishSplits()
    finishReferences()
    finishOpenItems()
    finishLateEntries()
    finishUnits()
    finishRestrictedFunds()
    let sorted = findings.enumerated().sorted { a, b in
      let left = (a.element.severity, a.element.seqs.first ?? Int64.max, a.offset)
      let right = (b.element.severity, b.element.seqs.first ?? Int64.max, b.offset)
      return left < right
    }.map(\.element)
    finished = sorted
    return sorted
  }

  // MARK: Units, members, funds, policy

  private mutating func visitGenesis(_ entry: Entry, _ body: GenesisBody) {
    addUnit(code: body.district.code, name: body.district.name, tier: .district, parent: nil)
    if let zone = TimeZone(identifier: body.ledger.timeZone) {
      zoneOffsetSeconds = Int64(zone.secondsFromGMT())
    }
    addPerson(keyID: entry.author, name: body.admin.name)
  }

  private mutating func visitUnitAdd(_ entry: Entry, _ body: UnitAddBody) {
    addUnit(code: body.code, name: body.name, tier: body.tier, parent: body.parent)
  }

  private mutating func addUnit(code: String, name: String, tier: Tier, parent: String?) {
    guard unitIndex[code] == nil else { return }
    unitIndex[code] = units.count
    units.append(
      ConductUnit(code: code, name: name, tier: tier, parent: parent.flatMap { unitIndex[$0] }))
  }

  /// The unit and its ancestors, nearest first.
  func lineage(of code: String) -> [Int] {
    var result: [Int] = []
    var next = unitIndex[code]
    while let index = next, result.count <= units.count {
      result.append(index)
      next = units[index].parent
    }
    return result
  }

  private mutating func addPerson(keyID: String, name: String) {
    guard personOfKey[keyID] == nil else { return }
    personOfKey[keyID] = keyID
    let key = LedgerState.nameComparisonKey(name)
    persons[keyID] = ConductPerson(name: name, nameKey: key)
    personsByName[key, default: []].append(keyID)
  }

  private mutating func visitFundOpen(_ entry: Entry, _ body: FundOpenBody) {
    guard body.restricted else { return }
    let category =
      body.category ?? PurposeCategory.derived(fromPurpose: body.purpose ?? "")
    funds[ConductFund.key(body.unit, body.code)] = ConductFund(
      unit: body.unit, code: body.code, name: body.name, purpose: body.purpose ?? "",
      category: category, openedSeq: entry.seq,
      words: PurposeWords(body.name, body.purpose ?? "", category.displayName))
  }

  private mutating func visitPolicy(_ entry: Entry, _ body: PolicySetBody) {
    policy = ApprovalPolicy(
      communityParentAboveFen: body.community.parentAboveFen,
      communityDistrictAboveFen: body.community.districtAboveFen,
      streetDistrictAboveFen: body.street.districtAboveFen,
      approvals: [
        .community: Int(clamping: body.community.approvals),
        .street: Int(clamping: body.street.approvals),
        .district: Int(clamping: body.district.approvals),
      ], seq: entry.seq)
  }
}

// MARK: - What the auditor keeps

/// A unit and the running figures the rules read.
struct ConductUnit {
  var code: String
  var name: String
  var tier: Tier
  var parent: Int?
  var donationCount: Int64 = 0
  var donationSumFen: Int64 = 0
  var paymentCount: Int64 = 0
  var paymentSumFen: Int64 = 0
  var recent: [RecentRequest] = []
  var roundMonths: [Int32: RoundMonth] = [:]
  var activeQuarters: Set<Int32> = []
  var lastActiveQuarter: Int32 = -1
  var publishedQuarters: Set<Int32> = []
  var publishedMonths: Set<Int32> = []
  var publishedYears: Set<Int32> = []
  var years: [Int32: YearFigures] = [:]
}

struct YearFigures {
  var incomeFen: Int64 = 0
  var paymentsFen: Int64 = 0
  var adminFen: Int64 = 0
  var adminSeqs: [Int64] = []
  var adminCount = 0
  var charitableFen: Int64 = 0
}

struct RoundMonth {
  var requestCount: Int64 = 0
  var roundCount: Int64 = 0
  var roundSeqs: [Int64] = []
}

struct ConductPerson {
  var name: String
  var nameKey: String
  var grants: [ConductGrant] = []
}

struct ConductGrant {
  var unit: String
  var role: Role
  var date: AccountingDate
  var seq: Int64
}

/// A restricted fund, with the money it received and spent.
struct ConductFund {
  var unit: String
  var code: String
  var name: String
  var purpose: String
  var category: PurposeCategory
  var openedSeq: Int64
  var words: PurposeWords
  /// Received on or before the `restricted-fund-unused` cutoff.
  var receivedEarlyFen: Int64 = 0
  /// Spent, released or sent on, at any date.
  var spentFen: Int64 = 0

  static func key(_ unit: String, _ code: String) -> String { unit + "\u{1F}" + code }
}

/// An open request (disbursement or release), until paid, rejected or
/// cancelled.
struct ConductRequest {
  var seq: Int64
  var unit: String
  var fund: String
  var amountFen: Int64
  var isRelease: Bool
  var category: PurposeCategory?
  var purpose: String
  var payee: String?
  var date: AccountingDate
  var required: [Tier: Int]
  /// Approvals that count: the approving key and the tier it counts at.
  var approvals: [(keyID: String, tier: Tier)] = []
  var lastApproval: (seq: Int64, date: AccountingDate)?
  var approved: (seq: Int64, date: AccountingDate)?

  var missingApprovals: [Tier: Int] {
    ApprovalPolicy.missingApprovals(required: required, approvals: approvals.map(\.tier))
  }
}

/// Where an external reference was seen: 16 bytes per reference, since
/// every one must be remembered.
struct ReferenceSeen {
  var seq: Int64
  var unit: Int32
  var day: Int32
}

/// An allocation in transit.
struct ConductAllocation {
  var seq: Int64
  var from: String
  var to: String
  var fund: String
  var amountFen: Int64
  var date: AccountingDate
}

/// A recent request of a unit, for `split-request`.
struct RecentRequest {
  var seq: Int64
  var amountFen: Int64
  var day: Int64
  var payeeKey: String?
  var payee: String?
  var words: PurposeWords
}

/// Requests found split so far: merged while new ones join.
struct SplitDraft {
  var unit: String
  var thresholdFen: Int64
  var needs: Tier
  var payee: String?
  var amounts: [Int64: Int64]
  var firstDate: AccountingDate
  var lastDate: AccountingDate
}

/// Money entries of one unit recorded on one day long after their dates.
struct LateGroup {
  var unit: String
  var recordedDay: Int64
  var count = 0
  var seqs: [Int64] = []
  var earliest: AccountingDate
  var daysMax: Int64 = 0
}

// MARK: - Calendar arithmetic on accounting dates

extension AccountingDate {
  var yearNumber: Int32 {
    text.utf8.prefix(4).reduce(Int32(0)) { $0 * 10 + Int32($1 - 48) }
  }

  var monthNumber: Int32 {
    text.utf8.dropFirst(5).prefix(2).reduce(Int32(0)) { $0 * 10 + Int32($1 - 48) }
  }

  /// Months since year 0: an index for a calendar month.
  var monthIndex: Int32 { yearNumber * 12 + monthNumber - 1 }

  /// Quarters since year 0: an index for a calendar quarter.
  var quarterIndex: Int32 { yearNumber * 4 + (monthNumber - 1) / 3 }

  /// The same day `months` months later (earlier when negative), clamped to
  /// the last day of a shorter month.
  func addingMonths(_ months: Int64) -> AccountingDate {
    let index = Int64(monthIndex) + months
    let year = index / 12
    let month = index % 12 + 1
    let day = Int64(text.utf8.dropFirst(8).reduce(0) { $0 * 10 + Int($1 - 48) })
    let monthText = (month < 10 ? "0" : "") + "\(month)"
    for candidate in stride(from: day, through: min(day, 28), by: -1) {
      let dayText = (candidate < 10 ? "0" : "") + "\(candidate)"
      if let date = try? AccountingDate("\(year)-\(monthText)-\(dayText)") { return date }
    }
    return self
  }

  /// The first day of the quarter with index `quarter` (`quarterIndex`).
  static func quarterStart(_ quarter: Int32) -> AccountingDate {
    let year = quarter / 4
    let month = quarter % 4 * 3 + 1
    // Four-digit years and months 1–12 always make a valid date.
    return (try? AccountingDate("\(year)-\(month < 10 ? "0" : "")\(month)-01"))
      ?? AccountingDate(daysSince1970: 0)
  }

  /// The last day of the quarter with index `quarter`.
  static func quarterEnd(_ quarter: Int32) -> AccountingDate {
    AccountingDate(daysSince1970: quarterStart(quarter + 1).daysSince1970 - 1)
  }

  /// `2026年第3季度`
  static func quarterName(_ quarter: Int32) -> String { "\(quarter / 4)年第\(quarter % 4 + 1)季度" }

  /// `2026-Q3`
  static func quarterCode(_ quarter: Int32) -> String { "\(quarter / 4)-Q\(quarter % 4 + 1)" }
}
