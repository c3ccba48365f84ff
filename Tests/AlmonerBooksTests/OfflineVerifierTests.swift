import AlmonerBooks
import Foundation
import Testing

/// The offline verifiers of receipts and statements, linked with the domain
/// and the log alone: this target depends on `AlmonerBooks` and `AlmonerLog`
/// only, so it builds (and these checks run) without GRDB or SQLite. The
/// files in `Tests/Vectors/offline/` were made by the `almoner` CLI: a
/// donation's receipt, 建设路社区's October statement (countersigned and
/// published), the trust file and the public log.
@Suite("Offline verifiers without the store")
struct OfflineVerifierTests {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let directory = packageRoot.appendingPathComponent("Tests/Vectors/offline")

  static func bytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: directory.appendingPathComponent(name)))
  }

  static func trust() throws -> TrustBundle { try TrustBundle(parsing: try bytes("trust.json")) }

  /// The error's stable code, or nil when `body` does not throw.
  static func code(_ body: () throws(AlmonerError) -> Void) -> String? {
    do {
      try body()
      return nil
    } catch {
      return error.code
    }
  }

  @Test("a receipt verifies offline, and against the public log the gift still stands")
  func receipt() throws {
    let trust = try Self.trust()
    let receipt = try Receipt(parsing: try Self.bytes("receipt.json"))
    let verified = try receipt.verify(trust: trust)
    #expect(verified.statement.hasPrefix("核验通过："), "\(verified.statement)")
    #expect(verified.statement.contains("是账本记录 #10"), "\(verified.statement)")
    let log = Self.directory.appendingPathComponent("public-log").path
    let checked = try receipt.checkAgainstPublicLog(log, trust: trust)
    #expect(checked.reversal == nil)
  }

  @Test("a receipt whose entry bytes were changed is refused, naming the step")
  func receiptTampered() throws {
    let trust = try Self.trust()
    let text = String(decoding: try Self.bytes("receipt.json"), as: UTF8.self)
    let receipt = try Receipt(parsing: Array(text.utf8))
    var entry = receipt.entry
    let at = try #require(entry.lastIndex(of: UInt8(ascii: "0")))
    entry[at] = UInt8(ascii: "1")
    var changed = receipt
    changed.entry = entry
    let code = Self.code { () throws(AlmonerError) in _ = try changed.verify(trust: trust) }
    #expect(code?.hasPrefix("receipt-check-") == true, "\(code ?? "verified")")
  }

  @Test("a statement verifies offline, and with the public log is complete and published")
  func statement() throws {
    let trust = try Self.trust()
    let statement = try Statement(parsing: try Self.bytes("oct.json"))
    let offline = try statement.verify(trust: trust, log: nil)
    #expect(offline.sentence().hasPrefix("核验通过：建设路社区 2026年10月（2026-10）的公示报表"))
    #expect(!offline.completenessChecked)
    let log = try PublicLog(
      directory: Self.directory.appendingPathComponent("public-log").path, trust: trust)
    let full = try statement.verify(trust: trust, log: log)
    #expect(full.completenessChecked)
    #expect(full.publication != nil)
  }

  @Test("a statement whose figure was changed is refused by the recomputation")
  func statementTampered() throws {
    let trust = try Self.trust()
    let text = String(decoding: try Self.bytes("oct.json"), as: UTF8.self)
    #expect(text.contains("\"cash\":20000"))
    let changed = try Statement(
      parsing: Array(
        text.replacingOccurrences(of: "\"cash\":20000", with: "\"cash\":20001").utf8))
    let code = Self.code { () throws(AlmonerError) in
      _ = try changed.verify(trust: trust, log: nil)
    }
    #expect(code?.hasPrefix("statement-check-") == true, "\(code ?? "verified")")
  }

  @Test("no source file of the domain imports GRDB or SQLite")
  func noStoreImports() throws {
    let sources = Self.packageRoot.appendingPathComponent("Sources/AlmonerBooks")
    let files =
      FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") } ?? []
    #expect(files.count > 20)
    for file in files {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      for line in text.split(separator: "\n") where line.contains("import ") {
        #expect(
          !line.contains("GRDB") && !line.contains("SQLite") && !line.contains("AlmonerStore")
            && !line.contains("AlmonerKit"), "\(file): \(line)")
      }
    }
  }
}
