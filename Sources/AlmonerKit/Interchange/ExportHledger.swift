/// Writes an `ExportBook` as an hledger journal (also read by ledger-cli):
/// account declarations with their Chinese names as comments, then one
/// transaction per entry, `DATE * (SEQ) PAYEE | NARRATION`, with the entry's
/// seq, hash and kind as tags.
public enum ExportHledger {
  public static func journal(_ book: ExportBook) -> String {
    var out = ExportText.header(book, format: "hledger 日记账", comment: ";")
    out += "\ncommodity 1000.00 CNY\n\n"
    for (key, _) in book.accountsOpened {
      out += "account \(ExportAccountNames.name(key))  ; \(clean(book.accountText(key)))\n"
    }
    for transaction in book.transactions {
      out += "\n" + self.transaction(transaction)
    }
    return out
  }

  static func transaction(_ transaction: ExportTransaction) -> String {
    let code = transaction.seq.map { " (\($0))" } ?? ""
    let description =
      transaction.counterparty.map { clean($0) + " | " + clean(transaction.summary) }
      ?? clean(transaction.summary)
    var out = "\(transaction.date) *\(code) \(description)\n"
    out +=
      "    ; " + tags(transaction).map { "\($0):\(tagValue($1))" }.joined(separator: ", ") + "\n"
    for posting in transaction.postings {
      let key = BalanceKey(unit: posting.unit, fund: posting.fund, account: posting.account)
      out += "    \(ExportAccountNames.name(key))  \(Money(fen: posting.amountFen).yuanText) CNY\n"
    }
    return out
  }

  /// The tags of a transaction, in a fixed order.
  static func tags(_ transaction: ExportTransaction) -> [(String, String)] {
    var tags: [(String, String)] = []
    if let seq = transaction.seq { tags.append(("seq", "\(seq)")) }
    if let hash = transaction.hash { tags.append(("hash", hash.hex)) }
    tags.append(("kind", transaction.kind?.rawValue ?? "opening"))
    if let ref = transaction.ref { tags.append(("ref", ref)) }
    if let allocation = transaction.allocation { tags.append(("allocation", "\(allocation)")) }
    if let reverses = transaction.reverses { tags.append(("reverses", "\(reverses)")) }
    if let reversedBy = transaction.reversedBy { tags.append(("reversed-by", "\(reversedBy)")) }
    return tags
  }

  /// hledger ends a description at `;` and splits payee from note at `|`:
  /// shown full-width instead, which a reader reads the same.
  static func clean(_ text: String) -> String {
    ExportText.oneLine(text).replacingOccurrences(of: ";", with: "；")
      .replacingOccurrences(of: "|", with: "｜")
  }

  /// A tag value ends at a comma.
  static func tagValue(_ text: String) -> String {
    clean(text).replacingOccurrences(of: ",", with: "，")
  }
}

/// Text shared by the export formats.
enum ExportText {
  /// The comment lines that open an export: what it is and what it covers.
  static func header(_ book: ExportBook, format: String, comment: String) -> String {
    let scope = book.unit.map { "\(book.unitText($0.code))及下辖单位" } ?? "全部单位"
    let period: String
    switch (book.from, book.to) {
    case (nil, nil): period = "全部记录"
    case (let from?, nil): period = "\(from) 起（之前的收支结转为期初余额）"
    case (nil, let to?): period = "截至 \(to)"
    case (let from?, let to?): period = "\(from) 至 \(to)（之前的收支结转为期初余额）"
    }
    return [
      "善款账本导出（\(format)）",
      "账本 ID：\(book.ledgerID.hex)",
      "来源：\(oneLine(book.origin))",
      "范围：\(scope)",
      "期间：\(period)",
      "金额：人民币元（CNY），由账本的整数分精确换算；每笔交易注明记录序号和哈希，可用 almoner verify 核对",
    ].map { "\(comment) \($0)\n" }.joined()
  }

  /// Ledger text is one line already (`TextPolicy`); an export still
  /// never lets a control character break its syntax.
  static func oneLine(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
  }
}
