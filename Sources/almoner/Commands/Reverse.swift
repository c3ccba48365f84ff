import AlmonerKit
import ArgumentParser

struct Reverse: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "冲销一条记录（目前限捐赠）：记录不删改，另记一条反向记录",
    discussion: "例：almoner reverse 17 --reason 重复录入 --key wangfang.pem")

  @Argument(help: "要冲销的记录序号") var seq: Int64
  @Option(help: "冲销原因") var reason: String
  @Option(help: "记账日期 YYYY-MM-DD（默认今天；可记在未对账的本期内，不早于原记录）") var date: String?
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var key: KeyOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let day = try parseDate(date, "--date")
    let signer = try key.load()
    let book = try ledger.open()
    let appended = try book.reverse(seq: seq, reason: reason, date: day, signer: signer)
    output.confirm(
      book, appended,
      text: { "已冲销记录 #\(seq) 记录（记录 #\(appended.seq)）\n" },
      json: { Rendering.appendedJSON(appended) })
  }
}
