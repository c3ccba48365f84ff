import Foundation

/// The text encodings a bill may come in.
public enum BillEncoding: String, Sendable {
  case utf8 = "utf-8"
  /// GB18030, a superset of GBK and GB2312: Alipay exports its bills in it.
  case gb18030

  /// Reads an encoding name from a rules file: utf-8/utf8; gb18030, gbk, gb2312, cp936.
  public init?(name: String) {
    switch name.lowercased() {
    case "utf-8", "utf8": self = .utf8
    case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
    default: return nil
    }
  }

  var displayName: String { self == .utf8 ? "UTF-8" : "GB18030（GBK）" }
}

/// One record of a CSV file (RFC 4180): its cells, or why it can't be read,
/// with the line it starts on (1-based, as a text editor counts).
struct CSVRecord {
  var line: Int
  var cells: [String]
  /// Why the record could not be read; `cells` is empty then.
  var problem: String?

  /// The cells joined by commas: what an `if REGEX` rule matches.
  var text: String { cells.joined(separator: ",") }

  var isBlank: Bool { problem == nil && cells.allSatisfy(\.isEmpty) }
}

/// Splits a file into CSV records: RFC 4180 quoting (a quoted cell may hold
/// the separator, `""` and line breaks), CRLF or LF line ends, a UTF-8 BOM
/// skipped. Each physical line is decoded on its own, so an invalid byte is
/// reported on its line and the rest of the file still read.
enum CSVRecords {
  /// The longest record accepted (bytes), so one broken quote can't make the
  /// whole file one record.
  static let recordLengthMax = 64 * 1024

  static func read(_ data: [UInt8], encoding: BillEncoding, separator: Character) -> [CSVRecord] {
    Array(IteratorSequence(Iterator(data: data, encoding: encoding, separator: separator)))
  }

  /// The records one at a time, read from `BillBytes` a block at a time,
  /// so a large file is never held whole, nor as cells.
  struct Iterator: IteratorProtocol {
    let encoding: BillEncoding
    let separator: Character
    private var lines: BillLines
    private var lineNumber = 1

    init(data: [UInt8], encoding: BillEncoding, separator: Character) {
      self.init(bytes: BillBytes(data), encoding: encoding, separator: separator)
    }

    init(bytes: BillBytes, encoding: BillEncoding, separator: Character) {
      self.lines = BillLines(source: bytes)
      self.encoding = encoding
      self.separator = separator
    }

    /// Bytes of the bill read so far.
    var bytesRead: Int { lines.bytesRead }
    /// Why the bill could not be read to its end (an I/O error), if so.
    var failure: AlmonerError? { lines.failure }

    /// The next physical line, decoded (nil text: not valid in the
    /// encoding, or longer than `BillLines.lineLengthMax`); nil at the end
    /// of the file. GB18030 lead bytes are ≥ 0x81 and trail bytes ≥ 0x30,
    /// so a line feed byte is a line feed in either encoding.
    private mutating func nextLine() -> (number: Int, text: String?, tooLong: Bool)? {
      guard let line = lines.next() else { return nil }
      let number = lineNumber
      lineNumber += 1
      guard case .bytes(var bytes) = line else { return (number, nil, true) }
      if number == 1, encoding == .utf8, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
        bytes = bytes.dropFirst(3)
      }
      if let last = bytes.last, last == 0x0D { bytes = bytes.dropLast() }
      switch encoding {
      case .utf8:
        return (
          number, bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }, false
        )
      case .gb18030:
        if bytes.allSatisfy({ $0 < 0x80 }) {
          return (number, String(decoding: bytes, as: UTF8.self), false)
        }
        return (
          number, String(data: Data(bytes), encoding: String.Encoding(rawValue: 0x8000_0632)), false
        )
      }
    }

    mutating func next() -> CSVRecord? {
      guard let first = nextLine() else { return nil }
      guard var text = first.text else {
        return CSVRecord(
          line: first.number, cells: [], problem: CSVRecords.unreadable(first, encoding))
      }
      while true {
        switch CSVRecords.split(text, separator: separator) {
        case .cells(let cells):
          return CSVRecord(line: first.number, cells: cells)
        case .malformed(let why):
          return CSVRecord(line: first.number, cells: [], problem: why)
        case .openQuote:
          // A quoted cell goes on over the line break.
          guard text.utf8.count < recordLengthMax else {
            return CSVRecord(
              line: first.number, cells: [],
              problem: "引号内的内容过长（超过 \(recordLengthMax / 1024) KB），可能少了一个右引号")
          }
          guard let next = nextLine() else {
            return CSVRecord(line: first.number, cells: [], problem: "引号没有闭合（文件被截断？）")
          }
          guard let more = next.text else {
            let why =
              next.tooLong
              ? "引号内的第 \(next.number) 行过长（超过 \(BillLines.lineLengthMax / 1024) KB）"
              : "引号内的第 \(next.number) 行不是有效的 \(encoding.displayName) 文本"
            return CSVRecord(line: first.number, cells: [], problem: why)
          }
          text += "\n" + more
        }
      }
    }
  }

  /// Why a physical line could not be decoded.
  static func unreadable(
    _ line: (number: Int, text: String?, tooLong: Bool), _ encoding: BillEncoding
  )
    -> String
  {
    line.tooLong
      ? "这一行过长（超过 \(BillLines.lineLengthMax / 1024) KB），不像账单的一行"
      : "不是有效的 \(encoding.displayName) 文本"
  }

  enum Split {
    case cells([String])
    case openQuote
    case malformed(String)
  }

  /// The cells of one record's text.
  static func split(_ text: String, separator: Character) -> Split {
    guard text.utf8.contains(UInt8(ascii: "\"")) else {
      guard let byte = separator.asciiValue, separator.unicodeScalars.count == 1 else {
        return .cells(
          text.split(separator: separator, omittingEmptySubsequences: false).map(String.init))
      }
      // An ASCII separator is found among the bytes: no grapheme breaking.
      var cells: [String] = []
      var cellStart = text.utf8.startIndex
      var index = cellStart
      while index < text.utf8.endIndex {
        if text.utf8[index] == byte {
          cells.append(String(text[cellStart..<index]))
          cellStart = text.utf8.index(after: index)
        }
        index = text.utf8.index(after: index)
      }
      cells.append(String(text[cellStart...]))
      return .cells(cells)
    }
    var cells: [String] = []
    var cell = ""
    var inQuotes = false
    var quotedCell = false
    var iterator = text.makeIterator()
    var pending: Character? = iterator.next()
    while let character = pending {
      pending = iterator.next()
      if inQuotes {
        if character == "\"" {
          if pending == "\"" {
            cell.append("\"")
            pending = iterator.next()
          } else {
            inQuotes = false
          }
        } else {
          cell.append(character)
        }
        continue
      }
      if character == separator {
        cells.append(cell)
        cell = ""
        quotedCell = false
      } else if character == "\"" && cell.allSatisfy(\.isWhitespace) && !quotedCell {
        cell = ""
        inQuotes = true
        quotedCell = true
      } else if quotedCell && !character.isWhitespace {
        return .malformed("第 \(cells.count + 1) 列的右引号之后还有内容（引号内的 \" 要写成 \"\"）")
      } else if !quotedCell {
        cell.append(character)
      }
    }
    if inQuotes { return .openQuote }
    cells.append(cell)
    return .cells(cells)
  }
}
