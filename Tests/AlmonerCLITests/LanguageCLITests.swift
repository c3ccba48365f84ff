import AlmonerKit
import Foundation
import Testing

@Suite("Message language: --lang en or ALMONER_LANG=en on every command")
struct LanguageCLITests {
  static let badAmount = [
    "donate", "--unit", "GA", "--amount", "12.345", "--donor", "张三", "--key", "ga.pem",
  ]

  @Test("a refused command in English: the same code and exit status, the English message")
  func englishRefusal() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    let chinese = try ws.run(Self.badAmount)
    #expect(chinese.status == 2)
    #expect(chinese.stderr == "错误：--amount：金额 \"12.345\" 无效：最多两位小数（精确到分）\n", "\(chinese)")
    let english = try ws.run(Self.badAmount + ["--lang", "en"])
    #expect(english.status == 2)
    #expect(
      english.stderr
        == "error: --amount: amount \"12.345\" is not valid: at most two decimals (fen)\n",
      "\(english)")
    let environment = try ws.run(Self.badAmount, environment: ["ALMONER_LANG": "en"])
    #expect(environment.status == 2)
    #expect(environment.stderr == english.stderr)
    // --lang wins over the environment, and may come before the command.
    let chosen = try ws.run(["--lang=zh"] + Self.badAmount, environment: ["ALMONER_LANG": "en"])
    #expect(chosen.stderr == chinese.stderr)

    let json = try ws.run(["--lang", "en"] + Self.badAmount + ["--format", "json"])
    #expect(json.status == 2)
    let error = try parseJSON(json.stderr).objectValue?["error"]?.objectValue
    #expect(error?["code"] == "amount-decimals")
    #expect(error?["kind"] == "bad-input")
    #expect(
      error?["message"]?.stringValue
        == "--amount: amount \"12.345\" is not valid: at most two decimals (fen)")

    // A rule's refusal (the library's), and a unit that does not exist.
    let rule = try ws.run("balance", "--unit", "NOPE", "--lang", "en")
    #expect(rule.status == 2)
    #expect(
      rule.stderr.hasPrefix("error: --unit: unit \"NOPE\" does not exist. Units: "), "\(rule)")
    #expect(try ws.snapshot() == before)
  }

  @Test("an unknown language is refused with its code, whichever way it is given")
  func unknownLanguage() throws {
    let ws = try Workspace.fixture()
    let option = try ws.run(Self.badAmount + ["--lang", "fr", "--format", "json"])
    #expect(option.status == 2)
    #expect(
      try parseJSON(option.stderr).objectValue?["error"]?.objectValue?["code"] == "language-invalid"
    )
    let variable = try ws.run(Self.badAmount, environment: ["ALMONER_LANG": "fr"])
    #expect(variable.status == 2)
    #expect(variable.stderr.contains("ALMONER_LANG \"fr\""), "\(variable)")
  }

  @Test("audit keeps its --lang: the report in English")
  func auditEnglish() throws {
    let ws = try Workspace.fixture()
    let chinese = try ws.run("audit")
    let english = try ws.run("audit", "--lang", "en")
    #expect(english.status == chinese.status)
    #expect(english.stdout != chinese.stdout)
    let environment = try ws.run(["audit"], environment: ["ALMONER_LANG": "en"])
    #expect(environment.stdout == english.stdout)
  }
}
