import AlmonerKit
import Foundation
import Testing

/// `almoner erase SEQ`: a person's data deleted on request, the deletion an
/// entry of its own (DESIGN §6).
@Suite("CLI: erase")
struct EraseCLITests {
  @Test("erase: admin only; the receipt the donor holds still verifies; no new receipt")
  func eraseFlow() throws {
    let ws = try TransparencyCLITests.cosigned()
    try ws.must("receipt", "9", "--out", "receipt.json")
    try ws.must("keys", "export", "--out", "trust.json")

    // A treasurer may not erase; nor may anyone erase what holds no personal data.
    let before = try ws.snapshot()
    let treasurer = try ws.run("erase", "9", "--key", "ga.pem")
    #expect(treasurer.status == 2, "\(treasurer)")
    #expect(treasurer.stderr.contains("管理员"), "\(treasurer)")
    let unit = try ws.run("erase", "1", "--key", "admin.pem")
    #expect(unit.status == 2, "\(unit)")
    #expect(unit.stderr.contains("不含个人信息"), "\(unit)")
    let reason = try ws.run("erase", "9", "--reason", "张三本人要求", "--key", "admin.pem")
    #expect(reason.status == 2, "\(reason)")
    #expect(try ws.snapshot() == before)

    let erased = try ws.run("erase", "9", "--key", "admin.pem", "--format", "json")
    #expect(erased.status == 0, "\(erased)")
    let seq = try #require(try parseJSON(erased.stdout).objectValue?["seq"]?.integerValue)
    #expect(erased.stdout.contains(#""kind":"erasure""#))

    let verify = try ws.run("verify", "ledger")
    #expect(verify.status == 0, "\(verify)")
    let journal = try parseJSON(try ws.must("journal", "--format", "json").stdout).arrayValue
    let last = try #require(journal?.last?.objectValue)
    #expect(last["summary"] == "删除记录 #9（捐赠）的个人信息：本人要求删除")
    let entry = try #require(last["entry"]?.objectValue)
    #expect(entry["body"] == .object(["reason": "request", "seq": 9]))

    let held = try ws.run("verify", "receipt", "receipt.json", "--trust", "trust.json")
    #expect(held.status == 0, "\(held)")
    #expect(held.stdout.hasPrefix("核验通过：张三 "), "\(held)")

    let again = try ws.run("receipt", "9", "--out", "again.json")
    #expect(again.status == 2, "\(again)")
    #expect(again.stderr.contains("已于记录 #\(seq) 删除"), "\(again)")
    #expect(!FileManager.default.fileExists(atPath: ws.path("again.json")))
    let twice = try ws.run("erase", "9", "--key", "admin.pem")
    #expect(twice.status == 2, "\(twice)")
    #expect(twice.stderr.contains("不能重复删除"), "\(twice)")
  }
}
