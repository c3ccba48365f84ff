import AlmonerKit
import Foundation
import Testing

@Suite("CLI: opening balances")
struct OpeningCLITests {
  @Test("almoner opening → disburse approve → disburse pay; balance shows 期初余额转入")
  func opening() throws {
    let ws = try Workspace.fixture()
    try ws.must("key", "new", "--name", "孙社区", "--out", "approver.pem")
    try ws.must(
      "member", "add", "--unit", "GA-BC-JSL", "--role", "approver", "--name", "孙社区",
      "--public-key", "approver.pem.pub", "--key", "admin.pem")
    let requested = try ws.run(
      "opening", "--unit", "GA-BC-JSL", "--account", "bank", "--amount", "3000", "--as-of",
      "2026-10-31", "--note", "接收原账簿结余", "--key", "jsl.pem")
    expectOutput(
      requested, in: ws,
      stdout: """
        13
        已提交期初余额申请 #13：¥3,000.00，截至 2026-10-31
        需要 社区审批人 1 人（建设路社区） 批准（almoner disburse approve 13），之后由记账员 `almoner disburse pay 13` 入账
        内容：建设路社区（GA-BC-JSL）申请期初余额 #13：非定向基金银行存款截至 2026-10-31：接收原账簿结余，金额 ¥3,000.00

        """)
    let early = try ws.run("disburse", "pay", "13", "--key", "jsl.pem")
    #expect(early.status == 2, "\(early)")
    try ws.must("disburse", "approve", "13", "--key", "approver.pem")
    let paid = try ws.run("disburse", "pay", "13", "--key", "jsl.pem")
    expectOutput(
      paid, in: ws,
      stdout: """
        已入账期初余额 #13：¥3,000.00，记账日期 2026-10-31（记录 #15）
        内容：期初余额 #13 入账：建设路社区（GA-BC-JSL）非定向基金银行存款，记账日期 2026-10-31，金额 ¥3,000.00

        """)
    let balance = try ws.must("balance", "--unit", "GA-BC-JSL").stdout
    #expect(balance.contains("非定向基金  期初余额转入"), "\(balance)")
    #expect(balance.contains("3,000.00"), "\(balance)")
    let bad = try ws.run(
      "opening", "--unit", "GA-BC-JSL", "--account", "safe", "--amount", "1", "--as-of",
      "2026-10-31", "--key", "jsl.pem")
    expectOutput(
      bad, in: ws, status: 2, stdout: "",
      stderr: "错误：--account \"safe\" 无效：应为 bank（银行存款）或 cash（库存现金）\n")
    #expect(try ws.run("verify", "ledger").status == 0)
  }
}
