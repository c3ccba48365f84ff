import AlmonerKit
import ArgumentParser

struct Allocate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "上下级单位之间划拨资金：发出后在途，由收款单位确认或发出单位撤回",
    discussion: """
      例：almoner allocate --from GA --to GA-BC --amount 20000 --key ga-treasurer.pem
          almoner allocate confirm 42 --key bc-treasurer.pem
          almoner allocate void 42 --key ga-treasurer.pem
          almoner allocate list --status in-transit --unit GA-BC
      """,
    subcommands: [Send.self, Confirm.self, VoidAllocation.self, List.self],
    defaultSubcommand: Send.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "列出划拨及其天数（在途的算到今天），可按状态和单位（含下辖，发出或收款）筛选",
      discussion: "状态：in-transit（在途）、confirmed（已确认）、void（已撤回）")

    @Option(help: "状态：in-transit、confirmed、void（也可写中文）") var status: String?
    @Option(help: "单位代码或名称（含下辖单位；发出或收款的都列出）") var unit: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let status = try status.map { text throws(AlmonerError) in
        try Allocation.Status.parse(text, field: "--status")
      }
      let listing = try ledger.openForReading().allocationList(status: status, unit: unit)
      output.emit(
        text: { Rendering.allocationsText(listing) }, json: { Rendering.allocationsJSON(listing) })
    }
  }

  struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "发出划拨（发出单位记账员签署）；第一行输出划拨编号")

    @Option(help: "发出单位代码或名称") var from: String
    @Option(help: "收款单位代码或名称（须是发出单位的上级或下级）") var to: String
    @Option(parsing: .unconditional, help: "金额（元）") var amount: String
    @Option(help: "基金代码或名称（默认非定向基金；两边须有同代码基金）") var fund: String?
    @Option(help: "记账日期 YYYY-MM-DD（默认今天）") var date: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let money = try parseAmount(amount)
      let day = try parseDate(date, "--date")
      let signer = try key.load()
      let book = try ledger.open()
      let appended = try book.allocate(
        from: from, to: to, amount: money, fund: fund, date: day, signer: signer)
      output.confirm(
        book, appended,
        text: {
          "\(appended.seq)\n已发出划拨 \(appended.seq)：\(money.displayText)，等待收款单位确认（almoner allocate confirm \(appended.seq)）\n"
        },
        json: {
          var object = Rendering.appendedJSON(appended).objectValue ?? [:]
          object["id"] = .integer(appended.seq)
          return .object(object)
        })
    }
  }

  struct Confirm: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "确认收到划拨（收款单位记账员签署）")

    @Argument(help: "划拨编号") var id: Int64
    @Option(help: "记账日期 YYYY-MM-DD（默认今天；不早于发出日期，不在已对账的日子）") var date: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let day = try parseDate(date, "--date")
      let signer = try key.load()
      let book = try ledger.open()
      let appended = try book.settleAllocation(
        id: id, confirm: true, date: day, signer: signer)
      output.confirm(
        book, appended,
        text: { "已确认收到划拨 \(id)（记录 #\(appended.seq)）\n" },
        json: { Rendering.appendedJSON(appended) })
    }
  }

  struct VoidAllocation: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "void", abstract: "撤回在途划拨（发出单位记账员签署）")

    @Argument(help: "划拨编号") var id: Int64
    @Option(help: "记账日期 YYYY-MM-DD（默认今天；不早于发出日期，不在已对账的日子）") var date: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let day = try parseDate(date, "--date")
      let signer = try key.load()
      let book = try ledger.open()
      let appended = try book.settleAllocation(
        id: id, confirm: false, date: day, signer: signer)
      output.confirm(
        book, appended,
        text: { "已撤回划拨 \(id)（记录 #\(appended.seq)）\n" },
        json: { Rendering.appendedJSON(appended) })
    }
  }
}
