import AlmonerKit
import Foundation
import Testing

/// The one text policy (security review item 9): which characters ledger
/// text may hold, when two names are the same name, and how text read from
/// a file is shown.
@Suite("Text policy: refused characters, name keys, escaping")
struct TextPolicyTests {
  @Test("the refused list covers every control, format and line/paragraph separator")
  func refusedListIsComplete() {
    var missing: [String] = []
    for value in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      switch scalar.properties.generalCategory {
      case .control, .format, .lineSeparator, .paragraphSeparator:
        if Text.firstRefusedCharacter(in: String(scalar)) == nil {
          missing.append(String(value, radix: 16))
        }
      default: break
      }
    }
    #expect(missing.isEmpty, "not refused: \(missing)")
  }

  @Test(
    "names, purposes and punctuation in use stay allowed",
    arguments: [
      "建设路社区", "广安区爱心企业联合会", "阿依古丽·买买提", "老年人助餐（含送餐）、助浴——2026 年",
      "北城　街道", "BANK-2026-0815-001", "Zoë Müller", "李*", "ｅｌｄｅｒｌｙ", "😀 爱心", "葛\u{E0100}",
      "\u{E000}姓", "𠀀", "ﾃｽﾄ", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
    ])
  func allowed(_ text: String) {
    #expect(Text.firstRefusedCharacter(in: text) == nil)
  }

  @Test(
    "each refused class is named with position and code point",
    arguments: [
      ("专项\u{202E}", 3, "U+202E（从右到左覆盖）", "方向格式字符"),
      ("建设路社区\u{200B}", 6, "U+200B（零宽空格）", "不可见的格式字符"),
      ("\u{FEFF}张三", 1, "U+FEFF（字节顺序标记 BOM）", "不可见的格式字符"),
      ("张\u{1B}[31m三", 2, "U+001B（转义符 ESC）", "控制字符"),
      ("张\u{85}三", 2, "U+0085（C1）", "控制字符"),
      ("张\u{7F}三", 2, "U+007F（删除符 DEL）", "控制字符"),
      ("张\u{2028}三", 2, "U+2028（行分隔符）", "分行符"),
      ("张\u{FFFD}", 2, "U+FFFD（无效的 UTF-8 被替换成的字符）", "替换字符"),
      ("张\u{2066}三\u{2069}", 2, "U+2066（从左到右隔离）", "方向格式字符"),
      ("张\u{AD}三", 2, "U+00AD（软连字符）", "不可见的格式字符"),
      ("张\u{FFFF}", 2, "U+FFFF", "非字符"),
      ("张\u{E0041}", 2, "U+E0041（标签或保留）", "不可见的格式字符"),
    ])
  func refused(_ text: String, _ position: Int, _ codePoint: String, _ kind: String) throws {
    let refused = try #require(Text.firstRefusedCharacter(in: text))
    #expect(refused.position == position)
    #expect(refused.codePoint == codePoint)
    #expect(refused.kind == kind)
    #expect {
      try Text.input(text, field: "--name")
    } throws: { error in
      let message = (error as? AlmonerError)?.message ?? ""
      return (error as? AlmonerError)?.kind == .badInput && message.hasPrefix("--name 含有\(kind)")
        && message.contains("第 \(position) 个字符 \(codePoint)")
    }
  }

  @Test("U+FFFD from invalid UTF-8 is refused as not UTF-8")
  func invalidUTF8() {
    let repaired = String(decoding: [0xE5, 0xBC, 0xA0, 0xFF], as: UTF8.self)
    #expect {
      try Text.input(repaired, field: "--donor")
    } throws: { ($0 as? AlmonerError)?.message.contains("不是有效的 UTF-8") == true }
  }

  @Test("names compare after NFKC, case folding, variation selectors and space runs")
  func nameKeys() {
    #expect(Text.nameKey("ＡＢＣ基金") == Text.nameKey("abc基金"))
    #expect(Text.nameKey("老龄食堂") == Text.nameKey("老龄食堂\u{FE00}"))
    #expect(Text.nameKey("北城 街道") == Text.nameKey("北城\u{3000}\u{3000}街道"))
    #expect(Text.nameKey("㈠号基金") == Text.nameKey("(一)号基金"))
    #expect(Text.nameKey("ＧＡ－ＢＣ") == Text.nameKey("ga-bc"))
    #expect(Text.nameKey("北城街道") != Text.nameKey("北城街"))
    #expect(Text.nameKey("北城街道") != Text.nameKey("北城 街道"))
  }

  @Test("text from a file is shown escaped: ESC, line breaks, bidi and zero-width characters")
  func escaping() {
    let hostile = "张\u{1B}[2K\r核验通过\n¥100,000\u{202E}00.0\u{200B}"
    let shown = Text.escaped(hostile)
    #expect(shown == "张<U+001B>[2K<U+000D>核验通过<U+000A>¥100,000<U+202E>00.0<U+200B>")
    #expect(Text.escaped("建设路社区·阿依古丽（一）") == "建设路社区·阿依古丽（一）")
    #expect(Text.escapedKeepingLineFeeds("a\nb\u{1B}c\n") == "a\nb<U+001B>c\n")
  }

  @Test("JSON for the terminal keeps its value with \\u escapes")
  func escapedJSON() throws {
    let value: JSONValue = .object([
      "name": .string("专项\u{202E}\u{1B}[31m\u{85}\u{E0041}"), "n": 1,
    ])
    let json = Rendering.json(value)
    let shown = Text.escapedJSON(json)
    #expect(
      !shown.unicodeScalars.contains {
        Text.firstRefusedCharacter(in: String($0)) != nil && $0 != "\n"
      })
    #expect(shown.contains("\\u202e") && shown.contains("\\udb40\\udc41"))
    #expect(try JSONValue.parse(Array(shown.utf8)) == value)
  }

  @Test("table cells are escaped, so a name can't break or reverse a row")
  func tables() {
    let table = Text.table([["名称", "金额"], ["专项\u{202E}", "12,000.00"], ["a\nb", "1.00"]])
    #expect(!table.contains("\u{202E}"))
    #expect(table.split(separator: "\n").count == 3)
    #expect(table.contains("专项<U+202E>"))
  }
}
