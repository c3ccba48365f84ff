import AlmonerKit
import ArgumentParser
import Foundation

/// `almoner`: the charity ledger's command line. Parses, calls AlmonerKit,
/// prints. Exit status: 0 success, 1 a verification found a problem, 2 bad
/// input or usage, 3 anything else (DESIGN §9).
@main
struct AlmonerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "almoner",
    abstract: "善款账本：三级慈善基金的复式记账、哈希链与公开核验（Almoner charity ledger）",
    discussion: """
      账本文件默认为 ./almoner.db，可用 --ledger 或环境变量 ALMONER_LEDGER 指定；
      签名私钥用 --key 或环境变量 ALMONER_KEY 指定。金额以元为单位，最多两位小数。
      退出码：0 成功，1 核验发现问题，2 输入有误（账本未改动），3 其他错误（如磁盘已满、账本只读）。
      出错信息默认为中文；加 --lang en（任何命令都可加），或设置环境变量 ALMONER_LANG=en，改为英文
      （Errors are in Chinese; --lang en on any command, or ALMONER_LANG=en, gives them in English.）
      加 --format json 时，出错信息是写到标准错误的一行 JSON：{"error":{"code":"…","kind":"…","message":"…"}}，
      kind 为 bad-input、usage、verification-failed、failure 或 disk-full；code 是具体的出错代码
      （如 unit-unknown、amount-decimals），没有具体代码时与 kind 相同。
      """,
    version: "0.1.0",
    subcommands: [
      KeyCommand.self, Init.self, UnitCommand.self, MemberCommand.self, FundCommand.self,
      Donate.self, ImportCommand.self, Opening.self, Allocate.self, Reverse.self, Balance.self,
      Journal.self,
      Verify.self,
      CheckpointCommand.self, ProofCommand.self, KeysCommand.self, ReceiptCommand.self,
      Publish.self, StatementCommand.self,
      PolicyCommand.self, Disburse.self, Reconcile.self, Erase.self, Export.self,
      AuditCommand.self,
    ]
  )

  static func main() {
    let json = Output.wantsJSON(CommandLine.arguments.dropFirst())
    var arguments = Array(CommandLine.arguments.dropFirst())
    do {
      arguments = try MessageLanguage.select(
        arguments, environment: ProcessInfo.processInfo.environment)
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch let error as AlmonerError {
      Output.error(
        code: error.code, kind: error.kindCode, message: MessageLanguage.message(error), json: json)
      Foundation.exit(error.exitStatus)
    } catch let error as ExitCode {
      // A command that already printed its result (verify: exit 1 with a report).
      Foundation.exit(error.rawValue)
    } catch {
      let code = exitCode(for: error)
      let message =
        MessageLanguage.current == .english
        ? fullMessage(for: error)
        : ChineseUsage.translate(fullMessage(for: error), arguments: arguments)
      if code == .success {
        Output.print(message + "\n")
        Foundation.exit(0)
      }
      if !message.isEmpty {
        if json {
          let kind = code == .validationFailure ? "usage" : "failure"
          Output.error(code: kind, kind: kind, message: message, json: true)
        } else {
          FileHandle.standardError.write(Data(Text.escapedKeepingLineFeeds(message + "\n").utf8))
        }
      }
      // Usage errors are bad input: status 2, as DESIGN §9 says. Any other
      // error argument-parser would report as 1 is not a finding: 3.
      Foundation.exit(code == .validationFailure ? 2 : code == .failure ? 3 : code.rawValue)
    }
  }
}

/// The only way text reaches the terminal. Text shown here may quote what
/// came from a file or an argument, so every control, bidi or zero-width
/// character but the line feeds this program wrote is shown as `<U+XXXX>`
/// (`Text.escapedKeepingLineFeeds`); JSON gets `\uXXXX` escapes instead, so
/// it keeps its value.
enum Output {
  /// An error is one line: a line break in it can only have come from
  /// quoted text, so it is escaped too.
  static func error(_ message: String) {
    let prefix = MessageLanguage.current == .english ? "error: " : "错误："
    FileHandle.standardError.write(Data("\(prefix)\(Text.escaped(message))\n".utf8))
  }

  /// An error on stderr: the Chinese line, or with `--format json` one line
  /// of JSON, `{"error":{"code":"…","kind":"…","message":"…"}}` (stdout
  /// stays for results): `code` the refusal's own (`unit-unknown`), `kind`
  /// its class (`bad-input`), the same as `code` when there is no finer one.
  static func error(code: String, kind: String, message: String, json: Bool) {
    guard json else { return error(message) }
    let value = JSONValue.object([
      "error": .object(["code": .string(code), "kind": .string(kind), "message": .string(message)])
    ])
    FileHandle.standardError.write(Data(Text.escapedJSON(Rendering.json(value)).utf8))
  }

  /// True when the command line asks for `--format json` (before any `--`).
  static func wantsJSON(_ arguments: ArraySlice<String>) -> Bool {
    var previous: String?
    for argument in arguments {
      if argument == "--" { return false }
      if argument == "--format=json" || (previous == "--format" && argument == "json") {
        return true
      }
      previous = argument
    }
    return false
  }

  static func print(_ text: String) {
    FileHandle.standardOutput.write(Data(Text.escapedKeepingLineFeeds(text).utf8))
  }

  static func printJSON(_ json: String) {
    FileHandle.standardOutput.write(Data(Text.escapedJSON(json).utf8))
  }
}
