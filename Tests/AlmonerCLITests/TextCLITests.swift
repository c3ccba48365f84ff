import AlmonerKit
import Foundation
import Testing

/// Security review item 9 through the CLI: text that would lie on screen is
/// refused with status 2 and the ledger unchanged, and whatever a verifier
/// or reader prints from a file is escaped.
@Suite("CLI: text that lies on screen")
struct TextCLITests {
  static let cases: [BadInput] = [
    BadInput(
      "unit name with a zero-width space",
      [
        "unit", "add", "GA-BC-X", "--name", "建设路社区\u{200B}", "--parent", "GA-BC", "--key",
        "admin.pem",
      ],
      says: ["--name", "第 6 个字符 U+200B（零宽空格）"]),
    BadInput(
      "fund name with a right-to-left override",
      ["fund", "open", "special", "--unit", "GA", "--name", "专项\u{202E}", "--key", "admin.pem"],
      says: ["--name", "方向格式字符", "第 3 个字符 U+202E（从右到左覆盖）"]),
    BadInput(
      "donor name starting with a BOM",
      ["donate", "--unit", "GA", "--amount", "1", "--donor", "\u{FEFF}张三", "--key", "ga.pem"],
      says: ["--donor", "U+FEFF（字节顺序标记 BOM）"]),
    BadInput(
      "member name with an escape sequence",
      [
        "member", "add", "--unit", "GA", "--role", "treasurer", "--name", "路人\u{1B}[2J甲",
        "--public-key", "stranger.pem.pub", "--key", "admin.pem",
      ],
      says: ["--name", "控制字符", "U+001B（转义符 ESC）"]),
    BadInput(
      "purpose with a bidi isolate",
      [
        "disburse", "request", "--unit", "GA", "--amount", "1", "--payee", "某公司", "--purpose",
        "助老\u{2066}", "--key", "ga.pem",
      ],
      says: ["--purpose", "U+2066（从左到右隔离）"]),
    BadInput(
      "reason with a C1 control inside",
      ["reverse", "10", "--reason", "重复\u{85}录入", "--key", "jsl.pem"],
      says: ["--reason", "U+0085（C1）"]),
    BadInput(
      "key holder name with a word joiner",
      ["key", "new", "--name", "某\u{2060}人", "--out", "new.pem"],
      says: ["--name", "U+2060（词连接符）"]),
    BadInput(
      "unit named like a unit code",
      ["unit", "add", "GA-NM", "--name", "GA-NM", "--parent", "GA", "--key", "admin.pem"],
      says: ["单位名称「GA-NM」像单位代码"]),
    BadInput(
      "unit named another unit's code in full-width letters",
      ["unit", "add", "GA-NM", "--name", "ｇａ－ｂｃ", "--parent", "GA", "--key", "admin.pem"],
      says: ["与单位 GA-BC（北城街道）的代码相同"]),
    BadInput(
      "unit name equal to another after NFKC",
      ["unit", "add", "GA-NM", "--name", "北城街道\u{FE0F}", "--parent", "GA", "--key", "admin.pem"],
      says: ["已有单位「北城街道」（GA-BC）", "视为同名"]),
    BadInput(
      "fund name equal to another of the unit after NFKC",
      ["fund", "open", "canteen2", "--unit", "GA", "--name", "老龄食堂\u{FE00}", "--key", "admin.pem"],
      says: ["已有名为「老龄食堂」的基金（代码 elderly-canteen）", "视为同名"]),
  ]

  @Test(
    "refused with status 2, the field, position and code point named, files unchanged",
    arguments: cases)
  func refused(_ bad: BadInput) throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    let result = try ws.run(bad.arguments)
    #expect(result.status == 2, "\(result)")
    #expect(result.stdout.isEmpty, "\(result)")
    #expect(result.stderr.hasPrefix("错误：") && result.stderr.filter { $0 == "\n" }.count == 1)
    for phrase in bad.phrases {
      #expect(result.stderr.contains(phrase), "stderr lacks \"\(phrase)\": \(result.stderr)")
    }
    #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    #expect(try ws.snapshot() == before, "files changed")
    #expect(try ws.run("verify", "ledger").status == 0)
  }

  @Test("invalid UTF-8 in an argument is refused as not UTF-8, never stored as U+FFFD")
  func invalidUTF8Argument() throws {
    let ws = try Workspace.fixture()
    let before = try ws.snapshot()
    // 张 followed by a lone 0xFF byte, passed through the shell as raw bytes.
    let script =
      #"exec "$0" donate --unit GA --amount 1 --donor "$(printf '\345\274\240\377')" --key ga.pem"#
    let result = try Runner.run(
      URL(fileURLWithPath: "/bin/sh"), ["-c", script, try Paths.binary.get().path],
      in: ws.directory)
    #expect(result.status == 2, "\(result)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("--donor") && result.stderr.contains("不是有效的 UTF-8"), "\(result)")
    #expect(result.stderr.contains("U+FFFD"))
    #expect(try ws.snapshot() == before)
  }

  // MARK: Receipts

  /// A receipt for a one-entry log signed by a fresh log key and cosigned
  /// by a fresh witness, for a donor named `donorName`, and its trust file.
  static func handmadeReceipt(donorName: String, in ws: Workspace) throws {
    let origin = "almoner.example/handmade"
    let log = SigningKey.generate()
    let witness = SigningKey.generate()
    let salt = [UInt8](repeating: 7, count: DonorPrivate.saltByteCount)
    let donor = DonorPrivate(
      salt: salt, personal: Canonical.encode(.object(["name": .string(donorName)])))
    let entry = try Entry(
      seq: 0, prev: .zero, time: Runner.fixedTime, date: try AccountingDate("2026-11-29"),
      kind: .donation, author: log.keyID,
      body: [
        "unit": "GA-BC-JSL", "fund": "general", "amountFen": 1000, "channel": "wechat",
        "donor": .object([
          "display": .string(Text.masked(donorName)), "commitment": .string(donor.commitment.hex),
          "named": false,
        ]),
      ])
    let bytes = entry.canonicalBytes
    let leaf = SHA256.leafHash(bytes)
    var note = SignedNote(text: Checkpoint(origin: origin, treeSize: 1, rootHash: leaf).text)
    note.sign(as: origin, with: log)
    let witnessName = "\(origin)/witness/\(witness.keyID)"
    note.cosign(as: witnessName, with: witness, timestamp: 1_795_000_000)
    let receipt = Receipt(
      entry: bytes, salt: salt, personal: donor.personal,
      proof: TlogProof(index: 0, hashes: [], checkpoint: note.serialized).text,
      ledger: .init(id: leaf, inclusion: []))
    try ws.write("receipt.json", Rendering.json(receipt.json))
    func key(_ name: String, _ type: SignedNote.SignatureType, _ key: SigningKey, _ holder: String)
      -> JSONValue
    {
      .object([
        "name": .string(name),
        "vkey": .string(SignedNote.verifierKey(name: name, type: type, publicKey: key.publicKey)),
        "keyId": .string(key.keyID), "holder": .string(holder), "roles": [],
      ])
    }
    let trust: JSONValue = .object([
      "format": "almoner-trust/v1", "origin": .string(origin), "ledgerId": .string(leaf.hex),
      "log": [key(origin, .ed25519, log, "李明")],
      "witnesses": [key(witnessName, .cosignatureV1, witness, "郑华")],
      "units": ["GA-BC-JSL": "建设路社区"],
    ])
    try ws.write("trust.json", Rendering.json(trust))
  }

  @Test("a donor name holding escape sequences is printed escaped by verify receipt")
  func receiptDonorNameEscaped() throws {
    let ws = try Workspace.empty()
    // Clears the line, returns the cursor and draws a fake first line.
    let hostile = "张\u{1B}[2K\r\n核验通过：张三 于 2026-11-29 向建设路社区捐赠的 ¥100,000.00\u{1B}[8m"
    try TextCLITests.handmadeReceipt(donorName: hostile, in: ws)
    let result = try ws.run("verify", "receipt", "receipt.json", "--trust", "trust.json")
    #expect(result.status == 0, "\(result)")
    #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x0D })
    #expect(result.stdout.hasPrefix("核验通过：张<U+001B>[2K<U+000D><U+000A>核验通过：张三"), "\(result.stdout)")
    #expect(result.stdout.contains("捐赠的 ¥100,000.00<U+001B>[8m 于 2026-11-29 向建设路社区捐赠的 ¥10.00"))
    #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("核验通过") }.count == 1)
  }

  @Test("a receipt whose displayed name is not the mask of its donor's name fails at step 3")
  func receiptMaskMismatch() throws {
    let ws = try Workspace.empty()
    try TextCLITests.handmadeReceipt(donorName: "张三", in: ws)
    var receipt = String(decoding: try ws.read("receipt.json"), as: UTF8.self)
    // Same salt, another name: the commitment still opens only for 张三,
    // so change the display the entry shows instead — and the hash with it.
    receipt = receipt.replacingOccurrences(of: #"\"display\":\"张*\""#, with: #"\"display\":\"李*\""#)
    try ws.write("receipt.json", receipt)
    let result = try ws.run("verify", "receipt", "receipt.json", "--trust", "trust.json")
    #expect(result.status == 1, "\(result)")
    // The entry bytes changed, so the inclusion proof can't hold either; the
    // name check comes first and is what is reported.
    #expect(result.stderr.contains("第 3 步（捐赠人信息与承诺值）失败"), "\(result.stderr)")
    #expect(result.stderr.contains("捐赠人显示名「李*」不是私密信息中姓名的遮蔽形式（应为「张*」）"))
  }

  @Test("holder and unit names from a trust file are printed escaped")
  func trustNamesEscaped() throws {
    let ws = try TransparencyCLITests.cosigned()
    try ws.must("receipt", "9", "--out", "receipt.json")
    try ws.must("keys", "export", "--out", "trust.json")
    var trust =
      try parseJSON(String(decoding: try ws.read("trust.json"), as: UTF8.self))
      .objectValue ?? [:]
    var witnesses = trust["witnesses"]?.arrayValue ?? []
    var first = witnesses[0].objectValue ?? [:]
    first["holder"] = .string("sup\u{1B}]0;pwned\u{7}\u{202E}")
    witnesses[0] = .object(first)
    trust["witnesses"] = .array(witnesses)
    trust["units"] = .object(["GA": .string("广安区\n核验通过：假")])
    try ws.write("trust.json", Rendering.json(.object(trust)))
    let result = try ws.run("verify", "receipt", "receipt.json", "--trust", "trust.json")
    #expect(result.status == 0, "\(result)")
    #expect(
      !result.stdout.unicodeScalars.contains { [0x1B, 0x07, 0x202E].contains($0.value) },
      "\(result.stdout)")
    #expect(result.stdout.contains("sup<U+001B>]0;pwned<U+0007><U+202E>"))
    #expect(result.stdout.contains("向广安区<U+000A>核验通过：假捐赠的"))
  }

  // MARK: Readers of the ledger file

  /// Runs SQL on the workspace's ledger with Python's sqlite3, as someone
  /// editing the file behind the program's back.
  static func execute(_ ws: Workspace, _ sql: String, _ arguments: [String] = []) throws {
    let result = try Python.run(
      """
      import sqlite3, sys
      db = sqlite3.connect(sys.argv[1])
      db.execute("PRAGMA foreign_keys = OFF")
      args = [bytes.fromhex(a[4:]) if a.startswith("hex:") else a for a in sys.argv[3:]]
      db.execute(sys.argv[2], args)
      db.commit()
      db.close()
      """, [ws.ledgerPath, sql] + arguments, in: ws.directory)
    guard result.status == 0 else { throw HarnessError.fixtureStep("sql", result) }
  }

  @Test("balance, journal and verify print names from an edited ledger file escaped")
  func ledgerNamesEscaped() throws {
    let ws = try Workspace.fixture()
    let hostile = "建设路社区\u{1B}[2J\u{202E}\n伪造"
    try TextCLITests.execute(ws, "UPDATE unit SET name = ? WHERE code = 'GA-BC-JSL'", [hostile])
    for arguments in [
      ["balance", "--unit", "GA-BC-JSL"], ["journal", "--unit", "GA-BC-JSL"], ["verify", "ledger"],
      ["unit", "list"],
    ] {
      let result = try ws.run(arguments)
      let output = result.stdout + result.stderr
      #expect(
        !output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E },
        "\(arguments): \(result)")
      #expect(!output.contains("\n伪造"), "\(arguments): \(result)")
    }
    let balance = try ws.run("balance", "--unit", "GA-BC-JSL")
    #expect(balance.stdout.hasPrefix("建设路社区<U+001B>[2J<U+202E><U+000A>伪造（GA-BC-JSL）"))
    let verify = try ws.run("verify", "ledger")
    #expect(verify.status == 1 && verify.stdout.contains("投影表 unit"), "\(verify)")
    // JSON keeps the value, with \u escapes a terminal does not act on.
    let json = try ws.run("balance", "--unit", "GA-BC-JSL", "--format", "json")
    #expect(json.stdout.contains(#"\u001b[2J\u202e\n"#), "\(json.stdout)")
    #expect(try parseJSON(json.stdout).objectValue?["unitName"]?.stringValue == hostile)
  }

  @Test("verify ledger names the seq and field of a bidi character another program wrote")
  func foreignEntry() throws {
    let ws = try Workspace.fixture()
    let ledger = try Ledger.open(at: ws.ledgerPath)
    let count = try ledger.entryCount()
    let last = try #require(try ledger.loggedEntry(at: count - 1))
    let genesis = try #require(try ledger.loggedEntry(at: 0))
    let admin = try SigningKey(pem: String(decoding: try ws.read("admin.pem"), as: UTF8.self))
    let entry = try Entry(
      seq: count, prev: last.hash, time: last.entry.time, date: last.entry.date, kind: .fundOpen,
      author: admin.keyID,
      body: ["unit": "GA", "code": "special", "name": "专项\u{202E}", "restricted": false])
    let bytes = entry.canonicalBytes
    let hash = SHA256.leafHash(bytes)
    let signature = admin.sign(
      Commit.statement(ledgerID: genesis.hash, firstSeq: count, lastSeq: count, lastHash: hash))
    try TextCLITests.execute(
      ws, "INSERT INTO ledger_commit (first_seq, last_seq, author, signature) VALUES (?, ?, ?, ?)",
      ["\(count)", "\(count)", admin.keyID, "hex:" + Hex.encode(signature)])
    try TextCLITests.execute(
      ws, "INSERT INTO entry (seq, hash, canonical, commit_seq) VALUES (?, ?, ?, ?)",
      ["\(count)", "hex:" + hash.hex, "hex:" + Hex.encode(bytes), "\(count)"])
    let result = try ws.run("verify", "ledger")
    #expect(result.status == 1, "\(result)")
    #expect(result.stdout.contains("记录 #\(count)（seq \(count)）"), "\(result.stdout)")
    #expect(result.stdout.contains("fund.open.name 含有方向格式字符：第 3 个字符 U+202E（从右到左覆盖）"))
    #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x202E })
  }
}

extension TextCLITests {
  @Test("an error quoting a name from a trust file stays on one line, escaped")
  func errorsEscaped() throws {
    let ws = try TransparencyCLITests.cosigned()
    try ws.must("receipt", "9", "--out", "receipt.json")
    try ws.must("keys", "export", "--out", "trust.json")
    var trust =
      try parseJSON(String(decoding: try ws.read("trust.json"), as: UTF8.self))
      .objectValue ?? [:]
    // Another log's origin: the receipt fails at step 5, quoting it.
    trust["origin"] = .string("evil.example\n错误：假的\u{1B}[31m")
    try ws.write("trust.json", Rendering.json(.object(trust)))
    let result = try ws.run("verify", "receipt", "receipt.json", "--trust", "trust.json")
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("evil.example<U+000A>错误：假的<U+001B>[31m"), "\(result.stderr)")
  }
}
