import AlmonerKit
import ArgumentParser

struct MemberCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "member", abstract: "管理成员与角色（管理员签署）",
    subcommands: [Add.self, Revoke.self, List.self])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "授予成员角色：admin（管理员）、treasurer（记账员）、approver（审批人）、supervisor（监督员）",
      discussion:
        "例：almoner member add --unit GA-BC-JSL --role treasurer --name 王芳 --public-key wangfang.pem.pub --key admin.pem"
    )

    @Option(help: "单位代码或名称") var unit: String
    @Option(help: "角色：admin、treasurer、approver、supervisor（也可写中文）") var role: String
    @Option(help: "成员姓名") var name: String
    @Option(help: "成员的公钥文件（almoner key new 生成的 .pub）") var publicKey: String
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let role: Role = try parseChoice(role, "--role", name: \Role.displayName)
      let memberKey = try KeyFiles.readPublic(publicKey)
      let signer = try key.load()
      let appended = try ledger.open().addMember(
        unit: unit, role: role, name: name, publicKey: memberKey, signer: signer)
      output.emit(
        text: { "已授予 \(name)（\(memberKey.keyID)）\(role.displayName)角色（第 \(appended.seq) 条记录）\n" },
        json: { Rendering.appendedJSON(appended) })
    }
  }

  struct Revoke: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "撤销成员：该密钥此后不能再签署任何记录",
      discussion: "例：almoner member revoke ed25519:0123456789abcdef --reason 调离 --key admin.pem")

    @Argument(help: "要撤销的密钥 ID（ed25519:…）") var keyID: String
    @Option(help: "撤销原因") var reason: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let signer = try key.load()
      let appended = try ledger.open().revokeMember(keyID: keyID, reason: reason, signer: signer)
      output.emit(
        text: { "已撤销 \(keyID)（第 \(appended.seq) 条记录）\n" },
        json: { Rendering.appendedJSON(appended) })
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "列出成员及其角色")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let state = try ledger.openForReading().state()
      output.emit(
        text: { Rendering.membersText(state) }, json: { Rendering.membersJSON(state) })
    }
  }
}
