import AlmonerKit
import Foundation
import Testing

/// `almoner audit`: exit 0 clean, 1 findings, 2 could not run (the ledger
/// unchanged); text grouped by severity and unit, in Chinese or English;
/// `--record` and `audit note` as signed entries.
@Suite("CLI: audit")
struct AuditCLITests {
  /// A fixture copy whose donation at seq 9 has one digit of its amount changed.
  static func tampered() throws -> Workspace {
    let ws = try Workspace.fixture()
    let tamper = try Python.run(
      """
      import sqlite3, sys
      db = sqlite3.connect(sys.argv[1])
      body = bytearray(db.execute("SELECT canonical FROM entry WHERE seq = 9").fetchone()[0])
      i = body.index(b'"amountFen":') + len(b'"amountFen":')
      body[i] = ord("9") if body[i] != ord("9") else ord("8")
      db.execute("UPDATE entry SET canonical = ? WHERE seq = 9", (bytes(body),))
      db.commit()
      db.close()
      """, [ws.ledgerPath], in: ws.directory)
    #expect(tamper.status == 0, "\(tamper)")
    return ws
  }

  /// Conduct rules without the two notices the fixture earns by design:
  /// it records donations weeks after their dates, and publishes no
  /// statement for its third quarter.
  static let quiet = #"{"late-entry":{"enabled":false},"statement-missing":{"enabled":false}}"#

  @Test("a clean ledger: exit 0, one line saying so, and the report hash")
  func clean() throws {
    let ws = try Workspace.fixture()
    try ws.write("quiet.json", Self.quiet)
    let defaults = try ws.run("audit", "--format", "json")
    #expect(defaults.status == 1, "\(defaults)")
    let codes = (try parseJSON(defaults.stdout).objectValue?["findings"]?.arrayValue ?? [])
      .compactMap { $0.objectValue?["code"]?.stringValue }
    #expect(Set(codes) == ["late-entry", "statement-missing"], "\(defaults)")
    let result = try ws.run("audit", "--rules-file", "quiet.json")
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.hasPrefix("审计 全账本，全部期间"), "\(result)")
    #expect(result.stdout.contains("未发现问题：账目与日志一致。\n"), "\(result)")
    #expect(result.stdout.contains("报告哈希："), "\(result)")
    #expect(result.stderr.isEmpty)
    let scoped = try ws.run(
      "audit", "--unit", "北城街道", "--from", "2026-07-01", "--to", "2026-09-30", "--lang", "en",
      "--rules-file", "quiet.json")
    #expect(scoped.status == 0, "\(scoped)")
    #expect(scoped.stdout.hasPrefix("Audit of GA-BC, 2026-07-01 to 2026-09-30"), "\(scoped)")
  }

  @Test("a changed amount: exit 1, grouped by severity then unit, naming the entry")
  func tamperedText() throws {
    let ws = try Self.tampered()
    let result = try ws.run("audit")
    #expect(result.status == 1, "\(result)")
    #expect(result.stdout.contains("\n严重（"), "\(result)")
    #expect(result.stdout.contains("\n  全账本\n"), "\(result)")
    #expect(
      result.stdout.contains("✗ [entry-hash-mismatch] 记录 #9（seq 9）：内容被改动"), "\(result)")
    #expect(!result.stdout.contains("\n警告（"), "\(result)")
    let english = try ws.run("audit", "--lang", "en")
    #expect(english.status == 1, "\(english)")
    #expect(english.stdout.contains("\ncritical ("), "\(english)")
    #expect(
      english.stdout.contains(
        "✗ [entry-hash-mismatch] Entry 9 was changed: the hash of its bytes is not the stored hash. (entries 9)"
      ), "\(english)")
  }

  @Test(
    "could not run: exit 2 and the ledger unchanged",
    arguments: [
      (["audit", "--unit", "GA-XX"], "GA-XX"),
      (["audit", "--from", "2026-10-01", "--to", "2026-09-01"], "晚于"),
      (["audit", "--from", "2026-13-01"], "--from"),
      (["audit", "--lang", "fr"], "--lang"),
      (["audit", "--rules-file", "missing.json"], "missing.json"),
      (["audit", "--record"], "--key"),
      (["audit", "--record", "--key", "jsl.pem"], "监督员或管理员"),
      (["audit", "note", "3", "--text", "说明", "--key", "admin.pem"], "不是审计记录"),
    ])
  func couldNotRun(arguments: [String], phrase: String) throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    let result = try ws.run(arguments)
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.hasPrefix("错误："), "\(result)")
    #expect(result.stderr.contains(phrase), "\(result)")
    #expect(try ws.snapshot() == before)
  }

  @Test("--record signs the audit into the log; audit note answers it; both verify")
  func recordAndNote() throws {
    let ws = try Workspace.fixture()
    try ws.must(
      "member", "add", "--unit", "GA-BC", "--role", "supervisor", "--name", "路人甲", "--public-key",
      "stranger.pem.pub", "--key", "admin.pem")
    try ws.write("quiet.json", Self.quiet)
    let recorded = try ws.run(
      "audit", "--unit", "GA-BC-JSL", "--record", "--key", "stranger.pem", "--format", "json",
      "--rules-file", "quiet.json")
    #expect(recorded.status == 0, "\(recorded)")
    let report = try #require(try parseJSON(recorded.stdout).objectValue)
    let entry = try #require(report["recorded"]?.objectValue)
    let seq = try #require(entry["seq"]?.integerValue)
    // The report's hash is over the report without `recorded`, as printed.
    var unrecorded = report
    unrecorded["recorded"] = nil
    #expect(entry["reportHash"] == .string(SHA256.hash(Canonical.encode(.object(unrecorded))).hex))
    let note = try ws.run(
      "audit", "note", "\(seq)", "--text", "已核对，无需整改", "--key", "stranger.pem")
    #expect(note.status == 0, "\(note)")
    #expect(note.stdout.contains("路人甲 就记录 #\(seq) 的审计作出说明：已核对，无需整改"), "\(note)")
    let journal = try parseJSON(try ws.must("journal", "--format", "json").stdout).arrayValue ?? []
    let body = journal.compactMap(\.objectValue).first { $0["seq"]?.integerValue == seq }?["entry"]?
      .objectValue?["body"]?.objectValue
    #expect(body?["unit"] == "GA-BC-JSL")
    #expect(body?["report"] == entry["reportHash"])
    #expect(body?["findingCount"] == .integer(0))
    #expect(try ws.run("verify", "ledger").status == 0)
    #expect(try ws.run("audit", "--rules-file", "quiet.json").status == 0)
  }

  @Test("--rules lists the conduct rules; --rules-file sets them and is recorded by hash")
  func rulesFlags() throws {
    let ws = try Workspace.fixture()
    let listed = try ws.run("audit", "--rules")
    #expect(listed.status == 0, "\(listed)")
    #expect(listed.stdout.contains("split-request"), "\(listed)")
    let file =
      #"{"late-entry":{"enabled":false},"split-request":{"windowDays":3},"statement-missing":{"enabled":false}}"#
    try ws.write("rules.json", file)
    let withRules = try ws.run("audit", "--rules-file", "rules.json", "--format", "json")
    #expect(withRules.status == 0, "\(withRules)")
    let rules = try ConductRules(json: try parseJSON(file))
    #expect(rules != .defaults)
    let hash = try parseJSON(withRules.stdout).objectValue?["rules"]
    #expect(hash == .string(SHA256.hash(Canonical.encode(rules.json)).hex), "\(withRules)")
    try ws.write("bad.json", "{not json")
    #expect(try ws.run("audit", "--rules-file", "bad.json").status == 2)
    try ws.write("unknown.json", #"{"split-requests":{}}"#)
    let unknown = try ws.run("audit", "--rules-file", "unknown.json")
    #expect(unknown.status == 2, "\(unknown)")
    #expect(unknown.stderr.contains("split-requests"), "\(unknown)")
  }
}
