/// Writes an `ExportBook` as CSV: one row per posting, RFC 4180 (fields with
/// a comma, quote or line break quoted, quotes doubled, CRLF line ends),
/// UTF-8 with a byte-order mark by default, so Excel on a Chinese Windows —
/// which reads a CSV without one as GBK — shows the Chinese right.
public enum ExportCSV {
  public static let header = [
    "seq", "date", "kind", "unit", "unit_name", "fund", "fund_name", "account", "account_name",
    "amount", "counterparty", "channel_category", "ref", "entry_hash",
  ]

  public static func file(_ book: ExportBook, byteOrderMark: Bool = true) -> String {
    var out = byteOrderMark ? "\u{FEFF}" : ""
    out += row(header)
    for transaction in book.transactions {
      for posting in transaction.postings {
        let key = BalanceKey(unit: posting.unit, fund: posting.fund, account: posting.account)
        let accountName =
          posting.account == ExportBook.openingBalances ? "期初余额结转" : posting.account.displayName
        out += row([
          transaction.seq.map { "\($0)" } ?? "",
          transaction.date.text,
          transaction.kind?.rawValue ?? "opening",
          posting.unit,
          text(book.units[posting.unit]?.name ?? posting.unit),
          posting.fund,
          text(book.fundName(unit: posting.unit, fund: posting.fund)),
          key.account.name,
          text(accountName),
          Money(fen: posting.amountFen).yuanText,
          text(transaction.counterparty ?? ""),
          text(transaction.detail ?? ""),
          text(transaction.ref ?? ""),
          transaction.hash?.hex ?? "",
        ])
      }
    }
    return out
  }

  /// One record, CRLF-terminated.
  static func row(_ fields: [String]) -> String {
    fields.map(field).joined(separator: ",") + "\r\n"
  }

  static func field(_ value: String) -> String {
    guard
      value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
    else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// Free text (names, references) that a spreadsheet would run as a
  /// formula when it starts with `=`, `+`, `-` or `@` gets a leading `'`,
  /// as OWASP advises for CSV meant for Excel: a donor's display name is
  /// public input, not a formula the treasurer's computer should run.
  static func text(_ value: String) -> String {
    guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first)
    else { return value }
    return "'" + value
  }
}
