import AlmonerKit
import Foundation
import Testing

/// One bad input: how to set the workspace up, what to run, and the phrases
/// the Chinese message on stderr must contain.
struct BadInput: Sendable, CustomTestStringConvertible {
  var label: String
  var arguments: [String]
  var phrases: [String]
  var environment: [String: String] = [:]
  /// Runs before the snapshot is taken; may append entries or write files.
  var setup: (@Sendable (Workspace) throws -> Void)?

  var testDescription: String { label }

  init(
    _ label: String, _ arguments: [String], says phrases: [String],
    environment: [String: String] = [:], setup: (@Sendable (Workspace) throws -> Void)? = nil
  ) {
    self.label = label
    self.arguments = arguments
    self.phrases = phrases
    self.environment = environment
    self.setup = setup
  }
}

/// DESIGN §8: every bad input gets exit status 2, a Chinese message on
/// stderr naming the problem, nothing on stdout, and leaves every file —
/// the ledger above all — byte for byte as it was.
@Suite("CLI bad input")
struct BadInputTests {
  static let donateJSL = ["donate", "--unit", "GA-BC-JSL", "--donor", "测试", "--key", "jsl.pem"]
  static let donateGA = ["donate", "--unit", "GA", "--amount", "1", "--donor", "测试"]

  static let amounts: [(text: String, phrase: String)] = [
    ("12.345", "最多两位小数"),
    ("-5", "不能为负数"),
    ("0", "必须大于零"),
    ("0.00", "必须大于零"),
    ("1e3", "只能包含数字和小数点"),
    ("abc", "只能包含数字和小数点"),
    ("NaN", "只能包含数字和小数点"),
    ("99999999999999999", "超出账本上限"),
    ("90071992547409.92", "超出账本上限"),
    ("1,000", "千位分隔符"),
    ("5.", "小数点后缺少数字"),
    ("", "不能为空"),
  ]

  static let cases: [BadInput] =
    amounts.map { amount in
      BadInput(
        "donate --amount \(amount.text.isEmpty ? "(empty)" : amount.text)",
        donateJSL + ["--amount", amount.text],
        says: ["--amount", "\"\(amount.text)\"", amount.phrase])
    }
    + [
      BadInput(
        "allocate --amount 12.345",
        ["allocate", "--from", "GA", "--to", "GA-BC", "--amount", "12.345", "--key", "ga.pem"],
        says: ["--amount", "12.345", "最多两位小数"]),

      // Unknown names.
      BadInput(
        "unknown --unit",
        ["donate", "--unit", "GA-XX", "--amount", "1", "--donor", "测试", "--key", "ga.pem"],
        says: ["--unit", "GA-XX", "不存在", "已有单位"]),
      BadInput(
        "unknown --fund", donateJSL + ["--amount", "1", "--fund", "no-such-fund"],
        says: ["--fund", "no-such-fund", "没有基金"]),
      BadInput(
        "restricted fund of another unit",
        donateJSL + ["--amount", "1", "--fund", "elderly-canteen"],
        says: ["--fund", "建设路社区", "elderly-canteen"]),
      BadInput(
        "unknown --parent on unit add",
        ["unit", "add", "GA-NM", "--name", "南门街道", "--parent", "GA-ZZ", "--key", "admin.pem"],
        says: ["--parent", "GA-ZZ", "不存在"]),
      BadInput(
        "unknown --unit on balance", ["balance", "--unit", "不存在的社区"],
        says: ["--unit", "不存在的社区", "不存在"]),
      BadInput(
        "unknown --unit on journal", ["journal", "--unit", "GA-XX"],
        says: ["--unit", "GA-XX", "不存在"]),

      // The unit tree.
      BadInput(
        "duplicate unit code",
        ["unit", "add", "GA-BC", "--name", "另一个北城", "--parent", "GA", "--key", "admin.pem"],
        says: ["GA-BC", "已被使用"]),
      BadInput(
        "community directly under the district",
        [
          "unit", "add", "GA-XX", "--name", "新社区", "--parent", "GA", "--tier", "community", "--key",
          "admin.pem",
        ],
        says: ["社区不能直接设在区级", "广安区"]),
      BadInput(
        "unit under a community",
        [
          "unit", "add", "GA-BC-JSL-1", "--name", "楼栋", "--parent", "GA-BC-JSL", "--key",
          "admin.pem",
        ],
        says: ["社区之下不能再设单位", "建设路社区"]),
      BadInput(
        "lower-case unit code",
        ["unit", "add", "ga-nm", "--name", "南门街道", "--parent", "GA", "--key", "admin.pem"],
        says: ["单位代码", "ga-nm", "大写字母"]),
      BadInput(
        "--tier nonsense",
        [
          "unit", "add", "GA-NM", "--name", "南门街道", "--parent", "GA", "--tier", "city", "--key",
          "admin.pem",
        ],
        says: ["--tier", "'city'", "无效", "street（街道）"]),

      // Who signs.
      BadInput(
        "a key that is not a member", donateJSL + ["--amount", "1", "--key", "stranger.pem"],
        says: ["不是本账本的成员", "member add"]),
      BadInput(
        "community treasurer donating to another community",
        ["donate", "--unit", "GA-BC-WHL", "--amount", "1", "--donor", "测试", "--key", "jsl.pem"],
        says: ["王芳", "不是文化路社区（GA-BC-WHL）的记账员", "无权记录捐赠"]),
      BadInput(
        "street treasurer donating to its community (treasurer covers one unit)",
        ["donate", "--unit", "GA-BC-JSL", "--amount", "1", "--donor", "测试", "--key", "bc.pem"],
        says: ["赵磊", "不是建设路社区（GA-BC-JSL）的记账员"]),
      BadInput(
        "a treasurer doing unit add",
        ["unit", "add", "GA-NM", "--name", "南门街道", "--parent", "GA", "--key", "ga.pem"],
        says: ["陈静", "不是广安区（GA）的管理员", "无权新增单位"]),
      BadInput(
        "a treasurer granting roles",
        [
          "member", "add", "--unit", "GA-BC-JSL", "--role", "treasurer", "--name", "路人甲",
          "--public-key", "stranger.pem.pub", "--key", "jsl.pem",
        ],
        says: ["王芳", "管理员", "无权授予角色"]),
      BadInput(
        "a revoked key donating",
        ["donate", "--unit", "GA-BC", "--amount", "1", "--donor", "测试", "--key", "bc.pem"],
        says: ["已于记录 #12 被撤销", "不能再签署"],
        setup: { ws in try ws.must("member", "revoke", ws.keyID(.bc), "--key", "admin.pem") }),
      BadInput(
        "revoking the last district admin",
        ["member", "revoke", "KEY:admin", "--key", "admin.pem"],
        says: ["不能撤销区级最后一名管理员"]),
      BadInput(
        "revoking a key that is not a member",
        ["member", "revoke", "KEY:stranger", "--key", "admin.pem"],
        says: ["不是本账本的成员"]),
      BadInput(
        "missing --key and no ALMONER_KEY", donateGA, says: ["缺少 --key", "ALMONER_KEY"]),
      BadInput(
        "--key path that does not exist", donateGA + ["--key", "nobody.pem"],
        says: ["找不到私钥文件", "nobody.pem"]),
      BadInput(
        "ALMONER_KEY path that does not exist", donateGA, says: ["找不到私钥文件", "gone.pem"],
        environment: ["ALMONER_KEY": "gone.pem"]),
      BadInput(
        "key file of random text", donateGA + ["--key", "junk.pem"],
        says: ["junk.pem", "不是 PEM 格式的私钥"],
        setup: { ws in try ws.write("junk.pem", "这不是密钥\nnot a key at all: 3f9a c0de\n") }),
      BadInput(
        "key file of random bytes", donateGA + ["--key", "noise.pem"],
        says: ["noise.pem", "不是私钥文件"],
        setup: { ws in
          try ws.write("noise.pem", bytes: (0..<300).map { UInt8(($0 * 131 + 7) % 256) })
        }),
      BadInput(
        "key file is a directory", donateGA + ["--key", "keys.d"], says: ["keys.d", "是目录"],
        setup: { ws in
          try FileManager.default.createDirectory(
            atPath: ws.path("keys.d"), withIntermediateDirectories: false)
        }),
      BadInput(
        "public key file given as --key", donateGA + ["--key", "ga.pem.pub"],
        says: ["ga.pem.pub", "私钥"]),
      BadInput(
        "private key given as --public-key",
        [
          "member", "add", "--unit", "GA", "--role", "treasurer", "--name", "路人甲", "--public-key",
          "stranger.pem", "--key", "admin.pem",
        ],
        says: ["stranger.pem", "公钥"]),

      // Not a ledger.
      BadInput(
        "--ledger is a text file", ["balance", "--ledger", "notes.txt"],
        says: ["notes.txt", "不是善款账本"],
        setup: { ws in try ws.write("notes.txt", "账本\n2026-11-29 捐赠 500 元\n") }),
      BadInput(
        "--ledger is an empty file", donateGA + ["--ledger", "empty.db", "--key", "ga.pem"],
        says: ["empty.db", "不是善款账本"], setup: { ws in try ws.write("empty.db", "") }),
      BadInput(
        "--ledger is another program's SQLite database",
        donateGA + ["--ledger", "other.db", "--key", "ga.pem"],
        says: ["other.db", "不是善款账本"],
        setup: { ws in
          let made = try Python.run(
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("CREATE TABLE entry (seq INTEGER PRIMARY KEY, note TEXT)")
            db.execute("INSERT INTO entry VALUES (0, 'hello')")
            db.commit()
            db.close()
            """, [ws.path("other.db")], in: ws.directory)
          guard made.status == 0 else { throw HarnessError.fixtureStep("make other.db", made) }
        }),
      BadInput(
        "--ledger path that does not exist", ["journal", "--ledger", "missing.db"],
        says: ["找不到账本", "missing.db"]),
      BadInput(
        "--ledger is a directory", ["balance", "--ledger", "ledgers"], says: ["ledgers", "是目录"],
        setup: { ws in
          try FileManager.default.createDirectory(
            atPath: ws.path("ledgers"), withIntermediateDirectories: false)
        }),
      BadInput(
        "init onto an existing ledger",
        ["init", "--district", "GA", "--name", "广安区", "--key", "admin.pem"],
        says: ["almoner.db", "已存在"]),

      // Allocations.
      BadInput(
        "allocate confirm twice", ["allocate", "confirm", "12", "--key", "bc.pem"],
        says: ["划拨 12 已确认", "不能再处理"], setup: allocateAndConfirm),
      BadInput(
        "allocate void after confirm", ["allocate", "void", "12", "--key", "ga.pem"],
        says: ["划拨 12 已确认", "不能再处理"], setup: allocateAndConfirm),
      BadInput(
        "allocate confirm after void", ["allocate", "confirm", "12", "--key", "bc.pem"],
        says: ["划拨 12 已撤回", "不能再处理"],
        setup: { ws in
          try ws.must(
            "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "100", "--key", "ga.pem")
          try ws.must("allocate", "void", "12", "--key", "ga.pem")
        }),
      BadInput(
        "allocate confirm by the sender", ["allocate", "confirm", "12", "--key", "ga.pem"],
        says: ["陈静", "不是北城街道（GA-BC）的记账员"],
        setup: { ws in
          try ws.must(
            "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "100", "--key", "ga.pem")
        }),
      BadInput(
        "allocate confirm of an id that is no allocation",
        ["allocate", "confirm", "8", "--key", "bc.pem"],
        says: ["划拨 8 不存在"]),
      BadInput(
        "allocate more than the bank holds",
        ["allocate", "--from", "GA", "--to", "GA-BC", "--amount", "50000.01", "--key", "ga.pem"],
        says: ["余额不足", "银行存款", "50,000.00"]),
      BadInput(
        "allocate between units that are not parent and child",
        ["allocate", "--from", "GA", "--to", "GA-BC-JSL", "--amount", "1", "--key", "ga.pem"],
        says: ["只能在上下级之间"]),
      BadInput(
        "allocate a fund the receiver does not hold",
        [
          "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "1", "--fund", "老龄食堂", "--key",
          "ga.pem",
        ],
        says: ["GA-BC", "没有基金", "elderly-canteen"]),

      // Reversals.
      BadInput(
        "reversing the same donation twice",
        ["reverse", "10", "--reason", "又一次", "--key", "jsl.pem"],
        says: ["记录 #10 已被记录 #12 冲销", "不能重复冲销"],
        setup: { ws in try ws.must("reverse", "10", "--reason", "重复录入", "--key", "jsl.pem") }),
      BadInput(
        "reversing a member grant", ["reverse", "4", "--reason", "错误", "--key", "ga.pem"],
        says: ["记录 #4 是「授予角色」", "只能冲销捐赠"]),
      BadInput(
        "reversing an allocation", ["reverse", "12", "--reason", "错误", "--key", "ga.pem"],
        says: ["只能冲销捐赠", "allocate void"],
        setup: { ws in
          try ws.must(
            "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "100", "--key", "ga.pem")
        }),
      BadInput(
        "reversing an entry that does not exist",
        ["reverse", "99", "--reason", "错误", "--key", "ga.pem"],
        says: ["记录 #99 不存在"]),
      BadInput(
        "reversing a donation after its money was allocated away",
        ["reverse", "8", "--reason", "退款", "--key", "ga.pem"], says: ["余额不足"],
        setup: { ws in
          try ws.must(
            "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "49000", "--key", "ga.pem")
        }),
      BadInput(
        "reversing another unit's donation",
        ["reverse", "10", "--reason", "错误", "--key", "ga.pem"],
        says: ["陈静", "不是建设路社区（GA-BC-JSL）的记账员"]),

      // Dates.
      BadInput(
        "--date 2026-02-30", donateJSL + ["--amount", "1", "--date", "2026-02-30"],
        says: ["--date", "2026-02-30", "不存在"]),
      BadInput(
        "--date 2026/07/03", donateJSL + ["--amount", "1", "--date", "2026/07/03"],
        says: ["--date", "2026/07/03", "年-月-日"]),
      BadInput(
        "--date after today (2026-11-29)", donateJSL + ["--amount", "1", "--date", "2026-11-30"],
        says: ["2026-11-30", "晚于今天", "2026-11-29"]),
      BadInput(
        "--date on allocate after today",
        [
          "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "1", "--date", "2027-01-01",
          "--key", "ga.pem",
        ],
        says: ["2027-01-01", "晚于今天"]),
      BadInput(
        "--as-of 2026-02-30", ["balance", "--as-of", "2026-02-30"], says: ["--as-of", "2026-02-30"]),
      BadInput(
        "--from 2026-13-01", ["journal", "--from", "2026-13-01"], says: ["--from", "2026-13-01"]),

      // Choices and text.
      BadInput(
        "--role nonsense",
        [
          "member", "add", "--unit", "GA", "--role", "boss", "--name", "路人甲", "--public-key",
          "stranger.pem.pub", "--key", "admin.pem",
        ],
        says: ["--role", "'boss'", "无效", "treasurer（记账员）"]),
      BadInput(
        "--channel nonsense", donateJSL + ["--amount", "1", "--channel", "paypal"],
        says: ["--channel", "'paypal'", "无效", "wechat（微信）"]),
      BadInput(
        "--donor with a line break",
        ["donate", "--unit", "GA", "--amount", "1", "--donor", "张\n三", "--key", "ga.pem"],
        says: ["--donor", "控制字符"]),
      BadInput(
        "--donor blank",
        ["donate", "--unit", "GA", "--amount", "1", "--donor", "   ", "--key", "ga.pem"],
        says: ["--donor", "不能为空"]),
      BadInput(
        "restricted fund without a purpose",
        [
          "fund", "open", "school-aid", "--unit", "GA", "--name", "助学金", "--restricted", "--key",
          "admin.pem",
        ],
        says: ["定向基金必须写明用途"]),
      BadInput(
        "fund code with capitals",
        ["fund", "open", "School", "--unit", "GA", "--name", "助学金", "--key", "admin.pem"],
        says: ["基金代码", "School"]),
      BadInput(
        "key new --out onto an existing key file",
        ["key", "new", "--name", "某人", "--out", "ga.pem"],
        says: ["ga.pem", "已存在"]),
      BadInput(
        "key new --out where only the .pub exists",
        ["key", "new", "--name", "某人", "--out", "half.pem"],
        says: ["half.pem.pub", "已存在"], setup: { ws in try ws.write("half.pem.pub", "keep me\n") }),
    ]

  static let allocateAndConfirm: @Sendable (Workspace) throws -> Void = { ws in
    try ws.must("allocate", "--from", "GA", "--to", "GA-BC", "--amount", "100", "--key", "ga.pem")
    try ws.must("allocate", "confirm", "12", "--key", "bc.pem")
  }

  @Test("refused with status 2, a Chinese message, empty stdout, files unchanged", arguments: cases)
  func refused(_ bad: BadInput) throws {
    let ws = try Workspace.fixture()
    try bad.setup?(ws)
    let arguments = bad.arguments.map { argument in
      argument.hasPrefix("KEY:")
        ? ws.keyID(Person(rawValue: String(argument.dropFirst(4)))!) : argument
    }
    let before = try ws.snapshot()
    let entriesBefore = try entryCount(ws)
    let result = try ws.run(arguments, environment: bad.environment)

    #expect(result.status == 2, "\(result)")
    #expect(result.stdout.isEmpty, "\(result)")
    #expect(result.stderr.hasPrefix("错误："), "\(result)")
    #expect(
      result.stderr.hasSuffix("\n") && result.stderr.filter { $0 == "\n" }.count == 1, "\(result)")
    #expect(
      result.stderr.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(result)")
    for phrase in bad.phrases {
      #expect(result.stderr.contains(phrase), "stderr lacks \"\(phrase)\": \(result.stderr)")
    }
    // With --format json the same refusal carries a code of its own, not
    // just its class (a command without --format refuses that as usage).
    let json = try ws.run(arguments + ["--format", "json"], environment: bad.environment)
    #expect(json.status == 2, "\(json)")
    let error = try parseJSON(json.stderr).objectValue?["error"]?.objectValue
    let code = error?["code"]?.stringValue ?? ""
    #expect(!["bad-input", "failure", "verification-failed", ""].contains(code), "\(json)")
    if code != "usage" {
      #expect(error?["message"]?.stringValue.map { "错误：" + $0 + "\n" } == result.stderr, "\(json)")
    }
    #expect(try ws.snapshot() == before, "files changed")
    #expect(try entryCount(ws) == entriesBefore)
    #expect(try ws.run("verify", "ledger").status == 0)
  }

  /// Usage errors argument-parser catches (missing option, bad integer) are
  /// bad input too: status 2, nothing on stdout, nothing changed.
  @Test(
    "usage errors exit 2 and change nothing",
    arguments: [
      ["donate", "--unit", "GA", "--donor", "测试", "--key", "ga.pem"],
      ["donate", "--unit", "GA", "--amount", "1", "--donor", "测试", "--key", "ga.pem", "--bogus"],
      ["allocate", "confirm", "twelve", "--key", "bc.pem"],
      ["balance", "--format", "yaml"],
    ])
  func usageErrors(_ arguments: [String]) throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    let result = try ws.run(arguments)
    #expect(result.status == 2, "\(result)")
    #expect(result.stdout.isEmpty, "\(result)")
    #expect(!result.stderr.isEmpty)
    #expect(try ws.snapshot() == before)
  }

  @Test("key new onto an existing file leaves both key files exactly as they were")
  func keyNewKeepsExistingKey() throws {
    let ws = try Workspace.fixture()
    let privateKey = try ws.read("ga.pem")
    let publicKey = try ws.read("ga.pem.pub")
    let result = try ws.run("key", "new", "--name", "某人", "--out", "ga.pem", "--format", "json")
    #expect(result.status == 2 && result.stdout.isEmpty, "\(result)")
    #expect(try ws.read("ga.pem") == privateKey)
    #expect(try ws.read("ga.pem.pub") == publicKey)
    // And the key still signs.
    try ws.must("donate", "--unit", "GA", "--amount", "1", "--donor", "测试", "--key", "ga.pem")
  }

  @Test("a refused --ledger path is never created, and foreign files are not touched")
  func foreignLedgerFilesUntouched() throws {
    let ws = try Workspace.empty()
    try ws.write("k.pem.keep", "")
    let result = try ws.run("verify", "ledger", "--ledger", "nowhere/almoner.db")
    #expect(result.status == 2 && result.stdout.isEmpty, "\(result)")
    #expect(!FileManager.default.fileExists(atPath: ws.path("nowhere")))
    let plain = try ws.run("balance")
    #expect(plain.status == 2 && plain.stderr.contains("找不到账本 almoner.db"), "\(plain)")
    #expect(try ws.snapshot().keys.sorted() == ["k.pem.keep"])
  }

  /// The boundary between valid and invalid amounts: one fen and 2^53−1 fen
  /// are accepted; one fen more than the ledger holds in an account is not.
  @Test(
    "amount boundaries: ¥0.01 and ¥90,071,992,547,409.91 accepted; a balance over the limit refused"
  )
  func amountBoundaries() throws {
    let ws = try Workspace.fixture()
    let bc = ["donate", "--unit", "GA-BC", "--donor", "测试", "--key", "bc.pem", "--amount"]
    expectOutput(
      try ws.run(bc + ["0.01"]), in: ws,
      stdout: "已记录捐赠：记录 #12，GA-BC 非定向基金，测* ¥0.01（其他），日期 2026-11-29\n"
        + "内容：测* 捐赠给北城街道（GA-BC）（其他），金额 ¥0.01\n")
    // The district's rolled-up bank balance of the general fund may reach
    // 2^53−1 fen but not pass it: fill it up to exactly the limit.
    let balance = try parseJSON(try ws.must("balance", "--format", "json").stdout).objectValue
    let held = try #require(
      balance?["subtree"]?.arrayValue?.first {
        $0.objectValue?["fund"] == "general" && $0.objectValue?["account"] == "assets:bank"
      }?.objectValue?["amountFen"]?.integerValue)
    let room = Money(fen: Money.fenMax - held)
    expectOutput(
      try ws.run(bc + [room.yuanText]), in: ws,
      stdout: "已记录捐赠：记录 #13，GA-BC 非定向基金，测* \(room.displayText)（其他），日期 2026-11-29\n"
        + "内容：测* 捐赠给北城街道（GA-BC）（其他），金额 \(room.displayText)\n")
    let before = try ws.snapshot()
    let result = try ws.run(bc + ["0.01"])
    #expect(result.status == 2 && result.stdout.isEmpty, "\(result)")
    #expect(result.stderr.hasPrefix("错误：") && result.stderr.contains("上限"), "\(result)")
    #expect(try ws.snapshot() == before)
  }

  @Test("the snapshot sees a change when a command does write (the harness is not blind)")
  func snapshotSeesWrites() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    try ws.must("donate", "--unit", "GA", "--amount", "1", "--donor", "测试", "--key", "ga.pem")
    #expect(try ws.snapshot() != before)
  }

  /// DESIGN §3: "a fund's bank balance never goes negative". An allocation
  /// dated before the money arrived would leave the sender's bank negative on
  /// every day from its date until the donation's: it must be refused (as an
  /// overdraft, or as a back-dated outflow — the message names one or the
  /// date), and `balance --as-of` must never show a negative bank balance.
  @Test("an allocation dated before the money arrived is refused (bank negative on that date)")
  func backdatedAllocationOverdraws() throws {
    let ws = try Workspace.fixture()
    // GA's general fund received its only donation (¥50,000) on 2026-08-15.
    let before = try ws.snapshot()
    let result = try ws.run(
      "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "100", "--date", "2026-08-14",
      "--key", "ga.pem")
    #expect(result.status == 2, "\(result)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("错误："), "\(result)")
    #expect(
      result.stderr.contains("余额不足") || result.stderr.contains("2026-08-14"),
      "the message names the overdraft or the date: \(result)")
    #expect(try ws.snapshot() == before)
    let asOf = try ws.run("balance", "--as-of", "2026-08-14", "--format", "json")
    let lines = (try parseJSON(asOf.stdout).objectValue?["own"]?.arrayValue ?? []).compactMap(
      \.objectValue)
    for line in lines where line["account"]?.stringValue?.hasPrefix("assets:") == true {
      #expect(
        (line["amountFen"]?.integerValue ?? 0) >= 0, "negative asset as of 2026-08-14: \(line)")
    }
  }

  /// Two units may end up with the same display name; looking one up by that
  /// name must then say the name is ambiguous (naming both codes) — not that
  /// no such unit exists. (Refusing the duplicate name at `unit add` would
  /// also be correct; the test accepts either.)
  @Test("a unit name shared by two units is reported as ambiguous, not as missing")
  func ambiguousUnitName() throws {
    let ws = try Workspace.fixture()
    let added = try ws.run(
      "unit", "add", "GA-NM", "--name", "北城街道", "--parent", "GA", "--key", "admin.pem")
    if added.status != 0 {
      #expect(added.status == 2 && added.stderr.contains("北城街道"), "\(added)")
      return
    }
    let result = try ws.run("balance", "--unit", "北城街道")
    #expect(result.status == 2, "\(result)")
    #expect(result.stdout.isEmpty)
    #expect(!result.stderr.contains("不存在"), "the unit exists, twice: \(result.stderr)")
    #expect(result.stderr.contains("GA-BC") && result.stderr.contains("GA-NM"), "\(result.stderr)")
  }

  private func entryCount(_ ws: Workspace) throws -> Int64? {
    let result = try ws.run("verify", "ledger", "--format", "json")
    return try parseJSON(result.stdout).objectValue?["entries"]?.integerValue
  }
}
