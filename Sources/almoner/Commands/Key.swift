import AlmonerKit
import ArgumentParser

struct KeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "key", abstract: "管理签名密钥（key management）", subcommands: [New.self])

  struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "生成 Ed25519 签名密钥：FILE 为私钥（仅本人可读），FILE.pub 为公钥",
      discussion: "把 FILE.pub 交给管理员，用 `almoner member add` 授予角色；私钥文件请妥善保管，切勿外传。")

    @Option(help: "密钥持有人姓名") var name: String
    @Option(help: "私钥文件路径；公钥写到同名 .pub 文件") var out: String
    @OptionGroup var output: FormatOptions

    func run() throws {
      let name = try Text.input(name, field: "--name")
      let key = SigningKey.generate()
      try KeyFiles.write(key, to: out)
      output.emit(
        text: {
          """
          \(key.keyID)
          已为 \(name) 生成密钥：私钥 \(out)（权限 0600，仅本人可读），公钥 \(out).pub（交给管理员）。

          """
        },
        json: {
          .object([
            "keyId": .string(key.keyID), "name": .string(name), "privateKeyFile": .string(out),
            "publicKeyFile": .string(out + ".pub"),
          ])
        })
    }
  }
}
