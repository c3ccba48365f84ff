import AlmonerKit
import ArgumentParser

struct FundCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fund", abstract: "管理基金（每个单位自动有非定向基金 general）",
    subcommands: [Open.self, List.self])

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "列出基金及其余额（银行、现金、在途划出、待确认划入、已批准待付），可按单位（含下辖）筛选",
      discussion: "例：almoner fund list --unit GA-BC")

    @Option(help: "单位代码或名称（含下辖单位）") var unit: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let listing = try ledger.openForReading().fundList(unit: unit)
      output.emit(text: { Rendering.fundsText(listing) }, json: { Rendering.fundsJSON(listing) })
    }
  }

  struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "设立基金；定向（专项）基金须写明用途",
      discussion:
        "例：almoner fund open elderly-canteen --unit GA --name 老龄食堂 --restricted --purpose 老年人助餐 --key admin.pem"
    )

    @Argument(help: "基金代码（小写字母、数字、连字符），例如 elderly-canteen") var code: String
    @Option(help: "所属单位代码或名称") var unit: String
    @Option(help: "基金名称") var name: String
    @Flag(help: "定向（专项）基金") var restricted = false
    @Option(help: "定向基金的用途") var purpose: String?
    @Option(help: "定向基金的用途类别；不写时按用途推定")
    var category: PurposeCategory?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let signer = try key.load()
      let book = try ledger.open()
      let appended = try book.openFund(
        unit: unit, code: code, name: name, restricted: restricted, purpose: purpose,
        category: category, signer: signer)
      output.confirm(
        book, appended,
        text: {
          var category = ""
          if case .fundOpen(let body) = appended.entry.body, let purpose = body.category {
            category = "；只用于「\(purpose.displayName)」类支出"
          }
          return "已设立基金 \(name)（\(code)，记录 #\(appended.seq)）\(category)\n"
        },
        json: { Rendering.appendedJSON(appended) })
    }
  }
}
