import AlmonerKit
import Foundation
import Testing

/// Keys that must not be taken (security issue 7): small-order and
/// non-canonical Ed25519 public keys (item 1), private key files others may
/// read, and encrypted private keys (item 12).
@Suite("CLI: weak public keys, key file permissions, encrypted keys")
struct KeySafetyCLITests {
  /// The eight small-order points, their six non-canonical twins, and three
  /// other encodings with y ≥ p (see Ed25519PointTests for their derivation).
  static let weakKeys: [String] = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "0100000000000000000000000000000000000000000000000000000000000080",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
  ]

  static let identity: [UInt8] = [1] + [UInt8](repeating: 0, count: 31)

  /// SubjectPublicKeyInfo PEM of `raw`, as `openssl pkey -pubout` would print it.
  static func spkiPEM(_ raw: [UInt8]) -> String {
    let der = Hex.decode("302a300506032b6570032100")! + raw
    return
      "-----BEGIN PUBLIC KEY-----\n\(Data(der).base64EncodedString())\n-----END PUBLIC KEY-----\n"
  }

  static func openssl() throws -> URL {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let found = path.split(separator: ":").map { URL(fileURLWithPath: "\($0)/openssl") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    return try #require(found, "the openssl CLI is needed")
  }

  static let donateGA = [
    "donate", "--unit", "GA", "--amount", "10", "--donor", "某人", "--channel", "cash", "--key",
  ]

  // MARK: Item 1: weak public keys

  @Test(
    "member add refuses each of the 8 small-order keys, their twins and y ≥ p; ledger unchanged")
  func memberAddRefusesWeakKeys() throws {
    let ws = try Workspace.fixture()
    for hex in Self.weakKeys {
      try ws.write("weak.pub", Self.spkiPEM(Hex.decode(hex)!))
      let before = try ws.snapshot()
      let result = try ws.run(
        "member", "add", "--unit", "GA-BC-JSL", "--role", "treasurer", "--name", "攻击者",
        "--public-key", "weak.pub", "--key", "admin.pem")
      #expect(result.status == 2, "\(hex): \(result)")
      #expect(result.stdout.isEmpty)
      #expect(result.stderr.contains("weak.pub"), "\(hex): \(result.stderr)")
      #expect(
        result.stderr.contains("小阶点") || result.stderr.contains("编码不规范"),
        "\(hex): \(result.stderr)")
      #expect(result.stderr.contains("almoner key new"), "\(hex): \(result.stderr)")
      #expect(try ws.snapshot() == before, "\(hex): the ledger changed")
    }
    #expect(try ws.run("verify", "ledger").status == 0)
  }

  @Test(
    "a receipt forged under the identity key (R = identity, S = 0) fails: its trust file is refused"
  )
  func verifyReceiptRefusesWeakTrust() throws {
    let ws = try TransparencyCLITests.cosigned()
    try ws.must("receipt", "8", "--out", "receipt.json")
    try ws.must("keys", "export", "--out", "trust.json")
    #expect(try ws.run("verify", "receipt", "receipt.json", "--trust", "trust.json").status == 0)

    // What an attacker with no private key writes: a log key that is the
    // identity point under the ledger's origin, and a checkpoint signature
    // R = identity, S = 0 — which OpenSSL alone accepts for any message.
    let trust = String(decoding: try ws.read("trust.json"), as: UTF8.self)
    let vkeys = String(decoding: try ws.read("trust.json.vkeys"), as: UTF8.self)
    let realVkey = try #require(vkeys.split(separator: "\n").first.map(String.init))
    let origin = try #require(realVkey.split(separator: "+").first.map(String.init))
    let idBytes = Array(
      SHA256.hash(Array(origin.utf8) + [0x0A, 0x01] + Self.identity).bytes.prefix(4))
    let forgedVkey =
      "\(origin)+\(Hex.encode(idBytes))+" + Data([0x01] + Self.identity).base64EncodedString()
    let note = String(decoding: try ws.read("cp.txt"), as: UTF8.self)
    let signatureLine = try #require(note.split(separator: "\n").first { $0.hasPrefix("— ") })
    let realSignature = try #require(signatureLine.split(separator: " ").last.map(String.init))
    let forgedSignature = Data(idBytes + Self.identity + [UInt8](repeating: 0, count: 32))
      .base64EncodedString()
    let receipt = String(decoding: try ws.read("receipt.json"), as: UTF8.self)
    try #require(receipt.contains(realSignature) && trust.contains(realVkey))
    try ws.write(
      "forged.json", receipt.replacingOccurrences(of: realSignature, with: forgedSignature))
    try ws.write("forged-trust.json", trust.replacingOccurrences(of: realVkey, with: forgedVkey))
    try ws.write("forged-trust.vkeys", forgedVkey + "\n")

    for trustFile in ["forged-trust.json", "forged-trust.vkeys"] {
      let result = try ws.run("verify", "receipt", "forged.json", "--trust", trustFile)
      #expect(result.status == 2, "\(trustFile): \(result)")
      #expect(result.stdout.isEmpty, "\(trustFile): \(result)")
      #expect(result.stderr.contains("小阶点"), "\(trustFile): \(result.stderr)")
    }
    // And with the real trust file the forged signature is simply not the ledger's.
    let real = try ws.run("verify", "receipt", "forged.json", "--trust", "trust.json")
    #expect(real.status == 1, "\(real)")
  }

  // MARK: Item 12: private key files

  @Test("a private key file group or others may read is refused with the chmod 600 to run")
  func openKeyFileRefused() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    for mode in [0o644, 0o640, 0o604, 0o660, 0o606] {
      try FileManager.default.setAttributes(
        [.posixPermissions: mode], ofItemAtPath: ws.path("ga.pem"))
      let result = try ws.run(Self.donateGA + ["ga.pem"])
      #expect(result.status == 2, "mode \(String(mode, radix: 8)): \(result)")
      #expect(result.stderr.contains("chmod 600 ga.pem"), "\(result.stderr)")
      #expect(result.stderr.contains(String(mode, radix: 8)), "\(result.stderr)")
      #expect(try ws.snapshot() == before)
    }
    // A path that needs quoting is quoted in the command.
    try FileManager.default.createDirectory(
      atPath: ws.path("my keys"), withIntermediateDirectories: false)
    try FileManager.default.copyItem(atPath: ws.path("ga.pem"), toPath: ws.path("my keys/ga.pem"))
    let spaced = try ws.run(Self.donateGA + ["my keys/ga.pem"])
    #expect(spaced.status == 2)
    #expect(spaced.stderr.contains("chmod 600 'my keys/ga.pem'"), "\(spaced.stderr)")
    // The fix the message names works.
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o600], ofItemAtPath: ws.path("ga.pem"))
    #expect(try ws.run(Self.donateGA + ["ga.pem"]).status == 0)
  }

  @Test(
    "an encrypted key signs with --passphrase-file or ALMONER_KEY_PASSPHRASE; wrong or none: exit 2"
  )
  func encryptedKeys() throws {
    let ws = try Workspace.fixture()
    let openssl = try Self.openssl()
    func must(_ arguments: [String]) throws {
      let result = try Runner.run(openssl, arguments, in: ws.directory)
      try #require(result.status == 0, "openssl \(arguments): \(result)")
    }
    let passphrase = "善款 pass-1"
    // ga.pem (a treasurer of GA) re-encrypted with PKCS#8 v2, AES-256-CBC.
    try must([
      "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ga.pem", "-out", "ga-enc.pem", "-passout",
      "pass:\(passphrase)",
    ])
    // A new key made encrypted by openssl genpkey, then granted.
    try must([
      "genpkey", "-algorithm", "ed25519", "-aes-256-cbc", "-pass", "pass:\(passphrase)", "-out",
      "new-enc.pem",
    ])
    try must([
      "pkey", "-in", "new-enc.pem", "-passin", "pass:\(passphrase)", "-pubout", "-out", "new.pub",
    ])
    try ws.must(
      "member", "add", "--unit", "GA", "--role", "treasurer", "--name", "新人", "--public-key",
      "new.pub", "--key", "admin.pem")
    for file in ["ga-enc.pem", "new-enc.pem"] {
      #expect(
        String(decoding: try ws.read(file), as: UTF8.self).hasPrefix(
          "-----BEGIN ENCRYPTED PRIVATE KEY-----"))
    }
    try ws.write("pass.txt", passphrase + "\n")
    try ws.write("wrong.txt", "not the passphrase\n")

    for file in ["ga-enc.pem", "new-enc.pem"] {
      let withFile = try ws.run(Self.donateGA + [file, "--passphrase-file", "pass.txt"])
      #expect(withFile.status == 0, "\(file): \(withFile)")
      let withEnvironment = try ws.run(
        Self.donateGA + [file], environment: ["ALMONER_KEY_PASSPHRASE": passphrase])
      #expect(withEnvironment.status == 0, "\(file): \(withEnvironment)")

      let before = try ws.snapshot()
      let wrongFile = try ws.run(Self.donateGA + [file, "--passphrase-file", "wrong.txt"])
      #expect(wrongFile.status == 2, "\(wrongFile)")
      #expect(wrongFile.stderr.contains("口令不对"), "\(wrongFile.stderr)")
      #expect(wrongFile.stderr.contains(file), "\(wrongFile.stderr)")
      let wrongEnvironment = try ws.run(
        Self.donateGA + [file], environment: ["ALMONER_KEY_PASSPHRASE": "nope"])
      #expect(wrongEnvironment.status == 2, "\(wrongEnvironment)")
      #expect(wrongEnvironment.stderr.contains("口令不对"), "\(wrongEnvironment.stderr)")
      #expect(try ws.snapshot() == before)
    }
    // Four donations signed with the encrypted keys, after the fixture's four.
    let journal = try parseJSON(try ws.must("journal", "--format", "json").stdout).arrayValue ?? []
    let donations = journal.filter { $0.objectValue?["kind"]?.stringValue == "donation" }
    #expect(donations.count == 8)
  }

  @Test("an encrypted key with no passphrase fails at once with stdin closed and no terminal")
  func encryptedKeyWithoutPassphrase() throws {
    let ws = try Workspace.fixture()
    let result = try Runner.run(
      try Self.openssl(),
      [
        "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ga.pem", "-out", "ga-enc.pem", "-passout",
        "pass:secret-1",
      ], in: ws.directory)
    try #require(result.status == 0, "\(result)")
    let before = try ws.snapshot()
    // setsid: a new session with no controlling terminal, so OpenSSL could
    // not prompt on /dev/tty even if it tried; stdin is /dev/null (Runner).
    let binary = try Paths.binary.get()
    let setsid = URL(fileURLWithPath: "/usr/bin/setsid")
    let command = Self.donateGA + ["ga-enc.pem"]
    let run =
      FileManager.default.isExecutableFile(atPath: setsid.path)
      ? try Runner.run(setsid, ["--wait", binary.path] + command, in: ws.directory)
      : try ws.run(command)
    #expect(run.status == 2, "\(run)")
    #expect(run.stderr.contains("ga-enc.pem"), "\(run.stderr)")
    #expect(run.stderr.contains("已用口令加密"), "\(run.stderr)")
    #expect(run.stderr.contains("--passphrase-file"), "\(run.stderr)")
    #expect(run.stderr.contains("ALMONER_KEY_PASSPHRASE"), "\(run.stderr)")
    #expect(try ws.snapshot() == before)

    let missing = try ws.run(command + ["--passphrase-file", "nowhere.txt"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("找不到口令文件 nowhere.txt"), "\(missing.stderr)")
    try ws.write("empty.txt", "\n")
    let empty = try ws.run(command + ["--passphrase-file", "empty.txt"])
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("第一行是空的"), "\(empty.stderr)")
    #expect(try ws.snapshot().filter { $0.key != "empty.txt" } == before)
  }
}
