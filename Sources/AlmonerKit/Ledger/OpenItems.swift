import AlmonerStore
import Foundation

/// One allocation in a list, with how long it has been (or was) in transit.
public struct AllocationLine: Sendable {
  public var allocation: Allocation
  /// The accounting date of the confirmation or void; nil while in transit.
  public var settledDate: AccountingDate?
  /// Days from the send date to today while in transit, else to the
  /// settlement date.
  public var ageDays: Int64
}

/// Allocations picked for `allocate list`, with the state that names their
/// units and funds.
public struct AllocationListing: Sendable {
  public var lines: [AllocationLine]
  public var state: LedgerState
  /// Today in the ledger's time zone: what in-transit ages count to.
  public var today: AccountingDate
}

/// One fund in `fund list`, with the money it holds.
public struct FundLine: Sendable {
  public var fund: Fund
  public var bankFen: Int64
  public var cashFen: Int64
  /// Sent to another unit and not yet confirmed or voided.
  public var inTransitFen: Int64
  /// Allocations from other units to this fund, not yet confirmed.
  public var incomingFen: Int64
  /// Approved requests not yet paid: money held back from other outflows.
  public var reservedFen: Int64

  public var heldFen: Int64 { bankFen + cashFen + inTransitFen }
}

public struct FundListing: Sendable {
  public var lines: [FundLine]
  public var state: LedgerState
}

extension Allocation.Status {
  /// Parses `in-transit`, `confirmed`, `void`/`voided` or the Chinese name.
  public static func parse(_ text: String, field: String) throws(AlmonerError) -> Self {
    let wanted = text.trimmingWhitespace()
    for status in [Self.inTransit, .confirmed, .voided]
    where status.rawValue == wanted || status.displayName == wanted {
      return status
    }
    if wanted == "void" { return .voided }
    throw .refused(
      .choiceInvalid(
        field: field, value: text, allowed: "in-transit（在途）、confirmed（已确认）或 void（已撤回）"))
  }
}

extension Ledger {
  /// Allocations concerning `unit` or its subtree (either end; default: all),
  /// optionally only those with `status`, oldest first.
  public func allocationList(status: Allocation.Status?, unit: String?) throws(AlmonerError)
    -> AllocationListing
  {
    let state = try state()
    let scope = try unit.map { text throws(AlmonerError) in
      state.subtree(of: try state.resolveUnit(text, field: "--unit").code)
    }
    let today = try clock.today(in: state.timeZone.isEmpty ? "Asia/Shanghai" : state.timeZone)
    let picked = state.allocations.values.filter { allocation in
      (scope.map { $0.contains(allocation.from) || $0.contains(allocation.to) } ?? true)
        && (status.map { allocation.status == $0 } ?? true)
    }.sorted { $0.id < $1.id }
    let lines = try read { db in
      try picked.map { allocation in
        let settled = try allocation.settledSeq.flatMap { seq in
          try LedgerStore.canonicalBytes(db, seq: seq).map { try Entry(canonical: $0).date }
        }
        let end = settled ?? today
        return AllocationLine(
          allocation: allocation, settledDate: settled,
          ageDays: max(0, end.daysSince1970 - allocation.date.daysSince1970))
      }
    }
    return AllocationListing(lines: lines, state: state, today: today)
  }

  /// The funds of `unit` and its subtree (default: all), by unit and code,
  /// with their balances now.
  public func fundList(unit: String?) throws(AlmonerError) -> FundListing {
    let state = try state()
    let scope = try unit.map { text throws(AlmonerError) in
      state.subtree(of: try state.resolveUnit(text, field: "--unit").code)
    }
    let lines = state.funds.values.filter { scope?.contains($0.unit) ?? true }
      .sorted { ($0.unit, $0.code) < ($1.unit, $1.code) }
      .map { fund in
        func held(_ account: Account) -> Int64 {
          state.balance(BalanceKey(unit: fund.unit, fund: fund.code, account: account))
        }
        let incoming = state.allocations.values.filter {
          $0.status == .inTransit && $0.to == fund.unit && $0.fund == fund.code
        }.reduce(Int64(0)) { $0 + $1.amountFen }
        let reserved = state.supervision.disbursements.values.filter {
          $0.status == .approved && $0.unit == fund.unit && $0.fund == fund.code
        }.reduce(Int64(0)) { $0 + $1.amountFen }
        return FundLine(
          fund: fund, bankFen: held(.bank), cashFen: held(.cash), inTransitFen: held(.inTransit),
          incomingFen: incoming, reservedFen: reserved)
      }
    return FundListing(lines: lines, state: state)
  }
}

extension Rendering {
  // MARK: Allocations and funds

  public static func allocationsText(_ listing: AllocationListing) -> String {
    guard !listing.lines.isEmpty else { return "（没有符合条件的划拨）\n" }
    let state = listing.state
    func fundName(_ allocation: Allocation) -> String {
      state.funds[.init(unit: allocation.from, code: allocation.fund)]?.name ?? allocation.fund
    }
    let rows =
      [["编号", "日期", "发出单位", "收款单位", "基金", "金额（元）", "状态", "天数"]]
      + listing.lines.map { line in
        let allocation = line.allocation
        let status =
          line.settledDate.map { "\(allocation.status.displayName)（\($0)）" }
          ?? allocation.status.displayName
        return [
          "\(allocation.id)", allocation.date.text, state.unitText(allocation.from),
          state.unitText(allocation.to), fundName(allocation),
          Money(fen: allocation.amountFen).groupedText, status, "\(line.ageDays)",
        ]
      }
    let transit = listing.lines.filter { $0.allocation.status == .inTransit }
    var out = Text.table(rows, rightAligned: [0, 5, 7]) + "\n"
    if !transit.isEmpty {
      let total = transit.reduce(Int64(0)) { $0 + $1.allocation.amountFen }
      let oldest = transit.map(\.ageDays).max() ?? 0
      out +=
        "在途 \(transit.count) 笔，合计 \(Money(fen: total).displayText)，最久 \(oldest) 天（截至 \(listing.today)）\n"
    }
    return out
  }

  public static func allocationsJSON(_ listing: AllocationListing) -> JSONValue {
    .array(
      listing.lines.map { line in
        let allocation = line.allocation
        return .object([
          "id": .integer(allocation.id),
          "date": .string(allocation.date.text),
          "from": .string(allocation.from),
          "fromName": .string(listing.state.units[allocation.from]?.name ?? allocation.from),
          "to": .string(allocation.to),
          "toName": .string(listing.state.units[allocation.to]?.name ?? allocation.to),
          "fund": .string(allocation.fund),
          "amountFen": .integer(allocation.amountFen),
          "status": .string(allocation.status.rawValue),
          "settledSeq": allocation.settledSeq.map { .integer($0) } ?? .null,
          "settledDate": line.settledDate.map { .string($0.text) } ?? .null,
          "ageDays": .integer(line.ageDays),
        ])
      })
  }

  public static func fundsText(_ listing: FundListing) -> String {
    guard !listing.lines.isEmpty else { return "（没有基金）\n" }
    let rows =
      [["单位", "代码", "名称", "性质", "银行存款", "库存现金", "在途划出", "待确认划入", "已批准待付"]]
      + listing.lines.map { line in
        let fund = line.fund
        let kind = fund.restricted ? "定向：\(fund.purpose ?? "")" : "非定向"
        return [
          listing.state.unitText(fund.unit), fund.code, fund.name, kind,
          Money(fen: line.bankFen).groupedText, Money(fen: line.cashFen).groupedText,
          Money(fen: line.inTransitFen).groupedText, Money(fen: line.incomingFen).groupedText,
          Money(fen: line.reservedFen).groupedText,
        ]
      }
    return Text.table(rows, rightAligned: [4, 5, 6, 7, 8]) + "\n"
  }

  public static func fundsJSON(_ listing: FundListing) -> JSONValue {
    .array(
      listing.lines.map { line in
        let fund = line.fund
        return .object([
          "unit": .string(fund.unit),
          "unitName": .string(listing.state.units[fund.unit]?.name ?? fund.unit),
          "code": .string(fund.code),
          "name": .string(fund.name),
          "restricted": .bool(fund.restricted),
          "purpose": fund.purpose.map { .string($0) } ?? .null,
          "category": fund.category.map { .string($0.rawValue) } ?? .null,
          "openedSeq": .integer(fund.openedSeq),
          "bankFen": .integer(line.bankFen),
          "cashFen": .integer(line.cashFen),
          "inTransitFen": .integer(line.inTransitFen),
          "incomingFen": .integer(line.incomingFen),
          "reservedFen": .integer(line.reservedFen),
        ])
      })
  }
}
