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
      退出码：0 成功，1 核验发现问题，2 输入有误（账本未改动），3 其他错误。
      """,
    version: "0.1.0",
    subcommands: [
      KeyCommand.self, Init.self, UnitCommand.self, MemberCommand.self, FundCommand.self,
      Donate.self, Allocate.self, Reverse.self, Balance.self, Journal.self, Verify.self,
      CheckpointCommand.self, ProofCommand.self, KeysCommand.self, ReceiptCommand.self,
      PolicyCommand.self, Disburse.self, Reconcile.self,
    ]
  )

  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let error as AlmonerError {
      Output.error(error.message)
      Foundation.exit(error.exitStatus)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        Output.print(fullMessage(for: error) + "\n")
        Foundation.exit(0)
      }
      let message = fullMessage(for: error)
      if !message.isEmpty {
        // argument-parser speaks English; say in Chinese what kind of problem it is.
        let lead = code == .validationFailure ? "错误：命令参数有误（详见下方说明，或运行 --help）\n" : ""
        FileHandle.standardError.write(
          Data(Text.escapedKeepingLineFeeds(lead + message + "\n").utf8))
      }
      // Usage errors are bad input: status 2, as DESIGN §9 says.
      Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
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
    FileHandle.standardError.write(Data("错误：\(Text.escaped(message))\n".utf8))
  }

  static func print(_ text: String) {
    FileHandle.standardOutput.write(Data(Text.escapedKeepingLineFeeds(text).utf8))
  }

  static func printJSON(_ json: String) {
    FileHandle.standardOutput.write(Data(Text.escapedJSON(json).utf8))
  }
}
