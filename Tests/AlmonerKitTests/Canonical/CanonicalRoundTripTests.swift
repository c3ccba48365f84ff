import Testing

#if canImport(AlmonerKit)
  import AlmonerKit
#else
  import Canonical
#endif

@Suite("Round trips and the JSONValue model")
struct CanonicalRoundTripTests {
  @Test("Random values survive encode → parse → encode unchanged")
  func randomRoundTrip() throws {
    var generator = CanonicalValueGenerator(seed: 2026_11_29)
    for _ in 0..<3000 {
      let value = generator.value()
      let encoded = Canonical.encode(value)
      let parsed = try JSONValue.parse(encoded)
      #expect(parsed == value, "\(canonicalTestShow(encoded))")
      #expect(Canonical.encode(parsed) == encoded)
      #expect(Canonical.isCanonical(encoded))
      var appended: [UInt8] = [0x20]
      Canonical.encode(value, into: &appended)
      #expect(Array(appended.dropFirst()) == encoded)
    }
  }

  @Test("Non-canonical spellings of random values parse to the same value")
  func looseSpellings() throws {
    var generator = CanonicalValueGenerator(seed: 7)
    for _ in 0..<500 {
      let value = generator.value()
      let loose = canonicalTestLooseJSON(value)
      #expect(try canonicalTestParse(loose) == value, "\(loose)")
    }
  }

  @Test("Equality compares strings by bytes and objects regardless of order")
  func equality() {
    #expect(JSONValue.string("\u{E9}") != .string("e\u{301}"))
    #expect(JSONValue.string("abc") == "abc")
    let ab: JSONValue = ["a": 1, "b": [true, nil]]
    let ba: JSONValue = ["b": [true, nil], "a": 1]
    #expect(ab == ba)
    #expect(ab != ["a": 1, "b": [true, false]])
    #expect(ab != ["a": 1])
    #expect(ab != ["a": 1, "c": [true, nil]])
    #expect(JSONValue.integer(1) != .bool(true))
    #expect(JSONValue.array([]) != .object(JSONObject()))
    let nfc: JSONValue = ["\u{E9}": 1]
    let nfd: JSONValue = ["e\u{301}": 1]
    #expect(nfc != nfd)
  }

  @Test("JSONObject subscripts look up exact bytes, replace in place, append and remove")
  func objectEditing() {
    var object: JSONObject = ["b": 1, "a": 2]
    #expect(object.count == 2)
    #expect(object["a"] == 2)
    #expect(object["e\u{301}"] == nil)
    object["b"] = "replaced"
    #expect(object.keys == ["b", "a"])
    #expect(object["b"] == "replaced")
    object["\u{E9}"] = 3
    object["e\u{301}"] = 4
    #expect(object.count == 4)
    #expect(object["\u{E9}"] == 3)
    #expect(object["e\u{301}"] == 4)
    object["a"] = nil
    object["missing"] = nil
    #expect(
      object.keys.map { Array($0.utf8) } == ["b", "\u{E9}", "e\u{301}"].map { Array($0.utf8) })
    #expect(object.members.first?.key == "b")
    #expect(!object.isEmpty)
    #expect(JSONObject().isEmpty)
    let built = JSONObject([("x", 1), ("y", 2)])
    #expect(built == ["y": 2, "x": 1])
  }

  @Test("Accessors return payloads only for the matching case")
  func accessors() {
    let value: JSONValue = ["s": "text", "i": 5, "b": false, "a": [1], "o": [:], "n": nil]
    let object = value.objectValue
    #expect(object?["s"]?.stringValue == "text")
    #expect(object?["i"]?.integerValue == 5)
    #expect(object?["b"]?.boolValue == false)
    #expect(object?["a"]?.arrayValue == [1])
    #expect(object?["o"]?.objectValue == JSONObject())
    #expect(object?["n"]?.isNull == true)
    #expect(object?["s"]?.integerValue == nil)
    #expect(object?["i"]?.stringValue == nil)
    #expect(object?["n"]?.boolValue == nil)
    #expect(value.arrayValue == nil)
    #expect(!value.isNull)
    #expect(JSONValue.isIntegerInRange(JSONValue.integerMax))
    #expect(!JSONValue.isIntegerInRange(JSONValue.integerMax + 1))
    #expect(!JSONValue.isIntegerInRange(Int64.min))
  }
}
