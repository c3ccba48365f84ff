import AlmonerKit
import ArgumentParser

struct Disburse: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "支出：申请 → 审批 → 付款（按审批规则，见 almoner policy show）",
    discussion: """
      例：almoner disburse request --unit GA-BC-JSL --amount 3000 --payee 惠民超市 \\
            --purpose 老年食堂采购食材 --attach 发票.jpg --key wangfang.pem     # 第一行输出申请编号
          almoner disburse approve 42 --key approver.pem
          almoner disburse pay 42 --key wangfang.pem
          almoner disburse list --unit GA-BC --status pending
      """,
    subcommands: [
      Request.self, Approve.self, Reject.self, Pay.self, Cancel.self, Release.self, List.self,
      Show.self,
    ])

  struct Request: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "提出支出申请（付款单位记账员签署）；第一行输出申请编号",
      discussion: """
        收款方是个人时加 --payee-person：记录中只保留打码名（张*）和加盐承诺值，姓名另存、可按本人要求删除。
        附件（发票照片等）的 SHA-256 写入记录，文件复制到账本旁的 <账本>.attachments/ 目录。
        从定向基金支出时，用途类别须与基金相符。
        """)

    @Option(help: "付款单位代码或名称") var unit: String
    @Option(parsing: .unconditional, help: "金额（元），最多两位小数") var amount: String
    @Option(help: "收款方（单位或个人）") var payee: String
    @Flag(help: "收款方是个人（姓名不写入公开记录）") var payeePerson = false
    @Option(help: "用途说明，例如 老年食堂采购食材") var purpose: String
    @Option(help: "用途类别（写代码或中文名）；不写时按用途说明推定") var category: PurposeCategory?
    @Option(help: "基金代码或名称（默认非定向基金）") var fund: String?
    @Option(help: "附件文件，可多次使用") var attach: [String] = []
    @Option(help: "申请日期 YYYY-MM-DD（默认今天）") var date: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let input = DisbursementInput(
        unit: unit, amount: try parseAmount(amount), payee: payee, payeeIsPerson: payeePerson,
        purpose: purpose,
        category: category, fund: fund, attachments: attach, date: try parseDate(date, "--date"))
      let signer = try key.load()
      let book = try ledger.open()
      let update = try book.requestDisbursement(input, signer: signer)
      let id = update.request.id
      output.confirm(
        book, update.appended,
        text: {
          "\(id)\n已提交支出申请 #\(id)：\(input.amount.displayText)，收款方 \(update.request.payee ?? "")；需要\(update.requiredText)批准\n"
        },
        json: { Rendering.disbursementUpdateJSON(update) })
    }
  }

  struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "批准支出申请（付款单位或其上级的审批人签署；不能批准自己的申请）")

    @Argument(help: "申请编号") var id: Int64
    @Option(help: "批准日期 YYYY-MM-DD（默认今天；不早于申请日期）") var date: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let day = try parseDate(date, "--date")
      let signer = try key.load()
      let book = try ledger.open()
      let update = try book.approveDisbursement(id: id, date: day, signer: signer)
      let next =
        update.missingText.isEmpty
        ? "审批已满足，可由记账员付款（almoner disburse pay \(id)）" : "还缺\(update.missingText)"
      output.confirm(
        book, update.appended,
        text: { "已批准申请 #\(id)（记录 #\(update.appended.seq)）；\(next)\n" },
        json: { Rendering.disbursementUpdateJSON(update) })
    }
  }

  struct Reject: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "驳回支出申请（付款单位或其上级的审批人签署），须写理由")

    @Argument(help: "申请编号") var id: Int64
    @Option(help: "驳回理由") var reason: String
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let signer = try key.load()
      let book = try ledger.open()
      let update = try book.rejectDisbursement(id: id, reason: reason, signer: signer)
      output.confirm(
        book, update.appended,
        text: { "已驳回申请 #\(id)（记录 #\(update.appended.seq)）\n" },
        json: { Rendering.disbursementUpdateJSON(update) })
    }
  }

  struct Pay: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "付款（付款单位记账员签署）：审批未满足时拒绝，并列出还缺哪一级几位审批人")

    @Argument(help: "申请编号") var id: Int64
    @Option(help: "付款日期 YYYY-MM-DD（默认今天）") var date: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let day = try parseDate(date, "--date")
      let signer = try key.load()
      let book = try ledger.open()
      let update = try book.payDisbursement(id: id, date: day, signer: signer)
      let amount = Money(fen: update.request.amountFen).displayText
      output.confirm(
        book, update.appended,
        text: {
          update.request.kind == .opening
            ? "已入账期初余额 #\(id)：\(amount)，记账日期 \(update.request.date)（记录 #\(update.appended.seq)）\n"
            : update.request.kind == .release
              ? "已执行定向资金释放 #\(id)：\(amount) 转入非定向基金（记录 #\(update.appended.seq)）\n"
              : "已付款：申请 #\(id)，\(amount)，收款方 \(update.request.payee ?? "")（记录 #\(update.appended.seq)）\n"
        },
        json: { Rendering.disbursementUpdateJSON(update) })
    }
  }

  struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "撤销自己提出、尚未付款的申请（申请人签署）")

    @Argument(help: "申请编号") var id: Int64
    @Option(help: "撤销理由") var reason: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let signer = try key.load()
      let book = try ledger.open()
      let update = try book.cancelDisbursement(id: id, reason: reason, signer: signer)
      output.confirm(
        book, update.appended,
        text: { "已撤销申请 #\(id)（记录 #\(update.appended.seq)）\n" },
        json: { Rendering.disbursementUpdateJSON(update) })
    }
  }

  struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "申请把定向基金的资金释放到本单位非定向基金（记账员签署）；像支出一样审批，批准后用 disburse pay 执行；第一行输出申请编号",
      discussion:
        "例：almoner disburse release --unit GA --fund elderly-canteen --amount 2000 --reason 项目结余经捐赠人同意转为非定向 --key chenjing.pem"
    )

    @Option(help: "单位代码或名称") var unit: String
    @Option(help: "定向基金代码或名称") var fund: String
    @Option(parsing: .unconditional, help: "金额（元）") var amount: String
    @Option(help: "释放理由（例如 捐赠人同意、项目结余）") var reason: String
    @Option(help: "申请日期 YYYY-MM-DD（默认今天）") var date: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let money = try parseAmount(amount)
      let day = try parseDate(date, "--date")
      let signer = try key.load()
      let book = try ledger.open()
      let update = try book.requestRelease(
        unit: unit, fund: fund, amount: money, reason: reason, date: day, signer: signer)
      let id = update.request.id
      output.confirm(
        book, update.appended,
        text: {
          "\(id)\n已提交定向资金释放申请 #\(id)：\(money.displayText)；需要\(update.requiredText)批准\n"
        },
        json: { Rendering.disbursementUpdateJSON(update) })
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "列出支出申请，可按单位（含下辖）、状态和申请日期筛选",
      discussion: "状态：pending（待审批）、approved（已批准待付款）、paid（已付款）、rejected（已驳回）、cancelled（已撤销）")

    @Option(help: "单位代码或名称（含下辖单位）") var unit: String?
    @Option(help: "状态（写代码或中文名）") var status: Disbursement.Status?
    @Option(help: "申请日期起 YYYY-MM-DD（含）") var from: String?
    @Option(help: "申请日期止 YYYY-MM-DD（含）") var to: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let list = try ledger.openForReading().disbursements(
        unit: unit, status: status, from: try parseDate(from, "--from"),
        to: try parseDate(to, "--to"))
      output.emit(
        text: { Rendering.disbursementsText(list) }, json: { Rendering.disbursementsJSON(list) })
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "查看一笔申请：审批规则、已批准与还缺的审批、附件")

    @Argument(help: "申请编号") var id: Int64
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let list = try ledger.openForReading().disbursement(id: id)
      output.emit(
        text: { Rendering.disbursementText(list.requests[0], state: list.state) },
        json: { Rendering.disbursementJSON(list.requests[0], state: list.state) })
    }
  }
}
