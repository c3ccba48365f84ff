import AlmonerKit
import Foundation
import Testing

/// Corrections dated inside the open period (issue 11 item 2): `--date` on
/// reversals, allocation confirmations and voids, approvals and payments,
/// and the rule that replaced "money leaves an account only on or after its
/// latest posting date": a back-dated outflow is allowed when the balance
/// stays at zero or above on every day from its date on.
@Suite("Corrections inside the period")
struct CorrectionDateTests {
  /// 2026-12-03 10:00 in Asia/Shanghai: the month of November is over.
  static let december = LedgerClock(now: { Date(timeIntervalSince1970: 1_796_263_200) })

  static func day(_ text: String) throws -> AccountingDate { try AccountingDate(text) }

  /// The fixture ledger reopened on a December clock, with an approver for
  /// the community.
  static func decemberLedger() throws -> (Fixture, Ledger, SigningKey) {
    let fixture = try Fixture()
    let ledger = try Ledger.open(at: fixture.path, clock: december)
    let approver = SigningKey.generate()
    try ledger.addMember(
      unit: "GA-BC-JSL", role: .approver, name: "审批人", publicKey: approver.publicKey,
      signer: fixture.admin)
    return (fixture, ledger, approver)
  }

  static func donate(
    _ ledger: Ledger, _ fixture: Fixture, _ yuan: String, on date: String,
    unit: String = "GA-BC-JSL", ref: String? = nil, signer: SigningKey? = nil
  ) throws -> AppendedEntry {
    try ledger.donate(
      DonationInput(
        unit: unit, amount: try Money.parseYuan(yuan), donor: "张三", channel: .wechat,
        reference: ref, date: try day(date),
        // The November case enters one WeChat order twice by mistake.
        allowsDuplicateReference: true),
      signer: signer ?? fixture.communityTreasurer)
  }

  static func pay(
    _ ledger: Ledger, _ fixture: Fixture, approver: SigningKey, _ yuan: String,
    requested: String, approved: String, paid: String
  ) throws -> Int64 {
    let request = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: try Money.parseYuan(yuan), payee: "惠民超市",
        purpose: "老年食堂采购食材", date: try day(requested)),
      signer: fixture.communityTreasurer)
    let id = request.request.id
    try ledger.approveDisbursement(id: id, date: try day(approved), signer: approver)
    try ledger.payDisbursement(id: id, date: try day(paid), signer: fixture.communityTreasurer)
    return id
  }

  @Test("the November case: three corrections dated in November, then November reconciles")
  func novemberReconciles() throws {
    let (fixture, ledger, approver) = try CorrectionDateTests.decemberLedger()
    _ = try CorrectionDateTests.donate(ledger, fixture, "5000", on: "2026-11-02")
    _ = try CorrectionDateTests.donate(ledger, fixture, "1200.50", on: "2026-11-03", ref: "WX1")
    let duplicate = try CorrectionDateTests.donate(
      ledger, fixture, "1200.50", on: "2026-11-03", ref: "WX1")
    _ = try CorrectionDateTests.donate(
      ledger, fixture, "1000", on: "2026-11-01", unit: "GA-BC", signer: fixture.streetTreasurer)
    let allocation = try ledger.allocate(
      from: "GA-BC", to: "GA-BC-JSL", amount: try Money.parseYuan("299"), fund: nil,
      date: try CorrectionDateTests.day("2026-11-10"), signer: fixture.streetTreasurer)
    // December goes on before the November mistakes are found.
    _ = try CorrectionDateTests.donate(ledger, fixture, "100", on: "2026-12-02")
    // Bank statement, 2026-11-30: 5,000 + 1,200.50 + 299 − 500 = 5,999.50.
    let statement = try Money.parseYuan("5999.50")
    func reconcileNovember() throws {
      try ledger.reconcile(
        unit: "GA-BC-JSL", account: .bank, asOf: try CorrectionDateTests.day("2026-11-30"),
        balance: statement, signer: fixture.communityTreasurer)
    }
    #expect {
      try reconcileNovember()
    } throws: { error in
      (error as? AlmonerError)?.message.contains("差额 -¥1,401.50") == true
    }
    try ledger.reverse(
      seq: duplicate.seq, reason: "重复录入", date: try CorrectionDateTests.day("2026-11-05"),
      signer: fixture.communityTreasurer)
    try ledger.settleAllocation(
      id: allocation.seq, confirm: true, date: try CorrectionDateTests.day("2026-11-12"),
      signer: fixture.communityTreasurer)
    _ = try CorrectionDateTests.pay(
      ledger, fixture, approver: approver, "500", requested: "2026-11-20", approved: "2026-11-21",
      paid: "2026-11-22")
    try reconcileNovember()
    let balances = try ledger.balances(
      unit: "GA-BC-JSL", asOf: try CorrectionDateTests.day("2026-11-30"))
    #expect(balances.own.first { $0.account == .bank }?.amountFen == 599_950)
    let report = try ledger.verify()
    #expect(report.isClean, "\(report.problems)")
  }

  @Test("a back-dated outflow is allowed when no day goes negative, refused naming the day")
  func backDatedOutflow() throws {
    let (fixture, ledger, approver) = try CorrectionDateTests.decemberLedger()
    _ = try CorrectionDateTests.donate(ledger, fixture, "100", on: "2026-11-01")
    _ = try CorrectionDateTests.donate(ledger, fixture, "1000", on: "2026-11-20")
    // ¥500 on 11-10 would leave 11-10 … 11-19 at −¥400.
    let big = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: try Money.parseYuan("500"), payee: "惠民超市", purpose: "助餐食材",
        date: try CorrectionDateTests.day("2026-11-05")),
      signer: fixture.communityTreasurer)
    try ledger.approveDisbursement(
      id: big.request.id, date: try CorrectionDateTests.day("2026-11-06"), signer: approver)
    try expectRefused(fixture, code: .balanceNegativeOnDay, containing: "在 2026-11-10 日终只有 ¥100.00")
    {
      try ledger.payDisbursement(
        id: big.request.id, date: try CorrectionDateTests.day("2026-11-10"),
        signer: fixture.communityTreasurer)
    }
    // A day with a movement of its own, after the date: 11-15 → 11-15 is short.
    _ = try CorrectionDateTests.donate(ledger, fixture, "50", on: "2026-11-15")
    let request = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: try Money.parseYuan("120"), payee: "惠民超市", purpose: "助餐食材",
        date: try CorrectionDateTests.day("2026-11-02")),
      signer: fixture.communityTreasurer)
    try ledger.approveDisbursement(
      id: request.request.id, date: try CorrectionDateTests.day("2026-11-02"), signer: approver)
    try expectRefused(fixture, code: .balanceNegativeOnDay, containing: "在 2026-11-02 日终只有 ¥100.00")
    {
      try ledger.payDisbursement(
        id: request.request.id, date: try CorrectionDateTests.day("2026-11-02"),
        signer: fixture.communityTreasurer)
    }
    // On 11-15 the balance is 150: enough, though 11-20 came later.
    try ledger.payDisbursement(
      id: request.request.id, date: try CorrectionDateTests.day("2026-11-15"),
      signer: fixture.communityTreasurer)
    // Before the later donation, after the earlier ones: 30 is left until 11-20.
    _ = try CorrectionDateTests.pay(
      ledger, fixture, approver: approver, "30", requested: "2026-11-16", approved: "2026-11-16",
      paid: "2026-11-16")
    let small = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: try Money.parseYuan("0.01"), payee: "惠民超市", purpose: "助餐食材",
        date: try CorrectionDateTests.day("2026-11-17")),
      signer: fixture.communityTreasurer)
    try ledger.approveDisbursement(
      id: small.request.id, date: try CorrectionDateTests.day("2026-11-17"), signer: approver)
    try expectRefused(fixture, code: .balanceNegativeOnDay, containing: "在 2026-11-17 日终只有 ¥0.00") {
      try ledger.payDisbursement(
        id: small.request.id, date: try CorrectionDateTests.day("2026-11-17"),
        signer: fixture.communityTreasurer)
    }
    let report = try ledger.verify()
    #expect(report.isClean, "\(report.problems)")
  }

  @Test("a correction may not be dated before what it corrects, nor in a reconciled day")
  func correctionDateBounds() throws {
    let (fixture, ledger, approver) = try CorrectionDateTests.decemberLedger()
    let donation = try CorrectionDateTests.donate(ledger, fixture, "300", on: "2026-11-10")
    try expectRefused(
      fixture, code: .reversalDateBeforeOriginal,
      containing: "冲销日期 2026-11-09 早于记录 #\(donation.seq)（捐赠）的日期 2026-11-10"
    ) {
      try ledger.reverse(
        seq: donation.seq, reason: "录错", date: try CorrectionDateTests.day("2026-11-09"),
        signer: fixture.communityTreasurer)
    }
    try expectRefused(fixture, code: .dateInFuture, containing: "晚于今天（2026-12-03）") {
      try ledger.reverse(
        seq: donation.seq, reason: "录错", date: try CorrectionDateTests.day("2026-12-04"),
        signer: fixture.communityTreasurer)
    }
    _ = try CorrectionDateTests.donate(
      ledger, fixture, "1000", on: "2026-11-01", unit: "GA-BC", signer: fixture.streetTreasurer)
    let allocation = try ledger.allocate(
      from: "GA-BC", to: "GA-BC-JSL", amount: try Money.parseYuan("100"), fund: nil,
      date: try CorrectionDateTests.day("2026-11-10"), signer: fixture.streetTreasurer)
    try expectRefused(
      fixture, code: .allocationDateBeforeSent,
      containing: "确认日期 2026-11-08 早于划拨 \(allocation.seq) 的发出日期 2026-11-10"
    ) {
      try ledger.settleAllocation(
        id: allocation.seq, confirm: true, date: try CorrectionDateTests.day("2026-11-08"),
        signer: fixture.communityTreasurer)
    }
    try expectRefused(
      fixture, code: .allocationDateBeforeSent,
      containing: "撤回日期 2026-11-09 早于划拨 \(allocation.seq) 的发出日期 2026-11-10"
    ) {
      try ledger.settleAllocation(
        id: allocation.seq, confirm: false, date: try CorrectionDateTests.day("2026-11-09"),
        signer: fixture.streetTreasurer)
    }
    let request = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: try Money.parseYuan("10"), payee: "惠民超市", purpose: "助餐食材",
        date: try CorrectionDateTests.day("2026-11-20")),
      signer: fixture.communityTreasurer)
    try expectRefused(
      fixture, code: .approvalDateBeforeRequest,
      containing: "批准日期 2026-11-19 早于申请 #\(request.request.id) 的申请日期 2026-11-20"
    ) {
      try ledger.approveDisbursement(
        id: request.request.id, date: try CorrectionDateTests.day("2026-11-19"), signer: approver)
    }
    try ledger.reconcile(
      unit: "GA-BC-JSL", account: .bank, asOf: try CorrectionDateTests.day("2026-11-15"),
      balance: try Money.parseYuan("300"), signer: fixture.communityTreasurer)
    try expectRefused(fixture, code: .reconciledPeriodClosed, containing: "已对账至 2026-11-15") {
      try ledger.reverse(
        seq: donation.seq, reason: "录错", date: try CorrectionDateTests.day("2026-11-15"),
        signer: fixture.communityTreasurer)
    }
    try expectRefused(fixture, code: .reconciledPeriodClosed, containing: "已对账至 2026-11-15") {
      try ledger.settleAllocation(
        id: allocation.seq, confirm: true, date: try CorrectionDateTests.day("2026-11-12"),
        signer: fixture.communityTreasurer)
    }
    try ledger.reverse(
      seq: donation.seq, reason: "录错", date: try CorrectionDateTests.day("2026-11-16"),
      signer: fixture.communityTreasurer)
    try ledger.settleAllocation(
      id: allocation.seq, confirm: true, date: try CorrectionDateTests.day("2026-11-16"),
      signer: fixture.communityTreasurer)
    let report = try ledger.verify()
    #expect(report.isClean, "\(report.problems)")
  }

  @Test("verify ledger replays the day-by-day rule: a foreign back-dated overdraft is named")
  func replayRefusesBackDatedOverdraft() throws {
    let (fixture, ledger, approver) = try CorrectionDateTests.decemberLedger()
    _ = try CorrectionDateTests.donate(ledger, fixture, "100", on: "2026-11-01")
    _ = try CorrectionDateTests.donate(ledger, fixture, "1000", on: "2026-11-20")
    let request = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: try Money.parseYuan("500"), payee: "惠民超市", purpose: "助餐食材",
        date: try CorrectionDateTests.day("2026-11-02")),
      signer: fixture.communityTreasurer)
    try ledger.approveDisbursement(
      id: request.request.id, date: try CorrectionDateTests.day("2026-11-02"), signer: approver)
    // Another program writes the payment dated 11-10 (the date of the entry
    // before it is 11-02, so it is written with that: still short).
    let seq = try ForeignEntries.append(
      to: fixture.path, kind: .disbursementPay, body: ["request": .integer(request.request.id)],
      signer: fixture.communityTreasurer)
    let report = try Ledger.open(at: fixture.path, clock: CorrectionDateTests.december).verify()
    #expect(!report.isClean)
    #expect(
      report.problems.contains {
        $0.seq == seq && $0.message.contains("在 2026-11-02 日终只有 ¥100.00")
      },
      "\(report.problems)")
  }

  @Test("AssetDays keeps movements in date order and finds the first short day")
  func assetDays() throws {
    var days = AssetDays()
    days.add(100, on: try CorrectionDateTests.day("2026-11-05"))
    days.add(50, on: try CorrectionDateTests.day("2026-11-01"))
    days.add(-30, on: try CorrectionDateTests.day("2026-11-03"))
    days.add(30, on: try CorrectionDateTests.day("2026-11-03"))
    days.add(-20, on: try CorrectionDateTests.day("2026-11-07"))
    #expect(days.dates.map(\.text) == ["2026-11-01", "2026-11-05", "2026-11-07"])
    #expect(days.amounts == [50, 100, -20])
    // Closing 130: 11-01 … 11-04 at 50, 11-05 … 11-06 at 150, from 11-07 at 130.
    let checks: [(String, Int64, String?)] = [
      ("2026-11-02", -50, nil), ("2026-11-02", -51, "2026-11-02"),
      ("2026-11-05", -130, nil), ("2026-11-05", -131, "2026-11-07"),
      ("2026-11-06", -131, "2026-11-07"), ("2026-11-08", -131, "2026-11-08"),
      ("2026-10-31", -1, "2026-10-31"),
    ]
    for (date, delta, expected) in checks {
      let found = days.firstNegativeDay(
        from: try CorrectionDateTests.day(date), adding: delta, closingFen: 130)
      #expect(found?.day.text == expected, "\(date) \(delta)")
    }
  }
}
