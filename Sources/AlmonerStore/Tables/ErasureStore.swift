import Foundation
import GRDB

extension LedgerStore {
  static func loadErasures(_ db: Database) throws -> [Int64: Int64] {
    var erasures: [Int64: Int64] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT erased_seq, erasure_seq FROM erasure") {
      erasures[row[0]] = row[1]
    }
    return erasures
  }

  /// Records each erasure and deletes the personal data it names, in the
  /// commit's transaction: the entry and the deletion land together.
  ///
  /// The row deleted must be the entry's own: one that does not open the
  /// entry's commitment (rows swapped or replaced outside almoner) would
  /// delete someone else's data and keep the person's, so the erasure is
  /// refused. A row already missing is not (see `verify ledger`).
  static func writeErasures(_ erasures: [(erased: Int64, by: Int64)], _ db: Database) throws {
    precondition(erasures.isEmpty || db.isInsideTransaction)
    for (erased, by) in erasures {
      if let row = try Row.fetchOne(
        db, sql: "SELECT salt, personal FROM donor_private WHERE seq = ?", arguments: [erased]),
        let bytes = try canonicalBytes(db, seq: erased)
      {
        let entry = try Entry(canonical: bytes)
        let stored = DonorPrivate(salt: [UInt8](row[0] as Data), personal: [UInt8](row[1] as Data))
        let claimed = entry.personalDataCommitment?.commitment
        guard let claimed, stored.commitment.constantTimeEquals(claimed) else {
          throw AlmonerError.refused(.erasureCommitmentMismatch(seq: erased))
        }
      }
      try db.execute(
        sql: "INSERT INTO erasure (erased_seq, erasure_seq) VALUES (?, ?)", arguments: [erased, by])
      try db.execute(sql: "DELETE FROM donor_private WHERE seq = ?", arguments: [erased])
    }
  }
}
