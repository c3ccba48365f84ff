import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerLog
@testable import AlmonerStore

/// Edits of the file made without any key, then a write by an honest key
/// holder: the write must refuse, name the table, sign nothing and leave the
/// file as it was (issue: writes trusted tables anyone can edit; planted
/// triggers ran inside the next write).
@Suite("Writes refuse a ledger edited outside almoner")
struct StateTrustTests {
  struct Edited {
    let fixture: Fixture
    let db: DatabaseQueue

    init() throws {
      fixture = try Fixture()
      for index in 0..<3 { try fixture.donate("\(index + 1)00", donor: "捐赠人\(index)") }
      try fixture.donate("4000", to: "GA", signer: fixture.districtTreasurer)
      db = try DatabaseQueue(path: fixture.path)
    }

    /// Runs `sql` with foreign keys off, as an attacker editing the file would.
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
      try db.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        try db.execute(sql: sql, arguments: arguments)
      }
    }

    /// The honest write each attack is tried against: a ¥1.00 cash gift.
    static func donateOne(_ ledger: Ledger, signer: SigningKey) throws(AlmonerError) {
      try ledger.donate(
        DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "张三", channel: .cash),
        signer: signer)
    }

    /// Rows for a key nobody granted, as an attacker would add them.
    func plantMember(unit: String, role: String, grantedSeq: Int64) throws -> SigningKey {
      let outsider = SigningKey.generate()
      try execute(
        "INSERT INTO member_key (key_id, public_key, name, person_id) VALUES (?, ?, '外人', ?)",
        [outsider.keyID, Data(outsider.publicKey.raw), outsider.keyID])
      try execute(
        "INSERT INTO member_grant (key_id, unit, role, name, granted_seq) VALUES (?, ?, ?, '外人', ?)",
        [outsider.keyID, unit, role, grantedSeq])
      return outsider
    }

    func entryCount() throws -> Int {
      try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM entry") ?? -1 }
    }

    /// A fresh process's view: a newly opened ledger, no cached state.
    func reopened() throws -> Ledger {
      try Ledger.open(at: fixture.path, clock: Fixture.fixedClock)
    }

    /// Expects `write` on a freshly opened ledger to be refused as tampering
    /// naming `table`, with no entry added.
    func expectRefused(
      naming table: String, sourceLocation: SourceLocation = #_sourceLocation,
      _ write: (Ledger) throws(AlmonerError) -> Void
    ) throws {
      let before = try entryCount()
      let ledger = try reopened()
      do {
        try write(ledger)
        Issue.record("the write went through", sourceLocation: sourceLocation)
      } catch {
        #expect(error.kind == .verificationFailed, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(table), "\(error)", sourceLocation: sourceLocation)
        #expect(
          error.message.contains("almoner verify ledger"), "\(error)",
          sourceLocation: sourceLocation)
      }
      #expect(try entryCount() == before, sourceLocation: sourceLocation)
    }
  }

  @Test("an untouched ledger keeps accepting writes from fresh processes")
  func untouched() throws {
    let edited = try Edited()
    try edited.reopened().donate(
      DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "周七", channel: .cash),
      signer: edited.fixture.communityTreasurer)
    try edited.reopened().allocate(
      from: "GA", to: "GA-BC", amount: Money(fen: 100), fund: nil,
      signer: edited.fixture.districtTreasurer)
    #expect(try edited.reopened().verify().isClean)
  }

  @Test("the digest of the state loaded from the tables equals the one sealed from memory")
  func sealedDigestMatchesLoadedState() throws {
    let edited = try Edited()
    let sealed = try #require(try edited.db.read { try LedgerStore.stateSeal($0) })
    let loaded = try edited.db.read { try LedgerStore.loadState($0) }
    #expect(StateDigest(loaded).root == sealed.digest)
    #expect(StateDigest(serialized: sealed.components)?.root == sealed.digest)
  }

  @Test("an inflated daily_balance row does not fund an allocation")
  func inflatedBalance() throws {
    let edited = try Edited()
    try edited.execute(
      "UPDATE daily_balance SET amount_fen = amount_fen + 100000000 WHERE unit = 'GA' AND account = 'assets:bank'"
    )
    try edited.expectRefused(naming: "daily_balance") { ledger throws(AlmonerError) in
      try ledger.allocate(
        from: "GA", to: "GA-BC", amount: Money(fen: 100_000_000), fund: nil,
        signer: edited.fixture.districtTreasurer)
    }
  }

  @Test("a member_grant row planted for an outsider lets nobody sign")
  func plantedGrant() throws {
    let edited = try Edited()
    let outsider = try edited.plantMember(unit: "GA-BC-JSL", role: "treasurer", grantedSeq: 1)
    try edited.expectRefused(naming: "member_") { ledger throws(AlmonerError) in
      try Edited.donateOne(ledger, signer: outsider)
    }
  }

  @Test("swapped unit names do not redirect an allocation")
  func swappedUnitNames() throws {
    let edited = try Edited()
    try edited.execute(
      """
      UPDATE unit SET name = CASE code WHEN 'GA-BC-JSL' THEN '文化路社区' ELSE '建设路社区' END
      WHERE code IN ('GA-BC-JSL', 'GA-BC-WHL')
      """)
    try edited.expectRefused(naming: "unit") { ledger throws(AlmonerError) in
      try Edited.donateOne(ledger, signer: edited.fixture.communityTreasurer)
    }
  }

  @Test("an edited ledger_meta time zone cannot date a donation tomorrow")
  func editedTimeZone() throws {
    let edited = try Edited()
    try edited.execute(
      "UPDATE ledger_meta SET value = 'Pacific/Kiritimati' WHERE key = 'time_zone'")
    try edited.expectRefused(naming: "ledger_meta") { ledger throws(AlmonerError) in
      try Edited.donateOne(ledger, signer: edited.fixture.communityTreasurer)
    }
  }

  @Test("a seal re-signed by a key the log never granted is refused")
  func resealedByOutsider() throws {
    let edited = try Edited()
    let outsider = try edited.plantMember(unit: "GA", role: "admin", grantedSeq: 5)
    // The attacker recomputes the digest of the edited tables and signs a seal
    // of their own, exactly as the program would.
    try edited.db.writeWithoutTransaction { db in
      let state = try LedgerStore.loadState(db)
      let digest = StateDigest(state)
      var seal = try #require(try LedgerStore.stateSeal(db))
      let head = try #require(try LedgerStore.head(db))
      seal.digest = digest.root
      seal.components = digest.serialized
      seal.author = outsider.keyID
      seal.signature = outsider.sign(
        StateSeal.statement(
          ledgerID: state.ledgerID!, lastSeq: head.seq, lastHash: head.hash,
          treeRoot: seal.treeRoot, digest: digest.root))
      try db.inTransaction {
        try LedgerStore.writeStateSeal(seal, db)
        return .commit
      }
    }
    try edited.expectRefused(naming: "state_seal") { ledger throws(AlmonerError) in
      try Edited.donateOne(ledger, signer: outsider)
    }
  }

  @Test("an edited Merkle node is refused before anything is signed over it")
  func editedMerkleNode() throws {
    let fixture = try Fixture()
    for index in 0..<20 { try fixture.donate("1\(index)", donor: "捐赠人\(index)") }
    let db = try DatabaseQueue(path: fixture.path)
    try db.write { try $0.execute(sql: "UPDATE merkle_node SET hash = zeroblob(32)") }
    let ledger = try Ledger.open(at: fixture.path, clock: Fixture.fixedClock)
    #expect(throws: AlmonerError.self) {
      try Edited.donateOne(ledger, signer: fixture.communityTreasurer)
    }
  }

  @Test("a reversal reads the reversed entry's bytes only once they are proven in the sealed tree")
  func editedReversedEntry() throws {
    let edited = try Edited()
    let target = try edited.fixture.donate("10", donor: "李四")
    try edited.fixture.donate("1", donor: "王五")
    // Raise the amount inside the donation's bytes and fix its stored hash.
    try edited.db.write { db in
      let bytes = try #require(
        try Data.fetchOne(
          db, sql: "SELECT canonical FROM entry WHERE seq = ?", arguments: [target.seq]))
      let text = String(decoding: bytes, as: UTF8.self)
      let raised = Data(
        text.replacingOccurrences(of: "\"amountFen\":1000", with: "\"amountFen\":9000").utf8)
      #expect(raised != bytes)
      try db.execute(
        sql: "UPDATE entry SET canonical = ?, hash = ? WHERE seq = ?",
        arguments: [raised, Data(SHA256.leafHash([UInt8](raised)).bytes), target.seq])
    }
    try edited.expectRefused(naming: "签封") { ledger throws(AlmonerError) in
      try ledger.reverse(seq: target.seq, reason: "录错", signer: edited.fixture.communityTreasurer)
    }
  }

  @Test("a ledger without a seal (an earlier version's) is replayed once, then sealed")
  func unsealedLedger() throws {
    let edited = try Edited()
    try edited.execute("DELETE FROM state_seal")
    try edited.reopened().donate(
      DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "周七", channel: .cash),
      signer: edited.fixture.communityTreasurer)
    #expect(try edited.db.read { try LedgerStore.stateSeal($0) } != nil)
    // Without a seal, an edited table is still caught: by the replay.
    try edited.execute("DELETE FROM state_seal")
    try edited.execute("UPDATE unit SET name = '假社区' WHERE code = 'GA-BC-JSL'")
    try edited.expectRefused(naming: "unit") { ledger throws(AlmonerError) in
      try Edited.donateOne(ledger, signer: edited.fixture.communityTreasurer)
    }
  }

  @Test(
    "a planted trigger, view or table stops every write and is reported by verify",
    arguments: [
      "CREATE TRIGGER erase_donor AFTER INSERT ON donor_private BEGIN DELETE FROM donor_private WHERE seq = NEW.seq; END",
      "CREATE TABLE leak (personal BLOB)",
      "CREATE VIEW balances AS SELECT * FROM daily_balance",
      "CREATE INDEX entry_by_commit ON entry (commit_seq)",
    ])
  func plantedSchemaObject(sql: String) throws {
    let edited = try Edited()
    try edited.execute(sql)
    try edited.expectRefused(naming: "数据库结构") { ledger throws(AlmonerError) in
      try Edited.donateOne(ledger, signer: edited.fixture.communityTreasurer)
    }
    let report = try edited.reopened().verify()
    #expect(report.problems.contains { $0.message.contains("多出了") }, "\(report.problems)")
  }

  @Test("a changed trigger-free definition of a shipped table is reported too")
  func changedTable() throws {
    let edited = try Edited()
    try edited.execute("DROP TABLE reversal")
    try edited.execute("CREATE TABLE reversal (reversed_seq INTEGER, reversing_seq INTEGER)")
    let report = try edited.reopened().verify()
    #expect(
      report.problems.contains { $0.message.contains("表 reversal 的定义") }, "\(report.problems)")
  }
}

/// Entry times never run backwards and no entry is dated after its time's day.
@Suite("Entry time and date")
struct EntryTimeTests {
  /// Rewrites the last entry of `fixture` through `edit` and re-signs its
  /// commit with `signer`, as a key holder with another tool could.
  static func rewriteHead(
    _ fixture: Fixture, signer: SigningKey, _ edit: (inout String) -> Void
  ) throws {
    let db = try DatabaseQueue(path: fixture.path)
    try db.write { db in
      let head = try #require(try LedgerStore.head(db))
      let headBytes = try #require(try LedgerStore.canonicalBytes(db, seq: head.seq))
      var text = String(decoding: headBytes, as: UTF8.self)
      edit(&text)
      let bytes = [UInt8](text.utf8)
      let hash = SHA256.leafHash(bytes)
      let ledgerIDText = try #require(try LedgerStore.meta(db, "ledger_id"))
      let ledgerID = try #require(Hash32(hex: ledgerIDText))
      let commit = try #require(try LedgerStore.commit(containing: head.seq, db))
      try db.execute(
        sql: "UPDATE entry SET canonical = ?, hash = ? WHERE seq = ?",
        arguments: [Data(bytes), Data(hash.bytes), head.seq])
      try db.execute(
        sql: "UPDATE ledger_commit SET signature = ? WHERE first_seq = ?",
        arguments: [
          Data(
            signer.sign(
              Commit.statement(
                ledgerID: ledgerID, firstSeq: commit.firstSeq, lastSeq: commit.lastSeq,
                lastHash: hash))),
          commit.firstSeq,
        ])
    }
  }

  @Test("verify names an entry whose time is earlier than the one before it")
  func timeRunsBackwards() throws {
    let fixture = try Fixture()
    try fixture.donate("10")
    let time = LedgerClock.rfc3339(unixSeconds: 1_795_000_000)
    let earlier = LedgerClock.rfc3339(unixSeconds: 1_794_990_000)
    try EntryTimeTests.rewriteHead(fixture, signer: fixture.communityTreasurer) {
      $0 = $0.replacingOccurrences(of: "\"time\":\"\(time)\"", with: "\"time\":\"\(earlier)\"")
    }
    let report = try Ledger.open(at: fixture.path).verify()
    #expect(report.problems.contains { $0.message.contains("时间倒退") }, "\(report.problems)")
  }

  @Test("verify names an entry dated after the day of its time")
  func dateInTheFuture() throws {
    let fixture = try Fixture()
    try fixture.donate("10")
    let today = try Fixture.fixedClock.today(in: "Asia/Shanghai")
    try EntryTimeTests.rewriteHead(fixture, signer: fixture.communityTreasurer) {
      $0 = $0.replacingOccurrences(of: "\"date\":\"\(today)\"", with: "\"date\":\"2099-12-31\"")
    }
    let report = try Ledger.open(at: fixture.path).verify()
    #expect(report.problems.contains { $0.message.contains("不能预先记账") }, "\(report.problems)")
  }

  @Test("a clock behind the log's last entry writes nothing")
  func clockBehindTheLog() throws {
    let fixture = try Fixture()
    let behind = LedgerClock(now: { Date(timeIntervalSince1970: 1_794_000_000) })
    let ledger = try Ledger.open(at: fixture.path, clock: behind)
    #expect(throws: AlmonerError.self) {
      try ledger.donate(
        DonationInput(
          unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "张三", channel: .cash,
          date: try AccountingDate("2026-11-01")),
        signer: fixture.communityTreasurer)
    }
  }

  @Test("entry times parse exactly as they are written, and nothing else does")
  func entryTimeParsing() {
    for seconds: Int64 in [0, 1_795_000_000, 951_782_400, 4_102_444_799] {
      #expect(
        LedgerClock.unixSeconds(entryTime: LedgerClock.rfc3339(unixSeconds: seconds)) == seconds)
    }
    for bad in [
      "2026-12-03T08:00:00", "2026-12-03 08:00:00Z", "2026-12-03T24:00:00Z",
      "2026-02-30T08:00:00Z", "2026-12-03T08:00:00+08:00", "2026-12-03T08:00:60Z",
    ] {
      #expect(LedgerClock.unixSeconds(entryTime: bad) == nil, "\(bad)")
    }
  }

  @Test("day numbers and dates convert both ways, leap days included")
  func dayNumbers() throws {
    #expect(AccountingDate(daysSince1970: 0).text == "1970-01-01")
    #expect(AccountingDate(daysSince1970: 20_454).text == "2026-01-01")
    #expect(AccountingDate(daysSince1970: 11_016).text == "2000-02-29")
    for days in stride(from: Int64(-25_567), through: 60_000, by: 7) {
      let date = AccountingDate(daysSince1970: days)
      #expect(try AccountingDate(date.text).daysSince1970 == days, "\(days)")
    }
  }

  @Test("ALMONER_FIXED_TIME is read only inside #if DEBUG: the release binary ignores it")
  func fixedTimeIsDebugOnly() throws {
    let sources = packageRoot.appendingPathComponent("Sources")
    let files =
      FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") } ?? []
    var uses = 0
    for file in files {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      var depth = 0
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("#if DEBUG") { depth += 1 }
        if trimmed.hasPrefix("#endif"), depth > 0 { depth -= 1 }
        if line.contains("\"ALMONER_FIXED_TIME\"") {
          uses += 1
          #expect(depth > 0, "\(file): \(line)")
        }
      }
    }
    #expect(uses >= 1)
  }
}
