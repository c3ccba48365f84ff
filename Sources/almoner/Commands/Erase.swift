import AlmonerKit
import ArgumentParser

struct Erase: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "按本人要求删除一条记录另存的个人信息（捐赠人或个人收款人的姓名与盐）",
    discussion: """
      由该记录所属单位（或其上级）的管理员签署。个人信息被删除，同时记入一条「删除个人信息」记录
      （只写记录序号和删除依据，不含任何个人信息），两者在同一次提交中完成。
      哈希链照常核验；捐赠人手中已有的收据仍可核验，但之后不能再为这笔捐赠开具收据。
      删除依据（--reason）：\(ErasureReason.allCases.map { "\($0.rawValue)（\($0.displayName)）" }.joined(separator: "、"))。
      例：almoner erase 1234 --key ga-admin.pem
      """)

  @Argument(help: "个人信息所属的记录序号（捐赠，或付给个人的支出申请）") var seq: Int64
  @Option(help: "删除依据") var reason: ErasureReason = .request
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var key: KeyOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let signer = try key.load()
    let appended = try ledger.open().erase(seq: seq, reason: reason, signer: signer)
    output.emit(
      text: { "已删除记录 #\(seq) 的个人信息（记录 #\(appended.seq)：\(reason.displayName)）\n" },
      json: { Rendering.appendedJSON(appended) })
  }
}
