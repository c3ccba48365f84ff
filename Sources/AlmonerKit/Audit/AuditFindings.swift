import AlmonerStore

/// The integrity and accounting findings of `almoner audit`: the verifier's
/// problems as findings, and the accounting checks made on the state the
/// audit rebuilt from the log.
enum AuditFindings {
  /// A problem `verify ledger` would report, as a finding: critical, with
  /// its code, the entries and the table it concerns, in both languages.
  static func finding(from problem: VerificationReport.Problem) -> AuditFinding {
    let seqs = Array(Set((problem.seq.map { [$0] } ?? []) + problem.relatedSeqs)).sorted()
    return AuditFinding(
      code: problem.code, severity: .critical, units: [], seqs: seqs, table: problem.table,
      message: problem.description, messageEnglish: english(problem))
  }

  /// The English sentence for a verifier's problem, by its code.
  static func english(_ problem: VerificationReport.Problem) -> String {
    let at = problem.seq.map { "Entry \($0)" } ?? "The ledger"
    let table = problem.table ?? "?"
    switch problem.code {
    case "entry-missing":
      return "\(at) is missing from the log: entries were deleted."
    case "entry-out-of-order": return "\(at): the log's seqs repeat or run out of order."
    case "entry-unsigned": return "\(at) belongs to no signed commit."
    case "commit-gap": return "\(at): this commit does not start where the one before it ended."
    case "entry-commit-mismatch":
      return "\(at) names a commit other than the signed one holding it."
    case "entry-hash-mismatch":
      return "\(at) was changed: the hash of its bytes is not the stored hash."
    case "entry-undecodable": return "\(at) cannot be read as an entry: its bytes were changed."
    case "entry-moved": return "\(at) holds another entry's content: entries were moved or swapped."
    case "chain-broken":
      return "\(at) does not link to the entry before it: one of the two was changed."
    case "entry-author-mismatch": return "\(at) names an author other than its commit's signer."
    case "rule-broken": return "\(at) breaks the ledger's rules when replayed from the log."
    case "entry-time": return "\(at) has a time running backwards or a date in the future."
    case "ledger-time-zone": return "\(at): the ledger's time zone is unknown."
    case "commit-signer-unknown":
      return
        "\(at): the commit was signed by a key that is not a member of this ledger (a forged commit)."
    case "commit-signature-invalid": return "\(at): the commit's signature does not verify."
    case "projection-mismatch":
      return "Table \(table) differs from what the log rebuilds: it was edited outside almoner."
    case "projection-unreadable": return "The projection tables cannot be read."
    case "table-unreadable":
      return "Table \(table) cannot be read: it was dropped or changed outside almoner."
    case "fund-unbalanced": return "A fund's postings do not sum to zero."
    case "schema-changed":
      return
        "The database schema differs from the migrations (a planted trigger, view or table, or a changed definition)."
    case "personal-data-mismatch":
      return "\(at): the personal data stored beside it does not open its commitment."
    case "personal-data-missing":
      return "\(at): its personal data is gone, but no erasure entry deleted it."
    case "personal-data-kept":
      return "\(at): its personal data was erased by an entry but is still stored."
    case "personal-data-orphan":
      return "Personal data is stored for entry \(problem.seq ?? -1), which does not exist."
    case "attachment-missing": return "\(at): an attached file is missing."
    case "attachment-changed": return "\(at): an attached file was changed since it was recorded."
    case "checkpoint-root-mismatch":
      return "\(at): the checkpoint's root is not the root of the entries it covers."
    case "checkpoint-inconsistent":
      return
        "\(at): the checkpoint is not consistent with the one before it: history was rewritten."
    default: return "\(at): \(problem.code)."
    }
  }

  /// The first day each fund's money held (bank, cash, in transit) of a
  /// unit went below zero, from the postings per day the replay summed.
  static func negativeBalances(_ daily: [DailyKey: Int64], state: LedgerState) -> [AuditFinding] {
    let held: Set<Account> = [.bank, .cash, .inTransit]
    var byKey: [BalanceKey: [(date: AccountingDate, amount: Int64)]] = [:]
    for (key, amount) in daily where held.contains(key.key.account) {
      byKey[key.key, default: []].append((key.date, amount))
    }
    var findings: [AuditFinding] = []
    for (key, days) in byKey.sorted(by: { $0.key < $1.key }) {
      var running: Int64 = 0
      for day in days.sorted(by: { $0.date < $1.date }) {
        running += day.amount
        guard running < 0 else { continue }
        let fund = state.fundText(unit: key.unit, code: key.fund)
        let money = Money(fen: -running).displayText
        findings.append(
          AuditFinding(
            code: "fund-negative", severity: .critical, units: [key.unit],
            message:
              "\(state.unitText(key.unit))\(fund)的\(key.account.displayName)在 \(day.date) 日终为负（差 \(money)）：钱在到账之前就付出了",
            messageEnglish:
              "\(key.unit) fund \(key.fund): \(key.account.name) was below zero at the end of \(day.date) (short by \(money))."
          ))
        break
      }
    }
    return findings
  }

  /// Allocations sent equal allocations received plus those in transit, per
  /// fund code, both in the allocation records and in the accounts.
  static func allocationBalance(_ state: LedgerState) -> [AuditFinding] {
    struct Totals { var sent: Int64 = 0, received: Int64 = 0, inTransit: Int64 = 0 }
    var records: [String: Totals] = [:]
    for allocation in state.allocations.values where allocation.status != .voided {
      records[allocation.fund, default: Totals()].sent += allocation.amountFen
      if allocation.status == .confirmed {
        records[allocation.fund, default: Totals()].received += allocation.amountFen
      } else {
        records[allocation.fund, default: Totals()].inTransit += allocation.amountFen
      }
    }
    var accounts: [String: Totals] = [:]
    for (key, amount) in state.balances {
      switch key.account {
      case .allocationsOut: accounts[key.fund, default: Totals()].sent += amount
      case .allocationsIn: accounts[key.fund, default: Totals()].received -= amount
      case .inTransit: accounts[key.fund, default: Totals()].inTransit += amount
      default: continue
      }
    }
    var findings: [AuditFinding] = []
    for fund in Set(records.keys).union(accounts.keys).sorted() {
      let record = records[fund] ?? Totals()
      let account = accounts[fund] ?? Totals()
      let sentInAccounts = account.sent + account.inTransit
      guard
        record.sent != record.received + record.inTransit || account.sent != account.received
          || sentInAccounts != record.sent || account.inTransit != record.inTransit
      else { continue }
      let text = { (fen: Int64) in Money(fen: fen).displayText }
      findings.append(
        AuditFinding(
          code: "allocation-imbalance", severity: .critical,
          message:
            "基金 \(fund) 的划拨对不上：划拨记录发出 \(text(record.sent))、已确认 \(text(record.received))、在途 \(text(record.inTransit))；账上划拨支出 \(text(account.sent))、划拨收入 \(text(account.received))、在途 \(text(account.inTransit))",
          messageEnglish:
            "Fund \(fund): allocations sent do not equal those received plus those in transit (records: sent \(record.sent), received \(record.received), in transit \(record.inTransit) fen; accounts: out \(account.sent), in \(account.received), in transit \(account.inTransit) fen)."
        ))
    }
    return findings
  }

  /// A finding about units is in scope when one of them is; one about no
  /// unit (the whole ledger) always is.
  static func inScope(_ finding: AuditFinding, units: Set<String>?) -> Bool {
    guard let units, !finding.units.isEmpty else { return true }
    return finding.units.contains { units.contains($0) }
  }

  /// Codes that name what was done to an entry, before those that follow from it.
  static let causeOrder = [
    "schema-changed", "entry-missing", "entry-moved", "entry-hash-mismatch", "entry-undecodable",
    "chain-broken", "entry-unsigned", "entry-commit-mismatch", "entry-author-mismatch",
    "commit-signer-unknown", "commit-signature-invalid", "personal-data-mismatch",
  ]

  /// Most serious first, then by unit, then by first entry.
  static func order(_ a: AuditFinding, _ b: AuditFinding) -> Bool {
    if a.severity != b.severity { return a.severity < b.severity }
    let unitA = a.units.first ?? ""
    let unitB = b.units.first ?? ""
    if unitA != unitB { return unitA.utf8.lexicographicallyPrecedes(unitB.utf8) }
    // Findings naming entries first, by entry; at one entry the likely
    // cause (the entry itself) before its consequences.
    let seqA = a.seqs.first ?? .max
    let seqB = b.seqs.first ?? .max
    if seqA != seqB { return seqA < seqB }
    let rankA = causeOrder.firstIndex(of: a.code) ?? causeOrder.count
    let rankB = causeOrder.firstIndex(of: b.code) ?? causeOrder.count
    if rankA != rankB { return rankA < rankB }
    if a.code != b.code { return a.code.utf8.lexicographicallyPrecedes(b.code.utf8) }
    return a.message.utf8.lexicographicallyPrecedes(b.message.utf8)
  }
}
