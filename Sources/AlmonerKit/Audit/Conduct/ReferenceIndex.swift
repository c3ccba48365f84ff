import AlmonerStore

/// Where `duplicate-reference` finds the external references held by more
/// than one donation, so that the audit need not remember every reference
/// it reads (at a million donations that memory was most of the audit's).
///
/// Only references written in ASCII (order and serial numbers as payment
/// systems print them) are looked up here; any other is compared after
/// NFKC in memory, as before, and looked up here by its normalised form.
protocol ReferenceIndex {
  /// Each ASCII reference held by two or more donations, with their seqs.
  func repeatedReferences() throws -> [(ref: String, seqs: [Int64])]
  /// The donations holding exactly `ref`.
  func donations(holding ref: String) throws -> [Int64]
  /// The unit and date of the donation at `seq`.
  func donation(at seq: Int64) throws -> (unit: String, date: AccountingDate)?
}

/// The ledger's `donation_ref` table, read through its index on `ref`. The
/// audit's integrity pass compares that table with the log row by row, so a
/// table edited to hide a duplicate is reported there.
struct LedgerReferenceIndex: ReferenceIndex {
  let ledger: Ledger

  func repeatedReferences() throws -> [(ref: String, seqs: [Int64])] {
    try ledger.read { db in try DonationReferences.repeated(db) }
  }

  func donations(holding ref: String) throws -> [Int64] {
    try ledger.read { db in try DonationReferences.seqs(holding: ref, db) }
  }

  func donation(at seq: Int64) throws -> (unit: String, date: AccountingDate)? {
    guard let logged = try ledger.loggedEntry(at: seq),
      case .donation(let body) = logged.entry.body
    else { return nil }
    return (body.unit, logged.entry.date)
  }
}
