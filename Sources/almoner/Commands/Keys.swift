import AlmonerKit
import ArgumentParser

struct KeysCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys", abstract: "公开的信任公钥", subcommands: [Export.self])

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "导出居民核验所需的公钥：账本签名人与联署监督员",
      discussion: """
        FILE 为 JSON（含账本 ID、持有人、单位与角色，以及居民要求的监督员联署人数 witnessQuorum）；
        FILE.vkeys 为签名文本验证公钥（C2SP vkey），一行一个，不含账本 ID 和联署人数，不能用于核验收据。
        例：almoner keys export --out guangan-trust.json --quorum 2
        """)

    @Option(help: "输出文件") var out: String
    @Option(help: "居民要求检查点至少有几名街道或区级监督员（签发人以外）联署（默认 1）")
    var quorum: Int = TrustBundle.defaultWitnessQuorum
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
      let bundle = try ledger.openForReading().trustBundle(witnessQuorum: quorum)
      try writeText(Rendering.json(bundle.json), to: out, what: "信任公钥文件", ledger: ledger.path)
      try writeText(bundle.verifierKeys, to: out + ".vkeys", what: "信任公钥文件", ledger: ledger.path)
      Output.print(
        "已导出 \(bundle.logKeys.count) 个账本签名公钥、\(bundle.witnesses.count) 个监督员公钥到 \(out)（及 \(out).vkeys），"
          + "核验收据需至少 \(bundle.witnessQuorum) 名监督员联署\n"
          + (bundle.witnesses.isEmpty ? "注意：账本还没有街道或区级监督员，收据在监督员联署检查点之前无法通过核验。\n" : ""))
    }
  }
}
