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
    var text = text
    // Read in place: every entry decoded in a replay has a date.
    let parsed = text.withUTF8 { utf8 -> (year: Int64, month: Int64, day: Int64)? in
      guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
        let year = AccountingDate.decimal(utf8, 0, 4),
        let month = AccountingDate.decimal(utf8, 5, 2),
        let day = AccountingDate.decimal(utf8, 8, 2)
      else { return nil }
      return (year, month, day)
    }
    guard let (year, month, day) = parsed else { throw .refused(.dateMalformed(text: text)) }
    guard AccountingDate.exists(year: year, month: month, day: day) else {
      throw .refused(.dateNonexistent(text: text))
    }
    self.text = text
    self.ordinal = year * 10_000 + month * 100 + day
  }

  /// The number written by the `count` ASCII digits at `start`; nil when
  /// one of them is not a digit.
  static func decimal(_ utf8: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int64? {
    var value: Int64 = 0
    for index in start..<(start + count) {
      let digit = utf8[index] &- UInt8(ascii: "0")
      guard digit <= 9 else { return nil }
      value = value * 10 + Int64(digit)
    }
    return value
  }

  /// Whether the day exists in the Gregorian calendar, from 1900 on.
  static func exists(year: Int64, month: Int64, day: Int64) -> Bool {
    (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
      && year >= 1900
  }

  public static func == (lhs: AccountingDate, rhs: AccountingDate) -> Bool {
    lhs.ordinal == rhs.ordinal
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }

  private static func daysIn(month: Int64, year: Int64) -> Int64 {
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

  /// Days from 1970-01-01 to this date.
  package var daysSince1970: Int64 {
    AccountingDate.daysSince1970(
      year: ordinal / 10_000, month: ordinal / 100 % 100, day: ordinal % 100)
  }

  /// Days from 1970-01-01 to a date (days-from-civil, Howard Hinnant).
  package static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
    let year = year - (month <= 2 ? 1 : 0)
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
    var time = time
    // Read in place: a replay reads every entry's time.
    return time.withUTF8 { utf8 -> Int64? in
      guard utf8.count == 20, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
        utf8[10] == UInt8(ascii: "T"), utf8[13] == UInt8(ascii: ":"),
        utf8[16] == UInt8(ascii: ":"), utf8[19] == UInt8(ascii: "Z"),
        let year = AccountingDate.decimal(utf8, 0, 4),
        let month = AccountingDate.decimal(utf8, 5, 2),
        let day = AccountingDate.decimal(utf8, 8, 2),
        AccountingDate.exists(year: year, month: month, day: day),
        let hour = AccountingDate.decimal(utf8, 11, 2), hour < 24,
        let minute = AccountingDate.decimal(utf8, 14, 2), minute < 60,
        let second = AccountingDate.decimal(utf8, 17, 2), second < 60
      else { return nil }
      return AccountingDate.daysSince1970(year: year, month: month, day: day) * 86_400 + hour
        * 3600 + minute * 60 + second
    }
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
