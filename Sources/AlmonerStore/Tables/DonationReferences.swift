import GRDB

/// The `donation_ref` table: each donation's external reference, indexed,
/// so a reference already recorded is found without a scan (migration 0007).
///
/// It is read only by the admission check of `donate` and `import donations`
/// (a duplicate reference is refused unless the treasurer allows it), never
/// by the rules `verify ledger` replays, so it is not part of the state seal:
/// an edited row can at worst let a duplicate in, which audit's duplicate
/// reference check reports from the log itself. `verify ledger` compares
/// the table with the donations' references, row by row in seq order.
package enum DonationReferences {
  /// The seq of a donation not reversed that carries `ref`, if there is one.
  package static func recorded(_ ref: String, _ db: Database) throws(AlmonerError) -> Int64? {
    do {
      return try Int64.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT d.seq FROM donation_ref d
            WHERE d.ref = ? AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.reversed_seq = d.seq)
            ORDER BY d.seq LIMIT 1
            """), arguments: [ref])
    } catch {
      throw StoreErrors.explain(error, path: db.description, doing: "查找流水号", unchanged: true)
    }
  }

  /// Records the reference of a donation entry being appended.
  package static func insert(seq: Int64, ref: String, _ db: Database) throws {
    try db.cachedStatement(sql: "INSERT INTO donation_ref (seq, ref) VALUES (?, ?)")
      .execute(arguments: [seq, ref])
  }
}
