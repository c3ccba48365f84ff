import AlmonerKit
import Foundation
import GRDB
import Testing

/// Direct edits of the SQLite file, as an attacker with the file but no keys
/// would make them: `verify ledger` must notice each and name the entry.
@Suite("verify ledger detects tampering")
struct TamperTests {
  /// A fixture with some donations and an allocation, and a second connection
  /// for editing the file behind the ledger's back.
  struct Tampered {
    let fixture: Fixture
    let db: DatabaseQueue

    init() throws {
      fixture = try Fixture()
      for index in 0..<6 { try fixture.donate("\(index + 1)0", donor: "捐赠人\(index)") }
      try fixture.donate("500", to: "GA", signer: fixture.districtTreasurer)
      try fixture.ledger.allocate(
        from: "GA", to: "GA-BC", amount: Money(fen: 100), fund: nil,
        signer: fixture.districtTreasurer)
      db = try DatabaseQueue(path: fixture.path)
    }

    func verify() throws -> VerificationReport { try Ledger.open(at: fixture.path).verify() }

    func canonical(_ seq: Int64) throws -> Data {
      try db.read {
        try Data.fetchOne($0, sql: "SELECT canonical FROM entry WHERE seq = ?", arguments: [seq])!
      }
    }

    func setCanonical(_ seq: Int64, _ bytes: Data) throws {
      try db.write {
        try $0.execute(
          sql: "UPDATE entry SET canonical = ? WHERE seq = ?", arguments: [bytes, seq])
      }
    }

    /// Runs `sql` with foreign keys off, as an attacker editing the file would.
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
      try db.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        try db.execute(sql: sql, arguments: arguments)
      }
    }
  }

  @Test(
    "donation_ref edited behind the log: a row deleted, changed, or added for another entry is named by seq",
    arguments: ["delete", "change", "add"])
  func donationReferences(edit: String) throws {
    let tampered = try Tampered()
    let fixture = tampered.fixture
    var gifts: [AppendedEntry] = []
    for ref in ["WX0001", "WX0002"] {
      gifts.append(
        try fixture.ledger.donate(
          DonationInput(
            unit: "GA-BC-JSL", amount: Money(fen: 1_000), donor: "李四", channel: .wechat,
            reference: ref),
          signer: fixture.communityTreasurer))
    }
    #expect(try tampered.verify().isClean)
    let last = try fixture.ledger.donate(
      DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 500), donor: "王五", channel: .wechat),
      signer: fixture.communityTreasurer)
    let seq: Int64
    switch edit {
    case "delete":
      seq = gifts[0].seq
      try tampered.execute("DELETE FROM donation_ref WHERE seq = ?", [seq])
    case "change":
      seq = gifts[1].seq
      try tampered.execute("UPDATE donation_ref SET ref = 'WX9999' WHERE seq = ?", [seq])
    default:
      seq = last.seq
      try tampered.execute("INSERT INTO donation_ref (seq, ref) VALUES (?, 'WX0001')", [seq])
    }
    let report = try tampered.verify()
    let problem = try #require(report.problems.first, "\(edit)")
    #expect(problem.seq == seq && problem.table == "donation_ref", "\(report.problems)")
    #expect(problem.code == "projection-mismatch")
  }

  @Test("the untouched fixture verifies")
  func clean() throws {
    let report = try Tampered().verify()
    #expect(report.isClean, "\(report.problems)")
    #expect(report.entryCount == 18)
  }

  @Test("every single-byte change of a donation entry is caught and named")
  func everyByteOfAnEntry() throws {
    let tampered = try Tampered()
    let seq: Int64 = 12
    let original = try tampered.canonical(seq)
    for offset in original.indices {
      var changed = original
      changed[offset] ^= 0x01
      try tampered.setCanonical(seq, changed)
      let report = try tampered.verify()
      #expect(!report.isClean && report.problems.first?.seq == seq, "byte \(offset) not caught")
      #expect(report.lastVerifiedSeq == seq - 1)
    }
    try tampered.setCanonical(seq, original)
    #expect(try tampered.verify().isClean)
  }

  @Test("a change to a stored hash, a signature or a commit's author is caught")
  func hashesAndSignatures() throws {
    let tampered = try Tampered()
    try tampered.execute("UPDATE entry SET hash = zeroblob(32) WHERE seq = 5")
    #expect(try tampered.verify().problems.first?.seq == 5)

    let second = try Tampered()
    try second.execute(
      "UPDATE ledger_commit SET signature = zeroblob(64) WHERE first_seq = 14")
    let report = try second.verify()
    #expect(report.problems.first?.seq == 14)
    #expect(report.problems.first?.message.contains("签名无效") == true)

    let third = try Tampered()
    try third.execute(
      "UPDATE ledger_commit SET author = (SELECT author FROM ledger_commit WHERE first_seq = 0) WHERE first_seq = 12"
    )
    #expect(try third.verify().problems.first?.seq == 12)
  }

  @Test("deleting an entry in the middle or at the end is caught and named")
  func deletion() throws {
    let middle = try Tampered()
    try middle.execute("DELETE FROM entry WHERE seq = 11")
    let report = try middle.verify()
    #expect(report.problems.first?.seq == 11)
    #expect(report.problems.first?.message.contains("缺失") == true)

    let end = try Tampered()
    try end.execute("DELETE FROM entry WHERE seq = 17")
    let last = try end.verify()
    #expect(last.problems.first?.seq == 17)
  }

  @Test("inserting an entry is caught")
  func insertion() throws {
    let tampered = try Tampered()
    let bytes = try tampered.canonical(17)
    try tampered.execute(
      "INSERT INTO entry (seq, hash, canonical, commit_seq) VALUES (18, randomblob(32), ?, 17)",
      [bytes])
    let report = try tampered.verify()
    #expect(report.problems.first?.seq == 18)
  }

  @Test("reordering two entries is caught at the first moved one")
  func reordering() throws {
    let tampered = try Tampered()
    try tampered.db.write { db in
      let rows = try Row.fetchAll(
        db, sql: "SELECT seq, hash, canonical FROM entry WHERE seq IN (12, 13)")
      try db.execute(sql: "UPDATE entry SET hash = randomblob(32) WHERE seq = 12")
      try db.execute(
        sql: "UPDATE entry SET hash = ?, canonical = ? WHERE seq = ?",
        arguments: [rows[0]["hash"], rows[0]["canonical"], 13])
      try db.execute(
        sql: "UPDATE entry SET hash = ?, canonical = ? WHERE seq = ?",
        arguments: [rows[1]["hash"], rows[1]["canonical"], 12])
    }
    let report = try tampered.verify()
    #expect(report.problems.first?.seq == 12)
  }

  @Test("a changed projection is caught by rebuilding from the log")
  func projections() throws {
    for sql in [
      "UPDATE daily_balance SET amount_fen = amount_fen + 1 WHERE account = 'assets:bank' AND unit = 'GA-BC-JSL'",
      "UPDATE unit SET name = '改名社区' WHERE code = 'GA-BC-JSL'",
      "UPDATE member_grant SET role = 'admin' WHERE name = '王芳'",
      "UPDATE allocation SET status = 'confirmed', settled_seq = 17 WHERE id = 17",
      "DELETE FROM fund WHERE code = 'elderly-canteen'",
      "UPDATE ledger_meta SET value = 'evil.example/ga' WHERE key = 'origin'",
      "UPDATE ledger_meta SET value = 'Pacific/Kiritimati' WHERE key = 'time_zone'",
    ] {
      let tampered = try Tampered()
      try tampered.execute("" + sql)
      let report = try tampered.verify()
      #expect(!report.isClean, "not caught: \(sql)")
      #expect(
        report.problems.allSatisfy {
          $0.message.contains("投影表") || $0.message.contains("不平衡")
            || $0.message.contains("ledger_meta")
        })
    }
  }

  @Test("a changed donor record no longer opens its commitment")
  func donorPrivate() throws {
    let tampered = try Tampered()
    try tampered.execute(
      "UPDATE donor_private SET personal = CAST('{\"name\":\"李四\"}' AS BLOB) WHERE seq = 11")
    let report = try tampered.verify()
    #expect(report.problems.map(\.seq) == [11])
    // Deleting the row behind the ledger's back is named: erasing a donor
    // on request is `almoner erase`, recorded in the log (ErasureTests).
    let erased = try Tampered()
    try erased.execute("DELETE FROM donor_private WHERE seq = 11")
    let missing = try erased.verify()
    #expect(missing.problems.map(\.seq) == [11], "\(missing.problems)")
    #expect(missing.problems.first?.message.contains("没有删除它的记录") == true)
  }

  @Test("a file that is not a ledger is refused by name")
  func notALedger() throws {
    let dir = try TemporaryDirectory()
    try Data("hello".utf8).write(to: URL(fileURLWithPath: dir.path("x.db")))
    #expect {
      try Ledger.open(at: dir.path("x.db"))
    } throws: { ($0 as? AlmonerError)?.code == "not-a-ledger" }
    let other = try DatabaseQueue(path: dir.path("other.db"))
    try other.write { try $0.execute(sql: "CREATE TABLE t (x)") }
    #expect {
      try Ledger.open(at: dir.path("other.db"))
    } throws: { ($0 as? AlmonerError)?.code == "not-a-ledger" }
    #expect {
      try Ledger.open(at: dir.path("missing.db"))
    } throws: { ($0 as? AlmonerError)?.code == "ledger-missing" }
  }
}
