import AlmonerKit
import Foundation
import Testing

/// `almoner member rotate` and the person rules at the command line: golden
/// output (text and JSON), help in Chinese, and refusals that leave the
/// ledger as it was.
@Suite("CLI member rotate and persons")
struct MemberRotateCLITests {
  static let cases: [BadInput] = [
    BadInput(
      "a second key under an active member's name (use member rotate)",
      [
        "member", "add", "--unit", "GA", "--role", "approver", "--name", "陈静", "--public-key",
        "stranger.pem.pub", "--key", "admin.pem",
      ],
      says: ["「陈静」已是在任成员的姓名", "广安区记账员", "almoner member rotate ed25519:", "加注以示区别"]),
    BadInput(
      "treasurer made approver of the same unit",
      [
        "member", "add", "--unit", "GA-BC-JSL", "--role", "approver", "--name", "王芳",
        "--public-key", "jsl.pem.pub", "--key", "admin.pem",
      ],
      says: ["不相容职务须分离", "建设路社区（GA-BC-JSL）的记账员", "不能再任审批人"]),
    BadInput(
      "a street admin appointing the street's supervisor",
      [
        "member", "add", "--unit", "GA-BC", "--role", "supervisor", "--name", "郑华",
        "--public-key", "watcher.pem.pub", "--key", "stranger.pem",
      ],
      says: ["监督员由上一级任命", "北城街道（GA-BC）的监督员须由广安区（GA）或更上级的管理员授予角色"],
      setup: { ws in
        try ws.must(
          "member", "add", "--unit", "GA-BC", "--role", "admin", "--name", "路人甲", "--public-key",
          "stranger.pem.pub", "--key", "admin.pem")
        try ws.must("key", "new", "--name", "郑华", "--out", "watcher.pem")
      }),
    BadInput(
      "member rotate of an unknown key",
      [
        "member", "rotate", "ed25519:0000000000000000", "--public-key", "stranger.pem.pub",
        "--key", "admin.pem",
      ],
      says: ["ed25519:0000000000000000", "不是本账本的成员", "member list"]),
    BadInput(
      "member rotate onto a key the ledger already has",
      ["member", "rotate", "KEY:jsl", "--public-key", "ga.pem.pub", "--key", "admin.pem"],
      says: ["已是本账本中陈静的密钥", "almoner key new"]),
    BadInput(
      "member rotate signed by a treasurer",
      ["member", "rotate", "KEY:jsl", "--public-key", "stranger.pem.pub", "--key", "ga.pem"],
      says: ["陈静", "不是建设路社区（GA-BC-JSL）的管理员", "无权更换密钥"]),
  ]

  @Test("refused with status 2, a Chinese message, empty stdout, files unchanged", arguments: cases)
  func refused(_ bad: BadInput) throws {
    try BadInputTests().refused(bad)
  }

  @Test("member rotate: text output, then the old key is refused and the new one signs")
  func rotateText() throws {
    let ws = try Workspace.fixture()
    try ws.must("key", "new", "--name", "王芳", "--out", "jsl-2027.pem")
    expectOutput(
      try ws.run(
        "member", "rotate", ws.keyID(.jsl), "--public-key", "jsl-2027.pem.pub", "--reason", "定期更换",
        "--key", "admin.pem"),
      in: ws,
      stdout: """
        已将 王芳 的密钥 ed25519:JSL_____________ 更换为 ed25519:OTHER___________（记录 #12）；旧密钥此后不能再签署
        转到新密钥的角色：建设路社区（GA-BC-JSL）记账员

        """)
    let old = try ws.run(
      "donate", "--unit", "GA-BC-JSL", "--amount", "1", "--donor", "测试", "--key", "jsl.pem")
    #expect(old.status == 2, "\(old)")
    #expect(old.stderr.contains("已于记录 #12 被撤销"), "\(old)")
    try ws.must(
      "donate", "--unit", "GA-BC-JSL", "--amount", "1", "--donor", "测试", "--key", "jsl-2027.pem")
    expectOutput(
      try ws.run("member", "list"), in: ws,
      stdout: """
        密钥 ID                   姓名  单位        角色    状态
        ed25519:ADMIN___________  李明  广安区      管理员  有效
        ed25519:GA______________  陈静  广安区      记账员  有效
        ed25519:BC______________  赵磊  北城街道    记账员  有效
        ed25519:JSL_____________  王芳  建设路社区  记账员  已换新密钥（记录 #12）
        ed25519:OTHER___________  王芳  建设路社区  记账员  有效

        """)
    expectOutput(
      try ws.run("journal", "--from", "2026-11-29", "--unit", "GA-BC-JSL"), in: ws,
      stdout: """
        序号  日期        类型      金额（元）  签名人  摘要
           2  2026-11-29  新增单位              李明    新增社区：建设路社区（GA-BC-JSL），上级 北城街道（GA-BC）
           6  2026-11-29  授予角色              李明    授予 王芳 建设路社区（GA-BC-JSL）记账员（ed25519:JSL_____________）
          12  2026-11-29  更换密钥              李明    更换 王芳 的密钥：ed25519:JSL_____________ → ed25519:OTHER___________：定期更换
          13  2026-11-29  捐赠            1.00  王芳    测* 捐赠给建设路社区（GA-BC-JSL）（其他）

        """)
    // --signer with the old key id finds what the same person signed with the new one.
    expectOutput(
      try ws.run(
        "journal", "--signer", ws.keyID(.jsl), "--kind", "donation", "--from", "2026-11-29"),
      in: ws,
      stdout: """
        序号  日期        类型  金额（元）  签名人  摘要
          13  2026-11-29  捐赠        1.00  王芳    测* 捐赠给建设路社区（GA-BC-JSL）（其他）

        """)
    let members = try parseJSON(try ws.must("member", "list", "--format", "json").stdout)
    let people = Set(
      (members.arrayValue ?? []).compactMap { $0.objectValue }
        .filter { $0["name"] == "王芳" }.compactMap { $0["personId"]?.stringValue })
    #expect(people == [ws.keyID(.jsl)], "both keys of 王芳 are one person")
    #expect(try ws.run("verify", "ledger").status == 0)
  }

  @Test(
    "member rotate --compromised --format json: the entry, person, keys, roles, voided approvals")
  func rotateJSON() throws {
    let ws = try Workspace.fixture()
    try ws.must("key", "new", "--name", "审批人", "--out", "approver.pem")
    try ws.must(
      "member", "add", "--unit", "GA", "--role", "approver", "--name", "审批人", "--public-key",
      "approver.pem.pub", "--key", "admin.pem")
    let request = try parseJSON(
      try ws.must(
        "disburse", "request", "--unit", "GA", "--amount", "500", "--payee", "惠民超市",
        "--purpose", "慰问品", "--key", "ga.pem", "--format", "json"
      ).stdout
    ).objectValue?["id"]?.integerValue
    let id = try #require(request)
    try ws.must("disburse", "approve", "\(id)", "--key", "approver.pem")
    let approverKeyID = try #require(
      try parseJSON(try ws.must("member", "list", "--format", "json").stdout).arrayValue?
        .compactMap { $0.objectValue }.first { $0["name"] == "审批人" }?["keyId"]?.stringValue)
    try ws.must("key", "new", "--name", "审批人", "--out", "approver-2027.pem")
    expectOutput(
      try ws.run(
        "member", "rotate", approverKeyID, "--public-key", "approver-2027.pem.pub",
        "--compromised", "--key", "admin.pem", "--format", "json"),
      in: ws,
      stdout:
        #"{"date":"2026-11-29","hash":"<HASH>","kind":"member.rotate","name":"审批人","newKeyId":"ed25519:OTHER___________","oldKeyId":"ed25519:OTHER___________","personId":"ed25519:OTHER___________","roles":[{"role":"approver","unit":"GA"}],"seq":15,"voidedRequests":[13]}"#
        + "\n")
    let pay = try ws.run("disburse", "pay", "\(id)", "--key", "ga.pem")
    #expect(pay.status == 2, "\(pay)")
    #expect(pay.stderr.contains("还缺区级审批人 1 人（广安区）"), "\(pay)")
    let show = try ws.must("disburse", "show", "\(id)").stdout
    #expect(show.contains("其密钥已于记录 #15 撤销，不再计数"), "\(show)")
    try ws.must("disburse", "approve", "\(id)", "--key", "approver-2027.pem")
    try ws.must("disburse", "pay", "\(id)", "--key", "ga.pem")
    #expect(try ws.run("verify", "ledger").status == 0)
  }

  @Test("help for member rotate and member add is in Chinese and names the rules")
  func help() throws {
    let ws = try Workspace.empty()
    let rotate = try ws.run("member", "rotate", "--help")
    #expect(rotate.status == 0, "\(rotate)")
    for phrase in [
      "更换成员的密钥：旧密钥作废，此人的全部角色转到新密钥（管理员签署）", "要更换的旧密钥 ID", "--public-key",
      "新公钥文件", "--compromised", "旧密钥疑已泄露", "审批按人计数",
      "almoner member rotate ed25519:0123456789abcdef",
    ] {
      #expect(
        rotate.stdout.contains(phrase), "member rotate --help lacks \"\(phrase)\":\n\(rotate)")
    }
    let member = try ws.run("member", "--help")
    #expect(member.stdout.contains("rotate"), "\(member)")
    #expect(member.stdout.contains("更换成员的密钥"), "\(member)")
    let add = try ws.run("member", "add", "--help")
    for phrase in ["almoner member rotate", "不相容职务须分离", "监督员由上一级任命"] {
      #expect(add.stdout.contains(phrase), "member add --help lacks \"\(phrase)\":\n\(add)")
    }
  }
}
