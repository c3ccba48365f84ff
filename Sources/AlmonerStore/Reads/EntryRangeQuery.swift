import Foundation
import GRDB

/// The entries a report needs, found through the indexes of migration 0010
/// instead of by reading every entry: the donations of some units, and every
/// other entry, each within an accounting-date range, in seq order.
///
/// The indexes are built by SQLite from the entries' canonical bytes, so
/// they can only leave entries out, never change one; callers decode (and
/// where they publish, rehash) every entry they are given, exactly as when
/// they read the whole log.
package struct EntryRangeQuery {
  /// Units whose donations are wanted; nil for none. Donations of other
  /// units are skipped.
  package var donationUnits: [String]?
  /// Whether entries other than donations are wanted.
  package var others = true
  /// Accounting dates, inclusive; nil for no bound.
  package var from: AccountingDate?
  package var to: AccountingDate?
  /// Whether the dates bound the other entries too, or only the donations.
  var datesBoundOthers = true
  /// The last seq wanted, inclusive.
  var lastSeq: Int64 = .max
  /// Every entry up to `lastSeq`, whatever the other fields say.
  package var wholeLog = false

  // The expressions exactly as the indexes spell them: SQLite uses an
  // index on an expression only for the same text.
  // Bytes that are not JSON give NULL, never an error.
  static func field(_ path: String) -> String {
    "CASE WHEN json_valid(CAST(canonical AS TEXT))\n    THEN json_extract(CAST(canonical AS TEXT), '\(path)') END"
  }
  static let kind = field("$.kind")
  static let unit = field("$.body.unit")
  static let date = field("$.date")

  /// The SQL and its arguments: `seq, hash, canonical` of each entry, by seq.
  func sql() -> (sql: String, arguments: StatementArguments) {
    if wholeLog {
      return ("SELECT seq, hash, canonical FROM entry WHERE seq <= ? ORDER BY seq", [lastSeq])
    }
    var arguments: [DatabaseValueConvertible] = []
    func dateBounds() -> String {
      var terms: [String] = []
      if let from {
        terms.append("\(Self.date) >= ?")
        arguments.append(from.text)
      }
      if let to {
        terms.append("\(Self.date) <= ?")
        arguments.append(to.text)
      }
      guard !terms.isEmpty else { return "" }
      return " AND " + terms.joined(separator: " AND ")
    }
    var parts: [String] = []
    if let units = donationUnits, !units.isEmpty {
      let marks = Array(repeating: "?", count: units.count).joined(separator: ", ")
      arguments.append(contentsOf: units)
      parts.append(
        "SELECT seq FROM entry WHERE \(Self.kind) = 'donation' AND \(Self.unit) IN (\(marks))"
          + dateBounds())
    }
    if others {
      let others = "SELECT seq FROM entry WHERE \(Self.kind) IS NOT 'donation'"
      let bounds = datesBoundOthers ? dateBounds() : ""
      parts.append(others + bounds)
      // Entries without a date (bytes that are not JSON) are read too,
      // whatever the range, so that decoding them names them.
      if !bounds.isEmpty { parts.append(others + " AND \(Self.date) IS NULL") }
    }
    guard !parts.isEmpty else {
      return ("SELECT seq, hash, canonical FROM entry WHERE 0", [])
    }
    arguments.append(lastSeq)
    let sql = """
      SELECT seq, hash, canonical FROM entry
      WHERE seq IN (\(parts.joined(separator: " UNION ALL "))) AND seq <= ?
      ORDER BY seq
      """
    return (sql, StatementArguments(arguments))
  }

  /// The rows, read one at a time.
  package func rows(_ db: Database) throws -> RowCursor {
    let (sql, arguments) = sql()
    return try Row.fetchCursor(db, sql: sql, arguments: arguments)
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    donationUnits: [String]? = nil, others: Bool = true, from: AccountingDate? = nil,
    to: AccountingDate? = nil, datesBoundOthers: Bool = true, lastSeq: Int64 = .max,
    wholeLog: Bool = false
  ) {
    self.donationUnits = donationUnits
    self.others = others
    self.from = from
    self.to = to
    self.datesBoundOthers = datesBoundOthers
    self.lastSeq = lastSeq
    self.wholeLog = wholeLog
  }

}

extension LedgerStore {
  /// The number of entries with seq below `size`: `size` exactly when none
  /// is missing (seqs are distinct and not negative). Counted through the
  /// two narrow report indexes, which between them hold every entry (a
  /// kind that is not `donation`, or none, is in the second), not by
  /// reading the entries: 0.05 s at a million entries instead of 0.5 s.
  package static func entryCount(_ db: Database, below size: Int64) throws -> Int64 {
    let total = try Int64.fetchOne(db, sql: entryCountSQL) ?? 0
    let later =
      try Int64.fetchOne(db, sql: "SELECT count(*) FROM entry WHERE seq >= ?", arguments: [size])
      ?? 0
    return total - later
  }

  /// Every entry, counted through the report indexes.
  static let entryCountSQL = """
    SELECT (SELECT count(*) FROM entry WHERE \(EntryRangeQuery.kind) = 'donation')
      + (SELECT count(*) FROM entry WHERE \(EntryRangeQuery.kind) IS NOT 'donation')
    """
}

extension LedgerStore {
  /// The page cache a report keeps while it reads entries in seq order,
  /// each page once: the default (32 MiB, for the hash index's random
  /// reads) would only fill with pages never read again.
  static let streamingCacheKibibytes = 8_192

  /// Runs `body` with the page cache at `streamingCacheKibibytes`, then
  /// restores it.
  package static func withStreamingCache<T>(_ db: Database, _ body: () throws -> T) throws -> T {
    let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size")
    try db.execute(sql: "PRAGMA cache_size = -\(streamingCacheKibibytes)")
    defer { if let cacheSize { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") } }
    return try body()
  }
}
