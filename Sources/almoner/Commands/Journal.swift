import AlmonerKit
import ArgumentParser

struct Journal: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "查看流水：按序号列出记录，可按单位（含下辖）、日期、类型、账户、外部单号、捐赠人和签名人筛选",
    discussion: """
      例：almoner journal --unit GA-BC --from 2026-07-01 --to 2026-09-30
          almoner journal --kind donation --donor 张 --account bank
          almoner journal --signer 王芳 --ref WX20261103001
      被冲销的记录标「已冲销 #N」，冲销记录标「冲销 #N」。
      """)

  @Option(help: "单位代码或名称（含下辖单位）") var unit: String?
  @Option(help: "起始日期 YYYY-MM-DD（含）") var from: String?
  @Option(help: "截止日期 YYYY-MM-DD（含）") var to: String?
  @Option(help: "记录类型，例如 donation、reversal、allocation（所有划拨类）、disbursement 或中文名；可多次使用")
  var kind: [String] = []
  @Option(help: "账户，例如 bank、cash、in-transit、income、expenses、assets:bank 或 银行存款") var account:
    String?
  @Option(help: "外部单号（捐赠的 --ref），完全一致") var ref: String?
  @Option(help: "捐赠人（按记录中显示的文字匹配，个人为脱敏后的名字，例如 张*）") var donor: String?
  @Option(help: "签名人：密钥 ID 或成员姓名（含其换过的密钥）") var signer: String?
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    var filter = JournalFilter(
      unit: unit, from: try parseDate(from, "--from"), to: try parseDate(to, "--to"),
      kinds: kind, account: account, reference: ref, donor: donor, signer: signer)
    let book = try ledger.openForReading()
    filter.lastSeq = try book.entryCount() - 1
    let stream: ((JournalLine) throws -> Void) throws -> Void = { each in
      try book.journal(filter, each: each)
    }
    if output.format == .json {
      try Rendering.streamJournalJSON(stream, write: Output.printJSON)
    } else {
      try Rendering.streamJournalText(stream, write: Output.print)
    }
  }
}
