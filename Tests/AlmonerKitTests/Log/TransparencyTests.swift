import AlmonerKit
import Foundation
import GRDB
import Testing

@Suite("Signed notes, checkpoints, cosignatures, receipts")
struct TransparencyTests {
  // MARK: Signed-note format against the C2SP spec's own example

  @Test("the C2SP signed-note example verifies with its vkey, and fails when altered")
  func specExample() throws {
    let vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    let note = """
      This is an example message.

      — example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=

      """
    let key = try SignedNote.parseVerifierKey(vkey)
    #expect(key.name == "example.com/foo" && key.type == .ed25519)
    #expect(
      SignedNote.verifierKey(name: key.name, type: .ed25519, publicKey: key.publicKey) == vkey)
    let parsed = try SignedNote(parsing: note)
    #expect(parsed.text == "This is an example message.\n")
    #expect(parsed.logSignature(name: "example.com/foo", publicKey: key.publicKey) == true)
    let altered = try SignedNote(
      parsing: note.replacingOccurrences(of: "example message", with: "example massage"))
    #expect(altered.logSignature(name: "example.com/foo", publicKey: key.publicKey) == false)
    #expect(parsed.logSignature(name: "example.com/bar", publicKey: key.publicKey) == nil)
    #expect(throws: AlmonerError.self) {
      try SignedNote.parseVerifierKey(
        "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
    }
  }

  @Test("a cosignature verifies with Python's cryptography over cosignature/v1 ‖ time ‖ note")
  func cosignatureMatchesPython() throws {
    let key = SigningKey.generate()
    var note = SignedNote(
      text: Checkpoint(origin: "example.com/log", treeSize: 7, rootHash: SHA256.hash([1])).text)
    note.cosign(as: "example.com/w1", with: key, timestamp: 1_679_315_147)
    let line = try #require(note.signatures.last)
    #expect(note.cosignature(name: "example.com/w1", publicKey: key.publicKey)?.valid == true)
    let script = """
      import base64, hashlib, sys
      from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
      pub = bytes.fromhex(sys.argv[1]); sig = base64.b64decode(sys.argv[2]); text = sys.argv[3]
      name = "example.com/w1"
      assert hashlib.sha256(name.encode() + b"\\n\\x04" + pub).digest()[:4] == sig[:4], "key id"
      ts = int.from_bytes(sig[4:12], "big")
      msg = b"cosignature/v1\\ntime " + str(ts).encode() + b"\\n" + text.encode()
      Ed25519PublicKey.from_public_bytes(pub).verify(sig[12:], msg)
      print(ts)
      """
    let bytes = withUnsafeBytes(of: line.keyID.bigEndian, Array.init) + line.signature
    let result = try run(
      which("python3") ?? "/usr/bin/python3",
      ["-c", script, Hex.encode(key.publicKey.raw), Data(bytes).base64EncodedString(), note.text])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "1679315147\n")
  }

  // MARK: Checkpoints in the ledger

  struct Witnessed {
    let fixture: Fixture
    let districtSupervisor = SigningKey.generate()
    let communitySupervisor = SigningKey.generate()

    init() throws {
      fixture = try Fixture()
      try fixture.ledger.addMember(
        unit: "GA", role: .supervisor, name: "周建国", publicKey: districtSupervisor.publicKey,
        signer: fixture.admin)
      try fixture.ledger.addMember(
        unit: "GA-BC-JSL", role: .supervisor, name: "社区监督",
        publicKey: communitySupervisor.publicKey,
        signer: fixture.admin)
      for index in 0..<5 { try fixture.donate("\(index + 1)00", donor: "捐赠人\(index)") }
    }
  }

  @Test("create, cosign by two supervisors, show; proofs verify against the checkpoint")
  func checkpointFlow() throws {
    let witnessed = try Witnessed()
    let ledger = witnessed.fixture.ledger
    let (appended, note) = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
    let checkpoint = try Checkpoint(text: note.text)
    #expect(checkpoint.treeSize == appended.seq)
    #expect(checkpoint.origin == "almoner.example/test")
    var street = WitnessMemory()
    var district = WitnessMemory()
    let first = try ledger.cosignCheckpoint(
      note.serialized, signer: witnessed.fixture.supervisor, memory: &street, now: 1_800_000_000)
    let second = try ledger.cosignCheckpoint(
      first.note.serialized, signer: witnessed.districtSupervisor, memory: &district,
      now: 1_800_000_001)
    #expect(second.note.signatures.count == 3)
    #expect(street.seen["almoner.example/test"]?.treeSize == checkpoint.treeSize)
    let shown = try ledger.checkpoints()
    #expect(shown.count == 1)
    #expect(shown[0].cosigners.map(\.name) == ["郑华", "周建国"])
    #expect(try SignedNote(parsing: shown[0].cosignedNote) == second.note)

    // An inclusion proof from the ledger verifies against the signed root.
    let proof = try ledger.inclusionProof(seq: 12, treeSize: checkpoint.treeSize)
    try MerkleVerification.verifyInclusion(
      leafHash: proof.leafHash, leafIndex: 12, treeSize: UInt64(checkpoint.treeSize),
      proof: proof.proof, rootHash: checkpoint.rootHash)
    // A later checkpoint is consistent with the first, and the same supervisor cosigns it.
    try witnessed.fixture.donate("1")
    let later = try ledger.createCheckpoint(signer: witnessed.fixture.districtTreasurer)
    _ = try ledger.cosignCheckpoint(
      later.note.serialized, signer: witnessed.fixture.supervisor, memory: &street,
      now: 1_800_000_100)
    let consistency = try ledger.consistencyProof(old: checkpoint.treeSize, new: later.appended.seq)
    try MerkleVerification.verifyConsistency(
      oldSize: UInt64(checkpoint.treeSize), newSize: UInt64(later.appended.seq),
      oldRoot: checkpoint.rootHash, newRoot: consistency.newRoot, proof: consistency.proof)
    #expect(try ledger.verify().isClean)
  }

  @Test("who may cosign: not a community supervisor, not a treasurer, not twice")
  func cosignRoles() throws {
    let witnessed = try Witnessed()
    let ledger = witnessed.fixture.ledger
    let (_, note) = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
    var memory = WitnessMemory()
    try expectRefused(witnessed.fixture, code: .cosignerNotWitness) {
      _ = try ledger.cosignCheckpoint(
        note.serialized, signer: witnessed.communitySupervisor, memory: &memory, now: 1)
    }
    try expectRefused(witnessed.fixture, code: .cosignerNotWitness) {
      _ = try ledger.cosignCheckpoint(
        note.serialized, signer: witnessed.fixture.communityTreasurer, memory: &memory, now: 1)
    }
    try expectRefused(witnessed.fixture, code: .signerNotMember, containing: "不是本账本的成员") {
      _ = try ledger.createCheckpoint(signer: SigningKey.generate())
    }
    try expectRefused(witnessed.fixture, code: .roleRequired, containing: "不是广安区（GA）的管理员或记账员") {
      _ = try ledger.createCheckpoint(signer: witnessed.fixture.communityTreasurer)
    }
    _ = try ledger.cosignCheckpoint(
      note.serialized, signer: witnessed.districtSupervisor, memory: &memory, now: 1)
    try expectRefused(witnessed.fixture, code: .checkpointAlreadyCosigned) {
      var fresh = WitnessMemory()
      _ = try ledger.cosignCheckpoint(
        note.serialized, signer: witnessed.districtSupervisor, memory: &fresh, now: 2)
    }
  }

  @Test(
    "a rewritten history (same keys, one donation changed) is refused by the supervisor's cosign")
  func rewrittenHistoryRefused() throws {
    let original = try Witnessed()
    let (_, note) = try original.fixture.ledger.createCheckpoint(signer: original.fixture.admin)
    var memory = WitnessMemory()
    _ = try original.fixture.ledger.cosignCheckpoint(
      note.serialized, signer: original.districtSupervisor, memory: &memory, now: 1)

    // The same people, keys, origin and clock; the third donation is ¥1 less.
    let directory = try TemporaryDirectory()
    let fixture = original.fixture
    let forged = try Ledger.create(
      at: directory.path("forged.db"), district: "GA", name: "广安区", admin: fixture.admin,
      adminName: "李明", origin: "almoner.example/test", clock: Fixture.fixedClock)
    try forged.addUnit(code: "GA-BC", name: "北城街道", parent: "GA", signer: fixture.admin)
    try forged.addUnit(code: "GA-BC-JSL", name: "建设路社区", parent: "GA-BC", signer: fixture.admin)
    try forged.addMember(
      unit: "GA-BC-JSL", role: .treasurer, name: "王芳",
      publicKey: fixture.communityTreasurer.publicKey,
      signer: fixture.admin)
    try forged.addMember(
      unit: "GA", role: .supervisor, name: "周建国", publicKey: original.districtSupervisor.publicKey,
      signer: fixture.admin)
    for index in 0..<13 {
      try forged.donate(
        DonationInput(
          unit: "GA-BC-JSL", amount: Money(fen: index == 2 ? 29_900 : 30_000), donor: "捐赠人"),
        signer: fixture.communityTreasurer)
    }
    let (_, forgedNote) = try forged.createCheckpoint(signer: fixture.admin)
    #expect(
      try Checkpoint(text: forgedNote.text).treeSize > (try Checkpoint(text: note.text)).treeSize)
    let before = memory
    #expect {
      _ = try forged.cosignCheckpoint(
        forgedNote.serialized, signer: original.districtSupervisor, memory: &memory, now: 2)
    } throws: {
      ($0 as? AlmonerError)?.code == "ledger-check-failed"
        && ($0 as? AlmonerError)?.message.contains("历史被改写") == true
    }
    #expect(memory == before, "the supervisor's memory must not move to the forged log")
    // A resident holding the original checkpoint sees the rewrite too.
    let report = try forged.verify(against: note)
    #expect(report.problems.contains { $0.message.contains("检查点签发后历史被改写") }, "\(report.problems)")
  }

  @Test("verify ledger catches a tampered Merkle node or checkpoint row")
  func tamperedTransparencyTables() throws {
    for sql in [
      "UPDATE merkle_node SET hash = randomblob(32) WHERE level = 4 AND idx = 0",
      "UPDATE checkpoint SET root = randomblob(32)",
      "DELETE FROM cosignature",
    ] {
      let witnessed = try Witnessed()
      for index in 0..<10 { try witnessed.fixture.donate("1\(index)") }
      let (_, note) = try witnessed.fixture.ledger.createCheckpoint(signer: witnessed.fixture.admin)
      var memory = WitnessMemory()
      _ = try witnessed.fixture.ledger.cosignCheckpoint(
        note.serialized, signer: witnessed.districtSupervisor, memory: &memory, now: 1)
      let db = try DatabaseQueue(path: witnessed.fixture.path)
      try db.writeWithoutTransaction {
        try $0.execute(sql: "PRAGMA foreign_keys = OFF")
        try $0.execute(sql: sql)
      }
      #expect(!(try Ledger.open(at: witnessed.fixture.path).verify().isClean), "not caught: \(sql)")
    }
  }

  @Test("a stored hash edited behind the ledger's back is never signed or cosigned")
  func forgedLeafNeverSigned() throws {
    let witnessed = try Witnessed()
    let ledger = witnessed.fixture.ledger
    let (_, note) = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
    var memory = WitnessMemory()
    _ = try ledger.cosignCheckpoint(
      note.serialized, signer: witnessed.districtSupervisor, memory: &memory, now: 1)
    try witnessed.fixture.donate("100")
    let forgedSeq = try ledger.entryCount() - 1
    let db = try DatabaseQueue(path: witnessed.fixture.path)
    try db.write {
      try $0.execute(
        sql: "UPDATE entry SET hash = ? WHERE seq = ?",
        arguments: [Data(SHA256.hash([1, 2, 3]).bytes), forgedSeq])
    }
    #expect {
      _ = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
    } throws: { ($0 as? AlmonerError)?.code == "ledger-check-failed" }
  }

  @Test("a cosignature entry must be exactly one line under the author's own witness name")
  func cosignatureLineIsExact() throws {
    let witnessed = try Witnessed()
    let ledger = witnessed.fixture.ledger
    let (appended, note) = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
    let state = try ledger.state()
    var cosigned = note
    cosigned.cosign(
      as: state.witnessName(keyID: witnessed.districtSupervisor.keyID),
      with: witnessed.districtSupervisor, timestamp: 5)
    let valid = cosigned.signatures.last!.line
    let fake = SignedNote.Signature(
      name: state.origin,
      keyID: SignedNote.keyID(
        name: state.origin, type: .ed25519, publicKey: witnessed.fixture.admin.publicKey),
      signature: Array(repeating: 7, count: 64)
    ).line
    for line in [valid + fake, fake, "\n" + valid] {
      try expectRefused(witnessed.fixture, code: .cosignatureLineWrong) {
        try ledger.commit(signer: witnessed.districtSupervisor) { _ throws(AlmonerError) in
          [
            try EntryDraft(
              kind: .checkpointCosign,
              body: ["checkpoint": .integer(appended.seq), "line": .string(line)])
          ]
        }
      }
    }
  }

  @Test("whoever signs checkpoints can't also cosign them, even holding a supervisor role")
  func signerCannotCosign() throws {
    let witnessed = try Witnessed()
    let ledger = witnessed.fixture.ledger
    try ledger.addMember(
      unit: "GA", role: .supervisor, name: "李明", publicKey: witnessed.fixture.admin.publicKey,
      signer: witnessed.fixture.admin)
    let (_, note) = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
    var memory = WitnessMemory()
    try expectRefused(witnessed.fixture, code: .cosignerSignsLogIndependent) {
      _ = try ledger.cosignCheckpoint(
        note.serialized, signer: witnessed.fixture.admin, memory: &memory, now: 1)
    }
    // Nor is that key offered to residents as a witness.
    #expect(
      !(try ledger.trustBundle().witnesses.map(\.keyID)).contains(witnessed.fixture.admin.keyID))
  }

  @Test("a witness file with a negative size is bad input, not a crash")
  func badWitnessFile() throws {
    let witnessed = try Witnessed()
    let (_, note) = try witnessed.fixture.ledger.createCheckpoint(signer: witnessed.fixture.admin)
    let path = witnessed.fixture.directory.path("w.json")
    try Data(#"{"almoner.example/test":{"root":"\#(SHA256.hash([]).hex)","treeSize":-3}}"#.utf8)
      .write(to: URL(fileURLWithPath: path))
    var memory = try WitnessMemory.load(path)
    try expectRefused(witnessed.fixture, code: .witnessStateSizeInvalid) {
      _ = try witnessed.fixture.ledger.cosignCheckpoint(
        note.serialized, signer: witnessed.districtSupervisor, memory: &memory, now: 1)
    }
  }

  @Test("verify ledger against a cosigned checkpoint catches cut-off and rewritten history")
  func verifyAgainstCheckpoint() throws {
    let witnessed = try Witnessed()
    let ledger = witnessed.fixture.ledger
    try witnessed.fixture.donate("7")
    let (_, note) = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
    let covered = try Checkpoint(text: note.text).treeSize
    try witnessed.fixture.donate("8")
    #expect(try ledger.verify(against: note).isClean)

    // Cut off the last commits and their projections: the chain alone can't tell.
    let db = try DatabaseQueue(path: witnessed.fixture.path)
    try db.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      for table in ["entry", "donor_private", "checkpoint"] {
        try db.execute(sql: "DELETE FROM \(table) WHERE seq >= ?", arguments: [covered - 2])
      }
      try db.execute(
        sql: "DELETE FROM ledger_commit WHERE first_seq >= ?", arguments: [covered - 2])
      try db.execute(sql: "DELETE FROM merkle_node")
      try db.execute(sql: "DELETE FROM daily_balance")
    }
    let cut = try Ledger.open(at: witnessed.fixture.path).verify(against: note)
    #expect(cut.problems.contains { $0.message.contains("此后的记录被删除了") }, "\(cut.problems)")

    // Another ledger's checkpoint is refused by origin.
    let other = SignedNote(
      text: Checkpoint(origin: "almoner.example/other", treeSize: 1, rootHash: .zero).text,
      signatures: note.signatures)
    #expect(
      try ledger.verify(against: other).problems.contains { $0.message.contains("另一本账") })
  }

  // MARK: Receipts

  struct Issued {
    let witnessed: Witnessed
    let receipt: Receipt
    let trust: TrustBundle

    init() throws {
      witnessed = try Witnessed()
      let ledger = witnessed.fixture.ledger
      let (_, note) = try ledger.createCheckpoint(signer: witnessed.fixture.admin)
      var memory = WitnessMemory()
      let cosigned = try ledger.cosignCheckpoint(
        note.serialized, signer: witnessed.fixture.supervisor, memory: &memory, now: 1_800_000_000)
      _ = try ledger.cosignCheckpoint(
        cosigned.note.serialized, signer: witnessed.districtSupervisor, memory: &memory,
        now: 1_800_000_001)
      receipt = try ledger.receipt(seq: 14)
      trust = try TrustBundle(parsing: Canonical.encode(try ledger.trustBundle().json))
    }
  }

  @Test("a receipt verifies offline after the ledger file is deleted, and says what it proved")
  func receiptOffline() throws {
    let issued = try Issued()
    let path = issued.witnessed.fixture.path
    let bytes = Canonical.encode(issued.receipt.json)
    let vkeys = Array(try issued.witnessed.fixture.ledger.trustBundle().verifierKeys.utf8)
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: path + suffix)
    }
    #expect(!FileManager.default.fileExists(atPath: path))
    let verified = try Receipt(parsing: bytes).verify(trust: issued.trust)
    #expect(verified.entry.seq == 14)
    #expect(verified.cosigners == ["郑华", "周建国"])
    #expect(verified.statement.contains("捐赠人2 于 2026-11-18 向建设路社区捐赠的 ¥300.00，是账本记录 #14"))
    #expect(verified.statement.contains("由 李明 签发，并由 郑华、周建国 联署"))
    // The plain vkey form can't say which ledger, nor how many supervisors: refused.
    #expect {
      try Receipt(parsing: bytes).verify(trust: try TrustBundle(parsing: vkeys))
    } throws: { ($0 as? AlmonerError)?.code == "receipt-check-checkpoint-signature" }
  }

  @Test("every field of a receipt flipped in turn fails verification at the step that checks it")
  func everyFieldFlipped() throws {
    let issued = try Issued()
    let receipt = issued.receipt
    let proof = try #require(receipt.proof)
    func flipped(_ text: String, at offset: Int) -> String {
      var scalars = Array(text.unicodeScalars)
      let old = scalars[offset]
      scalars[offset] = old == "A" ? "B" : (old == "1" ? "2" : (old == "a" ? "b" : "A"))
      return String(String.UnicodeScalarView(scalars))
    }
    var cases: [(String, Receipt, Set<Receipt.Step>)] = []
    // The entry: each field's value.
    let entryText = String(decoding: receipt.entry, as: UTF8.self)
    for field in [
      "\"amountFen\":", "\"date\":\"", "\"seq\":", "\"prev\":\"", "\"unit\":\"",
      "\"commitment\":\"",
    ] {
      let offset = try #require(entryText.range(of: field)).upperBound.utf16Offset(in: entryText)
      var changed = receipt
      changed.entry = Array(flipped(entryText, at: offset).utf8)
      // A changed entry either no longer decodes (step 2), no longer matches
      // the proof's index (step 4) or its hash is not in the tree (step 7).
      cases.append(("entry \(field)", changed, [.entry, .proofFormat, .inclusion]))
    }
    var commitmentChanged = receipt
    let commitmentOffset = try #require(entryText.range(of: "\"commitment\":\"")).upperBound
      .utf16Offset(in: entryText)
    commitmentChanged.entry = Array(flipped(entryText, at: commitmentOffset).utf8)
    // A lower-case hex digit changed opens nothing (step 3); one turned into
    // an upper-case "A" is not the format's hex at all, refused when the
    // entry is decoded (step 2).
    cases[cases.count - 1] = ("entry commitment", commitmentChanged, [.entry, .donor])
    var salt = receipt
    salt.salt[0] ^= 1
    cases.append(("salt", salt, [.donor]))
    var personal = receipt
    personal.personal = Array(#"{"name":"李四"}"#.utf8)
    cases.append(("personal", personal, [.donor]))
    // The proof: every line in turn.
    let lines = proof.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() where !line.isEmpty {
      var changedLines = lines.map(String.init)
      let offset = line.hasPrefix("— ") ? line.count - 6 : line.count / 2
      changedLines[index] = flipped(String(line), at: offset)
      var changed = receipt
      changed.proof = changedLines.joined(separator: "\n")
      let step: Receipt.Step
      switch index {
      case 0, 1: step = .proofFormat
      case _ where line.hasPrefix("— almoner.example/test/witness"): step = .cosignatures
      case _ where line.hasPrefix("— "): step = .checkpointSignature
      case _ where index > lines.firstIndex(of: "")!: step = .checkpointSignature
      default: step = .inclusion
      }
      cases.append(("proof line \(index): \(line.prefix(30))", changed, [step]))
    }
    var noProof = receipt
    noProof.proof = nil
    cases.append(("no proof", noProof, [.proofFormat]))
    #expect(cases.count >= 20)
    for (name, changed, steps) in cases {
      let bytes = Canonical.encode(changed.json)
      #expect(throws: AlmonerError.self, "\(name) was not caught") {
        _ = try Receipt(parsing: bytes).verify(trust: issued.trust)
      }
      do {
        _ = try Receipt(parsing: bytes).verify(trust: issued.trust)
      } catch {
        #expect(
          steps.contains { error.message.hasPrefix("\($0)失败") }, "\(name): \(error.message)")
      }
    }
    // A receipt checked against another ledger's trust bundle fails at the checkpoint.
    var other = issued.trust
    other.origin = "almoner.example/other"
    #expect(throws: AlmonerError.self) { try receipt.verify(trust: other) }
  }

  @Test("only donations get receipts; erased donors can't")
  func receiptRefusals() throws {
    let witnessed = try Witnessed()
    try expectRefused(witnessed.fixture, code: .receiptNotDonation) {
      _ = try witnessed.fixture.ledger.receipt(seq: 1)
    }
    let uncovered = try witnessed.fixture.ledger.receipt(seq: 14)
    #expect(uncovered.proof == nil)
    #expect {
      try uncovered.verify(trust: try witnessed.fixture.ledger.trustBundle())
    } throws: { ($0 as? AlmonerError)?.code == "receipt-check-proof-format" }
  }
}
