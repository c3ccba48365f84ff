import Foundation
import GRDB

/// The reads of `verify ledger` (`LedgerVerifier`) and of the checkpoint's
/// tail check (`TailVerifier`). Lenient on purpose: a verifier reports a
/// row edited outside almoner, naming it, so every column comes back as
/// SQLite holds it (nil for NULL) and the verifier decides what is wrong.

/// One row of `ledger_commit`, read leniently.
package struct LedgerCommitRow: Sendable {
  package var firstSeq: Int64?
  package var lastSeq: Int64?
  package var author: String?
  package var signature: [UInt8]?

  /// Reads the columns `first_seq, last_seq, author, signature`.
  init(row: Row) {
    firstSeq = row[0] as Int64?
    lastSeq = row[1] as Int64?
    author = row[2] as String?
    signature = (row[3] as Data?).map { [UInt8]($0) }
  }
}

/// One row of `entry`, read leniently.
package struct EntryRow: Sendable {
  package var seq: Int64?
  /// The stored hash's bytes (nil: NULL).
  package var hash: [UInt8]?
  /// The canonical bytes (nil: NULL).
  package var canonical: [UInt8]?
  package var commitSeq: Int64?

  /// Reads the columns `seq, hash, canonical, commit_seq`.
  init(row: Row) throws {
    seq = row[0] as Int64?
    hash = try row.withUnsafeData(atIndex: 1) { $0.map { [UInt8]($0) } }
    canonical = try row.withUnsafeData(atIndex: 2) { $0.map { [UInt8]($0) } }
    commitSeq = row[3] as Int64?
  }
}

/// One row of `merkle_node`; `hash` nil when NULL or not 32 bytes.
package struct MerkleNodeRow: Sendable {
  package var level: Int
  package var index: Int64
  package var hash: Hash32?

  /// Reads the columns `level, idx, hash`.
  init(row: Row) throws {
    level = row[0]
    index = row[1]
    hash = try row.withUnsafeData(atIndex: 2) { $0.flatMap { Hash32(bytes: $0) } }
  }
}

extension LedgerStore {
  /// Every commit, by first seq.
  package static func commitRows(_ db: Database) throws -> [LedgerCommitRow] {
    try Row.fetchAll(
      db, sql: "SELECT first_seq, last_seq, author, signature FROM ledger_commit ORDER BY first_seq"
    ).map(LedgerCommitRow.init(row:))
  }

  /// The commits whose first seq is `first` or later, by first seq.
  package static func commitRows(_ db: Database, from first: Int64) throws -> [LedgerCommitRow] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT first_seq, last_seq, author, signature FROM ledger_commit
        WHERE first_seq >= ? ORDER BY first_seq
        """, arguments: [first]
    ).map(LedgerCommitRow.init(row:))
  }

  /// The first seq of the commit that holds entry `seq` (the latest commit
  /// starting at or before it); nil when none does.
  package static func firstSeqOfCommit(_ db: Database, holding seq: Int64) throws -> Int64? {
    try Int64.fetchOne(
      db, sql: "SELECT max(first_seq) FROM ledger_commit WHERE first_seq <= ?", arguments: [seq])
  }

  /// The entries from `seq` on, in seq order, one at a time.
  package static func entryRows(_ db: Database, from seq: Int64) throws
    -> MapCursor<RowCursor, EntryRow>
  {
    try Row.fetchCursor(
      db, sql: "SELECT seq, hash, canonical, commit_seq FROM entry WHERE seq >= ? ORDER BY seq",
      arguments: [seq]
    ).map(EntryRow.init(row:))
  }

  /// How many rows `entry` holds, counted in the table itself.
  package static func entryRowCount(_ db: Database) throws -> Int64 {
    try Int64.fetchOne(db, sql: "SELECT count(*) FROM entry") ?? 0
  }

  /// True when `donor_private` holds a row (throws when it can't be read).
  package static func donorPrivateHasRows(_ db: Database) throws -> Bool {
    try Row.fetchOne(db, sql: "SELECT 1 FROM donor_private LIMIT 1") != nil
  }

  /// True when `donor_private` holds a row for entry `seq`.
  package static func donorPrivateExists(_ db: Database, seq: Int64) throws -> Bool {
    try Bool.fetchOne(
      db, sql: "SELECT EXISTS (SELECT 1 FROM donor_private WHERE seq = ?)", arguments: [seq])
      == true
  }

  /// The seqs of the `donor_private` rows with no entry, in order.
  package static func orphanDonorPrivateSeqs(_ db: Database) throws -> [Int64] {
    try Int64.fetchAll(
      db,
      sql: """
        SELECT d.seq FROM donor_private d LEFT JOIN entry e ON e.seq = d.seq
        WHERE e.seq IS NULL ORDER BY d.seq
        """)
  }

  /// Every stored Merkle node, one at a time.
  package static func merkleNodeRows(_ db: Database) throws -> MapCursor<RowCursor, MerkleNodeRow> {
    try Row.fetchCursor(db, sql: "SELECT level, idx, hash FROM merkle_node")
      .map(MerkleNodeRow.init(row:))
  }
}
