import AlmonerKit
import Foundation
import Testing

/// Refusals of each rule family, matched by code: entry rules, supervision
/// rules, statement create and publish. Each leaves the ledger unchanged.
@Suite("Rule refusals carry their codes")
struct RuleRefusalCodeTests {
  @Test(
    "entry rules: a taken unit code, a skipped tier, a second reversal, the last district admin")
  func entryRules() throws {
    let f = try Fixture()
    try expectRefused(f, code: .unitCodeTaken, containing: "GA-BC") {
      try f.ledger.addUnit(code: "GA-BC", name: "南城街道", parent: "GA", signer: f.admin)
    }
    try f.donate("100", to: "GA", signer: f.districtTreasurer)
    try expectRefused(f, code: .allocationNotAdjacent, containing: "建设路社区") {
      try f.ledger.allocate(
        from: "GA", to: "GA-BC-JSL", amount: Money(fen: 100), fund: nil,
        signer: f.districtTreasurer)
    }
    let gift = try f.donate("10")
    let reversal = try f.ledger.reverse(
      seq: gift.entry.seq, reason: "重复录入", signer: f.communityTreasurer)
    try expectRefused(f, code: .reversalRepeated, containing: "#\(reversal.entry.seq)") {
      try f.ledger.reverse(seq: gift.entry.seq, reason: "重复录入", signer: f.communityTreasurer)
    }
    try expectRefused(f, code: .lastDistrictAdmin, containing: "李明") {
      try f.ledger.revokeMember(keyID: f.admin.publicKey.keyID, reason: nil, signer: f.admin)
    }
  }

  @Test("supervision rules: a reconciliation that does not match, or of a day not over")
  func supervisionRules() throws {
    let f = try Fixture()
    try f.donate("100", date: "2026-11-01")
    try expectRefused(f, code: .reconcileMismatch, containing: "¥100.00") {
      try f.ledger.reconcile(
        unit: "GA-BC-JSL", account: .bank, asOf: try AccountingDate("2026-11-02"),
        balance: Money(fen: 10_001), signer: f.communityTreasurer)
    }
    try expectRefused(f, code: .reconcileDateNotPast, containing: "2026-11-18") {
      try f.ledger.reconcile(
        unit: "GA-BC-JSL", account: .bank, asOf: try AccountingDate("2026-11-18"),
        balance: Money(fen: 10_000), signer: f.communityTreasurer)
    }
  }

  @Test("statement create: a signer who is not the unit's treasurer; no cosigned checkpoint yet")
  func statementCreate() throws {
    let f = try Fixture()
    let october = try StatementPeriod("2026-10")
    try expectRefused(f, code: .statementSignerNotTreasurer, containing: "郑华") {
      _ = try f.ledger.makeStatement(unit: "GA-BC-JSL", period: october, signer: f.supervisor)
    }
    try expectRefused(f, code: .statementNoCosignedCheckpoint, containing: "2026-10-31") {
      _ = try f.ledger.makeStatement(
        unit: "GA-BC-JSL", period: october, signer: f.communityTreasurer)
    }
  }

  @Test("publish: nothing is published before a supervisor cosigns a checkpoint")
  func publish() throws {
    let f = try Fixture()
    let target = f.directory.path("public-log")
    try expectRefused(f, code: .publishNoCosignedCheckpoint) {
      _ = try f.ledger.publish(to: target)
    }
    #expect(!FileManager.default.fileExists(atPath: target))
  }

  @Test("English: every refusal has its own English text, and the language is chosen per call")
  func english() {
    for refusal in Refusal.samples {
      let english = refusal.message(.english)
      #expect(!english.isEmpty, "\(refusal.code)")
      #expect(english != refusal.message(.chinese), "\(refusal.code)")
      #expect(refusal.message() == refusal.message(.chinese), "Chinese is the default")
    }
    let refusal = Refusal.reconcileMismatch(
      unit: "GA-BC-JSL", account: "bank", asOf: "2026-10-31", bookedFen: 123_456,
      statedFen: 123_400)
    #expect(refusal.message(.english).hasPrefix("the reconciliation does not match"))
    #expect(refusal.message(.english).contains("¥1,234.56"))
  }
}
