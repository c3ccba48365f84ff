import Foundation

/// How to read a bill that is not in the default layout, in the spirit of
/// hledger's CSV rules (`skip`, `fields`, `date-format`, `if` blocks,
/// `%field`), kept small. A rules file is UTF-8 text, one directive a line;
/// `#` and `;` start comments:
///
/// ```
/// encoding gb18030                 # the bill's encoding: utf-8 (default) or gb18030/gbk
/// separator ,                      # , (default), ; or TAB
/// skip 2                           # skip the first N lines
/// skip-until ^交易时间,             # … or every line up to and including the first that matches
/// fields date, _, donor, _, direction, amount, _, _, status, reference
/// trim `                           # characters to strip from both ends of every cell (besides spaces)
/// date-format %Y-%m-%d %H:%M:%S    # else YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, with an optional time
/// unit GA-BC-JSL                   # a value for every row (unit, fund, channel, donor, donor-type,
/// channel 微信支付                  #   reference, named); %name puts in the cell of field `name`
/// if %direction 支出               # a block: the next indented lines apply to rows that match
///   skip                           #   (REGEX alone matches the whole row, %field REGEX one cell;
/// if %donor 有限公司|公司$          #   several `if` lines before the block: any of them)
///   donor-type organisation
/// ```
///
/// Field names with a meaning: `date`, `amount` (or `amount-in` and
/// `amount-out`: a row with money out and none in is not a donation and is
/// skipped), `donor`, `reference`, `unit`, `fund`, `channel`, `donor-type`,
/// `named` (yes/no, 是/否). `_` or an empty name ignores a column.
public struct ImportRules: Sendable {
  public var encoding: BillEncoding = .utf8
  public var separator: Character = ","
  public var skipLines = 0
  /// Lines up to and including the first that matches are skipped.
  var skipUntil: RowPattern?
  /// Column names by position; nil: the first line read names the columns
  /// (the default layout's header).
  public var fields: [String]?
  public var dateFormat: String?
  /// Characters stripped from both ends of every cell, besides white space.
  public var trimCharacters: Set<Character> = []
  var assignments: [Assignment] = []
  var blocks: [Block] = []
  /// Values for rows that give none (`import donations --unit/--fund`):
  /// a column or a rule says otherwise for its rows.
  public var fallbacks: [String: String] = [:]
  /// Where the rules came from, for messages.
  public var source = "默认格式"

  /// The names a field can have a meaning under.
  static let knownFields: Set<String> = [
    "date", "amount", "amount-in", "amount-out", "donor", "reference", "unit", "fund", "channel",
    "donor-type", "named",
  ]
  /// The fields an assignment may set.
  static let assignable: Set<String> = [
    "unit", "fund", "channel", "donor", "donor-type", "reference", "named",
  ]
  /// Longest rules file accepted (bytes).
  static let rulesLengthMax = 256 * 1024

  public init() {}

  struct RowPattern: @unchecked Sendable {
    /// nil: the whole row (cells joined by commas).
    var field: String?
    var regex: NSRegularExpression
    var text: String

    func matches(_ value: String) -> Bool {
      regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }
  }

  struct Assignment: Sendable {
    var field: String
    /// Literal text with `%name` references to cells.
    var template: String
  }

  struct Block: Sendable {
    var patterns: [RowPattern]
    var assignments: [Assignment] = []
    var skip = false
  }

  /// Parses a rules file, naming the line of the first problem.
  public static func parse(_ bytes: [UInt8], source: String) throws(AlmonerError) -> ImportRules {
    guard bytes.count <= rulesLengthMax else {
      throw .refused(.rulesFileTooLarge(source: source, maxKB: rulesLengthMax / 1024))
    }
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    guard let text = String(validating: body, as: UTF8.self) else {
      throw .refused(.rulesFileNotUTF8(source: source))
    }
    var rules = ImportRules()
    rules.source = source
    var pendingPatterns: [RowPattern] = []
    var open: Block?
    func fail(_ line: Int, _ why: String) -> AlmonerError {
      .refused(.rulesLineInvalid(source: source, line: line, detail: why))
    }
    for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let number = offset + 1
      var line = Substring(rawLine)
      if line.hasSuffix("\r") { line = line.dropLast() }
      let indented = line.first == " " || line.first == "\t"
      let content = line.trimmingCharacters(in: .whitespaces)
      if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") { continue }
      let (word, rest) = splitWord(content)
      if indented {
        if open == nil, !pendingPatterns.isEmpty {
          open = Block(patterns: pendingPatterns)
          pendingPatterns = []
        }
        guard var block = open else {
          throw fail(number, "缩进的行只能跟在 if 之后")
        }
        if word == "skip" && rest.isEmpty {
          block.skip = true
        } else if assignable.contains(word) {
          guard !rest.isEmpty else { throw fail(number, "\(word) 后面要写值") }
          block.assignments.append(Assignment(field: word, template: rest))
        } else {
          throw fail(
            number, "if 块里只能写 skip 或 \(assignable.sorted().joined(separator: "、"))，不认识「\(word)」")
        }
        open = block
        continue
      }
      if let block = open {
        rules.blocks.append(block)
        open = nil
      }
      if word == "if" {
        pendingPatterns.append(try pattern(rest, line: number, fail: fail))
        continue
      }
      if !pendingPatterns.isEmpty {
        // The indented lines of the block start here, or the `if` had none.
        throw fail(number, "if 之后要有缩进的行（如「  skip」或「  unit GA-BC-JSL」）")
      }
      switch word {
      case "encoding":
        guard let encoding = BillEncoding(name: rest) else {
          throw fail(number, "不认识的编码「\(rest)」：应为 utf-8 或 gb18030（gbk）")
        }
        rules.encoding = encoding
      case "separator":
        switch rest {
        case ",", "comma": rules.separator = ","
        case ";", "semicolon": rules.separator = ";"
        case "TAB", "tab", "\\t": rules.separator = "\t"
        case "|": rules.separator = "|"
        default: throw fail(number, "分隔符应为 ,、;、| 或 TAB，不是「\(rest)」")
        }
      case "skip":
        guard let count = Int(rest.isEmpty ? "1" : rest), count >= 0, count < 10_000 else {
          throw fail(number, "skip 后面应是要跳过的行数")
        }
        rules.skipLines = count
      case "skip-until":
        rules.skipUntil = try pattern(rest, line: number, fail: fail)
        guard rules.skipUntil?.field == nil else {
          throw fail(number, "skip-until 匹配整行，不能写 %字段")
        }
      case "fields":
        let names = rest.split(separator: ",", omittingEmptySubsequences: false).map {
          $0.trimmingCharacters(in: .whitespaces)
        }
        guard names.contains("date"), names.contains("amount") || names.contains("amount-in")
        else {
          throw fail(number, "fields 至少要有 date 和 amount（或 amount-in）")
        }
        var seen: Set<String> = []
        for name in names where !name.isEmpty && name != "_" {
          guard seen.insert(name).inserted else { throw fail(number, "字段名「\(name)」出现了两次") }
        }
        rules.fields = names
      case "date-format":
        guard !rest.isEmpty else { throw fail(number, "date-format 后面要写格式，如 %Y-%m-%d %H:%M:%S") }
        rules.dateFormat = rest
      case "trim":
        rules.trimCharacters = Set(rest.filter { !$0.isWhitespace })
      case _ where assignable.contains(word):
        guard !rest.isEmpty else { throw fail(number, "\(word) 后面要写值") }
        rules.assignments.append(Assignment(field: word, template: rest))
      default:
        throw fail(
          number,
          "不认识的指令「\(word)」：可用 encoding、separator、skip、skip-until、fields、trim、date-format、if 和 \(assignable.sorted().joined(separator: "、"))"
        )
      }
    }
    if let block = open { rules.blocks.append(block) }
    if !pendingPatterns.isEmpty {
      throw .refused(.rulesIfWithoutBody(source: source))
    }
    let undefined = rules.undefinedFieldReferences()
    if !undefined.isEmpty {
      throw .refused(
        .rulesFieldsUndefined(
          source: source, fields: undefined.map { "%\($0)" }.joined(separator: "、")))
    }
    return rules
  }

  private static func splitWord(_ content: String) -> (String, String) {
    guard let space = content.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
      return (content, "")
    }
    return (
      String(content[..<space]), content[space...].trimmingCharacters(in: .whitespaces)
    )
  }

  private static func pattern(
    _ text: String, line: Int, fail: (Int, String) -> AlmonerError
  ) throws(AlmonerError) -> RowPattern {
    var field: String?
    var expression = text
    if text.hasPrefix("%") {
      let (name, rest) = splitWord(String(text.dropFirst()))
      field = name
      expression = rest
    }
    guard !expression.isEmpty else { throw fail(line, "if 后面要写正则表达式") }
    do {
      let regex = try NSRegularExpression(pattern: expression, options: [.caseInsensitive])
      return RowPattern(field: field, regex: regex, text: expression)
    } catch {
      throw fail(line, "正则表达式「\(expression)」无效")
    }
  }

  /// The rules' field names that no `fields` line defines, for a check
  /// after parsing: `%name` and `if %name` must name a column.
  func undefinedFieldReferences() -> [String] {
    guard let fields else { return [] }
    let defined = Set(fields)
    var missing: [String] = []
    let templates = assignments.map(\.template) + blocks.flatMap { $0.assignments.map(\.template) }
    for template in templates {
      for name in ImportRules.references(in: template) where !defined.contains(name) {
        missing.append(name)
      }
    }
    for block in blocks {
      for pattern in block.patterns {
        if let field = pattern.field, !defined.contains(field) { missing.append(field) }
      }
    }
    return Array(Set(missing)).sorted()
  }

  /// The `%name` references in `template`.
  static func references(in template: String) -> [String] {
    var names: [String] = []
    var index = template.startIndex
    while let percent = template[index...].firstIndex(of: "%") {
      let nameStart = template.index(after: percent)
      let nameEnd =
        template[nameStart...].firstIndex(where: {
          !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_")
        })
        ?? template.endIndex
      if nameEnd > nameStart { names.append(String(template[nameStart..<nameEnd])) }
      index = nameEnd == nameStart ? nameStart : nameEnd
      if index == template.endIndex { break }
    }
    return names
  }

  /// `template` with each `%name` replaced by that field's cell.
  static func expand(_ template: String, cells: [String: String]) -> String {
    guard template.contains("%") else { return template }
    var out = ""
    var index = template.startIndex
    while let percent = template[index...].firstIndex(of: "%") {
      out += template[index..<percent]
      let nameStart = template.index(after: percent)
      let nameEnd =
        template[nameStart...].firstIndex(where: {
          !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_")
        })
        ?? template.endIndex
      if nameEnd == nameStart {
        out += "%"
      } else {
        out += cells[String(template[nameStart..<nameEnd])] ?? ""
      }
      index = nameEnd
    }
    out += template[index...]
    return out
  }
}
