import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerLog
@testable import AlmonerStore

/// Attacks from the second outside review of issue 7, run against the fixes
/// that closed it: each one got an honest key holder's next write through.
@Suite("Second outside review: edits that still got through")
struct ReviewAttackTests {
  @Test(
    "a trigger or table named like a statistics table is schema like any other",
    arguments: [
      "CREATE TRIGGER sqlite_stat_t AFTER INSERT ON donor_private BEGIN DELETE FROM donor_private WHERE seq = NEW.seq; END",
      "CREATE TABLE sqlite_stat_leak (seq INTEGER, personal BLOB)",
      "CREATE VIEW sqlite_stat9 AS SELECT * FROM donor_private",
    ])
  func statisticsNamedObject(sql: String) throws {
    let edited = try StateTrustTests.Edited()
    // Names starting with sqlite_ are reserved, but not with writable_schema.
    try edited.db.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA writable_schema = ON")
      try db.execute(sql: sql)
      try db.execute(sql: "PRAGMA writable_schema = OFF")
    }
    try edited.expectRefused(naming: "数据库结构") { ledger throws(AlmonerError) in
      try ledger.donate(
        DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "张三", channel: .cash),
        signer: edited.fixture.communityTreasurer)
    }
    let report = try edited.reopened().verify()
    #expect(report.problems.contains { $0.message.contains("多出了") }, "\(report.problems)")
  }

  @Test("an erasure refuses a donor_private row swapped with another entry's")
  func swappedPersonalData() throws {
    let edited = try StateTrustTests.Edited()
    let rows = try edited.db.read { db in
      try Row.fetchAll(
        db, sql: "SELECT seq, salt, personal FROM donor_private ORDER BY seq LIMIT 2")
    }
    try #require(rows.count == 2)
    let (first, second): (Int64, Int64) = (rows[0][0], rows[1][0])
    let swap = "UPDATE donor_private SET salt = ?, personal = ? WHERE seq = ?"
    try edited.execute(swap, [rows[1][1], rows[1][2], first])
    try edited.execute(swap, [rows[0][1], rows[0][2], second])
    // Erasing the first donor's data would delete the second's and keep theirs.
    try edited.expectRefused(naming: "donor_private") { ledger throws(AlmonerError) in
      try ledger.erase(seq: first, signer: edited.fixture.admin)
    }
    let kept = try edited.db.read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM donor_private")
    }
    #expect(kept == 4)
  }

  @Test("keys export does not hand residents a key planted in member_grant")
  func plantedKeyInTrustBundle() throws {
    let edited = try StateTrustTests.Edited()
    let outsider = SigningKey.generate()
    try edited.execute(
      "INSERT INTO member_key (key_id, public_key, name, person_id) VALUES (?, ?, '李明', ?)",
      [outsider.keyID, Data(outsider.publicKey.raw), outsider.keyID])
    try edited.execute(
      "INSERT INTO member_grant (key_id, unit, role, name, granted_seq) VALUES (?, 'GA', 'admin', '李明', 0)",
      [outsider.keyID])
    let ledger = try edited.reopened()
    do throws(AlmonerError) {
      let bundle = try ledger.trustBundle()
      #expect(
        !bundle.logKeys.contains { $0.keyID == outsider.keyID },
        "the outsider's key was exported as a log key")
    } catch {
      #expect(error.kind == .verificationFailed, "\(error)")
      #expect(error.message.contains("member_"), "\(error)")
    }
  }

  @Test("the statistics tables ANALYZE makes are still allowed")
  func analyzedLedger() throws {
    let edited = try StateTrustTests.Edited()
    try edited.execute("ANALYZE")
    #expect(
      try edited.db.read { try Bool.fetchOne($0, sql: "SELECT count(*) > 0 FROM sqlite_stat1") }
        == true)
    try edited.reopened().donate(
      DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "周七", channel: .cash),
      signer: edited.fixture.communityTreasurer)
    #expect(try edited.reopened().verify().isClean)
  }
}

/// Person names: a variation selector draws nothing after a CJK character,
/// so `冯区` + U+FE0F is the same name on every screen.
@Suite("Second outside review: names that look the same")
struct ReviewNameTests {
  @Test(
    "a second key under an active member's name plus a variation selector is refused",
    arguments: ["冯区\u{FE0F}", "冯\u{FE00}区", "冯区\u{E0100}", "冯区\u{180B}"])
  func variationSelectorName(name: String) throws {
    let f = try SupervisionFixture()
    try expectRefused(f.base, code: .grantNameHeld) {
      try f.ledger.addMember(
        unit: "GA", role: .approver, name: name, publicKey: SigningKey.generate().publicKey,
        signer: f.base.admin)
    }
  }
}
