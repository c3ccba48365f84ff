import AlmonerKit
import ArgumentParser

struct KeysCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys", abstract: "公开的信任公钥", subcommands: [Export.self])

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "导出居民核验所需的公钥：账本签名人与联署监督员",
      discussion: """
        FILE 为 JSON（含持有人、单位与角色）；FILE.vkeys 为签名文本验证公钥（C2SP vkey），一行一个。
        例：almoner keys export --out guangan-trust.json
        """)

    @Option(help: "输出文件") var out: String
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
      let bundle = try ledger.openForReading().trustBundle()
      try writeText(Rendering.json(bundle.json), to: out, what: "信任公钥文件", ledger: ledger.path)
      try writeText(bundle.verifierKeys, to: out + ".vkeys", what: "信任公钥文件", ledger: ledger.path)
      Output.print(
        "已导出 \(bundle.logKeys.count) 个账本签名公钥、\(bundle.witnesses.count) 个监督员公钥到 \(out)（及 \(out).vkeys）\n"
      )
    }
  }
}
