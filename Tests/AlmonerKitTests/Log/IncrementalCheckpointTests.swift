import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerLog
@testable import AlmonerStore

/// `checkpoint create` and `cosign` rebuild the tree they sign from the
/// entries' bytes since a root already signed (the last checkpoint, or what
/// the supervisor last cosigned), not from the whole log (issue 8 item 7).
///
/// The layouts below are chosen against the stored Merkle levels (every 4th:
/// a node over 16 leaves is stored), so that the edit is invisible to the
/// state seal's check of the head's frontier and only the rebuild can see it.
@Suite("Incremental checkpoints: only the entries since the last signed root are read")
struct IncrementalCheckpointTests {
  /// The `Witnessed` ledger (entries 0–16) with a first checkpoint at seq 17,
  /// which covers entries 0–16: its frontier is the node over 0–15 and leaf 16.
  struct Checkpointed {
    let witnessed: TransparencyTests.Witnessed
    let first: SignedNote
    var fixture: Fixture { witnessed.fixture }

    init() throws {
      witnessed = try TransparencyTests.Witnessed()
      first = try witnessed.fixture.ledger.createCheckpoint(signer: witnessed.fixture.admin).note
      #expect(try Checkpoint(text: first.text).treeSize == 17)
    }

    /// `count` donations in one commit.
    func donations(_ count: Int) throws {
      try fixture.ledger.commit(signer: fixture.communityTreasurer) {
        state throws(AlmonerError) in
        var drafts: [EntryDraft] = []
        for index in 0..<count {
          drafts.append(
            try DonationInput(
              unit: "GA-BC-JSL", amount: Money(fen: 1_000 + Int64(index)), donor: "捐赠人"
            ).draft(in: state))
        }
        return drafts
      }
    }

    /// Runs `sql` with foreign keys off, as someone editing the file would.
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
      try DatabaseQueue(path: fixture.path).writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        try db.execute(sql: sql, arguments: arguments)
      }
    }

    /// Replaces the bytes of entry `seq` and stores their hash, so the row is
    /// consistent with itself.
    func replaceEntry(_ seq: Int64, edit: (inout [UInt8]) -> Void) throws {
      var bytes = try DatabaseQueue(path: fixture.path).read { db in
        [UInt8](
          try #require(
            try Data.fetchOne(
              db, sql: "SELECT canonical FROM entry WHERE seq = ?", arguments: [seq])))
      }
      edit(&bytes)
      try execute(
        "UPDATE entry SET canonical = ?, hash = ? WHERE seq = ?",
        [Data(bytes), Data(SHA256.leafHash(bytes).bytes), seq])
    }

    /// A donation's amount changed by one digit, its hash recomputed.
    func editAmount(_ seq: Int64) throws {
      try replaceEntry(seq) { bytes in
        let key = Array(#""amountFen":"#.utf8)
        let at = (0...(bytes.count - key.count)).first {
          Array(bytes[$0..<($0 + key.count)]) == key
        }!
        bytes[at + key.count] =
          bytes[at + key.count] == UInt8(ascii: "9") ? UInt8(ascii: "8") : UInt8(ascii: "9")
      }
    }

    /// A fresh process's view: a newly opened ledger, no cached state.
    func reopened() throws -> Ledger {
      try Ledger.open(at: fixture.path, clock: Fixture.fixedClock)
    }

    func entryCount() throws -> Int64 { try reopened().entryCount() }
  }

  /// Expects `body` to be refused as a verification failure containing every
  /// phrase, with no entry added.
  func expectNotSigned(
    _ ledger: Checkpointed, _ phrases: [String], sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
  ) throws {
    let before = try ledger.entryCount()
    do {
      try body()
      Issue.record("signed a tampered ledger", sourceLocation: sourceLocation)
    } catch let error as AlmonerError {
      #expect(error.kind == .verificationFailed, "\(error)", sourceLocation: sourceLocation)
      for phrase in phrases {
        #expect(error.message.contains(phrase), "\(error)", sourceLocation: sourceLocation)
      }
    }
    #expect(try ledger.entryCount() == before, sourceLocation: sourceLocation)
  }

  @Test("an entry after the last checkpoint edited with its hash is never signed or cosigned")
  func editAfterCheckpoint() throws {
    for step in ["create", "cosign"] {
      let ledger = try Checkpointed()
      var memory = WitnessMemory()
      _ = try ledger.fixture.ledger.cosignCheckpoint(
        ledger.first.serialized, signer: ledger.witnessed.districtSupervisor, memory: &memory,
        now: 1)
      // Entries 19–48 in one commit: the head's frontier reads the stored
      // nodes over 16–31 and 32–47, never the leaf of entry 21.
      try ledger.donations(30)
      if step == "create" {
        try ledger.editAmount(21)
        try expectNotSigned(ledger, ["拒绝签发检查点", "记录 #22", "链接断开"]) {
          _ = try ledger.reopened().createCheckpoint(signer: ledger.fixture.admin)
        }
      } else {
        // Edited once the next checkpoint (seq 49) is signed: no longer after
        // the last checkpoint, but after what this supervisor last cosigned
        // (17 entries), from where the supervisor's check rebuilds.
        let second = try ledger.fixture.ledger.createCheckpoint(signer: ledger.fixture.admin).note
        try ledger.editAmount(21)
        try expectNotSigned(ledger, ["拒绝联署", "记录 #22"]) {
          _ = try ledger.reopened().cosignCheckpoint(
            second.serialized, signer: ledger.witnessed.districtSupervisor, memory: &memory,
            now: 2)
        }
        #expect(memory.seen["almoner.example/test"]?.treeSize == 17)
      }
    }
  }

  @Test("a Merkle node over entries after the last checkpoint, edited, is never signed")
  func nodeEditedAfterCheckpoint() throws {
    let ledger = try Checkpointed()
    try ledger.donations(30)
    // The node over entries 16–31: completed by the rebuilt entries.
    try ledger.execute(
      "UPDATE merkle_node SET hash = ? WHERE level = 4 AND idx = 1",
      [Data(SHA256.hash([7]).bytes)])
    try expectNotSigned(ledger, ["拒绝签发检查点", "merkle_node 第 4 层第 1 个节点"]) {
      _ = try ledger.reopened().createCheckpoint(signer: ledger.fixture.admin)
    }
  }

  @Test("an edit before the last checkpoint that changes its tree can't match the signed root")
  func editBeforeCheckpoint() throws {
    for edit in ["entry 16", "node over 0-15"] {
      let ledger = try Checkpointed()
      // Entries 18–37: the head's frontier reads the stored node over 16–31,
      // not the leaf of entry 16, which the first checkpoint's frontier holds.
      try ledger.donations(20)
      if edit == "entry 16" {
        try ledger.editAmount(16)
      } else {
        try ledger.execute(
          "UPDATE merkle_node SET hash = ? WHERE level = 4 AND idx = 0",
          [Data(SHA256.hash([7]).bytes)])
      }
      try expectNotSigned(ledger, ["拒绝签发检查点", "记录 #17 的检查点签署的根不符"]) {
        _ = try ledger.reopened().createCheckpoint(signer: ledger.fixture.admin)
      }
    }
  }

  @Test("a commit after the checkpoint whose signature is broken: refused under the write lock")
  func badSignatureAfterCheckpoint() throws {
    // The look before the write lock checks no signatures (the state is not
    // proven yet); the check under the lock, with the sealed keys, does.
    let ledger = try Checkpointed()
    try ledger.fixture.donate("1")
    try ledger.fixture.donate("2")
    try ledger.execute(
      "UPDATE ledger_commit SET signature = ? WHERE first_seq = 18",
      [Data(repeating: 1, count: 64)])
    try expectNotSigned(ledger, ["拒绝签发检查点", "提交 18–18 的签名无效"]) {
      _ = try ledger.reopened().createCheckpoint(signer: ledger.fixture.admin)
    }
  }

  @Test("checkpoint create and cosign read only the entries since the last signed root")
  func onlyNewEntriesRead() throws {
    // Entry 12 (a donation under the stored node over 0–15, before the first
    // checkpoint) is garbled, its stored hash made to match: a full replay
    // stops there, the tail rebuild never reads it.
    let ledger = try Checkpointed()
    var memory = WitnessMemory()
    _ = try ledger.fixture.ledger.cosignCheckpoint(
      ledger.first.serialized, signer: ledger.witnessed.districtSupervisor, memory: &memory, now: 1)
    try ledger.replaceEntry(12) { $0 = Array("not an entry".utf8) }
    let report = try ledger.reopened().verify()
    #expect(report.problems.first?.seq == 12, "\(report.problems)")

    try ledger.reopened().donate(
      DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 500), donor: "周七"),
      signer: ledger.fixture.communityTreasurer)
    let (appended, second) = try ledger.reopened().createCheckpoint(signer: ledger.fixture.admin)
    _ = try ledger.reopened().cosignCheckpoint(
      second.serialized, signer: ledger.witnessed.districtSupervisor, memory: &memory, now: 2)
    #expect(memory.seen["almoner.example/test"]?.treeSize == appended.seq)
    // What was signed extends what the first checkpoint signed.
    let proof = try ledger.reopened().consistencyProof(old: 17, new: appended.seq)
    try MerkleVerification.verifyConsistency(
      oldSize: 17, newSize: UInt64(appended.seq),
      oldRoot: try Checkpoint(text: ledger.first.text).rootHash,
      newRoot: try Checkpoint(text: second.text).rootHash, proof: proof.proof)
  }

  @Test("the first checkpoint, with no root signed before it, still replays the whole log")
  func firstCheckpointReplays() throws {
    let witnessed = try TransparencyTests.Witnessed()
    let db = try DatabaseQueue(path: witnessed.fixture.path)
    try db.write { db in
      let bytes = Array("not an entry".utf8)
      try db.execute(
        sql: "UPDATE entry SET canonical = ?, hash = ? WHERE seq = 12",
        arguments: [Data(bytes), Data(SHA256.leafHash(bytes).bytes)])
    }
    #expect {
      _ = try Ledger.open(at: witnessed.fixture.path, clock: Fixture.fixedClock)
        .createCheckpoint(signer: witnessed.fixture.admin)
    } throws: {
      ($0 as? AlmonerError)?.message.contains("核验未通过，拒绝签发检查点：记录 #12") == true
    }
  }

  @Test("a checkpoint entry whose note is not signed by a district log key is no anchor")
  func anchorNeedsLogSignature() throws {
    let ledger = try Checkpointed()
    try ledger.fixture.donate("1")
    try DatabaseQueue(path: ledger.fixture.path).read { db in
      let state = try LedgerStore.loadState(db)
      // The structure alone holds; with the state, the note's signer must
      // have been a district admin or treasurer when the entry was appended.
      _ = try TailVerifier(db: db, state: state).run(from: .checkpoint(seq: 17))
      var demoted = state
      demoted.grants = state.grants.map { grant in
        var grant = grant
        if grant.keyID == ledger.fixture.admin.keyID { grant.revokedSeq = 3 }
        return grant
      }
      #expect {
        _ = try TailVerifier(db: db, state: demoted).run(from: .checkpoint(seq: 17))
      } throws: {
        ($0 as? TailVerifier.Failure)?.message.contains("区级管理员或记账员的有效签名") == true
      }
      #expect(
        try TailVerifier(db: db, state: state).run(from: .checkpoint(seq: 17)).firstSeq == 17)
    }
  }
}
