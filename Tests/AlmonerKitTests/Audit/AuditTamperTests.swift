import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// `almoner audit` on a realistic three-tier ledger: nothing on the clean
/// ledger, and each kind of tampering made directly in the SQLite file
/// reported with the entry or the table it concerns (issue 10).
@Suite("Audit: tampering in the file is named by seq or table")
struct AuditTamperTests {
  /// Donations to two communities and the district, an allocation sent and
  /// confirmed, one in transit, a reversal, a checkpoint, more donations.
  struct Books {
    let fixture: Fixture
    let db: DatabaseQueue
    /// Seqs of the community donations, in order.
    var donations: [Int64] = []
    var allocation: Int64 = -1
    var checkpoint: Int64 = -1
    var laterCheckpoint: Int64 = -1

    init() throws {
      fixture = try Fixture()
      for (index, yuan) in ["120", "300", "88.5"].enumerated() {
        donations.append(try fixture.donate(yuan, donor: "捐赠人\(index)").seq)
      }
      try fixture.donate("50", to: "GA-BC-WHL", donor: "周七", signer: fixture.otherTreasurer)
      try fixture.donate(
        "20000", to: "GA", donor: "某企业", channel: .bank, signer: fixture.districtTreasurer)
      allocation =
        try fixture.ledger.allocate(
          from: "GA", to: "GA-BC", amount: Money(fen: 500_000), fund: nil,
          signer: fixture.districtTreasurer
        ).seq
      try fixture.ledger.settleAllocation(
        id: allocation, confirm: true, signer: fixture.streetTreasurer)
      try fixture.ledger.allocate(
        from: "GA", to: "GA-BC", amount: Money(fen: 100_000), fund: nil,
        signer: fixture.districtTreasurer)
      let duplicate = try fixture.donate("300", donor: "捐赠人1")
      try fixture.ledger.reverse(
        seq: duplicate.seq, reason: "重复录入", signer: fixture.communityTreasurer)
      checkpoint = try fixture.ledger.createCheckpoint(signer: fixture.admin).appended.seq
      for index in 0..<3 {
        donations.append(try fixture.donate("\(index + 1)0", donor: "后来者\(index)").seq)
      }
      laterCheckpoint = try fixture.ledger.createCheckpoint(signer: fixture.admin).appended.seq
      db = try DatabaseQueue(path: fixture.path)
    }

    /// Runs `sql` with foreign keys off, as an attacker editing the file would.
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
      try db.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        try db.execute(sql: sql, arguments: arguments)
      }
    }

    func canonical(_ seq: Int64) throws -> [UInt8] {
      try db.read { db in
        [UInt8](
          try Data.fetchOne(db, sql: "SELECT canonical FROM entry WHERE seq = ?", arguments: [seq])
            ?? Data())
      }
    }

    /// The audit of a freshly opened ledger (no cached state).
    func audit(_ scope: AuditScope = AuditScope()) throws -> AuditReport {
      try Ledger.open(at: fixture.path, clock: Fixture.fixedClock, access: .readOnly).audit(scope)
    }
  }

  /// Replaces the first `old` in the bytes with `new` (same length or not).
  static func replacing(_ old: String, with new: String, in bytes: [UInt8]) throws -> [UInt8] {
    let text = String(decoding: bytes, as: UTF8.self)
    let range = try #require(text.range(of: old), "\(old) not in \(text)")
    return Array(text.replacingCharacters(in: range, with: new).utf8)
  }

  static func expectFinding(
    _ report: AuditReport, code: String, seq: Int64? = nil, table: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let found = report.findings.contains { finding in
      finding.code == code && (seq.map { finding.seqs.contains($0) } ?? true)
        && (table.map { finding.table == $0 } ?? true)
    }
    #expect(
      found,
      "no \(code) naming seq \(seq.map(String.init) ?? "-") table \(table ?? "-"): \(report.findings.map { "\($0.code) \($0.seqs) \($0.table ?? "") \($0.message)" })",
      sourceLocation: sourceLocation)
  }

  @Test("a clean realistic ledger gives no finding, whole or scoped, and its JSON is stable")
  func clean() throws {
    let books = try Books()
    let report = try books.audit()
    #expect(report.isClean, "\(report.findings.map(\.message))")
    #expect(report.entryCount > 20)
    let scoped = try books.audit(
      AuditScope(
        unit: "GA-BC", from: try AccountingDate("2026-01-01"), to: try AccountingDate("2026-12-31"))
    )
    #expect(scoped.isClean)
    #expect(scoped.unit == "GA-BC")
    #expect(try books.audit().hash == report.hash, "the same ledger gives the same report hash")
    #expect(report.text(english: false).contains("未发现问题"))
  }

  @Test("an unknown unit or a period that ends before it starts: the audit can't run (bad input)")
  func badScope() throws {
    let books = try Books()
    do {
      _ = try books.audit(AuditScope(unit: "GA-XX"))
      Issue.record("audited an unknown unit")
    } catch let error as AlmonerError {
      #expect(error.code == "unit-unknown" && error.message.contains("GA-XX"), "\(error)")
    }
    do {
      _ = try books.audit(
        AuditScope(from: try AccountingDate("2026-12-01"), to: try AccountingDate("2026-11-01")))
      Issue.record("audited a backwards period")
    } catch let error as AlmonerError {
      #expect(error.code == "period-reversed", "\(error)")
    }
  }

  @Test("a changed amount is named by its seq, and a second one too: the audit goes on")
  func changedAmount() throws {
    let books = try Books()
    for seq in [books.donations[1], books.donations[4]] {
      let bytes = try Self.replacing(
        #""amountFen":"#, with: #""amountFen":9"#, in: try books.canonical(seq))
      try books.execute("UPDATE entry SET canonical = ? WHERE seq = ?", [Data(bytes), seq])
    }
    let report = try books.audit()
    Self.expectFinding(report, code: "entry-hash-mismatch", seq: books.donations[1])
    Self.expectFinding(report, code: "entry-hash-mismatch", seq: books.donations[4])
    #expect(report.findings.allSatisfy { $0.severity == .critical })
    // verify ledger still stops at the first, as before.
    let verified = try Ledger.open(at: books.fixture.path, access: .readOnly).verify()
    #expect(verified.problems.first?.seq == books.donations[1])
    #expect(verified.lastVerifiedSeq == books.donations[1] - 1)
  }

  @Test("a changed donor commitment, stored hash recomputed, is named by its seq")
  func changedCommitment() throws {
    let books = try Books()
    let seq = books.donations[0]
    let bytes = try books.canonical(seq)
    let text = String(decoding: bytes, as: UTF8.self)
    let start = try #require(text.range(of: #""commitment":""#)).upperBound
    let old = String(text[start...].prefix(64))
    let changed = try Self.replacing(old, with: String(repeating: "ab", count: 32), in: bytes)
    try books.execute(
      "UPDATE entry SET canonical = ?, hash = ? WHERE seq = ?",
      [Data(changed), Data(SHA256.leafHash(changed).bytes), seq])
    let report = try books.audit()
    Self.expectFinding(report, code: "personal-data-mismatch", seq: seq, table: "donor_private")
    Self.expectFinding(report, code: "chain-broken", seq: seq)
  }

  @Test("a changed donor_private row is named by its seq and table")
  func changedPersonalData() throws {
    let books = try Books()
    let seq = books.donations[2]
    try books.execute("UPDATE donor_private SET salt = zeroblob(32) WHERE seq = ?", [seq])
    Self.expectFinding(
      try books.audit(), code: "personal-data-mismatch", seq: seq, table: "donor_private")
  }

  @Test("a deleted entry row is named by its seq")
  func deletedRow() throws {
    let books = try Books()
    let seq = books.donations[1]
    try books.execute("DELETE FROM donor_private WHERE seq = ?", [seq])
    try books.execute("DELETE FROM entry WHERE seq = ?", [seq])
    let report = try books.audit()
    Self.expectFinding(report, code: "entry-missing", seq: seq)
    #expect(!report.findings.contains { $0.code == "chain-broken" }, "the gap alone is named")
  }

  @Test("two swapped entry rows are each named by seq")
  func swappedRows() throws {
    let books = try Books()
    let (first, second) = (books.donations[0], books.donations[1])
    let rows = try books.db.read { db in
      try Row.fetchAll(
        db, sql: "SELECT seq, hash, canonical FROM entry WHERE seq IN (?, ?) ORDER BY seq",
        arguments: [first, second])
    }
    try books.execute("UPDATE entry SET hash = zeroblob(32) WHERE seq = ?", [first])
    try books.execute(
      "UPDATE entry SET hash = ?, canonical = ? WHERE seq = ?", [rows[0][1], rows[0][2], second])
    try books.execute(
      "UPDATE entry SET hash = ?, canonical = ? WHERE seq = ?", [rows[1][1], rows[1][2], first])
    let report = try books.audit()
    Self.expectFinding(report, code: "entry-moved", seq: first)
    Self.expectFinding(report, code: "entry-moved", seq: second)
  }

  @Test("a commit forged by a key that is not a member is named by its seq")
  func forgedCommit() throws {
    let books = try Books()
    let outsider = SigningKey.generate()
    let head = try #require(try books.db.read { try LedgerStore.head($0) })
    let template = try Entry(canonical: try books.canonical(books.donations[0]))
    let forged = Entry(
      seq: head.seq + 1, prev: head.hash, time: template.time, date: template.date,
      author: outsider.keyID, body: template.body)
    let bytes = forged.canonicalBytes
    let hash = SHA256.leafHash(bytes)
    let ledgerID = try #require(try books.fixture.ledger.state().ledgerID)
    let signature = outsider.sign(
      Commit.statement(
        ledgerID: ledgerID, firstSeq: forged.seq, lastSeq: forged.seq, lastHash: hash))
    try books.execute(
      "INSERT INTO ledger_commit (first_seq, last_seq, author, signature) VALUES (?, ?, ?, ?)",
      [forged.seq, forged.seq, outsider.keyID, Data(signature)])
    try books.execute(
      "INSERT INTO entry (seq, hash, canonical, commit_seq) VALUES (?, ?, ?, ?)",
      [forged.seq, Data(hash.bytes), Data(bytes), forged.seq])
    let report = try books.audit()
    Self.expectFinding(report, code: "commit-signer-unknown", seq: forged.seq)
    Self.expectFinding(report, code: "rule-broken", seq: forged.seq)
  }

  @Test("a projection edited with no entry is named by its table (and the allocation's seq)")
  func editedProjection() throws {
    let books = try Books()
    try books.execute(
      "UPDATE daily_balance SET amount_fen = amount_fen + 100000 WHERE unit = 'GA-BC-JSL' AND account = 'assets:bank'"
    )
    try books.execute("UPDATE allocation SET amount_fen = 1 WHERE id = ?", [books.allocation])
    let report = try books.audit()
    Self.expectFinding(report, code: "projection-mismatch", table: "daily_balance")
    Self.expectFinding(
      report, code: "projection-mismatch", seq: books.allocation, table: "allocation")
    #expect(!report.findings.contains { $0.code.hasPrefix("entry-") }, "the log itself is intact")
  }

  @Test("a balance edited on one day names that day, not the account's whole history")
  func editedDay() throws {
    let f = try Fixture()
    for day in ["2026-03-02", "2026-04-03", "2026-05-04", "2026-06-05"] {
      try f.donate("100", date: day)
    }
    let db = try DatabaseQueue(path: f.path)
    try db.write { db in
      try db.execute(
        sql:
          "UPDATE daily_balance SET amount_fen = amount_fen + 1 WHERE unit = 'GA-BC-JSL' AND account = 'assets:bank' AND date = '2026-04-03'"
      )
    }
    let report = try f.ledger.audit(AuditScope())
    let byDay = try #require(report.findings.first { $0.message.contains("银行存款与库存现金的逐日余额") })
    #expect(
      byDay.message.contains("日志重建为 2026-04-03 ¥100.00，表中为 2026-04-03 ¥100.01"), "\(byDay.message)")
    #expect(!byDay.message.contains("2026-03-02"), "\(byDay.message)")
  }

  @Test(
    "a dropped or emptied table is a finding, not a reason the audit can't run",
    arguments: [
      "DROP TABLE checkpoint", "DROP TABLE unit", "DELETE FROM ledger_meta",
      "DROP TABLE merkle_node",
      "DROP TABLE erasure", "DROP TABLE donor_private", "DROP TABLE ledger_commit",
    ])
  func droppedTable(sql: String) throws {
    let books = try Books()
    try books.execute(sql)
    let report = try books.audit()
    #expect(!report.isClean)
    #expect(report.findings.allSatisfy { $0.severity == .critical })
  }

  @Test("a planted trigger is named with the schema table")
  func plantedTrigger() throws {
    let books = try Books()
    try books.execute(
      "CREATE TRIGGER steal AFTER INSERT ON entry BEGIN DELETE FROM donor_private WHERE seq = NEW.seq; END"
    )
    let report = try books.audit()
    Self.expectFinding(report, code: "schema-changed", table: "sqlite_master")
    #expect(
      report.findings.first { $0.code == "schema-changed" }?.message.contains("steal") == true)
  }

  @Test("a stored checkpoint's root edited is named by the checkpoint's seq")
  func editedCheckpoint() throws {
    let books = try Books()
    try books.execute("UPDATE checkpoint SET root = zeroblob(32) WHERE seq = ?", [books.checkpoint])
    let report = try books.audit()
    Self.expectFinding(
      report, code: "checkpoint-root-mismatch", seq: books.checkpoint, table: "checkpoint")
    Self.expectFinding(
      report, code: "checkpoint-inconsistent", seq: books.laterCheckpoint, table: "checkpoint")
  }

  @Test("an attached file changed after the request is named by the request's seq")
  func changedAttachment() throws {
    let f = try SupervisionFixture()
    let invoice = f.base.directory.path("发票.txt")
    try Data("INVOICE 0042 ¥300.00".utf8).write(to: URL(fileURLWithPath: invoice))
    let id = try f.request("300", attachments: [invoice])
    #expect(try f.ledger.audit(AuditScope()).isClean)
    let stored = try #require(
      try FileManager.default.contentsOfDirectory(atPath: f.ledger.attachmentsDirectory).first)
    try Data("INVOICE 0042 ¥3000.00".utf8).write(
      to: URL(fileURLWithPath: f.ledger.attachmentsDirectory + "/" + stored))
    Self.expectFinding(try f.ledger.audit(AuditScope()), code: "attachment-changed", seq: id)
  }

  /// Records what the audit's one pass hands a conduct visitor.
  struct Recorder: AuditEntryVisitor {
    var seqs: [Int64] = []
    var hashesMatch = true
    mutating func visit(_ entry: LoggedEntry) {
      seqs.append(entry.seq)
      hashesMatch = hashesMatch && SHA256.leafHash(entry.canonical) == entry.hash
    }
    mutating func finish() -> [AuditFinding] {
      [
        AuditFinding(
          code: "visited", severity: .notice, units: ["GA-BC-JSL"], seqs: [seqs.last ?? -1],
          message:
            "看过 \(seqs.count) 条；顺序\(seqs == seqs.sorted() ? "正确" : "错乱")；哈希\(hashesMatch ? "一致" : "不符")",
          messageEnglish: "visited \(seqs.count)")
      ]
    }
  }

  @Test("the conduct rules see every entry once, in seq order, and their findings are reported")
  func conductVisitor() throws {
    let books = try Books()
    var scoped: Set<String>?
    let report = try Ledger.open(at: books.fixture.path, access: .readOnly).audit(
      AuditScope(unit: "GA-BC"), rulesJSON: .object([:])
    ) { units, _ in
      scoped = units
      return Recorder()
    }
    #expect(scoped == ["GA-BC", "GA-BC-JSL", "GA-BC-WHL"])
    let finding = try #require(report.findings.first)
    #expect(finding.code == "visited")
    #expect(finding.message == "看过 \(report.entryCount) 条；顺序正确；哈希一致")
    #expect(finding.seqs == [report.entryCount - 1])
  }

  @Test("a fund whose money held goes below zero on some day is named with the day")
  func negativeDay() throws {
    let key = BalanceKey(unit: "GA-BC-JSL", fund: "general", account: .bank)
    let daily: [DailyKey: Int64] = [
      DailyKey(key: key, date: try AccountingDate("2026-03-01")): 100,
      DailyKey(key: key, date: try AccountingDate("2026-03-02")): -300,
      DailyKey(key: key, date: try AccountingDate("2026-03-05")): 500,
    ]
    let findings = AuditFindings.negativeBalances(daily, state: LedgerState())
    #expect(findings.count == 1)
    #expect(findings.first?.code == "fund-negative")
    #expect(findings.first?.units == ["GA-BC-JSL"])
    #expect(findings.first?.message.contains("2026-03-02") == true)
  }

  @Test("allocations sent must equal received plus in transit")
  func allocationImbalance() throws {
    let books = try Books()
    var state = try books.fixture.ledger.state()
    #expect(AuditFindings.allocationBalance(state).isEmpty)
    state.allocations[books.allocation]?.amountFen += 1
    #expect(AuditFindings.allocationBalance(state).first?.code == "allocation-imbalance")
  }
}
