/// Writes an `ExportBook` as a beancount file: the operating currency, an
/// `open` directive per account (its Chinese name as metadata), then one
/// transaction per entry with seq, hash and kind as metadata. A reversal and
/// the donation it reverses share a link (`^reversal-SEQ`), and so do the
/// entries of one allocation (`^allocation-ID`).
public enum ExportBeancount {
  public static func file(_ book: ExportBook) -> String {
    var out = ExportText.header(book, format: "beancount", comment: ";")
    out += "\noption \"title\" \(quoted("善款账本 " + book.origin))\n"
    out += "option \"operating_currency\" \"CNY\"\n\n"
    for (key, date) in book.accountsOpened {
      out += "\(date) open \(ExportAccountNames.name(key)) CNY\n"
      out += "  name: \(quoted(book.accountText(key)))\n"
    }
    for transaction in book.transactions {
      out += "\n" + self.transaction(transaction)
    }
    return out
  }

  static func transaction(_ transaction: ExportTransaction) -> String {
    var links: [String] = []
    if let original = transaction.reverses
      ?? (transaction.reversedBy != nil ? transaction.seq : nil)
    {
      links.append("^reversal-\(original)")
    }
    if let allocation = transaction.allocation { links.append("^allocation-\(allocation)") }
    let payee = transaction.counterparty.map { quoted($0) + " " } ?? ""
    var out =
      "\(transaction.date) * \(payee)\(quoted(transaction.summary))"
      + links.map { " " + $0 }.joined() + "\n"
    if let seq = transaction.seq { out += "  seq: \(seq)\n" }
    if let hash = transaction.hash { out += "  hash: \"\(hash.hex)\"\n" }
    out += "  kind: \"\(transaction.kind?.rawValue ?? "opening")\"\n"
    if let detail = transaction.detail { out += "  detail: \(quoted(detail))\n" }
    if let ref = transaction.ref { out += "  ref: \(quoted(ref))\n" }
    if let reverses = transaction.reverses { out += "  reverses: \(reverses)\n" }
    if let reversedBy = transaction.reversedBy { out += "  reversed-by: \(reversedBy)\n" }
    for posting in transaction.postings {
      let key = BalanceKey(unit: posting.unit, fund: posting.fund, account: posting.account)
      out += "  \(ExportAccountNames.name(key))  \(Money(fen: posting.amountFen).yuanText) CNY\n"
    }
    return out
  }

  /// A beancount string: backslash and double quote escaped.
  static func quoted(_ text: String) -> String {
    "\""
      + ExportText.oneLine(text).replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }
}
