import Foundation

extension Ledger {
  /// Asks for an opening balance of `fund`'s bank or cash account as of
  /// `asOf`; the returned entry's seq is the request id for `disburse
  /// approve` and `disburse pay`.
  @discardableResult
  public func requestOpening(
    unit: String, fund: String?, account: Account, amount: Money, asOf: AccountingDate,
    note: String?, signer: SigningKey
  ) throws(AlmonerError) -> AppendedEntry {
    guard AssetAccountKey.reconcilable.contains(account) else {
      throw .refused(.openingAccountInvalid)
    }
    let note = try note.map { text throws(AlmonerError) in try Text.input(text, field: "--note") }
    let appended = try commit(signer: signer) { state throws(AlmonerError) in
      let unit = try state.resolveUnit(unit, field: "--unit")
      let fund = try state.resolveFund(fund, of: unit)
      return [
        EntryDraft(
          date: asOf,
          body: .openingRequest(
            OpeningRequestBody(
              account: account, amountFen: amount.fen, fund: fund.code, note: note,
              unit: unit.code)))
      ]
    }
    return appended[0]
  }
}
