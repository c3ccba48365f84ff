import AlmonerStore
import Foundation
import GRDB

/// What a supervisor remembers of the log outside it: the last checkpoint
/// they cosigned per origin, and the timestamp they cosigned it with. Kept
/// beside their key (`<key>.witness.json`), never in the ledger, so a
/// rewritten ledger can't also rewrite what the supervisor saw — and a
/// ledger cut below it can't pass `verify ledger --witness`.
public struct WitnessMemory: Sendable, Equatable {
  public struct Seen: Sendable, Equatable {
    public var treeSize: Int64
    public var rootHash: Hash32
    /// The timestamp of the last cosignature; nil in files written before
    /// timestamps were remembered.
    public var timestamp: UInt64?

    public init(treeSize: Int64, rootHash: Hash32, timestamp: UInt64? = nil) {
      self.treeSize = treeSize
      self.rootHash = rootHash
      self.timestamp = timestamp
    }
  }

  public var seen: [String: Seen] = [:]

  public init() {}

  /// Reads the file, or an empty memory when it does not exist yet.
  public static func load(_ path: String) throws(AlmonerError) -> WitnessMemory {
    guard let data = FileManager.default.contents(atPath: path) else {
      if FileManager.default.fileExists(atPath: path) {
        throw .refused(.witnessStateUnreadable(path: path))
      }
      return WitnessMemory()
    }
    return try WitnessMemory(parsing: [UInt8](data), path: path)
  }

  /// Reads the JSON form: `{"<origin>": {"root": hex, "time": n, "treeSize": n}}`.
  public init(parsing data: [UInt8], path: String) throws(AlmonerError) {
    guard let object = try? JSONValue.parse(data).objectValue else {
      throw .refused(.witnessStateNotObject(path: path))
    }
    for (origin, value) in object.members {
      guard let fields = value.objectValue, let size = fields["treeSize"]?.integerValue,
        let root = fields["root"]?.stringValue.flatMap({ Hash32(hex: $0) })
      else { throw .refused(.witnessStateEntryBroken(path: path, origin: origin)) }
      var timestamp: UInt64?
      if let time = fields["time"] {
        guard let value = time.integerValue, value >= 0 else {
          throw .refused(.witnessStateTimeBroken(path: path, origin: origin))
        }
        timestamp = UInt64(value)
      }
      seen[origin] = Seen(treeSize: size, rootHash: root, timestamp: timestamp)
    }
  }

  /// The file's bytes: canonical JSON and a newline.
  public var serialized: [UInt8] {
    let object = JSONObject(
      seen.sorted { $0.key < $1.key }.map { origin, seen in
        var fields = JSONObject([
          ("treeSize", .integer(seen.treeSize)), ("root", .string(seen.rootHash.hex)),
        ])
        if let timestamp = seen.timestamp { fields["time"] = .integer(Int64(timestamp)) }
        return (origin, .object(fields))
      })
    return Canonical.encode(.object(object)) + [0x0A]
  }

  /// Writes the file atomically (write a temporary file, then rename).
  public func save(_ path: String) throws(AlmonerError) {
    let file = try StagedFile(path: path, what: "监督记录")
    try file.write(serialized)
    try file.place()
  }
}

/// A checkpoint with everything known about it, for `checkpoint show`.
public struct CheckpointSummary: Sendable {
  public var record: CheckpointRecord
  public var signer: String
  public var cosigners: [(keyID: String, name: String, seq: Int64)]
  /// The note with the log's signature and every cosignature line.
  public var cosignedNote: String
}

extension Ledger {
  // MARK: Checkpoints

  /// Signs the current tree as a C2SP checkpoint and records it as an entry.
  /// The checkpoint covers every entry before its own.
  ///
  /// `beforeCommit` gets the signed note inside the write transaction, to
  /// write it to a file that must land together with the entry (a throw
  /// there rolls the entry back).
  public func createCheckpoint(
    signer: SigningKey, beforeCommit: ((SignedNote) throws(AlmonerError) -> Void)? = nil
  ) throws(AlmonerError) -> (appended: AppendedEntry, note: SignedNote) {
    let replayed = try checkedBeforeSigning(purpose: "签发检查点") { db in
      try LedgerStore.lastCheckpointSeq(db).map { .checkpoint(seq: $0) }
    }
    var signed: SignedNote?
    let appended = try commit(signer: signer) {
      state, log throws(AlmonerError) -> [EntryDraft] in
      let tree = try requireVerified(
        log, state: state, from: state.latestCheckpoint.map { .checkpoint(seq: $0.seq) },
        replayed: replayed, purpose: "签发检查点")
      var note = SignedNote(
        text: Checkpoint(origin: state.origin, treeSize: tree.size, rootHash: tree.root).text)
      note.sign(as: state.origin, with: signer)
      signed = note
      return [
        EntryDraft(
          body: .checkpoint(
            CheckpointBody(note: note.serialized, root: tree.root, size: tree.size)))
      ]
    } beforeCommit: { _ throws(AlmonerError) in
      try beforeCommit?(signed!)
    }
    return (appended[0], signed!)
  }

  /// Checks the log before anything is signed, without holding the write
  /// lock: the tree a checkpoint or cosignature vouches for is rebuilt from
  /// the entries' own bytes, their links and commit signatures, never taken
  /// from stored hashes or Merkle nodes that someone could have edited.
  ///
  /// With an anchor — a root already signed (see `SigningAnchor`) — only the
  /// entries after it are read, and the check is repeated under the write
  /// lock with the sealed state (which also checks the signatures); returns
  /// nil. Without one (the first checkpoint), the whole log is replayed, as
  /// `verify ledger` does, and the tree it rebuilt is returned.
  private func checkedBeforeSigning(
    purpose: String, anchor: (Database) throws -> SigningAnchor?
  ) throws(AlmonerError) -> (size: Int64, root: Hash32)? {
    let anchored = try read { db in
      guard let anchor = try anchor(db) else { return false }
      _ = try self.rebuiltTail(db, state: nil, from: anchor, purpose: purpose)
      return true
    }
    return anchored ? nil : try Ledger.verifiedTree(try verify(), purpose: purpose)
  }

  private static func verifiedTree(_ report: VerificationReport, purpose: String)
    throws(AlmonerError) -> (size: Int64, root: Hash32)
  {
    guard report.isClean, let root = report.treeRoot else {
      throw .refused(
        .ledgerCheckFailed(purpose: purpose, problem: report.problems.first.map { "\($0)" }))
    }
    return (report.entryCount, root)
  }

  /// The tree from `anchor` to the head rebuilt by `TailVerifier`, with its
  /// problems said as `verify ledger` says them.
  private func rebuiltTail(
    _ db: Database, state: LedgerState?, from anchor: SigningAnchor, keeping sizes: Set<Int64> = [],
    purpose: String
  ) throws(AlmonerError) -> TailVerifier.Rebuilt {
    do {
      return try TailVerifier(db: db, state: state).run(from: anchor, keeping: sizes)
    } catch let failure as TailVerifier.Failure {
      throw .refused(.ledgerCheckFailed(purpose: purpose, problem: "\(failure.problem)"))
    } catch {
      throw StoreErrors.explain(error, path: path, doing: "核验账本", unchanged: true)
    }
  }

  /// The tree in the write transaction, once it is known to be the one
  /// rebuilt from the entries' bytes, with the roots at `sizes` when it was
  /// rebuilt from an anchor.
  ///
  /// From an anchor, the entries after it are checked again here, under the
  /// write lock where nothing can move, against the state the last commit
  /// sealed: O(entries since the anchor). Without one, the replay before
  /// the transaction usually is this tree; when other writers appended
  /// meanwhile (the replay holds no lock), the log is replayed again here —
  /// so signing succeeds however busy the ledger is, at the cost of keeping
  /// writers waiting for one replay.
  private func requireVerified(
    _ log: LogContext, state: LedgerState, from anchor: SigningAnchor?,
    keeping sizes: Set<Int64> = [], replayed: (size: Int64, root: Hash32)?, purpose: String
  ) throws(AlmonerError) -> (size: Int64, root: Hash32, roots: [Int64: Hash32]) {
    let tree = log.treeRoot()
    var verified: (size: Int64, root: Hash32)
    var roots: [Int64: Hash32] = [:]
    if let anchor {
      let rebuilt = try rebuiltTail(
        log.db, state: state, from: anchor, keeping: sizes, purpose: purpose)
      // Attachments of the requests since the anchor; older ones were checked
      // when the anchor's tree was signed.
      if let problem = attachmentProblems(in: state, since: rebuilt.firstSeq).first {
        throw .refused(.ledgerCheckFailed(purpose: purpose, problem: "\(problem)"))
      }
      verified = (rebuilt.size, rebuilt.root)
      roots = rebuilt.roots
    } else if let replayed, replayed.size == tree.size {
      verified = replayed
    } else {
      var report: VerificationReport
      do {
        report = try LedgerVerifier(db: log.db).run()
      } catch {
        throw StoreErrors.explain(error, path: path, doing: "核验账本", unchanged: true)
      }
      report.problems += attachmentProblems(in: state)
      verified = try Ledger.verifiedTree(report, purpose: purpose)
    }
    guard tree.size == verified.size, tree.root == verified.root else {
      throw .refused(.storedTreeDiffers)
    }
    return (tree.size, tree.root, roots)
  }

  /// A supervisor's cosignature: checks the log's signature, checks that the
  /// checkpoint is consistent with the last one this supervisor cosigned (from
  /// `memory`, kept outside the ledger), then records the cosignature.
  ///
  /// The cosignature's timestamp is `now`, or one second past the last
  /// timestamp this supervisor used (in `memory` or in the ledger) when that
  /// is not earlier: a cosigner's timestamps strictly increase.
  /// `beforeCommit` gets the cosigned note and the supervisor's updated
  /// memory inside the write transaction, to write them to files that must
  /// land together with the entry (a throw there rolls the entry back).
  public func cosignCheckpoint(
    _ noteText: String, signer: SigningKey, memory: inout WitnessMemory, now: UInt64,
    beforeCommit: ((SignedNote, WitnessMemory) throws(AlmonerError) -> Void)? = nil
  ) throws(AlmonerError) -> (appended: AppendedEntry, note: SignedNote) {
    let note = try SignedNote(parsing: noteText)
    let checkpoint = try Checkpoint(text: note.text)
    let remembered = memory.seen[checkpoint.origin]
    if let remembered, remembered.treeSize < 0 {
      throw .refused(
        .witnessStateSizeInvalid(origin: checkpoint.origin, treeSize: remembered.treeSize))
    }
    // The tree this checkpoint signed is rebuilt from the entries' bytes
    // since what this supervisor last cosigned (anchored outside the ledger),
    // or else since the checkpoint before it.
    let replayed = try checkedBeforeSigning(purpose: "联署") { db in
      if let remembered, remembered.treeSize > 0 {
        return .remembered(size: remembered.treeSize, root: remembered.rootHash)
      }
      return try LedgerStore.lastCheckpointSeq(db, before: checkpoint.treeSize).map {
        .checkpoint(seq: $0)
      }
    }
    var cosigned = note
    var timestamp = now
    var updated = memory
    let appended = try commit(signer: signer) {
      state, log throws(AlmonerError) -> [EntryDraft] in
      if state.holdsLogRole(signer.keyID) {
        throw .refused(.cosignerSignsLogIndependent)
      }
      guard checkpoint.origin == state.origin else {
        throw .refused(
          .checkpointNotThisLedger(origin: checkpoint.origin, ledgerOrigin: state.origin))
      }
      let logSigners = state.grants.filter {
        ($0.role == .admin || $0.role == .treasurer) && $0.unit == state.district?.code
          && $0.revokedSeq == nil
      }
      let verified = logSigners.contains { grant in
        guard let raw = state.keys[grant.keyID]?.publicKey, let key = try? PublicKey(raw: raw)
        else { return false }
        return note.logSignature(name: state.origin, publicKey: key) == true
      }
      guard verified else { throw .refused(.checkpointWithoutLogSignature) }
      guard
        let record = state.checkpoints.values.first(where: {
          $0.treeSize == checkpoint.treeSize && $0.rootHash == checkpoint.rootHash
        })
      else {
        throw .refused(
          .checkpointNotInLedger(
            treeSize: checkpoint.treeSize, rootPrefix: String(checkpoint.rootHash.hex.prefix(16))))
      }
      // The cosignature signs the note text, so it must be the text the log
      // recorded (a copy with extension lines added is another note).
      guard (try SignedNote(parsing: record.note)).text.utf8.elementsEqual(note.text.utf8) else {
        throw .refused(.checkpointTextNotOriginal(seq: record.seq))
      }
      if let remembered {
        guard remembered.treeSize <= checkpoint.treeSize else {
          throw .refused(
            .checkpointOlderThanCosigned(
              treeSize: checkpoint.treeSize, remembered: remembered.treeSize))
        }
        let proof = try self.consistencyProof(
          log, old: remembered.treeSize, new: checkpoint.treeSize)
        do {
          try MerkleVerification.verifyConsistency(
            oldSize: UInt64(remembered.treeSize), newSize: UInt64(checkpoint.treeSize),
            oldRoot: remembered.rootHash, newRoot: checkpoint.rootHash, proof: proof)
        } catch {
          throw .refused(
            .historyRewritten(
              treeSize: remembered.treeSize, rootPrefix: String(remembered.rootHash.hex.prefix(16)),
              detail: "\(error)"))
        }
      }
      let anchor: SigningAnchor? =
        if let remembered, remembered.treeSize > 0 {
          .remembered(size: remembered.treeSize, root: remembered.rootHash)
        } else {
          state.checkpoints.values.filter { $0.seq < record.seq }.max { $0.seq < $1.seq }
            .map { .checkpoint(seq: $0.seq) }
        }
      let tree = try requireVerified(
        log, state: state, from: anchor, keeping: [checkpoint.treeSize], replayed: replayed,
        purpose: "联署")
      // A full replay re-applied the checkpoint entry's rules, which held its
      // root against the rebuilt tree; from an anchor, compare here.
      if anchor != nil, tree.roots[checkpoint.treeSize] != checkpoint.rootHash {
        throw .refused(.rebuiltRootDiffers(treeSize: checkpoint.treeSize))
      }
      let previous = [remembered?.timestamp, state.lastCosignatureTimestamp(keyID: signer.keyID)]
        .compactMap { $0 }.max()
      timestamp = previous.map { max(now, $0 + 1) } ?? now
      guard timestamp <= UInt64(Int64.max) else {
        throw .refused(.cosignatureTimestampOutOfRange(timestamp: timestamp))
      }
      updated.seen[checkpoint.origin] = .init(
        treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, timestamp: timestamp)
      cosigned.cosign(
        as: state.witnessName(keyID: signer.keyID), with: signer, timestamp: timestamp)
      return [
        EntryDraft(
          body: .checkpointCosign(
            CosignBody(checkpoint: record.seq, line: cosigned.signatures.last!.line)))
      ]
    } beforeCommit: { _ throws(AlmonerError) in
      try beforeCommit?(cosigned, updated)
    }
    memory = updated
    return (appended[0], cosigned)
  }

  /// Every checkpoint with its signer and cosigners, oldest first.
  public func checkpoints() throws(AlmonerError) -> [CheckpointSummary] {
    try checkpoints(state: try state())
  }

  /// The checkpoints as `state` (just loaded by the caller) records them.
  func checkpoints(state: LedgerState) throws(AlmonerError) -> [CheckpointSummary] {
    var summaries: [CheckpointSummary] = []
    for record in state.checkpoints.values.sorted(by: { $0.seq < $1.seq }) {
      let lines = state.cosignatures.values.filter { $0.checkpointSeq == record.seq }
        .sorted { $0.seq < $1.seq }
      // The checkpoint entry's author is its signer (the rules checked the signature).
      let author = try loggedEntry(at: record.seq)?.entry.author ?? ""
      summaries.append(
        CheckpointSummary(
          record: record, signer: state.keys[author]?.name ?? author,
          cosigners: lines.map { ($0.keyID, state.keys[$0.keyID]?.name ?? $0.keyID, $0.seq) },
          cosignedNote: record.note + lines.map(\.line).joined()))
    }
    return summaries
  }

  // MARK: Proofs

  private func checkedSizes(_ sizes: Int64..., count: Int64) throws(AlmonerError) {
    for size in sizes where size < 0 || size > count {
      throw .refused(.treeSizeOutOfRange(size: size, count: count))
    }
  }

  /// RFC 9162 inclusion proof of entry `seq` in the tree of the first
  /// `treeSize` entries (default: all).
  public func inclusionProof(seq: Int64, treeSize: Int64?) throws(AlmonerError) -> (
    leafHash: Hash32, treeSize: Int64, rootHash: Hash32, proof: [Hash32]
  ) {
    let count = try entryCount()
    let size = treeSize ?? count
    try checkedSizes(size, count: count)
    guard seq >= 0, seq < size else {
      throw .refused(.entryOutsideTree(seq: seq, size: size))
    }
    return try read { db in
      let tree = MerkleTree(source: DatabaseMerkleSource(db: db))
      return (
        try DatabaseMerkleSource(db: db).leaf(UInt64(seq)), size,
        try tree.rootHash(treeSize: UInt64(size)),
        try tree.inclusionProof(leafIndex: UInt64(seq), treeSize: UInt64(size))
      )
    }
  }

  /// RFC 9162 consistency proof from the first `old` entries to the first `new`.
  public func consistencyProof(old: Int64, new: Int64) throws(AlmonerError) -> (
    oldRoot: Hash32, newRoot: Hash32, proof: [Hash32]
  ) {
    try checkedSizes(old, new, count: try entryCount())
    guard old <= new else { throw .refused(.treeSizesReversed(old: old, new: new)) }
    return try read { db in
      let tree = MerkleTree(source: DatabaseMerkleSource(db: db))
      return (
        try tree.rootHash(treeSize: UInt64(old)), try tree.rootHash(treeSize: UInt64(new)),
        try tree.consistencyProof(oldSize: UInt64(old), newSize: UInt64(new))
      )
    }
  }

  private func consistencyProof(_ log: LogContext, old: Int64, new: Int64) throws(AlmonerError)
    -> [Hash32]
  {
    do {
      return try MerkleTree(source: DatabaseMerkleSource(db: log.db)).consistencyProof(
        oldSize: UInt64(old), newSize: UInt64(new))
    } catch {
      throw .refused(.consistencyProofFailed(detail: "\(error)"))
    }
  }
}
