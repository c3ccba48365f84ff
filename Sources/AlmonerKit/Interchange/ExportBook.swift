import AlmonerStore
import Foundation
import GRDB

/// The books as an accountant's tool reads them: one transaction per entry
/// that moves money, with the postings the ledger's own rules made for it
/// (replayed from the log, so an export says exactly what the log says),
/// limited to a unit's subtree and a period. Earlier movements of a period
/// are carried in one opening transaction.
public struct ExportBook: Sendable {
  public var ledgerID: Hash32
  public var origin: String
  /// The unit whose subtree is exported; nil for the whole ledger.
  public var unit: Unit?
  public var from: AccountingDate?
  public var to: AccountingDate?
  /// The opening transaction (dated `from`) first, when there is one, then
  /// the period's transactions in log order.
  public var transactions: [ExportTransaction]
  /// Units and funds by code, for names in narration and account comments.
  public var units: [String: Unit]
  public var funds: [LedgerState.FundKey: Fund]

  /// `广安区（GA）`.
  public func unitText(_ code: String) -> String {
    units[code].map { "\($0.name)（\(code)）" } ?? code
  }

  /// The fund's name (`非定向基金`, `老龄食堂`).
  public func fundName(unit: String, fund: String) -> String {
    funds[LedgerState.FundKey(unit: unit, code: fund)]?.name ?? fund
  }

  /// `广安区（GA）·老龄食堂·银行存款`: an exported account as a treasurer reads it.
  public func accountText(_ key: BalanceKey) -> String {
    let account =
      key.account == ExportBook.openingBalances ? "期初余额结转" : key.account.displayName
    return "\(unitText(key.unit))·\(fundName(unit: key.unit, fund: key.fund))·\(account)"
  }

  /// Every account the transactions post to, with the first date it is used:
  /// beancount wants each opened on or before that date.
  public var accountsOpened: [(key: BalanceKey, date: AccountingDate)] {
    var first: [BalanceKey: AccountingDate] = [:]
    for transaction in transactions {
      for posting in transaction.postings {
        let key = BalanceKey(unit: posting.unit, fund: posting.fund, account: posting.account)
        if let known = first[key], known <= transaction.date { continue }
        first[key] = transaction.date
      }
    }
    return first.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// The equity account an opening transaction carries earlier income,
  /// spending and releases to (期初余额结转). Not an account of the
  /// ledger's chart: it exists only in exports.
  public static let openingBalances = Account("net-assets:opening-balances")
}

/// One transaction of an export: an entry that moved money, or the opening
/// balances of a period.
public struct ExportTransaction: Sendable {
  /// The entry's seq and hash; nil for the opening transaction.
  public var seq: Int64?
  public var hash: Hash32?
  /// The entry's kind (`donation`, `allocation.send`…); nil for the opening.
  public var kind: EntryKind?
  public var date: AccountingDate
  /// Who was on the other side, as the public log shows them: a donor's or
  /// payee's masked display, or the other unit of an allocation.
  public var counterparty: String?
  /// The donation channel or spending category, in Chinese (`微信`, `助老`).
  public var detail: String?
  /// The donation's external reference (bank or order number).
  public var ref: String?
  /// What the entry did, in Chinese (the journal's summary).
  public var summary: String
  /// The seq of the donation this entry reverses, or of the reversal that
  /// reversed this donation.
  public var reverses: Int64?
  public var reversedBy: Int64?
  /// The allocation (seq of its `allocation.send`) this entry sends or settles.
  public var allocation: Int64?
  /// Balanced per unit and fund; only units inside the export's scope.
  public var postings: [Posting]
}

extension Ledger {
  /// The books of `unit`'s subtree (default: the whole ledger) with entries
  /// dated in `from...to`, for `almoner export`. The postings come from
  /// replaying the log with the ledger's own rules; should they not add up
  /// to the stored balances, the file was changed outside almoner and the
  /// export is refused.
  public func exportBook(unit: String?, from: AccountingDate?, to: AccountingDate?)
    throws(AlmonerError) -> ExportBook
  {
    if let from, let to, to < from {
      throw .refused(.periodReversed(from: from.description, to: to.description))
    }
    let stored = try state()
    guard let ledgerID = stored.ledgerID else { throw .refused(.ledgerWithoutGenesis) }
    let scopeUnit = try unit.map { text throws(AlmonerError) in
      try stored.resolveUnit(text, field: "--unit")
    }
    let scope = scopeUnit.map { stored.subtree(of: $0.code) }
    var transactions: [ExportTransaction] = []
    var earlier: [BalanceKey: Int64] = [:]
    var replayed = LedgerState()
    try read { db in
      let lookup = LogContext(db: db, tree: MerkleAppender())
      let rows = try LedgerStore.storedEntries(db)
      var expectedSeq: Int64 = 0
      while let row = try rows.next() {
        let seq = row.seq
        let entry = try Entry(canonical: row.canonical)
        let hash = row.hash
        guard seq == expectedSeq, entry.seq == seq else {
          throw AlmonerError.refused(.exportEntryMissing(seq: expectedSeq))
        }
        expectedSeq += 1
        var changes = ProjectionChanges()
        do throws(AlmonerError) {
          try replayed.apply(entry, hash: hash, lookup: lookup, changes: &changes)
        } catch {
          throw AlmonerError.refused(.exportEntryBroken(seq: seq, detail: error.message))
        }
        _ = lookup.appendLeaf(hash)
        if let to, entry.date > to { continue }
        let postings = changes.postings.map(\.posting).filter { scope?.contains($0.unit) ?? true }
        guard !postings.isEmpty else { continue }
        if let from, entry.date < from {
          for posting in postings {
            let key = BalanceKey(unit: posting.unit, fund: posting.fund, account: posting.account)
            earlier[key, default: 0] += posting.amountFen
          }
          continue
        }
        transactions.append(
          try exportTransaction(
            entry, hash: hash, postings: postings, state: stored, db: db))
      }
    }
    guard replayed.balances == stored.balances else {
      throw .refused(.exportBalancesDiffer)
    }
    if let from, let opening = ExportBook.opening(earlier, on: from) {
      transactions.insert(opening, at: 0)
    }
    return ExportBook(
      ledgerID: ledgerID, origin: stored.origin, unit: scopeUnit, from: from, to: to,
      transactions: transactions, units: stored.units, funds: stored.funds)
  }

  private func exportTransaction(
    _ entry: Entry, hash: Hash32, postings: [Posting], state: LedgerState, db: Database
  ) throws -> ExportTransaction {
    let summary = try describe(entry, state: state, db: db).summary
    var transaction = ExportTransaction(
      seq: entry.seq, hash: hash, kind: entry.kind, date: entry.date, summary: summary,
      postings: postings)
    switch entry.body {
    case .donation(let donation):
      transaction.counterparty = donation.donor.display
      transaction.detail = donation.channel.displayName
      transaction.ref = donation.ref
      transaction.reversedBy = state.reversals[entry.seq]
    case .reversal(let reversal):
      transaction.reverses = reversal.seq
      if let bytes = try LedgerStore.canonicalBytes(db, seq: reversal.seq),
        case .donation(let donation) = try Entry(canonical: bytes).body
      {
        transaction.counterparty = donation.donor.display
        transaction.detail = donation.channel.displayName
        transaction.ref = donation.ref
      }
    case .allocationSend(let body):
      transaction.allocation = entry.seq
      transaction.counterparty = "\(state.unitText(body.from)) → \(state.unitText(body.to))"
    case .allocationConfirm(let body), .allocationVoid(let body):
      transaction.allocation = body.allocation
      if let allocation = state.allocations[body.allocation] {
        transaction.counterparty =
          "\(state.unitText(allocation.from)) → \(state.unitText(allocation.to))"
      }
    case .disbursementPay(let body):
      if let request = state.supervision.disbursements[body.request] {
        transaction.counterparty = request.payee
        transaction.detail = request.category?.displayName ?? request.kind.displayName
      }
    default:
      break
    }
    return transaction
  }
}

extension ExportBook {
  /// The opening transaction of a period: each asset and liability balance
  /// of `earlier`, and per unit and fund the rest (earlier income, spending
  /// and releases) carried to `openingBalances`, so the period's income and
  /// spending start from zero as an accountant expects. Nil when nothing
  /// happened before.
  static func opening(_ earlier: [BalanceKey: Int64], on date: AccountingDate)
    -> ExportTransaction?
  {
    var postings: [Posting] = []
    var carried: [LedgerState.FundKey: Int64] = [:]
    for (key, amount) in earlier.sorted(by: { $0.key < $1.key }) where amount != 0 {
      let fund = LedgerState.FundKey(unit: key.unit, code: key.fund)
      if key.account.category == .assets || key.account.category == .liabilities {
        postings.append(
          Posting(unit: key.unit, fund: key.fund, account: key.account, amountFen: amount))
        carried[fund, default: 0] -= amount
      }
    }
    for (fund, amount) in carried.sorted(by: { $0.key < $1.key }) where amount != 0 {
      postings.append(
        Posting(unit: fund.unit, fund: fund.code, account: openingBalances, amountFen: amount))
    }
    guard !postings.isEmpty else { return nil }
    return ExportTransaction(
      seq: nil, hash: nil, kind: nil, date: date,
      summary: "期初余额：\(date) 之前的收支结转（资产按余额列示，收入、支出和定向资金释放转入期初余额结转）",
      postings: postings)
  }
}
