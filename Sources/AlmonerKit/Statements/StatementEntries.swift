import AlmonerStore
import Foundation
import GRDB

extension Ledger {
  /// Feeds `calculator` the entries among the first `size` that can bear on
  /// a statement of `scope` up to `period`'s end, in seq order: every entry
  /// but the donations of other units and those dated after the period
  /// (none of which has an effect on the statement; see `EntryRangeQuery`).
  /// Other entries are read whatever their date: a payment counts on its
  /// opening request's date, grants prove the signers' roles.
  /// A reversal of a gift left out has the gift read on its own, so the
  /// calculator knows it as if it had read the whole log, and the numbers,
  /// lines and bytes come out the same.
  ///
  /// Throws when an entry is missing below `size` or refers to one that
  /// does not exist.
  func feedStatementEntries(
    _ calculator: inout StatementCalculator, scope: Set<String>, period: StatementPeriod,
    size: Int64
  ) throws(AlmonerError) {
    try read { db in
      try LedgerStore.withStreamingCache(db) { try feed(&calculator, scope, period, size, db) }
    }
  }

  private func feed(
    _ calculator: inout StatementCalculator, _ scope: Set<String>, _ period: StatementPeriod,
    _ size: Int64, _ db: Database
  ) throws {
    let query = EntryRangeQuery(
      donationUnits: scope.sorted(), others: true, to: period.to, datesBoundOthers: false,
      lastSeq: size - 1)
    let rows = try query.rows(db)
    while let row = try rows.next() {
      let entry = try row.withUnsafeData(atIndex: 2) { data in
        try (data ?? Data()).withUnsafeBytes { bytes in try Entry(canonical: bytes) }
      }
      if case .reversal(let body) = entry.body, body.seq < entry.seq,
        calculator.catalogue.donations[body.seq] == nil,
        let bytes = try LedgerStore.canonicalBytes(db, seq: body.seq)
      {
        let gift = try Entry(canonical: bytes)
        if gift.seq == body.seq, case .donation = gift.body { calculator.catalogue.note(gift) }
      }
      do throws(StatementCalculator.Missing) { try calculator.add(entry) } catch {
        throw AlmonerError.refused(
          .statementEntryReferenceMissing(seq: error.seq, needed: error.needed, what: error.what))
      }
    }
    guard try LedgerStore.entryCount(db, below: size) == size else {
      throw AlmonerError.refused(.ledgerShorterThanCheckpoint(size: size))
    }
  }
}
