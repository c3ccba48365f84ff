import Foundation
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// What the auditor keeps grows with what is open, not with the log: after
/// a long run of gifts, requests paid, allocations confirmed, nothing of
/// them is left but running figures. (No clock: the count of what is kept
/// is the measure.)
@Suite("Audit: conduct state stays bounded")
struct ConductScaleTests {
  struct Log {
    var entries: [LoggedEntry] = []
    var day: Int64 = 20_454  // 2026-01-01

    mutating func add(_ body: EntryBody, author: String = "ed25519:aaaaaaaaaaaaaaaa") {
      let date = AccountingDate(daysSince1970: day)
      let entry = Entry(
        seq: Int64(entries.count), prev: .zero, time: date.text + "T02:00:00Z", date: date,
        author: author, body: body)
      entries.append(LoggedEntry(entry: entry, canonical: [], hash: .zero))
    }
  }

  @Test("after 600 days of gifts, paid requests and confirmed allocations, nothing open is kept")
  func bounded() throws {
    var log = Log()
    log.add(
      .genesis(
        GenesisBody(
          admin: .init(name: "李明", publicKey: ""), district: .init(code: "GA", name: "广安区"),
          ledger: .init(origin: "almoner.example/scale", timeZone: "Asia/Shanghai"))))
    log.add(.unitAdd(UnitAddBody(code: "GA-BC", name: "北城街道", parent: "GA", tier: .street)))
    log.add(
      .unitAdd(UnitAddBody(code: "GA-BC-JSL", name: "建设路社区", parent: "GA-BC", tier: .community)))
    let approver = "ed25519:bbbbbbbbbbbbbbbb"
    log.add(
      .memberGrant(
        MemberGrantBody(
          keyID: approver, name: "孙丽", publicKey: "", role: .approver, unit: "GA-BC-JSL")))
    for index in 0..<600 {
      log.day += 1
      for gift in 0..<5 {
        log.add(
          .donation(
            DonationBody(
              amountFen: Int64(10_000 + (index * 7 + gift * 13) % 50_000), channel: .wechat,
              donor: .init(commitment: .zero, display: "张*", named: false), fund: "general",
              ref: "WX\(index)-\(gift)", unit: "GA-BC-JSL")))
      }
      let request = Int64(log.entries.count)
      log.add(
        .disbursementRequest(
          DisbursementRequestBody(
            amountFen: Int64(50_000 + index % 17 * 1_001), attachments: nil,
            category: .community, fund: "general",
            payee: .init(commitment: nil, display: "供应商\(index % 50)", person: false),
            purpose: "采购\(index)", unit: "GA-BC-JSL")))
      log.add(.disbursementApprove(RequestRefBody(request: request)), author: approver)
      log.add(.disbursementPay(RequestRefBody(request: request)))
      let allocation = Int64(log.entries.count)
      log.add(
        .allocationSend(
          AllocationSendBody(amountFen: 100_000, from: "GA", fund: "general", to: "GA-BC")))
      log.add(.allocationConfirm(AllocationSettleBody(allocation: allocation)))
    }
    var auditor = ConductAuditor(
      rules: .defaults, units: nil, from: nil, to: nil,
      asOf: AccountingDate(daysSince1970: log.day))
    // This log publishes no statements; the rule for them is not the point.
    auditor.statementReader = nil
    for entry in log.entries { auditor.visit(entry) }
    #expect(auditor.requests.isEmpty)
    #expect(auditor.allocations.isEmpty)
    #expect(auditor.restrictedDonations.isEmpty)
    #expect(auditor.splitDrafts.isEmpty)
    #expect(auditor.lateGroups.isEmpty)
    #expect(auditor.referenceRepeats.isEmpty)
    let community = try #require(auditor.unitIndex["GA-BC-JSL"])
    #expect(auditor.units[community].recent.count <= 8)
    #expect(auditor.units[community].years.count == 2)
    #expect(auditor.units[community].paymentCount == 600)
    #expect(auditor.finish().map(\.message) == [])
  }
}
