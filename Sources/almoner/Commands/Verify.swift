import AlmonerKit
import ArgumentParser

struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "核验", subcommands: [LedgerCommand.self])

  struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ledger",
      abstract: "核验整本账：重算每条记录的哈希与链接、每次提交的签名和签署人权限、余额不变式，并从日志重建投影表比对",
      discussion: "发现问题时指出第一条有问题的记录序号，退出码 1。")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let report = try ledger.open().verify()
      output.emit(
        text: { Rendering.verificationText(report) },
        json: { Rendering.verificationJSON(report) })
      if !report.isClean { throw ExitCode(1) }
    }
  }
}
