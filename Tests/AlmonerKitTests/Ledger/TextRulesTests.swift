import AlmonerKit
import Foundation
import GRDB
import Testing

/// Security review item 9 in the ledger rules: text that lies on screen is
/// refused when written and when replayed, names are unique after NFKC, the
/// displayed donor name is the mask of the committed one, and what the
/// ledger file says is printed escaped.
@Suite("Text rules: refused characters, unique names, displayed names")
struct TextRulesTests {
  // MARK: Written through the library

  @Test("bidi, zero-width, BOM and control characters are refused in every text field")
  func refusedOnInput() throws {
    let f = try Fixture()
    try expectRefused(
      f, code: .textCharacterRefused, containing: "--name 含有不可见的格式字符：第 6 个字符 U+200B（零宽空格）"
    ) {
      try f.ledger.addUnit(
        code: "GA-BC-JSL2", name: "建设路社区\u{200B}", parent: "GA-BC", signer: f.admin)
    }
    try expectRefused(
      f, code: .textCharacterRefused, containing: "--name 含有方向格式字符：第 3 个字符 U+202E（从右到左覆盖）"
    ) {
      try f.ledger.openFund(
        unit: "GA", code: "special", name: "专项\u{202E}", restricted: false, purpose: nil,
        signer: f.admin)
    }
    try expectRefused(f, code: .textCharacterRefused, containing: "--purpose 含有方向格式字符") {
      try f.ledger.openFund(
        unit: "GA", code: "special", name: "专项", restricted: true, purpose: "助老\u{2067}",
        signer: f.admin)
    }
    try expectRefused(
      f, code: .textCharacterRefused, containing: "--donor 含有不可见的格式字符：第 1 个字符 U+FEFF"
    ) {
      try f.donate("10", donor: "\u{FEFF}张三")
    }
    try expectRefused(
      f, code: .textCharacterRefused, containing: "--donor 含有控制字符：第 2 个字符 U+001B（转义符 ESC）"
    ) {
      try f.donate("10", donor: "张\u{1B}[31m三")
    }
    try expectRefused(f, code: .textCharacterRefused, containing: "--name 含有替换字符") {
      try f.ledger.addMember(
        unit: "GA", role: .treasurer, name: "王\u{FFFD}", publicKey: SigningKey.generate().publicKey,
        signer: f.admin)
    }
    try expectRefused(f, code: .textCharacterRefused, containing: "--ref 含有控制字符") {
      try f.ledger.donate(
        DonationInput(
          unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "张三", reference: "A\u{9}B"),
        signer: f.communityTreasurer)
    }
    let donation = try f.donate("1")
    try expectRefused(f, code: .textCharacterRefused, containing: "--reason 含有不可见的格式字符") {
      try f.ledger.reverse(seq: donation.seq, reason: "录错\u{2060}", signer: f.communityTreasurer)
    }
  }

  @Test("unit names are unique after NFKC and may not be, or look like, a unit code")
  func uniqueUnitNames() throws {
    let f = try Fixture()
    try expectRefused(f, code: .unitNameTaken) {
      try f.ledger.addUnit(code: "GA-NM", name: "北城街道", parent: "GA", signer: f.admin)
    }
    try expectRefused(f, code: .unitNameTaken) {
      try f.ledger.addUnit(
        code: "GA-BC-X", name: "建设路社区\u{FE00}", parent: "GA-BC", signer: f.admin)
    }
    try expectRefused(f, code: .unitNameLikeCode) {
      try f.ledger.addUnit(code: "GA-X", name: "GA-NM", parent: "GA", signer: f.admin)
    }
    try expectRefused(f, code: .unitNameLikeCode) {
      try f.ledger.addUnit(code: "GA-X", name: "ＧＡ－ＢＣ", parent: "GA", signer: f.admin)
    }
    try expectRefused(f, code: .unitNameIsCode) {
      try f.ledger.addUnit(code: "GA-X", name: "ga-bc", parent: "GA", signer: f.admin)
    }
    try f.ledger.addUnit(code: "GA-NM", name: "nm-street", parent: "GA", signer: f.admin)
    try expectRefused(f, code: .unitCodeIsName) {
      try f.ledger.addUnit(code: "NM-STREET", name: "南门", parent: "GA", signer: f.admin)
    }
    try f.ledger.addUnit(code: "GA-DS", name: "东山街道", parent: "GA", signer: f.admin)
    #expect(try f.ledger.verify().isClean)
  }

  @Test("fund names are unique within their unit after NFKC, and are not fund codes")
  func uniqueFundNames() throws {
    let f = try Fixture()
    try expectRefused(f, code: .fundNameTaken) {
      try f.ledger.openFund(
        unit: "GA", code: "canteen2", name: "老龄食堂\u{FE01}", restricted: false, purpose: nil,
        signer: f.admin)
    }
    try f.ledger.openFund(
      unit: "GA", code: "abc", name: "ABC 基金", restricted: false, purpose: nil, signer: f.admin)
    try expectRefused(f, code: .fundNameTaken) {
      try f.ledger.openFund(
        unit: "GA", code: "abc2", name: "ａｂｃ　　基金", restricted: false, purpose: nil,
        signer: f.admin)
    }
    try expectRefused(f, code: .fundNameIsCode) {
      try f.ledger.openFund(
        unit: "GA", code: "x", name: "Elderly-Canteen", restricted: false, purpose: nil,
        signer: f.admin)
    }
    // The same name in another unit is another fund.
    try f.ledger.openFund(
      unit: "GA-BC", code: "canteen", name: "老龄食堂", restricted: false, purpose: nil,
      signer: f.admin)
    #expect(try f.ledger.verify().isClean)
  }

  @Test("personal data that does not match the displayed name is refused when written")
  func maskCheckedOnAppend() throws {
    let f = try Fixture()
    let donor = DonorPrivate(name: "张三")
    try expectRefused(f, code: .personalDataInvalid, containing: "捐赠人显示名「李*」不是私密信息中姓名的遮蔽形式（应为「张*」）")
    {
      try f.ledger.commit(signer: f.communityTreasurer) { _ throws(AlmonerError) in
        [
          try EntryDraft(
            kind: .donation, body: ForeignEntries.donation(display: "李*", donor: donor),
            donorPrivate: donor)
        ]
      }
    }
    try expectRefused(f, code: .personalDataInvalid, containing: "捐赠人私密信息中的姓名含有控制字符") {
      let hostile = DonorPrivate(name: "张\u{1B}[2K")
      try f.ledger.commit(signer: f.communityTreasurer) { _ throws(AlmonerError) in
        [
          try EntryDraft(
            kind: .donation,
            body: ForeignEntries.donation(display: Text.masked("张\u{1B}[2K"), donor: hostile),
            donorPrivate: hostile)
        ]
      }
    }
  }

  // MARK: Written by another program, found by verify

  @Test(
    "verify ledger refuses text another program wrote, naming the seq and the field",
    arguments: [
      (EntryKind.fundOpen, "fund.open.name", "U+202E"),
      (.unitAdd, "unit.add.name", "U+200B"),
      (.donation, "donation.donor.display", "U+001B"),
      (.memberGrant, "member.grant.name", "U+FFFD"),
    ])
  func refusedOnReplay(_ kind: EntryKind, _ field: String, _ codePoint: String) throws {
    let f = try Fixture()
    let body: JSONObject
    let signer: SigningKey
    var donor: DonorPrivate?
    switch kind {
    case .fundOpen:
      body = [
        "unit": "GA", "code": "special", "name": "专项\u{202E}", "restricted": false,
      ]
      signer = f.admin
    case .unitAdd:
      body = ["code": "GA-BC-X", "name": "建设路社区\u{200B}", "parent": "GA-BC", "tier": "community"]
      signer = f.admin
    case .donation:
      let named = DonorPrivate(name: "张\u{1B}[31m")
      donor = named
      body = ForeignEntries.donation(display: "张\u{1B}[31m", named: true, donor: named)
      signer = f.communityTreasurer
    default:
      let key = SigningKey.generate().publicKey
      body = [
        "unit": "GA", "role": "treasurer", "name": "王\u{FFFD}",
        "publicKey": .string(Data(key.raw).base64EncodedString()), "keyId": .string(key.keyID),
      ]
      signer = f.admin
    }
    let seq = try ForeignEntries.append(
      to: f.path, kind: kind, body: body, signer: signer, donor: donor)
    let report = try Ledger.open(at: f.path).verify()
    let problem = try #require(report.problems.last)
    #expect(problem.seq == seq, "\(report.problems)")
    #expect(problem.message.contains(field) && problem.message.contains(codePoint), "\(problem)")
    #expect(report.lastVerifiedSeq == seq - 1)
  }

  @Test("verify ledger refuses a duplicate fund name another program wrote")
  func duplicateNameOnReplay() throws {
    let f = try Fixture()
    let seq = try ForeignEntries.append(
      to: f.path, kind: .fundOpen,
      body: ["unit": "GA", "code": "canteen2", "name": "老龄食堂\u{FE00}", "restricted": false],
      signer: f.admin)
    let report = try Ledger.open(at: f.path).verify()
    #expect(report.problems.first?.seq == seq)
    #expect(report.problems.first?.message.contains("视为同名") == true, "\(report.problems)")
  }

  @Test("verify ledger checks the displayed name is the mask of the committed name")
  func maskCheckedOnVerify() throws {
    for (display, named, name, phrase) in [
      ("李*", false, "张三", "捐赠人显示名「李*」不是私密信息中姓名的遮蔽形式（应为「张*」）"),
      ("张**", false, "张三", "应为「张*」"),
      ("张*", true, "张三", "捐赠人同意署名（named），但记录中的显示名「张*」与私密信息中的姓名不同"),
      ("王*", false, "王\u{202E}", "捐赠人私密信息中的姓名含有方向格式字符：第 2 个字符 U+202E"),
    ] {
      let f = try Fixture()
      let donor = DonorPrivate(name: name)
      let seq = try ForeignEntries.append(
        to: f.path, kind: .donation,
        body: ForeignEntries.donation(display: display, named: named, donor: donor),
        signer: f.communityTreasurer, donor: donor)
      let report = try Ledger.open(at: f.path).verify()
      #expect(
        report.problems.contains { $0.seq == seq && $0.message.contains(phrase) },
        "\(display) \(name): \(report.problems)")
      #expect(!report.problems.contains { $0.message.contains(name) && named == false })
    }
  }

  @Test("a payee's displayed name is checked against the payee's personal data too")
  func payeeMask() throws {
    let f = try Fixture()
    try f.donate("100")
    let payee = DonorPrivate(name: "李桂兰")
    let seq = try ForeignEntries.append(
      to: f.path, kind: .disbursementRequest,
      body: [
        "unit": "GA-BC-JSL", "fund": "general", "amountFen": 100, "category": "poverty",
        "purpose": "临时救助",
        "payee": .object([
          "display": "李*", "person": true, "commitment": .string(payee.commitment.hex),
        ]),
      ], signer: f.communityTreasurer, donor: payee)
    let report = try Ledger.open(at: f.path).verify()
    #expect(
      report.problems.contains {
        $0.seq == seq && $0.message.contains("收款人显示名「李*」不是私密信息中姓名的遮蔽形式（应为「李**」）")
      }, "\(report.problems)")
  }

  // MARK: Shown escaped

  @Test("balance, journal and verify show names from a tampered file escaped")
  func renderingEscapes() throws {
    let f = try Fixture()
    try f.donate("10")
    let db = try DatabaseQueue(path: f.path)
    try db.write {
      try $0.execute(
        sql: "UPDATE unit SET name = ? WHERE code = 'GA-BC-JSL'",
        arguments: ["建设\u{1B}[2J\n路社区\u{202E}"])
    }
    let ledger = try Ledger.open(at: f.path)
    let balance = Rendering.balanceText(try ledger.balances(unit: "GA-BC-JSL", asOf: nil))
    #expect(!balance.contains("\u{1B}") && !balance.contains("\u{202E}"))
    #expect(balance.hasPrefix("建设<U+001B>[2J<U+000A>路社区<U+202E>（GA-BC-JSL）"))
    let verification = Rendering.verificationText(try ledger.verify())
    #expect(verification.contains("投影表 unit"))
    #expect(!verification.contains("\u{1B}") && !verification.contains("\u{202E}"))
    #expect(verification.split(separator: "\n").allSatisfy { !$0.hasPrefix("路社区") })
    let units = Rendering.unitTreeText(try ledger.state())
    #expect(!units.contains("\u{1B}") && units.contains("<U+001B>"))
  }
}

@Suite("Text from files is decoded strictly")
struct StrictDecodingTests {
  @Test("a verifier-key file that is not valid UTF-8 is refused, not repaired")
  func trustBundleUTF8() throws {
    let key = SigningKey.generate()
    let line = SignedNote.verifierKey(
      name: "almoner.example/test", type: .ed25519, publicKey: key.publicKey)
    let bytes = Array("# 公钥 \u{FFFF}".utf8).dropLast(3) + [0xFF, 0x0A] + Array((line + "\n").utf8)
    #expect {
      try TrustBundle(parsing: Array(bytes))
    } throws: { ($0 as? AlmonerError)?.message.contains("不是有效的 UTF-8") == true }
    #expect(try TrustBundle(parsing: Array((line + "\n").utf8)).logKeys.count == 1)
  }
}
