import Foundation

/// Text as it enters the ledger and as it is laid out for reading.
public enum Text {
  /// Normalises user text to NFC where it enters (DESIGN §2): trims
  /// surrounding whitespace, refuses empty text, text holding a character
  /// ledger text may not hold (controls, bidi and zero-width characters,
  /// U+FFFD from invalid UTF-8: `firstRefusedCharacter`) and text over
  /// `BodyCheck.textLengthMax` characters, naming `field`.
  public static func input(_ raw: String, field: String) throws(AlmonerError) -> String {
    let text = nfc(raw.trimmingWhitespace())
    guard !text.isEmpty else { throw .refused(.textEmpty(field: field)) }
    try requirePlain(text, field: field)
    guard text.count <= BodyCheck.textLengthMax else {
      throw .refused(.textTooLong(field: field, max: BodyCheck.textLengthMax, actual: text.count))
    }
    return text
  }

  /// NFC form of `text`. Text made only of ASCII and of CJK characters that
  /// have no decomposition and never compose (the common case for names) is
  /// already NFC, so it skips Foundation's comparatively slow normaliser.
  public static func nfc(_ text: String) -> String {
    let stable = text.unicodeScalars.allSatisfy { scalar in
      switch scalar.value {
      case 0..<0x300, 0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xFF01...0xFF60:
        true
      default: false
      }
    }
    return stable ? text : text.precomposedStringWithCanonicalMapping
  }

  /// A checkpoint origin (C2SP tlog-checkpoint): printable ASCII, no spaces
  /// or plus signs, so it can head a signed note.
  package static func origin(_ raw: String) throws(AlmonerError) -> String {
    let valid =
      !raw.isEmpty && raw.utf8.count <= 128
      && raw.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "+") }
    guard valid else {
      throw .refused(.originInvalid(raw))
    }
    return raw
  }

  /// `almoner/<district code>/<8 random hex>`: unique enough that two
  /// ledgers don't share an origin by accident.
  package static func defaultOrigin(district: String) -> String {
    "almoner/\(district)/" + Hex.encode(SecureRandom.bytes(count: 4))
  }

  /// The public form of a person's name (DESIGN §6): the first character,
  /// then one `*` per further character (张三 → 张*, 王小明 → 王**).
  public static func masked(_ name: String) -> String {
    guard let first = name.first else { return "*" }
    if name.count == 1 { return "*" }
    return String(first) + String(repeating: "*", count: name.count - 1)
  }

  /// Terminal columns `text` takes: East Asian wide and fullwidth characters
  /// count two, combining marks none.
  public static func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
  }

  static func width(of scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if value == 0x200B { return 0 }
    let wide: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD,
      0x30000...0x3FFFD,
    ]
    return wide.contains { $0.contains(value) } ? 2 : 1
  }

  /// `text` padded with spaces to `width` columns (left-aligned), or
  /// right-aligned when `right` is true.
  public static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - displayWidth(text)))
    return right ? padding + text : text + padding
  }

  /// Lays out rows as columns aligned by display width. `rightAligned` holds
  /// the indexes of numeric columns. Cells are names and words read from the
  /// ledger file, so each is shown escaped (`escaped`): one line, no
  /// control or bidi character to move what follows.
  public static func table(
    _ rows: [[String]], rightAligned: Set<Int> = [], indent: String = ""
  ) -> String {
    let rows = rows.map { $0.map(escaped) }
    guard let columnCount = rows.map(\.count).max() else { return "" }
    var widths = [Int](repeating: 0, count: columnCount)
    for row in rows {
      for (index, cell) in row.enumerated() {
        widths[index] = max(widths[index], displayWidth(cell))
      }
    }
    return rows.map { row in
      let cells = row.enumerated().map { index, cell in
        index == row.count - 1 && !rightAligned.contains(index)
          ? cell : pad(cell, to: widths[index], right: rightAligned.contains(index))
      }
      return indent + cells.joined(separator: "  ")
    }.joined(separator: "\n")
  }
}
