import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// The test ledger of `Fixture` plus approvers at every tier, a second
/// street (南门街道) and money in 建设路社区's general fund.
struct SupervisionFixture {
  let base: Fixture
  let communityApprover = SigningKey.generate()
  let otherCommunityApprover = SigningKey.generate()
  let streetApprover = SigningKey.generate()
  let otherStreetApprover = SigningKey.generate()
  let districtApprover = SigningKey.generate()
  let secondDistrictApprover = SigningKey.generate()

  init(fundYuan: String? = "100000") throws {
    base = try Fixture()
    try base.ledger.addUnit(code: "GA-NM", name: "南门街道", parent: "GA", signer: base.admin)
    let grants: [(String, String, SigningKey)] = [
      ("GA-BC-JSL", "孙社区", communityApprover),
      ("GA-BC-WHL", "周社区", otherCommunityApprover),
      ("GA-BC", "钱街道", streetApprover),
      ("GA-NM", "吴街道", otherStreetApprover),
      ("GA", "冯区", districtApprover),
      ("GA", "陈区", secondDistrictApprover),
    ]
    for (unit, name, key) in grants {
      try base.ledger.addMember(
        unit: unit, role: .approver, name: name, publicKey: key.publicKey, signer: base.admin)
    }
    if let fundYuan { try base.donate(fundYuan, date: "2026-11-01") }
  }

  var ledger: Ledger { base.ledger }

  /// A request by 建设路社区's treasurer; returns its id.
  @discardableResult
  func request(
    _ yuan: String, unit: String = "GA-BC-JSL", purpose: String = "困难老人慰问",
    payee: String = "惠民超市", fund: String? = nil, category: PurposeCategory? = nil,
    attachments: [String] = [], signer: SigningKey? = nil
  ) throws -> Int64 {
    try ledger.requestDisbursement(
      DisbursementInput(
        unit: unit, amount: try Money.parseYuan(yuan), payee: payee, purpose: purpose,
        category: category, fund: fund, attachments: attachments),
      signer: signer ?? base.communityTreasurer
    ).request.id
  }

  func request(_ id: Int64) throws -> Disbursement {
    try #require(try ledger.state().supervision.disbursements[id])
  }

  func bank(_ unit: String = "GA-BC-JSL", fund: String = "general") throws -> Int64 {
    try ledger.state().balance(.init(unit: unit, fund: fund, account: .bank))
  }

  func expectClean(sourceLocation: SourceLocation = #_sourceLocation) throws {
    let report = try ledger.verify()
    #expect(report.isClean, "\(report.problems)", sourceLocation: sourceLocation)
  }
}

@Suite("Disbursements: policy, approvals, payment")
struct DisbursementTests {
  @Test("the default policy: community alone to ¥5,000, with its street to ¥50,000, district above")
  func defaultPolicyBands() throws {
    let f = try SupervisionFixture()
    #expect(try f.ledger.approvalPolicy() == .default)
    let small = try f.request("5000")
    let middle = try f.request("5000.01")
    let large = try f.request("50000.01")
    #expect(try f.request(small).required == [.community: 1])
    #expect(try f.request(middle).required == [.community: 1, .street: 1])
    #expect(try f.request(large).required == [.community: 1, .street: 1, .district: 1])
    #expect(try f.request(large).policySeq == nil)
    let street = try f.request("50000.01", unit: "GA-BC", signer: f.base.streetTreasurer)
    #expect(try f.request(street).required == [.street: 1, .district: 1])
    let district = try f.request("1", unit: "GA", signer: f.base.districtTreasurer)
    #expect(try f.request(district).required == [.district: 1])
    try f.expectClean()
  }

  @Test("payment is refused, naming the missing approvals by tier and count, until the last one")
  func payRefusedUntilLastApproval() throws {
    let f = try SupervisionFixture()
    let id = try f.request("60000")
    let pay = { _ = try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer) }
    try expectRefused(
      f.base, code: .paymentApprovalsMissing,
      containing: "还缺社区审批人 1 人（建设路社区）、街道审批人 1 人（北城街道）、区级审批人 1 人（广安区）", pay)
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    try expectRefused(
      f.base, code: .paymentApprovalsMissing, containing: "还缺街道审批人 1 人（北城街道）、区级审批人 1 人（广安区）", pay)
    let street = try f.ledger.approveDisbursement(id: id, signer: f.streetApprover)
    #expect(street.missingText == "区级审批人 1 人（广安区）")
    try expectRefused(
      f.base, code: .paymentApprovalsMissing, containing: "尚未满足默认审批规则，不能付款：还缺区级审批人 1 人（广安区）", pay)
    #expect(try f.request(id).status == .pending)
    let last = try f.ledger.approveDisbursement(id: id, signer: f.districtApprover)
    #expect(last.missingText.isEmpty)
    #expect(last.request.status == .approved)
    #expect(last.request.approvedSeq == last.appended.seq)
    try expectRefused(f.base, code: .approvalNotNeeded, containing: "已获得审批规则要求的全部批准") {
      try f.ledger.approveDisbursement(id: id, signer: f.secondDistrictApprover)
    }
    try expectRefused(f.base, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的记账员") {
      try f.ledger.payDisbursement(id: id, signer: f.base.streetTreasurer)
    }
    let paid = try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer)
    #expect(paid.request.status == .paid)
    #expect(try f.bank() == 4_000_000)
    let state = try f.ledger.state()
    #expect(
      state.balance(
        .init(unit: "GA-BC-JSL", fund: "general", account: .init("expenses:programme:elderly")))
        == 6_000_000)
    try expectRefused(f.base, code: .disbursementClosed, containing: "已付款", pay)
    try f.expectClean()
  }

  @Test("approvers cover their subtree only; a higher tier may stand in for a lower one, once")
  func approverScope() throws {
    let f = try SupervisionFixture()
    let id = try f.request("6000")
    try expectRefused(f.base, code: .roleRequired, containing: "周社区") {
      try f.ledger.approveDisbursement(id: id, signer: f.otherCommunityApprover)
    }
    try expectRefused(f.base, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的审批人") {
      try f.ledger.approveDisbursement(id: id, signer: f.otherStreetApprover)
    }
    try expectRefused(f.base, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的审批人") {
      try f.ledger.approveDisbursement(id: id, signer: f.base.supervisor)
    }
    // Two district approvers fill the street's and the community's places.
    try f.ledger.approveDisbursement(id: id, signer: f.districtApprover)
    #expect(try f.request(id).approvals.map(\.tier) == [.district])
    #expect(try f.request(id).missingApprovals == [.community: 1])
    try expectRefused(f.base, code: .approvalRepeated, containing: "已批准过申请") {
      try f.ledger.approveDisbursement(id: id, signer: f.districtApprover)
    }
    try f.ledger.approveDisbursement(id: id, signer: f.secondDistrictApprover)
    #expect(try f.request(id).status == .approved)
    // A community approver can't fill a district requirement.
    let large = try f.request("60000")
    try f.ledger.approveDisbursement(id: large, signer: f.streetApprover)
    try f.ledger.approveDisbursement(id: large, signer: f.districtApprover)
    try f.ledger.approveDisbursement(id: large, signer: f.secondDistrictApprover)
    #expect(try f.request(large).missingApprovals.isEmpty)
    let extra = SigningKey.generate()
    try f.ledger.addMember(
      unit: "GA-BC-JSL", role: .approver, name: "郑社区", publicKey: extra.publicKey,
      signer: f.base.admin)
    let third = try f.request("60000")
    try f.ledger.approveDisbursement(id: third, signer: f.communityApprover)
    try f.ledger.approveDisbursement(id: third, signer: f.streetApprover)
    try expectRefused(
      f.base, code: .approvalTierNotNeeded, containing: "还缺区级审批人 1 人（广安区）；郑社区是社区审批人，其批准补不上所缺的审批"
    ) {
      try f.ledger.approveDisbursement(id: third, signer: extra)
    }
    try f.expectClean()
  }

  @Test("a member may not approve their own request, nor reject it")
  func selfApproval() throws {
    let f = try SupervisionFixture()
    // 王芳 keeps 建设路社区's books, so she may approve only from a tier above
    // (never her own unit's requests: see PersonTests).
    try f.ledger.addMember(
      unit: "GA-BC", role: .approver, name: "王芳",
      publicKey: f.base.communityTreasurer.publicKey,
      signer: f.base.admin)
    let id = try f.request("100")
    try expectRefused(f.base, code: .approvalOwnRequest, containing: "不能批准自己提出的申请 #\(id)") {
      try f.ledger.approveDisbursement(id: id, signer: f.base.communityTreasurer)
    }
    try expectRefused(
      f.base, code: .rejectOwnRequest, containing: "请用 `almoner disburse cancel \(id)` 撤销"
    ) {
      try f.ledger.rejectDisbursement(id: id, reason: "自己驳回", signer: f.base.communityTreasurer)
    }
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    #expect(try f.request(id).status == .approved)
  }

  @Test(
    "a revoked approver approves nothing; approvals given before the revocation no longer count")
  func revokedApprover() throws {
    let f = try SupervisionFixture()
    let first = try f.request("6000")
    let approval = try f.ledger.approveDisbursement(id: first, signer: f.streetApprover).appended
    let revoked = try f.ledger.revokeMember(
      keyID: f.streetApprover.keyID, reason: "调离", signer: f.base.admin)
    #expect(try f.request(first).approvals.map(\.voidedSeq) == [revoked.seq])
    let second = try f.request("6000")
    try expectRefused(f.base, code: .signerRevoked, containing: "已于记录 #") {
      try f.ledger.approveDisbursement(id: second, signer: f.streetApprover)
    }
    try f.ledger.approveDisbursement(id: first, signer: f.communityApprover)
    // The street's place is empty again: the revoked key's approval is void.
    try expectRefused(f.base, code: .paymentApprovalsMissing, containing: "还缺街道审批人 1 人（北城街道）") {
      try f.ledger.payDisbursement(id: first, signer: f.base.communityTreasurer)
    }
    let list = Rendering.disbursementText(try f.request(first), state: try f.ledger.state())
    #expect(list.contains("钱街道（街道，记录 #\(approval.seq)，其密钥已于记录 #\(revoked.seq) 撤销，不再计数）"))
    try f.ledger.approveDisbursement(id: first, signer: f.districtApprover)
    try f.ledger.payDisbursement(id: first, signer: f.base.communityTreasurer)
    try f.expectClean()
  }

  @Test("revoking an approver after the request was approved sends it back to pending")
  func revokedAfterApproval() throws {
    let f = try SupervisionFixture()
    let id = try f.request("100")
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    #expect(try f.request(id).status == .approved)
    try f.ledger.revokeMember(
      keyID: f.communityApprover.keyID, reason: "密钥遗失", signer: f.base.admin)
    let request = try f.request(id)
    #expect(request.status == .pending)
    #expect(request.approvedSeq == nil)
    try expectRefused(
      f.base, code: .paymentApprovalsMissing, containing: "尚未满足默认审批规则，不能付款：还缺社区审批人 1 人（建设路社区）"
    ) {
      try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer)
    }
    try f.ledger.approveDisbursement(id: id, signer: f.streetApprover)
    try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer)
    try f.expectClean()
  }

  @Test("a payment that would overdraw the fund is refused, naming the fund and its balance")
  func overspend() throws {
    let f = try SupervisionFixture(fundYuan: "1000")
    let id = try f.request("1500")
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    try expectRefused(
      f.base, code: .balanceInsufficient, containing: "余额不足：建设路社区（GA-BC-JSL）非定向基金的银行存款只有 ¥1,000.00"
    ) {
      try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer)
    }
    #expect(try f.bank() == 100_000)
    try f.expectClean()
  }

  @Test("money of approved, unpaid requests is reserved: in the order they were approved")
  func reservedMoney() throws {
    let f = try SupervisionFixture(fundYuan: "1000")
    let first = try f.request("600")
    let second = try f.request("500")
    try f.ledger.approveDisbursement(id: first, signer: f.communityApprover)
    // Pending requests reserve nothing; approved ones do.
    try expectRefused(
      f.base, code: .balanceReserved,
      containing: "¥600.00 已为已批准待付款的申请 #\(first) 预留，可用 ¥400.00，不够支出 ¥500.00"
    ) {
      try f.ledger.allocate(
        from: "GA-BC-JSL", to: "GA-BC", amount: Money(fen: 50_000), fund: nil,
        signer: f.base.communityTreasurer)
    }
    try f.ledger.approveDisbursement(id: second, signer: f.communityApprover)
    try expectRefused(f.base, code: .balanceReserved, containing: "已为已批准待付款的申请 #\(first) 预留") {
      try f.ledger.payDisbursement(id: second, signer: f.base.communityTreasurer)
    }
    try f.ledger.payDisbursement(id: first, signer: f.base.communityTreasurer)
    try expectRefused(f.base, code: .balanceInsufficient, containing: "余额不足") {
      try f.ledger.payDisbursement(id: second, signer: f.base.communityTreasurer)
    }
    try expectRefused(f.base, code: .balanceReserved, containing: "已为已批准待付款的申请 #\(second) 预留") {
      try f.ledger.allocate(
        from: "GA-BC-JSL", to: "GA-BC", amount: Money(fen: 100), fund: nil,
        signer: f.base.communityTreasurer)
    }
    try f.ledger.cancelDisbursement(id: second, reason: "改期", signer: f.base.communityTreasurer)
    try f.ledger.allocate(
      from: "GA-BC-JSL", to: "GA-BC", amount: Money(fen: 40_000), fund: nil,
      signer: f.base.communityTreasurer)
    #expect(try f.bank() == 0)
    try f.expectClean()
  }

  @Test(
    "the index of reserved requests follows every change: approval, voided approval, payment, cancel, and loading"
  )
  func reservedIndexFollowsRequests() throws {
    let f = try SupervisionFixture(fundYuan: "1000")
    let paid = try f.request("100")
    let cancelled = try f.request("100")
    let voided = try f.request("100")
    let open = try f.request("100")
    for id in [paid, cancelled, voided, open] {
      try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    }
    try f.ledger.payDisbursement(id: paid, signer: f.base.communityTreasurer)
    try f.ledger.cancelDisbursement(id: cancelled, reason: "改期", signer: f.base.communityTreasurer)
    // Approved again by a new approver after the first one's key goes.
    try f.ledger.revokeMember(
      keyID: f.communityApprover.keyID, reason: nil, signer: f.base.admin)
    let successor = SigningKey.generate()
    try f.ledger.addMember(
      unit: "GA-BC-JSL", role: .approver, name: "郑社区", publicKey: successor.publicKey,
      signer: f.base.admin)
    try f.ledger.approveDisbursement(id: open, signer: successor)
    func approved(_ state: LedgerState) -> [LedgerState.FundKey: Set<Int64>] {
      Dictionary(
        grouping: state.supervision.disbursements.values.filter { $0.status == .approved },
        by: { LedgerState.FundKey(unit: $0.unit, code: $0.fund) }
      ).mapValues { Set($0.map(\.id)) }
    }
    let loaded = try f.ledger.state()
    #expect(loaded.supervision.approvedByFund == approved(loaded))
    #expect(loaded.supervision.approvedByFund.values.flatMap { $0 } == [open])
    var replayed: LedgerState?
    let report = try f.ledger.read { db in
      let result = try LedgerVerifier(db: db).replayAll()
      replayed = result.state
      return result.report
    }
    #expect(report.isClean)
    #expect(replayed?.supervision.approvedByFund == loaded.supervision.approvedByFund)
  }

  @Test("a reversal can't take reserved money either")
  func reversalRespectsReservation() throws {
    let f = try SupervisionFixture(fundYuan: nil)
    let gift = try f.base.donate("300", channel: .bank)
    let id = try f.request("200")
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    try expectRefused(f.base, code: .balanceReserved, containing: "已为已批准待付款的申请 #\(id) 预留") {
      try f.ledger.reverse(seq: gift.seq, reason: "退款", signer: f.base.communityTreasurer)
    }
  }

  @Test("reject and cancel: who may, when, and that nothing is paid after")
  func rejectAndCancel() throws {
    let f = try SupervisionFixture()
    let id = try f.request("100")
    try expectRefused(f.base, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的审批人") {
      try f.ledger.rejectDisbursement(id: id, reason: "不合规", signer: f.base.streetTreasurer)
    }
    try expectRefused(f.base, code: .cancelNotRequester, containing: "只有申请人王芳可以撤销申请") {
      try f.ledger.cancelDisbursement(id: id, signer: f.communityApprover)
    }
    let rejected = try f.ledger.rejectDisbursement(
      id: id, reason: "票据不全", signer: f.streetApprover)
    #expect(rejected.request.status == .rejected)
    #expect(rejected.request.reason == "票据不全")
    for action in [
      { try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer) },
      { try f.ledger.approveDisbursement(id: id, signer: f.communityApprover) },
      { try f.ledger.cancelDisbursement(id: id, signer: f.base.communityTreasurer) },
    ] {
      try expectRefused(f.base, code: .disbursementClosed, containing: "申请 #\(id) 已驳回") {
        _ = try action()
      }
    }
    let other = try f.request("100")
    try f.ledger.approveDisbursement(id: other, signer: f.communityApprover)
    try f.ledger.cancelDisbursement(id: other, signer: f.base.communityTreasurer)
    try expectRefused(f.base, code: .disbursementClosed, containing: "已撤销") {
      try f.ledger.payDisbursement(id: other, signer: f.base.communityTreasurer)
    }
    try expectRefused(f.base, code: .disbursementUnknown, containing: "支出申请 #99999 不存在") {
      try f.ledger.approveDisbursement(id: 99_999, signer: f.communityApprover)
    }
    let paid = try f.request("100")
    try f.ledger.approveDisbursement(id: paid, signer: f.communityApprover)
    try f.ledger.payDisbursement(id: paid, signer: f.base.communityTreasurer)
    try expectRefused(f.base, code: .disbursementClosed, containing: "已付款") {
      try f.ledger.cancelDisbursement(id: paid, signer: f.base.communityTreasurer)
    }
    let list = try f.ledger.disbursements(unit: "GA-BC", status: .rejected)
    #expect(list.requests.map(\.id) == [id])
    #expect(try f.ledger.disbursements(unit: "GA-BC-WHL", status: nil).requests.isEmpty)
    #expect(try f.ledger.disbursements(unit: nil, status: nil).requests.count == 3)
    try f.expectClean()
  }

  @Test("bad request input is refused with the field named, and the ledger unchanged")
  func badRequests() throws {
    let f = try SupervisionFixture()
    try expectRefused(f.base, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的记账员") {
      try f.request("10", signer: f.base.otherTreasurer)
    }
    try expectRefused(f.base, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的记账员") {
      try f.request("10", signer: f.communityApprover)
    }
    try expectRefused(f.base, code: .unitUnknown) { try f.request("10", unit: "GA-XX") }
    try expectRefused(f.base, code: .fundUnknown) { try f.request("10", fund: "school") }
    try expectRefused(f.base, code: .textEmpty) { try f.request("10", purpose: "  ") }
    try expectRefused(f.base, code: .textCharacterRefused) { try f.request("10", payee: "甲\n乙") }
    #expect(try f.ledger.disbursements(unit: nil, status: nil).requests.isEmpty)
  }
}

@Suite("Disbursements: restricted funds, releases, policy changes")
struct RestrictedFundTests {
  @Test("a restricted fund pays only for its purpose category")
  func restrictedCategory() throws {
    let f = try SupervisionFixture()
    let canteen = try #require(
      try f.ledger.state().funds[.init(unit: "GA", code: "elderly-canteen")])
    #expect(canteen.category == .elderly, "derived from 老年人助餐 when the fund was opened")
    // A fund.open entry without a category (as before categories existed):
    // the category is derived from the purpose when it is used.
    _ = try f.ledger.commit(signer: f.base.admin) { _ throws(AlmonerError) in
      [
        try EntryDraft(
          kind: .fundOpen,
          body: [
            "unit": "GA", "code": "flood", "name": "防汛基金", "restricted": true, "purpose": "防汛救灾",
          ])
      ]
    }
    let flood = try #require(try f.ledger.state().funds[.init(unit: "GA", code: "flood")])
    #expect(flood.category == nil)
    #expect(flood.effectiveCategory == .disaster)
    try f.base.donate("3000", to: "GA", fund: "elderly-canteen", signer: f.base.districtTreasurer)
    try expectRefused(
      f.base, code: .restrictedFundOffPurpose,
      containing: "定向基金「老龄食堂」（elderly-canteen）只能用于「助老」类支出，本申请的用途类别是「助学」"
    ) {
      try f.request(
        "100", unit: "GA", purpose: "贫困学生助学金", fund: "elderly-canteen",
        signer: f.base.districtTreasurer)
    }
    try expectRefused(f.base, code: .restrictedFundOffPurpose, containing: "本申请的用途类别是「其他」") {
      try f.request(
        "100", unit: "GA", purpose: "购买设备", fund: "elderly-canteen",
        signer: f.base.districtTreasurer)
    }
    let id = try f.request(
      "100", unit: "GA", purpose: "购买设备", fund: "老龄食堂", category: .elderly,
      signer: f.base.districtTreasurer)
    try f.ledger.approveDisbursement(id: id, signer: f.districtApprover)
    try f.ledger.payDisbursement(id: id, signer: f.base.districtTreasurer)
    #expect(try f.bank("GA", fund: "elderly-canteen") == 290_000)
    // The general fund pays for any category.
    try f.request("100", purpose: "贫困学生助学金")
    // New restricted funds record their category; general funds have none.
    let school = try f.ledger.openFund(
      unit: "GA-BC-JSL", code: "school", name: "助学基金", restricted: true, purpose: "资助学生",
      signer: f.base.admin)
    #expect(school.entry.body.json["category"] == "education")
    let named = try f.ledger.openFund(
      unit: "GA-BC-JSL", code: "relief", name: "应急基金", restricted: true, purpose: "临时救急",
      category: .poverty, signer: f.base.admin)
    #expect(named.entry.body.json["category"] == "poverty")
    try expectRefused(f.base, code: .fundCategoryUnrestricted, containing: "只有定向基金才有用途类别") {
      try f.ledger.openFund(
        unit: "GA-BC-JSL", code: "misc", name: "杂项", restricted: false, purpose: nil,
        category: .other, signer: f.base.admin)
    }
    try f.expectClean()
  }

  @Test("releasing restricted money to the general fund is approved and carried out like a payment")
  func release() throws {
    let f = try SupervisionFixture()
    try f.base.donate("3000", to: "GA", fund: "elderly-canteen", signer: f.base.districtTreasurer)
    try expectRefused(f.base, code: .releaseFundNotRestricted, containing: "「非定向基金」不是定向基金") {
      try f.ledger.requestRelease(
        unit: "GA", fund: "general", amount: Money(fen: 100), reason: "x",
        signer: f.base.districtTreasurer)
    }
    let update = try f.ledger.requestRelease(
      unit: "GA", fund: "老龄食堂", amount: Money(fen: 100_000), reason: "捐赠人同意转为非定向",
      signer: f.base.districtTreasurer)
    let id = update.request.id
    #expect(update.request.kind == .release)
    #expect(update.request.required == [.district: 1])
    try expectRefused(f.base, code: .paymentApprovalsMissing, containing: "还缺区级审批人 1 人（广安区）") {
      try f.ledger.payDisbursement(id: id, signer: f.base.districtTreasurer)
    }
    try expectRefused(f.base, code: .roleRequired, containing: "不是广安区（GA）的审批人") {
      try f.ledger.approveDisbursement(id: id, signer: f.streetApprover)
    }
    try f.ledger.approveDisbursement(id: id, signer: f.districtApprover)
    let paid = try f.ledger.payDisbursement(id: id, signer: f.base.districtTreasurer)
    #expect(paid.request.status == .paid)
    let state = try f.ledger.state()
    #expect(try f.bank("GA", fund: "elderly-canteen") == 200_000)
    #expect(try f.bank("GA", fund: "general") == 100_000)
    #expect(
      state.balance(.init(unit: "GA", fund: "elderly-canteen", account: .releaseOut)) == 100_000)
    #expect(state.balance(.init(unit: "GA", fund: "general", account: .releaseIn)) == -100_000)
    let journal = try f.ledger.journal(unit: "GA", from: nil, to: nil)
    #expect(journal.last?.summary.contains("执行定向资金释放 #\(id)") == true)
    try f.expectClean()
  }

  @Test("a policy change holds only requests made after it; every version stays in the log")
  func policyChange() throws {
    let f = try SupervisionFixture()
    let before = try f.request("3000")
    try expectRefused(f.base, code: .roleRequired, containing: "不是广安区（GA）的管理员") {
      try f.ledger.setPolicy(
        PolicyChange(communityParentAbove: Money(fen: 100_000)), signer: f.districtApprover)
    }
    try expectRefused(f.base, code: .policyThresholdsReversed, containing: "不能高于须区级审批的起点") {
      try f.ledger.setPolicy(
        PolicyChange(communityParentAbove: Money(fen: 6_000_000)), signer: f.base.admin)
    }
    try expectRefused(f.base, code: .policyUnchanged, containing: "新规则与现行的默认审批规则完全相同") {
      try f.ledger.setPolicy(PolicyChange(approvals: [.street: 1]), signer: f.base.admin)
    }
    try expectRefused(f.base, code: .policyApproverCount, containing: "区级审批人数应为 1 至 5 人") {
      try f.ledger.setPolicy(PolicyChange(approvals: [.district: 6]), signer: f.base.admin)
    }
    let set = try f.ledger.setPolicy(
      PolicyChange(communityParentAbove: Money(fen: 100_000), approvals: [.district: 2]),
      signer: f.base.admin)
    let policy = try f.ledger.approvalPolicy()
    #expect(policy.seq == set.seq)
    #expect(policy.communityParentAboveFen == 100_000)
    #expect(policy.communityDistrictAboveFen == 5_000_000)
    #expect(policy.approvalCount(.district) == 2)
    let after = try f.request("3000")
    #expect(try f.request(before).required == [.community: 1])
    #expect(try f.request(after).required == [.community: 1, .street: 1])
    #expect(try f.request(after).policySeq == set.seq)
    try f.ledger.approveDisbursement(id: before, signer: f.communityApprover)
    try f.ledger.approveDisbursement(id: after, signer: f.communityApprover)
    try f.ledger.payDisbursement(id: before, signer: f.base.communityTreasurer)
    try expectRefused(
      f.base, code: .paymentApprovalsMissing,
      containing: "尚未满足记录 #\(set.seq) 设定的审批规则，不能付款：还缺街道审批人 1 人"
    ) {
      try f.ledger.payDisbursement(id: after, signer: f.base.communityTreasurer)
    }
    let large = try f.request("60000")
    #expect(try f.request(large).required == [.community: 1, .street: 1, .district: 2])
    let second = try f.ledger.setPolicy(
      PolicyChange(communityParentAbove: Money.zero), signer: f.base.admin)
    #expect(try f.ledger.approvalPolicy().seq == second.seq)
    let rows = try DatabaseQueue(path: f.base.path).read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM approval_policy") ?? 0
    }
    #expect(rows == 2)
    try f.expectClean()
  }
}

@Suite("Attachments, personal data and reconciliation")
struct AttachmentAndReconciliationTests {
  @Test(
    "attachments are kept by SHA-256 beside the ledger; verify ledger names a changed or missing file"
  )
  func attachments() throws {
    let f = try SupervisionFixture()
    let invoice = f.base.directory.path("发票.jpg")
    let contract = f.base.directory.path("contract.pdf")
    try Data("invoice bytes".utf8).write(to: URL(fileURLWithPath: invoice))
    try Data("contract bytes".utf8).write(to: URL(fileURLWithPath: contract))
    // A refused request keeps no copy.
    try expectRefused(f.base, code: .roleRequired, containing: "记账员") {
      try f.request("10", attachments: [invoice], signer: f.base.otherTreasurer)
    }
    #expect(!FileManager.default.fileExists(atPath: f.ledger.attachmentsDirectory))
    try expectRefused(f.base, code: .attachmentDuplicate, containing: "内容相同") {
      try f.request("10", attachments: [invoice, invoice])
    }
    try expectRefused(f.base, code: .attachmentUnreadable, containing: "无法读取文件") {
      try f.request("10", attachments: [f.base.directory.path("nope.jpg")])
    }
    let id = try f.request("10", attachments: [invoice, contract])
    let request = try f.request(id)
    #expect(request.attachments.map(\.name) == ["发票.jpg", "contract.pdf"])
    let hash = SHA256.hash(Array("invoice bytes".utf8))
    #expect(request.attachments[0].sha256 == hash)
    #expect(request.attachments[0].byteCount == 13)
    let kept = f.ledger.attachmentPath(hash)
    #expect(FileManager.default.contents(atPath: kept) == Data("invoice bytes".utf8))
    try f.expectClean()
    // The same file on a second request is kept once.
    let again = try f.request("20", attachments: [invoice])
    try f.ledger.approveDisbursement(id: again, signer: f.communityApprover)
    try f.ledger.payDisbursement(id: again, signer: f.base.communityTreasurer)
    try Data("invoice bytes, edited".utf8).write(to: URL(fileURLWithPath: kept))
    var report = try f.ledger.verify()
    #expect(report.problems.map(\.seq) == [id, again])
    #expect(report.problems.allSatisfy { $0.message.contains("附件「发票.jpg」文件已被改动") })
    try FileManager.default.removeItem(atPath: kept)
    report = try f.ledger.verify()
    #expect(report.problems.map(\.seq) == [id, again])
    #expect(report.problems[0].message.contains("文件缺失"))
  }

  @Test("a payee who is a person is masked and committed to, like a donor")
  func payeePerson() throws {
    let f = try SupervisionFixture()
    let update = try f.ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: Money(fen: 50_000), payee: "李小红", payeeIsPerson: true,
        purpose: "困难家庭救助"),
      signer: f.base.communityTreasurer)
    let payee = try #require(update.appended.entry.body.json["payee"]?.objectValue)
    #expect(payee["display"] == "李**")
    #expect(payee["person"] == true)
    #expect(payee["commitment"]?.stringValue?.count == 64)
    #expect(!String(decoding: update.appended.entry.canonicalBytes, as: UTF8.self).contains("李小红"))
    #expect(update.request.category == .poverty)
    try f.expectClean()
    let queue = try DatabaseQueue(path: f.base.path)
    try queue.write {
      try $0.execute(
        sql: "UPDATE donor_private SET personal = CAST('{\"name\":\"王五\"}' AS BLOB) WHERE seq = ?",
        arguments: [update.request.id])
    }
    let report = try f.ledger.verify()
    #expect(report.problems.map(\.seq) == [update.request.id])
    #expect(report.problems.first?.message.contains("收款人私密信息") == true)
  }

  @Test("reconciliation: refused with the difference; afterwards the reconciled days are closed")
  func reconciliation() throws {
    let f = try SupervisionFixture(fundYuan: nil)
    try f.base.donate("100", date: "2026-10-05")
    try f.base.donate("50", date: "2026-11-02")
    try f.base.donate("7", channel: .cash, date: "2026-10-06")
    let asOf = try AccountingDate("2026-10-31")
    let reconcile = { (yuan: String, signer: SigningKey) in
      try f.ledger.reconcile(
        unit: "GA-BC-JSL", account: .bank, asOf: asOf, balance: try Money.parseYuan(yuan),
        signer: signer)
    }
    try expectRefused(
      f.base, code: .reconcileMismatch,
      containing:
        "对账不符：建设路社区（GA-BC-JSL）银行存款截至 2026-10-31 日终，账面余额 ¥100.00，对账单余额 ¥99.00，差额 -¥1.00（账面比对账单多 ¥1.00）"
    ) { _ = try reconcile("99", f.base.communityTreasurer) }
    try expectRefused(f.base, code: .reconcileMismatch, containing: "对账单比账面多 ¥50.00") {
      _ = try reconcile("150", f.base.communityTreasurer)
    }
    try expectRefused(f.base, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的记账员或监督员") {
      _ = try reconcile("100", f.base.otherTreasurer)
    }
    try expectRefused(f.base, code: .reconcileDateNotPast, containing: "须早于记账日期 2026-11-18") {
      try f.ledger.reconcile(
        unit: "GA-BC-JSL", account: .bank, asOf: try AccountingDate("2026-11-18"),
        balance: Money(fen: 15_000), signer: f.base.communityTreasurer)
    }
    _ = try reconcile("100", f.base.communityTreasurer)
    // A supervisor of the street may reconcile too; cash separately.
    try f.ledger.reconcile(
      unit: "GA-BC-JSL", account: .cash, asOf: asOf, balance: Money(fen: 700),
      signer: f.base.supervisor)
    try expectRefused(f.base, code: .reconciledPeriodClosed, containing: "银行存款已对账至 2026-10-31") {
      try f.base.donate("1", date: "2026-10-31")
    }
    try expectRefused(f.base, code: .reconciledPeriodClosed, containing: "库存现金已对账至 2026-10-31") {
      try f.base.donate("1", channel: .cash, date: "2026-10-20")
    }
    try f.base.donate("1", date: "2026-11-01")
    // Other units are not affected.
    try f.base.donate("1", to: "GA-BC-WHL", date: "2026-10-20", signer: f.base.otherTreasurer)
    let zero = try f.ledger.reconcile(
      unit: "GA-BC-WHL", account: .bank, asOf: try AccountingDate("2026-10-01"),
      balance: .zero, signer: f.base.otherTreasurer)
    #expect(zero.entry.body.json["balanceFen"] == 0)
    let journal = try f.ledger.journal(unit: "GA-BC-JSL", from: nil, to: nil)
    #expect(
      journal.contains { $0.summary.contains("对账：建设路社区（GA-BC-JSL）银行存款截至 2026-10-31 日终余额 ¥100.00") })
    try f.expectClean()
  }

  @Test("Money parses zero only where allowed")
  func zeroAmounts() throws {
    #expect(try Money.parseYuan("0", allowingZero: true) == .zero)
    #expect(try Money.parseYuan("¥0.00", allowingZero: true) == .zero)
    #expect(try Money.parseYuan("12.5", allowingZero: true) == Money(fen: 1250))
    for bad in ["0.", ".0", "0.000", "-0", "00x"] {
      #expect(throws: AlmonerError.self) { try Money.parseYuan(bad, allowingZero: true) }
    }
    #expect(throws: AlmonerError.self) { try Money.parseYuan("0") }
  }

  @Test("tampering with a disbursement projection is caught by verify ledger")
  func projectionTamper() throws {
    let f = try SupervisionFixture()
    let id = try f.request("100")
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    try f.expectClean()
    for sql in [
      "UPDATE disbursement SET status = 'pending', approved_seq = NULL WHERE id = \(id)",
      "UPDATE disbursement SET required_community = 0 WHERE id = \(id)",
      "DELETE FROM disbursement_approval WHERE request_id = \(id)",
    ] {
      let copy = f.base.directory.path("copy-\(UUID().uuidString).db")
      try FileManager.default.copyItem(atPath: f.base.path, toPath: copy)
      if FileManager.default.fileExists(atPath: f.base.path + "-wal") {
        try FileManager.default.copyItem(atPath: f.base.path + "-wal", toPath: copy + "-wal")
      }
      try DatabaseQueue(path: copy).write { try $0.execute(sql: sql) }
      let report = try Ledger.open(at: copy).verify()
      #expect(report.problems.contains { $0.message.contains("投影表 disbursement") }, "\(sql)")
    }
  }

  @Test("the journal describes every step of the flow")
  func journal() throws {
    let f = try SupervisionFixture()
    let id = try f.request("6000", purpose: "重阳节敬老活动")
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    try f.ledger.approveDisbursement(id: id, signer: f.streetApprover)
    try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer)
    let rejected = try f.request("10")
    try f.ledger.rejectDisbursement(id: rejected, reason: "重复申请", signer: f.streetApprover)
    let summaries = try f.ledger.journal(unit: "GA-BC-JSL", from: nil, to: nil).suffix(6).map {
      $0.summary
    }
    #expect(
      summaries == [
        "建设路社区（GA-BC-JSL）申请支出 #\(id)：重阳节敬老活动（助老），收款方 惠民超市",
        "孙社区（社区审批人）批准申请 #\(id)（建设路社区（GA-BC-JSL）·非定向基金 ¥6,000.00，收款方 惠民超市）",
        "钱街道（街道审批人）批准申请 #\(id)（建设路社区（GA-BC-JSL）·非定向基金 ¥6,000.00，收款方 惠民超市），审批已满足",
        "建设路社区（GA-BC-JSL）付款 #\(id)：重阳节敬老活动，收款方 惠民超市",
        "建设路社区（GA-BC-JSL）申请支出 #\(rejected)：困难老人慰问（助老），收款方 惠民超市",
        "钱街道驳回申请 #\(rejected)（建设路社区（GA-BC-JSL）·非定向基金 ¥10.00，收款方 惠民超市）：重复申请",
      ])
    let last = try f.ledger.journal(unit: "GA-BC", from: nil, to: nil).last
    #expect(last?.summary == "钱街道驳回申请 #\(rejected)（建设路社区（GA-BC-JSL）·非定向基金 ¥10.00，收款方 惠民超市）：重复申请")
    #expect(last?.entry.kind.displayName == "驳回支出")
  }
}
