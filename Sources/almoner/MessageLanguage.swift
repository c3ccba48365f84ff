import AlmonerKit

/// The language errors (and the reports that can be read in English) are
/// written in, for every command: `--lang en` anywhere on the command line
/// (before `--`), or the environment variable `ALMONER_LANG=en`; `--lang`
/// wins. Chinese (`zh`) is the default.
///
/// The option is read here, before argument-parser sees the command line,
/// and taken out of it, so a command need not declare it; a command that
/// renders a report in either language (`audit`, `statement render`,
/// `verify statement`) takes its `--lang` default from here.
enum MessageLanguage {
  /// Set once, in `main`, before any command runs.
  nonisolated(unsafe) static var current: Refusal.Language = .chinese

  /// `zh` or `en`: the default of a command's own `--lang`.
  static var code: String { current == .english ? "en" : "zh" }

  /// Picks the language from `arguments` and `environment` and returns the
  /// arguments without `--lang VALUE` / `--lang=VALUE`.
  static func select(_ arguments: [String], environment: [String: String]) throws(AlmonerError)
    -> [String]
  {
    var chosen: String?
    var field = "--lang"
    var kept: [String] = []
    var index = arguments.startIndex
    var passedSeparator = false
    while index < arguments.endIndex {
      let argument = arguments[index]
      if passedSeparator || argument == "--" {
        passedSeparator = true
        kept.append(argument)
      } else if argument == "--lang", index + 1 < arguments.endIndex {
        chosen = arguments[index + 1]
        index += 1
      } else if argument.hasPrefix("--lang=") {
        chosen = String(argument.dropFirst("--lang=".count))
      } else {
        kept.append(argument)
      }
      index += 1
    }
    if chosen == nil, let variable = environment["ALMONER_LANG"], !variable.isEmpty {
      chosen = variable
      field = "ALMONER_LANG"
    }
    switch chosen {
    case nil, "zh": current = .chinese
    case "en": current = .english
    case .some(let value):
      throw field == "--lang"
        ? .refused(.languageInvalid(value: value))
        : .refused(.choiceInvalid(field: field, value: value, allowed: "zh 或 en"))
    }
    return kept
  }

  /// The text of `error` in the chosen language.
  static func message(_ error: AlmonerError) -> String {
    guard current == .english, let refusal = error.refusal else { return error.message }
    return refusal.message(.english)
  }
}
