import AlmonerStore
import Foundation

/// One account of one fund over a period, in the account's natural sign.
public struct PeriodLine: Sendable, Equatable {
  public var fundCode: String
  public var fundName: String
  public var account: Account
  /// At the end of the day before the period.
  public var openingFen: Int64
  /// Net movement within the period.
  public var movementFen: Int64
  /// At the end of the period's last day.
  public var closingFen: Int64
}

/// The lines of one part of the chart (assets, income, expenses, other),
/// with their totals.
public struct PeriodSection: Sendable {
  public enum Part: String, Sendable, CaseIterable {
    case assets, income, expenses, other

    public var displayName: String {
      switch self {
      case .assets: "资产"
      case .income: "收入"
      case .expenses: "支出"
      case .other: "净资产与负债"
      }
    }

    static func of(_ account: Account) -> Part {
      switch account.category {
      case .assets: .assets
      case .income: .income
      case .expenses: .expenses
      case .netAssets, .liabilities: .other
      }
    }
  }

  public var part: Part
  public var lines: [PeriodLine]
  public var openingFen: Int64 { lines.reduce(0) { $0 + $1.openingFen } }
  public var movementFen: Int64 { lines.reduce(0) { $0 + $1.movementFen } }
  public var closingFen: Int64 { lines.reduce(0) { $0 + $1.closingFen } }
}

/// An allocation sent to a unit and not yet confirmed (as of a date): money
/// coming to it.
public struct IncomingAllocation: Sendable {
  public var allocation: Allocation
  /// The sending unit as `name（code）`, and the fund's name there.
  public var fromText: String
  public var fundName: String
  /// Days since it was sent, to the report's date.
  public var ageDays: Int64
}

/// `balance --from/--to`: a unit's books over a period — opening, movements,
/// closing — in separate sections for assets, income and expenses.
public struct PeriodReport: Sendable {
  public var unit: Unit
  /// Nil: from the first entry (every opening is zero).
  public var from: AccountingDate?
  public var to: AccountingDate
  public var own: [PeriodSection]
  /// The subtree rolled up; nil for a community.
  public var subtree: [PeriodSection]?
  public var incoming: [IncomingAllocation]
}

extension Ledger {
  /// The period `from...to` (both inclusive; `to` defaults to today) of
  /// `unit` (default: the district).
  public func periodBalances(unit: String?, from: AccountingDate?, to: AccountingDate?)
    throws(AlmonerError) -> PeriodReport
  {
    let state = try state()
    guard let district = state.district else { throw .refused(.ledgerWithoutDistrict) }
    let target =
      try unit.map { text throws(AlmonerError) in
        try state.resolveUnit(text, field: "--unit")
      } ?? district
    let today = try clock.today(in: state.timeZone.isEmpty ? "Asia/Shanghai" : state.timeZone)
    let end = to ?? today
    if let from, from > end {
      throw .refused(.periodReversed(from: from.description, to: end.description))
    }
    let subtree = state.subtree(of: target.code)
    let rows = try read { db in try LedgerStore.periodSums(db, from: from, to: end) }
    var own: [BalanceKey: (Int64, Int64)] = [:]
    var rolled: [BalanceKey: (Int64, Int64)] = [:]
    for (key, opening, movement) in rows {
      guard subtree.contains(key.unit) else { continue }
      func add(_ sums: inout [BalanceKey: (Int64, Int64)], _ key: BalanceKey) {
        let current = sums[key] ?? (0, 0)
        sums[key] = (current.0 + opening, current.1 + movement)
      }
      if key.unit == target.code { add(&own, key) }
      add(&rolled, BalanceKey(unit: target.code, fund: key.fund, account: key.account))
    }
    func sections(_ sums: [BalanceKey: (Int64, Int64)]) -> [PeriodSection] {
      let lines = sums.filter { $0.value.0 != 0 || $0.value.1 != 0 }.sorted { $0.key < $1.key }
        .map { key, value in
          let sign: Int64 = key.account.isCreditNormal ? -1 : 1
          let name =
            state.funds[.init(unit: target.code, code: key.fund)]?.name
            ?? state.funds.values.first { $0.code == key.fund }?.name ?? key.fund
          return PeriodLine(
            fundCode: key.fund, fundName: name, account: key.account,
            openingFen: sign * value.0, movementFen: sign * value.1,
            closingFen: sign * (value.0 + value.1))
        }
      return PeriodSection.Part.allCases.compactMap { part in
        // Income and expenses are what happened in the period: lines that
        // did not move are left out; assets show their openings too.
        let picked = lines.filter {
          PeriodSection.Part.of($0.account) == part && (part == .assets || $0.movementFen != 0)
        }
        return picked.isEmpty && part == .other ? nil : PeriodSection(part: part, lines: picked)
      }
    }
    return PeriodReport(
      unit: target, from: from, to: end, own: sections(own),
      subtree: target.tier == .community ? nil : sections(rolled),
      incoming: try incomingAllocations(to: target.code, asOf: end, state: state))
  }

  /// Allocations sent to `unit` on or before `asOf` and not confirmed or
  /// voided by then, oldest first.
  func incomingAllocations(to unit: String, asOf: AccountingDate, state: LedgerState)
    throws(AlmonerError) -> [IncomingAllocation]
  {
    let candidates = state.allocations.values.filter { $0.to == unit && $0.date <= asOf }
      .sorted { $0.id < $1.id }
    return try read { db in
      try candidates.compactMap { allocation in
        if let seq = allocation.settledSeq,
          let bytes = try LedgerStore.canonicalBytes(db, seq: seq),
          try Entry(canonical: bytes).date <= asOf
        {
          return nil
        }
        return IncomingAllocation(
          allocation: allocation, fromText: state.unitText(allocation.from),
          fundName: state.funds[.init(unit: allocation.from, code: allocation.fund)]?.name
            ?? allocation.fund,
          ageDays: max(0, asOf.daysSince1970 - allocation.date.daysSince1970))
      }
    }
  }
}

extension Rendering {
  // MARK: Balances over a period

  public static func periodText(_ report: PeriodReport) -> String {
    let unit = report.unit
    var out = "\(Text.escaped(unit.name))（\(Text.escaped(unit.code))）\(unit.tier.displayName)"
    out += " · \(report.from?.text ?? "建账起") 至 \(report.to)\n"
    out += "\n本单位\n" + sectionsText(report.own)
    if let subtree = report.subtree {
      out += "\n下辖合计（含本单位）\n" + sectionsText(subtree)
    }
    out += incomingText(report.incoming, asOf: report.to)
    return out
  }

  private static func sectionsText(_ sections: [PeriodSection]) -> String {
    var out = ""
    for section in sections {
      out += "  \(section.part.displayName)\n"
      let money = { (fen: Int64) in Money(fen: fen).groupedText }
      if section.part == .assets {
        let rows =
          [["基金", "账户", "期初", "本期变动", "期末"]]
          + section.lines.map {
            [
              $0.fundName, $0.account.displayName, money($0.openingFen), money($0.movementFen),
              money($0.closingFen),
            ]
          }
          + [
            [
              "合计", "", money(section.openingFen), money(section.movementFen),
              money(section.closingFen),
            ]
          ]
        out += Text.table(rows, rightAligned: [2, 3, 4], indent: "    ") + "\n"
      } else if section.lines.isEmpty {
        out += "    （本期无发生额）\n"
      } else {
        let rows =
          [["基金", "账户", "本期金额"]]
          + section.lines.map { [$0.fundName, $0.account.displayName, money($0.movementFen)] }
          + [["合计", "", money(section.movementFen)]]
        out += Text.table(rows, rightAligned: [2], indent: "    ") + "\n"
      }
    }
    return out
  }

  static func incomingText(_ incoming: [IncomingAllocation], asOf: AccountingDate?) -> String {
    guard !incoming.isEmpty else { return "" }
    let rows =
      [["划拨编号", "发出日期", "发出单位", "基金", "金额（元）", "天数"]]
      + incoming.map { item in
        let allocation = item.allocation
        return [
          "\(allocation.id)", allocation.date.text, item.fromText, item.fundName,
          Money(fen: allocation.amountFen).groupedText, "\(item.ageDays)",
        ]
      }
    let total = incoming.reduce(Int64(0)) { $0 + $1.allocation.amountFen }
    return "\n待确认的划入（在途，合计 \(Money(fen: total).displayText)；确认：almoner allocate confirm 编号）\n"
      + Text.table(rows, rightAligned: [0, 4, 5], indent: "  ") + "\n"
  }

  static func incomingJSON(_ incoming: [IncomingAllocation]) -> JSONValue {
    .array(
      incoming.map { item in
        .object([
          "id": .integer(item.allocation.id), "date": .string(item.allocation.date.text),
          "from": .string(item.allocation.from), "fund": .string(item.allocation.fund),
          "amountFen": .integer(item.allocation.amountFen), "ageDays": .integer(item.ageDays),
        ])
      })
  }

  public static func periodJSON(_ report: PeriodReport) -> JSONValue {
    func sections(_ sections: [PeriodSection]) -> JSONValue {
      .array(
        sections.map { section in
          .object([
            "part": .string(section.part.rawValue),
            "openingFen": .integer(section.openingFen),
            "movementFen": .integer(section.movementFen),
            "closingFen": .integer(section.closingFen),
            "lines": .array(
              section.lines.map {
                .object([
                  "fund": .string($0.fundCode), "fundName": .string($0.fundName),
                  "account": .string($0.account.name),
                  "accountName": .string($0.account.displayName),
                  "openingFen": .integer($0.openingFen), "movementFen": .integer($0.movementFen),
                  "closingFen": .integer($0.closingFen),
                ])
              }),
          ])
        })
    }
    return .object([
      "unit": .string(report.unit.code),
      "unitName": .string(report.unit.name),
      "tier": .string(report.unit.tier.rawValue),
      "from": report.from.map { .string($0.text) } ?? .null,
      "to": .string(report.to.text),
      "own": sections(report.own),
      "subtree": report.subtree.map(sections) ?? .null,
      "incoming": incomingJSON(report.incoming),
    ])
  }
}
