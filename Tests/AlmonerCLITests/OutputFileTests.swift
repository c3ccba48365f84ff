import AlmonerKit
import Foundation
import Testing

/// An output file that can't be written is found out before anything is
/// signed: the file and the entry land together or not at all.
@Suite("CLI: output files land with their entry")
struct OutputFileTests {
  /// The fixture plus a street supervisor and a checkpoint in cp.txt.
  static func withCheckpoint() throws -> Workspace {
    let ws = try Workspace.fixture()
    try ws.must("key", "new", "--name", "sup-street", "--out", "sup-street.pem")
    try ws.must(
      "member", "add", "--unit", "GA-BC", "--role", "监督员", "--name", "sup-street",
      "--public-key", "sup-street.pem.pub", "--key", "admin.pem")
    try ws.must("checkpoint", "create", "--key", "admin.pem", "--out", "cp.txt")
    return ws
  }

  @Test("checkpoint create --out into a folder that does not exist: exit 2, nothing signed")
  func createIntoMissingFolder() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    let result = try ws.run(
      "checkpoint", "create", "--key", "admin.pem", "--out", "/nonexistent/x")
    #expect(result.status == 2, "\(result)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("/nonexistent/x") && result.stderr.contains("目录不存在"))
    #expect(try ws.snapshot() == before, "the ledger changed")
    // The same command with a good path still works.
    let good = try ws.run("checkpoint", "create", "--key", "admin.pem", "--out", "cp.txt")
    #expect(good.status == 0, "\(good)")
  }

  @Test(
    "an output path that is the ledger itself is refused (exit 2): the ledger is not overwritten")
  func outputOverLedger() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    for arguments in [
      ["checkpoint", "create", "--key", "admin.pem", "--out", "almoner.db"],
      ["receipt", "9", "--out", "./almoner.db"],
      ["keys", "export", "--out", "almoner.db"],
    ] {
      let result = try ws.run(arguments)
      #expect(result.status == 2, "\(arguments): \(result)")
      #expect(result.stderr.contains("就是账本文件"), "\(arguments): \(result)")
      #expect(try ws.snapshot() == before, "\(arguments): the ledger changed")
    }
  }

  @Test("cosign with a --state file in a folder that does not exist: exit 2, nothing changed")
  func cosignStateInMissingFolder() throws {
    let ws = try OutputFileTests.withCheckpoint()
    let before = try ws.snapshot()
    let result = try ws.run(
      "checkpoint", "cosign", "cp.txt", "--key", "sup-street.pem", "--state",
      "/nonexistent/dir/w.json")
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.contains("/nonexistent/dir/w.json"), "\(result)")
    #expect(try ws.snapshot() == before, "the ledger or cp.txt changed")
  }

  @Test(
    "cosign of an immutable FILE, or with an immutable --state: exit 2, nothing changed",
    .enabled(if: SystemTools.canMakeImmutable, "needs chattr +i (root on ext4)"))
  func cosignImmutableFiles() throws {
    let ws = try OutputFileTests.withCheckpoint()
    try SystemTools.setImmutable(true, ["cp.txt"], in: ws)
    defer { try? SystemTools.setImmutable(false, ["cp.txt"], in: ws) }
    let before = try ws.snapshot()
    let result = try ws.run("checkpoint", "cosign", "cp.txt", "--key", "sup-street.pem")
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.contains("cp.txt") && result.stderr.contains("没有写入权限"), "\(result)")
    #expect(try ws.snapshot() == before, "the ledger or the state file changed")
    try SystemTools.setImmutable(false, ["cp.txt"], in: ws)

    try ws.write("state.json", "{}\n")
    try SystemTools.setImmutable(true, ["state.json"], in: ws)
    defer { try? SystemTools.setImmutable(false, ["state.json"], in: ws) }
    let beforeState = try ws.snapshot()
    let state = try ws.run(
      "checkpoint", "cosign", "cp.txt", "--key", "sup-street.pem", "--state", "state.json")
    #expect(state.status == 2, "\(state)")
    #expect(state.stderr.contains("state.json"), "\(state)")
    #expect(try ws.snapshot() == beforeState, "the ledger or cp.txt changed")
    try SystemTools.setImmutable(false, ["state.json"], in: ws)

    // Writable again: the cosignature lands in the ledger, FILE and the state file.
    let cosigned = try ws.run(
      "checkpoint", "cosign", "cp.txt", "--key", "sup-street.pem", "--state", "state.json")
    #expect(cosigned.status == 0, "\(cosigned)")
    let note = String(decoding: try ws.read("cp.txt"), as: UTF8.self)
    #expect(note.split(separator: "\n").filter { $0.hasPrefix("— ") }.count == 2)
    #expect(String(decoding: try ws.read("state.json"), as: UTF8.self).contains("treeSize"))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.directory.path)
      .filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
  }

  @Test(
    "checkpoint create --out onto a full disk: exit 3 (disk full), the entry rolled back",
    .enabled(if: SystemTools.canMountTmpfs, "needs root to mount a tmpfs in a private namespace"))
  func createOntoFullDisk() throws {
    let ws = try Workspace.fixture()
    try FileManager.default.createDirectory(
      atPath: ws.path("full"), withIntermediateDirectories: false)
    let before = try ws.snapshot()
    let result = try SystemTools.runUnshared(
      ws,
      """
      mount -t tmpfs -o size=64k tmpfs full || exit 99
      dd if=/dev/zero of=full/fill bs=4k 2>/dev/null
      exec "$1" checkpoint create --key admin.pem --out full/cp.txt --format json
      """)
    #expect(result.status == 3, "\(result)")
    let error = try parseJSON(result.stderr).objectValue?["error"]?.objectValue
    #expect(error?["code"] == "disk-full", "\(result)")
    #expect(error?["message"]?.stringValue?.hasPrefix("磁盘已满") == true, "\(result)")
    #expect(try ws.snapshot() == before, "the ledger changed")
  }
}
