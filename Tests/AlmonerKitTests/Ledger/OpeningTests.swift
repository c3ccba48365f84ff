import AlmonerKit
import Foundation
import Testing

/// Opening balances (期初余额): money already held, brought in without its
/// history, approved like a disbursement of the same amount.
@Suite("Opening balances")
struct OpeningTests {
  static let canonical =
    #"{"author":"ed25519:0123456789abcdef","body":{"account":"assets:bank","amountFen":1200000,"fund":"general","note":"接收原账簿结余","unit":"GA-BC-JSL"},"date":"2026-10-31","kind":"opening.request","prev":"abababababababababababababababababababababababababababababababab","seq":7,"time":"2026-11-29T04:00:00Z","v":1}"#
  /// SHA-256(0x00 ‖ canonical), computed with Python's hashlib:
  /// `hashlib.sha256(b"\x00" + canonical.encode()).hexdigest()`.
  static let leafHash = "2389c7b76d0bee753c88896bda2c67ee4f2a9ecf2c323b128713e4ed7477d453"

  @Test("opening.request bytes and hash, as Python's hashlib computes them; the reader is strict")
  func bytesAndHash() throws {
    let entry = Entry(
      seq: 7, prev: try #require(Hash32(hex: String(repeating: "ab", count: 32))),
      time: "2026-11-29T04:00:00Z", date: try AccountingDate("2026-10-31"),
      author: "ed25519:0123456789abcdef",
      body: .openingRequest(
        OpeningRequestBody(
          account: .bank, amountFen: 1_200_000, fund: "general", note: "接收原账簿结余",
          unit: "GA-BC-JSL")))
    #expect(String(decoding: entry.canonicalBytes, as: UTF8.self) == Self.canonical)
    #expect(SHA256.leafHash(entry.canonicalBytes).hex == Self.leafHash)
    #expect(try Entry(canonical: Array(Self.canonical.utf8)) == entry)
    let wrongAccount = Self.canonical.replacingOccurrences(
      of: "assets:bank", with: "assets:in-transit")
    #expect(throws: AlmonerError.self) { try Entry(canonical: Array(wrongAccount.utf8)) }
    let unknownField = Self.canonical.replacingOccurrences(of: #""note""#, with: #""memo""#)
    #expect(throws: AlmonerError.self) { try Entry(canonical: Array(unknownField.utf8)) }
  }

  @Test("request → approvals under the policy → pay books it on its date, as its own line")
  func flow() throws {
    let s = try SupervisionFixture(fundYuan: nil)
    let f = s.base
    let request = try s.ledger.requestOpening(
      unit: "GA-BC-JSL", fund: nil, account: .bank, amount: try Money.parseYuan("12000"),
      asOf: try AccountingDate("2026-10-31"), note: "接收原账簿结余", signer: f.communityTreasurer)
    // Not booked before the policy is met: ¥12,000 needs the street too.
    try expectRefused(
      f, code: .paymentApprovalsMissing, containing: "还缺社区审批人 1 人（建设路社区）、街道审批人 1 人（北城街道）"
    ) {
      _ = try s.ledger.payDisbursement(id: request.seq, signer: f.communityTreasurer)
    }
    try s.ledger.approveDisbursement(id: request.seq, signer: s.communityApprover)
    try expectRefused(f, code: .paymentApprovalsMissing, containing: "还缺街道审批人 1 人（北城街道）") {
      _ = try s.ledger.payDisbursement(id: request.seq, signer: f.communityTreasurer)
    }
    try s.ledger.approveDisbursement(id: request.seq, signer: s.streetApprover)
    // An approved opening reserves nothing: there is no money out.
    let paid = try s.ledger.payDisbursement(id: request.seq, signer: f.communityTreasurer)
    #expect(paid.request.status == .paid)
    let state = try s.ledger.state()
    let bank = BalanceKey(unit: "GA-BC-JSL", fund: "general", account: .bank)
    let opening = BalanceKey(unit: "GA-BC-JSL", fund: "general", account: .openingBalance)
    #expect(state.balance(bank) == 1_200_000)
    #expect(state.balance(opening) == -1_200_000)
    #expect(!state.balances.keys.contains { $0.account.name.hasPrefix("income:") })
    let account = AssetAccountKey(unit: "GA-BC-JSL", account: .bank)
    #expect(state.supervision.balance(of: account, asOf: try AccountingDate("2026-10-30")) == 0)
    #expect(
      state.supervision.balance(of: account, asOf: try AccountingDate("2026-10-31")) == 1_200_000)
    #expect(Account.openingBalance.displayName == "期初余额转入")
    #expect(try s.ledger.verify().isClean)
  }

  @Test("only the unit's treasurer asks; cash works too; the account must be bank or cash")
  func refusals() throws {
    let s = try SupervisionFixture(fundYuan: nil)
    let f = s.base
    try expectRefused(f, code: .roleRequired, containing: "记账员") {
      try s.ledger.requestOpening(
        unit: "GA-BC-JSL", fund: nil, account: .cash, amount: Money(fen: 100),
        asOf: try AccountingDate("2026-10-31"), note: nil, signer: f.otherTreasurer)
    }
    try expectRefused(f, code: .openingAccountInvalid, containing: "bank（银行存款）或 cash（库存现金）") {
      try s.ledger.requestOpening(
        unit: "GA-BC-JSL", fund: nil, account: .inTransit, amount: Money(fen: 100),
        asOf: try AccountingDate("2026-10-31"), note: nil, signer: f.communityTreasurer)
    }
    let cash = try s.ledger.requestOpening(
      unit: "GA-BC-JSL", fund: nil, account: .cash, amount: Money(fen: 100),
      asOf: try AccountingDate("2026-10-31"), note: nil, signer: f.communityTreasurer)
    try s.ledger.approveDisbursement(id: cash.seq, signer: s.communityApprover)
    _ = try s.ledger.payDisbursement(id: cash.seq, signer: f.communityTreasurer)
    let state = try s.ledger.state()
    #expect(state.balance(BalanceKey(unit: "GA-BC-JSL", fund: "general", account: .cash)) == 100)
    // It survives a reload from the tables (kept as a marked release row).
    #expect(state.supervision.disbursements[cash.seq]?.kind == .opening)
    #expect(state.supervision.disbursements[cash.seq]?.account == .cash)
    #expect(try s.ledger.verify().isClean)
  }

  @Test("a statement shows the opening as its own line, booked on its date, and verifies")
  func statement() throws {
    let s = try SupervisionFixture(fundYuan: nil)
    let f = s.base
    try f.donate("100", donor: "张三", date: "2026-11-03")
    let request = try s.ledger.requestOpening(
      unit: "GA-BC-JSL", fund: nil, account: .bank, amount: try Money.parseYuan("3000"),
      asOf: try AccountingDate("2026-10-31"), note: nil, signer: f.communityTreasurer)
    try s.ledger.approveDisbursement(id: request.seq, signer: s.communityApprover)
    _ = try s.ledger.payDisbursement(id: request.seq, signer: f.communityTreasurer)
    let december = try Ledger.open(at: f.path, clock: StatementFixture.decemberClock)
    let note = try december.createCheckpoint(signer: f.admin).note
    var memory = WitnessMemory()
    _ = try december.cosignCheckpoint(
      note.serialized, signer: f.supervisor, memory: &memory, now: 1_796_400_000)
    let october = try december.makeStatement(
      unit: "GA-BC-JSL", period: try StatementPeriod("2026-10"), signer: f.communityTreasurer)
    let general = try #require(october.funds.first { $0.code == "general" })
    #expect(general.openingBalancesFen == 300_000)
    #expect(general.donationsFen.isEmpty)
    #expect(general.closingFen == 300_000)
    let november = try december.makeStatement(
      unit: "GA-BC-JSL", period: try StatementPeriod("2026-11"), signer: f.communityTreasurer)
    let novemberGeneral = try #require(november.funds.first { $0.code == "general" })
    #expect(novemberGeneral.openingFen == 300_000)
    #expect(novemberGeneral.openingBalancesFen == 0)
    #expect(novemberGeneral.donationsFen == ["wechat": 10_000])
    #expect(!String(decoding: november.fileBytes, as: UTF8.self).contains("openingBalancesFen"))
    let trust = try TrustBundle(parsing: Canonical.encode(try december.trustBundle().json))
    #expect(try Statement(parsing: october.fileBytes) == october)
    _ = try Statement(parsing: october.fileBytes).verify(trust: trust)
    // The statement's own rendering names the line.
    #expect(StatementRendering.render(october, format: .text).contains("期初余额转入"))
    // And Python, reading the published formats alone, agrees.
    if let python = which("python3") {
      let directory = f.directory
      try Data(october.fileBytes).write(to: URL(fileURLWithPath: directory.path("oct.json")))
      try Data(Canonical.encode(try december.trustBundle().json)).write(
        to: URL(fileURLWithPath: directory.path("trust.json")))
      let script = packageRoot.appendingPathComponent("scripts/verify_statement.py").path
      let result = try run(
        python, [script, directory.path("oct.json"), "--trust", directory.path("trust.json")])
      if !result.stderr.contains("No module named") {
        #expect(result.status == 0, "\(result)")
      }
    }
  }
}
