import AlmonerKit
import ArgumentParser

struct StatementCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "statement", abstract: "公示报表：签发、会签、发布与呈现",
    subcommands: [Create.self, Cosign.self, Publish.self, Render.self])

  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "签发一个单位某期间的公示报表（记账员或管理员）",
      discussion: """
        报表绑定最新一个有监督员联署、且在期末之后签发的检查点，列出该检查点覆盖的记录中
        日期在期间内的全部收支：每个基金的期初余额、按渠道的捐赠、划拨收支、按用途类别的支出、
        定向资金释放、冲销和期末余额；每一行附记录原文和包含证明。签发人用 Ed25519 签署
        almoner-statement/v1\\n<报表哈希>\\n。
        期间：月份 2026-11、季度 2026-Q4 或年份 2026。--subtree 把街道或区的下属单位汇总，
        内部划拨相互抵消（列为内部划转）。
        同一单位、同一期间（及范围）的报表已发布时，新报表是它的更正：须加 --correction-reason
        写明原因，报表头记下所取代报表的哈希。报表头还记下上一期已发布报表的哈希，本期各基金
        期初余额须等于它的期末余额。
        例：almoner statement create --unit GA-BC-JSL --period 2026-Q3 --key wangfang.pem --out jsl-2026q3.json
        """)

    @Option(help: "单位代码或名称") var unit: String
    @Option(help: "期间：2026-11、2026-Q4 或 2026") var period: String
    @Flag(help: "汇总下属单位（街道或区）") var subtree = false
    @Option(help: "更正原因：取代已发布的同期报表时必填") var correctionReason: String?
    @Option(help: "报表文件") var out: String
    @OptionGroup var key: KeyOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
      let period = try StatementPeriod(period)
      let signer = try key.load()
      let statement = try ledger.openForReading().makeStatement(
        unit: unit, period: period, subtree: subtree, correctionReason: correctionReason,
        signer: signer)
      let file = statement.fileBytesAndHash
      let staged = try StagedFile(path: out, what: "报表文件", ledger: ledger.path)
      try staged.write(file.bytes)
      try staged.place()
      Output.print(
        "已签发\(statement.unit.name)（\(statement.unit.code)）\(statement.period.displayName)的公示报表：\(out)\n报表哈希 \(file.hash.hex)，共 \(statement.lines.count) 行\n"
      )
    }
  }

  struct Cosign: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "监督员会签公示报表：按账本重算，完全一致才签",
      discussion: """
        会签人须是报表单位或其上级的监督员。先像居民一样核验报表，再按账本重算整张报表，
        任何一处不同都拒绝会签并指出不同之处；一致时把签名（连同授予监督员角色的记录及其
        包含证明）加入报表文件。
        例：almoner statement cosign jsl-2026q3.json --key zhenghua.pem
        """)

    @Argument(help: "报表文件（会签后原地更新）") var file: String
    @OptionGroup var key: KeyOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
      let statement = try Statement(parsing: Array(try readText(file, what: "报表").utf8))
      let signer = try key.load()
      let signed = try ledger.openForReading().cosignStatement(statement, signer: signer)
      try writeText(
        String(decoding: signed.fileBytes, as: UTF8.self), to: file, what: "报表文件",
        ledger: ledger.path)
      let names = signed.signatures.filter { $0.role == .supervisor }.map(\.name)
      Output.print("已会签报表 \(file)（重算一致）：会签监督员 \(names.joined(separator: "、"))\n")
    }
  }

  struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "发布已会签的公示报表：在账本中记下报表哈希（记账员或管理员）",
      discussion: """
        先像会签一样核验报表并按账本重算，完全一致才发布：追加一条 statement.publish 记录
        （报表哈希、单位、期间、是否汇总下属单位；更正报表还有所取代报表的哈希和更正原因），
        并把报表文件保存在账本中，almoner publish DIR 时写入公开日志的 statements/。
        报表须已有监督员会签。
        例：almoner statement publish jsl-2026q3.json --key wangfang.pem
        """)

    @Argument(help: "报表文件") var file: String
    @OptionGroup var key: KeyOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
      let statement = try Statement(parsing: Array(try readText(file, what: "报表").utf8))
      let signer = try key.load()
      let appended = try ledger.open().publishStatement(statement, signer: signer)
      let correction = statement.supersedes.map { "（更正报表，取代 \($0.hash.hex)）" } ?? ""
      Output.print(
        "已发布\(statement.unit.name)（\(statement.unit.code)）\(statement.period.displayName)的公示报表\(correction)：记录 #\(appended.seq)，报表哈希 \(statement.hash.hex)\n"
      )
    }
  }

  struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "把公示报表呈现为公告栏文本、Markdown 或网页",
      discussion: """
        只读报表文件，不需要账本，也不核验（核验请用 almoner verify statement）。
        text：公告栏文本，中文按显示宽度对齐；md：Markdown；html：一个自带样式、无外部资源的网页，
        可按 A4 打印，含按渠道的捐赠和按用途的支出条形图、各基金数字、签发与会签人和核验方法。
        例：almoner statement render jsl-2026q3.json --format html > jsl-2026q3.html
        """)

    @Argument(help: "报表文件") var file: String
    @Option(help: "呈现格式：text（默认）、md 或 html") var format: String = "text"
    @Option(help: "语言：zh（默认）或 en；也可设 ALMONER_LANG") var lang: String = MessageLanguage.code

    func run() throws {
      guard let format = StatementRendering.Format(rawValue: format) else {
        throw AlmonerError.refused(.statementFormatInvalid(value: format))
      }
      guard lang == "zh" || lang == "en" else {
        throw AlmonerError.refused(.languageInvalid(value: lang))
      }
      let statement = try Statement(parsing: Array(try readText(file, what: "报表").utf8))
      Output.print(StatementRendering.render(statement, format: format, english: lang == "en"))
    }
  }
}
