import AlmonerKit
import ArgumentParser
import Foundation

/// `almoner audit`: the supervisor's check of the books, the log and the
/// rules of conduct over a unit's subtree and period; `audit note` answers
/// a recorded audit.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "监督审计：核验账本完整性、账目与行为规范，逐项列出发现（可签名记入账本）",
    subcommands: [Run.self, Note.self], defaultSubcommand: Run.self)

  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "run",
      abstract: "审计整本账或一个单位（含下辖）的一段期间（默认子命令：almoner audit … 即 almoner audit run …）",
      discussion: """
        完整性：verify ledger 的全部核验（遇到问题不停下，逐条列出），已签发检查点的根哈希及前后一致性，
        附件哈希，数据库结构。账目：从日志重建的投影表与存储的逐表比对；每个基金借贷平衡；
        任何一天银行、现金、在途余额不为负；划拨发出 = 已收到 + 在途。行为规范：按监督员设定的规则（--rules 查看）。
        输出按严重程度、再按单位分组（中文；--lang en 为英文），--format json 的格式见 Schemas/json/audit.schema.json。
        退出码：0 未发现问题，1 有发现，2 无法审计（参数有误、单位不存在）。
        --record 把审计签名记入账本（范围、期间、规则与报告的哈希、各项发现的代码和记录序号），
        须由该单位或上级单位的监督员（或管理员）签署。
        例：almoner audit --unit GA-BC --from 2026-07-01 --to 2026-09-30 --record --key zhenghua.pem
        """)

    @Option(help: "单位代码或名称（含下辖单位；默认整本账）") var unit: String?
    @Option(help: "起始日期 YYYY-MM-DD（含）") var from: String?
    @Option(help: "截止日期 YYYY-MM-DD（含）") var to: String?
    @Option(help: "结果语言：zh（默认）或 en；也可设 ALMONER_LANG") var lang: String = MessageLanguage.code
    @Flag(help: "只列出行为规范的规则及其设定，不审计") var rules = false
    @Option(help: "监督员的规则文件（JSON；默认用内置规则，--rules 可查看）") var rulesFile: String?
    @Flag(help: "把审计结果签名记入账本（须 --key：该单位或上级的监督员，或管理员）") var record = false
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      guard lang == "zh" || lang == "en" else {
        throw AlmonerError.refused(.languageInvalid(value: lang))
      }
      let english = lang == "en"
      let rulesJSON = try rulesFile.map { path throws(AlmonerError) in
        let text = try readText(path, what: "审计规则")
        do { return try JSONValue.parse(Array(text.utf8)) } catch {
          throw .refused(.auditRulesNotJSON(path: path, detail: "\(error)"))
        }
      }
      let conductRules =
        try rulesJSON.map { json throws(AlmonerError) in
          try ConductRules(json: json)
        } ?? .defaults
      if rules {
        Output.print(conductRules.describe(english: english))
        return
      }
      let signer = try record ? key.load() : nil
      let opened = try ledger.openForReading()
      let unitCode = try unit.map { text throws(AlmonerError) in
        (try? opened.state().resolveUnit(text, field: "--unit"))?.code ?? text
      }
      let scope = AuditScope(
        unit: unitCode, from: try parseDate(from, "--from"), to: try parseDate(to, "--to"))
      let report = try opened.audit(scope, rules: conductRules)
      var recorded: AppendedEntry?
      var recordError: AlmonerError?
      if let signer {
        do throws(AlmonerError) {
          recorded = try ledger.open().recordAudit(report, signer: signer)
        } catch {
          recordError = error
        }
      }
      output.emit(
        text: {
          var text = report.text(english: english)
          if let recorded {
            text +=
              english
              ? "Recorded in the ledger as entry \(recorded.seq).\n"
              : "已记入账本：记录 #\(recorded.seq)（监督审计）。\n"
          }
          return text
        },
        json: {
          guard case .object(var object) = report.json else { return report.json }
          if let recorded {
            object["recorded"] = .object([
              "seq": .integer(recorded.seq), "hash": .string(recorded.hash.hex),
              "reportHash": .string(report.hash.hex),
            ])
          }
          return .object(object)
        })
      if let recordError { throw recordError }
      if !report.isClean { throw ExitCode(1) }
    }
  }

  struct Note: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "note",
      abstract: "就一次已记入账本的审计作出说明（如某项发现的原因、整改情况），记为一条「审计说明」记录",
      discussion: """
        由被审计单位或其上级的监督员（或管理员）签署。SEQ 是 almoner audit --record 记下的审计记录序号。
        说明和审计记录一样会随公开日志公开：不要写入捐赠人或收款人的姓名等个人信息。
        例：almoner audit note 1234 --text "重复单号系银行回单重复导入，已冲销记录 #1201" --key zhenghua.pem
        """)

    @Argument(help: "审计记录的序号") var seq: Int64
    @Option(help: "说明文字") var text: String
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let signer = try key.load()
      let ledger = try ledger.open()
      let appended = try ledger.noteAudit(seq: seq, text: text, signer: signer)
      output.confirm(
        ledger, appended, text: { "已记入记录 #\(appended.seq)（审计说明）\n" },
        json: { Rendering.appendedJSON(appended) })
    }
  }
}
