import Testing

#if canImport(AlmonerKit)
  import AlmonerKit
#else
  import Canonical
#endif

/// One input the parser must refuse, with the byte offset and message fragment expected.
struct CanonicalRejection: Sendable, CustomTestStringConvertible {
  var name: String
  var bytes: [UInt8]
  var offset: Int?
  var fragment: String

  init(_ name: String, _ text: String, at offset: Int?, _ fragment: String) {
    self.init(name, Array(text.utf8), at: offset, fragment)
  }

  init(_ name: String, _ bytes: [UInt8], at offset: Int?, _ fragment: String) {
    self.name = name
    self.bytes = bytes
    self.offset = offset
    self.fragment = fragment
  }

  var testDescription: String { name }
}

@Suite("Strict JSON parser")
struct CanonicalParserTests {
  static let quote = UInt8(ascii: "\"")

  static let rejections: [CanonicalRejection] = [
    .init("empty input", "", at: nil, "输入为空"),
    .init("only whitespace", "  \n", at: 3, "意外结束"),
    .init("BOM", [0xEF, 0xBB, 0xBF] + Array("{}".utf8), at: 0, "BOM"),
    .init("trailing garbage", "{\"a\":1} x", at: 8, "多余的内容"),
    .init("second value", "[1]]", at: 3, "多余的内容"),
    .init("duplicate key", "{\"a\":1,\"a\":2}", at: 7, "对象键 \"a\" 重复"),
    .init("duplicate key via escape", "{\"a\":1,\"\\u0061\":2}", at: 7, "对象键 \"a\" 重复"),
    .init("duplicate key, unsorted", "{\"b\":1,\"a\":2,\"b\":3}", at: 13, "对象键 \"b\" 重复"),
    .init("duplicate nested key", "{\"x\":{\"k\":1,\"k\":1}}", at: 12, "对象键 \"k\" 重复"),
    .init("lone high surrogate", "\"\\ud800\"", at: 1, "孤立的高位代理项"),
    .init("lone low surrogate", "\"\\udc00\"", at: 1, "孤立的低位代理项"),
    .init("reversed surrogate pair", "\"\\udc00\\ud800\"", at: 1, "孤立的低位代理项"),
    .init("high surrogate then letter", "\"\\ud83dx\"", at: 1, "孤立的高位代理项"),
    .init("high surrogate then BMP escape", "\"\\ud83d\\u0041\"", at: 1, "低位代理项"),
    .init("raw newline in string", "\"a\nb\"", at: 2, "控制字符"),
    .init("raw tab in string", "[\"\t\"]", at: 2, "控制字符"),
    .init("overlong NUL", [quote, 0xC0, 0x80, quote], at: 1, "UTF-8"),
    .init("UTF-8 encoded surrogate", [quote, 0xED, 0xA0, 0x80, quote], at: 1, "UTF-8"),
    .init("byte 0xFF", [quote, 0xFF, quote], at: 1, "UTF-8"),
    .init("stray continuation", [quote, 0x80, quote], at: 1, "UTF-8"),
    .init("truncated sequence", [quote, 0xE5, 0xBC, quote], at: 1, "UTF-8"),
    .init("above U+10FFFF", [quote, 0xF4, 0x90, 0x80, 0x80, quote], at: 1, "UTF-8"),
    .init("overlong three bytes", [quote, 0xE0, 0x80, 0xAF, quote], at: 1, "UTF-8"),
    .init("0xFF outside a string", [0xFF], at: 0, "0xFF"),
    .init(
      "depth 65", String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
      at: 64, "嵌套太深"),
    .init(
      "depth 65 objects",
      String(repeating: "{\"a\":", count: 65) + "1"
        + String(repeating: "}", count: 65), at: 320, "嵌套太深"),
    .init("leading zero", "01", at: 0, "不能以 0 开头"),
    .init("negative leading zero", "-01", at: 0, "不能以 0 开头"),
    .init("plus sign", "+1", at: 0, "意外的字符 “+”"),
    .init("bare decimal point", "1.", at: 0, "小数点"),
    .init("leading decimal point", ".5", at: 0, "意外的字符 “.”"),
    .init("lone minus", "-", at: 0, "负号"),
    .init("minus then letter", "-Infinity", at: 0, "负号"),
    .init("NaN", "NaN", at: 0, "意外的字符 “N”"),
    .init("Infinity", "Infinity", at: 0, "意外的字符 “I”"),
    .init("empty exponent", "1e", at: 0, "指数"),
    .init("2^53", "9007199254740992", at: 0, "超出范围"),
    .init("-2^53", "[-9007199254740992]", at: 1, "超出范围"),
    .init("huge integer", "123456789012345678901234567890", at: 0, "超出范围"),
    .init("huge exponent", "1e999999999", at: 0, "超出范围"),
    .init("huger exponent", "1e99999999999999999999999999", at: 0, "超出范围"),
    .init("tiny exponent", "1e-999999999", at: 0, "不允许小数"),
    .init("4.50", "4.50", at: 0, "不允许小数"),
    .init("2e-3", "[1, 2e-3]", at: 4, "不允许小数"),
    .init("1E30", "1E30", at: 0, "超出范围"),
    .init("333333333.33333329", "333333333.33333329", at: 0, "不允许小数"),
    .init("1e-27", "0.000000000000000000000000001", at: 0, "不允许小数"),
    .init("2^53 as decimal", "900719925474099.2e1", at: 0, "超出范围"),
    .init("trailing comma in array", "[1,]", at: 3, "意外的字符 “]”"),
    .init("trailing comma in object", "{\"a\":1,}", at: 7, "对象的键"),
    .init("unquoted key", "{a:1}", at: 1, "对象的键"),
    .init("missing colon", "{\"a\" 1}", at: 5, "“:”"),
    .init("missing comma", "[1 2]", at: 3, "“,”"),
    .init("unterminated string", "\"abc", at: 0, "双引号"),
    .init("unterminated array", "[1,", at: 3, "意外结束"),
    .init("unterminated object", "{\"a\":", at: 5, "意外结束"),
    .init("invalid escape", "\"\\x\"", at: 1, "转义"),
    .init("short unicode escape", "\"\\u12\"", at: 1, "十六进制"),
    .init("bad unicode escape", "\"\\u12G4\"", at: 1, "十六进制"),
    .init("single quotes", "'a'", at: 0, "意外的字符"),
    .init("misspelt literal", "[tru]", at: 1, "true"),
    .init("capitalised literal", "True", at: 0, "意外的字符 “T”"),
  ]

  @Test("Refuses bad input, naming the byte", arguments: rejections)
  func rejects(_ case: CanonicalRejection) {
    do {
      let value = try JSONValue.parse(`case`.bytes)
      Issue.record("accepted as \(value)")
    } catch {
      #expect(error.offset == `case`.offset, "\(error.message)")
      #expect(error.message.contains(`case`.fragment), "\(error.message)")
      if let offset = `case`.offset {
        #expect(error.message.hasPrefix("第 \(offset + 1) 字节："), "\(error.message)")
      }
      #expect(error.description == error.message)
    }
  }

  @Test("Accepts numbers whose exact value is an integer in range")
  func integralNumbers() throws {
    let cases: [(String, Int64)] = [
      ("0", 0), ("-0", 0), ("56.0", 56), ("1E3", 1000), ("1e+3", 1000), ("-0.0", 0),
      ("10e-1", 1), ("1.5e1", 15), ("100e-2", 1), ("0.0e0", 0), ("0e999999999", 0),
      ("0.000e-999999999", 0), ("9007199254740991", JSONValue.integerMax),
      ("-9007199254740991", -JSONValue.integerMax), ("9007199254740991.000", JSONValue.integerMax),
      ("900719925474099.1e1", JSONValue.integerMax),
      ("0.9007199254740991e16", JSONValue.integerMax),
      ("-12.3400e2", -1234), ("123", 123), ("-123", -123),
      ("5000000000000000", 5_000_000_000_000_000),
    ]
    for (text, number) in cases {
      #expect(try canonicalTestParse(text) == .integer(number), "\(text)")
    }
  }

  @Test("Accepts depth 64 exactly")
  func depthLimit() throws {
    let arrays = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    var value = try canonicalTestParse(arrays)
    var depth = 0
    while case .array(let elements) = value {
      depth += 1
      value = elements.first ?? .null
    }
    #expect(depth == JSONValue.depthMax)
    #expect(JSONValue.depthMax == 64)
  }

  @Test("Keys equal under Unicode equivalence but different in bytes are distinct")
  func canonicallyEquivalentKeys() throws {
    // Canonical order: "e" (U+0065) sorts before "é" (U+00E9).
    let text = "{\"e\u{301}\":2,\"\u{E9}\":1}"
    let value = try canonicalTestParse(text)
    let object = try #require(value.objectValue)
    #expect(object.count == 2)
    #expect(object["\u{E9}"] == 1)
    #expect(object["e\u{301}"] == 2)
    #expect(Canonical.isCanonical(Array(text.utf8)))
  }

  @Test("Finds duplicates in large unsorted objects too")
  func largeObjectDuplicates() throws {
    var members = (0..<40).reversed().map { "\"k\($0)\":\($0)" }
    let distinct = try canonicalTestParse("{" + members.joined(separator: ",") + "}")
    #expect(distinct.objectValue?.count == 40)
    members.append("\"k17\":0")
    let text = "{" + members.joined(separator: ",") + "}"
    let offset = text.utf8.count - #""k17":0}"#.utf8.count
    do {
      let value = try canonicalTestParse(text)
      Issue.record("accepted \(value)")
    } catch {
      #expect(error.offset == offset)
      #expect(error.message.contains("\"k17\" 重复"))
    }
  }

  @Test("Decodes escapes, surrogate pairs and raw UTF-8")
  func strings() throws {
    let text = #"["\"\\\/\b\f\n\r\t", "\u00e9\u00E9", "\ud83d\ude02", "\u0000", "张*", "\u2028"]"#
    let value = try canonicalTestParse(text)
    #expect(value == ["\"\\/\u{8}\u{C}\n\r\t", "éé", "😂", "\u{0}", "张*", "\u{2028}"])
    // A long escape-free run after an escape, to cover the slow path's copying.
    let long = String(repeating: "长串abc", count: 20)
    #expect(try canonicalTestParse("\"\\n" + long + "\"") == .string("\n" + long))
  }

  @Test("Accepts whitespace around values and literals in all positions")
  func whitespaceAndLiterals() throws {
    let value = try canonicalTestParse(" \t\r\n{ \"a\" : [ true , false , null ] } \n")
    #expect(value == ["a": [true, false, nil]])
    #expect(try canonicalTestParse("null") == .null)
    #expect(try canonicalTestParse("\"\"") == "")
    #expect(try canonicalTestParse("[]") == [])
    #expect(try canonicalTestParse("{}") == .object(JSONObject()))
  }

  @Test("Parses from any byte collection and from raw buffers")
  func inputKinds() throws {
    let text = "{\"b\":[1,2],\"a\":\"x\"}"
    let expected: JSONValue = ["a": "x", "b": [1, 2]]
    #expect(try JSONValue.parse(Array(text.utf8)) == expected)
    #expect(try JSONValue.parse(text.utf8) == expected)
    #expect(try JSONValue.parse(ArraySlice(Array(text.utf8))) == expected)
    #expect(try JSONValue.parse(Array(text.utf8).lazy.map { $0 }) == expected)
    let fromBuffer = try Array(text.utf8).withUnsafeBytes { buffer in
      Result { () throws(CanonicalError) in try JSONValue.parse(buffer) }
    }.get()
    #expect(fromBuffer == expected)
  }

  @Test("isCanonical accepts only exact canonical bytes")
  func isCanonical() {
    #expect(Canonical.isCanonical(Array("{\"a\":1,\"b\":[true,null]}".utf8)))
    #expect(!Canonical.isCanonical(Array("{\"b\":1,\"a\":2}".utf8)))
    #expect(!Canonical.isCanonical(Array("{\"a\": 1}".utf8)))
    #expect(!Canonical.isCanonical(Array("\"\\u0041\"".utf8)))
    #expect(!Canonical.isCanonical(Array("1.0".utf8)))
    #expect(!Canonical.isCanonical(Array("-0".utf8)))
    #expect(!Canonical.isCanonical(Array("[1,]".utf8)))
    #expect(!Canonical.isCanonical([]))
  }
}
