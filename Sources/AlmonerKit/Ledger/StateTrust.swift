import AlmonerStore
import Foundation
import GRDB

/// Establishes, before a write relies on them, that the projection tables
/// hold what the log says.
///
/// The fast path checks the tables against the last commit's seal: a digest
/// of the state and the Merkle root, signed by that commit's author, whose
/// key is traced through the signed `member.grant` entries that introduced
/// it back to the genesis entry (whose hash is the ledger id). Someone who
/// can edit the file but holds no member's key can neither change a table
/// without breaking the digest nor sign a new seal with a key of their own.
/// A ledger without a usable seal (made by an earlier version, or its seal
/// removed) is replayed in full once instead, as `verify ledger` does.
struct StateTrust {
  let db: Database
  private let hasher = SHA256()

  init(db: Database) { self.db = db }

  /// Refuses a file whose schema is not the migrations' (a planted trigger
  /// would run inside the write).
  func checkSchema() throws {
    let problems = try LedgerStore.schemaProblems(db)
    guard problems.isEmpty else {
      throw AlmonerError.refused(.ledgerSchemaAltered(problems: problems.joined(separator: "；")))
    }
  }

  /// The state the next entry may be checked against, after `head`.
  func trustedState(head: (seq: Int64, hash: Hash32), tree: LogContext) throws -> LedgerState {
    let state: LedgerState
    do { state = try LedgerStore.loadState(db) } catch {
      throw AlmonerError.refused(.projectionsUnreadable(detail: "\(error)"))
    }
    guard let seal = try LedgerStore.stateSeal(db), seal.version == StateDigest.version,
      seal.lastSeq == head.seq
    else {
      try verifyWholeLog()
      return state
    }
    let digest = StateDigest(state)
    guard digest.root == seal.digest else {
      let sealed = StateDigest(serialized: seal.components)
      throw tampered(
        sealed.flatMap { $0.root == seal.digest ? digest.differingTables(from: $0) : nil }
          ?? ["state_seal"])
    }
    guard let headBytes = try LedgerStore.canonicalBytes(db, seq: head.seq),
      hasher.leafHash(headBytes).constantTimeEquals(head.hash)
    else { throw tampered(["entry"]) }
    let (size, root) = tree.treeRoot()
    guard size == head.seq + 1, root.constantTimeEquals(seal.treeRoot) else {
      throw tampered(["merkle_node"])
    }
    guard let ledgerID = state.ledgerID, let key = try proveKey(seal.author, in: state) else {
      throw tampered(["state_seal"])
    }
    let statement = StateSeal.statement(
      ledgerID: ledgerID, lastSeq: head.seq, lastHash: head.hash, treeRoot: seal.treeRoot,
      digest: seal.digest)
    guard key.isValidSignature(seal.signature, for: statement) else {
      throw tampered(["state_seal"])
    }
    return state
  }

  private func tampered(_ tables: [String]) -> AlmonerError {
    .refused(.stateSealMismatch(tables: tables.joined(separator: "、")))
  }

  /// Replays the whole log, as `verify ledger` does, and refuses on any problem.
  private func verifyWholeLog() throws {
    let report = try LedgerVerifier(db: db).run()
    guard report.isClean else {
      let shown = report.problems.prefix(3).map(\.description).joined(separator: "；")
      let more = report.problems.count > 3 ? "等 \(report.problems.count) 处" : ""
      throw AlmonerError.refused(.ledgerProblemsBeforeWrite(problems: shown + more))
    }
  }

  /// Most steps from a key to the genesis admin through the grants that
  /// introduced each key: more than any real ledger's chain of admins.
  static let keyChainLengthMax = 64

  /// The public key of `keyID`, once the entry that introduced it is shown to
  /// be in a commit signed by a key proven the same way, back to the genesis
  /// entry; nil when the chain is broken anywhere.
  private func proveKey(_ keyID: String, in state: LedgerState) throws -> PublicKey? {
    var current = keyID
    var proven: PublicKey?
    var visited: Set<String> = []
    while visited.insert(current).inserted, visited.count <= StateTrust.keyChainLengthMax {
      guard let member = state.keys[current], PublicKey.keyID(raw: member.publicKey) == current,
        let key = try? PublicKey(raw: member.publicKey)
      else { return nil }
      if proven == nil { proven = key }
      guard let introducedAt = state.grants.filter({ $0.keyID == current }).map(\.grantedSeq).min(),
        let introduction = try loggedEntry(at: introducedAt),
        introduction.introducedKey == member.publicKey
      else { return nil }
      if introduction.entry.kind == .genesis {
        // The root of trust: the genesis entry, whose hash is the ledger id.
        guard introducedAt == 0, let ledgerID = state.ledgerID,
          introduction.hash.constantTimeEquals(ledgerID), introduction.entry.author == current
        else { return nil }
        return proven
      }
      let granter = introduction.entry.author
      guard granter != current, let granterKey = state.keys[granter],
        let granterPublic = try? PublicKey(raw: granterKey.publicKey),
        try isSigned(introduction, by: granter, with: granterPublic, ledgerID: state.ledgerID)
      else { return nil }
      current = granter
    }
    return nil
  }

  /// True when `logged` is covered by the signature of the commit holding it,
  /// made by `author`: the hash chain from it to the commit's last entry is
  /// rebuilt from the entries' bytes.
  private func isSigned(
    _ logged: LoggedEntry, by author: String, with key: PublicKey, ledgerID: Hash32?
  ) throws -> Bool {
    guard let ledgerID, let commit = try LedgerStore.commit(containing: logged.seq, db),
      commit.author == author
    else { return false }
    var hash = logged.hash
    var seq = logged.seq
    while seq < commit.lastSeq {
      seq += 1
      guard let next = try loggedEntry(at: seq), next.entry.prev.constantTimeEquals(hash) else {
        return false
      }
      hash = next.hash
    }
    return key.isValidSignature(
      commit.signature,
      for: Commit.statement(
        ledgerID: ledgerID, firstSeq: commit.firstSeq, lastSeq: commit.lastSeq, lastHash: hash))
  }

  /// The entry at `seq` with its hash computed from its bytes (not the
  /// stored one), or nil when it is missing or does not decode.
  private func loggedEntry(at seq: Int64) throws -> LoggedEntry? {
    guard let bytes = try LedgerStore.canonicalBytes(db, seq: seq),
      let entry = try? Entry(canonical: bytes), entry.seq == seq
    else { return nil }
    return LoggedEntry(entry: entry, canonical: bytes, hash: hasher.leafHash(bytes))
  }
}

extension LoggedEntry {
  /// The raw public key this entry brings into the ledger: the genesis
  /// admin's, a granted member's, or a member's new key after a rotation.
  var introducedKey: [UInt8]? {
    let text: String?
    switch entry.body {
    case .genesis(let body): text = body.admin.publicKey
    case .memberGrant(let body): text = body.publicKey
    case .memberRotate(let body): text = body.publicKey
    default: text = nil
    }
    return text.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
  }
}
