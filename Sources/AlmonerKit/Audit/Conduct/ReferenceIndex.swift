import AlmonerStore
import GRDB

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
    try ledger.read { db in
      var groups: [(ref: String, seqs: [Int64])] = []
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT ref, seq FROM donation_ref
          WHERE ref IN (SELECT ref FROM donation_ref GROUP BY ref HAVING count(*) > 1)
          ORDER BY ref, seq
          """)
      while let row = try rows.next() {
        guard let ref = row[0] as String?, let seq = row[1] as Int64?,
          ref.utf8.allSatisfy({ $0 < 0x80 })
        else { continue }
        if groups.last?.ref == ref {
          groups[groups.count - 1].seqs.append(seq)
        } else {
          groups.append((ref, [seq]))
        }
      }
      return groups
    }
  }

  func donations(holding ref: String) throws -> [Int64] {
    try ledger.read { db in
      try Int64.fetchAll(
        db, sql: "SELECT seq FROM donation_ref WHERE ref = ? ORDER BY seq", arguments: [ref])
    }
  }

  func donation(at seq: Int64) throws -> (unit: String, date: AccountingDate)? {
    guard let logged = try ledger.loggedEntry(at: seq),
      case .donation(let body) = logged.entry.body
    else { return nil }
    return (body.unit, logged.entry.date)
  }
}
