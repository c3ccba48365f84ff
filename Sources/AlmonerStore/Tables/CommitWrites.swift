import Foundation
import GRDB

/// The rows a commit writes beside the projections: the commit, its
/// entries and their donors' private records. The commit row goes in before
/// its entries, with its signature filled in once the last entry's hash is
/// known: inserted after them, it would make SQLite look for its (deferred)
/// child rows by scanning the whole, unindexed `entry.commit_seq` column,
/// once per commit.
package struct CommitWriter {
  private let db: Database
  private let firstSeq: Int64
  private let insertEntry: GRDB.Statement
  private let insertDonor: GRDB.Statement

  /// Inserts the commit of entries `firstSeq...lastSeq` by `author`, unsigned.
  package init(_ db: Database, firstSeq: Int64, lastSeq: Int64, author: String) throws {
    try db.execute(
      sql: """
        INSERT INTO ledger_commit (first_seq, last_seq, author, signature)
        VALUES (?, ?, ?, zeroblob(64))
        """,
      arguments: [firstSeq, lastSeq, author])
    self.db = db
    self.firstSeq = firstSeq
    insertEntry = try db.cachedStatement(
      sql: "INSERT INTO entry (seq, hash, canonical, commit_seq) VALUES (?, ?, ?, ?)")
    insertDonor = try db.cachedStatement(
      sql: "INSERT INTO donor_private (seq, salt, personal) VALUES (?, ?, ?)")
  }

  package func insert(seq: Int64, hash: Hash32, canonical: [UInt8]) throws {
    try insertEntry.execute(arguments: [
      seq, hash.withUnsafeBytes { Data($0) }, Data(canonical), firstSeq,
    ])
  }

  package func insert(_ donor: DonorPrivate, seq: Int64) throws {
    try insertDonor.execute(arguments: [seq, Data(donor.salt), Data(donor.personal)])
  }

  /// The ledger's identity, written with its genesis entry.
  package func insertIdentity(ledgerID: Hash32, origin: String, timeZone: String) throws {
    for (key, value) in [("ledger_id", ledgerID.hex), ("origin", origin), ("time_zone", timeZone)] {
      try db.execute(
        sql: "INSERT INTO ledger_meta (key, value) VALUES (?, ?)", arguments: [key, value])
    }
  }

  /// The commit's signature over its last entry's hash.
  package func sign(_ signature: [UInt8]) throws {
    try db.execute(
      sql: "UPDATE ledger_commit SET signature = ? WHERE first_seq = ?",
      arguments: [Data(signature), firstSeq])
  }
}
