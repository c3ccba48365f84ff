import AlmonerKit
import ArgumentParser

struct Balance: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "查看余额：本单位各基金各账户；街道和区级另列下辖合计",
    discussion: "例：almoner balance --unit GA-BC --as-of 2026-06-30")

  @Option(help: "单位代码或名称（默认区级）") var unit: String?
  @Option(help: "截至日期 YYYY-MM-DD（含当日）") var asOf: String?
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let asOf = try parseDate(asOf, "--as-of")
    let report = try ledger.openForReading().balances(unit: unit, asOf: asOf)
    output.emit(
      text: { Rendering.balanceText(report) }, json: { Rendering.balanceJSON(report) })
  }
}
