import Foundation
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// The shortcuts the replay takes for speed must mean the same as the slow
/// paths they replace.
@Suite("Hot paths: hashes copied in one go, dates compared as numbers")
struct HotPathTests {
  @Test("Hash32(bytes:) reads arrays, slices, Data and Data slices alike")
  func hashFromContiguousBytes() throws {
    let bytes = (0..<40).map { UInt8($0 * 7 % 256) }
    let expected = try #require(Hash32(bytes: Array(bytes[3..<35])))
    #expect(expected.bytes == Array(bytes[3..<35]))
    #expect(Hash32(bytes: bytes[3..<35]) == expected)
    let data = Data(bytes)
    // A Data slice keeps its parent's indices: the copy must start at 3.
    #expect(Hash32(bytes: data[3..<35]) == expected)
    #expect(Hash32(bytes: Data(bytes[3..<35])) == expected)
    #expect(bytes[3..<35].withUnsafeBytes { Hash32(bytes: $0) } == expected)
    // A collection without contiguous storage takes the element loop.
    #expect(Hash32(bytes: (3..<35).lazy.map { bytes[$0] }) == expected)
    #expect(Hash32(bytes: bytes[3..<34]) == nil)
    #expect(Hash32(bytes: data) == nil)
  }

  @Test("AccountingDate equality, hashing and order agree with its text")
  func datesAgreeWithText() throws {
    var dates: [AccountingDate] = []
    for days in stride(from: Int64(-25_000), through: 40_000, by: 37) {
      dates.append(AccountingDate(daysSince1970: days))
    }
    dates.append(try AccountingDate("2026-07-03"))
    dates.append(try AccountingDate("2024-02-29"))
    for (left, right) in zip(dates, dates.shuffled()) {
      #expect((left == right) == (left.text == right.text))
      #expect((left < right) == (left.text < right.text))
    }
    let parsed = try AccountingDate("2026-07-03")
    let computed = AccountingDate(daysSince1970: try AccountingDate("2026-07-03").daysSince1970)
    #expect(parsed == computed)
    #expect(Set([parsed, computed]).count == 1)
    #expect(try AccountingDate("2026-07-03") < AccountingDate("2026-07-04"))
    #expect(try AccountingDate("2025-12-31") < AccountingDate("2026-01-01"))
  }

  @Test(
    "dates and entry times read in place agree with Foundation's calendar, and refuse what it refuses"
  )
  func inPlaceParsersAgreeWithFoundation() throws {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    for days in stride(from: Int64(-25_000), through: 40_000, by: 97) {
      let seconds = days * 86_400 + (days & 0xFFFF) % 86_400
      let instant = Date(timeIntervalSince1970: TimeInterval(seconds))
      let parts = calendar.dateComponents([.year, .month, .day], from: instant)
      let text = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
      let date = try AccountingDate(text)
      #expect(date.daysSince1970 == days)
      #expect(AccountingDate(daysSince1970: days) == date)
      let time = LedgerClock.rfc3339(unixSeconds: seconds)
      #expect(LedgerClock.unixSeconds(entryTime: time) == seconds, "\(time)")
    }
    for bad in [
      "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-00T00:00:00Z",
      "2026-11-03T24:00:00Z", "2026-11-03T12:60:00Z", "2026-11-03T12:00:60Z",
      "2026-11-03 12:00:00Z", "2026-11-03T12:00:00+08:00", "1899-12-31T00:00:00Z",
      "2026-1１-03T12:00:00Z", "2026/11/03T12:00:00Z", "",
    ] {
      #expect(LedgerClock.unixSeconds(entryTime: bad) == nil, "\(bad)")
    }
    for bad in ["2026-02-29", "2026-2-28", "2026-02-2x", "２026-02-28", "1899-12-31"] {
      #expect(throws: AlmonerError.self) { try AccountingDate(bad) }
    }
    #expect(try AccountingDate("2024-02-29").daysSince1970 == 19_782)
  }
}
