import AlmonerKit
import ArgumentParser

struct Init: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "建立新账本：创建区级单位，签名密钥成为区级管理员",
    discussion: "例：almoner init --district GA --name 广安区 --key admin.pem --admin-name 李明")

  @OptionGroup var ledger: LedgerOptions
  @Option(help: "区级单位代码（大写字母、数字、连字符），例如 GA") var district: String
  @Option(help: "区级单位名称，例如 广安区") var name: String
  @OptionGroup var key: KeyOptions
  @Option(help: "管理员姓名（默认：区级单位名称 + 管理员）") var adminName: String?
  @Option(help: "检查点的 origin（默认自动生成 almoner/<代码>/<随机数>）") var origin: String?
  @Option(help: "记账时区（IANA 名称）") var timeZone = "Asia/Shanghai"
  @OptionGroup var output: FormatOptions

  func run() throws {
    let admin = try key.load()
    let created = try Ledger.create(
      at: ledger.path, district: district, name: name, admin: admin,
      adminName: adminName ?? "\(name)管理员", origin: origin, timeZone: timeZone,
      clock: .fromEnvironment())
    let state = try created.state()
    output.emit(
      text: {
        """
        已建账：\(ledger.path)
          区级单位：\(name)（\(district)）
          管理员密钥：\(admin.keyID)
          账本 ID：\(state.ledgerID?.hex ?? "")
          origin：\(state.origin)

        """
      },
      json: {
        .object([
          "ledger": .string(ledger.path), "ledgerId": .string(state.ledgerID?.hex ?? ""),
          "origin": .string(state.origin), "district": .string(district),
          "admin": .string(admin.keyID),
        ])
      })
  }
}
