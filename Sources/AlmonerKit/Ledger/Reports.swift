import AlmonerStore
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
  /// Allocations sent to the unit and not yet confirmed (as of `asOf`).
  public var incoming: [IncomingAllocation] = []
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
  /// The signer's name (their key id when the key is unknown).
  public var signer = ""
  /// Seq of the reversal that reversed this entry.
  public var reversedBy: Int64? = nil
  /// Seq of the entry this reversal reverses.
  public var reverses: Int64? = nil
}

extension Ledger {
  /// Balances of `unit` (default: the district) as of the end of `asOf`.
  public func balances(unit: String?, asOf: AccountingDate?) throws(AlmonerError)
    -> BalanceReport
  {
    let state = try state()
    guard let district = state.district else { throw .refused(.ledgerWithoutDistrict) }
    let target =
      try unit.map { text throws(AlmonerError) in
        try state.resolveUnit(text, field: "--unit")
      } ?? district
    let rows = try read { db in try LedgerStore.balanceSums(db, asOf: asOf) }
    let subtree = state.subtree(of: target.code)
    var own: [BalanceKey: Int64] = [:]
    var rolled: [BalanceKey: Int64] = [:]
    for (key, amount) in rows {
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
    let today = try clock.today(in: state.timeZone.isEmpty ? "Asia/Shanghai" : state.timeZone)
    return BalanceReport(
      unit: target, asOf: asOf, own: lines(own),
      subtree: target.tier == .community ? nil : lines(rolled), subtreeUnitCounts: counts,
      incoming: try incomingAllocations(to: target.code, asOf: asOf ?? today, state: state))
  }

  /// The journal: entries in order, optionally only those concerning `unit`
  /// (or its subtree) with an accounting date in `from...to`.
  public func journal(unit: String?, from: AccountingDate?, to: AccountingDate?)
    throws(AlmonerError) -> [JournalLine]
  {
    var lines: [JournalLine] = []
    try journal(JournalFilter(unit: unit, from: from, to: to)) { lines.append($0) }
    return lines
  }

  func describe(_ entry: Entry, state: LedgerState, db: Database) throws
    -> (units: [String], amountFen: Int64?, summary: String)
  {
    func unitName(_ code: String) -> String { state.unitText(code) }
    func fundName(_ unit: String, _ code: String) -> String {
      state.funds[.init(unit: unit, code: code)]?.name ?? code
    }
    func original(_ seq: Int64) throws -> Entry? {
      try LedgerStore.canonicalBytes(db, seq: seq).map { try Entry(canonical: $0) }
    }
    switch entry.body {
    case .genesis(let body):
      let code = body.district.code
      return ([code], nil, "建账：\(body.district.name)（\(code)）")
    case .unitAdd(let body):
      return (
        [body.code, body.parent], nil,
        "新增\(body.tier.displayName)：\(body.name)（\(body.code)），上级 \(unitName(body.parent))"
      )
    case .memberGrant(let body):
      return (
        [body.unit], nil,
        "授予 \(body.name) \(unitName(body.unit))\(body.role.displayName)（\(body.keyID)）"
      )
    case .memberRevoke(let body):
      let key = body.keyID
      let units = state.grants.filter { $0.keyID == key }.map(\.unit)
      let reason = body.reason.map { "：\($0)" } ?? ""
      return (units, nil, "撤销 \(state.keys[key]?.name ?? key)（\(key)）\(reason)")
    case .memberRotate(let body):
      let key = body.keyID
      let units = state.grants.filter { $0.keyID == key }.map(\.unit)
      let compromised = body.compromised ? "（旧密钥疑已泄露，其未付款的批准作废）" : ""
      let reason = body.reason.map { "：\($0)" } ?? ""
      return (
        units, nil,
        "更换 \(state.keys[key]?.name ?? key) 的密钥：\(key) → \(body.newKeyID)\(compromised)\(reason)"
      )
    case .fundOpen(let body):
      let kind = body.restricted ? "定向基金" : "基金"
      let purpose = body.purpose.map { "，用途：\($0)" } ?? ""
      return ([body.unit], nil, "\(unitName(body.unit))设立\(kind)「\(body.name)」\(purpose)")
    case .donation(let body):
      let fund = body.fund == Fund.generalCode ? "" : "，\(fundName(body.unit, body.fund))"
      return (
        [body.unit], body.amountFen,
        "\(body.donor.display) 捐赠给\(unitName(body.unit))（\(body.channel.displayName)\(fund)）"
      )
    case .allocationSend(let body):
      return (
        [body.from, body.to], body.amountFen,
        "\(unitName(body.from)) → \(unitName(body.to))，划拨 \(entry.seq)（\(fundName(body.from, body.fund))）"
      )
    case .allocationConfirm(let body), .allocationVoid(let body):
      let id = body.allocation
      guard let allocation = state.allocations[id] else { return ([], nil, "划拨 \(id)") }
      let verb = entry.kind == .allocationConfirm ? "确认收到" : "撤回"
      return (
        [allocation.from, allocation.to], allocation.amountFen,
        "\(verb)划拨 \(id)：\(unitName(allocation.from)) → \(unitName(allocation.to))"
      )
    case .reversal(let body):
      let target = body.seq
      guard case .donation(let donation)? = try original(target)?.body else {
        return ([""], nil, "冲销记录 #\(target) 记录：\(body.reason)")
      }
      return ([donation.unit], -donation.amountFen, "冲销记录 #\(target) 记录：\(body.reason)")
    case .checkpoint(let body):
      let district = state.district?.code ?? ""
      return (
        [district], nil, "签发检查点：前 \(body.size) 条记录的默克尔根 \(body.root.hex.prefix(16))…"
      )
    case .checkpointCosign(let body):
      let name = state.keys[entry.author]?.name ?? entry.author
      return ([state.district?.code ?? ""], nil, "\(name) 联署记录 #\(body.checkpoint) 的检查点")
    case .policySet, .disbursementRequest, .disbursementApprove, .disbursementReject,
      .disbursementPay, .disbursementCancel, .fundRelease, .reconciliation, .openingRequest:
      return state.describeSupervision(entry)
    case .erasure(let body):
      let target = body.seq
      let original = try original(target)
      let unit = original?.personalDataCommitment?.unit ?? ""
      let kind = original.map { "（\($0.kind.displayName)）" } ?? ""
      let reason = (body.reason ?? .request).displayName
      return ([unit], nil, "删除记录 #\(target)\(kind)的个人信息：\(reason)")
    case .statementPublish(let body):
      return ([body.unit], nil, StatementPublication.summary(body, state: state))
    case .audit(let body):
      return ([body.unit], nil, state.auditSummary(body, author: entry.author))
    case .auditNote(let body):
      let unit: String
      if case .audit(let audit)? = try original(body.audit)?.body {
        unit = audit.unit
      } else {
        unit = ""
      }
      let name = state.keys[entry.author]?.name ?? entry.author
      return ([unit], nil, "\(name) 就记录 #\(body.audit) 的审计作出说明：\(body.text)")
    }
  }
}
