import Foundation

/// A calendar date in the ledger's time zone, `YYYY-MM-DD`: the date a
/// transaction belongs to in the books (DESIGN §2 `date`).
public struct AccountingDate: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let text: String
  /// `YYYYMMDD` as a number: equal, hashed and ordered like `text` (a valid
  /// date has one spelling), but without comparing strings in the rules'
  /// hot maps.
  private let ordinal: Int64

  /// `YYYYMMDD` as a number (20261103 for 2026-11-03).
  var yyyymmdd: Int64 { ordinal }

  /// Parses `YYYY-MM-DD` and checks that the day exists (no 2026-02-30).
  public init(_ text: String) throws(AlmonerError) {
    let utf8 = Array(text.utf8)
    let digitPositions = [0, 1, 2, 3, 5, 6, 8, 9]
    guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
      digitPositions.allSatisfy({ utf8[$0] >= 48 && utf8[$0] <= 57 })
    else {
      throw .refused(.dateMalformed(text: text))
    }
    let number = { (range: Range<Int>) in range.reduce(0) { $0 * 10 + Int(utf8[$1] - 48) } }
    let year = number(0..<4)
    let month = number(5..<7)
    let day = number(8..<10)
    guard (1...12).contains(month), day >= 1,
      day <= AccountingDate.daysIn(month: month, year: year),
      year >= 1900
    else {
      throw .refused(.dateNonexistent(text: text))
    }
    self.text = text
    self.ordinal = Int64(year) * 10_000 + Int64(month) * 100 + Int64(day)
  }

  public static func == (lhs: AccountingDate, rhs: AccountingDate) -> Bool {
    lhs.ordinal == rhs.ordinal
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  public var description: String { text }
  public static func < (lhs: AccountingDate, rhs: AccountingDate) -> Bool {
    lhs.ordinal < rhs.ordinal
  }

  /// The date `days` days after 1970-01-01.
  public init(daysSince1970 days: Int64) {
    // Civil-from-days (Howard Hinnant), digits written by hand: this runs
    // once per generated entry, where `String(format:)` showed in profiles.
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    var utf8: [UInt8] = []
    utf8.reserveCapacity(10)
    for (value, width) in [(year, 4), (month, 2), (day, 2)] {
      if !utf8.isEmpty { utf8.append(UInt8(ascii: "-")) }
      var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
      var rest = value
      for index in stride(from: width - 1, through: 0, by: -1) {
        digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      }
      utf8 += digits
    }
    text = String(decoding: utf8, as: UTF8.self)
    ordinal = year * 10_000 + month * 100 + day
  }

  /// Days from 1970-01-01 to this date (days-from-civil, Howard Hinnant).
  package var daysSince1970: Int64 {
    let utf8 = Array(text.utf8)
    let number = { (range: Range<Int>) in range.reduce(Int64(0)) { $0 * 10 + Int64(utf8[$1] - 48) }
    }
    let month = number(5..<7)
    let day = number(8..<10)
    let year = number(0..<4) - (month <= 2 ? 1 : 0)
    let era = (year >= 0 ? year : year - 399) / 400
    let yearOfEra = year - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}

/// Where the ledger reads the current time: the real clock in the CLI, a fixed
/// one in tests and golden outputs.
public struct LedgerClock: Sendable {
  public var now: @Sendable () -> Date

  public init(now: @escaping @Sendable () -> Date) { self.now = now }

  public static let system = LedgerClock(now: { Date() })

  /// The clock the CLI uses: the system clock. Debug builds (the tests' and
  /// golden outputs') honour `ALMONER_FIXED_TIME` (RFC 3339); release builds,
  /// the binary treasurers run, ignore it, so nobody holding a key can date
  /// entries in the future or make entry times run backwards with it.
  public static func fromEnvironment() -> LedgerClock {
    #if DEBUG
      if let fixed = ProcessInfo.processInfo.environment["ALMONER_FIXED_TIME"],
        let date = try? Date(fixed, strategy: .iso8601)
      {
        return LedgerClock(now: { date })
      }
    #endif
    return .system
  }

  /// The entry `time` field: UTC, RFC 3339, whole seconds.
  public func timestamp() -> String {
    let seconds = Int64(now().timeIntervalSince1970.rounded(.down))
    return LedgerClock.rfc3339(unixSeconds: seconds)
  }

  /// Today's date in `timeZone` (an IANA name such as Asia/Shanghai).
  public func today(in timeZone: String) throws(AlmonerError) -> AccountingDate {
    try LedgerClock.date(of: now(), in: timeZone)
  }

  /// The calendar date of the instant `date` in `timeZone`.
  package static func date(of date: Date, in timeZone: String) throws(AlmonerError)
    -> AccountingDate
  {
    guard let zone = TimeZone(identifier: timeZone) else {
      throw .refused(.timeZoneUnknown(timeZone))
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    let text = String(
      format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    return try AccountingDate(text)
  }

  /// Seconds since 1970 of an entry `time`, exactly as `timestamp()` writes
  /// it (`YYYY-MM-DDTHH:MM:SSZ`), or nil for any other text.
  package static func unixSeconds(entryTime time: String) -> Int64? {
    let utf8 = Array(time.utf8)
    guard utf8.count == 20, utf8[10] == UInt8(ascii: "T"), utf8[19] == UInt8(ascii: "Z"),
      utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
      let date = try? AccountingDate(String(decoding: utf8[0..<10], as: UTF8.self))
    else { return nil }
    var clock: [Int64] = []
    for start in [11, 14, 17] {
      let (high, low) = (utf8[start], utf8[start + 1])
      guard (48...57).contains(high), (48...57).contains(low) else { return nil }
      clock.append(Int64(high - 48) * 10 + Int64(low - 48))
    }
    guard clock[0] < 24, clock[1] < 60, clock[2] < 60 else { return nil }
    return date.daysSince1970 * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
  }

  package static func rfc3339(unixSeconds: Int64) -> String {
    let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
    let secondsOfDay = unixSeconds - days * 86_400
    func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return AccountingDate(daysSince1970: days).text + "T" + two(secondsOfDay / 3600) + ":"
      + two(secondsOfDay % 3600 / 60) + ":" + two(secondsOfDay % 60) + "Z"
  }

}

/// The calendar day of instants in one time zone. It remembers the span of
/// the last day it computed, so a run of entries from the same day (the
/// usual case when a log is replayed) costs two comparisons, not a calendar
/// computation each.
package final class LocalDays {
  package let timeZone: String
  private var calendar = Calendar(identifier: .gregorian)
  private var span: (start: Int64, end: Int64, date: AccountingDate)?

  package init(timeZone: String) throws(AlmonerError) {
    guard let zone = TimeZone(identifier: timeZone) else {
      throw .refused(.timeZoneUnknown(timeZone))
    }
    self.timeZone = timeZone
    calendar.timeZone = zone
  }

  package func date(ofUnixSeconds seconds: Int64) throws(AlmonerError) -> AccountingDate {
    if let span, seconds >= span.start, seconds < span.end { return span.date }
    let instant = Date(timeIntervalSince1970: TimeInterval(seconds))
    let date = try LedgerClock.date(of: instant, in: timeZone)
    let start = calendar.startOfDay(for: instant)
    if let end = calendar.date(byAdding: .day, value: 1, to: start) {
      span = (
        Int64(start.timeIntervalSince1970.rounded(.down)),
        Int64(end.timeIntervalSince1970.rounded(.down)), date
      )
    }
    return date
  }
}
