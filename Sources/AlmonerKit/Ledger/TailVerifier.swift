import AlmonerStore
import Foundation
import GRDB

/// Where the tree a checkpoint or cosignature vouches for is rebuilt from: a
/// root already trusted, so only the entries after it are read.
enum SigningAnchor: Sendable, Equatable {
  /// The checkpoint entry at this seq: its root (over the entries before it)
  /// is read from the entry's own bytes, its note signature checked against
  /// the district admin or treasurer who signed it.
  case checkpoint(seq: Int64)
  /// The tree a supervisor remembers having cosigned (kept outside the
  /// ledger, in their witness file).
  case remembered(size: Int64, root: Hash32)
}

/// Rebuilds the Merkle tree of the log from an anchor — a tree size and root
/// trusted already — reading only the entries after it: O(new entries), where
/// `LedgerVerifier` replays the whole log.
///
/// - The frontier before the first rebuilt entry comes from `merkle_node` and
///   the stored entry hashes, and must extend, with the rebuilt entries up to
///   the anchor, to the anchor's root. Only one frontier can: each of its
///   hashes is fixed by the root. An edit before the anchor that changes what
///   the tree says is refused here; one that doesn't leaves the signed tree
///   the trusted one (`verify ledger` still names it).
/// - The first rebuilt entry's `prev` must be the leaf before it in the
///   anchor's tree: an inclusion proof against the anchor's root.
/// - Every later entry is rehashed from its bytes (and the stored hash must
///   match), decoded, checked canonical and linked to the one before; each
///   commit's signature is checked with its author's key from the sealed
///   state; the Merkle nodes the rebuilt entries complete must be the
///   stored ones.
///
/// The rebuild starts at the first entry of the commit holding the anchor's
/// first entry after it, so every commit is rebuilt whole, signature included.
struct TailVerifier {
  /// What is wrong, with the entry it is about when there is one.
  struct Failure: Error {
    var seq: Int64?
    var message: String

    var problem: VerificationReport.Problem { .init(seq: seq, message: message) }
  }

  /// The tree rebuilt up to the head.
  struct Rebuilt {
    var size: Int64
    var root: Hash32
    /// The roots at the sizes asked for.
    var roots: [Int64: Hash32]
    /// The first entry rebuilt from its bytes.
    var firstSeq: Int64
  }

  let db: Database
  /// The state the last commit sealed, whose keys check the signatures. Nil
  /// checks everything but signatures, for a look before the write lock is
  /// taken and the state proven.
  let state: LedgerState?
  private let hasher = SHA256()

  init(db: Database, state: LedgerState?) {
    self.db = db
    self.state = state
  }

  /// Rebuilds the tree from `anchor` to the head, keeping the roots at `sizes`.
  func run(from anchor: SigningAnchor, keeping sizes: Set<Int64> = []) throws -> Rebuilt {
    let (anchorSize, anchorRoot) = try resolve(anchor)
    guard let head = try LedgerStore.head(db), head.seq >= anchorSize else {
      let count = try LedgerStore.head(db).map { $0.seq + 1 } ?? 0
      throw Failure(
        seq: nil, message: "账本只有 \(count) 条记录，少于已签署的 \(anchorSize) 条：此后的记录被删除了")
    }
    let commits = try commits(from: anchorSize)
    guard let start = commits.first?.firstSeq, commits.last?.lastSeq == head.seq else {
      throw Failure(seq: anchorSize, message: "不属于任何已签名的提交，或提交与日志末尾不衔接")
    }
    var tree: MerkleAppender
    do {
      tree = try MerkleTree(source: DatabaseMerkleSource(db: db)).appender(treeSize: UInt64(start))
    } catch {
      throw Failure(seq: nil, message: "无法读取前 \(start) 条记录的默克尔树：\(error)")
    }
    var roots: [Int64: Hash32] = [:]
    var prev = Hash32.zero
    var expectedSeq = start
    var commitIndex = 0
    let rows = try LedgerStore.entryRows(db, from: start)
    while let row = try rows.next() {
      guard let seq = row.seq, seq == expectedSeq else {
        throw Failure(seq: expectedSeq, message: "缺失或序号错乱：日志在序号 \(expectedSeq - 1) 之后不连续")
      }
      let size = Int64(tree.treeSize)
      if sizes.contains(size) { roots[size] = tree.rootHash(hasher: hasher) }
      if size == anchorSize, !tree.rootHash(hasher: hasher).constantTimeEquals(anchorRoot) {
        throw Failure(seq: nil, message: mismatch(anchor, size: anchorSize, root: anchorRoot))
      }
      let commit = commits[commitIndex]
      let (entry, hash) = try check(row, seq: seq, commit: commit)
      if seq == start {
        try checkFirstLink(entry, size: anchorSize, root: anchorRoot)
      } else if !entry.prev.constantTimeEquals(prev) {
        throw Failure(
          seq: seq,
          message: "链接断开：prev 应为记录 #\(seq - 1) 的哈希 \(prev.hex)，实为 \(entry.prev.hex)")
      }
      for node in tree.append(hash, hasher: hasher)
      where DatabaseMerkleSource.isStored(level: node.level) {
        let stored = try DatabaseMerkleSource(db: db).storedNode(
          level: node.level, index: node.index)
        guard stored.map({ $0.constantTimeEquals(node.hash) }) == true else {
          throw Failure(
            seq: nil,
            message: "投影表 merkle_node 第 \(node.level) 层第 \(node.index) 个节点与按记录内容重建的默克尔树不符")
        }
      }
      if seq == commit.lastSeq {
        try checkSignature(commit, lastHash: hash)
        commitIndex += 1
      }
      prev = hash
      expectedSeq += 1
    }
    guard expectedSeq == head.seq + 1, commitIndex == commits.count else {
      throw Failure(seq: expectedSeq, message: "缺失：日志只到序号 \(expectedSeq - 1)，已签名的提交到序号 \(head.seq)")
    }
    let size = Int64(tree.treeSize)
    let root = tree.rootHash(hasher: hasher)
    if sizes.contains(size) { roots[size] = root }
    return Rebuilt(size: size, root: root, roots: roots, firstSeq: start)
  }

  private func mismatch(_ anchor: SigningAnchor, size: Int64, root: Hash32) -> String {
    switch anchor {
    case .checkpoint(let seq):
      "账本前 \(size) 条记录的默克尔树与记录 #\(seq) 的检查点签署的根不符：检查点签发后历史被改动"
    case .remembered:
      "账本与您上次联署的检查点（前 \(size) 条记录，根 \(root.hex.prefix(16))…）不一致：历史被改写"
    }
  }

  // MARK: The anchor

  /// The anchor's size and root; for a checkpoint, read from its entry.
  private func resolve(_ anchor: SigningAnchor) throws -> (size: Int64, root: Hash32) {
    switch anchor {
    case .remembered(let size, let root):
      guard size > 0 else { throw Failure(seq: nil, message: "监督记录的记录数 \(size) 无效") }
      return (size, root)
    case .checkpoint(let seq):
      return (seq, try checkpointRoot(seq: seq))
    }
  }

  /// The root the checkpoint entry at `seq` signed, from the entry's own
  /// bytes, once its note is shown to be signed by who signed the entry, a
  /// district admin or treasurer at the time.
  private func checkpointRoot(seq: Int64) throws -> Hash32 {
    guard let bytes = try LedgerStore.canonicalBytes(db, seq: seq) else {
      throw Failure(seq: seq, message: "缺失：检查点记录不在日志中")
    }
    let entry: Entry
    let size: Int64
    let root: Hash32
    let note: SignedNote
    let checkpoint: Checkpoint
    do throws(AlmonerError) {
      entry = try Entry(canonical: bytes)
      guard case .checkpoint(let body) = entry.body, entry.seq == seq else {
        throw .refused(.checkpointEntryWrongKind(kind: entry.kind.rawValue, seq: entry.seq))
      }
      size = body.size
      root = body.root
      note = try SignedNote(parsing: body.note)
      checkpoint = try Checkpoint(text: note.text)
    } catch {
      throw Failure(seq: seq, message: "检查点记录无法解析：\(error.message)")
    }
    guard size == seq, checkpoint.treeSize == size, checkpoint.rootHash == root,
      checkpoint.extensionLines.isEmpty
    else {
      throw Failure(seq: seq, message: "检查点记录的记录数、根哈希与其签名文本不一致")
    }
    if let state {
      guard checkpoint.origin == state.origin, state.heldLogRole(entry.author, at: seq),
        let key = state.keys[entry.author], let publicKey = try? PublicKey(raw: key.publicKey),
        note.logSignature(name: state.origin, publicKey: publicKey) == true
      else {
        throw Failure(seq: seq, message: "检查点没有签发时区级管理员或记账员的有效签名")
      }
    }
    return root
  }

  // MARK: Entries and commits

  /// The commits from the one holding entry `seq` to the last, checked to
  /// follow one another.
  private func commits(from seq: Int64) throws -> [Commit] {
    let first = try LedgerStore.firstSeqOfCommit(db, holding: seq)
    guard let first else { return [] }
    var commits: [Commit] = []
    for row in try LedgerStore.commitRows(db, from: first) {
      guard let firstSeq = row.firstSeq, let lastSeq = row.lastSeq,
        let author = row.author, let signature = row.signature,
        firstSeq == (commits.last.map { $0.lastSeq + 1 } ?? first), lastSeq >= firstSeq
      else {
        throw Failure(seq: row.firstSeq, message: "提交的起始序号与上一提交不衔接（或提交记录损坏）")
      }
      commits.append(
        Commit(firstSeq: firstSeq, lastSeq: lastSeq, author: author, signature: signature))
    }
    guard let holding = commits.first, holding.lastSeq >= seq else { return [] }
    return commits
  }

  /// One entry rehashed and decoded from its bytes, in the order
  /// `verify ledger` reports: stored hash, decoding, seq, canonical form,
  /// commit.
  private func check(_ row: EntryRow, seq: Int64, commit: Commit) throws -> (Entry, Hash32) {
    let bytes = row.canonical ?? []
    let storedBytes = row.hash ?? []
    let hash = hasher.leafHash(bytes)
    guard let stored = Hash32(bytes: storedBytes) else {
      throw Failure(seq: seq, message: "存储的哈希长度不对（\(storedBytes.count) 字节）")
    }
    guard stored.constantTimeEquals(hash) else {
      throw Failure(seq: seq, message: "内容被改动：按内容算得哈希 \(hash.hex)，存储的是 \(stored.hex)")
    }
    let entry: Entry
    do { entry = try Entry(canonical: bytes) } catch {
      throw Failure(seq: seq, message: "内容无法解析：\(error.message)")
    }
    guard entry.seq == seq else {
      throw Failure(seq: seq, message: "内容中的 seq 是 \(entry.seq)：记录被移动或调换了位置")
    }
    guard entry.canonicalBytes == bytes else {
      throw Failure(seq: seq, message: "内容不是规范 JSON（RFC 8785）编码")
    }
    guard commit.firstSeq <= seq, seq <= commit.lastSeq, row.commitSeq == commit.firstSeq else {
      throw Failure(seq: seq, message: "所属提交与签名提交不符")
    }
    guard entry.author == commit.author else {
      throw Failure(seq: seq, message: "作者 \(entry.author) 与所在提交的签名者 \(commit.author) 不符")
    }
    return (entry, hash)
  }

  /// The first rebuilt entry links to the leaf before it in the anchor's tree.
  private func checkFirstLink(_ entry: Entry, size: Int64, root: Hash32) throws {
    let seq = entry.seq
    guard seq > 0 else {
      guard entry.prev == .zero else {
        throw Failure(seq: seq, message: "链接断开：建账记录的 prev 应为全零")
      }
      return
    }
    let proven: Bool
    do {
      let proof = try MerkleTree(source: DatabaseMerkleSource(db: db)).inclusionProof(
        leafIndex: UInt64(seq - 1), treeSize: UInt64(size))
      try MerkleVerification.verifyInclusion(
        leafHash: entry.prev, leafIndex: UInt64(seq - 1), treeSize: UInt64(size), proof: proof,
        rootHash: root)
      proven = true
    } catch {
      proven = false
    }
    guard proven else {
      throw Failure(
        seq: seq,
        message: "链接断开：prev（\(entry.prev.hex)）不是已签署的前 \(size) 条记录中记录 #\(seq - 1) 的哈希")
    }
  }

  private func checkSignature(_ commit: Commit, lastHash: Hash32) throws {
    if let problem = state?.commitSignatureProblem(
      firstSeq: commit.firstSeq, lastSeq: commit.lastSeq, author: commit.author,
      signature: commit.signature, lastHash: lastHash)
    {
      throw Failure(seq: problem.seq, message: problem.message)
    }
  }

}

extension LedgerState {
  /// True when `keyID` was an admin or treasurer of the district when the
  /// entry at `seq` was appended: who could sign that checkpoint.
  func heldLogRole(_ keyID: String, at seq: Int64) -> Bool {
    guard let district else { return false }
    return grants.contains {
      $0.keyID == keyID && ($0.role == .admin || $0.role == .treasurer)
        && $0.unit == district.code && $0.grantedSeq < seq
        && ($0.revokedSeq.map { $0 > seq } ?? true)
    }
  }
}
