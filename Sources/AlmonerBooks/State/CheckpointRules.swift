import Foundation

/// A checkpoint the ledger signed: the tree over the `treeSize` entries
/// before its own entry, as a C2SP signed note.
public struct CheckpointRecord: Sendable, Equatable {
  public var seq: Int64
  public var treeSize: Int64
  public var rootHash: Hash32
  /// The signed note as the log signed it (no cosignatures).
  public var note: String

  /// The memberwise initializer, for the store and the facade.
  package init(
    seq: Int64, treeSize: Int64, rootHash: Hash32, note: String
  ) {
    self.seq = seq
    self.treeSize = treeSize
    self.rootHash = rootHash
    self.note = note
  }
}

/// A supervisor's cosignature of a checkpoint.
public struct CosignatureRecord: Sendable, Equatable {
  public var seq: Int64
  public var checkpointSeq: Int64
  public var keyID: String
  /// The note signature line, `— <name> <base64>\n`.
  public var line: String

  /// The cosignature's timestamp (POSIX seconds), read from its line.
  public var timestamp: UInt64? {
    SignedNote.Signature(parsing: line)?.cosignatureTimestamp
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    seq: Int64, checkpointSeq: Int64, keyID: String, line: String
  ) {
    self.seq = seq
    self.checkpointSeq = checkpointSeq
    self.keyID = keyID
    self.line = line
  }
}

extension LedgerState {
  /// The key name a supervisor cosigns under: the origin, `/witness/`, and
  /// the hex part of the key id — ASCII, no spaces or plus signs.
  public func witnessName(keyID: String) -> String {
    "\(origin)/witness/\(keyID.dropFirst("ed25519:".count))"
  }

  /// Street and district supervisors: the witnesses of checkpoints.
  public func isWitness(_ keyID: String) -> Bool {
    activeGrants(of: keyID).contains {
      $0.role == .supervisor && (units[$0.unit].map { $0.tier != .community } ?? false)
    }
  }

  /// An active admin or treasurer of the district: who signs checkpoints.
  package func holdsLogRole(_ keyID: String) -> Bool {
    guard let district else { return false }
    return holds(.admin, on: district.code, keyID: keyID)
      || holds(.treasurer, on: district.code, keyID: keyID)
  }

  /// The latest timestamp among the cosignatures `keyID` has recorded.
  public func lastCosignatureTimestamp(keyID: String) -> UInt64? {
    cosignatures.values.filter { $0.keyID == keyID }.compactMap(\.timestamp).max()
  }

  /// The latest checkpoint, if any.
  public var latestCheckpoint: CheckpointRecord? {
    checkpoints.values.max { $0.seq < $1.seq }
  }

  mutating func applyCheckpoint(
    _ entry: Entry, _ body: CheckpointBody, _ lookup: some EntryLookup,
    _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let size = body.size
    let root = body.root
    let noteText = body.note
    guard let district else { throw .refused(.ledgerWithoutDistrict) }
    try requireRole([.admin, .treasurer], on: district.code, entry)
    let tree = lookup.treeRoot()
    guard size == entry.seq, tree.size == size else {
      throw .refused(.checkpointSizeWrong(entries: entry.seq, stated: size))
    }
    guard root == tree.root else {
      throw .refused(.checkpointRootWrong)
    }
    let note = try SignedNote(parsing: noteText)
    let checkpoint = try Checkpoint(text: note.text)
    guard checkpoint == Checkpoint(origin: origin, treeSize: size, rootHash: root) else {
      throw .refused(.checkpointTextDiffers)
    }
    guard let key = keys[entry.author], let publicKey = try? PublicKey(raw: key.publicKey),
      note.signatures.count == 1, note.logSignature(name: origin, publicKey: publicKey) == true,
      noteText.utf8.elementsEqual(note.serialized.utf8)
    else { throw .refused(.checkpointSignatureWrong(author: entry.author)) }
    let record = CheckpointRecord(seq: entry.seq, treeSize: size, rootHash: root, note: noteText)
    checkpoints[entry.seq] = record
    changes.checkpoints.append(record)
  }

  mutating func applyCosignature(
    _ entry: Entry, _ body: CosignBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let checkpointSeq = body.checkpoint
    let line = body.line
    guard let checkpoint = checkpoints[checkpointSeq] else {
      throw .refused(.notACheckpoint(seq: checkpointSeq))
    }
    guard !holdsLogRole(entry.author) else {
      throw .refused(.cosignerSignsLog)
    }
    guard isWitness(entry.author) else {
      let name = keys[entry.author]?.name ?? entry.author
      throw .refused(.cosignerNotWitness(name: name, keyID: entry.author))
    }
    if cosignatures.values.contains(where: {
      $0.checkpointSeq == checkpointSeq && $0.keyID == entry.author
    }) {
      throw .refused(.checkpointAlreadyCosigned(keyID: entry.author, seq: checkpointSeq))
    }
    // Exactly one signature line, under the author's own witness name.
    let note = try SignedNote(parsing: try SignedNote(parsing: checkpoint.note).text + "\n" + line)
    guard let key = keys[entry.author], let publicKey = try? PublicKey(raw: key.publicKey),
      note.signatures.count == 1, note.signatures[0].line.utf8.elementsEqual(line.utf8),
      let cosignature = note.cosignature(
        name: witnessName(keyID: entry.author), publicKey: publicKey),
      cosignature.valid
    else { throw .refused(.cosignatureLineWrong(author: entry.author)) }
    // c2sp.org/tlog-cosignature: a cosigner's timestamps only move forward,
    // so two checkpoints are never cosigned "at the same time".
    if let last = lastCosignatureTimestamp(keyID: entry.author), cosignature.timestamp <= last {
      throw .refused(
        .cosignatureTimestampNotLater(
          timestamp: cosignature.timestamp, name: keys[entry.author]?.name ?? entry.author,
          last: last))
    }
    let record = CosignatureRecord(
      seq: entry.seq, checkpointSeq: checkpointSeq, keyID: entry.author, line: line)
    cosignatures[entry.seq] = record
    changes.cosignatures.append(record)
  }
}
