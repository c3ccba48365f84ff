import AlmonerKit
import ArgumentParser

struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "核验", subcommands: [LedgerCommand.self, ReceiptCommand.self, StatementCheck.self])

  struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ledger",
      abstract: "核验整本账：重算每条记录的哈希与链接、每次提交的签名和签署人权限、余额不变式，并从日志重建投影表比对",
      discussion: """
        发现问题时指出第一条有问题的记录序号，退出码 1。
        还会列出账本中最新的监督员联署检查点，以及此后多少条记录尚无监督员见证：
        账本文件无法证明自己的末尾没有被删去，只有对照账本以外保存的检查点或监督员联署记录才能发现。
        例：almoner verify ledger --witness ga-supervisor.pem.witness.json
        """)

    @Option(
      help: "同时核对一个已签发的检查点文件，或监督员的联署记录（<私钥>.witness.json）：发现末尾记录被删除、换成旧副本或历史被改写")
    var checkpoint: String?
    @Option(help: "同时核对监督员的联署记录文件（checkpoint cosign 保存的 <私钥>.witness.json）")
    var witness: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      var anchor: SignedNote?
      var memory = try witness.map { path throws(AlmonerError) in
        try WitnessMemory(parsing: Array(try readText(path, what: "监督员联署记录").utf8), path: path)
      }
      if let checkpoint {
        let text = try readText(checkpoint, what: "检查点")
        // A witness memory file is a JSON object; a checkpoint is a signed note.
        if text.utf8.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") {
          guard memory == nil else {
            throw AlmonerError.refused(.checkpointAndWitness)
          }
          memory = try WitnessMemory(parsing: Array(text.utf8), path: checkpoint)
        } else {
          anchor = try SignedNote(parsing: text)
        }
      }
      let report = try ledger.openForReading().verify(against: anchor, witness: memory)
      output.emit(
        text: { Rendering.verificationText(report) },
        json: { Rendering.verificationJSON(report) })
      if !report.isClean { throw ExitCode(1) }
    }
  }

  struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "receipt",
      abstract: "离线核验捐赠收据：不需要账本，只需要收据和信任公钥",
      discussion: """
        依次核验：记录哈希、捐赠人信息与承诺值、检查点签名及其账本 ID、监督员联署人数
        （信任文件的 witnessQuorum，未写明时至少 1 名）、包含证明；
        任何一步失败都会指出是哪一步，退出码 1。
        例：almoner verify receipt receipt.json --trust guangan-trust.json
        """)

    @Argument(help: "收据文件") var file: String
    @Option(help: "信任公钥文件（keys export 导出的 JSON；.vkeys 不含账本 ID 和联署人数要求，不能用于核验收据）")
    var trust: String
    @Option(help: "公开日志目录（almoner publish 写出的）：查看这笔捐赠后来是否被冲销")
    var log: String?

    func run() throws {
      let trustText = try readText(trust, what: "信任公钥")
      let bundle = try TrustBundle(parsing: Array(trustText.utf8))
      let receiptText = try readText(file, what: "收据")
      // A file that is not a receipt is bad input (exit 2); one that does
      // not verify, a finding (exit 1).
      let receipt = try Receipt(parsing: Array(receiptText.utf8))
      let verified = try receipt.verify(trust: bundle)
      Output.print(verified.statement)
      guard let log else { return }
      let checked = try receipt.checkAgainstPublicLog(log, trust: bundle)
      guard let reversal = checked.reversal else {
        Output.print("已对照公开日志（前 \(checked.treeSize) 条记录）核对：这笔捐赠没有被冲销。\n")
        return
      }
      var reason = ""
      if case .reversal(let body) = reversal.body { reason = "，原因：\(body.reason)" }
      Output.print(
        "但是：公开日志记录 #\(reversal.seq)（\(reversal.date)）冲销了这笔捐赠\(reason)。这笔钱已不再计入账目，请向记账员询问。\n"
      )
      throw ExitCode(1)
    }
  }

  struct StatementCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "statement",
      abstract: "离线核验公示报表：不需要账本，只需要报表和信任公钥（可加公开日志核对完整性）",
      discussion: """
        核验：报表格式；检查点签名、监督员联署人数与账本 ID；每行记录的原文、哈希和包含证明；
        签发人与会签监督员的签名及其角色（授予记录也在报表行中）；由各行重算每个基金的各项合计，
        以及 期初 + 收入 − 支出 = 期末；冲销标记。
        不加 --log 时只能证明各行真实，不能证明没有漏列；加 --log DIR（almoner publish 写出的
        公开日志）则按日志重算整张报表，指出应列而未列的记录，并核对报表确已在日志中发布、
        没有被更正报表取代（已被取代时指出更正报表，退出码 1）。
        报表写有上一期报表时，用 --previous FILE（或 --log 目录中的 statements/）核对
        本期期初余额等于上一期期末余额。
        通过退出码 0，核验不通过 1，文件或参数有误 2。
        例：almoner verify statement jsl-2026q3.json --trust trust.json --log public-log
        """)

    @Argument(help: "报表文件") var file: String
    @Option(help: "信任公钥文件（keys export 导出的 JSON）") var trust: String
    @Option(help: "公开日志目录（almoner publish 写出的）：核对完整性、是否已发布、是否已被更正") var log: String?
    @Option(help: "上一期报表文件：核对本期期初余额等于上一期期末余额") var previous: String?
    @Option(help: "结果语言：zh（默认）或 en；也可设 ALMONER_LANG") var lang: String = MessageLanguage.code

    func run() throws {
      guard lang == "zh" || lang == "en" else {
        throw AlmonerError.refused(.languageInvalid(value: lang))
      }
      let bundle = try TrustBundle(parsing: Array(try readText(trust, what: "信任公钥").utf8))
      let statement = try Statement(parsing: Array(try readText(file, what: "报表").utf8))
      let earlier = try previous.map { path throws(AlmonerError) in
        try Statement(parsing: Array(try readText(path, what: "上一期报表").utf8))
      }
      let publicLog = try log.map { directory throws(AlmonerError) in
        try PublicLog(directory: directory, trust: bundle)
      }
      let verified = try statement.verify(trust: bundle, log: publicLog, previous: earlier)
      Output.print(verified.sentence(english: lang == "en"))
    }
  }
}
