import Foundation
import Testing

/// Help screens and usage errors are read by treasurers in Chinese: none of
/// argument-parser's English phrases may reach them, and a misspelt
/// subcommand is answered with the right one.
@Suite("Chinese help and usage errors")
struct ChineseUsageTests {
  /// Phrases argument-parser writes in English, any of which on a help
  /// screen or in an error means a treasurer reads English.
  static let english = [
    "OVERVIEW", "USAGE", "OPTIONS", "ARGUMENTS", "SUBCOMMANDS", "Show help information",
    "Show the version", "(values:", "(default:", "default:", "for detailed help",
    "for more information", "Error:", "Usage:", "Help:", "<subcommand>",
  ]

  /// Every command's path, found by reading each help screen's 子命令 list.
  static func commandPaths(_ ws: Workspace) throws -> [[String]] {
    var paths: [[String]] = []
    var queue: [[String]] = [[]]
    while let path = queue.popLast() {
      paths.append(path)
      let help = try ws.run(path + ["--help"])
      guard let section = help.stdout.components(separatedBy: "子命令：\n").dropFirst().first
      else { continue }
      for line in section.split(separator: "\n") {
        guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.contains("运行 ") else { continue }
        let name = line.split(separator: " ")[0].replacingOccurrences(of: "（默认）", with: "")
        queue.append(path + [name])
      }
    }
    return paths
  }

  @Test("no help screen has English phrases or doubled value lists")
  func helpScreens() throws {
    let ws = try Workspace.empty()
    let paths = try Self.commandPaths(ws)
    #expect(paths.count > 40, "found only \(paths.count) commands")
    for path in paths {
      let help = try ws.run(path + ["--help"])
      #expect(help.status == 0, "\(path): \(help)")
      for phrase in Self.english {
        #expect(
          !help.stdout.contains(phrase), "almoner \(path.joined(separator: " ")) --help: \(phrase)")
      }
      #expect(help.stdout.hasPrefix("说明："), "\(path)")
      #expect(!help.stdout.contains("）)"), "\(path): a bracket left over")
      #expect(help.stdout.contains("用法："), "\(path)")
      for line in help.stdout.split(separator: "\n") where line.contains("（可选：") {
        #expect(!line.contains("（默认）"), "\(path): a value list written twice: \(line)")
      }
    }
    let format = try ws.run("balance", "--help")
    #expect(format.stdout.contains("输出格式（可选：text、json；默认 text）"), "\(format)")
  }

  @Test(
    "usage errors are Chinese and name the argument",
    arguments: [
      (["donate", "--unit", "GA"], "缺少必需的参数 --amount <amount>"),
      (["donate", "--amount"], "--amount <amount> 缺少取值"),
      (["balance", "--bogus"], "没有选项 --bogus"),
      (["balance", "--format", "xml"], "--format <format> 的值 'xml' 无效，可选：text、json"),
      (
        ["member", "add", "--role", "会计"],
        "--role <role> 的值 '会计' 无效，可选：admin（管理员）、treasurer（记账员）、approver（审批人）、supervisor（监督员）"
      ),
      (["balance", "extra", "words"], "多余的参数（2 个）：extra、words"),
      (["verify", "ledger", "--ledger"], "--ledger <ledger> 缺少取值"),
    ])
  func usageErrors(arguments: [String], expected: String) throws {
    let ws = try Workspace.empty()
    let result = try ws.run(arguments)
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.hasPrefix("错误："), "\(result)")
    #expect(result.stderr.contains(expected), "\(result)")
    for phrase in Self.english {
      #expect(!result.stderr.contains(phrase), "\(arguments): \(phrase) in \(result.stderr)")
    }
  }

  @Test(
    "a misspelt subcommand suggests the right one",
    arguments: [
      (["donte"], "donte", "almoner donate"),
      (["statement", "craete"], "craete", "almoner statement create"),
      (["checkpoint", "cosgin"], "cosgin", "almoner checkpoint cosign"),
      (["verfy", "ledger"], "verfy", "almoner verify"),
    ])
  func suggestion(arguments: [String], typed: String, expected: String) throws {
    let ws = try Workspace.empty()
    let result = try ws.run(arguments)
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.contains("没有子命令 '\(typed)'：你是不是要输入 '\(expected)'？"), "\(result)")
  }

  @Test("a word far from every subcommand gets no guess")
  func noSuggestion() throws {
    let ws = try Workspace.empty()
    let result = try ws.run("frobnicate")
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.contains("多余的参数 'frobnicate'"), "\(result)")
    #expect(!result.stderr.contains("你是不是要输入"), "\(result)")
  }
}
