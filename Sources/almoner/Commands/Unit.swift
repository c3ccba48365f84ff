import AlmonerKit
import ArgumentParser

struct UnitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unit", abstract: "管理单位（街道、社区）", subcommands: [Add.self, List.self])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "新增单位：区级之下设街道，街道之下设社区（由上级单位的管理员签署）",
      discussion: "例：almoner unit add GA-BC --name 北城街道 --parent GA --key admin.pem")

    @Argument(help: "单位代码（大写字母、数字、连字符），例如 GA-BC-JSL") var code: String
    @Option(help: "单位名称") var name: String
    @Option(help: "上级单位代码或名称") var parent: String
    @Option(help: "层级；省略时按上级推定") var tier: Tier?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let signer = try key.load()
      let book = try ledger.open()
      let appended = try book.addUnit(
        code: code, name: name, parent: parent, tier: tier, signer: signer)
      output.confirm(
        book, appended,
        text: { "已新增单位 \(code)（记录 #\(appended.seq)）\n" },
        json: { Rendering.appendedJSON(appended) })
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "列出全部单位（树形）")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let state = try ledger.openForReading().state()
      output.emit(
        text: { Rendering.unitTreeText(state) }, json: { Rendering.unitsJSON(state) })
    }
  }
}
