/// Opening balances (期初余额): money a unit already holds — in the bank or in
/// cash, from before the ledger — moved in without its history. Anyone could
/// otherwise create money by declaring it, so an opening goes the way of a
/// disbursement of the same amount: an `opening.request` by the unit's
/// treasurer, approvals under the policy in force (`disburse approve`, the
/// same tiers and the same separation of duties), then `disburse pay`, which
/// books it on the request's date: the asset account up, and the fund's
/// `net-assets:opening` (期初余额转入) — its own line in balances and
/// statements, never a donation.
extension Account {
  /// Net assets brought in by an opening balance.
  public static let openingBalance = Account("net-assets:opening")
}

extension LedgerState {
  mutating func applyOpeningRequest(
    _ entry: Entry, _ body: OpeningRequestBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let unit = try requireUnit(body.unit)
    let fund = try requireFund(body.fund, of: unit.code)
    try body.validate()
    try requireRole([.treasurer], on: unit.code, entry)
    openRequest(
      Disbursement(
        id: entry.seq, kind: .opening, unit: unit.code, fund: fund.code,
        amountFen: body.amountFen, category: nil,
        purpose: body.note ?? "期初余额（\(body.account.displayName)）", payee: nil,
        payeeIsPerson: false, requester: entry.author, date: entry.date, policySeq: nil,
        required: [:], approvals: [], status: .pending, approvedSeq: nil, settledSeq: nil,
        reason: nil, attachments: [], account: body.account),
      unitTier: unit.tier, &changes)
  }

  /// The postings of a paid opening request: dated the request's date.
  func openingPostings(_ request: Disbursement) -> [Posting] {
    let account = request.account ?? .bank
    return [
      Posting(
        unit: request.unit, fund: request.fund, account: account, amountFen: request.amountFen),
      Posting(
        unit: request.unit, fund: request.fund, account: .openingBalance,
        amountFen: -request.amountFen),
    ]
  }
}
