import ArgumentParser
import Foundation

/// argument-parser writes its help screens and usage errors in English and
/// has no hook to localise them; treasurers read Chinese. This puts its
/// fixed phrases into Chinese after the fact, keeping every name, value and
/// our own (already Chinese) help text as they are, and suggests the right
/// subcommand for a misspelt one.
enum ChineseUsage {
  /// `message` as argument-parser produced it for `arguments` (the command
  /// line without the program name), in Chinese.
  static func translate(_ message: String, arguments: [String]) -> String {
    var text = message
    for rule in rules { text = rule.apply(to: text) }
    // A refused value: the one line names the option and lists what it
    // takes; the option's help and the whole usage would only repeat it.
    if text.hasPrefix("错误："), let end = text.firstIndex(of: "\n"),
      text[..<end].contains("无效，可选：")
    {
      text = String(text[..<end])
    }
    if let suggestion = subcommandSuggestion(arguments: arguments),
      let firstLine = text.range(of: "\n")
    {
      text.insert(
        contentsOf: "\n没有子命令 '\(suggestion.typed)'：你是不是要输入 '\(suggestion.path)'？",
        at: firstLine.lowerBound)
    }
    return text
  }

  // MARK: - Phrases

  private struct Rule: @unchecked Sendable {  // NSRegularExpression is immutable once made
    let regex: NSRegularExpression
    let replace: @Sendable (_ groups: [String]) -> String

    init(_ pattern: String, _ replace: @escaping @Sendable (_ groups: [String]) -> String) {
      // swift-format-ignore: NeverUseForceTry
      // The patterns are literals below; a bad one fails every test at once.
      regex = try! NSRegularExpression(
        pattern: pattern, options: [.anchorsMatchLines, .dotMatchesLineSeparators])
      self.replace = replace
    }

    init(_ pattern: String, _ template: String) {
      self.init(pattern) { groups in
        var out = template
        for (index, group) in groups.enumerated().reversed() {
          out = out.replacingOccurrences(of: "$\(index)", with: group)
        }
        return out
      }
    }

    func apply(to text: String) -> String {
      let source = text as NSString
      var out = ""
      var last = 0
      for match in regex.matches(in: text, range: NSRange(location: 0, length: source.length)) {
        out += source.substring(with: NSRange(location: last, length: match.range.location - last))
        let groups = (0..<match.numberOfRanges).map { index -> String in
          let range = match.range(at: index)
          return range.location == NSNotFound ? "" : source.substring(with: range)
        }
        out += replace(groups)
        last = match.range.location + match.range.length
      }
      out += source.substring(from: last)
      return out
    }
  }

  /// `'a', 'b' or 'c'` (or `a, b, c` in help) as `a、b、c`; line breaks the
  /// help screen's wrapping put inside are joined again.
  private static func valueList(_ text: String) -> String {
    let quoted = text.components(separatedBy: "'").enumerated().filter { $0.offset % 2 == 1 }
    let values =
      quoted.isEmpty
      ? text.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      : quoted.map(\.element)
    return values.joined(separator: "、")
  }

  private static func joined(_ text: String) -> String {
    text.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }
      .joined(separator: " ")
  }

  private static let rules: [Rule] = [
    // Help screens.
    Rule("^OVERVIEW: ", "说明："),
    Rule("^USAGE: ", "用法："),
    Rule("^OPTIONS:$", "选项："),
    Rule("^ARGUMENTS:$", "参数："),
    Rule("^SUBCOMMANDS:$", "子命令："),
    Rule("See '([^']+) <subcommand>' for detailed help\\.", "运行 '$1 <子命令>' 查看子命令的详细说明。"),
    Rule("<subcommand>", "<子命令>"),
    Rule("<options>", "<选项>"),
    Rule("Show the version\\.", "显示版本号"),
    Rule("Show help information\\.", "显示帮助"),
    // " (default)" is 10 columns, "（默认）" 8: two spaces keep the column.
    Rule("^(  \\S+) \\(default\\)", "$1（默认）  "),
    Rule(" ?\\(values:\\s*([^)]*);\\s*default:\\s*([^)]*)\\)") { groups in
      "（可选：\(valueList(joined(groups[1])))；默认 \(joined(groups[2]))）"
    },
    Rule(" ?\\(values:\\s*([^)]*)\\)") { groups in "（可选：\(valueList(joined(groups[1])))）" },
    Rule(" ?\\(default:\\s*([^)]*)\\)") { groups in "（默认 \(joined(groups[1]))）" },
    // Usage errors.
    Rule("^Error: ", "错误："),
    Rule("^Help:  ", "说明："),
    Rule("^Usage: ", "用法："),
    Rule("^  See '([^']+)' for more information\\.", "  运行 '$1' 查看详细说明。"),
    Rule("^       or: ", "     或："),
    Rule("Missing expected argument '([^'\\n]+)'", "缺少必需的参数 $1"),
    Rule("Missing one of: ([^\\n]+)") { groups in "缺少以下参数之一：\(valueList(groups[1]))" },
    Rule("Missing value for '([^'\\n]+)'", "$1 缺少取值"),
    Rule("Unknown option '([^'\\n]+)'\\. Did you mean '([^'\\n]+)'\\?", "没有选项 $1：你是不是要输入 $2？"),
    Rule("Unknown option '([^'\\n]+)'", "没有选项 $1"),
    Rule("Invalid option: ([^\\n]+)", "无效的选项 $1"),
    Rule("(\\d+) unexpected arguments: ([^\\n]+)") { groups in
      "多余的参数（\(groups[1]) 个）：\(valueList(groups[2]))"
    },
    Rule("Unexpected argument '([^'\\n]*)'", "多余的参数 '$1'"),
    Rule(
      "The option '([^'\\n]+)' does not take any value, but '([^'\\n]*)' was specified\\.",
      "选项 $1 不带取值，却给了 '$2'"),
    Rule(
      "Value to be set with ([^\\n]+) had already been set with ([^\\n]+)", "$1 重复给出（前面已由 $2 给出）"),
    Rule("Missing required subcommand\\.", "缺少子命令"),
    Rule(
      "The value '([^'\\n]*)' is invalid for '([^'\\n]+)'\\. Please provide one of the following:\\n((?:  - [^\\n]*\\n?)+)"
    ) { groups in
      let values = groups[3].components(separatedBy: "\n").compactMap { line in
        line.hasPrefix("  - ") ? String(line.dropFirst(4)) : nil
      }
      return "\(groups[2]) 的值 '\(groups[1])' 无效，可选：\(values.joined(separator: "、"))\n"
    },
    Rule("The value '([^'\\n]*)' is invalid for '([^'\\n]+)'\\. Please provide one of ([^\\n]+)\\.")
    {
      groups in "\(groups[2]) 的值 '\(groups[1])' 无效，可选：\(valueList(groups[3]))"
    },
    Rule("The value '([^'\\n]*)' is invalid for '([^'\\n]+)': ", "$2 的值 '$1' 无效："),
    Rule("The value '([^'\\n]*)' is invalid for '([^'\\n]+)'", "$2 的值 '$1' 无效"),
  ]

  // MARK: - Misspelt subcommands

  /// When the first word that is not a subcommand stands where a
  /// subcommand should, and one is close to it (edit distance ≤ 2, or it
  /// begins the same way), the full command the user probably meant.
  static func subcommandSuggestion(arguments: [String]) -> (typed: String, path: String)? {
    var command: ParsableCommand.Type = AlmonerCommand.self
    var path = ["almoner"]
    for argument in arguments {
      if argument.hasPrefix("-") { return nil }
      let children = command.configuration.subcommands
      guard !children.isEmpty else { return nil }
      if let child = children.first(where: { name(of: $0) == argument }) {
        command = child
        path.append(argument)
        continue
      }
      let names = children.map(name(of:))
      let scored = names.map { (name: $0, distance: editDistance(argument, $0)) }
      guard
        let best = scored.filter({
          $0.distance <= min(2, max(1, $0.name.count / 3)) || $0.name.hasPrefix(argument)
        }).min(by: { $0.distance < $1.distance })
      else { return nil }
      return (argument, (path + [best.name]).joined(separator: " "))
    }
    return nil
  }

  private static func name(of command: ParsableCommand.Type) -> String {
    command._commandName
  }

  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in stride(from: 1, through: b.count, by: 1) {
        let current = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
        previous = current
      }
    }
    return a.isEmpty ? b.count : row[b.count]
  }
}
