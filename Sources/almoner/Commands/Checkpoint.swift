import AlmonerKit
import ArgumentParser
import Foundation

struct CheckpointCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "checkpoint",
    abstract: "检查点：签发账本的默克尔树根（C2SP tlog-checkpoint），由监督员联署",
    subcommands: [Create.self, Cosign.self, Show.self])

  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "签发检查点（区级管理员或记账员签署），覆盖此前全部记录",
      discussion: "例：almoner checkpoint create --key ga-admin.pem --out cp.txt")

    @Option(help: "把签名后的检查点写入此文件（默认只打印）") var out: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let signer = try key.load()
      // Checked before anything is signed; written with the entry or not at all.
      let file = try out.map { path throws(AlmonerError) in
        try StagedFile(path: path, what: "检查点文件", ledger: ledger.path)
      }
      let (appended, note) = try ledger.open().createCheckpoint(signer: signer) {
        note throws(AlmonerError) in try file?.write(note.serialized)
      }
      try file?.place()
      output.emit(
        text: {
          "已签发检查点（记录 #\(appended.seq)），覆盖前 \(appended.seq) 条记录：\n\n\(note.serialized)"
        },
        json: {
          .object([
            "seq": .integer(appended.seq), "treeSize": .integer(appended.seq),
            "note": .string(note.serialized),
          ])
        })
    }
  }

  struct Cosign: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "监督员联署检查点：先核对与自己上次联署的检查点是否一致，再加上联署签名",
      discussion: """
        监督员的联署记录保存在 --state 文件（默认为私钥文件名加 .witness.json），
        不在账本里，所以账本被改写也瞒不过监督员。联署后的检查点写回 FILE。
        同一监督员的联署时间戳严格递增：与上次联署同一秒（或更早）时顺延为上次加 1 秒。
        例：almoner checkpoint cosign cp.txt --key ga-supervisor.pem
        """)

    @Argument(help: "检查点文件（checkpoint create --out 写出的）") var file: String
    @Option(help: "监督员自己的联署记录文件（默认：<私钥>.witness.json）") var state: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let text = try readText(file, what: "检查点")
      let signer = try key.load()
      let statePath = state ?? (key.path ?? "supervisor") + ".witness.json"
      var memory = try WitnessMemory.load(statePath)
      let now = UInt64(max(0, LedgerClock.fromEnvironment().now().timeIntervalSince1970))
      // Both files are checked before anything is signed, and written with
      // the entry or not at all.
      let noteFile = try StagedFile(path: file, what: "检查点文件", ledger: ledger.path)
      let stateFile = try StagedFile(path: statePath, what: "监督记录", ledger: ledger.path)
      let (appended, note) = try ledger.open().cosignCheckpoint(
        text, signer: signer, memory: &memory, now: now
      ) { note, memory throws(AlmonerError) in
        try stateFile.write(memory.serialized)
        try noteFile.write(note.serialized)
      }
      try stateFile.place()
      try noteFile.place()
      output.emit(
        text: { "已联署检查点（记录 #\(appended.seq)），已写回 \(file)\n" },
        json: { Rendering.appendedJSON(appended) })
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "列出已签发的检查点及其联署人")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let summaries = try ledger.openForReading().checkpoints()
      output.emit(
        text: { Rendering.checkpointsText(summaries) },
        json: { Rendering.checkpointsJSON(summaries) })
    }
  }
}

func readText(_ path: String, what: String) throws(AlmonerError) -> String {
  guard let data = FileManager.default.contents(atPath: path) else {
    throw .refused(.fileUnreadable(what: what, path: path))
  }
  // Strict: invalid UTF-8 is refused, never repaired into U+FFFD.
  guard let text = String(validating: data, as: UTF8.self) else {
    throw .refused(.fileNotUTF8(what: what, path: path))
  }
  return text
}

/// Writes a whole file atomically, checked as `StagedFile` checks it.
func writeText(
  _ text: String, to path: String, what: String = "文件", ledger: String? = nil
) throws(AlmonerError) {
  let file = try StagedFile(path: path, what: what, ledger: ledger)
  try file.write(text)
  try file.place()
}
