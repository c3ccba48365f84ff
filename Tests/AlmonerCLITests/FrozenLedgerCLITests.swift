import AlmonerKit
import Foundation
import Testing

/// The ledger file frozen in Tests/Vectors/entries/ (made by an earlier
/// version, see its README) must keep opening and verifying with the CLI.
@Suite("Frozen format: the old ledger file verifies with the CLI")
struct FrozenLedgerCLITests {
  static let vectors = Paths.packageRoot.appendingPathComponent("Tests/Vectors/entries")

  /// The manifest's ledger id and entry count, read with Foundation alone.
  static func manifest() throws -> (ledgerID: String, entryCount: Int64) {
    let data = try Data(contentsOf: vectors.appendingPathComponent("manifest.json"))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let id = try #require(object["ledgerId"] as? String)
    let count = try #require(object["entryCount"] as? Int)
    return (id, Int64(count))
  }

  @Test("`almoner verify ledger --ledger COPY` exits 0 on a copy of ledger-v1.sqlite")
  func verifyOldLedger() throws {
    let workspace = try Workspace.empty()
    // A copy: opening may migrate the file, and the committed one must stay as made.
    try FileManager.default.copyItem(
      at: Self.vectors.appendingPathComponent("ledger-v1.sqlite"),
      to: URL(fileURLWithPath: workspace.path("old.sqlite")))
    let text = try workspace.run("verify", "ledger", "--ledger", "old.sqlite")
    #expect(text.status == 0, "\(text)")
    #expect(text.stderr.isEmpty, "\(text)")

    let json = try workspace.run(
      "verify", "ledger", "--ledger", "old.sqlite", "--format", "json")
    #expect(json.status == 0, "\(json)")
    let report = try #require(try parseJSON(json.stdout).objectValue)
    let manifest = try Self.manifest()
    #expect(report["ok"] == .bool(true), "\(json)")
    #expect(report["ledgerId"] == .string(manifest.ledgerID))
    #expect(report["entries"] == .integer(manifest.entryCount))
    #expect(report["lastVerifiedSeq"] == .integer(manifest.entryCount - 1))
  }
}
