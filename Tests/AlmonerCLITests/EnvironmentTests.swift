import AlmonerKit
import Foundation
import Testing

/// Ledgers the user may only read, a disk that is full, errors as JSON, and
/// files that are not what a command expects.
@Suite("CLI: read-only ledgers, full disks, JSON errors")
struct EnvironmentTests {
  static let readCommands: [[String]] = [
    ["verify", "ledger"], ["balance"], ["balance", "--unit", "GA-BC", "--format", "json"],
    ["journal"], ["journal", "--format", "json"],
  ]

  /// Copies the fixture ledger into `ro/`, as a supervisor's copy would be.
  private static func readOnlyCopy(_ ws: Workspace) throws {
    try FileManager.default.createDirectory(
      atPath: ws.path("ro"), withIntermediateDirectories: false)
    try FileManager.default.copyItem(atPath: ws.ledgerPath, toPath: ws.path("ro/almoner.db"))
  }

  @Test(
    "verify, balance, journal on a 0444 ledger in a 0555 folder, run by a user who can only read",
    .enabled(if: SystemTools.canRunAsNobody, "needs root and setpriv to run as nobody"))
  func readOnlyForAnotherUser() throws {
    let ws = try Workspace.fixture()
    try EnvironmentTests.readOnlyCopy(ws)
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o444], ofItemAtPath: ws.path("ro/almoner.db"))
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: ws.path("ro"))
    defer {
      try? FileManager.default.setAttributes(
        [.posixPermissions: 0o755], ofItemAtPath: ws.path("ro"))
    }
    // A key nobody may read, for the write that must be refused.
    try FileManager.default.copyItem(atPath: ws.path("jsl.pem"), toPath: ws.path("nobody.pem"))
    try FileManager.default.setAttributes(
      [.ownerAccountID: 65534, .posixPermissions: 0o600], ofItemAtPath: ws.path("nobody.pem"))
    let before = try ws.read("ro/almoner.db")
    for command in EnvironmentTests.readCommands {
      let expected = try ws.run(command)
      let result = try SystemTools.runAsNobody(ws, command + ["--ledger", "ro/almoner.db"])
      #expect(result.status == 0, "\(command): \(result)")
      #expect(result.stdout == expected.stdout, "\(command)")
      #expect(result.stderr.isEmpty, "\(command): \(result)")
    }
    let write = try SystemTools.runAsNobody(
      ws,
      [
        "donate", "--unit", "GA-BC-JSL", "--amount", "1", "--donor", "张三", "--key", "nobody.pem",
        "--ledger", "ro/almoner.db", "--format", "json",
      ])
    #expect(write.status == 3, "\(write)")
    let error = try parseJSON(write.stderr).objectValue?["error"]?.objectValue
    #expect(error?["code"] == "ledger-read-only")
    #expect(error?["kind"] == "failure")
    #expect(error?["message"]?.stringValue?.contains("只读") == true, "\(write)")
    #expect(try ws.read("ro/almoner.db") == before)
    let files = try FileManager.default.contentsOfDirectory(atPath: ws.path("ro"))
    #expect(files == ["almoner.db"], "nothing was created beside the ledger")
  }

  @Test(
    "verify, balance, journal on an immutable ledger in an immutable folder (binds root too)",
    .enabled(if: SystemTools.canMakeImmutable, "needs chattr +i (root on ext4)"))
  func readOnlyImmutable() throws {
    let ws = try Workspace.fixture()
    try EnvironmentTests.readOnlyCopy(ws)
    try SystemTools.setImmutable(true, ["ro/almoner.db", "ro"], in: ws)
    defer { try? SystemTools.setImmutable(false, ["ro", "ro/almoner.db"], in: ws) }
    for command in EnvironmentTests.readCommands {
      let expected = try ws.run(command)
      let result = try ws.run(command + ["--ledger", "ro/almoner.db"])
      #expect(result.status == 0, "\(command): \(result)")
      #expect(result.stdout == expected.stdout, "\(command)")
    }
    let write = try ws.run(
      "donate", "--unit", "GA-BC-JSL", "--amount", "1", "--donor", "张三", "--key", "jsl.pem",
      "--ledger", "ro/almoner.db")
    #expect(write.status == 3, "\(write)")
    #expect(write.stderr.hasPrefix("错误：账本 ro/almoner.db 是只读的"), "\(write)")
  }

  @Test(
    "a full disk: exit 3 saying so (JSON code disk-full), nothing half-written; reading still works",
    .enabled(if: SystemTools.canMountTmpfs, "needs root to mount a tmpfs in a private namespace"))
  func fullDisk() throws {
    let ws = try Workspace.fixture()
    let journalBefore = try ws.must("journal", "--format", "json").stdout
    let entriesBefore = try parseJSON(journalBefore).arrayValue ?? []
    var sawFull = false
    // With no room at all SQLite can't open the ledger; with a few pages
    // free it opens, then can't commit; with enough, the donation lands.
    for freeKiB in [0, 16, 40, 48, 64, 96, 160] {
      try FileManager.default.createDirectory(
        atPath: ws.path("disk"), withIntermediateDirectories: true)
      let result = try SystemTools.runUnshared(
        ws,
        """
        mount -t tmpfs -o size=1m tmpfs disk || exit 99
        cp almoner.db jsl.pem disk/ && cd disk || exit 98
        dd if=/dev/zero of=fill bs=4k 2>/dev/null
        truncate -s -\(freeKiB)K fill
        "$1" verify ledger --format json > ../verify-full.json
        "$1" donate --unit GA-BC-JSL --amount 1 --donor 张三 --key jsl.pem --format json \
          > ../out.txt 2> ../err.txt
        echo $? > ../status.txt
        rm fill
        "$1" journal --format json > ../journal-after.json
        "$1" verify ledger --format json > ../verify-after.json
        """)
      #expect(result.status == 0, "free \(freeKiB) KiB: \(result)")
      let text = { (name: String) in String(decoding: try ws.read(name), as: UTF8.self) }
      let status = Int32(try text("status.txt").trimmingCharacters(in: .whitespacesAndNewlines))
      let stderr = try text("err.txt")
      let after = try parseJSON(try text("journal-after.json")).arrayValue ?? []
      #expect(
        status == 0 || status == 3, "free \(freeKiB) KiB: \(String(describing: status)) \(stderr)")
      if status == 3 {
        sawFull = true
        let error = try parseJSON(stderr).objectValue?["error"]?.objectValue
        #expect(error?["code"] == "disk-full", "free \(freeKiB) KiB: \(stderr)")
        #expect(error?["message"]?.stringValue?.hasPrefix("磁盘已满") == true, "\(stderr)")
        #expect(try text("out.txt").isEmpty)
        #expect(after == entriesBefore, "free \(freeKiB) KiB: the ledger changed")
      } else {
        #expect(after.count == entriesBefore.count + 1, "free \(freeKiB) KiB")
        #expect(Array(after.prefix(entriesBefore.count)) == entriesBefore)
      }
      for name in ["verify-full.json", "verify-after.json"] {
        #expect(
          try parseJSON(try text(name)).objectValue?["ok"] == .bool(true),
          "free \(freeKiB) KiB: \(name)")
      }
    }
    #expect(sawFull, "no run found the disk full")
  }

  @Test(
    "--format json: errors are one JSON object on stderr, with a stable code; exit status unchanged"
  )
  func jsonErrors() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    func expectJSONError(
      _ arguments: [String], status: Int32, code: String, kind: String? = nil,
      containing phrase: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
      let result = try ws.run(arguments)
      #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
      #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
      #expect(result.stderr.hasSuffix("}\n"), sourceLocation: sourceLocation)
      let object = try parseJSON(result.stderr, sourceLocation: sourceLocation).objectValue
      #expect(object?.count == 1, sourceLocation: sourceLocation)
      let error = object?["error"]?.objectValue
      #expect(error?.count == 3, sourceLocation: sourceLocation)
      #expect(error?["code"]?.stringValue == code, "\(result)", sourceLocation: sourceLocation)
      #expect(
        error?["kind"]?.stringValue == kind ?? code, "\(result)", sourceLocation: sourceLocation)
      #expect(
        error?["message"]?.stringValue?.contains(phrase) == true, "\(result)",
        sourceLocation: sourceLocation)
    }
    try expectJSONError(
      [
        "donate", "--unit", "GA", "--amount", "12.345", "--donor", "张三", "--key", "ga.pem",
        "--format", "json",
      ], status: 2, code: "amount-decimals", kind: "bad-input", containing: "--amount")
    try expectJSONError(
      ["donate", "--unit", "GA", "--format=json"], status: 2, code: "usage", containing: "--amount")
    try expectJSONError(
      ["balance", "--unit", "NOPE", "--format", "json"], status: 2, code: "unit-unknown",
      kind: "bad-input", containing: "NOPE")
    try expectJSONError(
      ["journal", "--ledger", "missing.db", "--format", "json"], status: 2, code: "ledger-missing",
      kind: "bad-input", containing: "找不到账本")
    // Refusals from the key file and from the period have codes of their own.
    try expectJSONError(
      [
        "donate", "--unit", "GA", "--amount", "1", "--donor", "张三", "--key", "nobody.pem",
        "--format", "json",
      ], status: 2, code: "key-file-missing", kind: "bad-input", containing: "nobody.pem")
    try expectJSONError(
      ["balance", "--from", "2026-11-30", "--to", "2026-11-01", "--format", "json"], status: 2,
      code: "period-reversed", kind: "bad-input", containing: "--from 2026-11-30")
    #expect(try ws.snapshot() == before)
    // Help is not an error, with or without --format json.
    for arguments in [["--help"], ["donate", "--help", "--format", "json"], []] {
      let help = try ws.run(arguments)
      #expect(help.status == 0 && help.stdout.contains("用法："), "\(arguments): \(help)")
    }
    // Without --format json the same error is the Chinese line it always was.
    let text = try ws.run("balance", "--unit", "NOPE")
    #expect(text.status == 2)
    #expect(text.stderr.hasPrefix("错误：--unit："), "\(text)")

    // A finding is exit 1 with code verification-failed: a tampered ledger
    // refuses to sign a checkpoint.
    let tamper = try Python.run(
      """
      import sqlite3, sys
      db = sqlite3.connect(sys.argv[1])
      body = bytearray(db.execute("SELECT canonical FROM entry WHERE seq = 9").fetchone()[0])
      i = body.index(b'"amountFen":') + len(b'"amountFen":')
      body[i] = ord("9") if body[i] != ord("9") else ord("8")
      db.execute("UPDATE entry SET canonical = ? WHERE seq = 9", (bytes(body),))
      db.commit()
      """, [ws.ledgerPath], in: ws.directory)
    #expect(tamper.status == 0, "\(tamper)")
    try expectJSONError(
      ["checkpoint", "create", "--key", "admin.pem", "--format", "json"], status: 1,
      code: "ledger-check-failed", kind: "verification-failed", containing: "记录 #9")
    // verify ledger's report of the same is its output (stdout), not an error.
    let verify = try ws.run("verify", "ledger", "--format", "json")
    #expect(verify.status == 1)
    #expect(verify.stderr.isEmpty)
    #expect(try parseJSON(verify.stdout).objectValue?["ok"] == .bool(false))
  }

  @Test("verify receipt on a file that is not a receipt: exit 2 (bad input), not 1")
  func verifyReceiptNotAReceipt() throws {
    let ws = try Workspace.fixture()
    try ws.must("keys", "export", "--out", "trust.json")
    try ws.write("hello.txt", "hello\n")
    try ws.write("other.json", #"{"format":"almoner-trust/v1"}"#)
    try ws.write("no-entry.json", #"{"format":"almoner-receipt/v1"}"#)
    for file in ["hello.txt", "other.json", "no-entry.json", "trust.json"] {
      let result = try ws.run("verify", "receipt", file, "--trust", "trust.json")
      #expect(result.status == 2, "\(file): \(result)")
      #expect(result.stderr.hasPrefix("错误：第 1 步（读取收据）失败"), "\(file): \(result)")
    }
  }
}
