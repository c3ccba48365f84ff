import AlmonerKit
import ArgumentParser

struct MemberCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "member", abstract: "管理成员与角色（管理员签署）",
    subcommands: [Add.self, Rotate.self, Revoke.self, List.self])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "授予成员角色：admin（管理员）、treasurer（记账员）、approver（审批人）、supervisor（监督员）",
      discussion: """
        例：almoner member add --unit GA-BC-JSL --role treasurer --name 王芳
              --public-key wangfang.pem.pub --key admin.pem

        一把新公钥就是一位新成员。同一人换用新密钥请用 almoner member rotate，
        不要再授予第二把密钥：新密钥的姓名与在任成员相同时会被拒绝
        （确是同名的另一人，请在姓名中加注以示区别）。
        不相容职务须分离：同一人不能既是某单位的记账员又是该单位的审批人。
        监督员由上一级任命：街道、社区的监督员须由上一级（或更上级）的管理员授予，
        区级监督员由区级管理员授予。
        """
    )

    @Option(help: "单位代码或名称") var unit: String
    @Option(help: "角色（写代码或中文名）") var role: Role
    @Option(help: "成员姓名") var name: String
    @Option(help: "成员的公钥文件（almoner key new 生成的 .pub）") var publicKey: String
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let memberKey = try KeyFiles.readPublic(publicKey)
      let signer = try key.load()
      let appended = try ledger.open().addMember(
        unit: unit, role: role, name: name, publicKey: memberKey, signer: signer)
      output.emit(
        text: { "已授予 \(name)（\(memberKey.keyID)）\(role.displayName)角色（记录 #\(appended.seq)）\n" },
        json: { Rendering.appendedJSON(appended) })
    }
  }

  struct Rotate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "更换成员的密钥：旧密钥作废，此人的全部角色转到新密钥（管理员签署）",
      discussion: """
        同一人换用新密钥（密钥遗失、疑似泄露或定期更换）时用本命令。
        旧密钥在这条记录中被撤销，它的全部有效角色连同成员身份转到新密钥：
        审批按人计数，同一人用新旧两把密钥也只算一次。
        签署者须是能授予这些角色的管理员（监督员的角色须由上一级管理员）。
        旧密钥批准过、尚未付款的申请，其批准照常计数；
        若旧密钥可能落入他人之手，加 --compromised：这些批准即作废，
        申请须重新审批（与 almoner member revoke 相同）。

        例：almoner key new --name 王芳 --out wangfang-2027.pem
            almoner member rotate ed25519:0123456789abcdef
              --public-key wangfang-2027.pem.pub --key admin.pem
        """)

    @Argument(help: "要更换的旧密钥 ID（ed25519:…，可用 almoner member list 查看）") var keyID: String
    @Option(help: "新公钥文件（almoner key new 生成的 .pub）") var publicKey: String
    @Flag(help: "旧密钥疑已泄露：其对未付款申请的批准作废，须重新审批") var compromised = false
    @Option(help: "更换原因") var reason: String?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var key: KeyOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let newKey = try KeyFiles.readPublic(publicKey)
      let signer = try key.load()
      let rotation = try ledger.open().rotateMember(
        keyID: keyID, publicKey: newKey, compromised: compromised, reason: reason, signer: signer)
      output.emit(
        text: { Rendering.keyRotationText(rotation) },
        json: { Rendering.keyRotationJSON(rotation) })
    }
  }

  struct Revoke: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "撤销成员：该密钥此后不能再签署任何记录，其对未付款申请的批准作废",
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
        text: { "已撤销 \(keyID)（记录 #\(appended.seq)）\n" },
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
