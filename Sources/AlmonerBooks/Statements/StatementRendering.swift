import Foundation

/// The readable forms of a statement (`almoner statement render`): a
/// notice-board text, Markdown, and one self-contained HTML page. They are
/// drawn from the statement file alone, never from a ledger; every word
/// taken from the file is escaped for where it goes.
public enum StatementRendering {
  public enum Format: String, Sendable, CaseIterable {
    case text, md, html
  }

  public static func render(_ statement: Statement, format: Format, english: Bool = false)
    -> String
  {
    let model = Model(statement, english: english)
    switch format {
    case .text: return model.text()
    case .md: return model.markdown()
    case .html: return model.html()
    }
  }

  /// One money line of the statement, as shown.
  struct Row {
    var seq: Int64
    var date: String
    var kind: String
    var amountFen: Int64?
    var detail: String
    var reversed: Bool
  }

  /// What every form shows, with words in the chosen language.
  struct Model {
    let statement: Statement
    let english: Bool
    var rows: [Row] = []
    /// Channel raw value → donations over all funds.
    var byChannel: [(String, Int64)] = []
    /// Category raw value → disbursements over all funds.
    var byCategory: [(String, Int64)] = []

    init(_ statement: Statement, english: Bool) {
      self.statement = statement
      self.english = english
      var entries: [Int64: Entry] = [:]
      for line in statement.lines {
        if let entry = try? Entry(canonical: line.entry) { entries[line.seq] = entry }
      }
      for line in statement.lines {
        guard let entry = entries[line.seq], let row = row(entry, entries) else { continue }
        var shown = row
        shown.reversed = line.reversedBy != nil
        rows.append(shown)
      }
      var channels: [String: Int64] = [:]
      var categories: [String: Int64] = [:]
      for fund in statement.funds {
        for (key, fen) in fund.donationsFen { channels[key, default: 0] += fen }
        for (key, fen) in fund.disbursementsFen { categories[key, default: 0] += fen }
      }
      byChannel =
        Channel.allCases.compactMap { c in channels[c.rawValue].map { (c.rawValue, $0) } }
        + channels.filter { Channel(rawValue: $0.key) == nil }.sorted { $0.key < $1.key }
      byCategory =
        PurposeCategory.allCases.compactMap { c in categories[c.rawValue].map { (c.rawValue, $0) } }
        + categories.filter { PurposeCategory(rawValue: $0.key) == nil }.sorted { $0.key < $1.key }
    }

    func word(_ zh: String, _ en: String) -> String { english ? en : zh }

    func channelName(_ raw: String) -> String {
      guard let channel = Channel(rawValue: raw) else { return raw }
      if !english { return channel.displayName }
      return switch channel {
      case .wechat: "WeChat Pay"
      case .alipay: "Alipay"
      case .bank: "bank transfer"
      case .cash: "cash"
      case .other: "other"
      }
    }

    func categoryName(_ raw: String) -> String {
      guard let category = PurposeCategory(rawValue: raw) else { return raw }
      if !english { return category.displayName }
      return switch category {
      case .elderly: "elderly care"
      case .education: "education"
      case .medical: "medical aid"
      case .disability: "disability aid"
      case .poverty: "poverty relief"
      case .disaster: "disaster relief"
      case .community: "community services"
      case .administration: "administration"
      case .other: "other"
      }
    }

    func unitName(_ code: String) -> String {
      let all = [statement.unit] + statement.parents + statement.units
      return all.first { $0.code == code }.map { "\($0.name)（\(code)）" } ?? code
    }

    /// The money lines; context lines (requests, approvals, grants) are
    /// shown through the lines they explain.
    func row(_ entry: Entry, _ entries: [Int64: Entry]) -> Row? {
      var row = Row(
        seq: entry.seq, date: entry.date.text, kind: "", amountFen: nil, detail: "",
        reversed: false)
      switch entry.body {
      case .donation(let body):
        row.kind = word("捐赠", "donation")
        row.amountFen = body.amountFen
        row.detail = "\(body.donor.display) · \(channelName(body.channel.rawValue))"
      case .reversal(let body):
        row.kind = word("冲销", "reversal")
        if let target = entries[body.seq], case .donation(let gift) = target.body {
          row.amountFen = gift.amountFen
        }
        row.detail = word("冲销记录 #\(body.seq)：", "reverses #\(body.seq): ") + body.reason
      case .allocationConfirm(let body):
        row.kind = word("划拨", "allocation")
        if let send = entries[body.allocation], case .allocationSend(let sent) = send.body {
          row.amountFen = sent.amountFen
          row.detail = "\(unitName(sent.from)) → \(unitName(sent.to))"
        }
      case .disbursementPay(let body):
        row.kind = word("支出", "payment")
        guard let request = entries[body.request] else { break }
        let approvals = entries.values.filter {
          if case .disbursementApprove(let approve) = $0.body {
            approve.request == body.request
          } else {
            false
          }
        }.count
        let approved = word("，\(approvals) 人批准", ", \(approvals) approval(s)")
        switch request.body {
        case .disbursementRequest(let asked):
          row.amountFen = asked.amountFen
          row.detail =
            "\(categoryName(asked.category.rawValue)) · \(asked.purpose) · \(asked.payee.display)\(approved)"
        case .fundRelease(let release):
          row.kind = word("定向资金释放", "release")
          row.amountFen = release.amountFen
          row.detail = release.reason + approved
        default: break
        }
      default:
        return nil
      }
      return row
    }

    var title: String {
      let scope = statement.subtree ? word("（含下属单位）", " (with the units below)") : ""
      return english
        ? "Public statement of \(statement.unit.name) (\(statement.unit.code))\(scope), \(statement.period.name)"
        : "\(statement.unit.name)（\(statement.unit.code)）\(scope)\(statement.period.displayName)公示报表"
    }

    var periodLine: String {
      word(
        "期间：\(statement.period.from.text) 至 \(statement.period.to.text)",
        "Period: \(statement.period.from.text) to \(statement.period.to.text)")
    }

    var treeSize: String {
      (try? statement.checkpointTreeSize()).map(String.init) ?? "?"
    }

    var provenance: String {
      word(
        "报表哈希 \(statement.hash.hex)；依据账本 \(statement.origin) 前 \(treeSize) 条记录的检查点，共 \(statement.lines.count) 行记录。",
        "Statement hash \(statement.hash.hex); bound to the checkpoint of the first \(treeSize) entries of ledger \(statement.origin); \(statement.lines.count) lines."
      )
    }

    var summaryHeader: [String] {
      [
        word("基金", "Fund"), word("期初余额", "Opening"), word("收入", "In"), word("支出", "Out"),
        word("期末余额", "Closing"),
      ]
    }

    func fundName(_ fund: FundFigures) -> String {
      let restricted = fund.restricted ? word("（定向）", " (restricted)") : ""
      return "\(fund.name)（\(fund.code)）\(restricted)"
    }

    var summaryRows: [[String]] {
      statement.funds.map {
        [
          fundName($0), money($0.openingFen), money($0.inFen), money($0.outFen),
          money($0.closingFen),
        ]
      }
    }

    func money(_ fen: Int64) -> String { Money(fen: fen).groupedText }

    /// Each fund's figures, item by item.
    func detailRows(_ fund: FundFigures) -> [[String]] {
      var rows: [[String]] = [[word("期初余额", "Opening balance"), money(fund.openingFen)]]
      let known = Channel.allCases.map(\.rawValue)
      let channels = known + fund.donationsFen.keys.sorted().filter { !known.contains($0) }
      for channel in channels {
        guard let fen = fund.donationsFen[channel] else { continue }
        rows.append([word("捐赠收入·", "Donations · ") + channelName(channel), money(fen)])
      }
      let items: [(String, String, Int64)] = [
        ("划拨收入", "Allocations in", fund.allocationsInFen),
        ("定向资金释放转入", "Released from restriction (in)", fund.releasesInFen),
        ("期初余额转入", "Opening balances brought in", fund.openingBalancesFen),
      ]
      for (zh, en, fen) in items where fen != 0 { rows.append([word(zh, en), money(fen)]) }
      for (category, fen) in fund.disbursementsFen.sorted(by: { $0.key < $1.key }) {
        rows.append([word("公益支出·", "Spending · ") + categoryName(category), money(fen)])
      }
      let outs: [(String, String, Int64)] = [
        ("划拨支出", "Allocations out", fund.allocationsOutFen),
        ("定向资金释放转出", "Released from restriction (out)", fund.releasesOutFen),
        ("冲销（退回捐赠）", "Reversed gifts", fund.reversalsFen),
        ("内部划转（不计收支）", "Internal transfers (not income or spending)", fund.internalTransfersFen),
      ]
      for (zh, en, fen) in outs where fen != 0 { rows.append([word(zh, en), money(fen)]) }
      rows.append([word("期末余额", "Closing balance"), money(fund.closingFen)])
      return rows
    }

    var lineHeader: [String] {
      [
        word("序号", "#"), word("日期", "Date"), word("类别", "Kind"), word("金额（元）", "Amount (¥)"),
        word("说明", "Detail"),
      ]
    }

    var lineRows: [[String]] {
      rows.map {
        [
          "\($0.seq)", $0.date, $0.kind + ($0.reversed ? word("（已冲销）", " (reversed)") : ""),
          $0.amountFen.map(money) ?? "", $0.detail,
        ]
      }
    }

    func signer(_ signature: Statement.Signature) -> String {
      let role =
        signature.role == .treasurer
        ? word("签发（记账员）", "signed (treasurer)") : word("会签（监督员）", "countersigned (supervisor)")
      return "\(role)：\(signature.name)（\(signature.keyID)）"
    }

    var signers: [String] {
      statement.signatures.isEmpty
        ? [word("（尚无签名）", "(not signed)")] : statement.signatures.map(signer)
    }

    var supersedes: String? {
      statement.supersedes.map {
        word(
          "本报表更正并取代报表 \($0.hash.hex)，原因：\($0.reason)",
          "This statement corrects and replaces \($0.hash.hex): \($0.reason)")
      }
    }

    var howToCheck: String {
      word(
        "如何核验：取得本报表文件（JSON）和账本的信任文件 trust.json（公开日志中有一份），运行 almoner verify statement 报表.json --trust trust.json --log 公开日志目录；不用 Almoner 也可运行 python3 scripts/verify_statement.py 报表.json --trust trust.json（只需 Python 和 cryptography）。两者都会核对检查点和监督员联署、每行记录的包含证明、签名，并由各行重算每个数字。",
        "How to check it: get this statement's file (JSON) and the ledger's trust file trust.json (the public log holds a copy), and run almoner verify statement statement.json --trust trust.json --log PUBLIC-LOG-DIR; without Almoner, run python3 scripts/verify_statement.py statement.json --trust trust.json (Python and cryptography only). Both check the checkpoint and its supervisors' cosignatures, every line's inclusion proof and the signatures, and recompute every number from the lines."
      )
    }

    // MARK: Text

    func text() -> String {
      var out = Text.escaped(title) + "\n" + periodLine + "\n"
      if let supersedes { out += Text.escaped(supersedes) + "\n" }
      out += "\n" + word("各基金收支", "Funds") + "\n"
      out += Text.table([summaryHeader] + summaryRows, rightAligned: [1, 2, 3, 4], indent: "  ")
      for fund in statement.funds {
        out += "\n\n" + Text.escaped(fundName(fund)) + "\n"
        out += Text.table(detailRows(fund), rightAligned: [1], indent: "  ")
      }
      out += "\n\n" + word("明细", "Lines") + "\n"
      out +=
        rows.isEmpty
        ? "  " + word("（本期无收支）", "(nothing this period)")
        : Text.table([lineHeader] + lineRows, rightAligned: [0, 3], indent: "  ")
      out += "\n\n" + signers.map { Text.escaped($0) }.joined(separator: "\n") + "\n"
      out += Text.escaped(provenance) + "\n" + howToCheck + "\n"
      return out
    }

    // MARK: Markdown

    func markdown() -> String {
      func cell(_ text: String) -> String {
        var out = ""
        for character in Text.escaped(text) {
          if "\\`*_[]<>|#".contains(character) { out.append("\\") }
          out.append(character)
        }
        return out
      }
      func table(_ rows: [[String]], right: Set<Int>) -> String {
        guard let header = rows.first else { return "" }
        let rule = header.indices.map { right.contains($0) ? "---:" : "---" }
        return ([header.map(cell), rule] + rows.dropFirst().map { $0.map(cell) })
          .map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
      }
      var out = "# \(cell(title))\n\n\(cell(periodLine))\n\n"
      if let supersedes { out += "> \(cell(supersedes))\n\n" }
      out += "## \(word("各基金收支（元）", "Funds (¥)"))\n\n"
      out += table([summaryHeader] + summaryRows, right: [1, 2, 3, 4]) + "\n"
      for fund in statement.funds {
        out += "### \(cell(fundName(fund)))\n\n"
        out += table(
          [[word("项目", "Item"), word("金额（元）", "Amount (¥)")]] + detailRows(fund), right: [1])
        out += "\n"
      }
      out += "## \(word("明细", "Lines"))\n\n"
      out +=
        rows.isEmpty
        ? word("本期无收支。", "Nothing this period.") + "\n"
        : table([lineHeader] + lineRows, right: [0, 3])
      out += "\n## \(word("签名", "Signatures"))\n\n"
      out += signers.map { "- " + cell($0) }.joined(separator: "\n") + "\n\n"
      out += cell(provenance) + "\n\n" + cell(howToCheck) + "\n"
      return out
    }

    // MARK: HTML

    func html() -> String {
      func table(_ rows: [[String]], right: Set<Int>) -> String {
        guard let header = rows.first else { return "" }
        func row(_ cells: [String], _ tag: String) -> String {
          "<tr>"
            + cells.enumerated().map { index, text in
              "<\(tag)\(right.contains(index) ? " class=\"num\"" : "")>\(HTML.escaped(text))</\(tag)>"
            }.joined() + "</tr>"
        }
        return "<table>\n<thead>" + row(header, "th") + "</thead>\n<tbody>\n"
          + rows.dropFirst().map { row($0, "td") }.joined(separator: "\n")
          + "\n</tbody>\n</table>\n"
      }
      var out = """
        <!DOCTYPE html>
        <html lang="\(english ? "en" : "zh-CN")">
        <head>
        <meta charset="utf-8">
        <title>\(HTML.escaped(title))</title>
        <style>
        body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 60em; color: #111; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #999; } h3 { font-size: 1em; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; }
        th, td { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .charts { display: flex; flex-wrap: wrap; gap: 2em; }
        .note { font-size: 0.9em; color: #333; word-break: break-all; }
        @media print { @page { size: A4; margin: 15mm; } body { margin: 0; max-width: none; font-size: 10pt; } tr, svg { page-break-inside: avoid; } }
        </style>
        </head>
        <body>
        <h1>\(HTML.escaped(title))</h1>
        <p>\(HTML.escaped(periodLine))</p>

        """
      if let supersedes { out += "<p><strong>\(HTML.escaped(supersedes))</strong></p>\n" }
      out += "<h2>\(word("各基金收支（元）", "Funds (¥)"))</h2>\n"
      out += table([summaryHeader] + summaryRows, right: [1, 2, 3, 4])
      out += "<div class=\"charts\">\n"
      out += chart(
        word("捐赠收入（按渠道）", "Donations by channel"), byChannel.map { (channelName($0.0), $0.1) },
        color: "#2e7d32")
      out += chart(
        word("公益支出（按用途）", "Spending by category"), byCategory.map { (categoryName($0.0), $0.1) },
        color: "#c62828")
      out += "</div>\n"
      for fund in statement.funds {
        out += "<h3>\(HTML.escaped(fundName(fund)))</h3>\n"
        out += table(
          [[word("项目", "Item"), word("金额（元）", "Amount (¥)")]] + detailRows(fund), right: [1])
      }
      out += "<h2>\(word("明细", "Lines"))</h2>\n"
      out +=
        rows.isEmpty
        ? "<p>\(word("本期无收支。", "Nothing this period."))</p>\n"
        : table([lineHeader] + lineRows, right: [0, 3])
      out += "<h2>\(word("签名", "Signatures"))</h2>\n<ul>\n"
      out += signers.map { "<li>\(HTML.escaped($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
      out += "<p class=\"note\">\(HTML.escaped(provenance))</p>\n"
      out +=
        "<h2>\(word("如何核验", "How to check it"))</h2>\n<p class=\"note\">\(HTML.escaped(howToCheck))</p>\n"
      return out + "</body>\n</html>\n"
    }

    /// A horizontal bar chart as inline SVG; bar lengths in whole pixels
    /// computed with integers.
    func chart(_ caption: String, _ bars: [(String, Int64)], color: String) -> String {
      let barWidth: Int64 = 240
      let rowHeight = 24
      let height = max(1, bars.count) * rowHeight + 8
      let largest = max(1, bars.map(\.1).max() ?? 1)
      var out = "<figure>\n<figcaption>\(HTML.escaped(caption))</figcaption>\n"
      out +=
        "<svg role=\"img\" width=\"460\" height=\"\(height)\" viewBox=\"0 0 460 \(height)\" aria-label=\"\(HTML.escaped(caption))\">\n"
      if bars.isEmpty {
        out += "<text x=\"0\" y=\"16\" font-size=\"12\">\(word("本期无", "none this period"))</text>\n"
      }
      for (index, bar) in bars.enumerated() {
        let y = index * rowHeight + 4
        let length = max(
          1, largest.dividingFullWidth(bar.1.multipliedFullWidth(by: barWidth)).quotient)
        out += "<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\">\(HTML.escaped(bar.0))</text>\n"
        out +=
          "<rect x=\"100\" y=\"\(y + 2)\" width=\"\(length)\" height=\"16\" fill=\"\(color)\"></rect>\n"
        out +=
          "<text x=\"\(100 + length + 6)\" y=\"\(y + 15)\" font-size=\"12\">\(HTML.escaped(Money(fen: bar.1).displayText))</text>\n"
      }
      return out + "</svg>\n</figure>\n"
    }
  }
}

/// Escaping for HTML text and attribute values: the five special
/// characters, and (through `Text.escaped`) any control or bidi character.
enum HTML {
  static func escaped(_ text: String) -> String {
    var out = ""
    for character in Text.escaped(text) {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}
