import Foundation
import GRDB

/// One row of the `entry` table, read strictly: a seq, a hash of 32 bytes
/// and canonical bytes, or a typed refusal naming the entry. The table is
/// STRICT and NOT NULL, so only a file edited outside almoner (a hash
/// shortened with the CHECK constraints off, a schema rewritten) is refused;
/// a default would let a report print what the log does not say.
package struct StoredEntry: Sendable {
  package var seq: Int64
  package var hash: Hash32
  package var canonical: [UInt8]

  /// Reads the columns `seq, hash, canonical`, in that order.
  init(row: Row) throws {
    guard let seq = row[0] as Int64? else {
      throw AlmonerError.refused(.entryRowMalformed(seq: nil, column: "seq"))
    }
    guard let hashBytes = row[1] as Data? else {
      throw AlmonerError.refused(.entryRowMalformed(seq: seq, column: "hash"))
    }
    guard let hash = Hash32(bytes: hashBytes) else {
      throw AlmonerError.refused(.storedHashMalformed(seq: seq))
    }
    guard let canonical = row[2] as Data? else {
      throw AlmonerError.refused(.entryRowMalformed(seq: seq, column: "canonical"))
    }
    self.seq = seq
    self.hash = hash
    self.canonical = [UInt8](canonical)
  }
}

extension LedgerStore {
  /// The entry at `seq`, read strictly; nil when there is none.
  package static func storedEntry(_ db: Database, seq: Int64) throws -> StoredEntry? {
    try Row.fetchOne(
      db, sql: "SELECT seq, hash, canonical FROM entry WHERE seq = ?", arguments: [seq]
    ).map(StoredEntry.init(row:))
  }

  /// Every entry in seq order, read strictly, one at a time.
  package static func storedEntries(_ db: Database) throws -> MapCursor<RowCursor, StoredEntry> {
    try Row.fetchCursor(db, sql: "SELECT seq, hash, canonical FROM entry ORDER BY seq")
      .map(StoredEntry.init(row:))
  }

  /// `canonicalBytes` through the connection's cached statement, for a
  /// caller that reads many entries one by one.
  package static func cachedCanonicalBytes(_ db: Database, seq: Int64) throws -> [UInt8]? {
    let statement = try db.cachedStatement(sql: "SELECT canonical FROM entry WHERE seq = ?")
    return try Data.fetchOne(statement, arguments: [seq]).map { [UInt8]($0) }
  }

  /// The leaf hashes of the entries with seq below `size`, in seq order.
  package static func leafHashes(_ db: Database, below size: Int64) throws -> EntryLeafCursor {
    EntryLeafCursor(
      try Row.fetchCursor(
        db, sql: "SELECT hash FROM entry WHERE seq < ? ORDER BY seq", arguments: [size]),
      withBytes: false)
  }

  /// The leaf hashes and canonical bytes of the entries with seq below
  /// `size`, in seq order.
  package static func leaves(_ db: Database, below size: Int64) throws -> EntryLeafCursor {
    EntryLeafCursor(
      try Row.fetchCursor(
        db, sql: "SELECT hash, canonical FROM entry WHERE seq < ? ORDER BY seq",
        arguments: [size]),
      withBytes: true)
  }
}

extension EntryRangeQuery {
  /// The entries, read strictly, one at a time.
  package func entries(_ db: Database) throws -> MapCursor<RowCursor, StoredEntry> {
    try rows(db).map(StoredEntry.init(row:))
  }
}

/// The entries in seq order as a publisher reads them: each row's stored
/// leaf hash, and its canonical bytes only when asked for (the bytes of a
/// bundle already published are never copied). Values are read as stored:
/// the caller refuses a hash that is not 32 bytes, and bytes that don't
/// hash to it.
package final class EntryLeafCursor {
  private let rows: RowCursor
  private let withBytes: Bool
  private var row: Row?

  init(_ rows: RowCursor, withBytes: Bool) {
    self.rows = rows
    self.withBytes = withBytes
  }

  /// Steps to the next entry; false after the last.
  package func next() throws -> Bool {
    row = try rows.next()
    return row != nil
  }

  /// The current entry's stored hash; nil when NULL or not 32 bytes.
  package func hash() throws -> Hash32? {
    guard let row else { preconditionFailure("EntryLeafCursor.hash() before next()") }
    return try row.withUnsafeData(atIndex: 0, { $0.flatMap(Hash32.init(bytes:)) })
  }

  /// The current entry's canonical bytes (empty when NULL).
  package func canonical() throws -> [UInt8] {
    precondition(withBytes, "the cursor of leaf hashes reads no bytes")
    guard let row else { preconditionFailure("EntryLeafCursor.canonical() before next()") }
    return try row.withUnsafeData(atIndex: 1) { $0.map { [UInt8]($0) } } ?? []
  }
}
