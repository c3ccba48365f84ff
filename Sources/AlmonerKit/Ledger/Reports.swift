import Foundation
import GRDB

/// One balance: a fund's account, in the account's natural sign (income and
/// liabilities shown positive, as a treasurer reads them).
public struct BalanceLine: Sendable, Equatable {
  public var fundCode: String
  public var fundName: String
  public var account: Account
  public var amountFen: Int64
}

/// Balances of a unit (its own funds), and for a street or the district, the
/// whole subtree rolled up by fund code.
public struct BalanceReport: Sendable {
  public var unit: Unit
  public var asOf: AccountingDate?
  public var own: [BalanceLine]
  /// nil for a community; otherwise the subtree including the unit itself.
  public var subtree: [BalanceLine]?
  /// Units in the subtree below the unit, by tier.
  public var subtreeUnitCounts: [Tier: Int]
}

/// One line of the journal.
public struct JournalLine: Sendable {
  public var seq: Int64
  public var hash: Hash32
  public var entry: Entry
  /// Units the entry concerns.
  public var units: [String]
  public var amountFen: Int64?
  /// One-line description in Chinese.
  public var summary: String
}

extension Ledger {
  /// Balances of `unit` (default: the district) as of the end of `asOf`.
  public func balances(unit: String?, asOf: AccountingDate?) throws(AlmonerError)
    -> BalanceReport
  {
    let state = try state()
    guard let district = state.district else { throw .failure("账本没有区级单位") }
    let target =
      try unit.map { text throws(AlmonerError) in
        try state.resolveUnit(text, field: "--unit")
      } ?? district
    let rows = try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT unit, fund, account, SUM(amount_fen) FROM daily_balance
          WHERE ?1 IS NULL OR date <= ?1 GROUP BY unit, fund, account
          """, arguments: [asOf?.text])
    }
    let subtree = state.subtree(of: target.code)
    var own: [BalanceKey: Int64] = [:]
    var rolled: [BalanceKey: Int64] = [:]
    for row in rows {
      let key = BalanceKey(unit: row[0], fund: row[1], account: Account(row[2]))
      let amount: Int64 = row[3]
      guard subtree.contains(key.unit) else { continue }
      if key.unit == target.code { own[key, default: 0] += amount }
      rolled[BalanceKey(unit: target.code, fund: key.fund, account: key.account), default: 0] +=
        amount
    }
    func lines(_ sums: [BalanceKey: Int64]) -> [BalanceLine] {
      sums.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { key, amount in
        let name =
          state.funds[.init(unit: target.code, code: key.fund)]?.name
          ?? state.funds.values.first { $0.code == key.fund }?.name ?? key.fund
        return BalanceLine(
          fundCode: key.fund, fundName: name, account: key.account,
          amountFen: key.account.isCreditNormal ? -amount : amount)
      }
    }
    var counts: [Tier: Int] = [:]
    for code in subtree where code != target.code {
      if let tier = state.units[code]?.tier { counts[tier, default: 0] += 1 }
    }
    return BalanceReport(
      unit: target, asOf: asOf, own: lines(own),
      subtree: target.tier == .community ? nil : lines(rolled), subtreeUnitCounts: counts)
  }

  /// The journal: entries in order, optionally only those concerning `unit`
  /// (or its subtree) with an accounting date in `from...to`.
  public func journal(unit: String?, from: AccountingDate?, to: AccountingDate?)
    throws(AlmonerError) -> [JournalLine]
  {
    let state = try state()
    let scope = try unit.map { text throws(AlmonerError) in
      state.subtree(of: try state.resolveUnit(text, field: "--unit").code)
    }
    return try read { db in
      var lines: [JournalLine] = []
      let rows = try Row.fetchCursor(db, sql: "SELECT seq, hash, canonical FROM entry ORDER BY seq")
      while let row = try rows.next() {
        let entry = try Entry(canonical: [UInt8](row[2] as Data))
        if let from, entry.date < from { continue }
        if let to, entry.date > to { continue }
        let (units, amount, summary) = try describe(entry, state: state, db: db)
        if let scope, !units.contains(where: scope.contains) { continue }
        lines.append(
          JournalLine(
            seq: row[0], hash: Hash32(bytes: row[1] as Data) ?? .zero, entry: entry, units: units,
            amountFen: amount, summary: summary))
      }
      return lines
    }
  }

  func describe(_ entry: Entry, state: LedgerState, db: Database) throws
    -> (units: [String], amountFen: Int64?, summary: String)
  {
    let body = entry.body
    func text(_ key: String) -> String { body[key]?.stringValue ?? "" }
    func unitName(_ code: String) -> String { state.unitText(code) }
    func fundName(_ unit: String, _ code: String) -> String {
      state.funds[.init(unit: unit, code: code)]?.name ?? code
    }
    switch entry.kind {
    case .genesis:
      let district = body["district"]?.objectValue
      let code = district?["code"]?.stringValue ?? ""
      return ([code], nil, "建账：\(district?["name"]?.stringValue ?? code)（\(code)）")
    case .unitAdd:
      let tier = Tier(rawValue: text("tier"))?.displayName ?? ""
      return (
        [text("code"), text("parent")], nil,
        "新增\(tier)：\(text("name"))（\(text("code"))），上级 \(unitName(text("parent")))"
      )
    case .memberGrant:
      let role = Role(rawValue: text("role"))?.displayName ?? text("role")
      return (
        [text("unit")], nil, "授予 \(text("name")) \(unitName(text("unit")))\(role)（\(text("keyId"))）"
      )
    case .memberRevoke:
      let key = text("keyId")
      let units = state.grants.filter { $0.keyID == key }.map(\.unit)
      let reason = body["reason"]?.stringValue.map { "：\($0)" } ?? ""
      return (units, nil, "撤销 \(state.keys[key]?.name ?? key)（\(key)）\(reason)")
    case .memberRotate:
      let key = text("keyId")
      let units = state.grants.filter { $0.keyID == key }.map(\.unit)
      let compromised = body["compromised"]?.boolValue == true ? "（旧密钥疑已泄露，其未付款的批准作废）" : ""
      let reason = body["reason"]?.stringValue.map { "：\($0)" } ?? ""
      return (
        units, nil,
        "更换 \(state.keys[key]?.name ?? key) 的密钥：\(key) → \(text("newKeyId"))\(compromised)\(reason)"
      )
    case .fundOpen:
      let kind = body["restricted"]?.boolValue == true ? "定向基金" : "基金"
      let purpose = body["purpose"]?.stringValue.map { "，用途：\($0)" } ?? ""
      return ([text("unit")], nil, "\(unitName(text("unit")))设立\(kind)「\(text("name"))」\(purpose)")
    case .donation:
      let donor = body["donor"]?.objectValue?["display"]?.stringValue ?? ""
      let channel = Channel(rawValue: text("channel"))?.displayName ?? text("channel")
      let fund = text("fund") == Fund.generalCode ? "" : "，\(fundName(text("unit"), text("fund")))"
      return (
        [text("unit")], body["amountFen"]?.integerValue,
        "\(donor) 捐赠给\(unitName(text("unit")))（\(channel)\(fund)）"
      )
    case .allocationSend:
      return (
        [text("from"), text("to")], body["amountFen"]?.integerValue,
        "\(unitName(text("from"))) → \(unitName(text("to")))，划拨 \(entry.seq)（\(fundName(text("from"), text("fund")))）"
      )
    case .allocationConfirm, .allocationVoid:
      let id = body["allocation"]?.integerValue ?? -1
      guard let allocation = state.allocations[id] else { return ([], nil, "划拨 \(id)") }
      let verb = entry.kind == .allocationConfirm ? "确认收到" : "撤回"
      return (
        [allocation.from, allocation.to], allocation.amountFen,
        "\(verb)划拨 \(id)：\(unitName(allocation.from)) → \(unitName(allocation.to))"
      )
    case .reversal:
      let target = body["seq"]?.integerValue ?? -1
      let original = try LedgerStore.canonicalBytes(db, seq: target).map {
        try Entry(canonical: $0)
      }
      let unit = original?.body["unit"]?.stringValue ?? ""
      let amount = original?.body["amountFen"]?.integerValue.map { -$0 }
      return ([unit], amount, "冲销第 \(target) 条记录：\(text("reason"))")
    case .checkpoint:
      let district = state.district?.code ?? ""
      let size = body["size"]?.integerValue ?? 0
      return ([district], nil, "签发检查点：前 \(size) 条记录的默克尔根 \(text("root").prefix(16))…")
    case .checkpointCosign:
      let name = state.keys[entry.author]?.name ?? entry.author
      let target = body["checkpoint"]?.integerValue ?? -1
      return ([state.district?.code ?? ""], nil, "\(name) 联署第 \(target) 条记录的检查点")
    case .policySet, .disbursementRequest, .disbursementApprove, .disbursementReject,
      .disbursementPay, .disbursementCancel, .fundRelease, .reconciliation:
      return state.describeSupervision(entry)
    case .erasure:
      let target = body["seq"]?.integerValue ?? -1
      let original = try LedgerStore.canonicalBytes(db, seq: target).map {
        try Entry(canonical: $0)
      }
      let unit = original?.body["unit"]?.stringValue ?? ""
      let kind = original.map { "（\($0.kind.displayName)）" } ?? ""
      let reason = ErasureReason(rawValue: text("reason"))?.displayName ?? "本人要求删除"
      return ([unit], nil, "删除第 \(target) 条记录\(kind)的个人信息：\(reason)")
    }
  }
}
