import AlmonerKit
import Foundation
import GRDB
import Testing

/// Expects the refusal with `code` (a bad-input one) — whose message
/// contains `phrase`, when the test pins a value it names — and that the
/// ledger on disk is byte-for-byte what it was.
func expectRefused(
  _ fixture: Fixture, code: Refusal.Code, containing phrase: String? = nil,
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) throws {
  let before = try fixture.fileBytes()
  #expect(sourceLocation: sourceLocation) {
    try body()
  } throws: { error in
    guard let error = error as? AlmonerError, let refusal = error.refusal else { return false }
    return error.kind == .badInput && refusal.tag == code
      && phrase.map { error.message.contains($0) } != false
  }
  #expect(try fixture.fileBytes() == before, "the ledger changed", sourceLocation: sourceLocation)
}

@Suite("Ledger rules: tiers, roles, funds, money")
struct LedgerRulesTests {
  @Test("a donation posts to bank and donation income, balanced, and verifies")
  func donation() throws {
    let fixture = try Fixture()
    let appended = try fixture.donate("500.50", donor: "王小明")
    let donor = try #require(appended.entry.body.json["donor"]?.objectValue)
    #expect(donor["display"] == "王**")
    #expect(donor["named"] == false)
    #expect(!String(decoding: Canonical.encode(appended.entry.json), as: UTF8.self).contains("王小明"))
    let state = try fixture.ledger.state()
    #expect(state.balance(.init(unit: "GA-BC-JSL", fund: "general", account: .bank)) == 50_050)
    #expect(
      state.balance(.init(unit: "GA-BC-JSL", fund: "general", account: .donations(.wechat)))
        == -50_050)
    let report = try fixture.ledger.verify()
    #expect(report.isClean, "\(report.problems)")
  }

  @Test("cash donations go to the cash account; named donors are shown in full")
  func cashAndNamed() throws {
    let fixture = try Fixture()
    try fixture.ledger.donate(
      DonationInput(
        unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "爱心企业", named: true, channel: .cash),
      signer: fixture.communityTreasurer)
    let state = try fixture.ledger.state()
    #expect(state.balance(.init(unit: "GA-BC-JSL", fund: "general", account: .cash)) == 100)
    let journal = try fixture.ledger.journal(unit: "GA-BC-JSL", from: nil, to: nil)
    #expect(journal.last?.summary.contains("爱心企业") == true)
  }

  @Test("the donor's commitment opens with the stored salt and personal data")
  func donorCommitment() throws {
    let fixture = try Fixture()
    let appended = try fixture.donate("10", donor: "张三")
    let commitment = try #require(
      appended.entry.body.json["donor"]?.objectValue?["commitment"]?.stringValue)
    let row = try #require(
      try DatabaseQueue(path: fixture.path).read {
        try Row.fetchOne(
          $0, sql: "SELECT salt, personal FROM donor_private WHERE seq = ?",
          arguments: [appended.seq])
      })
    let salt = [UInt8](row["salt"] as Data)
    let personal = [UInt8](row["personal"] as Data)
    #expect(String(decoding: personal, as: UTF8.self) == #"{"name":"张三"}"#)
    // SHA-256(salt ‖ personal), computed here without AlmonerKit's helper.
    #expect(SHA256.hash(salt + personal).hex == commitment)
    var otherSalt = salt
    otherSalt[0] ^= 1
    #expect(SHA256.hash(otherSalt + personal).hex != commitment)
  }

  @Test("units: tier follows the parent; a community can't sit under the district or have children")
  func unitTiers() throws {
    let fixture = try Fixture()
    let state = try fixture.ledger.state()
    #expect(state.units["GA-BC"]?.tier == .street)
    #expect(state.units["GA-BC-JSL"]?.tier == .community)
    #expect(state.funds[.init(unit: "GA-BC-JSL", code: "general")] != nil)
    try expectRefused(fixture, code: .unitTierMisplaced, containing: "社区不能直接设在区级") {
      try fixture.ledger.addUnit(
        code: "GA-X", name: "新社区", parent: "GA", tier: .community, signer: fixture.admin)
    }
    try expectRefused(fixture, code: .unitUnderCommunity) {
      try fixture.ledger.addUnit(
        code: "GA-X", name: "楼栋", parent: "GA-BC-JSL", signer: fixture.admin)
    }
    try expectRefused(fixture, code: .unitCodeTaken, containing: "已被使用") {
      try fixture.ledger.addUnit(code: "GA-BC", name: "重复", parent: "GA", signer: fixture.admin)
    }
    try expectRefused(fixture, code: .unitUnknown) {
      try fixture.ledger.addUnit(code: "GA-X", name: "新街道", parent: "GA-ZZ", signer: fixture.admin)
    }
    try expectRefused(fixture, code: .unitCodeInvalid, containing: "单位代码 \"ga-x\" 无效") {
      try fixture.ledger.addUnit(code: "ga-x", name: "新街道", parent: "GA", signer: fixture.admin)
    }
    try expectRefused(fixture, code: .roleRequired, containing: "不是广安区（GA）的管理员") {
      try fixture.ledger.addUnit(
        code: "GA-X", name: "新街道", parent: "GA", signer: fixture.districtTreasurer)
    }
  }

  @Test(
    "roles: only the unit's treasurer records its donations; strangers and revoked keys sign nothing"
  )
  func roles() throws {
    let fixture = try Fixture()
    try expectRefused(fixture, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的记账员") {
      try fixture.donate("5", signer: fixture.otherTreasurer)
    }
    try expectRefused(fixture, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的记账员") {
      try fixture.donate("5", signer: fixture.streetTreasurer)
    }
    try expectRefused(fixture, code: .signerNotMember, containing: "不是本账本的成员") {
      try fixture.donate("5", signer: SigningKey.generate())
    }
    try fixture.ledger.revokeMember(
      keyID: fixture.communityTreasurer.keyID, reason: "调离", signer: fixture.admin)
    try expectRefused(fixture, code: .signerRevoked, containing: "已于记录 #") {
      try fixture.donate("5")
    }
    try expectRefused(fixture, code: .grantKeyRevoked, containing: "已于记录 #") {
      try fixture.ledger.addMember(
        unit: "GA-BC-JSL", role: .treasurer, name: "王芳",
        publicKey: fixture.communityTreasurer.publicKey,
        signer: fixture.admin)
    }
    try expectRefused(fixture, code: .lastDistrictAdmin, containing: "最后一名管理员") {
      try fixture.ledger.revokeMember(
        keyID: fixture.admin.keyID, reason: nil, signer: fixture.admin)
    }
    #expect(try fixture.ledger.verify().isClean)
  }

  @Test("funds: restricted funds need a purpose; donations can be restricted to them")
  func funds() throws {
    let fixture = try Fixture()
    try fixture.donate("300", to: "GA", fund: "老龄食堂", signer: fixture.districtTreasurer)
    let state = try fixture.ledger.state()
    #expect(state.balance(.init(unit: "GA", fund: "elderly-canteen", account: .bank)) == 30_000)
    try expectRefused(fixture, code: .fundPurposeMissing, containing: "定向基金必须写明用途") {
      try fixture.ledger.openFund(
        unit: "GA", code: "school", name: "助学", restricted: true, purpose: nil,
        signer: fixture.admin)
    }
    try expectRefused(fixture, code: .fundCodeTaken, containing: "已有代码为 elderly-canteen 的基金") {
      try fixture.ledger.openFund(
        unit: "GA", code: "elderly-canteen", name: "另一个", restricted: true, purpose: "x",
        signer: fixture.admin)
    }
    try expectRefused(fixture, code: .fundUnknown) {
      try fixture.donate("5", to: "GA", fund: "school", signer: fixture.districtTreasurer)
    }
  }

  @Test("allocations: send → in transit, confirm or void once; never overspend")
  func allocations() throws {
    let fixture = try Fixture()
    try fixture.donate("1000", to: "GA", signer: fixture.districtTreasurer)
    let ledger = fixture.ledger
    try expectRefused(fixture, code: .balanceInsufficient, containing: "余额不足") {
      try ledger.allocate(
        from: "GA", to: "GA-BC", amount: Money(fen: 100_001), fund: nil,
        signer: fixture.districtTreasurer)
    }
    try expectRefused(fixture, code: .allocationNotAdjacent, containing: "只能在上下级之间") {
      try ledger.allocate(
        from: "GA", to: "GA-BC-JSL", amount: Money(fen: 100), fund: nil,
        signer: fixture.districtTreasurer)
    }
    let sent = try ledger.allocate(
      from: "GA", to: "GA-BC", amount: Money(fen: 60_000), fund: nil,
      signer: fixture.districtTreasurer)
    var state = try ledger.state()
    #expect(state.balance(.init(unit: "GA", fund: "general", account: .bank)) == 40_000)
    #expect(state.balance(.init(unit: "GA", fund: "general", account: .inTransit)) == 60_000)
    #expect(state.allocations[sent.seq]?.status == .inTransit)
    try expectRefused(fixture, code: .roleRequired, containing: "不是北城街道（GA-BC）的记账员") {
      try ledger.settleAllocation(id: sent.seq, confirm: true, signer: fixture.districtTreasurer)
    }
    try ledger.settleAllocation(id: sent.seq, confirm: true, signer: fixture.streetTreasurer)
    state = try ledger.state()
    #expect(state.balance(.init(unit: "GA", fund: "general", account: .inTransit)) == 0)
    #expect(state.balance(.init(unit: "GA-BC", fund: "general", account: .bank)) == 60_000)
    #expect(
      state.balance(.init(unit: "GA-BC", fund: "general", account: .allocationsIn)) == -60_000)
    try expectRefused(fixture, code: .allocationSettled, containing: "已确认") {
      try ledger.settleAllocation(id: sent.seq, confirm: true, signer: fixture.streetTreasurer)
    }
    try expectRefused(fixture, code: .allocationSettled, containing: "已确认") {
      try ledger.settleAllocation(id: sent.seq, confirm: false, signer: fixture.districtTreasurer)
    }
    let second = try ledger.allocate(
      from: "GA-BC", to: "GA", amount: Money(fen: 10_000), fund: nil,
      signer: fixture.streetTreasurer)
    try ledger.settleAllocation(id: second.seq, confirm: false, signer: fixture.streetTreasurer)
    state = try ledger.state()
    #expect(state.allocations[second.seq]?.status == .voided)
    #expect(state.balance(.init(unit: "GA-BC", fund: "general", account: .bank)) == 60_000)
    try expectRefused(fixture, code: .allocationUnknown, containing: "划拨 99999 不存在") {
      try ledger.settleAllocation(id: 99_999, confirm: true, signer: fixture.streetTreasurer)
    }
    try expectRefused(fixture, code: .fundCodeUnknown, containing: "没有基金 elderly-canteen") {
      try ledger.allocate(
        from: "GA", to: "GA-BC", amount: Money(fen: 1), fund: "elderly-canteen",
        signer: fixture.districtTreasurer)
    }
    #expect(try ledger.verify().isClean)
  }

  @Test("restricted money can't be allocated into an unrestricted fund that shares its code")
  func restrictedStaysRestricted() throws {
    let fixture = try Fixture()
    try fixture.ledger.openFund(
      unit: "GA-BC", code: "elderly-canteen", name: "机动经费", restricted: false, purpose: nil,
      signer: fixture.admin)
    try fixture.donate("500", to: "GA", fund: "老龄食堂", signer: fixture.districtTreasurer)
    try expectRefused(fixture, code: .allocationFundsDiffer, containing: "性质不同") {
      try fixture.ledger.allocate(
        from: "GA", to: "GA-BC", amount: Money(fen: 10_000), fund: "elderly-canteen",
        signer: fixture.districtTreasurer)
    }
  }

  @Test("reversal: a donation once; not twice, not other kinds, not into a negative balance")
  func reversal() throws {
    let fixture = try Fixture()
    let gift = try fixture.donate("80")
    try fixture.ledger.reverse(seq: gift.seq, reason: "重复录入", signer: fixture.communityTreasurer)
    var state = try fixture.ledger.state()
    #expect(state.balance(.init(unit: "GA-BC-JSL", fund: "general", account: .bank)) == 0)
    try expectRefused(fixture, code: .reversalRepeated, containing: "不能重复冲销") {
      try fixture.ledger.reverse(seq: gift.seq, reason: "再来", signer: fixture.communityTreasurer)
    }
    try expectRefused(fixture, code: .reversalNotDonation, containing: "只能冲销捐赠") {
      try fixture.ledger.reverse(seq: 1, reason: "错", signer: fixture.communityTreasurer)
    }
    try expectRefused(fixture, code: .reversalTargetMissing, containing: "不存在") {
      try fixture.ledger.reverse(seq: 10_000, reason: "错", signer: fixture.communityTreasurer)
    }
    // Money already sent on can't be reversed into a negative bank balance.
    try fixture.donate("50", to: "GA-BC", signer: fixture.streetTreasurer)
    let spent = try fixture.ledger.journal(unit: "GA-BC", from: nil, to: nil).last!.seq
    try fixture.ledger.allocate(
      from: "GA-BC", to: "GA-BC-JSL", amount: Money(fen: 5_000), fund: nil,
      signer: fixture.streetTreasurer)
    try expectRefused(fixture, code: .balanceInsufficient, containing: "余额不足") {
      try fixture.ledger.reverse(seq: spent, reason: "退款", signer: fixture.streetTreasurer)
    }
    state = try fixture.ledger.state()
    #expect(state.reversals[gift.seq] != nil)
    #expect(try fixture.ledger.verify().isClean)
  }

  @Test("dates: back-dating is allowed, future dates are refused; --as-of balances follow dates")
  func dates() throws {
    let fixture = try Fixture()
    try fixture.donate("100", date: "2026-03-01")
    try fixture.donate("200", date: "2026-06-01")
    try expectRefused(fixture, code: .dateInFuture, containing: "晚于今天") {
      try fixture.donate("1", date: "2027-01-01")
    }
    let march = try fixture.ledger.balances(
      unit: "GA-BC-JSL", asOf: try AccountingDate("2026-03-31"))
    #expect(march.own.first { $0.account == .bank }?.amountFen == 10_000)
    let rollup = try fixture.ledger.balances(unit: "GA", asOf: nil)
    #expect(
      rollup.subtree?.first { $0.account == .bank && $0.fundCode == "general" }?.amountFen == 30_000
    )
    #expect(rollup.own.isEmpty)
    #expect(rollup.subtreeUnitCounts == [.street: 1, .community: 2])
  }

  @Test("a state rebuilt by replaying the log equals the projections")
  func rebuildEqualsProjections() throws {
    let fixture = try Fixture()
    for index in 0..<20 { try fixture.donate("\(index + 1)", donor: "捐赠人\(index)") }
    let report = try fixture.ledger.verify()
    #expect(report.isClean, "\(report.problems)")
    #expect(report.entryCount == 30)
    #expect(report.lastVerifiedSeq == 29)
  }

  @Test("one commit may hold many entries, all under one signature")
  func bulkCommit() throws {
    let fixture = try Fixture()
    let appended = try fixture.ledger.commit(signer: fixture.communityTreasurer) {
      state throws(AlmonerError) in
      try (0..<50).map { index throws(AlmonerError) in
        try DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100 + Int64(index)), donor: "李四")
          .draft(in: state)
      }
    }
    #expect(appended.map(\.seq) == Array(10...59))
    let report = try fixture.ledger.verify()
    #expect(report.isClean)
    #expect(report.commitCount == 11)
    // A refused entry in a bulk commit leaves nothing of the commit behind.
    try expectRefused(fixture, code: .unitUnknown) {
      try fixture.ledger.commit(signer: fixture.communityTreasurer) { state throws(AlmonerError) in
        [
          try DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 1), donor: "甲").draft(in: state),
          try DonationInput(unit: "GA-NOPE", amount: Money(fen: 1), donor: "乙").draft(in: state),
        ]
      }
    }
  }
}
