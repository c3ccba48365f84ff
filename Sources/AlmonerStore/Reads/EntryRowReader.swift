import Foundation
import GRDB
import GRDBSQLite

/// The `entry` rows in seq order, each with its donor record, read through
/// the connection's C handle so that a second thread can read the next
/// batch while `verify ledger` replays this one (reading was a fifth of the
/// replaying thread's time).
///
/// GRDB's connections run in SQLite's multi-thread mode: one connection may
/// serve two threads, one at a time. So every use of the connection while a
/// reader is open — its own steps, and the replay's look-ups of earlier
/// entries — holds `lock`. Values are read as SQLite stored them (an entry
/// row edited past the table's constraints is reported by the verifier, not
/// a crash).
package final class EntryRowReader: @unchecked Sendable {
  package struct Row {
    package var seq: Int64?
    package var commitSeq: Int64?
    /// The stored hash's bytes (nil: NULL).
    package var hash: [UInt8]?
    package var canonical: [UInt8]
    package var donor: DonorPrivate?
    /// The `donation_ref` rows after the previous entry row's seq up to
    /// this one's, in seq order (a seq that is not a number reads as -1).
    package var references: [(seq: Int64, ref: String?)] = []
  }

  let lock: NSLock
  private let connection: OpaquePointer
  private var entries: OpaquePointer?
  private var donors: OpaquePointer?
  private var references: OpaquePointer?
  /// The donor record read ahead of the entries, if any.
  private var pendingDonor: (seq: Int64, record: DonorPrivate)?
  /// The reference row read ahead of the entries, if any.
  private var pendingReference: (seq: Int64, ref: String?)?

  /// Whether `donation_ref` rows come with the entries.
  package var readsReferences: Bool { references != nil }

  /// `withDonors` false: the donor_private table can't be read (reported by
  /// the caller); entries come without their records. `withReferences`
  /// false: donation_ref rows are not read; nil: they are read when the
  /// table can be (the caller reports it otherwise).
  package init(_ db: Database, lock: NSLock, withDonors: Bool, withReferences: Bool?) throws {
    guard let connection = db.sqliteConnection else {
      throw AlmonerError.refused(.ledgerConnectionClosed)
    }
    self.connection = connection
    self.lock = lock
    entries = try Self.prepare(
      connection, "SELECT seq, hash, canonical, commit_seq FROM entry ORDER BY seq")
    if withDonors {
      donors = try Self.prepare(
        connection, "SELECT seq, salt, personal FROM donor_private ORDER BY seq")
      pendingDonor = try nextDonor()
    }
    if withReferences != false {
      let sql = "SELECT seq, ref FROM donation_ref ORDER BY seq"
      references =
        withReferences == nil
        ? try? Self.prepare(connection, sql) : try Self.prepare(connection, sql)
      pendingReference = try nextReference()
    }
  }

  deinit {
    lock.withLock {
      sqlite3_finalize(entries)
      sqlite3_finalize(donors)
      sqlite3_finalize(references)
    }
  }

  /// The `donation_ref` rows after every entry row (none once all are read).
  package func remainingReferences() throws -> [(seq: Int64, ref: String?)] {
    try lock.withLock {
      var rows: [(seq: Int64, ref: String?)] = []
      while let row = pendingReference {
        rows.append(row)
        pendingReference = try nextReference()
      }
      return rows
    }
  }

  /// Up to `count` rows after the last read; fewer only at the end.
  package func next(_ count: Int) throws -> [Row] {
    try lock.withLock {
      var rows: [Row] = []
      rows.reserveCapacity(count)
      while rows.count < count, try step(entries) {
        var row = Row(
          seq: integer(entries, 0), commitSeq: integer(entries, 3), hash: bytes(entries, 1),
          canonical: bytes(entries, 2) ?? [])
        if let seq = row.seq {
          while let donor = pendingDonor, donor.seq <= seq {
            if donor.seq == seq { row.donor = donor.record }
            pendingDonor = try nextDonor()
          }
          while let reference = pendingReference, reference.seq <= seq {
            row.references.append(reference)
            pendingReference = try nextReference()
          }
        }
        rows.append(row)
      }
      return rows
    }
  }

  private func nextDonor() throws -> (seq: Int64, record: DonorPrivate)? {
    // A row whose seq is not a number can belong to no entry: skipped here,
    // and named by the check for orphan records.
    while try step(donors) {
      guard let seq = integer(donors, 0) else { continue }
      return (seq, DonorPrivate(salt: bytes(donors, 1) ?? [], personal: bytes(donors, 2) ?? []))
    }
    return nil
  }

  /// Read as SQLite converts the values: a row edited past the table's
  /// constraints is reported by the verifier, not a crash.
  private func nextReference() throws -> (seq: Int64, ref: String?)? {
    guard try step(references) else { return nil }
    var ref: String?
    if sqlite3_column_type(references, 1) != SQLITE_NULL {
      // The pointer first, then the length (SQLite's documented order).
      let text = sqlite3_column_text(references, 1)
      let count = Int(sqlite3_column_bytes(references, 1))
      ref =
        text.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) }
        ?? ""
    }
    return (integer(references, 0) ?? -1, ref)
  }

  private func step(_ statement: OpaquePointer?) throws -> Bool {
    guard let statement else { return false }
    switch sqlite3_step(statement) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    case let code:
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code),
        message: String(cString: sqlite3_errmsg(connection)))
    }
  }

  private func integer(_ statement: OpaquePointer?, _ column: Int32) -> Int64? {
    sqlite3_column_type(statement, column) == SQLITE_INTEGER
      ? sqlite3_column_int64(statement, column) : nil
  }

  private func bytes(_ statement: OpaquePointer?, _ column: Int32) -> [UInt8]? {
    guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return nil }
    // The pointer first, then the length (SQLite's documented order).
    let pointer = sqlite3_column_blob(statement, column)
    let count = Int(sqlite3_column_bytes(statement, column))
    guard let pointer, count > 0 else { return [] }
    return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
  }

  private static func prepare(_ connection: OpaquePointer, _ sql: String) throws -> OpaquePointer? {
    var statement: OpaquePointer?
    let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
    guard code == SQLITE_OK else {
      sqlite3_finalize(statement)
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code),
        message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
    return statement
  }
}
