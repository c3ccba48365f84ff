import AlmonerKit
import ArgumentParser

struct Journal: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "查看流水：按序号列出记录，可按单位（含下辖）和日期筛选",
    discussion: "例：almoner journal --unit GA-BC --from 2026-07-01 --to 2026-09-30")

  @Option(help: "单位代码或名称（含下辖单位）") var unit: String?
  @Option(help: "起始日期 YYYY-MM-DD（含）") var from: String?
  @Option(help: "截止日期 YYYY-MM-DD（含）") var to: String?
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let lines = try ledger.openForReading().journal(
      unit: unit, from: try parseDate(from, "--from"), to: try parseDate(to, "--to"))
    output.emit(
      text: { Rendering.journalText(lines) }, json: { Rendering.journalJSON(lines) })
  }
}
