import AlmonerKit
import Foundation
import Testing

/// Security issue 7, items 5–7 through the CLI: receipts need the witness
/// quorum and the trusted ledger id, notes are read byte for byte, cosign
/// timestamps increase, and `verify ledger` says what it can't prove.
@Suite("CLI: witness quorum, signed-note bytes, truncation")
struct WitnessCLITests {
  /// The fixture plus a street supervisor, and a receipt for the first
  /// donation covered by a checkpoint that `cosigners` supervisors cosigned.
  static func receipt(cosigned: Bool) throws -> (ws: Workspace, seq: Int64) {
    let ws = try Workspace.fixture()
    try ws.must("key", "new", "--name", "sup-street", "--out", "sup-street.pem")
    try ws.must(
      "member", "add", "--unit", "GA-BC", "--role", "监督员", "--name", "sup-street",
      "--public-key", "sup-street.pem.pub", "--key", "admin.pem")
    try ws.must("checkpoint", "create", "--key", "admin.pem", "--out", "cp.txt")
    if cosigned { try ws.must("checkpoint", "cosign", "cp.txt", "--key", "sup-street.pem") }
    let journal = try parseJSON(try ws.must("journal", "--format", "json").stdout).arrayValue ?? []
    let seq = try #require(
      journal.first { $0.objectValue?["kind"]?.stringValue == "donation" }?.objectValue?["seq"]?
        .integerValue)
    try ws.must("receipt", "\(seq)", "--out", "receipt.json")
    try ws.must("keys", "export", "--out", "trust.json")
    return (ws, seq)
  }

  @Test("verify receipt: no cosignature fails with the quorum named (exit 1); one passes")
  func quorum() throws {
    let (ws, _) = try WitnessCLITests.receipt(cosigned: false)
    let trust = try parseJSON(String(decoding: try ws.read("trust.json"), as: UTF8.self))
    #expect(trust.objectValue?["witnessQuorum"]?.integerValue == 1)
    let result = try ws.run("verify", "receipt", "receipt.json", "--trust", "trust.json")
    #expect(result.status == 1, "\(result)")
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.hasPrefix("错误：第 6 步（监督员联署）失败：信任文件要求至少 1 名街道或区级监督员"),
      "\(result.stderr)")

    let (witnessed, seq) = try WitnessCLITests.receipt(cosigned: true)
    let passed = try witnessed.run("verify", "receipt", "receipt.json", "--trust", "trust.json")
    #expect(passed.status == 0, "\(passed)")
    #expect(passed.stdout.contains("是账本记录 #\(seq)"))
    #expect(passed.stdout.contains("并由 sup-street 联署"))
    // --quorum 2 with one supervisor on the ledger is bad input.
    let two = try witnessed.run("keys", "export", "--out", "two.json", "--quorum", "2")
    #expect(two.status == 2, "\(two)")
    #expect(two.stderr.contains("不能要求 2 名联署"))
    #expect(!FileManager.default.fileExists(atPath: witnessed.path("two.json")))
  }

  @Test("verify receipt: a receipt from another ledger with the same origin and keys fails")
  func otherLedger() throws {
    let (ws, _) = try WitnessCLITests.receipt(cosigned: true)
    // The admin key holder starts a second ledger under the same origin, with
    // the same supervisor, and issues a cosigned receipt from it.
    let origin = try #require(
      String(decoding: try ws.read("cp.txt"), as: UTF8.self).split(separator: "\n").first)
    func onFork(_ arguments: String...) throws {
      let result = try ws.run(arguments + ["--ledger", "forked.db"])
      #expect(result.status == 0, "\(arguments): \(result)")
    }
    try onFork(
      "init", "--district", "GA", "--name", "广安区", "--admin-name", "李明（另一本）", "--key",
      "admin.pem", "--origin", String(origin))
    try onFork("unit", "add", "GA-BC", "--name", "北城街道", "--parent", "GA", "--key", "admin.pem")
    try onFork(
      "member", "add", "--unit", "GA-BC", "--role", "监督员", "--name", "sup-street",
      "--public-key", "sup-street.pem.pub", "--key", "admin.pem")
    try onFork(
      "member", "add", "--unit", "GA", "--role", "treasurer", "--name", "陈静", "--public-key",
      "ga.pem.pub", "--key", "admin.pem")
    try onFork("donate", "--unit", "GA", "--amount", "1", "--donor", "张三", "--key", "ga.pem")
    try onFork("checkpoint", "create", "--key", "admin.pem", "--out", "forked-cp.txt")
    try onFork(
      "checkpoint", "cosign", "forked-cp.txt", "--key", "sup-street.pem", "--state",
      "forked.witness.json")
    try onFork("receipt", "4", "--out", "forked-receipt.json")
    func ledgerID(_ path: String) throws -> JSONValue? {
      try parseJSON(try ws.must("verify", "ledger", "--format", "json", "--ledger", path).stdout)
        .objectValue?["ledgerId"]
    }
    #expect(try ledgerID("forked.db") != ledgerID("almoner.db"))
    let result = try ws.run("verify", "receipt", "forked-receipt.json", "--trust", "trust.json")
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.hasPrefix("错误：第 5 步（检查点签名）失败：收据来自另一本账"), "\(result.stderr)")
  }

  @Test("verify receipt: an unknown key's line starting with a combining mark is ignored")
  func combiningMarkLine() throws {
    let (ws, _) = try WitnessCLITests.receipt(cosigned: true)
    var receipt = try Receipt(parsing: Array(try ws.read("receipt.json")))
    let junk = Data([1, 2, 3, 4] + Array(repeating: UInt8(9), count: 64)).base64EncodedString()
    receipt.proof = try #require(receipt.proof) + "— \u{301}anyone.example \(junk)\n"
    try ws.write("marked.json", bytes: Canonical.encode(receipt.json))
    let result = try ws.run("verify", "receipt", "marked.json", "--trust", "trust.json")
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.hasPrefix("核验通过："))
  }

  @Test(
    "checkpoint cosign: two cosigns by one supervisor in the same second get increasing timestamps")
  func cosignTimestamps() throws {
    let (ws, _) = try WitnessCLITests.receipt(cosigned: true)
    try ws.must("checkpoint", "create", "--key", "admin.pem", "--out", "cp2.txt")
    try ws.must("checkpoint", "cosign", "cp2.txt", "--key", "sup-street.pem")
    func timestamp(_ file: String) throws -> UInt64 {
      let note = try SignedNote(parsing: String(decoding: try ws.read(file), as: UTF8.self))
      return try #require(note.signatures.last?.cosignatureTimestamp)
    }
    let first = try timestamp("cp.txt")
    #expect(try timestamp("cp2.txt") == first + 1)
    let memory = try parseJSON(
      String(decoding: try ws.read("sup-street.pem.witness.json"), as: UTF8.self))
    #expect(
      memory.objectValue?.members.first?.value.objectValue?["time"]?.integerValue
        == Int64(first + 1))
    #expect(try ws.run("verify", "ledger").status == 0)
  }

  @Test(
    "verify ledger: reports the newest cosigned checkpoint; an older copy fails against the witness file"
  )
  func truncation() throws {
    let (ws, _) = try WitnessCLITests.receipt(cosigned: false)
    // An older copy, taken before the supervisor cosigned.
    for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: ws.ledgerPath + suffix)
    {
      try FileManager.default.copyItem(
        atPath: ws.ledgerPath + suffix, toPath: ws.path("older.db") + suffix)
    }
    try ws.must("donate", "--unit", "GA", "--amount", "1", "--donor", "钱七", "--key", "ga.pem")
    try ws.must("checkpoint", "create", "--key", "admin.pem", "--out", "cp2.txt")
    try ws.must("checkpoint", "cosign", "cp2.txt", "--key", "sup-street.pem")
    let size = try #require(
      Int64(String(decoding: try ws.read("cp2.txt"), as: UTF8.self).split(separator: "\n")[1]))

    let text = try ws.run("verify", "ledger", "--witness", "sup-street.pem.witness.json")
    #expect(text.status == 0, "\(text)")
    #expect(
      text.stdout.contains(
        "监督员见证：最新的联署检查点是记录 #\(size)，覆盖前 \(size) 条记录（联署：sup-street）；此后 2 条记录"),
      "\(text.stdout)")
    #expect(text.stdout.contains("账本文件无法证明自己的末尾没有被删去"))
    let json = try ws.run("verify", "ledger", "--format", "json")
    let report = try #require(try parseJSON(json.stdout).objectValue)
    #expect(report["unwitnessedEntries"]?.integerValue == 2)
    #expect(report["cosignedCheckpoint"]?.objectValue?["seq"]?.integerValue == size)
    let batch = SchemaBatch(ws)
    try batch.add("verify ledger, cosigned", schema: "verify-ledger.schema.json", json: json.stdout)
    try batch.validate()

    for flag in ["--witness", "--checkpoint"] {
      let older = try ws.run(
        "verify", "ledger", "--ledger", "older.db", flag, "sup-street.pem.witness.json")
      #expect(older.status == 1, "\(flag): \(older)")
      #expect(older.stdout.contains("少于监督员联署过的 \(size) 条：此后的记录被删除了"), "\(older.stdout)")
    }
    // By itself the older copy verifies: no file can prove its own tail.
    #expect(try ws.run("verify", "ledger", "--ledger", "older.db").status == 0)
  }
}
