import AlmonerKit
import Foundation
import Testing

/// Checkpoints, cosignatures, trust bundles and receipts through the CLI.
@Suite("CLI: checkpoints and receipts")
struct TransparencyCLITests {
  /// The fixture plus two supervisors (street and district) and a checkpoint
  /// they both cosigned.
  static func cosigned() throws -> Workspace {
    let ws = try Workspace.fixture()
    for (name, unit) in [("sup-street", "GA-BC"), ("sup-district", "GA")] {
      try ws.must("key", "new", "--name", name, "--out", "\(name).pem")
      try ws.must(
        "member", "add", "--unit", unit, "--role", "监督员", "--name", name, "--public-key",
        "\(name).pem.pub", "--key", "admin.pem")
    }
    try ws.must("checkpoint", "create", "--key", "admin.pem", "--out", "cp.txt")
    try ws.must("checkpoint", "cosign", "cp.txt", "--key", "sup-street.pem")
    try ws.must("checkpoint", "cosign", "cp.txt", "--key", "sup-district.pem")
    return ws
  }

  @Test("create → cosign twice → show; the note file carries all three signatures")
  func checkpointFlow() throws {
    let ws = try TransparencyCLITests.cosigned()
    let note = String(decoding: try ws.read("cp.txt"), as: UTF8.self)
    let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[1] == "\(Fixture.entryCount + 2)")
    #expect(lines.filter { $0.hasPrefix("— ") }.count == 3)
    let show = try ws.run("checkpoint", "show")
    #expect(show.status == 0)
    #expect(show.stdout.contains("sup-street、sup-district"))
    #expect(FileManager.default.fileExists(atPath: ws.path("sup-street.pem.witness.json")))
    // Cosigning the same checkpoint again is refused and changes nothing.
    let before = try ws.snapshot()
    let again = try ws.run("checkpoint", "cosign", "cp.txt", "--key", "sup-street.pem")
    #expect(again.status == 2)
    #expect(again.stderr.contains("已联署过"))
    #expect(try ws.snapshot() == before)
  }

  @Test("a receipt verifies with no ledger at all; a changed amount fails at the inclusion step")
  func receiptOffline() throws {
    let ws = try TransparencyCLITests.cosigned()
    let journal = try parseJSON(try ws.must("journal", "--format", "json").stdout).arrayValue ?? []
    let donation = try #require(
      journal.first { $0.objectValue?["kind"]?.stringValue == "donation" }?.objectValue)
    let seq = try #require(donation["seq"]?.integerValue)
    try ws.must("receipt", "\(seq)", "--out", "receipt.json")
    try ws.must("keys", "export", "--out", "trust.json")
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: ws.ledgerPath + suffix)
    }
    let verified = try ws.run("verify", "receipt", "receipt.json", "--trust", "trust.json")
    #expect(verified.status == 0, "\(verified)")
    #expect(verified.stdout.hasPrefix("核验通过："))
    #expect(verified.stdout.contains("是账本记录 #\(seq)"))
    #expect(verified.stdout.contains("并由 sup-street、sup-district 联署"))
    // The .vkeys file can't carry the ledger id or the quorum: receipts need the JSON.
    let plain = try ws.run("verify", "receipt", "receipt.json", "--trust", "trust.json.vkeys")
    #expect(plain.status == 1, "\(plain)")
    #expect(plain.stderr.contains("请用 almoner keys export 导出的 JSON 信任文件核验"), "\(plain)")

    // The same receipt with its amount changed by one fen.
    var receipt = String(decoding: try ws.read("receipt.json"), as: UTF8.self)
    let range = try #require(receipt.range(of: #"\"amountFen\":"#))
    let digit = receipt[range.upperBound]
    receipt.replaceSubrange(range.upperBound...range.upperBound, with: digit == "9" ? "8" : "9")
    try ws.write("forged.json", receipt)
    let forged = try ws.run("verify", "receipt", "forged.json", "--trust", "trust.json")
    #expect(forged.status == 1, "\(forged)")
    #expect(forged.stdout.isEmpty)
    #expect(forged.stderr.hasPrefix("错误：第 7 步（包含证明）失败"), "\(forged.stderr)")

    // The exported files match their schemas.
    let batch = SchemaBatch(ws)
    try batch.add(
      "receipt", schema: "receipt.schema.json",
      json: String(decoding: try ws.read("receipt.json"), as: UTF8.self))
    try batch.add(
      "trust", schema: "trust.schema.json",
      json: String(decoding: try ws.read("trust.json"), as: UTF8.self))
    try batch.validate()
  }

  @Test("proofs refuse sizes beyond the ledger, naming them")
  func proofBounds() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    let tooBig = try ws.run("proof", "inclusion", "3", "--size", "999")
    #expect(tooBig.status == 2)
    #expect(tooBig.stderr.contains("记录数 999 超出范围"))
    let outside = try ws.run("proof", "inclusion", "9", "--size", "5")
    #expect(outside.status == 2)
    #expect(outside.stderr.contains("记录 #9 不在前 5 条记录之内"))
    let backwards = try ws.run("proof", "consistency", "8", "4")
    #expect(backwards.status == 2)
    #expect(try ws.snapshot() == before)
  }
}
