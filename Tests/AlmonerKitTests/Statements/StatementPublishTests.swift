import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// `statement.publish`: the rules, the kept statement files, corrections,
/// the previous statement, and the statements in the public log.
@Suite("Publishing statements (statement.publish)")
struct StatementPublishTests {
  /// 建设路社区's November statement countersigned by the street's supervisor.
  static func countersigned(_ s: StatementFixture) throws -> AlmonerKit.Statement {
    try s.december.cosignStatement(try s.statement(), signer: s.fixture.supervisor)
  }

  @Test("publish appends one entry with the hash, unit, period and scope, and keeps the file")
  func publishes() throws {
    let s = try StatementFixture()
    let statement = try Self.countersigned(s)
    let appended = try s.december.publishStatement(statement, signer: s.fixture.communityTreasurer)
    guard case .statementPublish(let body) = appended.entry.body else {
      #expect(appended.entry.kind == .statementPublish)
      return
    }
    #expect(body.hash == statement.hash && body.unit == "GA-BC-JSL" && body.period == "2026-11")
    #expect(!body.subtree && body.supersedes == nil && body.reason == nil)
    let state = try s.december.state()
    #expect(state.statements[statement.hash]?.seq == appended.seq)
    let kept = try s.december.read { db in try LedgerStore.statementFile(db, hash: statement.hash) }
    #expect(kept == statement.fileBytes)
    #expect(try s.december.verify().isClean)
    // Recorded once; a second statement of the period must be a correction.
    try expectRefused(s.fixture, code: .statementAlreadyPublished) {
      try s.december.publishStatement(statement, signer: s.fixture.communityTreasurer)
    }
    try expectRefused(
      s.fixture, code: .statementCorrectionReasonMissing, containing: "--correction-reason"
    ) {
      _ = try s.statement()
    }
  }

  @Test(
    "the audit recomputes published statements: a faithful one passes; one published around the recheck with a changed figure is named by its publish entry"
  )
  func auditRecomputesPublished() throws {
    let s = try StatementFixture()
    let statement = try Self.countersigned(s)
    try s.december.publishStatement(statement, signer: s.fixture.communityTreasurer)
    func mismatches() throws -> [AuditFinding] {
      try Ledger.open(at: s.fixture.path, clock: Fixture.fixedClock, access: .readOnly).audit(
        AuditScope()
      ).findings.filter { $0.code == "statement-mismatch" }
    }
    #expect(try mismatches().isEmpty)
    // Key holders who publish without `publishStatement` (which recomputes
    // first): ¥1 more donations, signed again by both.
    var forged = statement
    forged.funds[0].donationsFen["wechat", default: 0] += 100
    forged.signatures = []
    forged.sign(as: .treasurer, name: "王芳", with: s.fixture.communityTreasurer)
    forged.sign(
      as: .supervisor, name: "郑华", with: s.fixture.supervisor,
      grants: statement.signatures.first { $0.role == .supervisor }?.grants ?? [])
    let appended = try s.december.commit(signer: s.fixture.communityTreasurer) { _ in
      [
        EntryDraft(
          body: .statementPublish(
            StatementPublishBody(
              hash: forged.hash, period: "2026-11", reason: "更正", subtree: false,
              supersedes: statement.hash, unit: "GA-BC-JSL")),
          statementFile: forged.fileBytes)
      ]
    }[0]
    let found = try mismatches()
    #expect(found.map(\.seqs) == [[appended.seq]], "\(found)")
    #expect(found.first?.severity == .critical)
    #expect(found.first?.message.contains("2026-11") == true)
    // Out of scope: another unit, or a period the audit does not meet.
    let other = try Ledger.open(at: s.fixture.path, clock: Fixture.fixedClock, access: .readOnly)
    #expect(
      try other.audit(AuditScope(unit: "GA-BC-WHL")).findings.allSatisfy {
        $0.code != "statement-mismatch"
      })
    #expect(
      try other.audit(AuditScope(from: try AccountingDate("2026-12-01"))).findings.allSatisfy {
        $0.code != "statement-mismatch"
      })
  }

  @Test(
    "the rules: a second statement must supersede the one in force, with a reason; a first must not"
  )
  func rules() throws {
    let s = try StatementFixture()
    let statement = try Self.countersigned(s)
    try s.december.publishStatement(statement, signer: s.fixture.communityTreasurer)
    let other = Hash32(bytes: [UInt8](repeating: 7, count: 32))!
    func publish(_ body: StatementPublishBody, signer: SigningKey? = nil) throws {
      try s.december.commit(signer: signer ?? s.fixture.communityTreasurer) { _ in
        [EntryDraft(body: .statementPublish(body))]
      }
    }
    try expectRefused(s.fixture, code: .statementNeedsCorrection) {
      try publish(
        StatementPublishBody(hash: other, period: "2026-11", subtree: false, unit: "GA-BC-JSL"))
    }
    try expectRefused(s.fixture, code: .statementCorrectsWrong) {
      try publish(
        StatementPublishBody(
          hash: other, period: "2026-11", reason: "更正", subtree: false, supersedes: other,
          unit: "GA-BC-JSL"))
    }
    try expectRefused(s.fixture, code: .statementCorrectsNothing) {
      try publish(
        StatementPublishBody(
          hash: other, period: "2026-10", reason: "更正", subtree: false,
          supersedes: statement.hash, unit: "GA-BC-JSL"))
    }
    try expectRefused(
      s.fixture, code: .entryFieldInvalid, containing: "statement.publish.reason 缺失"
    ) {
      try publish(
        StatementPublishBody(
          hash: other, period: "2026-11", subtree: false, supersedes: statement.hash,
          unit: "GA-BC-JSL"))
    }
    try expectRefused(
      s.fixture, code: .entryFieldInvalid, containing: "statement.publish.reason 只用于更正报表"
    ) {
      try publish(
        StatementPublishBody(
          hash: other, period: "2026-10", reason: "更正", subtree: false, unit: "GA-BC-JSL"))
    }
    try expectRefused(
      s.fixture, code: .entryFieldInvalid, containing: "statement.publish.period 应为月份"
    ) {
      try publish(
        StatementPublishBody(hash: other, period: "2026-13", subtree: false, unit: "GA-BC-JSL"))
    }
    try expectRefused(s.fixture, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的记账员或管理员") {
      try publish(
        StatementPublishBody(hash: other, period: "2026-10", subtree: false, unit: "GA-BC-JSL"),
        signer: s.fixture.otherTreasurer)
    }
    // The same unit and period rolled up is another scope: a first statement.
    try publish(
      StatementPublishBody(hash: other, period: "2026-11", subtree: true, unit: "GA-BC-JSL"))
    // A correction naming the one in force goes in.
    try publish(
      StatementPublishBody(
        hash: Hash32(bytes: [UInt8](repeating: 8, count: 32))!, period: "2026-11", reason: "更正",
        subtree: false, supersedes: statement.hash, unit: "GA-BC-JSL"))
    let state = try s.december.state()
    #expect(
      state.publishedStatement(unit: "GA-BC-JSL", period: "2026-11", subtree: false)?.supersedes
        == statement.hash)
    // The files of the two hand-made entries are missing: verify says so.
    let report = try s.december.verify()
    #expect(report.problems.filter { $0.message.contains("的文件（statement_file）缺失") }.count == 2)
  }

  @Test("a statement made before the previous period's was published is refused at countersigning")
  func stalePrevious() throws {
    let s = try StatementFixture()
    let november = try s.statement()
    #expect(november.previous == nil)
    let october = try s.december.makeStatement(
      unit: "GA-BC-JSL", period: try StatementPeriod("2026-10"),
      signer: s.fixture.communityTreasurer)
    let cosigned = try s.december.cosignStatement(october, signer: s.fixture.supervisor)
    try s.december.publishStatement(cosigned, signer: s.fixture.communityTreasurer)
    #expect {
      try s.december.cosignStatement(november, signer: s.fixture.supervisor)
    } throws: {
      ($0 as? AlmonerError)?.message.contains("上一期报表不同（报表写 无，账本中现为 \(october.hash.hex)）") == true
    }
    // Made again, it names October and opens with October's closing balances.
    let again = try s.statement()
    #expect(again.previous == october.hash)
    #expect(again.openingProblem(previous: cosigned) == nil)
    #expect(
      again.funds.first { $0.code == "general" }?.openingFen
        == october.funds.first { $0.code == "general" }?.closingFen)
  }

  @Test("a changed statement file is reported by verify ledger and refused by publish DIR")
  func editedFile() throws {
    let s = try StatementFixture()
    let statement = try Self.countersigned(s)
    try s.december.publishStatement(statement, signer: s.fixture.communityTreasurer)
    _ = try s.december.createCheckpoint(signer: s.fixture.admin)
    try s.december.commitCosignature(supervisor: s.fixture.supervisor)
    let db = try DatabaseQueue(path: s.fixture.path)
    let edited = String(decoding: statement.fileBytes, as: UTF8.self)
      .replacingOccurrences(of: "\"cash\":30000", with: "\"cash\":30001")
    #expect(edited != String(decoding: statement.fileBytes, as: UTF8.self))
    try db.write { db in
      try db.execute(sql: "UPDATE statement_file SET bytes = ?", arguments: [Data(edited.utf8)])
    }
    try db.close()
    let reopened = try Ledger.open(at: s.fixture.path, clock: StatementFixture.decemberClock)
    let report = try reopened.verify()
    #expect(report.problems.contains { $0.message.contains("与发布记录的哈希不符") }, "\(report.problems)")
    #expect {
      try reopened.publish(to: s.fixture.directory.path("public-log"))
    } throws: { ($0 as? AlmonerError)?.code == "statement-file-missing" }
  }

  @Test("an edited statement_publish row is tampering: the next write is refused, naming the table")
  func editedProjection() throws {
    let s = try StatementFixture()
    let statement = try Self.countersigned(s)
    try s.december.publishStatement(statement, signer: s.fixture.communityTreasurer)
    let db = try DatabaseQueue(path: s.fixture.path)
    try db.write { db in
      try db.execute(sql: "UPDATE statement_publish SET period = '2026-10'")
    }
    try db.close()
    let reopened = try Ledger.open(at: s.fixture.path, clock: StatementFixture.decemberClock)
    #expect {
      try reopened.donate(
        DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "周七", channel: .cash),
        signer: s.fixture.communityTreasurer)
    } throws: { ($0 as? AlmonerError)?.message.contains("statement_publish") == true }
  }

  @Test("the public log holds every published statement and an index; no donor's name in any file")
  func publicLog() throws {
    let s = try StatementFixture()
    let community = try Self.countersigned(s)
    try s.december.publishStatement(community, signer: s.fixture.communityTreasurer)
    let street = try s.december.cosignStatement(
      try s.statement("GA-BC", subtree: true), signer: s.fixture.supervisor)
    try s.december.publishStatement(street, signer: s.fixture.streetTreasurer)
    _ = try s.december.createCheckpoint(signer: s.fixture.admin)
    try s.december.commitCosignature(supervisor: s.fixture.supervisor)
    let directory = s.fixture.directory.path("public-log")
    let published = try s.december.publish(to: directory)
    #expect(published.statementsWritten == 2)
    for statement: AlmonerKit.Statement in [community, street] {
      let file = FileManager.default.contents(
        atPath: directory + "/" + PublicLogReader.statementPath(statement.hash))
      #expect(file.map { [UInt8]($0) } == statement.fileBytes)
    }
    let indexData = FileManager.default.contents(atPath: directory + "/statements/index.json")
    let index = try JSONValue.parse(Array(indexData ?? Data()))
    let listed = index.objectValue?["statements"]?.arrayValue ?? []
    #expect(listed.count == 2)
    #expect(listed.last?.objectValue?["subtree"] == .bool(true))
    #expect(listed.last?.objectValue?["unit"] == .string("GA-BC"))
    // Again: nothing new to write.
    #expect(try s.december.publish(to: directory).statementsWritten == 0)
    // Both verify against the log as residents would, and are in force.
    let log = try PublicLog(directory: directory, trust: try s.trust)
    for statement: AlmonerKit.Statement in [community, street] {
      let verified = try statement.verify(trust: try s.trust, log: log)
      #expect(verified.completenessChecked && verified.publication != nil)
    }
    // No donor's name in any file of the public log.
    let enumerator = FileManager.default.enumerator(atPath: directory)
    var files = 0
    while let relative = enumerator?.nextObject() as? String {
      guard let data = FileManager.default.contents(atPath: directory + "/" + relative) else {
        continue
      }
      files += 1
      let text = String(decoding: data, as: UTF8.self)
      for name in s.donorNames { #expect(!text.contains(name), "\(name) in \(relative)") }
    }
    #expect(files > 4)
    // The independent reader agrees, and notices a statement file changed.
    if pythonHasCryptography {
      let checked = try PublishTests.check(directory)
      #expect(checked.status == 0, "\(checked)")
      #expect(checked.stdout.contains("2 statements"), "\(checked)")
      let path = directory + "/" + PublicLogReader.statementPath(community.hash)
      let edited = String(decoding: community.fileBytes, as: UTF8.self)
        .replacingOccurrences(of: "\"cash\":30000", with: "\"cash\":30001")
      try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
      let tampered = try PublishTests.check(directory)
      #expect(tampered.status == 1, "\(tampered)")
      #expect(tampered.stdout.contains("its body hashes otherwise"), "\(tampered)")
    }
  }
}

extension Ledger {
  /// The newest checkpoint cosigned by `supervisor` (in the test clock's December).
  func commitCosignature(supervisor: SigningKey) throws {
    var memory = WitnessMemory()
    let note = try checkpoints().last!.cosignedNote
    _ = try cosignCheckpoint(note, signer: supervisor, memory: &memory, now: 1_796_400_100)
  }
}
