import AlmonerKit
import ArgumentParser

struct Opening: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "申请期初余额：已有的钱不带历史明细转入账本（像同样金额的支出一样审批）；第一行输出申请编号",
    discussion: """
      本单位记账员签署。申请按审批规则（almoner policy show）由审批人用 `almoner disburse approve 编号` 批准，
      满足后由记账员用 `almoner disburse pay 编号` 入账，记账日期为 --as-of 那天：
      资产（银行存款或库存现金）增加，基金的「期初余额转入」增加，在余额表和公示中单列，不算捐赠。
      例：almoner opening --unit GA-BC-JSL --account bank --amount 12000 --as-of 2026-10-31 --key wangfang.pem
      """)

  @Option(help: "单位代码或名称") var unit: String
  @Option(help: "基金代码或名称（默认非定向基金）") var fund: String?
  @Option(help: "账户：bank（银行存款）或 cash（库存现金）") var account: String
  @Option(parsing: .unconditional, help: "金额（元），最多两位小数") var amount: String
  @Option(help: "截至哪天的余额 YYYY-MM-DD（记账日期）") var asOf: String
  @Option(help: "说明，例如 接收原账簿结余") var note: String?
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var key: KeyOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let asset: Account
    switch account.trimmingCharacters(in: .whitespaces) {
    case "bank", "银行", "银行存款", "assets:bank": asset = .bank
    case "cash", "现金", "库存现金", "assets:cash": asset = .cash
    default: throw AlmonerError.refused(.accountInvalid(value: account))
    }
    let amount = try parseAmount(amount)
    guard let asOf = try parseDate(asOf, "--as-of") else {
      preconditionFailure("--as-of is required")
    }
    let signer = try key.load()
    let book = try ledger.open()
    let appended = try book.requestOpening(
      unit: unit, fund: fund, account: asset, amount: amount, asOf: asOf, note: note,
      signer: signer)
    let state = try book.state()
    let request = state.supervision.disbursements[appended.seq]
    let needed = request.map { state.describeMissing($0.missingApprovals, unit: $0.unit) } ?? ""
    output.confirm(
      book, appended,
      text: {
        """
        \(appended.seq)
        已提交期初余额申请 #\(appended.seq)：\(amount.displayText)，截至 \(asOf)
        需要 \(needed) 批准（almoner disburse approve \(appended.seq)），之后由记账员 `almoner disburse pay \(appended.seq)` 入账

        """
      },
      json: { Rendering.appendedJSON(appended) })
  }
}
