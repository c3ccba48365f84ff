import AlmonerKit
import Foundation
import Testing

/// `almoner export hledger|beancount|csv`: the exports of a realistic ledger
/// are read by the accountants' own tools — `hledger`, `bean-check`,
/// `bean-query` and Python's `csv` — and their balances must equal
/// `almoner balance` to the fen, per unit, fund and account; with `--unit`
/// and with `--from`/`--to` too. The tools are Debian packages that
/// `scripts/setup.sh` installs; where one is missing the test fails saying
/// so, it does not skip.
@Suite("export for accountants")
struct ExportCLITests {
  // MARK: The ledger

  /// The fixture ledger (seq 0–11) plus a November of three tiers:
  ///
  /// | what | entries |
  /// | --- | --- |
  /// | restricted fund elderly-canteen also at GA-BC; an approver at GA | |
  /// | donations | GA-BC ¥1,000 WeChat 11-05; GA ¥88 cash 11-06 from a named group whose name holds `=`, `"`, `,` and `\`; GA-BC-JSL ¥500 WeChat 11-10 (reversed on 11-29) |
  /// | allocations | GA → GA-BC ¥10,000 (11-03, confirmed 11-29); GA → GA-BC ¥300 elderly-canteen (11-04, confirmed); GA → GA-BC ¥2,000 (11-08, voided 11-29); GA-BC → GA-BC-JSL ¥3,000 (11-29, in transit) |
  /// | disbursements paid 11-29 | GA ¥500 community (requested 11-15); GA ¥200 from elderly-canteen, elderly (11-16); release of ¥100 of elderly-canteen to general (11-17) |
  static let ledger: Result<Workspace, HarnessError> = {
    do {
      return .success(try buildLedger())
    } catch let error as HarnessError {
      return .failure(error)
    } catch {
      return .failure(.unexpectedOutput("export ledger: \(error)"))
    }
  }()

  static let awkwardDonor = #"=老王"爱心,小组"\"#

  private static func buildLedger() throws -> Workspace {
    let ws = try Workspace.fixture()
    func seq(_ arguments: String...) throws -> String {
      let result = try ws.run(arguments + ["--format", "json"])
      guard result.status == 0, let object = try? parseJSON(result.stdout).objectValue,
        let seq = (object["id"] ?? object["seq"])?.integerValue
      else {
        throw HarnessError.fixtureStep(arguments.joined(separator: " "), result)
      }
      return "\(seq)"
    }
    try ws.must("key", "new", "--name", "审批人", "--out", "approver.pem")
    try ws.must(
      "member", "add", "--unit", "GA", "--role", "approver", "--name", "审批人", "--public-key",
      "approver.pem.pub", "--key", "admin.pem")
    try ws.must(
      "fund", "open", "elderly-canteen", "--unit", "GA-BC", "--name", "老龄食堂", "--restricted",
      "--purpose", "老年人助餐", "--key", "admin.pem")
    try ws.must(
      "donate", "--unit", "GA-BC", "--amount", "1000", "--donor", "刘洋", "--channel", "wechat",
      "--ref", "WX-4200001", "--date", "2026-11-05", "--key", "bc.pem")
    try ws.must(
      "donate", "--unit", "GA", "--amount", "88", "--donor", awkwardDonor, "--named", "--channel",
      "cash", "--date", "2026-11-06", "--key", "ga.pem")
    let mistaken = try seq(
      "donate", "--unit", "GA-BC-JSL", "--amount", "500", "--donor", "孙丽", "--channel", "wechat",
      "--ref", "WX-4200002", "--date", "2026-11-10", "--key", "jsl.pem")
    let general = try seq(
      "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "10000", "--date", "2026-11-03",
      "--key", "ga.pem")
    let restricted = try seq(
      "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "300", "--fund", "elderly-canteen",
      "--date", "2026-11-04", "--key", "ga.pem")
    let voided = try seq(
      "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "2000", "--date", "2026-11-08",
      "--key", "ga.pem")
    try ws.must("allocate", "confirm", general, "--key", "bc.pem")
    try ws.must("allocate", "confirm", restricted, "--key", "bc.pem")
    try ws.must("allocate", "void", voided, "--key", "ga.pem")
    try ws.must(
      "allocate", "--from", "GA-BC", "--to", "GA-BC-JSL", "--amount", "3000", "--key", "bc.pem")
    try ws.must("reverse", mistaken, "--reason", "重复录入", "--key", "jsl.pem")
    let payment = try seq(
      "disburse", "request", "--unit", "GA", "--amount", "500", "--payee", "惠民超市", "--purpose",
      "社区活动物资", "--category", "community", "--date", "2026-11-15", "--key", "ga.pem")
    let canteen = try seq(
      "disburse", "request", "--unit", "GA", "--fund", "elderly-canteen", "--amount", "200",
      "--payee", "幸福食堂", "--purpose", "老年人助餐食材", "--date", "2026-11-16", "--key", "ga.pem")
    let release = try seq(
      "disburse", "release", "--unit", "GA", "--fund", "elderly-canteen", "--amount", "100",
      "--reason", "项目结余", "--date", "2026-11-17", "--key", "ga.pem")
    for id in [payment, canteen, release] {
      try ws.must("disburse", "approve", id, "--key", "approver.pem")
      try ws.must("disburse", "pay", id, "--key", "ga.pem")
    }
    return ws
  }

  // MARK: What Almoner says

  static let units = ["GA", "GA-BC", "GA-BC-JSL", "GA-BC-WHL"]

  /// Almoner's own balances of `unit` as of `asOf`, per exported account
  /// name, as raw sums (debit positive, as hledger and beancount print them).
  static func almonerBalances(_ ws: Workspace, unit: String, asOf: String?) throws
    -> [String: Int64]
  {
    let arguments =
      ["balance", "--unit", unit, "--format", "json"] + (asOf.map { ["--as-of", $0] } ?? [])
    let result = try ws.run(arguments)
    guard result.status == 0 else {
      throw HarnessError.fixtureStep(arguments.joined(separator: " "), result)
    }
    var balances: [String: Int64] = [:]
    for line in try parseJSON(result.stdout).objectValue?["own"]?.arrayValue ?? [] {
      let object = try #require(line.objectValue)
      let fund = try #require(object["fund"]?.stringValue)
      let account = try #require(object["account"]?.stringValue)
      let amount: Int64 = try #require(object["amountFen"]?.integerValue)
      let (name, creditNormal) = try exportedName(unit: unit, fund: fund, account: account)
      balances[name, default: 0] += creditNormal ? -amount : amount
    }
    return balances
  }

  /// The account naming the README documents, written out independently of
  /// the exporter: `<Type>:<unit>:<Fund>:<account>`.
  static func exportedName(unit: String, fund: String, account: String) throws
    -> (name: String, creditNormal: Bool)
  {
    let funds = ["general": "General", "elderly-canteen": "Elderly-Canteen"]
    let accounts: [String: (type: String, tail: String)] = [
      "assets:bank": ("Assets", "Bank"), "assets:cash": ("Assets", "Cash"),
      "assets:in-transit": ("Assets", "InTransit"),
      "income:donations:wechat": ("Income", "Donations:WeChat"),
      "income:donations:alipay": ("Income", "Donations:Alipay"),
      "income:donations:bank": ("Income", "Donations:Bank"),
      "income:donations:cash": ("Income", "Donations:Cash"),
      "income:donations:other": ("Income", "Donations:Other"),
      "income:allocations-in": ("Income", "AllocationsIn"),
      "expenses:allocations-out": ("Expenses", "AllocationsOut"),
      "expenses:programme:elderly": ("Expenses", "Programme:Elderly"),
      "expenses:programme:community": ("Expenses", "Programme:Community"),
      "net-assets:release-out": ("Equity", "ReleaseOut"),
      "net-assets:release-in": ("Equity", "ReleaseIn"),
    ]
    guard let (type, tail) = accounts[account], let fundName = funds[fund] else {
      Issue.record("no expected export name for \(unit) \(fund) \(account): add it to the test")
      throw HarnessError.unexpectedOutput("unknown account \(account)")
    }
    return ("\(type):\(unit):\(fundName):\(tail)", type != "Assets" && type != "Expenses")
  }

  /// What an export of `units` over `from...to` must show: closing asset
  /// balances at `to`, the period's income, spending and releases, and per
  /// unit and fund the assets before `from` carried from `Opening-Balances`.
  static func expectedBalances(
    _ ws: Workspace, units: [String], from: (date: String, dayBefore: String)?, to: String?
  ) throws -> [String: Int64] {
    var expected: [String: Int64] = [:]
    for unit in units {
      let closing = try almonerBalances(ws, unit: unit, asOf: to)
      let opening = try from.map { try almonerBalances(ws, unit: unit, asOf: $0.dayBefore) } ?? [:]
      for (name, amount) in closing { expected[name, default: 0] += amount }
      for (name, amount) in opening {
        if name.hasPrefix("Assets:") {
          let parts = name.split(separator: ":")
          expected["Equity:\(parts[1]):\(parts[2]):Opening-Balances", default: 0] -= amount
        } else {
          expected[name, default: 0] -= amount
        }
      }
    }
    return expected.filter { $0.value != 0 }
  }

  // MARK: What the tools say

  static func requireTool(_ name: String) -> URL? {
    guard let url = SystemTools.find(name) else {
      Issue.record(
        "\(name) is not installed: run scripts/setup.sh (Debian: apt-get install hledger beancount); the export tests need it"
      )
      return nil
    }
    return url
  }

  /// `12.34 CNY`, `-0.05 CNY`, `0` → fen, without floating point.
  static func fen(_ text: String) throws -> Int64 {
    var number = text.trimmingCharacters(in: .whitespaces)
    if number.isEmpty { return 0 }
    if number.hasSuffix("CNY") {
      number = String(number.dropLast(3)).trimmingCharacters(in: .whitespaces)
    }
    let negative = number.hasPrefix("-")
    if negative { number.removeFirst() }
    let parts = number.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = Int64(parts[0]),
      parts.count == 1 || (parts[1].count == 2 && Int64(parts[1]) != nil)
    else { throw HarnessError.unexpectedOutput("not an amount: \(text)") }
    let value = whole * 100 + (parts.count == 2 ? Int64(parts[1])! : 0)
    return negative ? -value : value
  }

  /// `hledger --strict bal` of `file` (every account and commodity declared).
  static func hledgerBalances(_ file: String, in ws: Workspace) throws -> [String: Int64]? {
    guard let hledger = requireTool("hledger") else { return nil }
    let result = try Runner.run(
      hledger, ["-f", file, "--strict", "bal", "--flat", "--no-total", "-O", "csv"],
      in: ws.directory)
    #expect(result.status == 0 && result.stderr.isEmpty, "hledger: \(result)")
    var balances: [String: Int64] = [:]
    for line in result.stdoutLines.dropFirst() where !line.isEmpty {
      let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: ["\""]) }
      guard fields.count == 2 else {
        throw HarnessError.unexpectedOutput("hledger line: \(line)")
      }
      balances[fields[0]] = try fen(fields[1])
    }
    return balances.filter { $0.value != 0 }
  }

  /// `bean-check` must pass; then `bean-query`'s sums per account.
  static func beancountBalances(_ file: String, in ws: Workspace) throws -> [String: Int64]? {
    guard let check = requireTool("bean-check"), let query = requireTool("bean-query") else {
      return nil
    }
    let checked = try Runner.run(check, [file], in: ws.directory)
    #expect(
      checked.status == 0 && checked.stdout.isEmpty && checked.stderr.isEmpty,
      "bean-check: \(checked)")
    let result = try Runner.run(
      query, ["-f", "csv", file, "SELECT account, sum(position) GROUP BY account"],
      in: ws.directory)
    #expect(result.status == 0, "bean-query: \(result)")
    var balances: [String: Int64] = [:]
    // bean-query ends its CSV lines with CRLF (one Character in Swift).
    for line in result.stdout.split(whereSeparator: \.isNewline).dropFirst() {
      let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      guard fields.count == 2 else {
        throw HarnessError.unexpectedOutput("bean-query line: \(line)")
      }
      balances[fields[0]] = try fen(fields[1])
    }
    return balances.filter { $0.value != 0 }
  }

  /// Python's `csv` reads the export: every entry's postings sum to zero
  /// (and per unit and fund); printed back are the sums per exported account.
  static let csvCheck = #"""
    import csv, json, sys
    from decimal import Decimal
    names = json.loads(sys.argv[2])
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    entries, funds, sums = {}, {}, {}
    for row in rows:
        key = row["seq"] or "opening"
        amount = Decimal(row["amount"])
        assert amount == amount.quantize(Decimal("0.01")), row
        entries[key] = entries.get(key, Decimal(0)) + amount
        fund = (key, row["unit"], row["fund"])
        funds[fund] = funds.get(fund, Decimal(0)) + amount
        name = names.get(row["account"])
        if name is None:
            sys.exit("unknown account " + row["account"])
        name = name.replace("UNIT", row["unit"]).replace("FUND", "-".join(w.capitalize() for w in row["fund"].split("-")))
        sums[name] = sums.get(name, 0) + int(amount * 100)
    bad = [k for k, v in list(entries.items()) + list(funds.items()) if v != 0]
    if bad:
        sys.exit("postings do not sum to zero: " + repr(bad))
    print(json.dumps({k: v for k, v in sums.items() if v != 0}, sort_keys=True))
    """#

  static func csvBalances(_ file: String, in ws: Workspace) throws -> [String: Int64]? {
    guard Python.executable != nil else {
      Issue.record("python3 is not installed: the CSV export test reads the file with Python's csv")
      return nil
    }
    let accounts = [
      "assets:bank": "Assets:UNIT:FUND:Bank", "assets:cash": "Assets:UNIT:FUND:Cash",
      "assets:in-transit": "Assets:UNIT:FUND:InTransit",
      "income:donations:wechat": "Income:UNIT:FUND:Donations:WeChat",
      "income:donations:alipay": "Income:UNIT:FUND:Donations:Alipay",
      "income:donations:bank": "Income:UNIT:FUND:Donations:Bank",
      "income:donations:cash": "Income:UNIT:FUND:Donations:Cash",
      "income:allocations-in": "Income:UNIT:FUND:AllocationsIn",
      "expenses:allocations-out": "Expenses:UNIT:FUND:AllocationsOut",
      "expenses:programme:elderly": "Expenses:UNIT:FUND:Programme:Elderly",
      "expenses:programme:community": "Expenses:UNIT:FUND:Programme:Community",
      "net-assets:release-out": "Equity:UNIT:FUND:ReleaseOut",
      "net-assets:release-in": "Equity:UNIT:FUND:ReleaseIn",
      "net-assets:opening-balances": "Equity:UNIT:FUND:Opening-Balances",
    ]
    let names =
      "{" + accounts.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "}"
    let result = try Python.run(csvCheck, [file, names], in: ws.directory)
    #expect(result.status == 0, "csv check: \(result)")
    guard result.status == 0 else { return nil }
    let object = try #require(try parseJSON(result.stdout).objectValue)
    var balances: [String: Int64] = [:]
    for key in object.keys { balances[key] = try #require(object[key]?.integerValue) }
    return balances
  }

  // MARK: Tests

  struct Case: Sendable, CustomTestStringConvertible {
    var unit: String?
    var from: (date: String, dayBefore: String)?
    var to: String?

    var arguments: [String] {
      (unit.map { ["--unit", $0] } ?? []) + (from.map { ["--from", $0.date] } ?? [])
        + (to.map { ["--to", $0] } ?? [])
    }
    var testDescription: String {
      arguments.isEmpty ? "whole ledger" : arguments.joined(separator: " ")
    }
    var label: String {
      testDescription.replacing(/[^A-Za-z0-9]+/, with: "-")
    }
    var units: [String] {
      guard let unit else { return ExportCLITests.units }
      return ExportCLITests.units.filter { $0 == unit || $0.hasPrefix(unit + "-") }
    }
  }

  static let cases: [Case] = [
    Case(),
    Case(unit: "GA-BC"),
    Case(unit: "GA-BC-JSL"),
    Case(from: ("2026-11-01", "2026-10-31"), to: "2026-11-10"),
    Case(unit: "GA-BC", from: ("2026-11-05", "2026-11-04")),
    Case(to: "2026-10-31"),
  ]

  @Test(
    "hledger, bean-check + bean-query and the CSV postings agree with almoner balance",
    arguments: cases)
  func balancesAgree(_ test: Case) throws {
    let ws = try Self.ledger.get()
    let expected = try Self.expectedBalances(ws, units: test.units, from: test.from, to: test.to)
    #expect(!expected.isEmpty)
    for format in ["hledger", "beancount", "csv"] {
      let file = "export-\(test.label)-\(format).\(format == "hledger" ? "journal" : format)"
      let exported = try ws.run(["export", format, "--out", file] + test.arguments)
      #expect(exported.status == 0 && exported.stderr.isEmpty, "\(exported)")
      #expect(exported.stdout.hasPrefix("已导出 "), "\(exported)")
      let actual: [String: Int64]?
      switch format {
      case "hledger": actual = try Self.hledgerBalances(file, in: ws)
      case "beancount": actual = try Self.beancountBalances(file, in: ws)
      default: actual = try Self.csvBalances(file, in: ws)
      }
      guard let actual else { continue }
      #expect(actual == expected, "\(format) \(test.testDescription)")
      let text = String(decoding: try ws.read(file), as: UTF8.self)
      for secret in ["张三", "王小明", "李四", "刘洋", "孙丽"] {
        #expect(!text.contains(secret), "\(format) export shows the private name \(secret)")
      }
    }
  }

  @Test("a transaction per money-moving entry, with seq, hash, links for reversals and allocations")
  func hledgerAndBeancountShape() throws {
    let ws = try Self.ledger.get()
    let journal = try ws.must("export", "hledger").stdout
    let lines = journal.split(separator: "\n").map(String.init)
    // The header says what it is; accounts are declared with Chinese names.
    #expect(lines.first?.hasPrefix("; 善款账本导出（hledger 日记账）") == true, "\(journal)")
    #expect(
      lines.contains("account Assets:GA-BC-JSL:General:Cash  ; 建设路社区（GA-BC-JSL）·非定向基金·库存现金"))
    #expect(lines.contains("account Assets:GA-BC:General:InTransit  ; 北城街道（GA-BC）·非定向基金·在途划拨"))
    // The fixture's first donation: seq 8, named donor, bank.
    let donation = try #require(lines.firstIndex { $0.hasPrefix("2026-08-15 * (8) ") })
    #expect(lines[donation] == "2026-08-15 * (8) 广安区爱心企业联合会 | 广安区爱心企业联合会 捐赠给广安区（GA）（银行转账）")
    #expect(
      lines[donation + 1].wholeMatch(
        of: /\ {4}; seq:8, hash:[0-9a-f]{64}, kind:donation, ref:BANK-2026-0815-001/) != nil,
      "\(lines[donation + 1])")
    #expect(lines[donation + 2] == "    Assets:GA:General:Bank  50000.00 CNY")
    #expect(lines[donation + 3] == "    Income:GA:General:Donations:Bank  -50000.00 CNY")
    // Masked donor, restricted fund.
    #expect(journal.contains("2026-09-01 * (9) 张* | 张* 捐赠给广安区（GA）（微信，老龄食堂）\n"))
    #expect(journal.contains("    Assets:GA:Elderly-Canteen:Bank  1200.50 CNY\n"))
    // The reversal names the donation it reverses, and the donation its reversal.
    let reversal = try #require(lines.first { $0.contains("kind:reversal") })
    let reversedSeq = try #require(reversal.firstMatch(of: /reverses:(\d+)/)?.output.1)
    #expect(lines.contains { $0.contains("seq:\(reversedSeq),") && $0.contains("reversed-by:") })
    // Allocations: sent to in transit, confirmed from it, and one still in transit.
    #expect(journal.contains("    Assets:GA:General:InTransit  10000.00 CNY\n"))
    #expect(journal.contains("    Expenses:GA:General:AllocationsOut  10000.00 CNY\n"))
    #expect(journal.contains("    Income:GA-BC:General:AllocationsIn  -10000.00 CNY\n"))
    #expect(journal.contains("    Assets:GA-BC:General:InTransit  3000.00 CNY\n"))
    // No entry that moves no money becomes a transaction.
    #expect(!journal.contains("kind:unit.add") && !journal.contains("kind:disbursement.approve"))

    let beancount = try ws.must("export", "beancount").stdout
    #expect(beancount.contains("option \"operating_currency\" \"CNY\"\n"))
    #expect(
      beancount.contains(
        "2026-08-15 open Assets:GA:General:Bank CNY\n  name: \"广安区（GA）·非定向基金·银行存款\"\n"))
    // The donor's name keeps its quotes and backslash, escaped.
    #expect(beancount.contains(#"2026-11-06 * "=老王\"爱心,小组\"\\" "#), "\(beancount)")
    let links = beancount.matches(of: /\^reversal-(\d+)/).map { String($0.output.1) }
    #expect(links.count == 2 && Set(links).count == 1 && links.first == String(reversedSeq))
    #expect(beancount.matches(of: /\^allocation-\d+/).count == 7, "4 sends, 2 confirms, 1 void")
  }

  @Test("csv: header, one row per posting, RFC 4180 quoting, BOM by default, formulas defused")
  func csvShape() throws {
    let ws = try Self.ledger.get()
    let bytes = [UInt8](try ws.run("export", "csv").stdout.utf8)
    #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 BOM first")
    let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
    let rows = text.components(separatedBy: "\r\n")
    #expect(
      rows.first
        == "seq,date,kind,unit,unit_name,fund,fund_name,account,account_name,amount,counterparty,channel_category,ref,entry_hash"
    )
    #expect(rows.last == "", "every row ends with CRLF")
    #expect(
      rows.contains {
        $0.wholeMatch(
          of:
            /8,2026-08-15,donation,GA,广安区,general,非定向基金,assets:bank,银行存款,50000.00,广安区爱心企业联合会,银行转账,BANK-2026-0815-001,[0-9a-f]{64}/
        )
          != nil
      }, "\(text)")
    // A name with a comma and quotes is quoted, quotes doubled; a leading = is defused.
    #expect(text.contains(#","'=老王""爱心,小组""\","#), "\(text)")
    let plain = try ws.run("export", "csv", "--no-bom")
    #expect(plain.stdout.hasPrefix("seq,date,"), "\(plain)")
  }

  @Test("--from: earlier movements are one opening transaction carried from Opening-Balances")
  func openingTransaction() throws {
    let ws = try Self.ledger.get()
    let journal = try ws.must("export", "hledger", "--unit", "GA-BC-JSL", "--from", "2026-11-01")
      .stdout
    #expect(
      journal.contains(
        """
        2026-11-01 * 期初余额：2026-11-01 之前的收支结转（资产按余额列示，收入、支出和定向资金释放转入期初余额结转）
            ; kind:opening
            Assets:GA-BC-JSL:General:Bank  88.80 CNY
            Assets:GA-BC-JSL:General:Cash  200.00 CNY
            Equity:GA-BC-JSL:General:Opening-Balances  -288.80 CNY

        """), "\(journal)")
    #expect(
      !journal.contains("Income:GA-BC-JSL:General:Donations:Cash"), "October's income is carried")
  }

  @Test("bad input: unknown format or unit, --from after --to, bad date, --no-bom off csv: exit 2")
  func badInput() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    for (arguments, message) in [
      (
        ["export", "ledger"],
        "导出格式 \"ledger\" 无效：应为 hledger（hledger 日记账）、beancount（beancount 账簿）、csv（CSV 分录表）"
      ),
      (["export", "hledger", "--unit", "GA-XX"], "GA-XX"),
      (
        ["export", "csv", "--from", "2026-11-30", "--to", "2026-11-01"],
        "--from 2026-11-30 晚于 --to 2026-11-01：请让起始日期不晚于截止日期"
      ),
      (["export", "beancount", "--to", "2026-13-01"], "--to："),
      (["export", "hledger", "--no-bom"], "--no-bom 只用于 csv 导出"),
    ] {
      let result = try ws.run(arguments)
      #expect(result.status == 2, "\(arguments): \(result)")
      #expect(result.stdout.isEmpty && result.stderr.contains(message), "\(arguments): \(result)")
    }
    let out = try ws.run("export", "csv", "--out", "almoner.db")
    #expect(out.status == 2 && out.stderr.contains("就是账本文件"), "\(out)")
    #expect(try ws.snapshot() == before, "the ledger is unchanged")
  }

  @Test("a balance changed outside almoner: the replay disagrees and the export is refused, exit 1")
  func tamperedBalance() throws {
    let ws = try Workspace.fixture()
    let tamper = try Python.run(
      "import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\ndb.execute(sys.argv[2])\ndb.commit()\n",
      [
        ws.ledgerPath,
        "UPDATE daily_balance SET amount_fen = amount_fen + 100 WHERE unit = 'GA-BC-JSL' AND account = 'assets:bank'",
      ], in: ws.directory)
    #expect(tamper.status == 0, "\(tamper)")
    let result = try ws.run("export", "hledger")
    #expect(result.status == 1, "\(result)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("账本的余额与日志重算的结果不符"), "\(result)")
  }
}
