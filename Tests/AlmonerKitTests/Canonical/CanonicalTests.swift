import Foundation
import Testing

#if canImport(AlmonerKit)
  import AlmonerKit
#else
  import Canonical
#endif

@Suite("RFC 8785 vectors and the canonical encoder")
struct CanonicalTests {
  /// Vector inputs that hold non-integer numbers, which the ledger refuses.
  static let nonIntegerInputs: Set<String> = ["values.json"]

  static func vectorNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(
      atPath: vectorsURL().appendingPathComponent("input").path
    )
    .filter { $0.hasSuffix(".json") }
    .sorted()
  }

  static func vectorBytes(_ folder: String, _ name: String) throws -> [UInt8] {
    let url = vectorsURL().appendingPathComponent(folder).appendingPathComponent(name)
    return Array(try Data(contentsOf: url))
  }

  @Test("The vector folder is found and complete")
  func vectorsPresent() throws {
    let names = try Self.vectorNames()
    #expect(
      names == [
        "arrays.json", "french.json", "structures.json", "unicode.json", "values.json",
        "weird.json",
      ])
  }

  @Test("Integer-only vectors re-encode byte for byte", arguments: try vectorNames())
  func vector(name: String) throws {
    let input = try Self.vectorBytes("input", name)
    if Self.nonIntegerInputs.contains(name) {
      #expect(throws: CanonicalError.self) { try JSONValue.parse(input) }
      return
    }
    let expected = try Self.vectorBytes("output", name)
    let hexName = name.replacingOccurrences(of: ".json", with: ".txt")
    let hexText = String(decoding: try Self.vectorBytes("outhex", hexName), as: UTF8.self)
    let expectedFromHex = hexText.split(whereSeparator: \.isWhitespace).compactMap {
      UInt8($0, radix: 16)
    }
    #expect(expectedFromHex == expected)

    let value = try JSONValue.parse(input)
    let encoded = Canonical.encode(value)
    #expect(encoded == expected, "\(canonicalTestShow(encoded))")
    #expect(Canonical.isCanonical(expected))
    #expect(try JSONValue.parse(expected) == value)
  }

  @Test("values.json is refused for its non-integer numbers, naming the first one")
  func valuesVectorRefused() throws {
    let input = try Self.vectorBytes("input", "values.json")
    // The first number, 333333333.33333329, is the first "3" in the file.
    let offset = try #require(input.firstIndex(of: UInt8(ascii: "3")))
    do {
      let value = try JSONValue.parse(input)
      Issue.record("accepted \(value)")
    } catch {
      #expect(error.offset == offset)
      #expect(error.message.contains("不允许小数"))
    }
  }

  @Test("structures.json: 56.0 is read as the integer 56")
  func structuresFiftySix() throws {
    let value = try JSONValue.parse(try Self.vectorBytes("input", "structures.json"))
    #expect(value.objectValue?["1"]?.objectValue?["\n"] == .integer(56))
  }

  @Test("Strings are never normalised: NFD stays NFD, byte for byte")
  func noNormalisation() throws {
    let decomposed = "A\u{30A}"
    let composed = "\u{C5}"
    #expect(decomposed == composed)  // Swift's String == uses canonical equivalence...
    #expect(JSONValue.string(decomposed) != JSONValue.string(composed))  // ...JSONValue doesn't.
    let encoded = Canonical.encode(.string(decomposed))
    #expect(encoded == [0x22, 0x41, 0xCC, 0x8A, 0x22])
    let parsed = try JSONValue.parse(encoded)
    #expect(parsed == .string(decomposed))
    #expect(parsed.stringValue.map { Array($0.utf8) } == Array(decomposed.utf8))
    #expect(Canonical.encode(parsed) == encoded)

    let vector = try JSONValue.parse(try Self.vectorBytes("input", "unicode.json"))
    #expect(vector.objectValue?["Unnormalized Unicode"] == .string(decomposed))
  }

  @Test("Escaping is minimal, with lower-case hex")
  func escaping() {
    let text = "\u{00}\u{01}\u{08}\u{09}\u{0A}\u{0B}\u{0C}\u{0D}\u{1F}\"\\/\u{7F}\u{2028}é😀"
    let expected = #""\u0000\u0001\b\t\n\u000b\f\r\u001f\"\\/"# + "\u{7F}\u{2028}é😀\""
    #expect(Canonical.encode(.string(text)) == Array(expected.utf8))
    // Long strings take the eight-bytes-at-a-time path; escapes at every position.
    for position in 0..<20 {
      var scalars = Array(repeating: Unicode.Scalar("x"), count: 20)
      scalars[position] = "\n"
      let string = String(String.UnicodeScalarView(scalars))
      let expected = "\"" + string.replacingOccurrences(of: "\n", with: "\\n") + "\""
      #expect(Canonical.encode(.string(string)) == Array(expected.utf8))
    }
  }

  @Test("Integers are plain decimal, including the range limits")
  func integers() {
    let cases: [(Int64, String)] = [
      (0, "0"), (7, "7"), (-7, "-7"), (10, "10"), (-100, "-100"), (1_234_567_890, "1234567890"),
      (JSONValue.integerMax, "9007199254740991"), (-JSONValue.integerMax, "-9007199254740991"),
    ]
    for (number, text) in cases {
      #expect(Canonical.encode(.integer(number)) == Array(text.utf8))
    }
  }

  @Test("Keys sort by UTF-16 code units, not by UTF-8 bytes or code points")
  func keyOrder() {
    // U+E000 is one UTF-16 unit (0xE000); U+1F600 is a surrogate pair starting 0xD83D, so it
    // sorts first in UTF-16 even though its UTF-8 bytes (F0…) sort after U+E000's (EE…).
    let object: JSONValue = [
      "\u{E000}": 1, "\u{1F600}": 2, "b": 3, "a": 4, "": 5, "\u{FFFF}": 6, "\u{10000}": 7,
      "aa": 8, "a\u{0}": 9,
    ]
    let expected =
      "{\"\":5,\"a\":4,\"a\\u0000\":9,\"aa\":8,\"b\":3,\"\u{10000}\":7,"
      + "\"\u{1F600}\":2,\"\u{E000}\":1,\"\u{FFFF}\":6}"
    #expect(canonicalTestShow(Canonical.encode(object)) == expected)
    #expect(Canonical.encode(object) == Array(expected.utf8))
  }

  @Test("Output goes through the heap once it outgrows the stack scratch space")
  func largeOutput() throws {
    var object = JSONObject()
    for index in 0..<500 {
      object["key\(index)"] = .string(String(repeating: "v\u{1}", count: index % 7))
    }
    let value = JSONValue.object(object)
    let encoded = Canonical.encode(value)
    #expect(encoded.count > 4096)
    #expect(try JSONValue.parse(encoded) == value)
    var appended: [UInt8] = Array("prefix".utf8)
    Canonical.encode(value, into: &appended)
    #expect(Array(appended.dropFirst(6)) == encoded)
  }

  @Test("The encoder agrees with an independent Python JCS on tricky and random values")
  func matchesPython() throws {
    var values: [JSONValue] = [
      .string("\u{00}\u{1F}\u{7F}\u{2028}\u{2029}"),
      .string("😀 emoji and 张* and e\u{301} and \u{E9}"),
      ["\u{E000}": 1, "\u{1F600}": 2, "\u{FFFD}": 3, "\u{10FFFF}": 4],
      ["z": ["y": ["x": [1, -2, 3]], "\u{E9}": "nfc", "e\u{301}": "nfd"], "a": nil],
      .integer(JSONValue.integerMax), .integer(-JSONValue.integerMax), .integer(-1), 0,
      ["b": true, "a": false, "c": [], "d": [:]],
      .string(String(repeating: "abc\"def\\", count: 9)),
    ]
    var generator = CanonicalValueGenerator(seed: 0xA1_7010_E2)
    for _ in 0..<400 { values.append(generator.value()) }
    let reference = try canonicalPythonReference(values.map(canonicalTestLooseJSON))
    try #require(reference.count == values.count)
    for (value, expected) in zip(values, reference) {
      let encoded = Canonical.encode(value)
      #expect(
        encoded == expected,
        "swift \(canonicalTestShow(encoded)) python \(canonicalTestShow(expected))")
    }
  }
}
