import AlmonerKit
import Foundation
import GRDB
import Testing

/// `almoner erase`: personal data deleted on request, the deletion recorded
/// in the log (DESIGN §6).
@Suite("Erasing personal data")
struct ErasureTests {
  private func personalRows(_ fixture: Fixture) throws -> [Int64] {
    try DatabaseQueue(path: fixture.path).read {
      try Int64.fetchAll($0, sql: "SELECT seq FROM donor_private ORDER BY seq")
    }
  }

  @Test("erase deletes the row and appends an erasure entry without personal data; verify is clean")
  func erase() throws {
    let fixture = try Fixture()
    let donation = try fixture.donate("100", donor: "王小明")
    let other = try fixture.donate("200", donor: "李四")
    #expect(try personalRows(fixture) == [donation.seq, other.seq])
    let erased = try fixture.ledger.erase(seq: donation.seq, signer: fixture.admin)
    #expect(erased.entry.kind == .erasure)
    #expect(erased.entry.body.json == ["seq": .integer(donation.seq), "reason": "request"])
    let bytes = String(decoding: erased.entry.canonicalBytes, as: UTF8.self)
    #expect(!bytes.contains("王") && !bytes.contains("小明"))
    #expect(try personalRows(fixture) == [other.seq])
    #expect(try fixture.ledger.state().erasures == [donation.seq: erased.seq])
    let report = try fixture.ledger.verify()
    #expect(report.isClean, "\(report.problems)")
    // A receipt can no longer be issued, and the refusal says why.
    try expectRefused(fixture, code: .receiptDonorErased) {
      _ = try fixture.ledger.receipt(seq: donation.seq)
    }
    let journal = try fixture.ledger.journal(unit: nil, from: nil, to: nil)
    #expect(journal.last?.summary == "删除记录 #\(donation.seq)（捐赠）的个人信息：本人要求删除")
  }

  @Test("a payee who is a person can be erased too")
  func erasePayee() throws {
    let fixture = try Fixture()
    try fixture.donate("1000", to: "GA", signer: fixture.districtTreasurer)
    let request = try fixture.ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA", amount: Money(fen: 5_000), payee: "李桂兰", payeeIsPerson: true,
        purpose: "困难补助"),
      signer: fixture.districtTreasurer)
    try fixture.ledger.erase(
      seq: request.request.id, reason: .consentWithdrawn, signer: fixture.admin)
    #expect(try !personalRows(fixture).contains(request.request.id))
    #expect(try fixture.ledger.verify().isClean)
  }

  @Test("refused: not an admin of the unit, no personal data, twice, no such entry")
  func refusals() throws {
    let fixture = try Fixture()
    let donation = try fixture.donate("100", donor: "王小明")
    try expectRefused(fixture, code: .roleRequired, containing: "不是建设路社区（GA-BC-JSL）的管理员") {
      try fixture.ledger.erase(seq: donation.seq, signer: fixture.communityTreasurer)
    }
    try expectRefused(fixture, code: .erasureTargetWithoutPersonalData) {
      try fixture.ledger.erase(seq: 1, signer: fixture.admin)
    }
    try expectRefused(fixture, code: .erasureTargetMissing) {
      try fixture.ledger.erase(seq: 999, signer: fixture.admin)
    }
    let erased = try fixture.ledger.erase(seq: donation.seq, signer: fixture.admin)
    try expectRefused(fixture, code: .erasureRepeated) {
      try fixture.ledger.erase(seq: donation.seq, signer: fixture.admin)
    }
  }

  @Test("verify: personal data missing without an erasure entry, or kept after one, is named")
  func verifyChecksErasures() throws {
    let fixture = try Fixture()
    let kept = try fixture.donate("100", donor: "王小明")
    let erasedDonation = try fixture.donate("200", donor: "李四")
    try fixture.ledger.erase(seq: erasedDonation.seq, signer: fixture.admin)
    let db = try DatabaseQueue(path: fixture.path)
    let saved = try db.read {
      try Row.fetchOne(
        $0, sql: "SELECT salt, personal FROM donor_private WHERE seq = ?", arguments: [kept.seq])!
    }
    // Deleted behind the ledger's back: no erasure entry says so.
    try db.write {
      try $0.execute(sql: "DELETE FROM donor_private WHERE seq = ?", arguments: [kept.seq])
    }
    var report = try fixture.ledger.verify()
    #expect(report.problems.map(\.seq) == [kept.seq], "\(report.problems)")
    #expect(report.problems.first?.message.contains("没有删除它的记录") == true)
    // Put back under the erased seq: the erasure entry says it is gone.
    try db.write {
      try $0.execute(
        sql: "INSERT INTO donor_private (seq, salt, personal) VALUES (?, ?, ?)",
        arguments: [kept.seq, saved[0] as Data, saved[1] as Data])
      try $0.execute(
        sql: "INSERT INTO donor_private (seq, salt, personal) VALUES (?, ?, ?)",
        arguments: [erasedDonation.seq, Data(repeating: 1, count: 32), Data("{}".utf8)])
    }
    report = try fixture.ledger.verify()
    #expect(report.problems.contains { $0.seq == erasedDonation.seq && $0.message.contains("仍保留") })
    // The erasure projection is rebuilt from the log like every other.
    try db.write {
      try $0.execute(
        sql: "DELETE FROM donor_private WHERE seq = ?", arguments: [erasedDonation.seq])
      try $0.execute(sql: "DELETE FROM erasure")
    }
    report = try fixture.ledger.verify()
    #expect(report.problems.contains { $0.message.contains("投影表 erasure") }, "\(report.problems)")
  }
}
