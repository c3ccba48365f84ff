import AlmonerKit
import ArgumentParser
import Foundation

struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "导入账单（捐赠流水）",
    subcommands: [Donations.self])

  struct Donations: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "从 CSV 账单导入捐赠（全部成功或全部不记；按流水号去重）",
      discussion: """
        默认格式：UTF-8 CSV，第一行为表头 date,unit,fund,amount,donor,channel,reference
        （可另加 donor-type、named 列；列名也可写中文：日期、单位、基金、金额、捐赠人、渠道、流水号）。
        微信支付、支付宝、银行对账单等其他格式用 --rules 规则文件说明，仓库的 rules/ 目录里有现成的。
        先检查每一行：有任何一行不能导入，就列出所有这样的行（文件、行号、原因），退出码 2，账本不变。
        流水号已在账本中的行跳过并计数（重复导入不会重复记账）；同一文件里流水号重复的行不能导入。
        例：almoner import donations 微信账单.csv --rules rules/wechat-pay.rules --key wangfang.pem
        """)

    @Argument(help: "账单文件（CSV）") var file: String
    @Option(help: "规则文件：账单的编码、要跳过的行、各列含义、哪些行是捐赠") var rules: String?
    @Option(help: "受赠单位代码或名称，用于没有 unit 列或规则的行") var unit: String?
    @Option(help: "基金代码或名称，用于没有 fund 列或规则的行（默认非定向基金）") var fund: String?
    @Flag(help: "只检查并列出将要记录的捐赠，不写入账本") var dryRun = false
    @Flag(help: "流水号已在账本中或在文件中重复的行也照常记录") var allowDuplicateRef = false
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let parsedRules: ImportRules
      if let rules {
        parsedRules = try ImportRules.parse(try readInput(rules, what: "规则文件"), source: rules)
      } else {
        parsedRules = ImportRules()
      }
      var rulesWithFlags = parsedRules
      if let unit { rulesWithFlags.fallbacks["unit"] = unit }
      if let fund { rulesWithFlags.fallbacks["fund"] = fund }
      let bill = try BillBytes(path: file, what: "账单文件")
      let signer = try key.load()
      let book = try ledger.open()
      let progress = ProgressLine(enabled: isatty(STDERR_FILENO) == 1 && !dryRun)
      let report = try book.importDonations(
        file: file, bill: bill, rules: rulesWithFlags, dryRun: dryRun,
        allowsDuplicateReferences: allowDuplicateRef, signer: signer,
        progress: { done, bytesRead in
          let percent = bill.byteCount > 0 ? bytesRead * 100 / bill.byteCount : 100
          progress.show("导入中：已记录 \(done) 笔（已读 \(percent)%）")
        })
      progress.finish()
      if !report.problems.isEmpty {
        if output.format == .text {
          for problem in report.problems {
            Output.error("\(file) 第 \(problem.line) 行：\(problem.reason)")
          }
        }
        let rows =
          output.format == .json
          ? report.problems.map { "第 \($0.line) 行：\($0.reason)" }.joined(separator: "；") : nil
        throw AlmonerError.refused(
          .importRowsRefused(file: file, count: report.problems.count, rows: rows))
      }
      output.emit(text: { ImportText.render(report) }, json: { ImportText.json(report) })
    }

    private func readInput(_ path: String, what: String) throws(AlmonerError) -> [UInt8] {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw .refused(.inputFileMissing(what: what, path: path))
      }
      return [UInt8](data)
    }
  }
}

/// A line on stderr that rewrites itself, when stderr is a terminal.
final class ProgressLine {
  let enabled: Bool
  private var shown = false

  init(enabled: Bool) { self.enabled = enabled }

  func show(_ text: String) {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    shown = true
  }

  func finish() {
    guard shown else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    shown = false
  }
}

enum ImportText {
  static func render(_ report: ImportReport) -> String {
    var out = ""
    let total = Money(fen: report.totalFen).displayText
    if report.dryRun {
      out += "试运行：\(report.file) 将记录 \(report.count) 笔捐赠，共 \(total)（账本未改动）\n"
      for donation in report.donations {
        let input = donation.input
        let ref = input.reference.map { "  流水号 \($0)" } ?? ""
        out +=
          "  第 \(donation.line) 行  \(input.date?.text ?? "")  \(donation.unit.name)（\(donation.unit.code)）  \(donation.fund.name)  \(input.channel.displayName)  \(donation.display)  \(input.amount.displayText)\(ref)\n"
      }
    } else if report.count == 0 {
      out += "\(report.file) 没有新的捐赠，未写入任何记录\n"
    } else {
      let seqs =
        report.firstSeq == report.lastSeq
        ? "记录 #\(report.firstSeq ?? 0)"
        : "记录 #\(report.firstSeq ?? 0)–#\(report.lastSeq ?? 0)"
      out +=
        "已导入 \(report.file)：记录 \(report.count) 笔捐赠，共 \(total)（\(seqs)，\(report.commitCount) 次签名提交）\n"
      for line in report.totals {
        out +=
          "  \(line.unit.name)（\(line.unit.code)） \(line.fund.name) \(line.channel.displayName)：\(line.count) 笔 \(Money(fen: line.fen).displayText)\n"
      }
    }
    if !report.alreadyRecorded.isEmpty {
      let seqs = report.alreadyRecorded.map(\.seq)
      let range =
        seqs.count == 1
        ? "记录 #\(seqs[0])" : "记录 #\(seqs.min() ?? 0)–#\(seqs.max() ?? 0) 之间"
      out += "跳过 \(report.alreadyRecorded.count) 行：流水号已入账（\(range)）\n"
    }
    if report.skippedByRules > 0 {
      out += "跳过 \(report.skippedByRules) 行：规则文件说明不是捐赠（退款、支出、汇总等）\n"
    }
    if report.notIncome > 0 { out += "跳过 \(report.notIncome) 行：只有支出、没有收入\n" }
    if report.withoutReference > 0 {
      out += "注意：\(report.withoutReference) 笔没有流水号，再次导入同一文件时无法识别为已入账\n"
    }
    return out
  }

  static func json(_ report: ImportReport) -> JSONValue {
    var object: JSONObject = [
      "file": .string(report.file),
      "dryRun": .bool(report.dryRun),
      "recorded": .integer(Int64(report.count)),
      "totalFen": .integer(report.totalFen),
      "commits": .integer(Int64(report.commitCount)),
      "skippedByRules": .integer(Int64(report.skippedByRules)),
      "notIncome": .integer(Int64(report.notIncome)),
      "withoutReference": .integer(Int64(report.withoutReference)),
      "alreadyRecorded": .array(
        report.alreadyRecorded.map {
          .object([
            "line": .integer(Int64($0.line)), "reference": .string($0.reference),
            "seq": .integer($0.seq),
          ])
        }),
      "firstSeq": report.firstSeq.map { .integer($0) } ?? .null,
      "lastSeq": report.lastSeq.map { .integer($0) } ?? .null,
    ]
    if report.dryRun {
      object["donations"] = .array(
        report.donations.map { donation in
          .object([
            "line": .integer(Int64(donation.line)),
            "date": .string(donation.input.date?.text ?? ""),
            "unit": .string(donation.unit.code),
            "fund": .string(donation.fund.code),
            "channel": .string(donation.input.channel.rawValue),
            "donor": .string(donation.display),
            "donorType": .string(donation.input.donorType.rawValue),
            "amountFen": .integer(donation.input.amount.fen),
            "reference": donation.input.reference.map { .string($0) } ?? .null,
          ])
        })
    }
    return .object(object)
  }
}
