import AlmonerKit
import ArgumentParser

struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "核验", subcommands: [LedgerCommand.self, ReceiptCommand.self])

  struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ledger",
      abstract: "核验整本账：重算每条记录的哈希与链接、每次提交的签名和签署人权限、余额不变式，并从日志重建投影表比对",
      discussion: "发现问题时指出第一条有问题的记录序号，退出码 1。")

    @Option(help: "同时核对一个已签发的检查点文件（发现末尾记录被删除或历史被改写）")
    var checkpoint: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let anchor = try checkpoint.map { path throws(AlmonerError) in
        try SignedNote(parsing: try readText(path, what: "检查点"))
      }
      let report = try ledger.openForReading().verify(against: anchor)
      output.emit(
        text: { Rendering.verificationText(report) },
        json: { Rendering.verificationJSON(report) })
      if !report.isClean { throw ExitCode(1) }
    }
  }

  struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "receipt",
      abstract: "离线核验捐赠收据：不需要账本，只需要收据和信任公钥",
      discussion: """
        依次核验：记录哈希、捐赠人信息与承诺值、检查点签名、监督员联署、包含证明；
        任何一步失败都会指出是哪一步，退出码 1。
        例：almoner verify receipt receipt.json --trust guangan-trust.json
        """)

    @Argument(help: "收据文件") var file: String
    @Option(help: "信任公钥文件（keys export 导出的 JSON 或 .vkeys）") var trust: String

    func run() throws {
      let trustText = try readText(trust, what: "信任公钥")
      let bundle = try TrustBundle(parsing: Array(trustText.utf8))
      let receiptText = try readText(file, what: "收据")
      // A file that is not a receipt is bad input (exit 2); one that does
      // not verify, a finding (exit 1).
      let receipt = try Receipt(parsing: Array(receiptText.utf8))
      let verified = try receipt.verify(trust: bundle)
      Output.print(verified.statement)
    }
  }
}
