import AlmonerKit
import Foundation
import Testing

/// The statement of the existing statement CLI tests (建设路社区, 2026-10,
/// two gifts), countersigned by the street's supervisor, with the trust
/// file, and the ledger deleted: all a resident holds.
private func residentsCopy() throws -> Workspace {
  let ws = try TransparencyCLITests.cosigned()
  try ws.must(
    "statement", "create", "--unit", "GA-BC-JSL", "--period", "2026-10", "--key", "jsl.pem",
    "--out", "jsl-2026-10.json")
  try ws.must("statement", "cosign", "jsl-2026-10.json", "--key", "sup-street.pem")
  try ws.must("keys", "export", "--out", "trust.json")
  for suffix in ["", "-wal", "-shm"] {
    try? FileManager.default.removeItem(atPath: ws.ledgerPath + suffix)
  }
  return ws
}

@Suite("CLI: public statements checked without Almoner")
struct StatementScriptCLITests {
  static let script = Paths.packageRoot.appendingPathComponent("scripts/verify_statement.py").path

  static func check(_ ws: Workspace, _ file: String) throws -> CLIResult {
    guard let python = Python.executable else {
      throw HarnessError.unexpectedOutput("python3 not found")
    }
    return try Runner.run(python, [script, file, "--trust", "trust.json"], in: ws.directory)
  }

  @Test(
    "verify_statement.py passes a real statement and fails tampered ones, naming the check",
    .enabled(if: Python.has("cryptography"), "needs python3 with cryptography"))
  func script() throws {
    let ws = try residentsCopy()
    let good = try Self.check(ws, "jsl-2026-10.json")
    #expect(good.status == 0, "\(good)")
    #expect(good.stdout.hasPrefix("statement ok: 建设路社区 (GA-BC-JSL) 2026-10: "))
    #expect(good.stdout.contains("countersigned by sup-street"))

    let text = String(decoding: try ws.read("jsl-2026-10.json"), as: UTF8.self)
    func tampered(_ name: String, _ edit: (String) -> String) throws -> CLIResult {
      let changed = edit(text)
      #expect(changed != text, "the edit \(name) changed nothing")
      try ws.write(name, changed)
      return try Self.check(ws, name)
    }
    // A figure changed, the hash left as it was.
    let figure = try tampered("figure.json") {
      $0.replacingOccurrences(of: "\"cash\":20000", with: "\"cash\":20001")
    }
    #expect(figure.status == 1)
    #expect(figure.stdout.hasPrefix("FAIL: hash: "))
    // A figure changed and the hash recomputed: the signatures no longer match,
    // and with the signatures also dropped, the totals don't.
    func rehashed(_ statement: JSONObject, signatures: Bool) throws -> String {
      var file = try #require(JSONValue.parse(Array(text.utf8)).objectValue)
      file["statement"] = .object(statement)
      file["hash"] = .string(SHA256.hash(Canonical.encode(.object(statement))).hex)
      if !signatures { file["signatures"] = .array([]) }
      return String(decoding: Canonical.encode(.object(file)), as: UTF8.self)
    }
    let raisedText = text.replacingOccurrences(of: "\"cash\":20000", with: "\"cash\":20001")
    let raised = try #require(
      JSONValue.parse(Array(raisedText.utf8)).objectValue?["statement"]?.objectValue)
    var renamed = try #require(
      JSONValue.parse(Array(text.utf8)).objectValue?["statement"]?.objectValue)
    renamed["origin"] = .string("almoner/elsewhere")
    try ws.write("resigned.json", try rehashed(renamed, signatures: true))
    let resigned = try Self.check(ws, "resigned.json")
    #expect(resigned.status == 1)
    #expect(resigned.stdout.hasPrefix("FAIL: ledger: "), "\(resigned)")
    var retitled = try #require(
      JSONValue.parse(Array(text.utf8)).objectValue?["statement"]?.objectValue)
    retitled["supersedes"] = .object([
      "hash": .string(String(repeating: "0", count: 64)), "reason": .string("x"),
    ])
    try ws.write("retitled.json", try rehashed(retitled, signatures: true))
    let retitledResult = try Self.check(ws, "retitled.json")
    #expect(retitledResult.status == 1)
    #expect(
      retitledResult.stdout.contains("signature 1 (王芳): the signature is not valid"),
      "\(retitledResult)")
    try ws.write("raised.json", try rehashed(raised, signatures: true))
    let raisedResult = try Self.check(ws, "raised.json")
    #expect(raisedResult.status == 1)
    #expect(
      raisedResult.stdout.hasPrefix(
        "FAIL: totals: fund general (非定向基金) donationsFen.cash: the statement says 20001 fen, the lines add up to 20000"
      ), "\(raisedResult)")
    let original = try #require(
      JSONValue.parse(Array(text.utf8)).objectValue?["statement"]?.objectValue)
    try ws.write("unsigned.json", try rehashed(original, signatures: false))
    let unsigned = try Self.check(ws, "unsigned.json")
    #expect(unsigned.status == 1)
    #expect(unsigned.stdout.hasPrefix("FAIL: signatures: no treasurer"), "\(unsigned)")
    // An entry's bytes changed: its inclusion proof fails.
    let entry = try tampered("entry.json") {
      $0.replacingOccurrences(of: "\\\"amountFen\\\":20000", with: "\\\"amountFen\\\":20001")
    }
    #expect(entry.status == 1)
    #expect(entry.stdout.hasPrefix("FAIL: hash: ") || entry.stdout.contains("inclusion proof"))
  }
}

@Suite("CLI: statement render")
struct StatementRenderCLITests {
  @Test("text: the notice board, CJK-aligned, with the figures and signers")
  func text() throws {
    let ws = try residentsCopy()
    let result = try ws.run("statement", "render", "jsl-2026-10.json")
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.hasPrefix("建设路社区（GA-BC-JSL）2026年10月公示报表\n期间：2026-10-01 至 2026-10-31\n"))
    #expect(
      result.stdout.contains(
        """
        各基金收支
          基金                   期初余额    收入  支出  期末余额
          非定向基金（general）      0.00  288.80  0.00    288.80

        非定向基金（general）
          期初余额           0.00
          捐赠收入·支付宝   88.80
          捐赠收入·现金    200.00
          期末余额         288.80

        明细
          序号  日期        类别  金额（元）  说明
            10  2026-10-02  捐赠      200.00  王** · 现金
            11  2026-10-15  捐赠       88.80  李* · 支付宝

        签发（记账员）：王芳（ed25519:
        """), "\(result.stdout)")
    #expect(result.stdout.contains("签发（记账员）：王芳"))
    #expect(result.stdout.contains("会签（监督员）：sup-street"))
    #expect(result.stdout.contains("almoner verify statement"))
    #expect(result.stdout.contains("scripts/verify_statement.py"))
    let english = try ws.run("statement", "render", "jsl-2026-10.json", "--lang", "en")
    #expect(english.stdout.hasPrefix("Public statement of 建设路社区 (GA-BC-JSL), 2026-10\n"))
    let bad = try ws.run("statement", "render", "jsl-2026-10.json", "--format", "pdf")
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("应为 text、md 或 html"))
  }

  @Test("md holds the fund table; html parses, draws SVG charts and loads nothing")
  func markdownAndHTML() throws {
    let ws = try residentsCopy()
    let md = try ws.run("statement", "render", "jsl-2026-10.json", "--format", "md")
    #expect(md.status == 0, "\(md)")
    #expect(
      md.stdout.contains("| 基金 | 期初余额 | 收入 | 支出 | 期末余额 |\n| --- | ---: | ---: | ---: | ---: |\n"))
    #expect(md.stdout.contains("| 非定向基金（general） | 0.00 | 288.80 | 0.00 | 288.80 |"))

    let html = try ws.run("statement", "render", "jsl-2026-10.json", "--format", "html")
    #expect(html.status == 0, "\(html)")
    #expect(html.stdout.contains("<svg"))
    #expect(html.stdout.contains("@media print"))
    #expect(!html.stdout.lowercased().contains("http"))
    #expect(!html.stdout.contains("<script"))
    try ws.write("page.html", html.stdout)
    let parsed = try Python.run(
      """
      import sys
      from html.parser import HTMLParser
      VOID = {"meta", "br", "img", "hr", "link", "input"}
      class Check(HTMLParser):
          def __init__(self):
              super().__init__()
              self.stack, self.svgs, self.bars = [], 0, 0
          def handle_starttag(self, tag, attrs):
              if tag == "svg": self.svgs += 1
              if tag == "rect": self.bars += 1
              if tag not in VOID: self.stack.append(tag)
          def handle_endtag(self, tag):
              if not self.stack or self.stack.pop() != tag: sys.exit("unbalanced </%s>" % tag)
      check = Check()
      check.feed(open(sys.argv[1], encoding="utf-8").read())
      check.close()
      if check.stack: sys.exit("unclosed: %s" % check.stack)
      print(check.svgs, check.bars)
      """, ["page.html"], in: ws.directory)
    #expect(parsed.status == 0, "\(parsed)")
    #expect(parsed.stdout == "2 2\n")
  }

  @Test("renderings escape what the file says and name no donor who did not consent")
  func escapingAndPrivacy() throws {
    let ws = try residentsCopy()
    for format in ["text", "md", "html"] {
      let out = try ws.run("statement", "render", "jsl-2026-10.json", "--format", format)
      #expect(out.status == 0)
      for name in ["王小明", "李四", "张三"] {
        #expect(!out.stdout.contains(name), "\(format) names \(name)")
      }
      let masked = format == "md" ? "李\\* · 支付宝" : "李* · 支付宝"
      #expect(out.stdout.contains(masked), "\(format)")
    }
    // Markup in the file (a unit name edited after signing: render does not verify).
    let text = String(decoding: try ws.read("jsl-2026-10.json"), as: UTF8.self)
    try ws.write(
      "markup.json",
      text.replacingOccurrences(
        of: "\"name\":\"建设路社区\"", with: "\"name\":\"<img src=x onerror=alert(1)>|*\\u202e\""))
    let html = try ws.run("statement", "render", "markup.json", "--format", "html")
    #expect(html.status == 0, "\(html)")
    #expect(!html.stdout.contains("<img"))
    #expect(html.stdout.contains("&lt;img src=x onerror=alert(1)&gt;"))
    #expect(!html.stdout.unicodeScalars.contains("\u{202E}"))
    let md = try ws.run("statement", "render", "markup.json", "--format", "md")
    #expect(md.stdout.contains("\\<img src=x onerror=alert(1)\\>\\|\\*"))
    let plain = try ws.run("statement", "render", "markup.json")
    #expect(!plain.stdout.unicodeScalars.contains("\u{202E}"))
  }
}
