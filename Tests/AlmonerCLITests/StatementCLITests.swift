import AlmonerKit
import Foundation
import Testing

@Suite("CLI: public statements")
struct StatementCLITests {
  @Test(
    "statement create → verify statement offline (0), with --log (0), tampered (1), not a statement (2)"
  )
  func createAndVerify() throws {
    let ws = try TransparencyCLITests.cosigned()
    let created = try ws.run(
      "statement", "create", "--unit", "GA-BC-JSL", "--period", "2026-10", "--key", "jsl.pem",
      "--out", "jsl-2026-10.json")
    #expect(created.status == 0, "\(created)")
    #expect(created.stdout.contains("已签发建设路社区（GA-BC-JSL）2026年10月的公示报表"))
    try ws.must("keys", "export", "--out", "trust.json")
    try ws.must("publish", "public-log")
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: ws.ledgerPath + suffix)
    }
    let offline = try ws.run("verify", "statement", "jsl-2026-10.json", "--trust", "trust.json")
    #expect(offline.status == 0, "\(offline)")
    #expect(offline.stdout.hasPrefix("核验通过：建设路社区 2026年10月（2026-10）的公示报表"))
    #expect(offline.stdout.contains("未核对完整性"))
    // Complete, but not published: the public log does not record it.
    let unpublished = try ws.run(
      "verify", "statement", "jsl-2026-10.json", "--trust", "trust.json", "--log", "public-log",
      "--lang", "en")
    #expect(unpublished.status == 1, "\(unpublished)")
    // --lang en gives the refusal in English; the check's detail quotes the statement as written.
    #expect(
      unpublished.stderr.hasPrefix("error: the statement does not verify (publication): 公开日志（前"),
      "\(unpublished)")
    #expect(unpublished.stderr.contains("没有发布这份报表"), "\(unpublished)")

    let text = String(decoding: try ws.read("jsl-2026-10.json"), as: UTF8.self)
    #expect(text.contains("\"cash\":20000"))
    try ws.write(
      "changed.json", text.replacingOccurrences(of: "\"cash\":20000", with: "\"cash\":20001"))
    let changed = try ws.run("verify", "statement", "changed.json", "--trust", "trust.json")
    #expect(changed.status == 1)
    #expect(changed.stderr.contains("捐赠收入·现金：报表写 ¥200.01，按各行记录重算为 ¥200.00"))
    let notStatement = try ws.run("verify", "statement", "trust.json", "--trust", "trust.json")
    #expect(notStatement.status == 2)
    #expect(notStatement.stderr.contains("不是公示报表文件"))
    // No donor's full name in the statement or the public log.
    #expect(!text.contains("王小明") && !text.contains("李四\""))
  }
}
