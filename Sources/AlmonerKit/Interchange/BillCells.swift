import Foundation

/// Reading the cells of a bill as exports write them: amounts such as
/// `¥1,234.50`, dates such as `2026-11-01 08:49:12`, channels such as 微信支付.
enum BillCells {
  /// Signed fen of an amount cell: `1234.5`, `¥1,234.50`, `￥500.00`,
  /// `+500`, `500.00元`, `CNY 500`; `-12.00` or `(12.00)` is negative.
  /// Refused, with the reason: more than two decimals, exponents, anything
  /// not a number.
  static func amountFen(_ raw: String) throws(AlmonerError) -> Int64 {
    // Most cells are plain digits with a point: read as `Money` reads them;
    // anything else (and any refusal, to word it as below) takes the long way.
    if !raw.isEmpty, raw.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E }),
      let money = try? Money.parseYuan(raw)
    {
      return money.fen
    }
    var text = raw.trimmingWhitespace()
    var negative = false
    if text.hasPrefix("(") && text.hasSuffix(")") {
      negative = true
      text = String(text.dropFirst().dropLast())
    }
    for prefix in ["CNY", "RMB", "¥", "￥"] where text.hasPrefix(prefix) {
      text = String(text.dropFirst(prefix.count)).trimmingWhitespace()
    }
    if text.hasSuffix("元") { text = String(text.dropLast()).trimmingWhitespace() }
    if text.hasPrefix("-") || text.hasPrefix("−") {
      negative.toggle()
      text = String(text.dropFirst())
    } else if text.hasPrefix("+") {
      text = String(text.dropFirst())
    }
    for prefix in ["¥", "￥"] where text.hasPrefix(prefix) { text = String(text.dropFirst()) }
    // Thousands separators: groups of three digits before the point.
    if text.utf8.contains(UInt8(ascii: ",")) {
      let whole = text.split(separator: ".", omittingEmptySubsequences: false)[0]
      let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
      guard groups.count > 1, (1...3).contains(groups[0].count),
        groups.dropFirst().allSatisfy({ $0.count == 3 })
      else {
        throw .refused(.billAmountSeparatorMisplaced(text: raw))
      }
      text.removeAll { $0 == "," }
    }
    do {
      let money = try Money.parseYuan(text)
      return negative ? -money.fen : money.fen
    } catch {
      if text.allSatisfy({ $0 == "0" || $0 == "." }), !text.isEmpty { return 0 }
      throw error.refusal.map { .refused($0.amountText(raw)) } ?? error
    }
  }

  /// The accounting date of a date cell. Without `format`: `2026-11-01`,
  /// `2026/11/1`, `2026.11.01`, `20261101` or `2026年11月1日`, optionally
  /// followed by a time (`08:49:12`, `T08:49:12`); a time with a zone
  /// (`Z`, `+08:00`) is moved into the ledger's time zone, one without is
  /// taken as the ledger's local time. With `format`: `%Y %m %d %H %M %S`
  /// (and `%z`), other characters literal.
  static func date(_ raw: String, format: String?, timeZone: String) throws(AlmonerError)
    -> AccountingDate
  {
    let text = raw.trimmingWhitespace()
    guard
      let parts = format.map({ parse(text, format: $0) }) ?? parseAutomatically(text)
    else {
      throw .refused(.billDateMalformed(text: raw, format: format))
    }
    guard (1000...9999).contains(parts.year), parts.month < 100, parts.day < 100 else {
      throw .refused(.dateNonexistent(text: raw))
    }
    func padded(_ value: Int, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: width - digits.count) + digits
    }
    let date: AccountingDate
    do {
      date = try AccountingDate(
        padded(parts.year, 4) + "-" + padded(parts.month, 2) + "-" + padded(parts.day, 2))
    } catch {
      throw .refused(.dateNonexistent(text: raw))
    }
    guard let offset = parts.offsetSeconds else { return date }
    // A moment with its zone: the day it is in the ledger's zone.
    let seconds =
      date.daysSince1970 * 86_400 + Int64(parts.hour * 3600 + parts.minute * 60 + parts.second)
      - Int64(offset)
    return try LedgerClock.date(
      of: Date(timeIntervalSince1970: TimeInterval(seconds)), in: timeZone)
  }

  struct DateParts {
    var year = 0
    var month = 0
    var day = 0
    var hour = 0
    var minute = 0
    var second = 0
    var offsetSeconds: Int?
  }

  private static func parseAutomatically(_ text: String) -> DateParts? {
    let scalars = Array(text.unicodeScalars)
    var index = 0
    func number(maxDigits: Int) -> Int? {
      var value = 0
      var count = 0
      while index < scalars.count, count < maxDigits, (48...57).contains(scalars[index].value) {
        value = value * 10 + Int(scalars[index].value - 48)
        count += 1
        index += 1
      }
      return count == 0 ? nil : value
    }
    var parts = DateParts()
    // The date: 8 digits, or year sep month sep day.
    let start = index
    guard let first = number(maxDigits: 8) else { return nil }
    if index - start == 8 {
      parts.year = first / 10_000
      parts.month = first / 100 % 100
      parts.day = first % 100
    } else {
      guard index - start == 4, index < scalars.count else { return nil }
      parts.year = first
      let separator = scalars[index]
      guard "-/.年".unicodeScalars.contains(separator) else { return nil }
      index += 1
      guard let month = number(maxDigits: 2), index < scalars.count else { return nil }
      let second = scalars[index]
      guard second == separator || (separator == "年" && second == "月") else { return nil }
      index += 1
      guard let day = number(maxDigits: 2) else { return nil }
      if separator == "年" {
        guard index < scalars.count, scalars[index] == "日" else { return nil }
        index += 1
      }
      parts.month = month
      parts.day = day
    }
    guard index < scalars.count else { return parts }
    // An optional time.
    guard scalars[index] == " " || scalars[index] == "T" else { return nil }
    while index < scalars.count, scalars[index] == " " || scalars[index] == "T" { index += 1 }
    guard let hour = number(maxDigits: 2), index < scalars.count, scalars[index] == ":" else {
      return nil
    }
    index += 1
    guard let minute = number(maxDigits: 2) else { return nil }
    parts.hour = hour
    parts.minute = minute
    if index < scalars.count, scalars[index] == ":" {
      index += 1
      guard let second = number(maxDigits: 2) else { return nil }
      parts.second = second
    }
    guard hour < 24, minute < 60, parts.second < 61 else { return nil }
    guard index < scalars.count else { return parts }
    guard let offset = zoneOffset(scalars[index...]) else { return nil }
    parts.offsetSeconds = offset
    return parts
  }

  /// `Z`, `+08:00`, `+0800`, `-05`: seconds east of UTC; nil when not a zone.
  private static func zoneOffset(_ scalars: ArraySlice<Unicode.Scalar>) -> Int? {
    let text = String(String.UnicodeScalarView(scalars)).trimmingWhitespace()
    if text == "Z" || text == "UTC" { return 0 }
    guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
    let digits = text.dropFirst().filter { $0 != ":" }
    guard digits.count == 2 || digits.count == 4, digits.allSatisfy(\.isASCII),
      let value = Int(digits)
    else { return nil }
    let hours = digits.count == 2 ? value : value / 100
    let minutes = digits.count == 2 ? 0 : value % 100
    guard hours <= 14, minutes < 60 else { return nil }
    return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
  }

  /// Parses `text` against a strptime-like `format`.
  private static func parse(_ text: String, format: String) -> DateParts? {
    var parts = DateParts()
    let input = Array(text)
    let pattern = Array(format)
    var at = 0
    var index = 0
    func digits(_ maxCount: Int) -> Int? {
      var value = 0
      var count = 0
      while at < input.count, count < maxCount, let digit = input[at].wholeNumberValue,
        input[at].isASCII
      {
        value = value * 10 + digit
        count += 1
        at += 1
      }
      return count == 0 ? nil : value
    }
    while index < pattern.count {
      let token = pattern[index]
      if token == "%", index + 1 < pattern.count {
        index += 1
        switch pattern[index] {
        case "Y":
          guard let value = digits(4) else { return nil }
          parts.year = value
        case "m":
          guard let value = digits(2) else { return nil }
          parts.month = value
        case "d":
          guard let value = digits(2) else { return nil }
          parts.day = value
        case "H":
          guard let value = digits(2) else { return nil }
          parts.hour = value
        case "M":
          guard let value = digits(2) else { return nil }
          parts.minute = value
        case "S":
          guard let value = digits(2) else { return nil }
          parts.second = value
        case "z":
          guard let offset = zoneOffset(ArraySlice(String(input[at...]).unicodeScalars)) else {
            return nil
          }
          parts.offsetSeconds = offset
          at = input.count
        case "%":
          guard at < input.count, input[at] == "%" else { return nil }
          at += 1
        default: return nil
        }
      } else {
        guard at < input.count, input[at] == token else { return nil }
        at += 1
      }
      index += 1
    }
    guard at == input.count, parts.hour < 24, parts.minute < 60, parts.second < 61 else {
      return nil
    }
    return parts
  }

  /// A channel from what an export says: the codes, their Chinese names,
  /// and 微信支付, 支付宝, 银行转账, 转账, 对公转账, 现金…
  static func channel(_ raw: String) -> Channel? {
    let text = Text.nfc(raw.trimmingWhitespace()).lowercased()
    if let exact = Channel.allCases.first(where: { $0.rawValue == text || $0.displayName == text })
    {
      return exact
    }
    switch text {
    case "微信支付", "微信转账", "微信红包", "微信收款", "weixin", "wechat pay", "wechatpay", "wxpay":
      return .wechat
    case "支付宝转账", "支付宝收款", "alipay.com", "zhifubao":
      return .alipay
    case "银行", "转账", "银行汇款", "对公转账", "网银", "网银转账", "汇款", "bank transfer", "transfer":
      return .bank
    case "现金捐赠", "现金收款", "cash donation":
      return .cash
    case "其它":
      return .other
    default:
      return nil
    }
  }

  /// yes/no in the words a spreadsheet may use; nil when it is neither.
  static func flag(_ raw: String) -> Bool? {
    switch raw.trimmingWhitespace().lowercased() {
    case "yes", "y", "true", "1", "是", "同意", "署名": true
    case "no", "n", "false", "0", "否", "不同意", "", "不署名": false
    default: nil
    }
  }
}

extension Channel {
  /// A channel from its code, its Chinese name or what exports call it
  /// (微信支付, 支付宝, 银行转账, 转账 …); nil when it is none of them.
  public init?(label: String) {
    guard let channel = BillCells.channel(label) else { return nil }
    self = channel
  }
}

extension Refusal {
  /// The same amount refusal, naming `text` as the amount given: a bill's
  /// cell as it was written, before its sign and separators were taken off.
  fileprivate func amountText(_ text: String) -> Refusal {
    switch self {
    case .amountEmpty: .amountEmpty(text: text)
    case .amountNegative: .amountNegative(text: text)
    case .amountPlusSign: .amountPlusSign(text: text)
    case .amountSeparator: .amountSeparator(text: text)
    case .amountPoints: .amountPoints(text: text)
    case .amountNotDigits: .amountNotDigits(text: text)
    case .amountFractionMissing: .amountFractionMissing(text: text)
    case .amountDecimals: .amountDecimals(text: text)
    case .amountOverLimit(_, let limitFen): .amountOverLimit(text: text, limitFen: limitFen)
    case .amountNotPositive: .amountNotPositive(text: text)
    default: self
    }
  }
}
