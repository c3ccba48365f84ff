/// An amount of money in integer fen (分). Parsed strictly from decimal yuan
/// text and printed back exactly; there is no floating point anywhere near it.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The largest amount a ledger holds: 2^53−1 fen, so every amount is
  /// exactly representable by any JSON reader (RFC 8785, I-JSON).
  public static let fenMax: Int64 = 9_007_199_254_740_991

  public var fen: Int64

  public init(fen: Int64) { self.fen = fen }

  public static let zero = Money(fen: 0)

  /// Parses decimal yuan with at most two decimals: `500`, `500.5`, `500.00`,
  /// optionally prefixed with `¥`. Refuses signs, exponents, separators, zero
  /// and anything over `fenMax`, with a message a treasurer can act on.
  public static func parseYuan(_ text: String) throws(AlmonerError) -> Money {
    var body = Substring(text.trimmingWhitespace())
    if body.hasPrefix("¥") || body.hasPrefix("￥") { body = body.dropFirst() }
    guard !body.isEmpty else { throw .refused(.amountEmpty(text: text)) }
    if body.hasPrefix("-") { throw .refused(.amountNegative(text: text)) }
    if body.hasPrefix("+") { throw .refused(.amountPlusSign(text: text)) }
    if body.unicodeScalars.contains(where: { $0 == "," || $0 == "，" }) {
      throw .refused(.amountSeparator(text: text))
    }
    let parts = body.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2 else { throw .refused(.amountPoints(text: text)) }
    let whole = parts[0]
    let fraction = parts.count == 2 ? parts[1] : ""
    let isDigits = { (s: Substring) in s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
    guard isDigits(whole), isDigits(fraction), !(whole.isEmpty && fraction.isEmpty) else {
      throw .refused(.amountNotDigits(text: text))
    }
    if parts.count == 2 && fraction.isEmpty { throw .refused(.amountFractionMissing(text: text)) }
    guard fraction.count <= 2 else { throw .refused(.amountDecimals(text: text)) }
    var fen: Int64 = 0
    for digit in whole.utf8 {
      let (times10, overflow1) = fen.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit - 48))
      guard !overflow1, !overflow2, sum <= fenMax / 100 + 1 else {
        throw .refused(.amountOverLimit(text: text, limitFen: fenMax))
      }
      fen = sum
    }
    fen *= 100
    var scale: Int64 = 10
    for digit in fraction.utf8 {
      fen += Int64(digit - 48) * scale
      scale /= 10
    }
    guard fen <= fenMax else { throw .refused(.amountOverLimit(text: text, limitFen: fenMax)) }
    guard fen > 0 else { throw .refused(.amountNotPositive(text: text)) }
    return Money(fen: fen)
  }

  /// `1234.50`, with a sign when negative.
  public var yuanText: String {
    let magnitude = fen.magnitude
    let yuan = magnitude / 100
    let cents = magnitude % 100
    return (fen < 0 ? "-" : "") + "\(yuan)." + (cents < 10 ? "0" : "") + "\(cents)"
  }

  /// `¥1,234.50`: grouped for reading in statements and messages.
  public var displayText: String {
    let grouped = groupedText
    return fen < 0 ? "-¥" + grouped.dropFirst() : "¥" + grouped
  }

  /// `1,234.50`: grouped, no currency sign, for table columns.
  public var groupedText: String {
    let magnitude = fen.magnitude
    var digits = Array(String(magnitude / 100))
    var grouped: [Character] = []
    while digits.count > 3 {
      grouped.insert(contentsOf: [","] + digits.suffix(3), at: 0)
      digits.removeLast(3)
    }
    grouped.insert(contentsOf: digits, at: 0)
    let cents = magnitude % 100
    return (fen < 0 ? "-" : "") + String(grouped) + "." + (cents < 10 ? "0" : "") + "\(cents)"
  }

  public var description: String { yuanText }

  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
}

extension String {
  package func trimmingWhitespace() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}
