import AlmonerKit
import Foundation
import Testing

/// A treasurer's month (issue 11 items 2 and 5): corrections dated inside
/// the open period, and the lists that show what is open — allocations,
/// funds, a filtered journal, disbursements by date, balances over a period.
@Suite("CLI: corrections inside the month, seeing what is open")
struct MonthCLITests {
  /// The fixture, plus: seq 12 reverses 11 dated 2026-10-20; allocation 13
  /// (GA → GA-BC ¥1,000, 2026-11-01) confirmed 2026-11-05 (seq 14);
  /// allocation 15 (GA → GA-BC ¥500, 2026-11-20) still in transit.
  static func month() throws -> Workspace {
    let ws = try Workspace.fixture()
    try ws.must("reverse", "11", "--reason", "金额录错", "--date", "2026-10-20", "--key", "jsl.pem")
    try ws.must(
      "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "1000", "--date", "2026-11-01",
      "--key", "ga.pem")
    try ws.must("allocate", "confirm", "13", "--date", "2026-11-05", "--key", "bc.pem")
    try ws.must(
      "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "500", "--date", "2026-11-20",
      "--key", "ga.pem")
    return ws
  }

  @Test("reverse --date: inside the period; not before the donation, ledger unchanged")
  func reverseWithDate() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    expectOutput(
      try ws.run(
        "reverse", "10", "--reason", "录错", "--date", "2026-10-01", "--key", "jsl.pem"), in: ws,
      status: 2, stdout: "",
      stderr:
        "错误：冲销日期 2026-10-01 早于记录 #10（捐赠）的日期 2026-10-02：冲销不能记在原记录之前；请用 --date 指定 2026-10-02 或之后的日期\n"
    )
    expectOutput(
      try ws.run(
        "reverse", "10", "--reason", "录错", "--date", "2026-11-30", "--key", "jsl.pem"), in: ws,
      status: 2, stdout: "", stderr: "错误：记账日期（--date）2026-11-30 晚于今天（2026-11-29），不能预先记账\n")
    #expect(try ws.snapshot() == before, "files changed")
    expectOutput(
      try ws.run(
        "reverse", "10", "--reason", "录错", "--date", "2026-10-03", "--key", "jsl.pem",
        "--format", "json"), in: ws,
      stdout: #"{"date":"2026-10-03","hash":"<HASH>","kind":"reversal","seq":12}"# + "\n")
  }

  @Test("a back-dated payment is refused naming the day the balance would go negative")
  func backDatedOverdraft() throws {
    let ws = try Workspace.fixture()
    try ws.must("key", "new", "--name", "审批人", "--out", "approver.pem")
    try ws.must(
      "member", "add", "--unit", "GA-BC-JSL", "--role", "approver", "--name", "审批人",
      "--public-key", "approver.pem.pub", "--key", "admin.pem")
    try ws.must(
      "disburse", "request", "--unit", "GA-BC-JSL", "--amount", "250", "--payee", "惠民超市",
      "--purpose", "助餐食材", "--date", "2026-10-01", "--key", "jsl.pem")
    try ws.must("disburse", "approve", "13", "--date", "2026-10-02", "--key", "approver.pem")
    let before = try ws.snapshot()
    // Cash 200 from 10-02, bank 88.80 from 10-15: the bank pays.
    expectOutput(
      try ws.run("disburse", "pay", "13", "--date", "2026-10-10", "--key", "jsl.pem"), in: ws,
      status: 2, stdout: "",
      stderr:
        "错误：余额不足：建设路社区（GA-BC-JSL）非定向基金的银行存款只有 ¥88.80\n")
    #expect(try ws.snapshot() == before, "files changed")
    try ws.must(
      "donate", "--unit", "GA-BC-JSL", "--amount", "300", "--donor", "赵六", "--channel",
      "bank", "--date", "2026-10-20", "--key", "jsl.pem")
    expectOutput(
      try ws.run("disburse", "pay", "13", "--date", "2026-10-10", "--key", "jsl.pem"), in: ws,
      status: 2, stdout: "",
      stderr:
        "错误：余额不足：建设路社区（GA-BC-JSL）非定向基金的银行存款在 2026-10-10 日终只有 ¥0.00，记在 2026-10-10 的这笔 ¥250.00 流出会使该日余额为负；请把日期记在余额足够的日子，或先补记该日之前的收入\n"
    )
    try ws.must("disburse", "pay", "13", "--date", "2026-10-20", "--key", "jsl.pem")
    try ws.must("verify", "ledger")
  }

  @Test("allocate list: age in days, status and unit filters; allocate --from still sends")
  func allocateList() throws {
    let ws = try MonthCLITests.month()
    expectOutput(
      try ws.run("allocate", "list"), in: ws,
      stdout: """
        编号  日期        发出单位      收款单位           基金        金额（元）  状态                  天数
          13  2026-11-01  广安区（GA）  北城街道（GA-BC）  非定向基金    1,000.00  已确认（2026-11-05）     4
          15  2026-11-20  广安区（GA）  北城街道（GA-BC）  非定向基金      500.00  在途                     9
        在途 1 笔，合计 ¥500.00，最久 9 天（截至 2026-11-29）

        """)
    expectOutput(
      try ws.run("allocate", "list", "--status", "in-transit", "--unit", "GA-BC"), in: ws,
      stdout: """
        编号  日期        发出单位      收款单位           基金        金额（元）  状态  天数
          15  2026-11-20  广安区（GA）  北城街道（GA-BC）  非定向基金      500.00  在途     9
        在途 1 笔，合计 ¥500.00，最久 9 天（截至 2026-11-29）

        """)
    expectOutput(
      try ws.run("allocate", "list", "--status", "void"), in: ws, stdout: "（没有符合条件的划拨）\n")
    expectOutput(
      try ws.run("allocate", "list", "--status", "lost"), in: ws, status: 2, stdout: "",
      stderr: "错误：--status \"lost\" 无效：应为 in-transit（在途）、confirmed（已确认）或 void（已撤回）\n")
  }

  @Test("fund list: each fund with bank, cash, in transit, coming in and reserved")
  func fundList() throws {
    let ws = try MonthCLITests.month()
    expectOutput(
      try ws.run("fund", "list"), in: ws,
      stdout: """
        单位                     代码             名称        性质               银行存款  库存现金  在途划出  待确认划入  已批准待付
        广安区（GA）             elderly-canteen  老龄食堂    定向：老年人助餐   1,200.50      0.00      0.00        0.00        0.00
        广安区（GA）             general          非定向基金  非定向            48,500.00      0.00    500.00        0.00        0.00
        北城街道（GA-BC）        general          非定向基金  非定向             1,000.00      0.00      0.00      500.00        0.00
        建设路社区（GA-BC-JSL）  general          非定向基金  非定向                 0.00    200.00      0.00        0.00        0.00
        文化路社区（GA-BC-WHL）  general          非定向基金  非定向                 0.00      0.00      0.00        0.00        0.00

        """)
    expectOutput(
      try ws.run("fund", "list", "--unit", "GA-BC-JSL"), in: ws,
      stdout: """
        单位                     代码     名称        性质    银行存款  库存现金  在途划出  待确认划入  已批准待付
        建设路社区（GA-BC-JSL）  general  非定向基金  非定向      0.00    200.00      0.00        0.00        0.00

        """)
  }

  @Test("journal: signer column, reversal marks, and filters by kind, account, ref, donor, signer")
  func journalFilters() throws {
    let ws = try MonthCLITests.month()
    expectOutput(
      try ws.run("journal", "--from", "2026-10-01"), in: ws,
      stdout: """
        序号  日期        类型      金额（元）  签名人  冲销        摘要
           0  2026-11-29  建账                  李明                建账：广安区（GA）
           1  2026-11-29  新增单位              李明                新增街道：北城街道（GA-BC），上级 广安区（GA）
           2  2026-11-29  新增单位              李明                新增社区：建设路社区（GA-BC-JSL），上级 北城街道（GA-BC）
           3  2026-11-29  新增单位              李明                新增社区：文化路社区（GA-BC-WHL），上级 北城街道（GA-BC）
           4  2026-11-29  授予角色              李明                授予 陈静 广安区（GA）记账员（ed25519:GA______________）
           5  2026-11-29  授予角色              李明                授予 赵磊 北城街道（GA-BC）记账员（ed25519:BC______________）
           6  2026-11-29  授予角色              李明                授予 王芳 建设路社区（GA-BC-JSL）记账员（ed25519:JSL_____________）
           7  2026-11-29  设立基金              李明                广安区（GA）设立定向基金「老龄食堂」，用途：老年人助餐
          10  2026-10-02  捐赠          200.00  王芳                王** 捐赠给建设路社区（GA-BC-JSL）（现金）
          11  2026-10-15  捐赠           88.80  王芳    已冲销 #12  李* 捐赠给建设路社区（GA-BC-JSL）（支付宝）
          12  2026-10-20  冲销          -88.80  王芳    冲销 #11    冲销记录 #11 记录：金额录错
          13  2026-11-01  划拨发出    1,000.00  陈静                广安区（GA） → 北城街道（GA-BC），划拨 13（非定向基金）
          14  2026-11-05  划拨确认    1,000.00  赵磊                确认收到划拨 13：广安区（GA） → 北城街道（GA-BC）
          15  2026-11-20  划拨发出      500.00  陈静                广安区（GA） → 北城街道（GA-BC），划拨 15（非定向基金）

        """)
    expectOutput(
      try ws.run("journal", "--kind", "donation", "--donor", "张"), in: ws,
      stdout: """
        序号  日期        类型  金额（元）  签名人  摘要
           9  2026-09-01  捐赠    1,200.50  陈静    张* 捐赠给广安区（GA）（微信，老龄食堂）

        """)
    expectOutput(
      try ws.run("journal", "--kind", "allocation", "--signer", "赵磊"), in: ws,
      stdout: """
        序号  日期        类型      金额（元）  签名人  摘要
          14  2026-11-05  划拨确认    1,000.00  赵磊    确认收到划拨 13：广安区（GA） → 北城街道（GA-BC）

        """)
    expectOutput(
      try ws.run("journal", "--ref", "BANK-2026-0815-001"), in: ws,
      stdout: """
        序号  日期        类型  金额（元）  签名人  摘要
           8  2026-08-15  捐赠   50,000.00  陈静    广安区爱心企业联合会 捐赠给广安区（GA）（银行转账）

        """)
    expectOutput(
      try ws.run("journal", "--account", "cash"), in: ws,
      stdout: """
        序号  日期        类型  金额（元）  签名人  摘要
          10  2026-10-02  捐赠      200.00  王芳    王** 捐赠给建设路社区（GA-BC-JSL）（现金）

        """)
    expectOutput(
      try ws.run("journal", "--account", "支付宝收入"), in: ws, status: 2, stdout: "",
      stderr:
        "错误：--account \"支付宝收入\" 不是账户：可写 bank、cash、in-transit、income、expenses、assets:bank 或 银行存款 等\n"
    )
    expectOutput(
      try ws.run("journal", "--signer", "无名氏"), in: ws, status: 2, stdout: "",
      stderr: "错误：--signer：没有密钥 ID 或姓名为「无名氏」的成员；可用 `almoner member list` 查看\n")
    let json = try parseJSON(
      try ws.must("journal", "--kind", "reversal", "--format", "json").stdout
    ).arrayValue
    #expect(json?.count == 1)
    #expect(json?.first?.objectValue?["reverses"] == 11)
    #expect(json?.first?.objectValue?["signer"] == "王芳")
    let reversed = try parseJSON(
      try ws.must("journal", "--ref", "nothing-like-it", "--format", "json").stdout)
    #expect(reversed == [])
  }

  @Test("disburse list --from/--to: requests by their date")
  func disburseListByDate() throws {
    let ws = try Workspace.fixture()
    for (amount, date) in [("10", "2026-10-31"), ("20", "2026-11-01"), ("30", "2026-11-29")] {
      try ws.must(
        "disburse", "request", "--unit", "GA", "--amount", amount, "--payee", "惠民超市",
        "--purpose", "慰问品", "--date", date, "--key", "ga.pem")
    }
    expectOutput(
      try ws.run("disburse", "list", "--from", "2026-11-01", "--to", "2026-11-28"), in: ws,
      stdout: """
        编号  日期        单位    基金        金额（元）  类别  用途    收款方    状态    审批
        #13   2026-11-01  广安区  非定向基金       20.00  其他  慰问品  惠民超市  待审批  还缺 区级1人

        """)
  }

  @Test("balance --from/--to: opening, movements and closing; assets, income, expenses apart")
  func balancePeriod() throws {
    let ws = try MonthCLITests.month()
    expectOutput(
      try ws.run("balance", "--unit", "GA-BC-JSL", "--from", "2026-10-01", "--to", "2026-10-31"),
      in: ws,
      stdout: """
        建设路社区（GA-BC-JSL）社区 · 2026-10-01 至 2026-10-31

        本单位
          资产
            基金        账户      期初  本期变动    期末
            非定向基金  库存现金  0.00    200.00  200.00
            合计                  0.00    200.00  200.00
          收入
            基金        账户           本期金额
            非定向基金  捐赠收入·现金    200.00
            合计                         200.00
          支出
            （本期无发生额）

        """)
    expectOutput(
      try ws.run("balance", "--from", "2026-11-01", "--to", "2026-11-30"), in: ws,
      stdout: """
        广安区（GA）区级 · 2026-11-01 至 2026-11-30

        本单位
          资产
            基金        账户           期初   本期变动       期末
            老龄食堂    银行存款   1,200.50       0.00   1,200.50
            非定向基金  银行存款  50,000.00  -1,500.00  48,500.00
            非定向基金  在途划拨       0.00     500.00     500.00
            合计                  51,200.50  -1,000.00  50,200.50
          收入
            （本期无发生额）
          支出
            基金        账户      本期金额
            非定向基金  划拨支出  1,000.00
            合计                  1,000.00

        下辖合计（含本单位）
          资产
            基金        账户           期初  本期变动       期末
            老龄食堂    银行存款   1,200.50      0.00   1,200.50
            非定向基金  银行存款  50,000.00   -500.00  49,500.00
            非定向基金  库存现金     200.00      0.00     200.00
            非定向基金  在途划拨       0.00    500.00     500.00
            合计                  51,400.50      0.00  51,400.50
          收入
            基金        账户      本期金额
            非定向基金  划拨收入  1,000.00
            合计                  1,000.00
          支出
            基金        账户      本期金额
            非定向基金  划拨支出  1,000.00
            合计                  1,000.00

        """)
    expectOutput(
      try ws.run("balance", "--as-of", "2026-11-01", "--from", "2026-11-01"), in: ws, status: 2,
      stdout: "",
      stderr: "错误：--as-of 不能与 --from/--to 同用：查看期间用 --from/--to，查看某日余额用 --as-of\n")
    expectOutput(
      try ws.run("balance", "--from", "2026-11-02", "--to", "2026-11-01"), in: ws, status: 2,
      stdout: "", stderr: "错误：--from 2026-11-02 晚于 --to 2026-11-01：请让起始日期不晚于截止日期\n")
  }

  @Test("balance of the receiving side lists the allocations coming to it")
  func balanceShowsIncoming() throws {
    let ws = try MonthCLITests.month()
    expectOutput(
      try ws.run("balance", "--unit", "GA-BC"), in: ws,
      stdout: """
        北城街道（GA-BC）街道 · 当前余额

        本单位
          基金        账户      金额（元）
          非定向基金  银行存款    1,000.00
          非定向基金  划拨收入    1,000.00

        下辖合计（本单位及下辖 2 个社区）
          基金        账户           金额（元）
          非定向基金  银行存款         1,000.00
          非定向基金  库存现金           200.00
          非定向基金  划拨收入         1,000.00
          非定向基金  捐赠收入·现金      200.00

        待确认的划入（在途，合计 ¥500.00；确认：almoner allocate confirm 编号）
          划拨编号  发出日期    发出单位      基金        金额（元）  天数
                15  2026-11-20  广安区（GA）  非定向基金      500.00     9

        """)
    // As of the day before it was sent, nothing was coming.
    let earlier = try parseJSON(
      try ws.must("balance", "--unit", "GA-BC", "--as-of", "2026-11-19", "--format", "json").stdout)
    #expect(earlier.objectValue?["incoming"] == [])
    let now = try parseJSON(
      try ws.must("balance", "--unit", "GA-BC", "--format", "json").stdout)
    #expect(now.objectValue?["incoming"]?.arrayValue?.first?.objectValue?["id"] == 15)
  }
}
