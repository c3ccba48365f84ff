import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerLog
@testable import AlmonerStore

/// Reports that read only the entries they need (migration 0010): the plans
/// use the indexes, and what they read gives exactly what reading the whole
/// log gives.
@Suite("Reports read only what they need")
struct ReportRangeTests {
  /// The query plan's lines for `query` on the fixture's ledger.
  static func plan(_ query: EntryRangeQuery, path: String) throws -> [String] {
    let (sql, arguments) = query.sql()
    let db = try DatabaseQueue(path: path)
    return try db.read { db in
      try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map {
        $0["detail"] as String
      }
    }
  }

  @Test("a unit's month and a statement's entries are found through the indexes, not a scan")
  func plansUseIndexes() throws {
    let f = try Fixture()
    try f.donate("100", date: "2026-11-02")
    let month = EntryRangeQuery(
      donationUnits: ["GA-BC-JSL"], others: true, from: try AccountingDate("2026-11-01"),
      to: try AccountingDate("2026-11-30"), lastSeq: 1_000)
    let monthPlan = try Self.plan(month, path: f.path)
    #expect(monthPlan.contains { $0.contains("USING INDEX entry_donation_by_unit") })
    #expect(monthPlan.contains { $0.contains("USING INDEX entry_other_by_date") })
    #expect(!monthPlan.contains { $0.hasPrefix("SCAN entry") }, "\(monthPlan)")
    #expect(!monthPlan.contains { $0.contains("TEMP B-TREE") }, "\(monthPlan)")

    let statement = EntryRangeQuery(
      donationUnits: ["GA-BC-JSL", "GA-BC-WHL"], others: true,
      to: try AccountingDate("2026-09-30"), datesBoundOthers: false, lastSeq: 1_000)
    let statementPlan = try Self.plan(statement, path: f.path)
    #expect(statementPlan.contains { $0.contains("USING INDEX entry_donation_by_unit") })
    // The entries other than donations are read whole, through their own
    // (small) index, never the table.
    #expect(!statementPlan.contains { $0 == "SCAN entry" }, "\(statementPlan)")
    #expect(!statementPlan.contains { $0.contains("TEMP B-TREE") }, "\(statementPlan)")

    // The count that proves no entry below a checkpoint is missing reads
    // the two narrow indexes, which between them hold every entry.
    let db = try DatabaseQueue(path: f.path)
    let countPlan = try db.read { db in
      try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LedgerStore.entryCountSQL).map {
        $0["detail"] as String
      }
    }
    #expect(countPlan.filter { $0.contains("USING INDEX") }.count == 2, "\(countPlan)")
    #expect(!countPlan.contains { $0 == "SCAN entry" }, "\(countPlan)")
    let count = try db.read { try Int64.fetchOne($0, sql: "SELECT count(*) FROM entry") }
    #expect(try db.read { try LedgerStore.entryCount($0, below: .max) } == count)
    #expect(try db.read { try LedgerStore.entryCount($0, below: 3) } == 3)
  }

  /// The seqs of `lines` (the whole journal) that `unit`, the dates and the
  /// kinds admit, worked out here from each line as a reader would.
  static func expected(
    _ lines: [JournalLine], unit: String?, subtree: Set<String>, from: String?, to: String?,
    kinds: [String]
  ) -> [Int64] {
    lines.filter { line in
      if unit != nil, !line.units.contains(where: subtree.contains) { return false }
      if let from, line.entry.date.text < from { return false }
      if let to, line.entry.date.text > to { return false }
      if !kinds.isEmpty {
        let kind = line.entry.kind.rawValue
        guard kinds.contains(where: { kind == $0 || kind.hasPrefix($0 + ".") }) else {
          return false
        }
      }
      return true
    }.map(\.seq)
  }

  @Test("the journal by unit, dates and kinds lists exactly the entries a whole read admits")
  func journalMatchesWholeRead() throws {
    let s = try StatementFixture()
    let ledger = s.december
    var all: [JournalLine] = []
    try ledger.journal(JournalFilter()) { all.append($0) }
    #expect(all.count == Int(try ledger.entryCount()))
    let state = try ledger.state()
    let ranges: [(String?, String?)] = [
      (nil, nil), ("2026-11-01", "2026-11-30"), ("2026-11-03", "2026-11-05"), (nil, "2026-10-31"),
      ("2026-11-10", nil),
    ]
    let kindSets: [[String]] = [
      [], ["donation"], ["reversal"], ["allocation"], ["donation", "disbursement"],
    ]
    var checked = 0
    for unit in [nil, "GA", "GA-BC", "GA-BC-JSL", "GA-BC-WHL", "GA-NM"] {
      let subtree = unit.map { state.subtree(of: $0) } ?? []
      for (from, to) in ranges {
        for kinds in kindSets {
          var lines: [Int64] = []
          try ledger.journal(
            JournalFilter(
              unit: unit, from: try from.map { try AccountingDate($0) },
              to: try to.map { try AccountingDate($0) }, kinds: kinds)
          ) { lines.append($0.seq) }
          let wanted = Self.expected(
            all, unit: unit, subtree: subtree, from: from, to: to, kinds: kinds)
          #expect(lines == wanted, "unit \(unit ?? "-") \(from ?? "-")…\(to ?? "-") \(kinds)")
          checked += wanted.count
        }
      }
    }
    #expect(checked > 0)
  }

  @Test(
    "a statement reads only its units' gifts yet computes what the whole log gives, reversals of gifts left out included"
  )
  func statementMatchesWholeRead() throws {
    let s = try StatementFixture()
    let ledger = s.december
    let size = try #require(try ledger.checkpoints().last).record.treeSize
    let scopes: [Set<String>] = [
      ["GA-BC-JSL"], ["GA-BC-WHL"], ["GA-BC"], ["GA-BC", "GA-BC-JSL", "GA-BC-WHL"], ["GA"],
      ["GA-NM"],
    ]
    for scope in scopes {
      // October: the November gifts, the reversal's target among them, lie
      // after the period and are not read; November: they are in it.
      for period in [try StatementPeriod("2026-10"), s.november, try StatementPeriod("2026-Q4")] {
        var whole = StatementCalculator(scope: scope, period: period)
        let db = try DatabaseQueue(path: s.fixture.path)
        try db.read { db in
          let rows = try Row.fetchCursor(
            db, sql: "SELECT canonical FROM entry WHERE seq < ? ORDER BY seq", arguments: [size])
          while let row = try rows.next() {
            try whole.add(try Entry(canonical: [UInt8](row[0] as Data)))
          }
        }
        var ranged = StatementCalculator(scope: scope, period: period)
        try ledger.feedStatementEntries(&ranged, scope: scope, period: period, size: size)
        let label = "\(scope.sorted()) \(period.name)"
        #expect(ranged.funds == whole.funds, "\(label)")
        #expect(ranged.fundOrder == whole.fundOrder, "\(label)")
        #expect(ranged.counted == whole.counted, "\(label)")
        #expect(ranged.context == whole.context, "\(label)")
        #expect(ranged.catalogue.reversals == whole.catalogue.reversals, "\(label)")
        #expect(ranged.catalogue.unitOrder == whole.catalogue.unitOrder, "\(label)")
        #expect(ranged.catalogue.fundOrder == whole.catalogue.fundOrder, "\(label)")
        #expect(ranged.overflowed == whole.overflowed, "\(label)")
      }
    }
    // And the statement of the unit whose gift another unit's reversal
    // takes back is made (the reversal's gift is read on its own).
    let other = try s.statement("GA-BC-WHL")
    #expect(!other.lines.contains { $0.seq == s.reversedSeq })
  }

  @Test("the file's bytes and hash made from one body are the file's bytes and the hash")
  func fileBytesAndHash() throws {
    let statement = try StatementFixture().statement()
    let file = statement.fileBytesAndHash
    #expect(file.bytes == statement.fileBytes)
    #expect(file.hash == statement.hash)
    #expect(try Statement(parsing: file.bytes) == statement)
  }

  @Test("a deleted entry below the checkpoint is still refused though no index leads to it")
  func missingEntryRefused() throws {
    let s = try StatementFixture()
    let copy = s.fixture.directory.path("holed.db")
    try FileManager.default.copyItem(atPath: s.fixture.path, toPath: copy)
    for suffix in ["-wal", "-shm"]
    where FileManager.default.fileExists(atPath: s.fixture.path + suffix) {
      try FileManager.default.copyItem(atPath: s.fixture.path + suffix, toPath: copy + suffix)
    }
    let db = try DatabaseQueue(path: copy)
    // A gift of another unit, before the period: no statement of 建设路社区 reads it.
    try db.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      try db.execute(
        sql: """
          DELETE FROM entry WHERE seq = (SELECT seq FROM entry
          WHERE json_extract(CAST(canonical AS TEXT), '$.body.unit') = 'GA-BC-WHL'
            AND json_extract(CAST(canonical AS TEXT), '$.kind') = 'donation' LIMIT 1)
          """)
    }
    let ledger = try Ledger.open(at: copy, clock: StatementFixture.decemberClock)
    let size = try #require(try ledger.checkpoints().last).record.treeSize
    var calculator = StatementCalculator(scope: ["GA-BC-JSL"], period: s.november)
    #expect {
      try ledger.feedStatementEntries(
        &calculator, scope: ["GA-BC-JSL"], period: s.november, size: size)
    } throws: { ($0 as? AlmonerError)?.message.contains("账本记录数少于检查点") == true }
  }

  @Test(
    "an entry that is not JSON any more is still read, and refused, by a statement and a journal")
  func malformedEntryRead() throws {
    let s = try StatementFixture()
    let db = try DatabaseQueue(path: s.fixture.path)
    // A gift of another unit, edited outside almoner into bytes that are not
    // JSON: the write succeeds (the indexes hold NULL for it) ...
    try db.write { db in
      try db.execute(
        sql: """
          UPDATE entry SET canonical = CAST(CAST('{' AS BLOB) || canonical AS BLOB) WHERE seq = (
            SELECT seq FROM entry
            WHERE json_extract(CAST(canonical AS TEXT), '$.body.unit') = 'GA-BC-WHL'
              AND json_extract(CAST(canonical AS TEXT), '$.kind') = 'donation' LIMIT 1)
          """)
    }
    // ... and reports of 建设路社区 still decode it, so they fail instead of
    // leaving it out unseen.
    let ledger = s.december
    let size = try #require(try ledger.checkpoints().last).record.treeSize
    var calculator = StatementCalculator(scope: ["GA-BC-JSL"], period: s.november)
    #expect(throws: AlmonerError.self) {
      try ledger.feedStatementEntries(
        &calculator, scope: ["GA-BC-JSL"], period: s.november, size: size)
    }
    #expect(throws: AlmonerError.self) {
      try ledger.journal(
        JournalFilter(
          unit: "GA-BC-JSL", from: try AccountingDate("2026-11-01"),
          to: try AccountingDate("2026-11-30"))
      ) { _ in }
    }
  }

  @Test("proofs read sixteen neighbours at a time are the proofs read one node at a time")
  func blockSourceMatches() throws {
    let f = try Fixture()
    for day in 1...40 { try f.donate("\(day)", date: String(format: "2026-11-%02d", day % 17 + 1)) }
    let size = UInt64(try f.ledger.entryCount())
    let db = try DatabaseQueue(path: f.path)
    try db.read { db in
      let plain = MerkleTree(source: DatabaseMerkleSource(db: db))
      let blocks = MerkleTree(source: BlockMerkleSource(db: db))
      for treeSize in [1, 2, 15, 16, 17, 33, size] {
        let root = try blocks.rootHash(treeSize: treeSize)
        #expect(root == (try plain.rootHash(treeSize: treeSize)))
        for leaf in 0..<treeSize {
          let proof = try blocks.inclusionProof(leafIndex: leaf, treeSize: treeSize)
          let expected = try plain.inclusionProof(leafIndex: leaf, treeSize: treeSize)
          #expect(proof == expected, "leaf \(leaf) of \(treeSize)")
        }
      }
      #expect(throws: AlmonerError.self) { try BlockMerkleSource(db: db).leaf(size + 100) }
    }
  }
}
