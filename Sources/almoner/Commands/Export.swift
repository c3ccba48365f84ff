import AlmonerKit
import ArgumentParser
import Foundation

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "导出给会计：hledger 日记账、beancount 账簿或 CSV 分录表",
    discussion: """
      每笔动用资金的记录导出为一笔交易，注明记录序号和哈希；冲销与原捐赠相互关联。
      账户名为 类型:单位代码:基金:科目，例如 Assets:GA-BC-JSL:General:Bank、
      Income:GA-BC-JSL:General:Donations:WeChat；中文名称写在注释和元数据里。
      捐赠人和收款人只导出公开的打码名。加 --from 时，之前的收支结转为一笔期初余额交易。
      CSV 每行一条分录，默认带 UTF-8 BOM，便于中文 Windows 上的 Excel 直接打开。
      例：almoner export hledger --out 账本.journal && hledger -f 账本.journal bal
          almoner export beancount --unit GA-BC --from 2026-11-01 --out 北城.beancount
          almoner export csv --out 分录.csv
      """)

  @Argument(help: "导出格式：hledger、beancount 或 csv") var format: String
  @Option(help: "单位代码或名称（含下辖单位；默认全部）") var unit: String?
  @Option(help: "起始日期 YYYY-MM-DD（含；之前的收支结转为期初余额）") var from: String?
  @Option(help: "截止日期 YYYY-MM-DD（含）") var to: String?
  @Option(help: "输出文件（默认写到标准输出）") var out: String?
  @Flag(help: "CSV 不写 BOM（给不认 BOM 的程序读）") var noBom = false
  @OptionGroup var ledger: LedgerOptions

  func run() throws {
    let chosen: ExportFormat = try parseChoice(format, "导出格式", name: \.displayName)
    if noBom && chosen != .csv { throw AlmonerError.refused(.noBomNotCSV) }
    let book = try ledger.openForReading().exportBook(
      unit: unit, from: try parseDate(from, "--from"), to: try parseDate(to, "--to"))
    let text =
      switch chosen {
      case .hledger: ExportHledger.journal(book)
      case .beancount: ExportBeancount.file(book)
      case .csv: ExportCSV.file(book, byteOrderMark: !noBom)
      }
    guard let out else {
      FileHandle.standardOutput.write(Data(text.utf8))
      return
    }
    try writeText(text, to: out, what: "导出文件", ledger: ledger.path)
    let count = book.transactions.count
    Output.print("已导出 \(count) 笔交易（\(chosen.displayName)）到 \(out)\n")
  }
}

enum ExportFormat: String, CaseIterable {
  case hledger, beancount, csv

  var displayName: String {
    switch self {
    case .hledger: "hledger 日记账"
    case .beancount: "beancount 账簿"
    case .csv: "CSV 分录表"
    }
  }
}
