import AlmonerKit
import ArgumentParser

struct ReceiptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "receipt",
    abstract: "为一笔捐赠开具收据：记录原文、捐赠人信息的开启值，以及检查点覆盖后的包含证明",
    discussion: "收据含捐赠人姓名，只交给捐赠人本人。例：almoner receipt 1234 --out receipt.json")

  @Argument(help: "捐赠记录序号") var seq: Int64
  @Option(help: "收据文件") var out: String
  @OptionGroup var ledger: LedgerOptions

  func run() throws {
    let receipt = try ledger.openForReading().receipt(seq: seq)
    try writeText(Rendering.json(receipt.json), to: out, what: "收据文件", ledger: ledger.path)
    let covered = receipt.proof == nil ? "；尚无检查点覆盖这条记录，签发检查点后请重新开具" : "，含包含证明"
    Output.print("已开具记录 #\(seq) 的收据：\(out)\(covered)\n")
  }
}
