import AlmonerKit
import Foundation
import Testing

/// `statement publish`, corrections, the previous statement, and the
/// statements in the public log (`publish DIR`: statements/, index.json).
@Suite("CLI: publishing statements, corrections and the public log")
struct StatementPublishCLITests {
  /// 建设路社区's October statement (oct.json), countersigned by the
  /// street's supervisor, and the trust file.
  static func countersigned() throws -> Workspace {
    let ws = try TransparencyCLITests.cosigned()
    try ws.must(
      "statement", "create", "--unit", "GA-BC-JSL", "--period", "2026-10", "--key", "jsl.pem",
      "--out", "oct.json")
    try ws.must("statement", "cosign", "oct.json", "--key", "sup-street.pem")
    try ws.must("keys", "export", "--out", "trust.json")
    return ws
  }

  /// Runs and requires exit 0, with the clock at `time`.
  @discardableResult
  static func must(_ ws: Workspace, at time: String, _ arguments: String...) throws -> CLIResult {
    let result = try ws.run(arguments, environment: ["ALMONER_FIXED_TIME": time])
    guard result.status == 0 else {
      throw HarnessError.fixtureStep(arguments.joined(separator: " "), result)
    }
    return result
  }

  /// A new checkpoint, cosigned by the street's supervisor, and the public
  /// log published from it.
  static func republish(_ ws: Workspace, at time: String = Runner.fixedTime) throws {
    try must(ws, at: time, "checkpoint", "create", "--key", "admin.pem", "--out", "cp-next.txt")
    try must(ws, at: time, "checkpoint", "cosign", "cp-next.txt", "--key", "sup-street.pem")
    try must(ws, at: time, "publish", "public-log")
  }

  static func hash(_ ws: Workspace, _ file: String) throws -> String {
    try #require(
      parseJSON(String(decoding: try ws.read(file), as: UTF8.self)).objectValue?["hash"]?
        .stringValue)
  }

  @Test(
    "statement publish: refused without a countersignature, by a stranger, or twice (exit 2, ledger unchanged)"
  )
  func publish() throws {
    let ws = try TransparencyCLITests.cosigned()
    try ws.must(
      "statement", "create", "--unit", "GA-BC-JSL", "--period", "2026-10", "--key", "jsl.pem",
      "--out", "oct.json")
    var before = try ws.snapshot()
    let unsigned = try ws.run("statement", "publish", "oct.json", "--key", "jsl.pem")
    #expect(unsigned.status == 2, "\(unsigned)")
    #expect(unsigned.stderr.contains("还没有监督员会签"), "\(unsigned)")
    #expect(try ws.snapshot() == before)

    try ws.must("statement", "cosign", "oct.json", "--key", "sup-street.pem")
    before = try ws.snapshot()
    let stranger = try ws.run("statement", "publish", "oct.json", "--key", "bc.pem")
    #expect(stranger.status == 2, "\(stranger)")
    #expect(stranger.stderr.contains("不是建设路社区（GA-BC-JSL）的记账员或管理员"), "\(stranger)")
    // A figure changed after countersigning: the signatures no longer hold.
    let text = String(decoding: try ws.read("oct.json"), as: UTF8.self)
    try ws.write(
      "edited.json", text.replacingOccurrences(of: "\"cash\":20000", with: "\"cash\":20001"))
    before = try ws.snapshot()
    let edited = try ws.run("statement", "publish", "edited.json", "--key", "jsl.pem")
    #expect(edited.status == 1, "\(edited)")
    #expect(try ws.snapshot() == before)

    let published = try ws.run("statement", "publish", "oct.json", "--key", "jsl.pem")
    #expect(published.status == 0, "\(published)")
    #expect(published.stdout.hasPrefix("已发布建设路社区（GA-BC-JSL）2026年10月的公示报表：记录 #"), "\(published)")
    before = try ws.snapshot()
    let again = try ws.run("statement", "publish", "oct.json", "--key", "jsl.pem")
    #expect(again.status == 2, "\(again)")
    #expect(again.stderr.contains("已于记录 #"), "\(again)")
    #expect(try ws.snapshot() == before)

    let journal = try parseJSON(try ws.must("journal", "--format", "json").stdout).arrayValue ?? []
    let last = try #require(journal.last?.objectValue)
    #expect(last["kind"]?.stringValue == "statement.publish")
    #expect(
      last["entry"]?.objectValue?["body"]?.objectValue?["hash"]?.stringValue
        == (try Self.hash(ws, "oct.json")))
    #expect(try ws.run("verify", "ledger").status == 0)
  }

  @Test(
    "a correction supersedes the published statement; the public log carries both and verify --log names the correction (exit 1)"
  )
  func correction() throws {
    let ws = try Self.countersigned()
    let octHash = try Self.hash(ws, "oct.json")
    try ws.must("statement", "publish", "oct.json", "--key", "jsl.pem")
    try Self.republish(ws)
    #expect(try ws.read("public-log/statements/\(octHash).json") == (try ws.read("oct.json")))
    let standing = try ws.run(
      "verify", "statement", "oct.json", "--trust", "trust.json", "--log", "public-log")
    #expect(standing.status == 0, "\(standing)")
    #expect(standing.stdout.contains("已对照公开日志核对：应列入本报表的记录全部在内"), "\(standing)")
    #expect(standing.stdout.contains("已在公开日志中以记录 #"), "\(standing)")
    #expect(standing.stdout.contains("没有被更正报表取代"), "\(standing)")

    // A second statement of October must be a correction, with a reason.
    var before = try ws.snapshot()
    let plain = try ws.run(
      "statement", "create", "--unit", "GA-BC-JSL", "--period", "2026-10", "--key", "jsl.pem",
      "--out", "oct2.json")
    #expect(plain.status == 2, "\(plain)")
    #expect(plain.stderr.contains("--correction-reason"), "\(plain)")
    #expect(try ws.snapshot() == before)
    let noneToCorrect = try ws.run(
      "statement", "create", "--unit", "GA-BC-WHL", "--period", "2026-10", "--key", "admin.pem",
      "--correction-reason", "补记", "--out", "whl.json")
    #expect(noneToCorrect.status == 2, "\(noneToCorrect)")
    #expect(noneToCorrect.stderr.contains("还没有发布过报表，没有可更正的"), "\(noneToCorrect)")

    // A gift of October recorded late, then the correction.
    try ws.must(
      "donate", "--unit", "GA-BC-JSL", "--amount", "50", "--donor", "补记人", "--date", "2026-10-20",
      "--key", "jsl.pem")
    try ws.must("checkpoint", "create", "--key", "admin.pem", "--out", "cp3.txt")
    try ws.must("checkpoint", "cosign", "cp3.txt", "--key", "sup-street.pem")
    try ws.must(
      "statement", "create", "--unit", "GA-BC-JSL", "--period", "2026-10", "--key", "jsl.pem",
      "--correction-reason", "补记10月20日的一笔捐赠", "--out", "oct2.json")
    let oct2Hash = try Self.hash(ws, "oct2.json")
    let header = try #require(
      parseJSON(String(decoding: try ws.read("oct2.json"), as: UTF8.self)).objectValue?[
        "statement"]?.objectValue)
    #expect(
      header["supersedes"]
        == .object(["hash": .string(octHash), "reason": .string("补记10月20日的一笔捐赠")]))
    try ws.must("statement", "cosign", "oct2.json", "--key", "sup-street.pem")
    try ws.must("statement", "publish", "oct2.json", "--key", "jsl.pem")
    try Self.republish(ws)

    before = try ws.snapshot()
    let superseded = try ws.run(
      "verify", "statement", "oct.json", "--trust", "trust.json", "--log", "public-log")
    #expect(superseded.status == 1, "\(superseded)")
    #expect(superseded.stderr.contains("这份报表已被更正"), "\(superseded)")
    #expect(superseded.stderr.contains(oct2Hash), "\(superseded)")
    #expect(superseded.stderr.contains("更正原因：补记10月20日的一笔捐赠"), "\(superseded)")
    let corrected = try ws.run(
      "verify", "statement", "oct2.json", "--trust", "trust.json", "--log", "public-log")
    #expect(corrected.status == 0, "\(corrected)")
    #expect(try ws.snapshot() == before)

    let index = try #require(
      parseJSON(String(decoding: try ws.read("public-log/statements/index.json"), as: UTF8.self))
        .objectValue)
    let listed = index["statements"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(listed.map { $0["hash"]?.stringValue } == [octHash, oct2Hash])
    #expect(listed.first?["supersededBy"] == .string(oct2Hash))
    #expect(listed.last?["supersedes"] == .string(octHash))
    #expect(listed.last?["supersededBy"] == .null)
    #expect(listed.allSatisfy { $0["unit"] == "GA-BC-JSL" && $0["period"] == "2026-10" })
    #expect(try ws.read("public-log/statements/\(oct2Hash).json") == (try ws.read("oct2.json")))
    // Publishing again writes only what is new.
    let again = try parseJSON(try ws.must("publish", "public-log", "--format", "json").stdout)
    #expect(again.objectValue?["statementsWritten"] == .integer(0))
  }

  @Test(
    "the next period names the previous statement and opens with its closing balances; a gap is refused until the previous is corrected"
  )
  func previous() throws {
    let ws = try Self.countersigned()
    let octHash = try Self.hash(ws, "oct.json")
    try ws.must("statement", "publish", "oct.json", "--key", "jsl.pem")
    let december = "2026-12-02T02:00:00Z"
    // A gift of October recorded after October's statement was published.
    try Self.must(
      ws, at: december, "donate", "--unit", "GA-BC-JSL", "--amount", "50", "--donor", "补记人",
      "--date", "2026-10-25", "--key", "jsl.pem")
    try Self.must(ws, at: december, "checkpoint", "create", "--key", "admin.pem", "--out", "d.txt")
    try Self.must(ws, at: december, "checkpoint", "cosign", "d.txt", "--key", "sup-street.pem")
    let before = try ws.snapshot()
    let gap = try ws.run(
      [
        "statement", "create", "--unit", "GA-BC-JSL", "--period", "2026-11", "--key", "jsl.pem",
        "--out", "nov.json",
      ], environment: ["ALMONER_FIXED_TIME": december])
    #expect(gap.status == 2, "\(gap)")
    #expect(gap.stderr.contains("的期初余额 ¥"), "\(gap)")
    #expect(gap.stderr.contains("与上一期（2026-10）报表的期末余额 ¥"), "\(gap)")
    #expect(try ws.snapshot() == before)

    try Self.must(
      ws, at: december, "statement", "create", "--unit", "GA-BC-JSL", "--period", "2026-10",
      "--key", "jsl.pem", "--correction-reason", "补记10月25日的捐赠", "--out", "oct2.json")
    try Self.must(ws, at: december, "statement", "cosign", "oct2.json", "--key", "sup-street.pem")
    try Self.must(ws, at: december, "statement", "publish", "oct2.json", "--key", "jsl.pem")
    let oct2Hash = try Self.hash(ws, "oct2.json")
    try Self.must(
      ws, at: december, "statement", "create", "--unit", "GA-BC-JSL", "--period", "2026-11",
      "--key", "jsl.pem", "--out", "nov.json")
    let header = try #require(
      parseJSON(String(decoding: try ws.read("nov.json"), as: UTF8.self)).objectValue?["statement"]?
        .objectValue)
    #expect(header["previous"] == .string(oct2Hash))
    try Self.must(ws, at: december, "statement", "cosign", "nov.json", "--key", "sup-street.pem")
    try Self.must(ws, at: december, "statement", "publish", "nov.json", "--key", "jsl.pem")
    try Self.republish(ws, at: december)

    let unchecked = try ws.run("verify", "statement", "nov.json", "--trust", "trust.json")
    #expect(unchecked.status == 0, "\(unchecked)")
    #expect(unchecked.stdout.contains("未核对期初余额与上一期报表"), "\(unchecked)")
    let withFile = try ws.run(
      "verify", "statement", "nov.json", "--trust", "trust.json", "--previous", "oct2.json")
    #expect(withFile.status == 0, "\(withFile)")
    #expect(withFile.stdout.contains("各基金期初余额与上一期报表"), "\(withFile)")
    let withLog = try ws.run(
      "verify", "statement", "nov.json", "--trust", "trust.json", "--log", "public-log")
    #expect(withLog.status == 0, "\(withLog)")
    #expect(withLog.stdout.contains("各基金期初余额与上一期报表"), "\(withLog)")
    // A correction (supersedes) and a statement with a previous one fit the schema.
    if Python.hasJSONSchema {
      let batch = SchemaBatch(ws)
      for file in ["oct2.json", "nov.json"] {
        try batch.add(
          file, schema: "statement.schema.json",
          json: String(decoding: try ws.read(file), as: UTF8.self))
      }
      try batch.validate()
    }
    // The superseded October statement is not the previous one.
    let wrong = try ws.run(
      "verify", "statement", "nov.json", "--trust", "trust.json", "--previous", "oct.json")
    #expect(wrong.status == 1, "\(wrong)")
    #expect(wrong.stderr.contains("（期初余额）：给出的上一期报表（哈希 \(octHash)）"), "\(wrong)")
  }

  @Test(
    "verify_statement.py verifies a receipt, and fails a changed amount or donor",
    .enabled(if: Python.has("cryptography"), "needs python3 with cryptography"))
  func pythonReceipt() throws {
    let ws = try TransparencyCLITests.cosigned()
    try ws.must("receipt", "10", "--out", "receipt.json")
    try ws.must("keys", "export", "--out", "trust.json")
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: ws.ledgerPath + suffix)
    }
    let good = try StatementScriptCLITests.check(ws, "receipt.json")
    #expect(good.status == 0, "\(good)")
    #expect(good.stdout.hasPrefix("receipt ok: "), "\(good)")
    #expect(good.stdout.contains("in the checkpoint of"), "\(good)")

    let receipt = try #require(
      parseJSON(String(decoding: try ws.read("receipt.json"), as: UTF8.self)).objectValue)
    func tampered(_ name: String, _ edit: (inout JSONObject) -> Void) throws -> CLIResult {
      var copy = receipt
      edit(&copy)
      #expect(copy != receipt, "the edit \(name) changed nothing")
      try ws.write(name, bytes: Canonical.encode(.object(copy)))
      return try StatementScriptCLITests.check(ws, name)
    }
    let amount = try tampered("amount.json") {
      $0["entry"] = .string(
        ($0["entry"]?.stringValue ?? "").replacingOccurrences(
          of: "\"amountFen\":", with: "\"amountFen\":1"))
    }
    #expect(amount.status == 1, "\(amount)")
    #expect(amount.stdout.hasPrefix("FAIL: inclusion: "), "\(amount)")
    let donor = try tampered("donor.json") {
      var donor = $0["donor"]?.objectValue ?? [:]
      donor["personal"] = .string(#"{"name":"冒名人"}"#)
      $0["donor"] = .object(donor)
    }
    #expect(donor.status == 1, "\(donor)")
    #expect(donor.stdout.hasPrefix("FAIL: donor: "), "\(donor)")
    let proof = try tampered("proof.json") {
      $0["proof"] = .string(
        ($0["proof"]?.stringValue ?? "").replacingOccurrences(of: "index 10\n", with: "index 9\n"))
    }
    #expect(proof.status == 1, "\(proof)")
    #expect(proof.stdout.hasPrefix("FAIL: proof: "), "\(proof)")
  }
}
