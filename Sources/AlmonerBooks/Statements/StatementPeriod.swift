/// The period a statement covers: a month (`2026-11`), a quarter
/// (`2026-Q4`) or a year (`2026`), as accounting dates from `from` to `to`
/// inclusive.
public struct StatementPeriod: Sendable, Equatable {
  public var name: String
  public var from: AccountingDate
  public var to: AccountingDate

  public init(_ text: String) throws(AlmonerError) {
    let invalid = AlmonerError.refused(.periodInvalid(text: text))
    let utf8 = Array(text.utf8)
    func digits(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= utf8.count,
        utf8[range].allSatisfy({ $0 >= 48 && $0 <= 57 })
      else { return nil }
      return utf8[range].reduce(0) { $0 * 10 + Int($1 - 48) }
    }
    guard utf8.count >= 4, let year = digits(0..<4), year >= 1900 else { throw invalid }
    let firstMonth: Int
    let lastMonth: Int
    switch utf8.count {
    case 4:
      (firstMonth, lastMonth) = (1, 12)
    case 7 where utf8[4] == UInt8(ascii: "-") && utf8[5] == UInt8(ascii: "Q"):
      guard let quarter = digits(6..<7), (1...4).contains(quarter) else { throw invalid }
      (firstMonth, lastMonth) = (quarter * 3 - 2, quarter * 3)
    case 7 where utf8[4] == UInt8(ascii: "-"):
      guard let month = digits(5..<7), (1...12).contains(month) else { throw invalid }
      (firstMonth, lastMonth) = (month, month)
    default:
      throw invalid
    }
    func date(_ month: Int, _ day: Int) throws(AlmonerError) -> AccountingDate {
      let monthText = month < 10 ? "0\(month)" : "\(month)"
      return try AccountingDate("\(year)-\(monthText)-\(day < 10 ? "0" : "")\(day)")
    }
    name = text
    from = try date(firstMonth, 1)
    var last: AccountingDate?
    for day in [31, 30, 29, 28] {
      if let found = try? date(lastMonth, day) {
        last = found
        break
      }
    }
    guard let last else { throw invalid }
    to = last
  }

  public func contains(_ date: AccountingDate) -> Bool { date >= from && date <= to }

  /// 2026年第4季度 / 2026年11月 / 2026年度.
  public var displayName: String {
    let parts = name.split(separator: "-")
    if parts.count == 1 { return "\(name)年度" }
    if parts[1].hasPrefix("Q") { return "\(parts[0])年第\(parts[1].dropFirst())季度" }
    return "\(parts[0])年\(Int(parts[1]) ?? 0)月"
  }
}
