import Foundation
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// The bytes of `statement.publish` entries, against vectors written
/// independently (Tests/Vectors/statement-publish/, by check.py's JCS code):
/// the kind is part of the published format from its first release.
@Suite("statement.publish vectors")
struct StatementPublishVectorTests {
  static let directory = packageRoot.appendingPathComponent("Tests/Vectors/statement-publish")

  static func vectors() throws -> [JSONObject] {
    let data = try Data(contentsOf: directory.appendingPathComponent("vectors.json"))
    let document = try #require(try JSONValue.parse([UInt8](data)).objectValue)
    #expect(document["kind"] == .string(EntryKind.statementPublish.rawValue))
    let vectors = try #require(document["vectors"]?.arrayValue)
    return vectors.compactMap(\.objectValue)
  }

  @Test("the library writes each vector's exact bytes from its fields, hashes and reads them back")
  func bytes() throws {
    let vectors = try Self.vectors()
    #expect(vectors.count == 4)
    for vector in vectors {
      let name = vector["name"]?.stringValue ?? "?"
      let fields = try #require(vector["fields"]?.objectValue)
      let body = try #require(fields["body"]?.objectValue)
      func hash(_ key: String) -> Hash32? { body[key]?.stringValue.flatMap { Hash32(hex: $0) } }
      let typed = StatementPublishBody(
        hash: try #require(hash("hash")), period: try #require(body["period"]?.stringValue),
        reason: body["reason"]?.stringValue, subtree: try #require(body["subtree"]?.boolValue),
        supersedes: hash("supersedes"), unit: try #require(body["unit"]?.stringValue))
      let entry = Entry(
        seq: try #require(fields["seq"]?.integerValue),
        prev: try #require(fields["prev"]?.stringValue.flatMap { Hash32(hex: $0) }),
        time: try #require(fields["time"]?.stringValue),
        date: try AccountingDate(try #require(fields["date"]?.stringValue)),
        author: try #require(fields["author"]?.stringValue), body: .statementPublish(typed))
      let bytes = entry.canonicalBytes
      #expect(Hex.encode(bytes) == vector["canonicalHex"]?.stringValue, "\(name)")
      #expect(SHA256.leafHash(bytes).hex == vector["hash"]?.stringValue, "\(name)")
      let read = try Entry(canonical: Array(try #require(vector["canonical"]?.stringValue).utf8))
      #expect(read == entry, "\(name)")
      #expect(try EntryBody(kind: .statementPublish, json: body) == entry.body, "\(name)")
    }
  }

  @Test("non-canonical or incomplete bodies are refused, naming the field")
  func refusals() throws {
    let vector = try #require(try Self.vectors().first)
    let canonical = try #require(vector["canonical"]?.stringValue)
    for (text, replacement, message) in [
      ("\"period\":\"2026-Q4\",", "", "缺少字段 period"),
      (
        "\"subtree\":false,", "\"subtree\":false,\"supersedes\":null,",
        "statement.publish.supersedes"
      ),
      ("\"hash\":\"de", "\"hash\":\"DE", "statement.publish.hash"),
      ("\"unit\":", "\"extra\":1,\"unit\":", "未知字段"),
    ] {
      #expect(canonical.contains(text), "\(text)")
      let bytes = Array(canonical.replacingOccurrences(of: text, with: replacement).utf8)
      #expect {
        _ = try Entry(canonical: bytes)
      } throws: { ($0 as? AlmonerError)?.message.contains(message) == true }
    }
  }

  @Test(
    "check.py re-derives every statement.publish vector with Python alone",
    .enabled(if: which("python3") != nil, "needs python3"))
  func independentCheck() throws {
    let result = try run(
      which("python3") ?? "/usr/bin/python3",
      [Self.directory.appendingPathComponent("check.py").path])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.hasPrefix("ok: 4 statement.publish vectors"), "\(result.stdout)")
  }
}
