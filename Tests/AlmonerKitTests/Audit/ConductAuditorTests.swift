import AlmonerKit
import Foundation
import Testing

/// Issue 10, "Done when" (conduct half): the clean ledger yields nothing;
/// each kind of finding planted into it alone yields exactly that finding,
/// with the entries it concerns.
@Suite("Audit: conduct rules on a realistic ledger")
struct ConductAuditorTests {
  /// The one finding of `findings`, which must have `code`.
  func only(
    _ findings: [AuditFinding], _ code: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> AuditFinding {
    #expect(
      findings.map(\.code) == [code], "\(findings.map(\.message))", sourceLocation: sourceLocation)
    return try #require(findings.first, sourceLocation: sourceLocation)
  }

  /// Publications covering every quarter of the clean ledger that needs one.
  func allPublished(_ books: ConductLedger, except skipped: String? = nil) throws
    -> ListedPublications
  {
    let needed: [(String, String)] = [
      ("GA", "2025"), ("GA-BC-JSL", "2025-Q4"), ("GA-BC-WHL", "2025-Q4"),
      ("GA", "2026-Q3"), ("GA-BC", "2026-Q3"), ("GA-NM", "2026-Q3"), ("GA-BC-JSL", "2026-Q3"),
      ("GA-BC-WHL", "2026-07"), ("GA-BC-WHL", "2026-08"), ("GA-BC-WHL", "2026-09"),
    ]
    // Read at the last entries, once every unit exists.
    let first = try books.ledger.entryCount() - Int64(needed.count)
    var publications: [Int64: ConductPublication] = [:]
    for (offset, (unit, period)) in needed.enumerated() where "\(unit) \(period)" != skipped {
      publications[first + Int64(offset)] = ConductPublication(unit: unit, period: period)
    }
    return ListedPublications(publications: publications)
  }

  @Test("the clean ledger yields no finding, now, after the year's end, and with statements")
  func cleanLedger() throws {
    let books = try ConductLedger()
    #expect(try books.audit().map(\.message) == [])
    #expect(try books.audit(asOf: "2027-01-10").map(\.message) == [])
    #expect(try books.audit(statements: try allPublished(books)).map(\.message) == [])
    #expect(try books.ledger.verify().isClean)
  }

  @Test("three requests of ¥4,900 to one payee on one day, under the ¥5,000 street threshold")
  func splitRequests() throws {
    var seqs: [Int64] = []
    let books = try ConductLedger(late: { books in
      for _ in 0..<3 {
        seqs.append(try books.request("4900", payee: "惠民超市", purpose: "慰问品采购"))
      }
    })
    let finding = try only(try books.audit(), "split-request")
    #expect(finding.seqs == seqs)
    #expect(finding.units == ["GA-BC-JSL"])
    #expect(finding.severity == .warning)
    #expect(finding.message.contains("向「惠民超市」提出 3 笔支出申请"))
    #expect(finding.message.contains("每笔 ¥4,900.00，合计 ¥14,700.00，超过须街道审批的金额 ¥5,000.00"))
    #expect(finding.messageEnglish.contains("3 requests to 惠民超市 on 2026-11-02"))
    // Outside the scope or the period, it is not reported.
    #expect(try books.audit(units: ["GA-BC-WHL"]).isEmpty)
    #expect(try books.audit(to: "2026-10-31").isEmpty)
    #expect(try books.audit(units: ["GA-BC", "GA-BC-JSL"], from: "2026-11-01").count == 1)
  }

  @Test("a request cancelled and made again, or rejected, splits nothing")
  func closedRequestsDoNotSplit() throws {
    let books = try ConductLedger(late: { books in
      let wrong = try books.request("4900", payee: "惠民超市", purpose: "慰问品采购")
      try books.ledger.cancelDisbursement(
        id: wrong, reason: "用途写错", signer: books.communityTreasurer)
      let again = try books.request("4900", payee: "惠民超市", purpose: "重阳节慰问品采购")
      try books.clock.go("2026-11-03")
      try books.ledger.rejectDisbursement(
        id: again, reason: "预算不足", signer: books.communityApprover)
      try books.request("4900", payee: "惠民超市", purpose: "重阳节慰问品采购")
    })
    #expect(try books.audit().map(\.message) == [])
  }

  @Test("of three split requests, one rejected afterwards: the other two are still over")
  func splitWithOneRejected() throws {
    var seqs: [Int64] = []
    let books = try ConductLedger(late: { books in
      for _ in 0..<3 {
        seqs.append(try books.request("3000", payee: "惠民超市", purpose: "慰问品采购"))
      }
      try books.clock.go("2026-11-03")
      try books.ledger.rejectDisbursement(
        id: seqs[2], reason: "重复", signer: books.communityApprover)
    })
    let finding = try only(try books.audit(), "split-request")
    #expect(finding.seqs == Array(seqs.prefix(2)))
    #expect(finding.message.contains("合计 ¥6,000.00"))
  }

  @Test("requests for a near-identical purpose to different payees are split too")
  func splitBySimilarPurpose() throws {
    var seqs: [Int64] = []
    let books = try ConductLedger(late: { books in
      seqs.append(try books.request("3000", payee: "惠民超市", purpose: "重阳节慰问老人物资"))
      try books.clock.go("2026-11-05")
      seqs.append(try books.request("2900", payee: "好邻居超市", purpose: "重阳节慰问老人物资采购"))
    })
    let finding = try only(try books.audit(), "split-request")
    #expect(finding.seqs == seqs)
    #expect(finding.message.contains("以几乎相同的用途"))
  }

  @Test("the same WeChat order number twice; a reversed one is excepted")
  func duplicateReference() throws {
    var duplicate: Int64 = 0
    let books = try ConductLedger(late: { books in
      duplicate = try books.donate("200", to: "GA-BC-JSL", ref: "JSL202607100").seq
    })
    // Remembering every reference, and through the ledger's index.
    for indexed in [false, true] {
      let finding = try only(try books.audit(indexedReferences: indexed), "duplicate-reference")
      #expect(finding.seqs == [books.firstReferenceSeq, duplicate])
      #expect(finding.units == ["GA-BC-JSL"])
      #expect(finding.message.contains("外部流水号「JSL202607100」记了 2 笔捐赠"))
    }
    try books.ledger.reverse(seq: duplicate, reason: "重复录入", signer: books.communityTreasurer)
    #expect(try books.audit().isEmpty)
    #expect(try books.audit(indexedReferences: true).isEmpty)
  }

  @Test(
    "references compared after NFKC, with or without the index: full-width digits match ASCII, two CJK references match"
  )
  func duplicateReferenceNormalised() throws {
    var seqs: (fullWidth: Int64, cjkFirst: Int64, cjkSecond: Int64) = (0, 0, 0)
    let books = try ConductLedger(late: { books in
      // Ｊ… is JSL202607100 in full-width letters and digits.
      seqs.fullWidth = try books.donate("200", to: "GA-BC-JSL", ref: "ＪＳＬ２０２６０７１００").seq
      seqs.cjkFirst = try books.donate("300", to: "GA-BC-JSL", ref: "工行流水-甲001").seq
      seqs.cjkSecond = try books.donate("300", to: "GA-BC-JSL", ref: "工行流水-甲001").seq
    })
    for indexed in [false, true] {
      let found = try books.audit(indexedReferences: indexed).filter {
        $0.code == "duplicate-reference"
      }
      #expect(
        found.map(\.seqs).sorted { $0[0] < $1[0] }
          == [[books.firstReferenceSeq, seqs.fullWidth], [seqs.cjkFirst, seqs.cjkSecond]],
        "indexed: \(indexed): \(found)")
    }
  }

  @Test("an allocation in transit for 48 days")
  func allocationInTransit() throws {
    var sent: Int64 = 0
    let books = try ConductLedger(late: { books in
      sent =
        try books.ledger.allocate(
          from: "GA", to: "GA-BC", amount: try Money.parseYuan("10000"), fund: nil,
          signer: books.districtTreasurer
        ).seq
    })
    #expect(try books.audit(asOf: "2026-12-02").isEmpty)
    let finding = try only(try books.audit(asOf: "2026-12-20"), "allocation-in-transit")
    #expect(finding.seqs == [sent])
    #expect(finding.units == ["GA", "GA-BC"])
    #expect(finding.message.contains("在途 48 天（上限 30 天），至 2026-12-20 仍未确认或撤回"))
  }

  @Test("an allocation confirmed only after 40 days")
  func allocationConfirmedLate() throws {
    var seqs: [Int64] = []
    let books = try ConductLedger(late: { books in
      seqs.append(
        try books.ledger.allocate(
          from: "GA", to: "GA-BC", amount: try Money.parseYuan("10000"), fund: nil,
          signer: books.districtTreasurer
        ).seq)
      try books.clock.go("2026-12-12")
      seqs.append(
        try books.ledger.settleAllocation(
          id: seqs[0], confirm: true, signer: books.streetTreasurer
        ).seq)
    })
    let finding = try only(try books.audit(asOf: "2026-12-20"), "allocation-in-transit")
    #expect(finding.seqs == seqs)
    #expect(finding.message.contains("在途 40 天"))
  }

  @Test("an approved request unpaid for 47 days")
  func approvedUnpaid() throws {
    var seqs: [Int64] = []
    let books = try ConductLedger(late: { books in
      seqs.append(try books.request("800", payee: "惠民超市", purpose: "慰问困难老人"))
      try books.clock.go("2026-11-03")
      seqs.append(
        try books.ledger.approveDisbursement(id: seqs[0], signer: books.communityApprover)
          .appended.seq)
    })
    #expect(try books.audit().isEmpty)
    let finding = try only(try books.audit(asOf: "2026-12-20"), "approved-unpaid")
    #expect(finding.seqs == seqs)
    #expect(finding.message.contains("获得全部批准后 47 天未付款"))
  }

  @Test("an approval voided by revoking the approver's key leaves the request waiting, not unpaid")
  func voidedApproval() throws {
    let books = try ConductLedger(late: { books in
      let id = try books.request("800", payee: "惠民超市", purpose: "慰问困难老人")
      try books.clock.go("2026-11-03")
      try books.ledger.approveDisbursement(id: id, signer: books.communityApprover)
      try books.clock.go("2026-11-04")
      try books.ledger.revokeMember(
        keyID: books.communityApprover.keyID, reason: "离任", signer: books.admin)
      #expect(try books.ledger.state().supervision.disbursements[id]?.status == .pending)
    })
    #expect(try books.audit(asOf: "2026-12-20").isEmpty)
  }

  @Test("a payment dated before its last approval")
  func paymentBeforeApproval() throws {
    var seqs: [Int64] = []
    let books = try ConductLedger(late: { books in
      seqs.append(try books.request("900", payee: "惠民超市", purpose: "困难老人慰问"))
      try books.clock.go("2026-11-06")
      seqs.append(
        try books.ledger.approveDisbursement(id: seqs[0], signer: books.communityApprover)
          .appended.seq)
      seqs.append(
        try books.ledger.payDisbursement(
          id: seqs[0], date: try AccountingDate("2026-11-04"), signer: books.communityTreasurer
        ).appended.seq)
    })
    let finding = try only(try books.audit(), "payment-before-approval")
    #expect(finding.seqs == seqs)
    #expect(finding.message.contains("日期为 2026-11-04，早于最后一次批准"))
    #expect(finding.message.contains("的日期 2026-11-06"))
  }

  @Test("an approval by someone appointed approver after the request's date")
  func approverNotInOffice() throws {
    var seqs: [Int64] = []
    let newcomer = SigningKey.generate()
    let books = try ConductLedger(late: { books in
      seqs.append(try books.request("700", payee: "惠民超市", purpose: "困难老人慰问"))
      try books.clock.go("2026-11-05")
      seqs.append(
        try books.ledger.addMember(
          unit: "GA-BC-JSL", role: .approver, name: "何新", publicKey: newcomer.publicKey,
          signer: books.admin
        ).seq)
      seqs.append(
        try books.ledger.approveDisbursement(id: seqs[0], signer: newcomer).appended.seq)
    })
    let finding = try only(try books.audit(), "approver-not-in-office")
    #expect(finding.seqs == seqs.sorted())
    #expect(finding.message.contains("何新批准了建设路社区（GA-BC-JSL）的申请"))
    #expect(finding.message.contains("在申请日期 2026-11-02 时还不是审批人：2026-11-05 才被任命"))
  }

  @Test("an approval dated before its approver was appointed")
  func approvalDatedBeforeAppointment() throws {
    var seqs: [Int64] = []
    let newcomer = SigningKey.generate()
    let books = try ConductLedger(late: { books in
      // Requested on 11-03; the approver is appointed on 11-04 and dates
      // the approval 11-03 (not before the request, as the rules require).
      try books.clock.go("2026-11-03")
      seqs.append(try books.request("700", payee: "惠民超市", purpose: "困难老人慰问"))
      try books.clock.go("2026-11-04")
      seqs.append(
        try books.ledger.addMember(
          unit: "GA-BC", role: .approver, name: "何新", publicKey: newcomer.publicKey,
          signer: books.admin
        ).seq)
      let draft = try EntryDraft(
        kind: .disbursementApprove, date: try AccountingDate("2026-11-03"),
        body: ["request": .integer(seqs[0])])
      let approval = try books.ledger.commit(signer: newcomer) { _ in [draft] }
      seqs.append(approval[0].seq)
    })
    let finding = try only(try books.audit(), "approver-not-in-office")
    #expect(finding.seqs == seqs.sorted())
    #expect(finding.message.contains("2026-11-03 时还不是审批人：2026-11-04 才被任命为北城街道（GA-BC）的审批人"))
  }

  @Test("restricted elderly-care money paying for office computers is flagged for review")
  func restrictedPurposeMismatch() throws {
    var seqs: [Int64] = []
    let books = try ConductLedger(late: { books in
      seqs.append(
        try books.request(
          "300", payee: "电脑城", purpose: "采购办公电脑", fund: "elderly-care", category: .elderly))
      try books.clock.go("2026-11-03")
      try books.ledger.approveDisbursement(id: seqs[0], signer: books.communityApprover)
      seqs.append(
        try books.ledger.payDisbursement(id: seqs[0], signer: books.communityTreasurer)
          .appended.seq)
    })
    let finding = try only(try books.audit(), "restricted-purpose-mismatch")
    #expect(finding.seqs == seqs)
    #expect(finding.message.contains("定向基金「老年关爱」"))
    #expect(finding.message.contains("用途「采购办公电脑」"))
    #expect(finding.message.contains("按相邻两字比较没有共同的词"))
  }

  @Test("a treasurer and an approver above with the same name (a ledger from before the rule)")
  func sameNameSeparateRoles() throws {
    let namesake = SigningKey.generate()
    let books = try ConductLedger()
    let grant = try ForeignEntries.append(
      to: books.path, kind: .memberGrant,
      body: [
        "keyId": .string(namesake.keyID), "name": "王 芳", "role": "approver", "unit": "GA-BC",
        "publicKey": .string(Data(namesake.publicKey.raw).base64EncodedString()),
      ], signer: books.admin)
    let finding = try only(try books.audit(), "same-name-separate-roles")
    #expect(finding.seqs == [books.treasurerGrantSeq, grant])
    #expect(finding.units == ["GA-BC-JSL", "GA-BC"])
    #expect(finding.message.contains("建设路社区（GA-BC-JSL）的记账员「王芳」"))
    #expect(finding.message.contains("北城街道（GA-BC）的审批人「王 芳」"))
  }

  @Test("a donation far above the unit's usual size")
  func unusualDonation() throws {
    var seq: Int64 = 0
    let books = try ConductLedger(late: { books in
      seq = try books.donate("80000", to: "GA-BC-JSL", channel: .bank).seq
    })
    let finding = try only(try books.audit(), "unusual-amount")
    #expect(finding.seqs == [seq])
    #expect(finding.severity == .notice)
    #expect(finding.message.contains("捐赠 ¥80,000.00，是该单位此前 27 笔捐赠平均金额"))
  }

  @Test("a payment far above the unit's usual size, with a lower count set by the rules file")
  func unusualPayment() throws {
    var seqs: [Int64] = []
    let books = try ConductLedger(late: { books in
      for (from, to, signer) in [
        ("GA", "GA-BC", books.districtTreasurer), ("GA-BC", "GA-BC-JSL", books.streetTreasurer),
      ] {
        let sent = try books.ledger.allocate(
          from: from, to: to, amount: try Money.parseYuan("30000"), fund: nil, signer: signer)
        try books.ledger.settleAllocation(
          id: sent.seq, confirm: true, signer: books.treasurer(of: to))
      }
      let paid = try books.pay(
        "30000", unit: "GA-BC-JSL", payee: "惠民超市", purpose: "困难老人慰问",
        approvers: [books.communityApprover, books.streetApprover], approveOn: "2026-11-03",
        payOn: "2026-11-04")
      seqs = [paid.request, paid.pay]
    })
    let rules = try ConductRules(json: ["unusual-amount": ["countMin": 3]])
    let finding = try only(try books.audit(rules: rules), "unusual-amount")
    #expect(finding.seqs == seqs)
    #expect(finding.message.contains("付款 ¥30,000.00"))
  }

  @Test("a month of round-thousand requests")
  func roundNumberCluster() throws {
    var seqs: [Int64] = []
    let books = try ConductLedger(late: { books in
      let requests = [
        ("1000", "康复器材店", "购买轮椅"), ("2000", "第一小学", "助学金"), ("3000", "人民医院", "医疗救助"),
        ("1000", "五金店", "防汛物资"), ("2000", "文化站", "社区文艺活动"),
      ]
      for (amount, payee, purpose) in requests {
        seqs.append(try books.request(amount, payee: payee, purpose: purpose))
      }
    })
    let finding = try only(try books.audit(), "round-number-cluster")
    #expect(finding.seqs == seqs)
    #expect(finding.units == ["GA-BC-JSL"])
  }

  @Test("a donation dated three months before it was recorded")
  func lateEntry() throws {
    var seq: Int64 = 0
    let books = try ConductLedger(late: { books in
      seq = try books.donate("200", to: "GA-BC-JSL", ref: "WX20260801", date: "2026-08-01").seq
    })
    let finding = try only(try books.audit(), "late-entry")
    #expect(finding.seqs == [seq])
    #expect(finding.message.contains("于 2026-11-02 补记了 1 条资金记录"))
    #expect(finding.message.contains("最多早 93 天"))
    // Judged by the day it was dated or the day it was recorded.
    #expect(try books.audit(from: "2026-11-01").count == 1)
    #expect(try books.audit(from: "2026-07-01", to: "2026-08-31").count == 1)
    #expect(try books.audit(from: "2026-09-01", to: "2026-10-31").isEmpty)
  }

  @Test("a finished quarter with money and no statement")
  func statementMissing() throws {
    let books = try ConductLedger()
    let reader = try allPublished(books, except: "GA-BC-WHL 2026-08")
    let finding = try only(try books.audit(statements: reader), "statement-missing")
    #expect(finding.units == ["GA-BC-WHL"])
    #expect(finding.seqs == [])
    #expect(finding.message.contains("2026年第3季度有资金往来"))
    #expect(finding.message.contains("--period 2026-Q3"))
    // Without a reader of publications the rule does not run.
    #expect(try books.audit().isEmpty)
  }

  @Test("administrative costs above 10 % of a year's spending")
  func adminCostShare() throws {
    var paid: Int64 = 0
    let books = try ConductLedger(late: { books in
      paid =
        try books.pay(
          "2000", unit: "GA-BC-JSL", payee: "办公用品店", purpose: "办公用品采购",
          approvers: [books.communityApprover], approveOn: "2026-11-03", payOn: "2026-11-04"
        ).pay
    })
    let finding = try only(try books.audit(), "admin-cost-share")
    #expect(finding.seqs == [books.adminPaymentSeq, paid])
    #expect(finding.message.contains("其中「行政管理」类 2 笔共 ¥2,150.00，占 43%，超过上限 10%"))
  }

  @Test("a year's charitable spending below 70 % of the year before's income")
  func charitableSpendingShare() throws {
    let books = try ConductLedger(early: { books in
      try books.clock.go("2025-12-10")
      try books.donate("100000", to: "GA-BC-WHL", channel: .bank)
    })
    #expect(try books.audit().isEmpty)
    let finding = try only(try books.audit(asOf: "2027-01-10"), "charitable-spending-share")
    #expect(finding.units == ["GA-BC-WHL"])
    #expect(finding.message.contains("2026年慈善活动支出"))
    #expect(finding.message.contains("只占上一年收入 ¥100,800.00 的 7%"))
  }

  @Test("restricted money mostly unused after the months the rules file sets")
  func restrictedFundUnused() throws {
    let books = try ConductLedger(early: { books in
      try books.clock.go("2025-12-10")
      try books.donate("10000", to: "GA-BC-JSL", fund: "elderly-care", channel: .bank)
    })
    #expect(try books.audit().isEmpty)
    let rules = try ConductRules(json: ["restricted-fund-unused": ["months": 6]])
    let finding = try only(try books.audit(rules: rules), "restricted-fund-unused")
    #expect(finding.seqs == [books.restrictedFundSeq])
    #expect(finding.message.contains("在 2026-05-15（6 个月前）及以前收到 ¥10,000.00"))
    #expect(finding.message.contains("仍有 ¥8,399.50（83%）未使用"))
  }

  @Test("a disabled rule reports nothing")
  func disabledRule() throws {
    let books = try ConductLedger(late: { books in
      for _ in 0..<3 { try books.request("4900", payee: "惠民超市", purpose: "慰问品采购") }
    })
    let rules = try ConductRules(json: ["split-request": ["enabled": false]])
    #expect(try books.audit(rules: rules).isEmpty)
  }
}
