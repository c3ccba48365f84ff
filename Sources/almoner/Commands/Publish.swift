import AlmonerKit
import ArgumentParser

struct Publish: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "把账本发布为公开日志（C2SP tlog-tiles 静态文件），供居民离线核验",
    discussion: """
      写入 DIR：最新一个有监督员联署的检查点（checkpoint）、它覆盖的全部记录的
      哈希瓦片（tile/<层>/…）和记录包（tile/entries/…）、信任公钥（trust.json），
      以及已发布的公示报表（statements/<报表哈希>.json）和报表索引（statements/index.json：
      单位、期间、范围、哈希、发布记录序号、被哪份更正报表取代）。
      记录里没有个人信息（捐赠人只有打码名和承诺值），整个日志可以公开；
      DIR 可直接由任何静态网站服务器提供，或拷到 U 盘。再次发布只写新增的文件。
      例：almoner publish public-log
      """)

  @Argument(help: "发布目录（不存在则创建）") var directory: String
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let published = try ledger.openForReading().publish(to: directory)
    let checkpoint = published.checkpoint
    output.emit(
      text: {
        """
        已发布到 \(directory)：前 \(checkpoint.treeSize) 条记录（记录 #\(checkpoint.seq) 的检查点，\(published.cosigners.joined(separator: "、")) 联署）
          新写入哈希瓦片 \(published.tilesWritten) 个、记录包 \(published.bundlesWritten) 个、公示报表 \(published.statementsWritten) 份；已有未改动的 \(published.tilesKept + published.bundlesKept + published.statementsKept) 个

        """
      },
      json: {
        .object([
          "directory": .string(directory), "checkpointSeq": .integer(checkpoint.seq),
          "treeSize": .integer(checkpoint.treeSize), "root": .string(checkpoint.rootHash.hex),
          "tilesWritten": .integer(Int64(published.tilesWritten)),
          "bundlesWritten": .integer(Int64(published.bundlesWritten)),
          "statementsWritten": .integer(Int64(published.statementsWritten)),
          "unchanged": .integer(
            Int64(published.tilesKept + published.bundlesKept + published.statementsKept)),
        ])
      })
  }
}
