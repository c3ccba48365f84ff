import AlmonerKit
import ArgumentParser

struct Reconcile: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "对账：核对单位的银行存款（或库存现金）在某日终的余额，一致才记录（本单位记账员或监督员签署）",
    discussion: """
      余额为该单位各基金合计，与银行对账单（或现金盘点）比较；不一致时拒绝并显示差额，账本不变。
      对账之后，该账户在对账日及之前不能再补记收支。
      例：almoner reconcile --unit GA-BC-JSL --account bank --as-of 2026-10-31 --balance 12345.60 --key wangfang.pem
      """)

  @Option(help: "单位代码或名称") var unit: String
  @Option(help: "账户：bank（银行存款，默认）或 cash（库存现金）") var account = "bank"
  @Option(help: "对账日期 YYYY-MM-DD（须早于今天）：核对该日日终的余额") var asOf: String
  @Option(parsing: .unconditional, help: "对账单（或盘点）余额（元）") var balance: String
  @Option(help: "记账日期 YYYY-MM-DD（默认今天）") var date: String?
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var key: KeyOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let account: Account =
      switch self.account {
      case "bank", "银行", "银行存款": .bank
      case "cash", "现金", "库存现金": .cash
      default:
        throw AlmonerError.refused(.accountInvalid(value: self.account))
      }
    let asOf = try parseDate(asOf, "--as-of")!
    let stated: Money
    do { stated = try Money.parseYuan(balance, allowingZero: true) } catch {
      throw error.inField("--balance")
    }
    let day = try parseDate(date, "--date")
    let signer = try key.load()
    let book = try ledger.open()
    let appended = try book.reconcile(
      unit: unit, account: account, asOf: asOf, balance: stated, date: day, signer: signer)
    guard case .reconciliation(let body) = appended.entry.body else {
      preconditionFailure("reconcile appends a reconciliation")
    }
    output.confirm(
      book, appended,
      text: {
        "对账一致：\(body.unit) \(account.displayName)截至 \(asOf) 日终余额 \(stated.displayText)（记录 #\(appended.seq)）；该日及之前的\(account.displayName)收支此后不能再补记\n"
      },
      json: { Rendering.appendedJSON(appended) })
  }
}
