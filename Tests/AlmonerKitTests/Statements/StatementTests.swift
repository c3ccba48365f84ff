import AlmonerKit
import Foundation
import Testing

/// A ledger with November 2026 in it: gifts to 建设路社区 (one of them
/// reversed), an allocation from 北城街道 to each of its two communities,
/// a paid disbursement, and a checkpoint cosigned in December.
struct StatementFixture {
  let base: SupervisionFixture
  /// The same ledger file, opened with a clock in December 2026.
  let december: Ledger
  let november = try! StatementPeriod("2026-11")
  var fixture: Fixture { base.base }
  var ledger: Ledger { base.ledger }
  /// Every donor name recorded, for the privacy checks.
  let donorNames = ["张三丰", "李四光", "王五福", "赵街道捐", "刘文化"]
  var paySeq: Int64 = 0
  var reversedSeq: Int64 = 0

  static let decemberClock = LedgerClock(now: { Date(timeIntervalSince1970: 1_796_400_000) })

  init() throws {
    base = try SupervisionFixture(fundYuan: nil)
    let f = base.base
    try f.donate("500", donor: "张三丰", date: "2026-10-20")
    try f.donate("1000", donor: "张三丰", channel: .wechat, date: "2026-11-03")
    reversedSeq = try f.donate("300", donor: "李四光", channel: .cash, date: "2026-11-05").seq
    try f.donate("200", donor: "王五福", channel: .alipay, date: "2026-11-10")
    try f.ledger.reverse(seq: reversedSeq, reason: "重复录入", signer: f.communityTreasurer)
    try f.donate("2000", to: "GA-BC", donor: "赵街道捐", date: "2026-11-01", signer: f.streetTreasurer)
    try f.donate("400", to: "GA-BC-WHL", donor: "刘文化", date: "2026-11-02", signer: f.otherTreasurer)
    let toJSL = try f.ledger.allocate(
      from: "GA-BC", to: "GA-BC-JSL", amount: try Money.parseYuan("800"), fund: nil,
      signer: f.streetTreasurer)
    try f.ledger.settleAllocation(id: toJSL.seq, confirm: true, signer: f.communityTreasurer)
    let toWHL = try f.ledger.allocate(
      from: "GA-BC", to: "GA-BC-WHL", amount: try Money.parseYuan("300"), fund: nil,
      signer: f.streetTreasurer)
    try f.ledger.settleAllocation(id: toWHL.seq, confirm: true, signer: f.otherTreasurer)
    let request = try base.request("600", purpose: "困难老人慰问")
    try base.ledger.approveDisbursement(id: request, signer: base.communityApprover)
    paySeq = try base.ledger.payDisbursement(id: request, signer: f.communityTreasurer).appended.seq
    december = try Ledger.open(at: f.path, clock: StatementFixture.decemberClock)
    let note = try december.createCheckpoint(signer: f.admin).note
    var memory = WitnessMemory()
    _ = try december.cosignCheckpoint(
      note.serialized, signer: f.supervisor, memory: &memory, now: 1_796_400_000)
  }

  var trust: TrustBundle {
    get throws { try TrustBundle(parsing: Canonical.encode(try december.trustBundle().json)) }
  }

  func statement(_ unit: String = "GA-BC-JSL", subtree: Bool = false) throws -> Statement {
    let signer = [
      "GA-BC-JSL": fixture.communityTreasurer, "GA-BC-WHL": fixture.otherTreasurer,
      "GA-BC": fixture.streetTreasurer,
    ][unit]!
    return try december.makeStatement(
      unit: unit, period: november, subtree: subtree, signer: signer)
  }
}

@Suite("Public statements (公示)")
struct StatementTests {
  @Test("periods: month, quarter, year; anything else is refused")
  func periods() throws {
    let quarter = try StatementPeriod("2026-Q4")
    #expect(quarter.from.text == "2026-10-01" && quarter.to.text == "2026-12-31")
    let month = try StatementPeriod("2028-02")
    #expect(month.from.text == "2028-02-01" && month.to.text == "2028-02-29")
    #expect(try StatementPeriod("2026").to.text == "2026-12-31")
    for bad in ["2026-13", "2026-Q5", "26", "2026-1", "2026-Q0", "２０２６"] {
      #expect(throws: AlmonerError.self) { try StatementPeriod(bad) }
    }
  }

  @Test("a community's November: opening, channels, reversal, allocation, spending, closing")
  func figures() throws {
    let s = try StatementFixture()
    let statement = try s.statement()
    let general = try #require(statement.funds.first { $0.code == "general" })
    #expect(general.openingFen == 50_000)
    #expect(general.donationsFen == ["wechat": 100_000, "cash": 30_000, "alipay": 20_000])
    #expect(general.reversalsFen == 30_000)
    #expect(general.allocationsInFen == 80_000)
    #expect(general.disbursementsFen == ["elderly": 60_000])
    #expect(general.closingFen == 50_000 + 150_000 - 30_000 + 80_000 - 60_000)
    // The reversed gift is marked on its line.
    let reversed = try #require(statement.lines.first { $0.seq == s.reversedSeq })
    #expect(reversed.reversedBy != nil)
    #expect(statement.lines.contains { $0.seq == s.paySeq })
    #expect(statement.unit.code == "GA-BC-JSL" && statement.parents.map(\.code) == ["GA-BC", "GA"])
    // The file reads back to the same statement.
    #expect(try Statement(parsing: statement.fileBytes) == statement)
    // No donor's full name anywhere in it.
    let text = String(decoding: statement.fileBytes, as: UTF8.self)
    for name in s.donorNames { #expect(!text.contains(name), "\(name)") }
  }

  @Test("no statement before a cosigned checkpoint later than the period's end")
  func needsCheckpoint() throws {
    let f = try Fixture()
    try f.donate("100", date: "2026-11-02")
    #expect {
      try f.ledger.makeStatement(
        unit: "GA-BC-JSL", period: try StatementPeriod("2026-10"), signer: f.communityTreasurer)
    } throws: { ($0 as? AlmonerError)?.message.contains("联署") == true }
    _ = try f.ledger.createCheckpoint(signer: f.admin)
    var memory = WitnessMemory()
    let note = try f.ledger.checkpoints().last!.cosignedNote
    _ = try f.ledger.cosignCheckpoint(
      note, signer: f.supervisor, memory: &memory, now: 1_795_000_000)
    // The checkpoint is of 2026-11-18: it can't vouch for November.
    #expect {
      try f.ledger.makeStatement(
        unit: "GA-BC-JSL", period: try StatementPeriod("2026-11"), signer: f.communityTreasurer)
    } throws: { ($0 as? AlmonerError)?.message.contains("不晚于报表期末 2026-11-30") == true }
    _ = try f.ledger.makeStatement(
      unit: "GA-BC-JSL", period: try StatementPeriod("2026-10"), signer: f.communityTreasurer)
    // Only a treasurer or admin of the unit signs it.
    #expect {
      try f.ledger.makeStatement(
        unit: "GA-BC-JSL", period: try StatementPeriod("2026-10"), signer: f.otherTreasurer)
    } throws: { ($0 as? AlmonerError)?.message.contains("不是建设路社区（GA-BC-JSL）的记账员或管理员") == true }
  }

  @Test(
    "a statement verifies offline, after the ledger is deleted; with the public log, completely")
  func verifiesWithoutLedger() throws {
    let s = try StatementFixture()
    let statement = try s.statement()
    let trust = try s.trust
    let logDirectory = s.fixture.directory.path("public-log")
    _ = try s.december.publish(to: logDirectory)
    let bytes = statement.fileBytes
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: s.fixture.path + suffix)
    }
    #expect(!FileManager.default.fileExists(atPath: s.fixture.path))
    let parsed = try Statement(parsing: bytes)
    let offline = try parsed.verify(trust: trust)
    #expect(!offline.completenessChecked)
    #expect(offline.sentence().contains("未核对完整性"))
    #expect(offline.sentence(english: true).contains("completeness is unchecked"))
    #expect(offline.treasurer == "王芳" && offline.witnesses == ["郑华"])
    let entries = try PublicLogReader.entries(
      in: logDirectory, count: try parsed.checkpointTreeSize())
    let complete = try parsed.verify(trust: trust, logEntries: entries)
    #expect(complete.completenessChecked)
    #expect(complete.sentence().contains("应列入本报表的记录全部在内"))
  }

  @Test("changing a number, a line, a name, a signature or a proof fails, naming what")
  func tampering() throws {
    let s = try StatementFixture()
    let statement = try s.statement()
    let trust = try s.trust
    func failure(_ change: (inout Statement) -> Void) -> String {
      var changed = statement
      change(&changed)
      do {
        _ = try Statement(parsing: changed.fileBytes).verify(trust: trust)
        return "verified"
      } catch { return error.message }
    }
    // A number.
    #expect(
      failure { $0.funds[0].donationsFen["wechat"]! += 100 }
        .contains("基金「非定向基金」（general）的捐赠收入·微信：报表写 ¥1,001.00，按各行记录重算为 ¥1,000.00"))
    #expect(failure { $0.funds[0].closingFen += 1 }.contains("（余额）"))
    #expect(failure { $0.funds[0].openingFen += 100 }.contains("（余额）"))
    // A line's bytes.
    let index = try #require(statement.lines.firstIndex { $0.seq == s.paySeq })
    #expect(
      failure {
        $0.lines[index].entry = Array(
          String(decoding: $0.lines[index].entry, as: UTF8.self)
            .replacingOccurrences(of: "\"request\":", with: "\"request\": ").utf8)
      }.contains("第 \(index + 1) 行（记录 #\(s.paySeq)）"))
    // A proof.
    #expect(
      failure { $0.lines[index].proof[0] = Hash32(bytes: Array(repeating: 7, count: 32))! }
        .contains("（包含证明）：第 \(index + 1) 行（记录 #\(s.paySeq)）"))
    // A line dropped: its numbers no longer add up.
    #expect(failure { $0.lines.remove(at: index) }.contains("公益支出·助老"))
    // A name.
    #expect(failure { $0.unit.name = "幸福社区" }.contains("（签名）"))
    #expect(failure { $0.funds[0].name = "专项基金" }.contains("（签名）"))
    // A signature.
    #expect(failure { $0.signatures[0].signature[5] ^= 1 }.contains("第 1 个签名（王芳） 无效"))
    #expect(failure { $0.signatures = [] }.contains("没有记账员或管理员的签名"))
    // The reversal mark.
    let reversed = try #require(statement.lines.firstIndex { $0.seq == s.reversedSeq })
    #expect(failure { $0.lines[reversed].reversedBy = nil }.contains("没有标为已冲销"))
    // The checkpoint.
    #expect(
      failure { $0.checkpoint = $0.checkpoint.replacingOccurrences(of: "— ", with: "-- ") }
        .contains("（检查点）"))
  }

  @Test(
    "a disbursement left out and re-signed passes alone (completeness unchecked), fails against the log"
  )
  func leftOut() throws {
    let s = try StatementFixture()
    var statement = try s.statement()
    let trust = try s.trust
    let logDirectory = s.fixture.directory.path("public-log")
    _ = try s.december.publish(to: logDirectory)
    statement.lines.removeAll { $0.seq == s.paySeq }
    let general = try #require(statement.funds.firstIndex { $0.code == "general" })
    statement.funds[general].disbursementsFen = [:]
    statement.funds[general].closingFen += 60_000
    statement.signatures = []
    statement.sign(as: .treasurer, name: "王芳", with: s.fixture.communityTreasurer)
    let parsed = try Statement(parsing: statement.fileBytes)
    let offline = try parsed.verify(trust: trust)
    #expect(offline.sentence().contains("未核对完整性"))
    let entries = try PublicLogReader.entries(
      in: logDirectory, count: try parsed.checkpointTreeSize())
    #expect {
      try parsed.verify(trust: trust, logEntries: entries)
    } throws: {
      ($0 as? AlmonerError)?.message.contains(
        "公开日志记录 #\(s.paySeq)（支出付款，2026-11-18，¥600.00）属于本报表的期间和单位，报表中却没有列出") == true
    }
  }

  @Test("the street's rolled-up statement is the sum of its units' minus internal transfers")
  func subtree() throws {
    let s = try StatementFixture()
    let street = try s.statement("GA-BC", subtree: true)
    let parts = [
      try s.statement("GA-BC"), try s.statement("GA-BC-JSL"), try s.statement("GA-BC-WHL"),
    ]
    #expect(Set(street.units.map(\.code)) == ["GA-BC", "GA-BC-JSL", "GA-BC-WHL"])
    let rolled = try #require(street.funds.first { $0.code == "general" })
    let own = try parts.map { part in try #require(part.funds.first { $0.code == "general" }) }
    func sum(_ value: (FundFigures) -> Int64) -> Int64 { own.map(value).reduce(0, +) }
    #expect(rolled.internalTransfersFen == 110_000)
    #expect(rolled.allocationsInFen == sum(\.allocationsInFen) - rolled.internalTransfersFen)
    #expect(rolled.allocationsOutFen == sum(\.allocationsOutFen) - rolled.internalTransfersFen)
    #expect(rolled.allocationsInFen == 0 && rolled.allocationsOutFen == 0)
    #expect(rolled.donationsTotalFen == sum(\.donationsTotalFen))
    #expect(rolled.disbursementsTotalFen == sum(\.disbursementsTotalFen))
    #expect(rolled.openingFen == sum(\.openingFen))
    #expect(rolled.closingFen == sum(\.closingFen))
    // It verifies, with the log too.
    let logDirectory = s.fixture.directory.path("public-log")
    _ = try s.december.publish(to: logDirectory)
    let entries = try PublicLogReader.entries(
      in: logDirectory, count: try street.checkpointTreeSize())
    _ = try street.verify(trust: try s.trust, logEntries: entries)
  }
}

@Suite("Statement JSON Schema", .enabled(if: pythonHasJSONSchema, "needs python3 with jsonschema"))
struct StatementSchemaTests {
  @Test(
    "a community's and a street's statements validate against Schemas/json/statement.schema.json")
  func validates() throws {
    let s = try StatementFixture()
    let cosigned = try s.december.cosignStatement(try s.statement(), signer: s.fixture.supervisor)
    for statement in [cosigned, try s.statement("GA-BC", subtree: true)] {
      let file = s.fixture.directory.path("statement-\(statement.unit.code).json")
      try Data(statement.fileBytes).write(to: URL(fileURLWithPath: file))
      let schema = packageRoot.appendingPathComponent("Schemas/json/statement.schema.json").path
      let result = try run(
        which("python3")!,
        [
          "-c",
          "import json,sys,jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2]))); print('valid')",
          schema, file,
        ])
      #expect(result.status == 0 && result.stdout.contains("valid"), "\(result.stderr)")
    }
  }
}

let pythonHasJSONSchema: Bool = {
  guard let python = which("python3") else { return false }
  return (try? run(python, ["-c", "import jsonschema"]).status) == 0
}()

@Suite("Statement countersignatures")
struct StatementCosignTests {
  @Test("a supervisor recomputes and countersigns; the countersignature verifies offline")
  func cosign() throws {
    let s = try StatementFixture()
    let statement = try s.statement()
    let signed = try s.december.cosignStatement(statement, signer: s.fixture.supervisor)
    #expect(signed.hash == statement.hash)
    let verified = try Statement(parsing: signed.fileBytes).verify(trust: try s.trust)
    #expect(verified.supervisors == ["郑华"])
    #expect(verified.sentence().contains("由 郑华 会签"))
    // The grant attached to the countersignature is checked too.
    var forged = signed
    forged.signatures[1].grants[0].proof = []
    #expect {
      try Statement(parsing: forged.fileBytes).verify(trust: try s.trust)
    } throws: {
      ($0 as? AlmonerError)?.code == "statement-check-signature"
        && ($0 as? AlmonerError)?.message.contains("第 2 个签名（郑华） 所附的授权记录 #") == true
    }
    // Twice is refused; a treasurer can't countersign.
    #expect(throws: AlmonerError.self) {
      try s.december.cosignStatement(signed, signer: s.fixture.supervisor)
    }
    #expect {
      try s.december.cosignStatement(statement, signer: s.fixture.streetTreasurer)
    } throws: { ($0 as? AlmonerError)?.code == "statement-cosigner-not-supervisor" }
  }

  @Test(
    "a statement with a disbursement left out, re-signed by the treasurer, is refused a countersignature"
  )
  func cosignRefusesDifference() throws {
    let s = try StatementFixture()
    var statement = try s.statement()
    statement.lines.removeAll { $0.seq == s.paySeq }
    let general = try #require(statement.funds.firstIndex { $0.code == "general" })
    statement.funds[general].disbursementsFen = [:]
    statement.funds[general].closingFen += 60_000
    statement.signatures = []
    statement.sign(as: .treasurer, name: "王芳", with: s.fixture.communityTreasurer)
    #expect {
      try s.december.cosignStatement(statement, signer: s.fixture.supervisor)
    } throws: {
      ($0 as? AlmonerError)?.message.contains("基金「非定向基金」（general）的金额不同") == true
        && ($0 as? AlmonerError)?.kind == .verificationFailed
    }
  }
}
