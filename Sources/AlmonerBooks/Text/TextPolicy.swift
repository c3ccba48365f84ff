import Foundation

/// What text the ledger holds and how text read from files is shown.
///
/// Every text field — names, purposes, reasons, references, attachment
/// names — is one line of visible characters. The characters refused are
/// listed here explicitly, not read from the runtime's Unicode tables, so
/// that every version of every verifier draws the same line on replay. A test
/// checks the list covers every control, format and line/paragraph separator
/// of the Unicode version this program was built with.
extension Text {
  /// Why a character is refused in ledger text: its class, its code point
  /// with its Chinese name, and its 1-based position among the text's code
  /// points.
  public struct RefusedCharacter: Sendable, Equatable, CustomStringConvertible {
    public var position: Int
    public var scalar: Unicode.Scalar
    /// `控制字符`, `方向格式字符`, `不可见的格式字符`, …
    public var kind: String
    /// `从右到左覆盖`; empty when the class says it all.
    public var name: String

    /// `U+202E（从右到左覆盖）`.
    public var codePoint: String {
      Text.codePoint(scalar) + (name.isEmpty ? "" : "（\(name)）")
    }

    /// `方向格式字符：第 3 个字符 U+202E（从右到左覆盖）`.
    public var description: String { "\(kind)：第 \(position) 个字符 \(codePoint)" }
  }

  /// The first character of `text` that ledger text may not hold, or nil.
  public static func firstRefusedCharacter(in text: String) -> RefusedCharacter? {
    var position = 0
    for scalar in text.unicodeScalars {
      position += 1
      if let (kind, name) = refusal(scalar) {
        return RefusedCharacter(position: position, scalar: scalar, kind: kind, name: name)
      }
    }
    return nil
  }

  /// Refuses `text` when it holds a character ledger text may not hold,
  /// naming `field`, the position and the code point, and what to do.
  static func requirePlain(_ text: String, field: String) throws(AlmonerError) {
    guard let refused = firstRefusedCharacter(in: text) else { return }
    throw .refused(
      .textCharacterRefused(
        field: field, character: refusalDescription(refused),
        invalidUTF8: refused.scalar.value == 0xFFFD))
  }

  /// `含有方向格式字符：第 3 个字符 U+202E（从右到左覆盖）`.
  static func refusalDescription(_ refused: RefusedCharacter) -> String { "含有\(refused)" }

  /// `U+001B`: four to six upper-case hex digits.
  static func codePoint(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }

  /// The class and Chinese name of a character ledger text may not hold, or
  /// nil when it may. Private-use characters are allowed (some rare
  /// characters in names exist only there), and so are unassigned ones (a
  /// later Unicode may assign them; refusing them would make old and new
  /// verifiers disagree). Variation selectors are allowed too (ideographic
  /// variants), but names are compared without them (`nameKey`).
  static func refusal(_ scalar: Unicode.Scalar) -> (kind: String, name: String)? {
    let value = scalar.value
    // The common case: printable ASCII and CJK.
    if (0x20...0x7E).contains(value) || (0x4E00...0x9FFF).contains(value) { return nil }
    let control = "控制字符"
    let bidi = "方向格式字符"
    let invisible = "不可见的格式字符"
    switch value {
    case 0x00: return (control, "空字符")
    case 0x09: return (control, "制表符")
    case 0x0A: return (control, "换行")
    case 0x0D: return (control, "回车")
    case 0x1B: return (control, "转义符 ESC")
    case 0x01...0x1F: return (control, "C0")
    case 0x7F: return (control, "删除符 DEL")
    case 0x80...0x9F: return (control, "C1")
    case 0xAD: return (invisible, "软连字符")
    case 0x34F: return (invisible, "组合用字形连接符")
    case 0x61C: return (bidi, "阿拉伯字母标记")
    case 0x600...0x605, 0x6DD, 0x70F, 0x890...0x891, 0x8E2: return (invisible, "")
    case 0x115F, 0x1160, 0x3164, 0xFFA0: return (invisible, "谚文填充符")
    case 0x17B4, 0x17B5: return (invisible, "高棉文不发音元音")
    case 0x180E: return (invisible, "蒙古文元音分隔符")
    case 0x200B: return (invisible, "零宽空格")
    case 0x200C: return (invisible, "零宽不连字")
    case 0x200D: return (invisible, "零宽连字")
    case 0x200E: return (bidi, "从左到右标记")
    case 0x200F: return (bidi, "从右到左标记")
    case 0x2028: return ("分行符", "行分隔符")
    case 0x2029: return ("分行符", "段分隔符")
    case 0x202A: return (bidi, "从左到右嵌入")
    case 0x202B: return (bidi, "从右到左嵌入")
    case 0x202C: return (bidi, "弹出方向格式")
    case 0x202D: return (bidi, "从左到右覆盖")
    case 0x202E: return (bidi, "从右到左覆盖")
    case 0x2060: return (invisible, "词连接符")
    case 0x2061...0x2064: return (invisible, "不可见数学运算符")
    case 0x2066: return (bidi, "从左到右隔离")
    case 0x2067: return (bidi, "从右到左隔离")
    case 0x2068: return (bidi, "首强字符隔离")
    case 0x2069: return (bidi, "弹出方向隔离")
    case 0x2065, 0x206A...0x206F: return (invisible, "")
    case 0xFEFF: return (invisible, "字节顺序标记 BOM")
    case 0xFFF0...0xFFF8: return (invisible, "保留")
    case 0xFFF9...0xFFFB: return (invisible, "行间注释符")
    case 0xFFFD: return ("替换字符", "无效的 UTF-8 被替换成的字符")
    case 0xFDD0...0xFDEF: return ("非字符", "")
    case 0x110BD, 0x110CD, 0x13430...0x1343F, 0x1BCA0...0x1BCA3, 0x1D173...0x1D17A:
      return (invisible, "")
    case 0xE0000...0xE00FF, 0xE01F0...0xE0FFF: return (invisible, "标签或保留")
    default:
      // U+FFFE and U+FFFF of every plane.
      return value & 0xFFFE == 0xFFFE ? ("非字符", "") : nil
    }
  }

  // MARK: Comparing names

  /// Variation selectors (Unicode's, and Mongolian's free ones): they pick
  /// a glyph variant and draw nothing of their own, so names are compared
  /// without them.
  static func isVariationSelector(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0xFE00...0xFE0F, 0xE0100...0xE01EF, 0x180B...0x180D, 0x180F: true
    default: false
    }
  }

  /// The form in which two names are the same name: compatibility-normalised
  /// (NFKC: full-width ＡＢＣ and ABC, ㈠ and (一) compare equal), lower-cased,
  /// without variation selectors, and with each run of spaces made one space.
  /// Units are unique by it across the ledger and funds within their unit.
  public static func nameKey(_ name: String) -> String {
    let folded = name.precomposedStringWithCompatibilityMapping.lowercased()
      .precomposedStringWithCompatibilityMapping
    var key = String.UnicodeScalarView()
    var pendingSpace = false
    for scalar in folded.unicodeScalars {
      if isVariationSelector(scalar) { continue }
      if scalar.properties.isWhitespace {
        pendingSpace = !key.isEmpty
        continue
      }
      if pendingSpace { key.append(" ") }
      pendingSpace = false
      key.append(scalar)
    }
    return String(key)
  }

  /// Whether `name` reads like a unit code (`GA-BC`, `ＧＡ－ＢＣ`): only
  /// capital Latin letters, digits and hyphens once normalised. Such a name
  /// next to the codes in every listing would pass for another unit.
  static func looksLikeUnitCode(_ name: String) -> Bool {
    let normalised = name.precomposedStringWithCompatibilityMapping
    return !normalised.isEmpty
      && normalised.utf8.allSatisfy {
        ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-")
      }
  }

  // MARK: Showing text read from files

  /// `text` safe to show on one line of a terminal: every character ledger
  /// text may not hold — escape sequences, other controls and line breaks,
  /// bidi and zero-width characters — is shown as `<U+XXXX>`. For any text
  /// that came from a file (ledger, receipt, trust bundle, checkpoint).
  public static func escaped(_ text: String) -> String {
    escaped(text, keepingLineFeeds: false)
  }

  /// `escaped`, but keeping line feeds: for a whole output this program laid
  /// out itself, as the last guard before it reaches a terminal.
  public static func escapedKeepingLineFeeds(_ text: String) -> String {
    escaped(text, keepingLineFeeds: true)
  }

  private static func escaped(_ text: String, keepingLineFeeds: Bool) -> String {
    let needsEscape = { (scalar: Unicode.Scalar) in
      refusal(scalar) != nil && !(keepingLineFeeds && scalar == "\n")
    }
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if needsEscape(scalar) {
        out.append(contentsOf: "<\(codePoint(scalar))>".unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// JSON text safe to show on a terminal with the same value: every
  /// character ledger text may not hold is written as a `\uXXXX` escape
  /// (a surrogate pair above U+FFFF). Outside strings JSON holds only ASCII
  /// punctuation, digits, letters and whitespace, none of them escaped here
  /// except line feeds, which are kept.
  public static func escapedJSON(_ json: String) -> String {
    let needsEscape = { (scalar: Unicode.Scalar) in scalar != "\n" && refusal(scalar) != nil }
    guard json.unicodeScalars.contains(where: needsEscape) else { return json }
    var out = String.UnicodeScalarView()
    func append(_ unit: UInt32) {
      let hex = String(unit, radix: 16)
      out.append(
        contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
    }
    for scalar in json.unicodeScalars {
      guard needsEscape(scalar) else {
        out.append(scalar)
        continue
      }
      if scalar.value > 0xFFFF {
        let offset = scalar.value - 0x10000
        append(0xD800 + (offset >> 10))
        append(0xDC00 + (offset & 0x3FF))
      } else {
        append(scalar.value)
      }
    }
    return String(out)
  }
}
