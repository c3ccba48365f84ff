import AlmonerKit
import Testing

@Suite("Money: decimal yuan in, integer fen out")
struct MoneyTests {
  @Test(
    "valid amounts",
    arguments: [
      ("500", 50_000), ("500.5", 50_050), ("500.00", 50_000), ("0.01", 1), ("¥12.30", 1_230),
      (" 7 ", 700), ("90071992547409.91", 9_007_199_254_740_991), (".5", 50),
    ] as [(String, Int64)])
  func valid(text: String, fen: Int64) throws {
    #expect(try Money.parseYuan(text).fen == fen)
  }

  @Test(
    "invalid amounts are refused with the reason's code, naming the amount",
    arguments: [
      ("12.345", .amountDecimals), ("-5", .amountNegative), ("0", .amountNotPositive),
      ("0.00", .amountNotPositive), ("1e3", .amountNotDigits), ("abc", .amountNotDigits),
      ("99999999999999999", .amountOverLimit), ("90071992547409.92", .amountOverLimit),
      ("", .amountEmpty), ("1,000", .amountSeparator), ("1.2.3", .amountPoints),
      ("5.", .amountFractionMissing), ("NaN", .amountNotDigits), ("+5", .amountPlusSign),
      ("５", .amountNotDigits),
    ] as [(String, Refusal.Code)])
  func invalid(text: String, code: Refusal.Code) {
    #expect {
      try Money.parseYuan(text)
    } throws: { error in
      guard let error = error as? AlmonerError else { return false }
      return error.kind == .badInput && error.refusal?.tag == code
        && error.message.contains("\"\(text)\"")
    }
  }

  @Test("printing is exact")
  func printing() {
    #expect(Money(fen: 0).yuanText == "0.00")
    #expect(Money(fen: 5).yuanText == "0.05")
    #expect(Money(fen: -123_456).yuanText == "-1234.56")
    #expect(Money(fen: 123_456_789).displayText == "¥1,234,567.89")
    #expect(Money(fen: -100_000).displayText == "-¥1,000.00")
    #expect(Money(fen: 99_900).groupedText == "999.00")
    #expect(Money(fen: Money.fenMax).yuanText == "90071992547409.91")
  }

  @Test("accounting dates must exist")
  func dates() throws {
    #expect(try AccountingDate("2024-02-29").text == "2024-02-29")
    for bad in [
      "2026-02-29", "2026-13-01", "2026-00-10", "2026/07/03", "26-07-03", "2026-7-3", "2100-02-29",
    ] {
      #expect(throws: AlmonerError.self) { try AccountingDate(bad) }
    }
  }

  @Test("display width counts CJK as two columns")
  func displayWidth() {
    #expect(Text.displayWidth("广安区") == 6)
    #expect(Text.displayWidth("GA-BC") == 5)
    #expect(Text.displayWidth("捐赠收入·微信") == 13)
    #expect(Text.pad("北城", to: 6) == "北城  ")
    #expect(Text.masked("张三") == "张*")
    #expect(Text.masked("王小明") == "王**")
    #expect(Text.masked("李") == "*")
  }
}
