import AlmonerKit
import Foundation
import GRDB
import Testing

/// Security issue 7, items 5–7: signed notes parsed byte for byte, strictly
/// increasing cosignature timestamps, the witness quorum and ledger id of
/// receipts, and what `verify ledger` can and can't say about its own tail.
@Suite("Signed-note bytes, witness quorum, ledger id, truncation")
struct WitnessTests {
  typealias Witnessed = TransparencyTests.Witnessed

  static let origin = "almoner.example/test"

  /// A well-formed signature line from a key nobody knows, whose name
  /// starts with U+0301 COMBINING ACUTE ACCENT: after the space, Swift's
  /// grapheme clusters merge the space and the mark.
  static let combiningMarkLine =
    "— \u{301}evil.example/w "
    + Data([0xDE, 0xAD, 0xBE, 0xEF] + Array(repeating: 7, count: 72))
    .base64EncodedString() + "\n"

  /// A ledger with a checkpoint cosigned by its street supervisor (or by no
  /// one), a receipt for donation 14 and the trust file as residents get it.
  struct Issued {
    let witnessed: Witnessed
    let checkpoint: SignedNote
    let receipt: Receipt
    let trustFile: [UInt8]
    var trust: TrustBundle { get throws { try TrustBundle(parsing: trustFile) } }

    init(cosigners: Int = 1, quorum: Int = 1) throws {
      witnessed = try Witnessed()
      let ledger = witnessed.fixture.ledger
      var note = try ledger.createCheckpoint(signer: witnessed.fixture.admin).note
      let supervisors = [witnessed.fixture.supervisor, witnessed.districtSupervisor]
      for supervisor in supervisors.prefix(cosigners) {
        var memory = WitnessMemory()
        note = try ledger.cosignCheckpoint(
          note.serialized, signer: supervisor, memory: &memory, now: 1_800_000_000
        ).note
      }
      checkpoint = note
      receipt = try ledger.receipt(seq: 14)
      trustFile = Canonical.encode(try ledger.trustBundle(witnessQuorum: quorum).json)
    }

    /// The receipt with its proof's checkpoint replaced by `note`.
    func receipt(withCheckpoint note: String) throws -> Receipt {
      let proof = try #require(receipt.proof)
      let blank = try #require(proof.range(of: "\n\n"))
      var changed = receipt
      changed.proof = String(proof[..<blank.upperBound]) + note
      return changed
    }
  }

  // MARK: Item 6: signed notes, byte for byte

  @Test(
    "an unknown key's line whose name starts with a combining mark is ignored, as the spec says")
  func combiningMarkUnknownLine() throws {
    let issued = try Issued()
    let note = issued.checkpoint.serialized
    let withMark = note + WitnessTests.combiningMarkLine
    let parsed = try SignedNote(parsing: withMark)
    #expect(parsed.text == issued.checkpoint.text)
    #expect(parsed.signatures.count == issued.checkpoint.signatures.count + 1)
    #expect(parsed.signatures.last!.name.utf8.starts(with: [0xCC, 0x81]))
    let admin = issued.witnessed.fixture.admin.publicKey
    #expect(parsed.logSignature(name: WitnessTests.origin, publicKey: admin) == true)

    // In a receipt, the line is put first, in the middle and last: it verifies every time.
    let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
    let blank = try #require(lines.firstIndex(of: ""))
    var placements = [withMark]
    for at in [blank + 1, blank + 2] {
      var changed = lines.map(String.init)
      changed.insert(String(WitnessTests.combiningMarkLine.dropLast()), at: at)
      placements.append(changed.joined(separator: "\n"))
    }
    for placed in placements {
      let receipt = try issued.receipt(withCheckpoint: placed)
      let verified = try Receipt(parsing: Canonical.encode(receipt.json))
        .verify(trust: try issued.trust)
      #expect(verified.entry.seq == 14)
      #expect(verified.cosigners == ["郑华"])
    }
  }

  @Test("lines of unknown keys are ignored; malformed lines and names with spaces are not")
  func unknownAndMalformedLines() throws {
    let issued = try Issued()
    let note = issued.checkpoint.serialized
    let stranger = SigningKey.generate()
    var foreign = SignedNote(text: issued.checkpoint.text)
    // Same name as the log, another key: an unknown key, ignored.
    foreign.sign(as: WitnessTests.origin, with: stranger)
    // A cosigner nobody trusts.
    foreign.cosign(as: "other.example/witness", with: stranger, timestamp: 9)
    let extra = foreign.signatures.map(\.line).joined()
    let receipt = try issued.receipt(withCheckpoint: note + extra)
    let verified = try receipt.verify(trust: try issued.trust)
    #expect(verified.cosigners == ["郑华"])
    #expect(verified.logSigner == "李明")

    // A signature line is "— name base64": anything else makes the note malformed.
    let base64 = Data(Array(repeating: UInt8(1), count: 68)).base64EncodedString()
    for bad in [
      "— \(base64)\n", "—  x \(base64)\n", "- x \(base64)\n", "— a+b \(base64)\n",
      "— a\u{A0}b \(base64)\n", "— a\u{3000}b \(base64)\n", "— x AAAA\n", "— x \(base64) y\n",
      "— x not-base64!\n",
    ] {
      #expect(throws: AlmonerError.self, "\(bad.debugDescription) was accepted") {
        try SignedNote(parsing: note + bad)
      }
    }
    // Names compare byte for byte: "K" and the Kelvin sign U+212A are
    // canonically equivalent in Swift, but not the same key name.
    let key = SigningKey.generate()
    var kelvin = SignedNote(text: "x\n")
    kelvin.sign(as: "example.com/K", with: key)
    let renamed = try SignedNote(
      parsing: kelvin.serialized.replacingOccurrences(of: "/K ", with: "/\u{212A} "))
    #expect(renamed.logSignature(name: "example.com/K", publicKey: key.publicKey) == nil)
  }

  @Test("checkpoint extension lines are accepted, kept and signed; empty ones are not")
  func extensionLines() throws {
    let root = SHA256.hash([1, 2, 3])
    let base = "example.com/log\n7\n\(Data(root.bytes).base64EncodedString())\n"
    let checkpoint = try Checkpoint(text: base + "ext one\nzwei\n")
    #expect(checkpoint.extensionLines == ["ext one", "zwei"])
    #expect(checkpoint.treeSize == 7 && checkpoint.rootHash == root)
    #expect(checkpoint.text == base + "ext one\nzwei\n")
    #expect(try Checkpoint(text: base).extensionLines.isEmpty)
    for bad in [
      base + "\n", base + "ext\n\nmore\n", "example.com/log\n07\nAAAA\n", "example.com/log\n+7\n",
      "\n7\n\(Data(root.bytes).base64EncodedString())\n", String(base.dropLast()),
    ] {
      #expect(throws: AlmonerError.self, "\(bad.debugDescription) was accepted") {
        try Checkpoint(text: bad)
      }
    }

    // A receipt whose checkpoint carries extension lines, signed and cosigned
    // over them, verifies.
    let issued = try Issued()
    let fixture = issued.witnessed.fixture
    var note = SignedNote(text: issued.checkpoint.text + "almoner.example/extension\n")
    note.sign(as: WitnessTests.origin, with: fixture.admin)
    let state = try fixture.ledger.state()
    note.cosign(
      as: state.witnessName(keyID: fixture.supervisor.keyID), with: fixture.supervisor,
      timestamp: 1_800_000_005)
    let receipt = try issued.receipt(withCheckpoint: note.serialized)
    let verified = try receipt.verify(trust: try issued.trust)
    #expect(verified.checkpoint.extensionLines == ["almoner.example/extension"])
    #expect(verified.cosigners == ["郑华"])
  }

  // MARK: Item 6: cosignature timestamps

  @Test(
    "two cosigns in the same second get strictly increasing timestamps, remembered beside the key")
  func cosignTimestampsIncrease() throws {
    let witnessed = try Witnessed()
    let ledger = witnessed.fixture.ledger
    let supervisor = witnessed.districtSupervisor
    let name = try ledger.state().witnessName(keyID: supervisor.keyID)
    let now: UInt64 = 1_800_000_000
    var memory = WitnessMemory()
    var timestamps: [UInt64] = []
    for round in 0..<3 {
      try witnessed.fixture.donate("1")
      let note = try ledger.createCheckpoint(signer: witnessed.fixture.admin).note
      // The third time the supervisor has lost their memory file: the
      // ledger's own record still moves the timestamp on.
      if round == 2 { memory = WitnessMemory() }
      let cosigned = try ledger.cosignCheckpoint(
        note.serialized, signer: supervisor, memory: &memory, now: now)
      let timestamp = try #require(
        cosigned.note.cosignature(name: name, publicKey: supervisor.publicKey))
      #expect(timestamp.valid)
      timestamps.append(timestamp.timestamp)
      #expect(memory.seen[WitnessTests.origin]?.timestamp == timestamp.timestamp)
    }
    #expect(timestamps == [now, now + 1, now + 2])
    // The memory file keeps the timestamp.
    let path = witnessed.fixture.directory.path("w.witness.json")
    try memory.save(path)
    #expect(try WitnessMemory.load(path) == memory)
    #expect(try ledger.verify().isClean)
  }

  @Test("a cosignature entry whose timestamp does not increase is refused, and fails verify ledger")
  func cosignTimestampRule() throws {
    let witnessed = try Witnessed()
    let fixture = witnessed.fixture
    let ledger = fixture.ledger
    let supervisor = witnessed.districtSupervisor
    let name = try ledger.state().witnessName(keyID: supervisor.keyID)
    let first = try ledger.createCheckpoint(signer: fixture.admin)
    var memory = WitnessMemory()
    _ = try ledger.cosignCheckpoint(
      first.note.serialized, signer: supervisor, memory: &memory, now: 1_800_000_000)
    try fixture.donate("1")
    let second = try ledger.createCheckpoint(signer: fixture.admin)

    // Appending one by hand at the same second is refused.
    var same = second.note
    same.cosign(as: name, with: supervisor, timestamp: 1_800_000_000)
    let line = same.signatures.last!.line
    try expectRefused(fixture, code: .cosignatureTimestampNotLater) {
      try ledger.commit(signer: supervisor) { _ throws(AlmonerError) in
        [
          try EntryDraft(
            kind: .checkpointCosign,
            body: ["checkpoint": .integer(second.appended.seq), "line": .string(line)])
        ]
      }
    }

    // A ledger made where that was not checked: a valid later cosignature,
    // then its entry rewritten to the same second and its commit re-signed.
    let later = try ledger.cosignCheckpoint(
      second.note.serialized, signer: supervisor, memory: &memory, now: 1_800_000_100)
    let seq = later.appended.seq
    var entry = later.appended.entry
    guard case .checkpointCosign(var body) = entry.body else {
      Issue.record("not a cosignature")
      return
    }
    body.line = line
    entry.body = .checkpointCosign(body)
    let bytes = entry.canonicalBytes
    let hash = SHA256.leafHash(bytes)
    let ledgerID = try #require(try ledger.state().ledgerID)
    let signature = supervisor.sign(
      Commit.statement(ledgerID: ledgerID, firstSeq: seq, lastSeq: seq, lastHash: hash))
    let db = try DatabaseQueue(path: fixture.path)
    try db.write { db in
      try db.execute(
        sql: "UPDATE entry SET canonical = ?, hash = ? WHERE seq = ?",
        arguments: [Data(bytes), Data(hash.bytes), seq])
      try db.execute(
        sql: "UPDATE ledger_commit SET signature = ? WHERE first_seq = ?",
        arguments: [Data(signature), seq])
      try db.execute(sql: "UPDATE cosignature SET line = ? WHERE seq = ?", arguments: [line, seq])
    }
    let report = try Ledger.open(at: fixture.path).verify()
    #expect(report.problems.first?.seq == seq, "\(report.problems)")
    #expect(report.problems.first?.message.contains("严格递增") == true, "\(report.problems)")
  }

  // MARK: Item 5: witness quorum and ledger id

  @Test("a receipt with no cosignature fails, naming the quorum; with it, it passes")
  func quorum() throws {
    let unwitnessed = try Issued(cosigners: 0)
    #expect {
      try unwitnessed.receipt.verify(trust: try unwitnessed.trust)
    } throws: { error in
      let message = (error as? AlmonerError)?.message ?? ""
      return message.hasPrefix("第 6 步（监督员联署）失败：信任文件要求至少 1 名街道或区级监督员")
        && message.contains("没有任何受信任监督员的联署")
    }

    // The trust file states the quorum; `keys export --quorum 2` asks for two.
    let one = try Issued(cosigners: 1)
    #expect(try one.trust.witnessQuorum == 1 && one.trust.witnessQuorumStated)
    let json = String(decoding: one.trustFile, as: UTF8.self)
    #expect(json.contains(#""witnessQuorum":1"#))
    #expect(try one.receipt.verify(trust: try one.trust).cosigners == ["郑华"])
    var two = try one.trust
    two.witnessQuorum = 2
    #expect {
      try one.receipt.verify(trust: two)
    } throws: { ($0 as? AlmonerError)?.code == "receipt-check-cosignatures" }
    let both = try Issued(cosigners: 2, quorum: 2)
    #expect(try both.receipt.verify(trust: try both.trust).cosigners == ["郑华", "周建国"])
    try expectRefused(one.witnessed.fixture, code: .witnessQuorumOverWitnesses) {
      _ = try one.witnessed.fixture.ledger.trustBundle(witnessQuorum: 3)
    }
    try expectRefused(one.witnessed.fixture, code: .witnessQuorumOutOfRange) {
      _ = try one.witnessed.fixture.ledger.trustBundle(witnessQuorum: 0)
    }

    // A trust file from an older version has no quorum: 1 applies, and the result says so.
    let older = json.replacingOccurrences(of: #","witnessQuorum":1"#, with: "")
    #expect(older != json)
    let olderTrust = try TrustBundle(parsing: Array(older.utf8))
    #expect(olderTrust.witnessQuorum == 1 && !olderTrust.witnessQuorumStated)
    #expect(
      try one.receipt.verify(trust: olderTrust).statement.contains("已按默认至少 1 名核验"))
    let olderUnwitnessed = String(decoding: unwitnessed.trustFile, as: UTF8.self)
      .replacingOccurrences(of: #","witnessQuorum":1"#, with: "")
    #expect {
      try unwitnessed.receipt.verify(trust: try TrustBundle(parsing: Array(olderUnwitnessed.utf8)))
    } throws: { ($0 as? AlmonerError)?.message.contains("按默认要求至少 1 名") == true }
    for bad in ["0", "-1", "\"1\"", "65"] {
      let broken = json.replacingOccurrences(
        of: #""witnessQuorum":1"#, with: #""witnessQuorum":\#(bad)"#)
      #expect(throws: AlmonerError.self, "witnessQuorum \(bad)") {
        try TrustBundle(parsing: Array(broken.utf8))
      }
    }
  }

  @Test("a log key holder's forked ledger: its cosigned receipt fails against the real trust file")
  func otherLedgerID() throws {
    let real = try Issued()
    let fixture = real.witnessed.fixture
    // The same admin key, origin, units and supervisor; another genesis time, so another ledger id.
    let directory = try TemporaryDirectory()
    let forked = try Ledger.create(
      at: directory.path("forked.db"), district: "GA", name: "广安区", admin: fixture.admin,
      adminName: "李明", origin: WitnessTests.origin,
      clock: LedgerClock(now: { Date(timeIntervalSince1970: 1_795_000_060) }))
    try forked.addUnit(code: "GA-BC", name: "北城街道", parent: "GA", signer: fixture.admin)
    try forked.addUnit(code: "GA-BC-JSL", name: "建设路社区", parent: "GA-BC", signer: fixture.admin)
    try forked.addMember(
      unit: "GA-BC-JSL", role: .treasurer, name: "王芳",
      publicKey: fixture.communityTreasurer.publicKey, signer: fixture.admin)
    try forked.addMember(
      unit: "GA-BC", role: .supervisor, name: "郑华", publicKey: fixture.supervisor.publicKey,
      signer: fixture.admin)
    var seq: Int64 = 0
    for _ in 0..<3 {
      seq = try forked.donate(
        DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "张三"),
        signer: fixture.communityTreasurer
      ).seq
    }
    let note = try forked.createCheckpoint(signer: fixture.admin).note
    var memory = WitnessMemory()
    _ = try forked.cosignCheckpoint(
      note.serialized, signer: fixture.supervisor, memory: &memory, now: 1_800_000_000)
    let receipt = try forked.receipt(seq: seq)
    let trust = try real.trust
    #expect(try forked.trustBundle().ledgerID != trust.ledgerID)
    #expect {
      try receipt.verify(trust: trust)
    } throws: { error in
      let message = (error as? AlmonerError)?.message ?? ""
      return message.hasPrefix("第 5 步（检查点签名）失败：收据来自另一本账")
        && message.contains(trust.ledgerID.hex)
    }
    // Claiming the real ledger id doesn't help: leaf 0 of the signed tree is not it.
    var claimed = receipt
    claimed.ledger?.id = trust.ledgerID
    #expect {
      try claimed.verify(trust: trust)
    } throws: { ($0 as? AlmonerError)?.message.contains("这是另一本账的检查点") == true }
    // Nor does leaving it out.
    var bare = receipt
    bare.ledger = nil
    #expect {
      try Receipt(parsing: Canonical.encode(bare.json)).verify(trust: trust)
    } throws: { ($0 as? AlmonerError)?.message.contains("收据没有账本 ID 证明") == true }
    // The real ledger's own receipt carries its id and verifies.
    #expect(real.receipt.ledger?.id == trust.ledgerID)
    #expect(try real.receipt.verify(trust: trust).entry.seq == 14)
  }

  @Test("every hash of the ledger-id proof matters")
  func ledgerIDProofFlipped() throws {
    let issued = try Issued()
    let identity = try #require(issued.receipt.ledger)
    #expect(!identity.inclusion.isEmpty)
    for index in identity.inclusion.indices {
      var changed = issued.receipt
      changed.ledger?.inclusion[index] = SHA256.hash(identity.inclusion[index].bytes)
      #expect {
        try changed.verify(trust: try issued.trust)
      } throws: { ($0 as? AlmonerError)?.code == "receipt-check-checkpoint-signature" }
    }
  }

  // MARK: Item 7: truncation

  @Test(
    "verify ledger reports the newest cosigned checkpoint and the entries no supervisor witnessed")
  func witnessingReport() throws {
    let witnessed = try Witnessed()
    let ledger = witnessed.fixture.ledger
    let none = try ledger.verify()
    #expect(none.newestCosignedCheckpoint == nil)
    #expect(none.unwitnessedEntryCount == none.entryCount)

    let first = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
    var memory = WitnessMemory()
    _ = try ledger.cosignCheckpoint(
      first.note.serialized, signer: witnessed.districtSupervisor, memory: &memory, now: 1)
    try witnessed.fixture.donate("2")
    // A newer checkpoint nobody cosigned does not count.
    _ = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
    try witnessed.fixture.donate("3")
    let report = try ledger.verify()
    #expect(report.isClean)
    let newest = try #require(report.newestCosignedCheckpoint)
    #expect(newest.seq == first.appended.seq)
    #expect(newest.treeSize == first.appended.seq)
    #expect(newest.cosigners.map(\.name) == ["周建国"])
    #expect(report.unwitnessedEntryCount == report.entryCount - first.appended.seq)
    #expect(report.unwitnessedEntryCount == 5)
  }

  @Test("a truncated ledger or an older copy fails against the supervisor's witness file")
  func truncatedAgainstWitnessFile() throws {
    let witnessed = try Witnessed()
    let fixture = witnessed.fixture
    let ledger = fixture.ledger
    let older = fixture.directory.path("older.db")
    let source = try DatabaseQueue(path: fixture.path)
    try source.writeWithoutTransaction { try $0.execute(sql: "VACUUM INTO ?", arguments: [older]) }

    try fixture.donate("9")
    let note = try ledger.createCheckpoint(signer: fixture.admin).note
    var memory = WitnessMemory()
    _ = try ledger.cosignCheckpoint(
      note.serialized, signer: witnessed.districtSupervisor, memory: &memory, now: 1)
    let path = fixture.directory.path("sup.pem.witness.json")
    try memory.save(path)
    let remembered = try WitnessMemory.load(path)
    try fixture.donate("10")
    #expect(try ledger.verify(witness: remembered).isClean)

    // The older copy verifies by itself, but not against what the supervisor cosigned.
    #expect(try Ledger.open(at: older).verify().isClean)
    let restored = try Ledger.open(at: older).verify(witness: remembered)
    #expect(
      restored.problems.contains { $0.message.contains("少于监督员联署过的") }, "\(restored.problems)")

    // Cut below the cosigned size, with the commits and projections: the same.
    let covered = try Checkpoint(text: note.text).treeSize
    try source.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      for table in ["entry", "donor_private", "checkpoint", "cosignature"] {
        try db.execute(sql: "DELETE FROM \(table) WHERE seq >= ?", arguments: [covered - 1])
      }
      try db.execute(
        sql: "DELETE FROM ledger_commit WHERE first_seq >= ?", arguments: [covered - 1])
      try db.execute(sql: "DELETE FROM merkle_node")
      try db.execute(sql: "DELETE FROM daily_balance")
    }
    let cut = try Ledger.open(at: fixture.path).verify(witness: remembered)
    #expect(cut.problems.contains { $0.message.contains("此后的记录被删除了") }, "\(cut.problems)")

    // A witness file that knows nothing of this ledger can't vouch for it.
    var other = WitnessMemory()
    other.seen["almoner.example/other"] = .init(treeSize: 1, rootHash: .zero)
    let unrelated = try Ledger.open(at: older).verify(witness: other)
    #expect(unrelated.problems.contains { $0.message.contains("没有本账本") })
  }
}
