import Foundation

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// A clock the test moves forward day by day: each entry is written at
/// 10:00 Beijing time on the day it is dated, a second after the one before.
final class ConductClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  init(_ day: String) throws {
    current = try ConductClock.morning(day)
  }

  private static func morning(_ day: String) throws -> Date {
    _ = try AccountingDate(day)
    guard let instant = try? Date("\(day)T02:00:00Z", strategy: .iso8601) else {
      throw AlmonerError.badInput("bad test day \(day)")
    }
    return instant
  }

  /// Moves to `day` (never backwards).
  func go(_ day: String) throws {
    let next = try ConductClock.morning(day)
    lock.withLock { if next > current { current = next } }
  }

  var ledgerClock: LedgerClock {
    LedgerClock(now: { [self] in
      lock.withLock {
        current = current.addingTimeInterval(1)
        return current
      }
    })
  }
}

/// A realistic three-tier ledger for the conduct rules: a district, two
/// streets, two communities, treasurers and approvers at every tier, a
/// supervisor, restricted funds, donations through every channel,
/// allocations down the tiers, and requests approved and paid — from
/// November 2025 to October 2026, every entry recorded on its own date.
/// Nothing in it breaks a conduct rule; each test plants one thing in it,
/// early (December 2025) or late (November 2026).
struct ConductLedger {
  let directory: TemporaryDirectory
  let clock: ConductClock
  let ledger: Ledger
  let admin = SigningKey.generate()
  let districtTreasurer = SigningKey.generate()
  let streetTreasurer = SigningKey.generate()
  let otherStreetTreasurer = SigningKey.generate()
  let communityTreasurer = SigningKey.generate()
  let otherCommunityTreasurer = SigningKey.generate()
  let communityApprover = SigningKey.generate()
  let otherCommunityApprover = SigningKey.generate()
  let streetApprover = SigningKey.generate()
  let districtApprover = SigningKey.generate()
  let supervisor = SigningKey.generate()
  /// Seqs the tests name.
  var treasurerGrantSeq: Int64 = 0
  var restrictedFundSeq: Int64 = 0
  var firstReferenceSeq: Int64 = 0
  var adminPaymentSeq: Int64 = 0

  /// The day the audits of these tests run on by default.
  static let asOf = "2026-11-15"

  init(
    early: (inout ConductLedger) throws -> Void = { _ in },
    late: (inout ConductLedger) throws -> Void = { _ in }
  ) throws {
    directory = try TemporaryDirectory()
    clock = try ConductClock("2025-11-03")
    ledger = try Ledger.create(
      at: directory.path("ledger.db"), district: "GA", name: "广安区", admin: admin,
      adminName: "李明", origin: "almoner.example/conduct", clock: clock.ledgerClock)
    try ledger.addUnit(code: "GA-BC", name: "北城街道", parent: "GA", signer: admin)
    try ledger.addUnit(code: "GA-NM", name: "南门街道", parent: "GA", signer: admin)
    try ledger.addUnit(code: "GA-BC-JSL", name: "建设路社区", parent: "GA-BC", signer: admin)
    try ledger.addUnit(code: "GA-BC-WHL", name: "文化路社区", parent: "GA-BC", signer: admin)
    let grants: [(String, Role, String, SigningKey)] = [
      ("GA", .treasurer, "陈静", districtTreasurer),
      ("GA-BC", .treasurer, "赵磊", streetTreasurer),
      ("GA-NM", .treasurer, "吴敏", otherStreetTreasurer),
      ("GA-BC-JSL", .treasurer, "王芳", communityTreasurer),
      ("GA-BC-WHL", .treasurer, "刘洋", otherCommunityTreasurer),
      ("GA-BC-JSL", .approver, "孙丽", communityApprover),
      ("GA-BC-WHL", .approver, "周强", otherCommunityApprover),
      ("GA-BC", .approver, "钱伟", streetApprover),
      ("GA", .approver, "冯涛", districtApprover),
      ("GA-BC", .supervisor, "郑华", supervisor),
    ]
    for (unit, role, name, key) in grants {
      let appended = try ledger.addMember(
        unit: unit, role: role, name: name, publicKey: key.publicKey, signer: admin)
      if name == "王芳" { treasurerGrantSeq = appended.seq }
    }
    try ledger.openFund(
      unit: "GA", code: "elderly-canteen", name: "老龄食堂", restricted: true, purpose: "社区老年人助餐",
      signer: admin)
    restrictedFundSeq =
      try ledger.openFund(
        unit: "GA-BC-JSL", code: "elderly-care", name: "老年关爱", restricted: true,
        purpose: "老年人助餐和探访", signer: admin
      ).seq

    // November and December 2025: the first gifts.
    try clock.go("2025-11-20")
    try donate("1200", to: "GA-BC-JSL", ref: "WX2025112001")
    try donate("800", to: "GA-BC-WHL", channel: .alipay, ref: "ZFB2025112001")
    try clock.go("2025-12-05")
    try donate("5000", to: "GA", channel: .bank, ref: "BANK2025120501")
    try early(&self)

    // 2026: gifts through every channel, allocations, requests.
    try clock.go("2026-07-01")
    let amounts = [
      "200", "350", "120.50", "500", "88", "260", "300", "150", "420", "75", "310", "230",
      "199", "640", "100", "280", "360", "450", "90", "520", "180", "240", "330", "410",
    ]
    for (offset, amount) in amounts.enumerated() {
      let day = 1 + offset
      try clock.go("2026-07-\(day < 10 ? "0" : "")\(day)")
      let gift = try donate(
        amount, to: "GA-BC-JSL", channel: [.wechat, .alipay, .bank, .cash][offset % 4],
        ref: offset % 4 == 3 ? nil : "JSL202607\(100 + offset)")
      if offset == 0 { firstReferenceSeq = gift.seq }
    }
    try clock.go("2026-07-25")
    try donate("2000", to: "GA-BC-JSL", fund: "elderly-care", channel: .bank, ref: "BANK20260725")
    try donate("60000", to: "GA", channel: .bank, ref: "BANK20260726")
    try donate("2000", to: "GA-BC-WHL", ref: "WX20260725")
    try donate("1500", to: "GA-NM", ref: "WX20260726")
    let toStreet = try ledger.allocate(
      from: "GA", to: "GA-BC", amount: try Money.parseYuan("20000"), fund: nil,
      signer: districtTreasurer)
    try clock.go("2026-07-27")
    try ledger.settleAllocation(id: toStreet.seq, confirm: true, signer: streetTreasurer)
    try clock.go("2026-07-28")
    let toCommunity = try ledger.allocate(
      from: "GA-BC", to: "GA-BC-WHL", amount: try Money.parseYuan("8000"), fund: nil,
      signer: streetTreasurer)
    try clock.go("2026-07-29")
    try ledger.settleAllocation(id: toCommunity.seq, confirm: true, signer: otherCommunityTreasurer)

    try clock.go("2026-07-30")
    try pay(
      "1600.50", unit: "GA-BC-JSL", payee: "惠民超市", purpose: "老年食堂采购食材", fund: "elderly-care",
      approvers: [communityApprover], approveOn: "2026-07-31", payOn: "2026-08-01")
    try clock.go("2026-08-05")
    try pay(
      "1234", unit: "GA-BC-JSL", payee: "文具店", purpose: "社区活动用品", approvers: [communityApprover],
      approveOn: "2026-08-05", payOn: "2026-08-06")
    try clock.go("2026-08-10")
    adminPaymentSeq = try pay(
      "150", unit: "GA-BC-JSL", payee: "打印店", purpose: "打印公示材料", category: .administration,
      approvers: [communityApprover], approveOn: "2026-08-10", payOn: "2026-08-11"
    ).pay
    try clock.go("2026-08-12")
    try pay(
      "6800", unit: "GA-BC-WHL", payee: "某中学", purpose: "助学金发放",
      approvers: [otherCommunityApprover, streetApprover], approveOn: "2026-08-13",
      payOn: "2026-08-14")
    try clock.go("2026-08-20")
    try pay(
      "1999.90", unit: "GA-BC", payee: "培训中心", purpose: "志愿者培训", approvers: [streetApprover],
      approveOn: "2026-08-21", payOn: "2026-08-22")
    try clock.go("2026-09-01")
    try pay(
      "18500", unit: "GA", payee: "老龄食堂运营方", purpose: "老年人助餐服务", fund: "elderly-canteen",
      approvers: [districtApprover], approveOn: "2026-09-02", payOn: "2026-09-03", fundYuan: "20000"
    )
    try clock.go("2026-09-15")
    try pay(
      "980", unit: "GA-NM", payee: "南门药房", purpose: "困难家庭药品", approvers: [districtApprover],
      approveOn: "2026-09-16", payOn: "2026-09-17")
    try clock.go("2026-10-08")
    try donate("660", to: "GA-BC-WHL", ref: "WX20261008")
    try pay(
      "720", unit: "GA-BC-WHL", payee: "文化路食堂", purpose: "重阳节敬老餐",
      approvers: [otherCommunityApprover],
      approveOn: "2026-10-09", payOn: "2026-10-10")
    try clock.go("2026-10-20")
    try donate("1000", to: "GA-BC-JSL", channel: .cash)

    try clock.go("2026-11-02")
    try late(&self)
  }

  var path: String { ledger.path }

  @discardableResult
  func donate(
    _ yuan: String, to unit: String, fund: String? = nil, channel: Channel = .wechat,
    ref: String? = nil, date: String? = nil
  ) throws -> AppendedEntry {
    try ledger.donate(
      DonationInput(
        unit: unit, amount: try Money.parseYuan(yuan), donor: "张三", fund: fund, channel: channel,
        reference: ref, date: try date.map { try AccountingDate($0) },
        // A planted duplicate reference is a treasurer overriding the
        // refusal (`--allow-duplicate-ref`); the audit must still see it.
        allowsDuplicateReference: true),
      signer: treasurer(of: unit))
  }

  func treasurer(of unit: String) -> SigningKey {
    switch unit {
    case "GA": districtTreasurer
    case "GA-BC": streetTreasurer
    case "GA-NM": otherStreetTreasurer
    case "GA-BC-WHL": otherCommunityTreasurer
    default: communityTreasurer
    }
  }

  @discardableResult
  func request(
    _ yuan: String, unit: String = "GA-BC-JSL", payee: String, purpose: String,
    fund: String? = nil, category: PurposeCategory? = nil, date: String? = nil
  ) throws -> Int64 {
    try ledger.requestDisbursement(
      DisbursementInput(
        unit: unit, amount: try Money.parseYuan(yuan), payee: payee, purpose: purpose,
        category: category, fund: fund, date: try date.map { try AccountingDate($0) }),
      signer: treasurer(of: unit)
    ).request.id
  }

  /// Requests today, approves on `approveOn`, pays on `payOn`; returns the
  /// seqs. `fundYuan` is first given to `fund` through the unit's own bank.
  @discardableResult
  func pay(
    _ yuan: String, unit: String, payee: String, purpose: String, fund: String? = nil,
    category: PurposeCategory? = nil, approvers: [SigningKey], approveOn: String, payOn: String,
    fundYuan: String? = nil
  ) throws -> (request: Int64, pay: Int64) {
    if let fundYuan { try donate(fundYuan, to: unit, fund: fund, channel: .bank) }
    let id = try request(
      yuan, unit: unit, payee: payee, purpose: purpose, fund: fund, category: category)
    try clock.go(approveOn)
    for approver in approvers { try ledger.approveDisbursement(id: id, signer: approver) }
    try clock.go(payOn)
    let paid = try ledger.payDisbursement(id: id, signer: treasurer(of: unit))
    return (id, paid.appended.seq)
  }

  /// Every entry, in seq order.
  func entries() throws -> [LoggedEntry] {
    let count = try ledger.entryCount()
    return try (0..<count).map { seq in
      guard let logged = try ledger.loggedEntry(at: seq) else {
        throw AlmonerError.failure("entry \(seq) missing")
      }
      return logged
    }
  }

  /// Runs the conduct rules over the whole log.
  func audit(
    rules: ConductRules = .defaults, units: Set<String>? = nil, from: String? = nil,
    to: String? = nil, asOf: String = ConductLedger.asOf,
    statements: (any StatementPublicationReader)? = nil, indexedReferences: Bool = false
  ) throws -> [AuditFinding] {
    var auditor = ConductAuditor(
      rules: rules, units: units, from: try from.map { try AccountingDate($0) },
      to: try to.map { try AccountingDate($0) }, asOf: try AccountingDate(asOf))
    auditor.statementReader = statements
    if indexedReferences { auditor.referenceIndex = LedgerReferenceIndex(ledger: ledger) }
    for logged in try entries() { auditor.visit(logged) }
    return auditor.finish()
  }
}

/// A statement reader for tests: the publications it is told of, at the
/// seqs it is told.
struct ListedPublications: StatementPublicationReader {
  var publications: [Int64: ConductPublication]

  func publication(in entry: Entry) -> ConductPublication? { publications[entry.seq] }
}
