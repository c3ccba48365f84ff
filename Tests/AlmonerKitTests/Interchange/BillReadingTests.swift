import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// Reading bills: amounts, dates and channels as exports write them, CSV
/// records, rules files.
@Suite("Import: reading bills")
struct BillReadingTests {
  @Test(
    "amounts as exports write them",
    arguments: [
      ("1234.5", 123_450), ("¥1,234.50", 123_450), ("￥500.00", 50_000), ("+500", 50_000),
      ("500.00元", 50_000), ("CNY 12", 1_200), ("-12.00", -1_200), ("(12.00)", -1_200),
      ("1,000,000.01", 100_000_001), ("0.00", 0),
    ] as [(String, Int64)])
  func amounts(text: String, fen: Int64) throws {
    #expect(try BillCells.amountFen(text) == fen)
  }

  @Test(
    "malformed amounts are refused", arguments: ["12.345", "1e3", "NaN", "1,23.00", "¥", "abc", ""])
  func badAmounts(text: String) {
    #expect(throws: AlmonerError.self) { try BillCells.amountFen(text) }
  }

  @Test(
    "dates with and without times and zones",
    arguments: [
      ("2026-11-01 08:49:12", nil, "2026-11-01"), ("2026/11/1", nil, "2026-11-01"),
      ("20261101", nil, "2026-11-01"), ("2026年11月1日", nil, "2026-11-01"),
      ("2026.11.01", nil, "2026-11-01"), ("2026-11-01T08:49", nil, "2026-11-01"),
      // 17:30 UTC is 01:30 the next day in Asia/Shanghai.
      ("2026-10-31T17:30:00Z", nil, "2026-11-01"), ("2026-11-01 00:30:00+09:00", nil, "2026-10-31"),
      ("01/11/2026 08:49", "%d/%m/%Y %H:%M", "2026-11-01"),
    ] as [(String, String?, String)])
  func dates(text: String, format: String?, expected: String) throws {
    #expect(
      try BillCells.date(text, format: format, timeZone: "Asia/Shanghai").text == expected)
  }

  @Test(
    "impossible dates are refused",
    arguments: ["2026-02-30", "2026-13-01", "2026-11-01 25:00", "11/01/2026", "2026-11-01x", ""])
  func badDates(text: String) {
    #expect(throws: AlmonerError.self) {
      try BillCells.date(text, format: nil, timeZone: "Asia/Shanghai")
    }
  }

  @Test("channels as exports name them")
  func channels() {
    #expect(Channel(label: "微信支付") == .wechat)
    #expect(Channel(label: "微信") == .wechat)
    #expect(Channel(label: "支付宝") == .alipay)
    #expect(Channel(label: "银行转账") == .bank)
    #expect(Channel(label: "对公转账") == .bank)
    #expect(Channel(label: "现金") == .cash)
    #expect(Channel(label: "cash") == .cash)
    #expect(Channel(label: "信鸽") == nil)
  }

  @Test("CSV records: quotes, doubled quotes, line breaks in quotes, CRLF, BOM, line numbers")
  func records() {
    let text = "\u{FEFF}a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x\n\nlast,\"open\n"
    let records = CSVRecords.read(Array(text.utf8), encoding: .utf8, separator: ",")
    #expect(records.count == 4)
    #expect(records[0].cells == ["a", "b,c", "say \"hi\""])
    #expect(records[0].line == 1)
    #expect(records[1].cells == ["two\nlines", "x"])
    #expect(records[1].line == 2)
    #expect(records[2].isBlank)
    #expect(records[3].line == 5)
    #expect(records[3].problem == "引号没有闭合（文件被截断？）")
  }

  @Test("GB18030 bytes decode line by line; a bad byte names its line")
  func gb18030() throws {
    var bytes = Array("交易时间,金额\n".data(using: .init(rawValue: 0x8000_0632))!)
    bytes += [0x81, 0x0A]  // a lead byte without its trail byte
    bytes += Array("2026-11-01,5\n".utf8)
    let records = CSVRecords.read(bytes, encoding: .gb18030, separator: ",")
    #expect(records[0].cells == ["交易时间", "金额"])
    #expect(records[1].problem == "不是有效的 GB18030（GBK） 文本")
    #expect(records[2].cells == ["2026-11-01", "5"])
  }

  @Test("the shipped rules files parse")
  func shippedRules() throws {
    for name in ["wechat-pay", "alipay", "bank"] {
      let url = packageRoot.appendingPathComponent("rules/\(name).rules")
      let rules = try ImportRules.parse(Array(try Data(contentsOf: url)), source: url.path)
      #expect(rules.skipUntil != nil)
      #expect(rules.fields?.contains("date") == true)
    }
  }

  @Test("rules: if blocks, several if lines, %field in values")
  func rulesBlocks() throws {
    let rules = try ImportRules.parse(
      Array(
        """
        fields date, amount, payer, memo
        donor %payer（%memo）
        if %memo 退款
        if ^2025
          skip
        if %payer 公司$
          donor-type organisation
        """.utf8), source: "r")
    #expect(rules.blocks.count == 2)
    #expect(rules.blocks[0].patterns.count == 2)
    #expect(rules.blocks[0].skip)
    #expect(rules.blocks[1].assignments.map(\.field) == ["donor-type"])
    #expect(ImportRules.expand("%payer（%memo）", cells: ["payer": "甲", "memo": "乙"]) == "甲（乙）")
  }
}

/// Donor types live in the committed personal data; the entry's display must
/// agree with them, as a person's must agree with the mask of the name.
@Suite("Donor types")
struct DonorTypeTests {
  @Test("a person's data stays {\"name\":…}; the others say their type")
  func personalData() {
    #expect(
      String(decoding: DonorPrivate(name: "张三", type: .person).personal, as: UTF8.self)
        == #"{"name":"张三"}"#)
    let organisation = DonorPrivate(name: "幸福里物业服务有限公司", type: .organisation)
    #expect(
      String(decoding: organisation.personal, as: UTF8.self)
        == #"{"name":"幸福里物业服务有限公司","type":"organisation"}"#)
    #expect(organisation.donorType == .organisation)
    #expect(organisation.name == "幸福里物业服务有限公司")
    #expect(DonorPrivate(name: "张三").donorType == .person)
    #expect(
      DonorPrivate(salt: [], personal: Array(#"{"name":"x","type":"robot"}"#.utf8)).donorType
        == nil)
    #expect(DonorType(label: "机构") == .organisation)
    #expect(DonorType(label: "组织") == .organisation)
    #expect(DonorType(label: "匿名") == .anonymous)
  }

  @Test("organisations are shown in full, anonymous gifts as 匿名; verify is clean")
  func shown() throws {
    let fixture = try Fixture()
    let organisation = try fixture.ledger.donate(
      DonationInput(
        unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "幸福里物业服务有限公司",
        donorType: .organisation), signer: fixture.communityTreasurer)
    let anonymous = try fixture.ledger.donate(
      DonationInput(
        unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "", donorType: .anonymous),
      signer: fixture.communityTreasurer)
    guard case .donation(let shownOrganisation) = organisation.entry.body,
      case .donation(let shownAnonymous) = anonymous.entry.body
    else {
      Issue.record("not donations")
      return
    }
    #expect(shownOrganisation.donor.display == "幸福里物业服务有限公司")
    #expect(shownOrganisation.donor.named)
    #expect(shownAnonymous.donor.display == "匿名")
    #expect(!shownAnonymous.donor.named)
    #expect(try fixture.ledger.verify().isClean)
  }

  @Test("the display must agree with the committed type and name")
  func mismatches() throws {
    let fixture = try Fixture()
    let appended = try fixture.donate("1", donor: "张三")
    guard case .donation(var body) = appended.entry.body else { return }
    func problem(display: String, named: Bool, _ data: DonorPrivate) -> String? {
      body.donor = .init(commitment: data.commitment, display: display, named: named)
      var entry = appended.entry
      entry.body = .donation(body)
      return personalDataProblem(entry, data, hasher: SHA256())
    }
    let organisation = DonorPrivate(name: "幸福里物业服务有限公司", type: .organisation)
    #expect(problem(display: "幸福里物业服务有限公司", named: true, organisation) == nil)
    // The old rendering of an organisation, and an organisation shown unnamed: refused.
    #expect(problem(display: "幸**********", named: false, organisation) != nil)
    #expect(problem(display: "幸福里物业服务有限公司", named: false, organisation) != nil)
    let anonymous = DonorPrivate(name: "赵六", type: .anonymous)
    #expect(problem(display: "匿名", named: false, anonymous) == nil)
    #expect(problem(display: "赵*", named: false, anonymous) != nil)
    #expect(problem(display: "匿名", named: true, anonymous) != nil)
    // A person still shows the mask of the name, or the name when named.
    let person = DonorPrivate(name: "张三", type: .person)
    #expect(problem(display: "张*", named: false, person) == nil)
    #expect(problem(display: "匿名", named: false, person) != nil)
    // Data of a type this program does not know is refused, not read as a person.
    let robot = DonorPrivate(
      salt: DonorPrivate(name: "x").salt, personal: Array(#"{"name":"张三","type":"robot"}"#.utf8))
    #expect(problem(display: "张*", named: false, robot) != nil)
  }

  @Test("donation_ref is written with each donation that has a reference")
  func referenceIndex() throws {
    let fixture = try Fixture()
    let first = try fixture.ledger.donate(
      DonationInput(
        unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "张三", reference: "WX-1"),
      signer: fixture.communityTreasurer)
    let rows = try DatabaseQueue(path: fixture.path).read { db in
      try Row.fetchAll(db, sql: "SELECT seq, ref FROM donation_ref").map {
        ($0[0] as Int64, $0[1] as String)
      }
    }
    #expect(rows.count == 1)
    #expect(rows.first?.0 == first.seq)
    #expect(rows.first?.1 == "WX-1")
    // The lookup `donate` and `import` make goes through the index, not a scan.
    let plan = try DatabaseQueue(path: fixture.path).read { db in
      try Row.fetchAll(
        db, sql: "EXPLAIN QUERY PLAN SELECT seq FROM donation_ref WHERE ref = 'WX-1'"
      ).map { $0["detail"] as String? ?? "" }.joined(separator: "\n")
    }
    #expect(plan.contains("INDEX donation_ref_by_ref"), "\(plan)")
  }
}
