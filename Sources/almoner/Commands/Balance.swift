import AlmonerKit
import ArgumentParser

struct Balance: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "查看余额：本单位各基金各账户；街道和区级另列下辖合计；有 --from/--to 时列出期间的期初、变动和期末",
    discussion: """
      例：almoner balance --unit GA-BC --as-of 2026-06-30
          almoner balance --unit GA-BC-JSL --from 2026-11-01 --to 2026-11-30
      有发给本单位、尚未确认的划拨时，另列「待确认的划入」。
      """)

  @Option(help: "单位代码或名称（默认区级）") var unit: String?
  @Option(help: "截至日期 YYYY-MM-DD（含当日）") var asOf: String?
  @Option(help: "期间起始日期 YYYY-MM-DD（含）：列出期初、本期变动、期末，资产、收入、支出分列") var from: String?
  @Option(help: "期间截止日期 YYYY-MM-DD（含；默认今天）") var to: String?
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let asOf = try parseDate(asOf, "--as-of")
    let from = try parseDate(from, "--from")
    let to = try parseDate(to, "--to")
    if from != nil || to != nil {
      guard asOf == nil else {
        throw AlmonerError.refused(.asOfWithPeriod)
      }
      let report = try ledger.openForReading().periodBalances(unit: unit, from: from, to: to)
      return output.emit(
        text: { Rendering.periodText(report) }, json: { Rendering.periodJSON(report) })
    }
    let report = try ledger.openForReading().balances(unit: unit, asOf: asOf)
    output.emit(
      text: { Rendering.balanceText(report) }, json: { Rendering.balanceJSON(report) })
  }
}
