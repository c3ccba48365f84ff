import AlmonerKit
import Foundation
import Testing

/// `almoner import donations`: the three shipped sample bills with their
/// rules, the default layout, refused rows, re-imports, and `donate`'s
/// duplicate references.
@Suite("CLI: import donations")
struct ImportCLITests {
  static let bills = Paths.packageRoot.appendingPathComponent("Tests/Samples/bills")
  static let rules = Paths.packageRoot.appendingPathComponent("rules")

  static func importBill(_ name: String, rules: String, in ws: Workspace, extra: [String] = [])
    throws -> CLIResult
  {
    try ws.run(
      [
        "import", "donations", bills.appendingPathComponent(name).path, "--rules",
        Self.rules.appendingPathComponent(rules).path, "--unit", "GA-BC-JSL", "--key", "jsl.pem",
      ] + extra)
  }

  /// The own balances of a unit, account → fen, from `balance --format json`.
  static func balances(_ unit: String, in ws: Workspace) throws -> [String: Int64] {
    let json = try parseJSON(try ws.must("balance", "--unit", unit, "--format", "json").stdout)
    var out: [String: Int64] = [:]
    for line in json.objectValue?["own"]?.arrayValue ?? [] {
      guard let object = line.objectValue, let account = object["account"]?.stringValue,
        case .integer(let fen) = object["amountFen"]
      else { continue }
      out[account, default: 0] += fen
    }
    return out
  }

  @Test("the WeChat, Alipay (GB18030) and bank sample bills give the balances worked out by hand")
  func sampleBills() throws {
    let ws = try Workspace.fixture()
    let wechat = try Self.importBill("wechat-pay-2026-11.csv", rules: "wechat-pay.rules", in: ws)
    #expect(wechat.status == 0, "\(wechat)")
    #expect(wechat.stdout.contains("记录 4 笔捐赠，共 ¥1,838.00（记录 #12–#15，1 次签名提交）"), "\(wechat)")
    #expect(wechat.stdout.contains("跳过 4 行：规则文件说明不是捐赠"), "\(wechat)")
    let alipay = try Self.importBill("alipay-2026-11.csv", rules: "alipay.rules", in: ws)
    #expect(alipay.status == 0, "\(alipay)")
    #expect(alipay.stdout.contains("记录 3 笔捐赠，共 ¥700.00（记录 #16–#18"), "\(alipay)")
    let bank = try Self.importBill("bank-2026-11.csv", rules: "bank.rules", in: ws)
    #expect(bank.status == 0, "\(bank)")
    #expect(bank.stdout.contains("记录 3 笔捐赠，共 ¥6,834.50（记录 #19–#21"), "\(bank)")
    #expect(bank.stdout.contains("跳过 1 行：只有支出、没有收入"), "\(bank)")

    // By hand. WeChat: 张三 500 + 幸福里物业 1,200 + 王小明 50 + 赵六 (anonymous) 88
    // = 1,838 (the payment out, the refunded 200 and its refund, the
    // withdrawal skipped). Alipay: 李梅 300 + 建设路小学 250 + 陈晨 150 = 700
    // (the purchase, 余额宝 and the refund of a purchase skipped). Bank: 幸福里物业
    // 5,000 + 刘洋 1,234.50 + cash deposit 600 = 6,834.50 (the payment out and
    // the interest skipped). The fixture had 200 cash and 88.80 by Alipay.
    let balances = try Self.balances("GA-BC-JSL", in: ws)
    #expect(balances["assets:bank"] == Int64(8_880 + 183_800 + 70_000 + 683_450))
    #expect(balances["assets:cash"] == 20_000)
    #expect(balances["income:donations:wechat"] == 183_800)
    #expect(balances["income:donations:alipay"] == 78_880)
    #expect(balances["income:donations:bank"] == 683_450)
    #expect(balances["income:donations:cash"] == 20_000)
    #expect(try ws.run("verify", "ledger").status == 0)

    // Donors as they are: organisations in full, anonymous gifts as 匿名, persons masked.
    let journal = try ws.must("journal", "--unit", "GA-BC-JSL").stdout
    for shown in [
      "张* 捐赠", "幸福里物业服务有限公司 捐赠", "王** 捐赠", "匿名 捐赠", "李* 捐赠", "建设路小学 捐赠", "刘* 捐赠",
    ] {
      #expect(journal.contains(shown), "\(shown) in\n\(journal)")
    }
    #expect(!journal.contains("幸**********"))
    #expect(!journal.contains("赵"))

    // A second import adds nothing and says so; the ledger stays as it was.
    let before = try ws.snapshot()
    let again = try Self.importBill("wechat-pay-2026-11.csv", rules: "wechat-pay.rules", in: ws)
    expectOutput(
      again, in: ws,
      stdout: """
        \(Self.bills.appendingPathComponent("wechat-pay-2026-11.csv").path) 没有新的捐赠，未写入任何记录
        跳过 4 行：流水号已入账（记录 #12–#15 之间）
        跳过 4 行：规则文件说明不是捐赠（退款、支出、汇总等）

        """)
    #expect(try ws.snapshot() == before)
  }

  @Test("--dry-run lists what would be recorded and leaves the ledger as it was")
  func dryRun() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    let result = try Self.importBill(
      "alipay-2026-11.csv", rules: "alipay.rules", in: ws, extra: ["--dry-run"])
    let path = Self.bills.appendingPathComponent("alipay-2026-11.csv").path
    expectOutput(
      result, in: ws,
      stdout: """
        试运行：\(path) 将记录 3 笔捐赠，共 ¥700.00（账本未改动）
          第 18 行  2026-11-02  建设路社区（GA-BC-JSL）  非定向基金  支付宝  李*  ¥300.00  流水号 20261102200040011100650012345678
          第 19 行  2026-11-04  建设路社区（GA-BC-JSL）  非定向基金  支付宝  建设路小学  ¥250.00  流水号 20261104200040011100650012345679
          第 21 行  2026-11-15  建设路社区（GA-BC-JSL）  非定向基金  支付宝  陈*  ¥150.00  流水号 20261115200040011100650012345681
        跳过 3 行：规则文件说明不是捐赠（退款、支出、汇总等）

        """)
    #expect(try ws.snapshot() == before)
  }

  @Test("the default layout: labels and times as exports write them, donor types, Chinese headers")
  func defaultLayout() throws {
    let ws = try Workspace.fixture()
    try ws.write(
      "november.csv",
      """
      日期,单位,基金,金额,捐赠人,渠道,流水号,捐赠人类型
      2026-11-01 08:49:12,建设路社区,,"¥1,234.50",张三,微信支付,WX-1,个人
      2026-11-02,GA-BC-JSL,general,500,幸福里物业服务有限公司,银行转账,BK-1,单位
      2026-11-28T17:30:00Z,GA-BC-JSL,,20,,现金,,匿名

      """)
    let result = try ws.run("import", "donations", "november.csv", "--key", "jsl.pem")
    expectOutput(
      result, in: ws,
      stdout: """
        已导入 november.csv：记录 3 笔捐赠，共 ¥1,754.50（记录 #12–#14，1 次签名提交）
          建设路社区（GA-BC-JSL） 非定向基金 微信：1 笔 ¥1,234.50
          建设路社区（GA-BC-JSL） 非定向基金 银行转账：1 笔 ¥500.00
          建设路社区（GA-BC-JSL） 非定向基金 现金：1 笔 ¥20.00
        注意：1 笔没有流水号，再次导入同一文件时无法识别为已入账

        """)
    let journal = try ws.must("journal", "--unit", "GA-BC-JSL", "--format", "json").stdout
    // 17:30 UTC on the 28th is the 29th in Asia/Shanghai.
    #expect(journal.contains(#""date":"2026-11-29""#), "\(journal)")
    #expect(journal.contains("幸福里物业服务有限公司"))
    #expect(try ws.run("verify", "ledger").status == 0)
  }

  @Test("every refused row is named with file, line and reason; exit 2, ledger unchanged")
  func refusedRows() throws {
    let ws = try Workspace.fixture()
    try ws.write(
      "bad.csv",
      """
      date,unit,fund,amount,donor,channel,reference
      2026-11-02,GA-BC-JSL,,100,张三,wechat,R1
      2026-11-02,GA-BC-JSL,,12.345,李四,wechat,R2
      2026-13-01,GA-BC-JSL,,100,王五,bank,R3
      2026-11-03,GA-BC-JSL,,-5,王五,cash,R4
      2026-11-03,GA-BC-XX,,5,王五,cash,R5
      2026-11-03,GA-BC-JSL,,5,王五,信鸽,R6
      2026-11-03,GA-BC-JSL,,5,,cash,R7
      2026-11-04,GA-BC-JSL,,5,赵六,cash,R1
      2026-11-30,GA-BC-JSL,,5,赵六,cash,R8
      2026-11-04,GA-BC-WHL,,5,赵六,cash,R9
      "2026-11-04,GA-BC-JSL

      """)
    let before = try ws.snapshot()
    let result = try ws.run("import", "donations", "bad.csv", "--key", "jsl.pem")
    expectOutput(
      result, in: ws, status: 2, stdout: "",
      stderr: """
        错误：bad.csv 第 3 行：金额 "12.345" 无效：最多两位小数（精确到分）
        错误：bad.csv 第 4 行：日期 "2026-13-01" 不存在
        错误：bad.csv 第 5 行：金额 -5 为负数：退款或支出不是捐赠；用规则文件的 if … skip 跳过这类行
        错误：bad.csv 第 6 行：单位：单位 "GA-BC-XX" 不存在。已有单位：GA（广安区）、GA-BC（北城街道）、GA-BC-JSL（建设路社区）、GA-BC-WHL（文化路社区）
        错误：bad.csv 第 7 行：渠道「信鸽」无效：应为 微信（微信支付）、支付宝、银行转账、现金 或 其他
        错误：bad.csv 第 8 行：捐赠人为空：写上姓名或单位名称，或把捐赠人类型写为 anonymous（匿名）
        错误：bad.csv 第 9 行：流水号 R1 与第 2 行重复：同一笔钱不能记两次
        错误：bad.csv 第 10 行：日期 2026-11-30 晚于今天（2026-11-29），不能预先记账
        错误：bad.csv 第 11 行：签名密钥不是文化路社区（GA-BC-WHL）的记账员：只有本单位记账员能记录它的捐赠；请用该单位记账员的密钥导入
        错误：bad.csv 第 12 行：引号没有闭合（文件被截断？）
        错误：bad.csv 有 10 行不能导入，没有记录任何一笔，账本未改动；请改正这些行（或在规则文件里用 if … skip 跳过它们）后重新导入

        """)
    #expect(try ws.snapshot() == before)
  }

  @Test("a GB18030 bill read as UTF-8, and invalid bytes, are named by line")
  func encodings() throws {
    let ws = try Workspace.fixture()
    let alipay = Self.bills.appendingPathComponent("alipay-2026-11.csv").path
    try ws.write("utf8.rules", "skip-until ^交易时间\nfields date, _, donor, _, _, _, amount\n")
    let result = try ws.run(
      "import", "donations", alipay, "--rules", "utf8.rules", "--unit", "GA-BC-JSL", "--key",
      "jsl.pem")
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.contains("没有与规则 skip-until 相符的行"), "\(result)")

    var bytes = Array("date,unit,amount,donor\n2026-11-01,GA-BC-JSL,5,张三\n".utf8)
    bytes += [0x32, 0x30, 0xFF, 0x2C, 0x0A]
    try ws.write("broken.csv", bytes: bytes)
    let broken = try ws.run("import", "donations", "broken.csv", "--key", "jsl.pem")
    #expect(broken.status == 2)
    #expect(broken.stderr.contains("错误：broken.csv 第 3 行：不是有效的 UTF-8 文本"), "\(broken)")
  }

  @Test("a rules file with a mistake is refused naming its line")
  func badRules() throws {
    let ws = try Workspace.fixture()
    try ws.write("x.csv", "date,amount\n")
    for (rules, message) in [
      ("fields date, amount\nfrobnicate 3\n", "规则文件 r.rules 第 2 行：不认识的指令「frobnicate」"),
      ("fields date, amount\nif %amount (\n  skip\n", "规则文件 r.rules 第 2 行：正则表达式「(」无效"),
      ("fields date, amount\nunit %payer\n", "规则文件 r.rules 用到了 fields 里没有的字段：%payer"),
      ("encoding latin1\n", "规则文件 r.rules 第 1 行：不认识的编码「latin1」"),
      ("fields date\n", "规则文件 r.rules 第 1 行：fields 至少要有 date 和 amount（或 amount-in）"),
    ] {
      try ws.write("r.rules", rules)
      let result = try ws.run(
        "import", "donations", "x.csv", "--rules", "r.rules", "--key", "jsl.pem")
      #expect(result.status == 2, "\(result)")
      #expect(result.stderr.contains(message), "\(result)")
    }
  }

  @Test("donate refuses a reference already recorded, unless --allow-duplicate-ref")
  func donateDuplicateReference() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    let refused = try ws.run(
      "donate", "--unit", "GA", "--amount", "5", "--donor", "张三", "--ref", "BANK-2026-0815-001",
      "--key", "ga.pem")
    expectOutput(
      refused, in: ws, status: 2, stdout: "",
      stderr: "错误：--ref：流水号 BANK-2026-0815-001 已于记录 #8 入账，不再重复记录；确属另一笔捐赠时加 --allow-duplicate-ref\n"
    )
    #expect(try ws.snapshot() == before)
    let allowed = try ws.run(
      "donate", "--unit", "GA", "--amount", "5", "--donor", "张三", "--ref", "BANK-2026-0815-001",
      "--channel", "银行转账", "--allow-duplicate-ref", "--key", "ga.pem")
    #expect(allowed.status == 0, "\(allowed)")
    // A reversed donation's reference is free again.
    try ws.must(
      "donate", "--unit", "GA", "--amount", "5", "--donor", "张三", "--ref", "WX-NEW", "--key",
      "ga.pem")
    try ws.must("reverse", "13", "--reason", "金额录错", "--key", "ga.pem")
    let reentered = try ws.run(
      "donate", "--unit", "GA", "--amount", "50", "--donor", "张三", "--ref", "WX-NEW", "--key",
      "ga.pem")
    #expect(reentered.status == 0, "\(reentered)")
    // import takes the same flag: a reference twice in the file is then recorded twice.
    try ws.write(
      "twice.csv", "date,unit,amount,donor,reference\n2026-11-01,GA,5,甲,T1\n2026-11-01,GA,5,乙,T1\n")
    let refusedTwice = try ws.run("import", "donations", "twice.csv", "--key", "ga.pem")
    #expect(refusedTwice.status == 2, "\(refusedTwice)")
    let allowedTwice = try ws.run(
      "import", "donations", "twice.csv", "--allow-duplicate-ref", "--key", "ga.pem")
    #expect(allowedTwice.stdout.hasPrefix("已导入 twice.csv：记录 2 笔捐赠"), "\(allowedTwice)")
  }

  @Test("donate --donor-type: organisations in full, anonymous gifts as 匿名, persons masked")
  func donorTypes() throws {
    let ws = try Workspace.fixture()
    let organisation = try ws.run(
      "donate", "--unit", "GA-BC-JSL", "--amount", "300", "--donor", "幸福里物业服务有限公司",
      "--donor-type", "单位", "--key", "jsl.pem")
    expectOutput(
      organisation, in: ws,
      stdout: """
        已记录捐赠：记录 #12，GA-BC-JSL 非定向基金，幸福里物业服务有限公司 ¥300.00（其他），日期 2026-11-29
        内容：幸福里物业服务有限公司 捐赠给建设路社区（GA-BC-JSL）（其他），金额 ¥300.00

        """)
    let anonymous = try ws.run(
      "donate", "--unit", "GA-BC-JSL", "--amount", "20", "--donor-type", "anonymous", "--channel",
      "现金", "--key", "jsl.pem")
    #expect(
      anonymous.stdout.hasPrefix("已记录捐赠：记录 #13，GA-BC-JSL 非定向基金，匿名 ¥20.00（现金）"),
      "\(anonymous)")
    let person = try ws.run(
      "donate", "--unit", "GA-BC-JSL", "--amount", "20", "--donor", "欧阳娜娜", "--donor-type",
      "个人", "--key", "jsl.pem")
    #expect(person.stdout.hasPrefix("已记录捐赠：记录 #14，GA-BC-JSL 非定向基金，欧*** ¥20.00（其他）"), "\(person)")
    let missing = try ws.run("donate", "--unit", "GA-BC-JSL", "--amount", "20", "--key", "jsl.pem")
    expectOutput(
      missing, in: ws, status: 2, stdout: "",
      stderr: "错误：缺少 --donor：请写捐赠人姓名或单位名称（匿名捐赠用 --donor-type anonymous）\n")
    let unknown = try ws.run(
      "donate", "--unit", "GA-BC-JSL", "--amount", "20", "--donor", "某", "--donor-type", "robot",
      "--key", "jsl.pem")
    expectOutput(
      unknown, in: ws, status: 2, stdout: "",
      stderr:
        "错误：--donor-type \"robot\" 无效：应为 person（个人）、organisation（单位/机构/组织）或 anonymous（匿名）\n")
    #expect(try ws.run("verify", "ledger").status == 0)
    // The receipt of an anonymous gift opens to data that says so.
    try ws.must("checkpoint", "create", "--key", "admin.pem")
    try ws.must("receipt", "13", "--out", "r13.json")
    let receipt = String(decoding: try ws.read("r13.json"), as: UTF8.self)
    #expect(receipt.contains(#"\"type\":\"anonymous\""#), "\(receipt)")
  }

  @Test("a ledger made before the reference index finds its old references (migration 0007)")
  func oldLedgerReferences() throws {
    let ws = try Workspace.empty()
    let vectors = Paths.packageRoot.appendingPathComponent("Tests/Vectors/entries")
    try FileManager.default.copyItem(
      at: vectors.appendingPathComponent("ledger-v1.sqlite"),
      to: URL(fileURLWithPath: ws.path("old.sqlite")))
    try FileManager.default.copyItem(
      at: vectors.appendingPathComponent("keys/jsl-treasurer.pem"),
      to: URL(fileURLWithPath: ws.path("jsl.pem")))
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o600], ofItemAtPath: ws.path("jsl.pem"))
    let result = try ws.run(
      "donate", "--ledger", "old.sqlite", "--unit", "GA-BC-JSL", "--amount", "5", "--donor", "张三",
      "--ref", "AP20260702A7", "--key", "jsl.pem")
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.contains("流水号 AP20260702A7 已于记录 #18 入账"), "\(result)")
  }
}
