import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerLog
@testable import AlmonerStore

/// The typed entry codec (Sources/AlmonerBooks/Entries/) against the frozen v1
/// bytes and the generic RFC 8785 path it replaced: the same bytes in, the
/// same bytes out, and every kind of non-canonical input refused by name.
@Suite("Typed entries: one type per kind, canonical bytes in one pass")
struct TypedEntryTests {
  /// The generic path: parse into a `JSONValue` tree and re-encode.
  static func genericRoundTrip(_ bytes: [UInt8]) -> [UInt8]? {
    guard let value = try? JSONValue.parse(bytes) else { return nil }
    return Canonical.encode(value)
  }

  static func vectors() throws -> [FrozenEntryVector] {
    try FrozenFormatTests.allVectors().map(\.vector)
  }

  @Test("every frozen vector decodes to its kind's type and re-encodes to the identical bytes")
  func frozenVectorsRoundTrip() throws {
    for vector in try Self.vectors() {
      let bytes = Array(vector.canonical.utf8)
      let entry = try Entry(canonical: bytes)
      #expect(entry.seq == vector.seq)
      #expect(Hex.encode(entry.canonicalBytes) == vector.canonicalHex, "seq \(vector.seq)")
    }
  }

  @Test("the generic path and the typed path agree on every frozen vector, field for field")
  func typedAgreesWithGeneric() throws {
    for vector in try Self.vectors() {
      let bytes = Array(vector.canonical.utf8)
      let entry = try Entry(canonical: bytes)
      let generic = try #require(try JSONValue.parse(bytes).objectValue)
      #expect(Self.genericRoundTrip(bytes) == bytes, "seq \(vector.seq)")
      #expect(entry.json == .object(generic), "seq \(vector.seq)")
      let genericBody = try #require(generic["body"]?.objectValue)
      #expect(entry.body.json == genericBody, "seq \(vector.seq)")
      #expect(generic["kind"]?.stringValue == entry.kind.rawValue)
      // The body's own bytes are those the generic encoder makes of it.
      #expect(entry.body.canonicalBytes == Canonical.encode(.object(genericBody)))
      // And reading the generic body back as the kind's type gives the same body.
      #expect(try EntryBody(kind: entry.kind, json: genericBody) == entry.body)
    }
  }

  @Test("every entry of the frozen ledger file decodes and re-encodes identically on both paths")
  func frozenLedgerFile() throws {
    let directory = try TemporaryDirectory()
    let path = try FrozenFormatTests.ledgerCopy(in: directory)
    let rows = try DatabaseQueue(path: path).read { db in
      try Row.fetchAll(db, sql: "SELECT seq, canonical FROM entry ORDER BY seq")
    }
    #expect(rows.count == 53)
    var kinds = Set<EntryKind>()
    for row in rows {
      let bytes = [UInt8](row["canonical"] as Data)
      let entry = try Entry(canonical: bytes)
      kinds.insert(entry.kind)
      #expect(entry.seq == row["seq"] as Int64)
      #expect(entry.canonicalBytes == bytes, "seq \(entry.seq)")
      #expect(Self.genericRoundTrip(bytes) == bytes, "seq \(entry.seq)")
      #expect(try entry.json == JSONValue.parse(bytes), "seq \(entry.seq)")
    }
    #expect(kinds.count == FrozenVectors.kindsV1.count)
  }

  /// Bodies of kinds newer than the frozen file, and of shapes it lacks.
  static let newerBodies: [(EntryKind, JSONObject)] = [
    (
      EntryKind.memberRotate,
      [
        "keyId": "ed25519:0123456789abcdef", "publicKey": "AAAA",
        "newKeyId": "ed25519:fedcba9876543210",
        "compromised": true, "reason": "手机遗失",
      ] as JSONObject
    ),
    (
      .memberRotate,
      [
        "keyId": "ed25519:0123456789abcdef", "publicKey": "AAAA",
        "newKeyId": "ed25519:fedcba9876543210",
        "compromised": false,
      ]
    ),
    (.erasure, ["seq": 14, "reason": "consent-withdrawn"]),
    (.erasure, ["seq": 14]),
    (
      .disbursementRequest,
      [
        "unit": "GA", "fund": "general", "amountFen": 500, "category": "elderly",
        "purpose": "慰问\n\"老人\"",
        "payee": [
          "display": "张*", "person": true,
          "commitment": .string(String(repeating: "ab", count: 32)),
        ],
        "attachments": [
          ["sha256": .string(String(repeating: "0f", count: 32)), "name": "发票.pdf", "bytes": 0],
          [
            "sha256": .string(String(repeating: "e1", count: 32)), "name": "名单\u{1}.xlsx",
            "bytes": 12_345,
          ],
        ],
      ]
    ),
    (
      .fundOpen,
      ["unit": "GA", "code": "flood", "name": "防汛基金", "restricted": true, "purpose": "防汛救灾"]
    ),
    (.disbursementCancel, ["request": 29]),
    (
      .audit,
      [
        "findingCount": 3, "from": "2026-07-01", "to": "2026-09-30", "unit": "GA-BC",
        "report": .string(String(repeating: "1f", count: 32)),
        "rules": .string(String(repeating: "2e", count: 32)),
        "findings": [
          ["code": "entry-hash-mismatch", "seqs": [9, 10]], ["code": "schema-changed"],
        ],
      ]
    ),
    (
      .audit,
      [
        "findingCount": 0, "unit": "GA", "report": .string(String(repeating: "1f", count: 32)),
        "rules": .string(String(repeating: "2e", count: 32)),
      ]
    ),
    (.auditNote, ["audit": 61, "text": "已核对：重复单号系导入重复，已冲销"]),
  ]

  @Test(
    "kinds newer than the frozen file (member.rotate, erasure) and attachments: typed bytes are the generic encoder's"
  )
  func newerKinds() throws {
    for (kind, json) in Self.newerBodies { try checkNewer(kind: kind, json: json) }
  }

  func checkNewer(kind: EntryKind, json: JSONObject) throws {
    let body = try EntryBody(kind: kind, json: json)
    #expect(body.kind == kind)
    #expect(body.canonicalBytes == Canonical.encode(.object(json)))
    #expect(body.json == json)
    let entry = Entry(
      seq: 60, prev: .zero, time: "2026-12-03T08:00:00Z", date: try AccountingDate("2026-12-03"),
      author: "ed25519:0123456789abcdef", body: body)
    let bytes = entry.canonicalBytes
    #expect(Self.genericRoundTrip(bytes) == bytes)
    #expect(try Entry(canonical: bytes) == entry)
  }

  @Test("whatever a single changed byte leaves acceptable re-encodes to exactly those bytes")
  func mutatedVectors() throws {
    var accepted = 0
    var refused = 0
    for vector in try Self.vectors() {
      let original = Array(vector.canonical.utf8)
      for offset in original.indices {
        for change: UInt8 in [0x01, 0x20, 0x80] {
          var bytes = original
          bytes[offset] ^= change
          guard let entry = try? Entry(canonical: bytes) else {
            refused += 1
            continue
          }
          accepted += 1
          #expect(entry.canonicalBytes == bytes, "seq \(vector.seq) byte \(offset) ^ \(change)")
          #expect(Self.genericRoundTrip(bytes) == bytes, "seq \(vector.seq) byte \(offset)")
        }
      }
    }
    #expect(accepted > 0 && refused > 0)
  }

  // MARK: Refusals, one per class

  /// The frozen donation at seq 14, with `text` replaced by `replacement`.
  static func donation(replacing text: String, with replacement: String) throws -> [UInt8] {
    let vector = try #require(try vectors().first { $0.seq == 14 })
    #expect(vector.canonical.contains(text), "the vector holds \(text)")
    return Array(vector.canonical.replacingOccurrences(of: text, with: replacement).utf8)
  }

  static func refusal(_ bytes: [UInt8]) -> AlmonerError? {
    do {
      _ = try Entry(canonical: bytes)
      return nil
    } catch { return error }
  }

  /// One refused variant of the frozen donation at seq 14.
  struct Refusal: Sendable, CustomTestStringConvertible {
    var what: String
    /// Text of the vector to replace, and what with.
    var text: String
    var replacement: String
    /// How the message starts.
    var message: String
    /// Whether the generic encoder would keep the bytes as they are: the
    /// refusal is then of the entry's types, not of its JSON form.
    var genericallyCanonical = false

    var testDescription: String { what }
  }

  static let refusals: [Refusal] = [
    .init(
      what: "unknown key", text: "\"ref\":", replacement: "\"extra\":1,\"ref\":",
      message: "记录内容 donation 有未知字段 \"extra\""),
    .init(
      what: "missing key", text: "\"channel\":\"wechat\",", replacement: "",
      message: "记录内容 donation 缺少字段 channel", genericallyCanonical: true),
    .init(
      what: "duplicate key", text: "\"fund\":\"general\",",
      replacement: "\"fund\":\"general\",\"fund\":\"general\",",
      message: "记录内容 donation 有重复的字段 fund"),
    .init(
      what: "misordered keys", text: "\"amountFen\":50000,\"channel\":\"wechat\"",
      replacement: "\"channel\":\"wechat\",\"amountFen\":50000",
      message: "记录内容 donation 的字段顺序不对：amountFen 应排在 channel 之前"),
    .init(
      what: "whitespace", text: "\"amountFen\":50000", replacement: "\"amountFen\": 50000",
      message: "记录内容 donation.amountFen 有多余的空白"),
    .init(
      what: "non-minimal escape", text: "\"ref\":\"WX", replacement: "\"ref\":\"\\u0057X",
      message: "记录内容 donation.ref 的转义不是规范写法"),
    .init(
      what: "escaped solidus", text: "\"ref\":\"WX", replacement: "\"ref\":\"\\/WX",
      message: "记录内容 donation.ref 的转义不是规范写法"),
    .init(
      what: "leading zeros", text: "\"amountFen\":50000", replacement: "\"amountFen\":050000",
      message: "记录内容 donation.amountFen 数字不能以 0 开头"),
    .init(
      what: "float", text: "\"amountFen\":50000", replacement: "\"amountFen\":50000.0",
      message: "记录内容 donation.amountFen 应为整数，不能写成小数或指数形式"),
    .init(
      what: "exponent", text: "\"amountFen\":50000", replacement: "\"amountFen\":5e4",
      message: "记录内容 donation.amountFen 应为整数，不能写成小数或指数形式"),
    .init(
      what: "minus zero", text: "\"seq\":14", replacement: "\"seq\":-0", message: "字段 seq -0 不是规范写法"
    ),
    .init(
      what: "integer out of range", text: "\"amountFen\":50000",
      replacement: "\"amountFen\":9007199254740992",
      message: "记录内容 donation.amountFen 超出范围：整数的绝对值不能超过 9007199254740991"),
    .init(
      what: "wrong type", text: "\"amountFen\":50000", replacement: "\"amountFen\":\"50000\"",
      message: "记录内容 donation.amountFen 应为整数", genericallyCanonical: true),
    .init(
      what: "wrong type, nested", text: "\"named\":false", replacement: "\"named\":0",
      message: "记录内容 donation.donor.named 应为 true 或 false", genericallyCanonical: true),
    .init(
      what: "null", text: "\"ref\":\"WX20260702001\"", replacement: "\"ref\":null",
      message: "记录内容 donation.ref 应为字符串", genericallyCanonical: true),
    .init(
      what: "unknown enum value", text: "\"wechat\"", replacement: "\"weixin\"",
      message: "记录内容 donation.channel 的取值 \"weixin\" 无效", genericallyCanonical: true),
    .init(
      what: "upper-case hash", text: "\"commitment\":\"538f", replacement: "\"commitment\":\"538F",
      message: "记录内容 donation.donor.commitment 应为 64 位小写十六进制哈希", genericallyCanonical: true),
    .init(
      what: "unknown kind", text: "\"kind\":\"donation\"", replacement: "\"kind\":\"gift\"",
      message: "字段 kind 是未知的记录类型 \"gift\"", genericallyCanonical: true),
    .init(
      what: "unknown envelope key", text: "\"v\":1", replacement: "\"w\":1",
      message: "记录有未知字段 \"w\"", genericallyCanonical: true),
    .init(
      what: "trailing bytes", text: "\"v\":1}", replacement: "\"v\":1} ", message: "记录有多余的空白"),
  ]

  @Test("non-canonical or ill-typed entries are refused with the field named", arguments: refusals)
  func refused(_ refusal: Refusal) throws {
    let bytes = try Self.donation(replacing: refusal.text, with: refusal.replacement)
    let error = try #require(Self.refusal(bytes), "accepted")
    #expect(error.kind == .verificationFailed)
    #expect(error.message.hasPrefix(refusal.message), "\(error.message)")
    // What the generic path keeps as it is, only the types refuse; the
    // rest is not canonical JSON at all.
    #expect((Self.genericRoundTrip(bytes) == bytes) == refusal.genericallyCanonical)
  }

  @Test("a draft whose JSON body does not fit its kind is bad input, naming the field")
  func jsonDraftRefused() throws {
    #expect(throws: AlmonerError.refused(.entryBodyMalformed(detail: "记录内容 reversal 缺少字段 reason")))
    {
      try EntryDraft(kind: .reversal, body: ["seq": 3])
    }
    #expect(
      throws: AlmonerError.refused(.entryBodyMalformed(detail: "记录内容 reversal 有未知字段 \"note\""))
    ) {
      try EntryDraft(kind: .reversal, body: ["seq": 3, "reason": "录错", "note": "x"])
    }
    #expect(
      throws: AlmonerError.refused(
        .entryBodyMalformed(detail: "记录内容 disbursement.request.attachments 不能是空数组（没有时不写这个字段）"))
    ) {
      try EntryBody(
        kind: .disbursementRequest,
        json: [
          "unit": "GA", "fund": "general", "amountFen": 1, "category": "other", "purpose": "x",
          "payee": ["display": "x", "person": false], "attachments": [],
        ])
    }
  }

  @Test("text is compared by its bytes: NFC and NFD names make different entries")
  func bytesNotEquivalence() throws {
    let nfc = try EntryBody(kind: .reversal, json: ["seq": 3, "reason": "caf\u{E9}"])
    let nfd = try EntryBody(kind: .reversal, json: ["seq": 3, "reason": "cafe\u{301}"])
    #expect(nfc != nfd)
    #expect(nfc.canonicalBytes != nfd.canonicalBytes)
  }
}
