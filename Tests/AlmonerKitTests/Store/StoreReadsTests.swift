import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// The facade reads the ledger file only through the store, and the store
/// reads the `entry` table strictly: an entry row edited outside almoner is
/// refused, naming the entry, never read as a default.
@Suite("Store reads: all SQL in the store, entry rows read strictly")
struct StoreReadsTests {
  /// A ledger with two donations whose last entry's stored hash is
  /// shortened to two bytes, the table's CHECK constraint bypassed.
  static func ledgerWithShortHash() throws -> (Fixture, seq: Int64) {
    let fixture = try Fixture()
    try fixture.donate("100")
    let seq = try fixture.donate("200").entry.seq
    let db = try DatabaseQueue(path: fixture.path)
    try db.writeWithoutTransaction {
      try $0.execute(sql: "PRAGMA ignore_check_constraints = ON")
      try $0.execute(sql: "UPDATE entry SET hash = x'0102' WHERE seq = ?", arguments: [seq])
    }
    try db.close()
    return (fixture, seq)
  }

  static func refused(_ error: any Error, code: String, seq: Int64) -> Bool {
    guard let error = error as? AlmonerError else { return false }
    return error.code == code && error.message.contains("#\(seq)")
      && error.kind == .verificationFailed
  }

  @Test("the journal refuses a stored hash that is not 32 bytes instead of printing zeros")
  func journalShortHash() throws {
    let (fixture, seq) = try Self.ledgerWithShortHash()
    #expect {
      try fixture.ledger.journal(JournalFilter()) { _ in }
    } throws: { Self.refused($0, code: "stored-hash-malformed", seq: seq) }
  }

  @Test("export names the entry whose stored hash is not 32 bytes")
  func exportShortHash() throws {
    let (fixture, seq) = try Self.ledgerWithShortHash()
    #expect {
      try fixture.ledger.exportBook(unit: nil, from: nil, to: nil)
    } throws: { Self.refused($0, code: "stored-hash-malformed", seq: seq) }
  }

  @Test("one entry read by seq refuses a stored hash that is not 32 bytes")
  func loggedEntryShortHash() throws {
    let (fixture, seq) = try Self.ledgerWithShortHash()
    #expect(try fixture.ledger.loggedEntry(at: seq - 1)?.entry.seq == seq - 1)
    #expect(try fixture.ledger.loggedEntry(at: seq + 1) == nil)
    #expect {
      try fixture.ledger.loggedEntry(at: seq)
    } throws: { Self.refused($0, code: "stored-hash-malformed", seq: seq) }
  }

  @Test("a NULL column of an entry row (schema rewritten) is refused, naming entry and column")
  func nullColumnRefused() throws {
    let fixture = try Fixture()
    let seq = try fixture.donate("100").entry.seq
    let db = try DatabaseQueue(path: fixture.path)
    try db.writeWithoutTransaction { db in
      let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
      try db.execute(sql: "PRAGMA writable_schema = ON")
      try db.execute(
        sql: """
          UPDATE sqlite_master SET sql = replace(sql, 'canonical BLOB NOT NULL', 'canonical BLOB')
          WHERE type = 'table' AND name = 'entry'
          """)
      try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
      try db.execute(sql: "PRAGMA writable_schema = OFF")
    }
    try db.close()
    let edited = try DatabaseQueue(path: fixture.path)
    try edited.writeWithoutTransaction {
      try $0.execute(sql: "PRAGMA ignore_check_constraints = ON")
      try $0.execute(sql: "UPDATE entry SET canonical = NULL WHERE seq = ?", arguments: [seq])
    }
    try edited.close()
    let ledger = try Ledger.open(at: fixture.path)
    #expect {
      try ledger.loggedEntry(at: seq)
    } throws: { error in
      Self.refused(error, code: "entry-row-malformed", seq: seq)
        && (error as? AlmonerError)?.message.contains("canonical") == true
    }
  }

  @Test("no SQL is written in the facade: every statement is in AlmonerStore")
  func facadeHoldsNoSQL() throws {
    let facade = packageRoot.appendingPathComponent("Sources/AlmonerKit")
    let files = try #require(FileManager.default.enumerator(atPath: facade.path))
      .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
    #expect(files.count > 20)
    for file in files {
      let text = try String(
        contentsOf: facade.appendingPathComponent(file), encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
        .enumerated()
      where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
        for word in ["sql:", "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "PRAGMA "] {
          #expect(!line.contains(word), "\(file):\(number + 1) holds SQL: \(line)")
        }
      }
    }
  }
}
