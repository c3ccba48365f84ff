import AlmonerKit
import Foundation
import Testing

/// Options that are enums (role, tier, purpose category, channel) are
/// parsed by argument-parser itself: a code or the Chinese name is
/// accepted, help lists both, and a bad value is a usage error naming what
/// is allowed (exit 2, ledger unchanged).
@Suite("CLI: enum options take their codes and their Chinese names")
struct ChoiceOptionsCLITests {
  @Test("--channel takes a code, the Chinese name or a bill's wording")
  func channelNames() throws {
    let ws = try Workspace.fixture()
    for (text, name) in [("cash", "现金"), ("现金", "现金"), ("微信", "微信"), ("微信支付", "微信")] {
      let result = try ws.run(
        "donate", "--unit", "GA-BC-JSL", "--amount", "1", "--donor", "测试", "--channel", text,
        "--key", "jsl.pem")
      #expect(result.status == 0, "\(text): \(result)")
      #expect(result.stdout.contains("¥1.00（\(name)）"), "\(text): \(result.stdout)")
    }
  }

  @Test("a bad --channel is argument-parser's usage error, in Chinese, listing codes and names")
  func channelInvalid() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    let result = try ws.run(
      "donate", "--unit", "GA-BC-JSL", "--amount", "1", "--donor", "测试", "--channel", "paypal",
      "--key", "jsl.pem")
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.contains("--channel <channel> 的值 'paypal' 无效，可选："), "\(result.stderr)")
    #expect(result.stderr.contains("cash（现金）"), "\(result.stderr)")
    #expect(try ws.snapshot() == before)
    let help = try ws.run("donate", "--help")
    #expect(help.stdout.contains("wechat（微信）"), "\(help.stdout)")
  }

  @Test("--role and --tier take the Chinese name")
  func roleAndTierNames() throws {
    let ws = try Workspace.fixture()
    try ws.must("key", "new", "--name", "路人甲", "--out", "p.pem")
    try ws.must(
      "member", "add", "--unit", "GA-BC-JSL", "--role", "记账员", "--name", "路人甲",
      "--public-key", "p.pem.pub", "--key", "admin.pem")
    try ws.must(
      "unit", "add", "GA-BC-NEW", "--name", "新社区", "--parent", "GA-BC", "--tier", "社区",
      "--key", "admin.pem")
  }

  @Test("no command type is named after a standard type (Void, Set)")
  func commandTypeNames() throws {
    let commands = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Sources/almoner")
    let files =
      FileManager.default.enumerator(atPath: commands.path)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") } ?? []
    #expect(!files.isEmpty)
    for file in files {
      let text = try String(contentsOf: commands.appendingPathComponent(file), encoding: .utf8)
      for name in ["Void", "Set", "Type", "Result", "Error"] {
        #expect(!text.contains("struct \(name):"), "\(file): struct \(name)")
        #expect(!text.contains("struct \(name) "), "\(file): struct \(name)")
      }
    }
  }
}
