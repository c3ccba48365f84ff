import AlmonerStore
import Foundation
import GRDB

/// What `verify ledger` found.
public struct VerificationReport: Sendable {
  /// One thing wrong, with the entry it is about when there is one.
  public struct Problem: Sendable, Equatable, CustomStringConvertible {
    public var seq: Int64?
    public var message: String
    /// A stable code for `almoner audit` (`entry-hash-mismatch`, …).
    public var code = "verification-problem"
    /// The table concerned, for problems about stored state.
    public var table: String?
    /// Further entries the problem concerns, besides `seq` (the entry
    /// before a broken link, the rows of a projection that differ).
    public var relatedSeqs: [Int64] = []

    public init(
      seq: Int64?, message: String, code: String = "verification-problem", table: String? = nil,
      relatedSeqs: [Int64] = []
    ) {
      self.seq = seq
      self.message = message
      self.code = code
      self.table = table
      self.relatedSeqs = relatedSeqs
    }

    public var description: String {
      seq.map { "记录 #\($0)（seq \($0)）：\(message)" } ?? message
    }
  }

  public var ledgerID: Hash32?
  public var entryCount: Int64 = 0
  public var commitCount = 0
  /// The last seq whose hash, link, signature and rules all checked out.
  public var lastVerifiedSeq: Int64?
  public var headHash: Hash32?
  /// The Merkle root rebuilt from the entries' own bytes, over all of them.
  public var treeRoot: Hash32?
  public var problems: [Problem] = []

  /// A checkpoint in the log that at least one supervisor cosigned.
  public struct CosignedCheckpoint: Sendable, Equatable {
    /// The seq of the checkpoint entry.
    public var seq: Int64
    /// How many entries it covers (those before it).
    public var treeSize: Int64
    public var cosigners: [(keyID: String, name: String)]

    public static func == (lhs: Self, rhs: Self) -> Bool {
      lhs.seq == rhs.seq && lhs.treeSize == rhs.treeSize
        && lhs.cosigners.map(\.keyID) == rhs.cosigners.map(\.keyID)
    }
  }

  /// The newest cosigned checkpoint inside the log, when the replay got
  /// through and there is one.
  public var newestCosignedCheckpoint: CosignedCheckpoint?
  /// Entries after the newest cosigned checkpoint's tree (all entries when
  /// there is none): no supervisor has witnessed them yet, so nothing in
  /// this file shows whether more entries once followed them. Nil when the
  /// replay did not get through.
  public var unwitnessedEntryCount: Int64?

  public var isClean: Bool { problems.isEmpty }
}

extension Ledger {
  /// Recomputes every hash and link, checks every commit signature and that
  /// its author held the role for each entry, re-applies the rules (balance
  /// invariants included), rebuilds the projections and compares them with
  /// the stored ones. Stops the replay at the first bad entry, naming it.
  ///
  /// With `anchor` — a checkpoint this ledger signed, kept by a supervisor or
  /// resident — it also checks that the log still holds at least the
  /// entries the checkpoint covered, with the same Merkle root: the one
  /// change a chain can't reveal by itself is its last commits cut off.
  /// `witness`, a supervisor's memory file (`<key>.witness.json`), is held
  /// against the log the same way, at the size that supervisor last cosigned.
  public func verify(
    against anchor: SignedNote? = nil, witness: WitnessMemory? = nil
  ) throws(AlmonerError) -> VerificationReport {
    var anchors: [LedgerVerifier.Anchor] = []
    if let anchor {
      anchors.append(.init(checkpoint: try Checkpoint(text: anchor.text), note: anchor))
    }
    if let witness { anchors.append(.init(witness: witness)) }
    var report = try read { db in
      var verifier = LedgerVerifier(db: db)
      verifier.anchors = anchors
      return try verifier.run()
    }
    report.problems += attachmentProblems()
    return report
  }
}

/// Replays the log from genesis inside one read transaction.
struct LedgerVerifier {
  let db: Database
  /// What the log is held against from outside it: a signed checkpoint
  /// (`verify ledger --checkpoint`) or a supervisor's memory (`--witness`).
  struct Anchor {
    var checkpoint: Checkpoint?
    /// The signed note, for a checkpoint file.
    var note: SignedNote?
    /// The supervisor's memory, for a witness file.
    var witness: WitnessMemory?

    init(checkpoint: Checkpoint, note: SignedNote) {
      self.checkpoint = checkpoint
      self.note = note
    }

    init(witness: WitnessMemory) { self.witness = witness }

    /// The tree sizes whose roots the replay must keep for this anchor.
    var treeSizes: [Int64] {
      (checkpoint.map { [$0.treeSize] } ?? []) + (witness?.seen.values.map(\.treeSize) ?? [])
    }
  }

  var anchors: [Anchor] = []
  /// `almoner audit`: go on after a bad entry and report every problem,
  /// each with its code, entry and table (`verify ledger` and writes stop
  /// the replay at the first bad entry and name it).
  var reportsAll = false
  /// Tree sizes whose roots the caller wants kept (the stored checkpoints').
  var wantedTreeSizes: Set<Int64> = []
  /// Called with each entry that decodes, in seq order, during the one pass
  /// over the log (the audit's conduct rules read the log through it).
  var visit: ((LoggedEntry) -> Void)?
  private let hasher = SHA256()

  /// What one pass over the log left, besides the report: the state rebuilt
  /// from the log, the postings per account and day, and the roots kept.
  struct Replayed {
    var report: VerificationReport
    /// Nil when the replay stopped early.
    var state: LedgerState?
    var daily: [DailyKey: Int64] = [:]
    var roots: [Int64: Hash32] = [:]
  }

  init(db: Database) { self.db = db }

  private struct StoredCommit {
    var firstSeq: Int64
    var lastSeq: Int64
    var author: String
    var signature: [UInt8]
  }

  private struct Failure: Error {
    var seq: Int64?
    var message: String
    var code = "verification-problem"
    var related: [Int64] = []
    /// The projection table concerned, if any.
    var table: String?

    var problem: VerificationReport.Problem {
      .init(seq: seq, message: message, code: code, table: table, relatedSeqs: related)
    }
  }

  func run() throws -> VerificationReport { try replayAll().report }

  func replayAll() throws -> Replayed {
    var report = VerificationReport()
    /// With `reportsAll`, a table that can't be read (dropped, or its
    /// schema changed) is one more problem; otherwise the end of the check.
    func lenient<T>(_ table: String, _ empty: T, _ read: () throws -> T) throws -> T {
      guard reportsAll else { return try read() }
      do { return try read() } catch {
        report.problems.append(
          .init(
            seq: nil, message: "表 \(table) 读不出来（\(error)）：文件在 almoner 之外被改动过",
            code: "table-unreadable", table: table))
        return empty
      }
    }
    let commitRows = try lenient("ledger_commit", []) { try LedgerStore.commitRows(db) }
    let commits = commitRows.map { row in
      StoredCommit(
        firstSeq: row.firstSeq ?? -1, lastSeq: row.lastSeq ?? -1,
        author: row.author ?? "", signature: row.signature ?? [])
    }
    report.commitCount = commits.count
    report.problems += try LedgerStore.schemaProblems(db).map {
      .init(seq: nil, message: $0, code: "schema-changed", table: "sqlite_master")
    }
    var state = LedgerState()
    var daily: [DailyKey: Int64] = [:]
    var merkleNodes: [MerkleNodeKey: Hash32] = [:]
    let anchorSizes = Set(anchors.flatMap(\.treeSizes)).union(wantedTreeSizes)
    var anchorRoots: [Int64: Hash32] =
      anchorSizes.contains(0) ? [0: MerkleVerification.emptyTreeRootHash] : [:]
    var withoutPersonalData: [(seq: Int64, whose: String)] = []
    do {
      try replay(
        commits: commits, state: &state, daily: &daily, merkleNodes: &merkleNodes,
        anchorSizes: anchorSizes, anchorRoots: &anchorRoots,
        withoutPersonalData: &withoutPersonalData, report: &report)
    } catch let failure as Failure {
      report.problems.append(failure.problem)
      // The replay counts the rows it reads; cut short, it counts them here.
      report.entryCount = try LedgerStore.entryRowCount(db)
      return Replayed(report: report)
    }
    report.ledgerID = state.ledgerID
    for (key, rebuilt) in [
      ("ledger_id", state.ledgerID?.hex), ("origin", state.origin), ("time_zone", state.timeZone),
    ] where try LedgerStore.meta(db, key) != rebuilt {
      report.problems.append(
        .init(
          seq: nil, message: "ledger_meta 中的 \(key) 与建账记录不符", code: "projection-mismatch",
          table: "ledger_meta"))
    }
    report.noteWitnessing(state: state)
    for anchor in anchors {
      if let checkpoint = anchor.checkpoint, let note = anchor.note {
        report.problems += anchorProblems(
          (checkpoint, note), root: anchorRoots[checkpoint.treeSize], state: state,
          count: report.entryCount)
      }
      if let witness = anchor.witness {
        report.problems += witnessProblems(
          witness, roots: anchorRoots, state: state, count: report.entryCount)
      }
    }
    report.problems += compareProjections(rebuilt: state, daily: daily)
    report.problems += try lenient("merkle_node", []) { try compareMerkleNodes(merkleNodes) }
    report.problems += try lenient("donor_private", []) { try checkOrphanDonorRecords() }
    report.problems += try lenient("donor_private", []) {
      try checkErasures(withoutPersonalData, erasures: state.erasures)
    }
    report.problems += try lenient("statement_file", []) {
      try checkStatementFiles(state.statements)
    }
    return Replayed(report: report, state: state, daily: daily, roots: anchorRoots)
  }

  // MARK: The log

  /// With `reportsAll`, the most problems of one code listed one by one;
  /// the rest are counted.
  static let problemsPerCodeMax = 1_000

  /// Entries read and decoded per batch.
  static let batchSize = 4_096

  /// One stored entry row, with the work that needs no earlier entry done:
  /// its hash recomputed, its bytes decoded and checked to be canonical.
  /// A class, so that the replay reads each row where it is: copying the
  /// struct it was retained every field of the entry, twice per entry.
  /// Like its batch, touched by one thread at a time.
  private final class DecodedRow: @unchecked Sendable {
    let seq: Int64
    let commitSeq: Int64
    let storedHash: Hash32?
    let storedHashLength: Int
    let canonical: [UInt8]
    var computedHash = Hash32.zero
    var entry: Entry?
    var decodeError: String?
    /// The donor's private record, when one is stored for this seq.
    let donor: DonorPrivate?
    /// The donation_ref rows read with this one (see `EntryRowReader.Row`).
    let references: [(seq: Int64, ref: String?)]
    /// Set when a stored donor record does not open this entry's commitment.
    var donorProblem: String?

    init(
      seq: Int64, commitSeq: Int64, storedHash: Hash32?, storedHashLength: Int,
      canonical: [UInt8], donor: DonorPrivate?, references: [(seq: Int64, ref: String?)]
    ) {
      self.seq = seq
      self.commitSeq = commitSeq
      self.storedHash = storedHash
      self.storedHashLength = storedHashLength
      self.canonical = canonical
      self.donor = donor
      self.references = references
    }
  }

  private func replay(
    commits: [StoredCommit], state: inout LedgerState, daily: inout [DailyKey: Int64],
    merkleNodes: inout [MerkleNodeKey: Hash32], anchorSizes: Set<Int64>,
    anchorRoots: inout [Int64: Hash32], withoutPersonalData: inout [(seq: Int64, whose: String)],
    report: inout VerificationReport
  ) throws {
    var commitIndex = 0
    var expectedSeq: Int64 = 0
    var prev = Hash32.zero
    var previousTime: Int64 = .min
    var days: LocalDays?
    let lookup = LogContext(db: db, tree: MerkleAppender())
    var changes = ProjectionChanges()
    // With `reportsAll`, a donor_private table that can't be read leaves
    // every donation without its record (reported as such).
    let donorRecordsReadable =
      !reportsAll || (try? LedgerStore.donorPrivateHasRows(db)) == true
    var checkedCommitIndex = -1
    var clean = true
    var noted: [String: Int] = [:]
    /// A problem: the end of the replay, or with `reportsAll` one more
    /// problem in the report (up to `problemsPerCodeMax` of each code).
    func note(_ failure: Failure) throws {
      guard reportsAll else { throw failure }
      clean = false
      noted[failure.code, default: 0] += 1
      if noted[failure.code, default: 0] <= LedgerVerifier.problemsPerCodeMax {
        report.problems.append(failure.problem)
      }
    }
    defer {
      for (code, count) in noted.sorted(by: { $0.key < $1.key })
      where count > LedgerVerifier.problemsPerCodeMax {
        report.problems.append(
          .init(
            seq: nil,
            message:
              "同类问题（\(code)）共 \(count) 处，以上只列出前 \(LedgerVerifier.problemsPerCodeMax) 处：账本被大面积改动，请从可信的备份或公开日志恢复",
            code: code))
      }
    }
    // A pipeline: while this thread replays one batch in order, another
    // reads the next from the file (entries, donor records, donation_ref
    // rows), hashes and decodes it. Meanwhile this thread uses the
    // connection (earlier entries) only under the reader's lock.
    let lock = NSLock()
    let reader = try EntryRowReader(
      db, lock: lock, withDonors: donorRecordsReadable, withReferences: reportsAll ? nil : true)
    var references = DonationReferenceCheck(compares: reader.readsReferences)
    lookup.lock = lock
    @Sendable func readBatch() throws -> DecodedBatch {
      let batch = DecodedBatch()
      let rows = try reader.next(LedgerVerifier.batchSize)
      batch.rows.reserveCapacity(rows.count)
      for row in rows {
        // A file edited outside SQLite's constraints is reported, not a crash.
        guard let seq = row.seq, let commitSeq = row.commitSeq else {
          throw Failure(seq: nil, message: "记录表中有序号或所属提交为空（或类型不对）的行：数据被改动")
        }
        batch.rows.append(
          DecodedRow(
            seq: seq, commitSeq: commitSeq, storedHash: row.hash.flatMap { Hash32(bytes: $0) },
            storedHashLength: row.hash?.count ?? 0, canonical: row.canonical, donor: row.donor,
            references: row.references))
      }
      return batch
    }
    var current = try readBatch()
    LedgerVerifier.decode(current, workers: ProcessInfo.processInfo.activeProcessorCount)
    // The day sums of a batch's postings are added up on a third thread,
    // one batch at a time in order, while the replay goes on.
    let sums = DailySums()
    let summing = DispatchQueue(label: "almoner.verify.daily-sums")
    let summed = DispatchGroup()
    defer { summed.wait() }
    var posted: [(date: AccountingDate, posting: Posting)] = []
    // The batch just replayed is freed there too: its entries are many
    // small allocations.
    let retired = ReadAhead()
    while true {
      let reading = ReadAhead()
      let decoding = DispatchGroup()
      let postedBefore = posted
      posted = []
      if current.rows.count == LedgerVerifier.batchSize {
        DispatchQueue.global().async(group: decoding) {
          retired.result = nil
          reading.result = Result {
            let next = try readBatch()
            LedgerVerifier.decode(next, workers: 1)
            return next
          }
        }
      }
      defer { decoding.wait() }
      summing.async(group: summed) { sums.add(postedBefore) }
      report.entryCount += Int64(current.rows.count)
      for decoded in current.rows {
        let seq = decoded.seq
        references.receive(decoded.references)
        var checksLink = true
        if seq != expectedSeq {
          try note(
            Failure(
              seq: expectedSeq,
              message: seq > expectedSeq
                ? (expectedSeq == 0
                  ? "缺失：日志没有建账记录（序号 0），第一条是序号 \(seq)"
                  : "缺失：日志在序号 \(expectedSeq - 1) 之后直接跳到序号 \(seq)")
                : "序号重复或错乱",
              code: seq > expectedSeq ? "entry-missing" : "entry-out-of-order",
              related: seq > expectedSeq ? Array((expectedSeq..<seq).prefix(16)) : [seq]))
          // Only with `reportsAll`: go on from the entry that is there.
          guard seq > expectedSeq else { continue }
          expectedSeq = seq
          checksLink = false
        }
        if reportsAll {
          // Commits whose last entries are missing (reported above).
          while commitIndex < commits.count, commits[commitIndex].lastSeq < seq { commitIndex += 1 }
        }
        var commit: StoredCommit?
        if commitIndex < commits.count, commits[commitIndex].firstSeq <= seq {
          commit = commits[commitIndex]
        } else {
          try note(Failure(seq: seq, message: "不属于任何已签名的提交", code: "entry-unsigned"))
        }
        if let current = commit, checkedCommitIndex != commitIndex {
          checkedCommitIndex = commitIndex
          if current.firstSeq != (commitIndex == 0 ? 0 : commits[commitIndex - 1].lastSeq + 1) {
            try note(
              Failure(seq: current.firstSeq, message: "提交的起始序号与上一提交不衔接", code: "commit-gap"))
          }
        }
        if let commit, decoded.commitSeq != commit.firstSeq {
          try note(
            Failure(
              seq: seq, message: "所属提交（commit_seq=\(decoded.commitSeq)）与签名提交不符",
              code: "entry-commit-mismatch"))
        }
        let hash = decoded.computedHash
        let (checked, inPlace) = try check(decoded, prev: checksLink ? prev : nil, note: note)
        if let entry = checked {
          visit?(LoggedEntry(entry: entry, canonical: decoded.canonical, hash: hash))
          if let problem = decoded.donorProblem {
            report.problems.append(
              .init(
                seq: seq, message: problem, code: "personal-data-mismatch", table: "donor_private"))
          }
          if decoded.donor == nil, let (whose, _, _) = entry.personalDataCommitment {
            withoutPersonalData.append((seq, whose))
          }
          var ref: String?
          if case .donation(let donation) = entry.body { ref = donation.ref }
          for failure in references.check(seq: seq, ref: ref) { try note(failure) }
          if let commit, entry.author != commit.author {
            try note(
              Failure(
                seq: seq, message: "作者 \(entry.author) 与所在提交的签名者 \(commit.author) 不符",
                code: "entry-author-mismatch"))
          }
          if inPlace {
            do {
              try state.apply(entry, hash: hash, lookup: lookup, changes: &changes)
            } catch {
              try note(Failure(seq: seq, message: "不符合账本规则：\(error.message)", code: "rule-broken"))
            }
          }
          if days?.timeZone != state.timeZone {
            do { days = try LocalDays(timeZone: state.timeZone) } catch {
              days = nil
              try note(Failure(seq: seq, message: error.message, code: "ledger-time-zone"))
            }
          }
          if let days {
            do { previousTime = try checkTime(entry, after: previousTime, days: days) } catch let
              failure as Failure
            { try note(failure) }
          }
        }
        for node in lookup.appendLeaf(hash) {
          merkleNodes[MerkleNodeKey(level: node.level, index: Int64(node.index))] = node.hash
        }
        if !anchorSizes.isEmpty, anchorSizes.contains(Int64(lookup.tree.treeSize)) {
          anchorRoots[Int64(lookup.tree.treeSize)] = lookup.treeRoot().root
        }
        posted += changes.postings
        changes.postings.removeAll(keepingCapacity: true)
        if let commit, seq == commit.lastSeq {
          if let problem = state.commitSignatureProblem(
            firstSeq: commit.firstSeq, lastSeq: commit.lastSeq, author: commit.author,
            signature: commit.signature, lastHash: hash)
          {
            let unknown = state.keys[commit.author] == nil
            try note(
              Failure(
                seq: problem.seq, message: problem.message,
                code: unknown ? "commit-signer-unknown" : "commit-signature-invalid",
                related: Array(commit.firstSeq...commit.lastSeq).suffix(16)))
          }
          commitIndex += 1
        }
        // The next link is checked against the hash stored for this entry
        // when its bytes were changed: only the changed entry is named.
        prev = inPlace && decoded.storedHash != nil ? decoded.storedHash! : hash
        if clean {
          report.ledgerID = state.ledgerID
          report.lastVerifiedSeq = seq
          report.headHash = hash
        }
        expectedSeq += 1
      }
      decoding.wait()
      guard let next = try reading.result?.get() else { break }
      retired.result = .success(current)
      current = next
    }
    summed.wait()
    sums.add(posted)
    daily = sums.sums
    report.treeRoot = lookup.treeRoot().root
    references.receive(try reader.remainingReferences())
    for failure in references.check(seq: .max, ref: nil) { try note(failure) }
    if commitIndex < commits.count {
      let missing = commits[commitIndex]
      try note(
        Failure(
          seq: max(missing.firstSeq, expectedSeq),
          message: "缺失：提交 \(missing.firstSeq)–\(missing.lastSeq) 已签名，但日志只到记录 #\(expectedSeq - 1)",
          code: "entry-missing"))
    }
    report.ledgerID = state.ledgerID
  }

  /// The `donation_ref` table against the donations' references, read in
  /// seq order beside the log (by the reading thread, with the entries): a
  /// missing, changed or extra row is named by the entry's seq, in memory
  /// bounded by a batch of rows.
  private struct DonationReferenceCheck {
    /// False when the table can't be read (reported by the schema check):
    /// its rows are then not compared.
    let compares: Bool
    /// Rows read and not yet checked, in seq order, from `next` on.
    private var pending: [(seq: Int64, ref: String?)] = []
    private var next = 0

    init(compares: Bool) { self.compares = compares }

    /// Rows read after those already received.
    mutating func receive(_ rows: [(seq: Int64, ref: String?)]) {
      if next == pending.count {
        pending.removeAll(keepingCapacity: true)
        next = 0
      }
      pending += rows
    }

    /// The rows received up to `seq` against the entry at `seq` (`ref` nil:
    /// not a donation with a reference); `.max` once the log is read.
    mutating func check(seq: Int64, ref: String?) -> [Failure] {
      var failures: [Failure] = []
      func mismatch(_ seq: Int64, _ message: String) -> Failure {
        Failure(
          seq: seq, message: "donation_ref 表\(message)：表被改动过", code: "projection-mismatch",
          table: "donation_ref")
      }
      while next < pending.count, pending[next].seq <= seq {
        let row = pending[next]
        next += 1
        if row.seq < seq || ref == nil {
          failures.append(
            mismatch(row.seq, "有记录 #\(row.seq) 的外部流水号「\(row.ref ?? "")」，但这条记录不是带流水号的捐赠"))
        } else if row.ref != ref {
          failures.append(
            mismatch(seq, "中记录 #\(seq) 的外部流水号是「\(row.ref ?? "")」，记录内容是「\(ref ?? "")」"))
        }
        if row.seq == seq { return failures }
      }
      if let ref, seq != .max, compares {
        failures.append(mismatch(seq, "缺少记录 #\(seq) 的外部流水号「\(ref)」"))
      }
      return failures
    }
  }

  /// A batch, or why it could not be read, handed between the replay and
  /// the reading thread (each touches it only after waiting for the other).
  private final class ReadAhead: @unchecked Sendable {
    var result: Result<DecodedBatch, any Error>?
  }

  /// The postings' sums per balance and day, added up a batch at a time on
  /// a serial queue (which the replay waits for before reading them).
  private final class DailySums: @unchecked Sendable {
    var sums: [DailyKey: Int64] = [:]

    func add(_ postings: [(date: AccountingDate, posting: Posting)]) {
      LedgerStore.addDailySums(postings, to: &sums)
    }
  }

  /// A batch handed between the reading thread and a decoding thread; only
  /// one of them touches it at a time.
  private final class DecodedBatch: @unchecked Sendable {
    var rows: [DecodedRow] = []
  }

  /// Hashes, decodes and canonical-checks a batch on `workers` threads: this work
  /// needs no earlier entry, unlike the link and rule checks that follow.
  private static func decode(_ batch: DecodedBatch, workers: Int) {
    let workers = max(1, min(workers, 8))
    batch.rows.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let rows = buffer
      let chunk = (rows.count + workers - 1) / workers
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let hasher = SHA256()
        let range = (worker * chunk)..<min(rows.count, (worker + 1) * chunk)
        for index in range {
          rows[index].canonical.withUnsafeBytes { bytes in
            rows[index].computedHash = hasher.leafHash(bytes)
            do throws(AlmonerError) {
              // The typed reader accepts canonical bytes only, so the entry
              // re-encodes to exactly these bytes: nothing to compare.
              let entry = try Entry(canonical: bytes)
              rows[index].entry = entry
              if let donor = rows[index].donor {
                rows[index].donorProblem = personalDataProblem(entry, donor, hasher: hasher)
              }
            } catch {
              rows[index].decodeError = error.message
            }
          }
        }
      }
    }
  }

  /// The checks on one decoded entry, in the order a reader would want them
  /// reported: stored hash, decoding (which refuses bytes that are not
  /// canonical), seq, link (`prev` nil: not checked, the entry before is
  /// missing). Returns the entry when it decodes, and whether it sits at its
  /// own seq (only then may it be applied).
  private func check(
    _ decoded: DecodedRow, prev: Hash32?, note: (Failure) throws -> Void
  ) throws -> (entry: Entry?, inPlace: Bool) {
    let seq = decoded.seq
    let computed = decoded.computedHash
    if let storedHash = decoded.storedHash {
      if !storedHash.constantTimeEquals(computed) {
        try note(
          Failure(
            seq: seq, message: "内容被改动：按内容算得哈希 \(computed.hex)，存储的是 \(storedHash.hex)",
            code: "entry-hash-mismatch"))
      }
    } else {
      try note(
        Failure(
          seq: seq, message: "存储的哈希长度不对（\(decoded.storedHashLength) 字节）",
          code: "entry-hash-mismatch"))
    }
    // Moved out, not copied: the row is not read again.
    guard let entry = decoded.entry.take() else {
      try note(
        Failure(
          seq: seq, message: "内容无法解析：\(decoded.decodeError ?? "")", code: "entry-undecodable"))
      return (nil, false)
    }
    guard entry.seq == seq else {
      try note(
        Failure(
          seq: seq, message: "内容中的 seq 是 \(entry.seq)：记录被移动或调换了位置", code: "entry-moved",
          related: [entry.seq]))
      return (entry, false)
    }
    if let prev, !entry.prev.constantTimeEquals(prev) {
      try note(
        Failure(
          seq: seq,
          message: "链接断开：prev 应为记录 #\(seq - 1) 的哈希 \(prev.hex)，实为 \(entry.prev.hex)",
          code: "chain-broken", related: [seq - 1]))
    }
    return (entry, true)
  }

  /// An entry's `time` never runs backwards, and its accounting `date` is
  /// not later than the day of its `time` in the ledger's time zone: dating
  /// an entry in the past is allowed (a move to Almoner mid-year), in the
  /// future is not. Returns the entry's time in seconds.
  private func checkTime(_ entry: Entry, after previous: Int64, days: LocalDays) throws -> Int64 {
    guard let seconds = LedgerClock.unixSeconds(entryTime: entry.time) else {
      throw Failure(
        seq: entry.seq, message: "时间 \"\(entry.time)\" 不是 UTC 的 RFC 3339 时间", code: "entry-time")
    }
    guard seconds >= previous else {
      throw Failure(
        seq: entry.seq,
        message: "时间倒退：\(entry.time) 早于上一条记录的时间 \(LedgerClock.rfc3339(unixSeconds: previous))",
        code: "entry-time")
    }
    let day: AccountingDate
    do { day = try days.date(ofUnixSeconds: seconds) } catch {
      throw Failure(seq: entry.seq, message: error.message, code: "entry-time")
    }
    guard entry.date <= day else {
      throw Failure(
        seq: entry.seq,
        message: "记账日期 \(entry.date) 晚于记录时间 \(entry.time) 当天（\(days.timeZone) 的 \(day)）：不能预先记账",
        code: "entry-time")
    }
    return seconds
  }

  // MARK: Projections and private data

  private func compareProjections(rebuilt: LedgerState, daily: [DailyKey: Int64])
    -> [VerificationReport.Problem]
  {
    let stored: LedgerState
    let storedDaily: [DailyKey: Int64]
    do {
      stored = try LedgerStore.loadState(db)
      storedDaily = try LedgerStore.loadDailyBalances(db)
    } catch {
      return [.init(seq: nil, message: "无法读取投影表：\(error)", code: "projection-unreadable")]
    }
    var problems: [VerificationReport.Problem] = []
    /// A key or row as a supervisor reads it: unit, fund, account and day
    /// by name; a long row (a checkpoint note) only as far as finds it.
    func readable(_ value: Any) -> String {
      switch value {
      case let key as BalanceKey: "\(key.unit) 基金 \(key.fund) 账户 \(key.account.name)"
      case let key as AssetAccountKey: "\(key.unit) 账户 \(key.account.name)"
      case let key as DailyKey: "\(readable(key.key)) \(key.date)"
      default:
        "\(value)".count <= 80 ? "\(value)" : "\(value)".prefix(80) + "…"
      }
    }
    /// Balances by day, as day → amount, so only the days that differ are named.
    func days(_ value: Any?) -> [AccountingDate: Int64]? {
      switch value {
      case let days as [AccountingDate: Int64]: days
      case let days as AssetDays:
        Dictionary(zip(days.dates, days.amounts)) { first, _ in first }
      default: nil
      }
    }
    func check<K: Hashable, V: Equatable>(
      _ table: String, _ left: [K: V], _ right: [K: V], what: String = ""
    ) {
      guard left != right else { return }
      let keys = Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }
      guard let example = keys.min(by: { "\($0)" < "\($1)" }) else { return }
      // daily_balance holds amounts in fen; other tables' numbers are seqs.
      func show(_ value: Any) -> String {
        if table == "daily_balance", let fen = value as? Int64 {
          return Money(fen: fen).displayText
        }
        return readable(value)
      }
      var rebuiltText = left[example].map(show) ?? "无"
      var storedText = right[example].map(show) ?? "无"
      if let rebuiltDays = days(left[example]), let storedDays = days(right[example]) {
        let differing = Set(rebuiltDays.keys).union(storedDays.keys)
          .filter { rebuiltDays[$0] != storedDays[$0] }.sorted().prefix(3)
        rebuiltText = differing.map { "\($0) \(rebuiltDays[$0].map(show) ?? "无")" }
          .joined(separator: "，")
        storedText = differing.map { "\($0) \(storedDays[$0].map(show) ?? "无")" }
          .joined(separator: "，")
      }
      // Tables keyed by seq (allocations, requests, checkpoints, …) name
      // the entries whose rows differ.
      let seqs = keys.compactMap { $0 as? Int64 }.sorted().prefix(16)
      problems.append(
        .init(
          seq: nil,
          message:
            "投影表 \(table)\(what.isEmpty ? " " : what)与日志重建结果不符（\(keys.count) 处，例如 \(readable(example))：日志重建为 \(rebuiltText)，表中为 \(storedText)）",
          code: "projection-mismatch", table: table, relatedSeqs: Array(seqs)))
    }
    check("unit", rebuilt.units, stored.units)
    check("member_key", rebuilt.keys, stored.keys)
    check(
      "member_grant", Dictionary(rebuilt.grants.map { ($0, true) }) { a, _ in a },
      Dictionary(stored.grants.map { ($0, true) }) { a, _ in a })
    if rebuilt.grants.count != stored.grants.count {
      problems.append(
        .init(
          seq: nil, message: "投影表 member_grant 的行数与日志重建结果不符", code: "projection-mismatch",
          table: "member_grant"))
    }
    check("fund", rebuilt.funds, stored.funds)
    check("daily_balance", rebuilt.assetDays, stored.assetDays, what: "（各基金资产的逐日变动）")
    check("allocation", rebuilt.allocations, stored.allocations)
    check("reversal", rebuilt.reversals, stored.reversals)
    check("checkpoint", rebuilt.checkpoints, stored.checkpoints)
    check("cosignature", rebuilt.cosignatures, stored.cosignatures)
    check("erasure", rebuilt.erasures, stored.erasures)
    check("statement_publish", rebuilt.statements, stored.statements)
    check(
      "approval_policy", ["policy": rebuilt.supervision.policy],
      ["policy": stored.supervision.policy])
    check("disbursement", rebuilt.supervision.disbursements, stored.supervision.disbursements)
    check("reconciliation", rebuilt.supervision.reconciled, stored.supervision.reconciled)
    check(
      "daily_balance", rebuilt.supervision.assetDaily, stored.supervision.assetDaily,
      what: "（银行存款与库存现金的逐日余额）")
    check("daily_balance", daily.filter { $0.value != 0 }, storedDaily, what: "（逐日余额）")
    var perFund: [LedgerState.FundKey: Int64] = [:]
    for (key, amount) in rebuilt.balances {
      perFund[LedgerState.FundKey(unit: key.unit, code: key.fund), default: 0] += amount
    }
    for (fund, sum) in perFund where sum != 0 {
      problems.append(
        .init(
          seq: nil, message: "\(fund.unit) 的基金 \(fund.code) 借贷不平衡（差 \(sum) 分）",
          code: "fund-unbalanced"))
    }
    return problems
  }

  /// What is wrong between the replayed log and a checkpoint it signed.
  private func anchorProblems(
    _ anchor: (checkpoint: Checkpoint, note: SignedNote), root: Hash32?, state: LedgerState,
    count: Int64
  ) -> [VerificationReport.Problem] {
    let checkpoint = anchor.checkpoint
    guard checkpoint.origin == state.origin else {
      return [.init(seq: nil, message: "检查点属于另一本账（\(checkpoint.origin)），本账本是 \(state.origin)")]
    }
    let signers = Set(
      state.grants.filter {
        ($0.role == .admin || $0.role == .treasurer) && $0.unit == state.district?.code
      }.map(\.keyID))
    let signed = signers.contains { keyID in
      guard let raw = state.keys[keyID]?.publicKey, let key = try? PublicKey(raw: raw) else {
        return false
      }
      return anchor.note.logSignature(name: state.origin, publicKey: key) == true
    }
    guard signed else {
      return [.init(seq: nil, message: "检查点没有本账本区级管理员或记账员的有效签名")]
    }
    guard checkpoint.treeSize <= count else {
      return [
        .init(
          seq: count,
          message: "账本只有 \(count) 条记录，少于检查点覆盖的 \(checkpoint.treeSize) 条：此后的记录被删除了")
      ]
    }
    guard root == checkpoint.rootHash else {
      return [
        .init(
          seq: nil,
          message: "账本前 \(checkpoint.treeSize) 条记录的默克尔根与检查点不符：检查点签发后历史被改写")
      ]
    }
    return []
  }

  /// What is wrong between the replayed log and what a supervisor last
  /// cosigned (their `<key>.witness.json`): a log cut below it, or an older
  /// copy restored, holds fewer entries; a rewritten one has another root.
  private func witnessProblems(
    _ witness: WitnessMemory, roots: [Int64: Hash32], state: LedgerState, count: Int64
  ) -> [VerificationReport.Problem] {
    guard let seen = witness.seen[state.origin] else {
      let others = witness.seen.keys.sorted().joined(separator: "、")
      return [
        .init(
          seq: nil,
          message:
            "监督员联署记录中没有本账本（\(state.origin)）的联署\(others.isEmpty ? "" : "，只有 \(others)")：无法对照核验")
      ]
    }
    guard seen.treeSize >= 0 else {
      return [.init(seq: nil, message: "监督员联署记录中的记录数 \(seen.treeSize) 无效")]
    }
    guard seen.treeSize <= count else {
      return [
        .init(
          seq: count,
          message:
            "账本只有 \(count) 条记录，少于监督员联署过的 \(seen.treeSize) 条：此后的记录被删除了（或换成了旧副本）")
      ]
    }
    guard roots[seen.treeSize] == seen.rootHash else {
      return [
        .init(
          seq: nil,
          message: "账本前 \(seen.treeSize) 条记录的默克尔根与监督员联署过的不符：联署后历史被改写")
      ]
    }
    return []
  }

  /// The stored Merkle nodes must be exactly those rebuilt from the log.
  private func compareMerkleNodes(_ rebuilt: [MerkleNodeKey: Hash32]) throws
    -> [VerificationReport.Problem]
  {
    var stored: [MerkleNodeKey: Hash32] = [:]
    stored.reserveCapacity(rebuilt.count)
    let rows = try LedgerStore.merkleNodeRows(db)
    while let row = try rows.next() {
      stored[MerkleNodeKey(level: row.level, index: row.index)] = row.hash ?? .zero
    }
    guard stored != rebuilt else { return [] }
    let differing = Set(stored.keys).union(rebuilt.keys).filter { stored[$0] != rebuilt[$0] }
    let first = differing.min { ($0.level, $0.index) < ($1.level, $1.index) }
    let example = first.map { "第 \($0.level) 层第 \($0.index) 个节点" } ?? ""
    return [
      .init(
        seq: nil, message: "投影表 merkle_node 与日志重建的默克尔树不符（\(differing.count) 处，例如\(example)）",
        code: "projection-mismatch", table: "merkle_node")
    ]
  }

  /// Loads the donor records stored for the entries of `batch`.
  /// Personal data may be missing only where an erasure entry deleted it,
  /// and must be gone wherever one did.
  private func checkErasures(
    _ missing: [(seq: Int64, whose: String)], erasures: [Int64: Int64]
  ) throws -> [VerificationReport.Problem] {
    var problems: [VerificationReport.Problem] = missing.filter { erasures[$0.seq] == nil }.map {
      .init(
        seq: $0.seq,
        message:
          "\($0.whose)个人信息（donor_private）缺失，但账本中没有删除它的记录（erasure）：被私自删除或丢失；删除个人信息须用 almoner erase",
        code: "personal-data-missing", table: "donor_private")
    }
    for (erased, by) in erasures.sorted(by: { $0.key < $1.key })
    where try LedgerStore.donorPrivateExists(db, seq: erased) {
      problems.append(
        .init(
          seq: erased, message: "记录 #\(by) 已删除这条记录的个人信息，但 donor_private 中仍保留着",
          code: "personal-data-kept", table: "donor_private", relatedSeqs: [by]))
    }
    return problems
  }

  /// Donor records whose seq has no entry at all.
  private func checkOrphanDonorRecords() throws -> [VerificationReport.Problem] {
    try LedgerStore.orphanDonorPrivateSeqs(db).map {
      .init(
        seq: $0, message: "有捐赠人私密信息，但没有这条记录", code: "personal-data-orphan",
        table: "donor_private")
    }
  }
}

extension VerificationReport {
  /// Fills in the newest cosigned checkpoint and the entries after it.
  mutating func noteWitnessing(state: LedgerState) {
    let cosignedSeqs = Set(state.cosignatures.values.map(\.checkpointSeq))
    let newest = state.checkpoints.values.filter { cosignedSeqs.contains($0.seq) }
      .max { $0.seq < $1.seq }
    newestCosignedCheckpoint = newest.map { record in
      CosignedCheckpoint(
        seq: record.seq, treeSize: record.treeSize,
        cosigners: state.cosignatures.values.filter { $0.checkpointSeq == record.seq }
          .sorted { $0.seq < $1.seq }
          .map { ($0.keyID, state.keys[$0.keyID]?.name ?? $0.keyID) })
    }
    unwitnessedEntryCount = entryCount - (newest?.treeSize ?? 0)
  }
}

/// A stored Merkle node's position.
struct MerkleNodeKey: Hashable {
  var level: Int
  var index: Int64
}

extension LedgerState {
  /// Why the signature of the commit `firstSeq…lastSeq` by `author` over
  /// the commit statement does not hold, with the seq to name; nil when it
  /// does. Shared by `verify ledger` and the checkpoint's tail check.
  func commitSignatureProblem(
    firstSeq: Int64, lastSeq: Int64, author: String, signature: [UInt8], lastHash: Hash32
  ) -> (seq: Int64, message: String)? {
    guard let ledgerID, let key = keys[author], let publicKey = try? PublicKey(raw: key.publicKey)
    else { return (firstSeq, "提交的签名者 \(author) 不是账本成员") }
    let statement = Commit.statement(
      ledgerID: ledgerID, firstSeq: firstSeq, lastSeq: lastSeq, lastHash: lastHash)
    guard publicKey.isValidSignature(signature, for: statement) else {
      return (lastSeq, "提交 \(firstSeq)–\(lastSeq) 的签名无效（签名者 \(key.name) \(author)）")
    }
    return nil
  }
}
