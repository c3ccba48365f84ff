import AlmonerKit
import ArgumentParser

struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "支出审批规则：各级单位的支出超过多少须上级、区级审批",
    subcommands: [SetPolicy.self, Show.self])

  struct SetPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: "设定审批规则（区级管理员签署）；未写的项目沿用现行规则，只约束此后提出的申请",
      discussion: """
        金额以元为单位，0 表示任何金额都须该级审批。
        例：almoner policy set --community-parent-above 3000 --district-approvals 2 --key admin.pem
        """)

    @Option(parsing: .unconditional, help: "社区支出超过此额（元）还须街道审批") var communityParentAbove: String?
    @Option(parsing: .unconditional, help: "社区支出超过此额（元）还须区级审批") var communityDistrictAbove: String?
    @Option(parsing: .unconditional, help: "街道支出超过此额（元）还须区级审批") var streetDistrictAbove: String?
    @Option(help: "需要社区审批时，须有几位社区审批人批准（1–5）") var communityApprovals: Int?
    @Option(help: "需要街道审批时，须有几位街道审批人批准（1–5）") var streetApprovals: Int?
    @Option(help: "需要区级审批时，须有几位区级审批人批准（1–5）") var districtApprovals: Int?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      func threshold(_ text: String?, _ field: String) throws(AlmonerError) -> Money? {
        guard let text else { return nil }
        do { return try Money.parseYuan(text, allowingZero: true) } catch {
          throw error.inField(field)
        }
      }
      var approvals: [Tier: Int] = [:]
      approvals[.community] = communityApprovals
      approvals[.street] = streetApprovals
      approvals[.district] = districtApprovals
      let change = PolicyChange(
        communityParentAbove: try threshold(communityParentAbove, "--community-parent-above"),
        communityDistrictAbove: try threshold(communityDistrictAbove, "--community-district-above"),
        streetDistrictAbove: try threshold(streetDistrictAbove, "--street-district-above"),
        approvals: approvals)
      let signer = try key.load()
      let ledger = try ledger.open()
      let appended = try ledger.setPolicy(change, signer: signer)
      let policy = try ledger.approvalPolicy()
      output.emit(
        text: { "已设定审批规则（记录 #\(appended.seq)）\n" + Rendering.policyText(policy) },
        json: { Rendering.appendedJSON(appended) })
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "查看现行审批规则")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let policy = try ledger.openForReading().approvalPolicy()
      output.emit(text: { Rendering.policyText(policy) }, json: { Rendering.policyJSON(policy) })
    }
  }
}
