import AlmonerStore
import Foundation
import GRDB

/// An open ledger file. All changes go through `commit`, one SQLite
/// transaction each: entries, projections and the commit signature land
/// together or not at all, and concurrent writers are serialised.
public final class Ledger {
  /// Most entries one commit may hold.
  public static let entriesPerCommitMax = 100_000

  let store: LedgerStore
  public let clock: LedgerClock
  private let hasher = SHA256()
  /// The state this object last committed, with the head and Merkle root
  /// it left; reused while the file still has exactly that head and root (no
  /// other process appended, nobody edited the log's tail).
  private var cached: (head: Int64, hash: Hash32, root: Hash32, state: LedgerState)?
  /// While `commitBatches` runs: the daily balance movements of its commits,
  /// summed, written once before its transaction commits (a bill's
  /// donations fall on a few hundred days, not one row each).
  private var deferredDailySums: [DailyKey: Int64]?

  public var path: String { store.path }

  private init(store: LedgerStore, clock: LedgerClock) {
    self.store = store
    self.clock = clock
  }

  /// Opens an existing ledger file. Commands that only read pass
  /// `.readOnly`, so they also work on a ledger the user may not write.
  public static func open(
    at path: String, clock: LedgerClock = .system, access: LedgerAccess = .readWrite
  ) throws(AlmonerError) -> Ledger {
    Ledger(store: try LedgerStore.open(at: path, access: access), clock: clock)
  }

  /// Creates a ledger whose genesis entry makes the district and its first
  /// admin (DESIGN §3).
  public static func create(
    at path: String, district code: String, name: String, admin: SigningKey, adminName: String,
    origin: String? = nil, timeZone: String = "Asia/Shanghai", clock: LedgerClock = .system
  ) throws(AlmonerError) -> Ledger {
    try UnitRules.checkCode(code)
    let name = try Text.input(name, field: "--name")
    let adminName = try Text.input(adminName, field: "管理员姓名")
    guard TimeZone(identifier: timeZone) != nil else { throw .refused(.timeZoneInvalid(timeZone)) }
    var checkedOrigin = Text.defaultOrigin(district: code)
    if let origin { checkedOrigin = try Text.origin(origin) }
    let body = GenesisBody(
      admin: .init(name: adminName, publicKey: Data(admin.publicKey.raw).base64EncodedString()),
      district: .init(code: code, name: name),
      ledger: .init(origin: checkedOrigin, timeZone: timeZone))
    let today = try clock.today(in: timeZone)
    let ledger = Ledger(store: try LedgerStore.create(at: path), clock: clock)
    do throws(AlmonerError) {
      _ = try ledger.commit(signer: admin) { _ throws(AlmonerError) in
        [EntryDraft(date: today, body: .genesis(body))]
      }
    } catch {
      try? FileManager.default.removeItem(atPath: path)
      throw error
    }
    return ledger
  }

  // MARK: Reading

  /// Runs `body` in a read transaction: a consistent snapshot.
  func read<T>(_ body: (Database) throws -> T) throws(AlmonerError) -> T {
    do {
      return try store.queue.read(body)
    } catch {
      throw StoreErrors.explain(error, path: path, doing: "读取账本", unchanged: false)
    }
  }

  /// The current state, from the projection tables.
  public func state() throws(AlmonerError) -> LedgerState {
    try read { db in try LedgerStore.loadState(db) }
  }

  /// What `appended` did, in one sentence naming units by name and code,
  /// the fund and the counterparty, as of the state this object just
  /// committed (see `LedgerState.describe`).
  public func describe(_ appended: AppendedEntry) -> String {
    let current = cached?.state ?? (try? state()) ?? LedgerState()
    let described = try? read { db in try describe(appended.entry, state: current, db: db) }
    guard let described else { return appended.entry.kind.displayName }
    let amount = described.amountFen.map { "，金额 \(Money(fen: $0).displayText)" } ?? ""
    return described.summary + amount
  }

  public func entryCount() throws(AlmonerError) -> Int64 {
    try read { db in try LedgerStore.head(db).map { $0.seq + 1 } ?? 0 }
  }

  /// The entry at `seq` with its stored hash, if there is one.
  public func loggedEntry(at seq: Int64) throws(AlmonerError) -> LoggedEntry? {
    let stored = try read { db in try LedgerStore.storedEntry(db, seq: seq) }
    guard let stored else { return nil }
    return LoggedEntry(
      entry: try Entry(canonical: stored.canonical), canonical: stored.canonical, hash: stored.hash)
  }

  // MARK: Writing

  /// Appends the drafts `build` returns as one signed commit.
  ///
  /// `build` runs inside the write transaction with the state as of the last
  /// entry, so it can resolve names against what is really there; the seq and
  /// prev of each entry are assigned here, under SQLite's write lock, so two
  /// processes committing at once produce one linear chain.
  @discardableResult
  public func commit(
    signer: SigningKey, _ build: (LedgerState) throws(AlmonerError) -> [EntryDraft]
  ) throws(AlmonerError) -> [AppendedEntry] {
    try commit(signer: signer) { state, _ throws(AlmonerError) in try build(state) }
  }

  /// `commit` for drafts that also need the log itself, such as a checkpoint
  /// (which signs the Merkle root of everything before it).
  ///
  /// `beforeCommit` runs inside the transaction once the entries are in,
  /// just before SQLite commits: an output file that must land together with
  /// the entries is written there (to a temporary name), so that if it can't
  /// be written, nothing is committed.
  func commit(
    signer: SigningKey, _ build: (LedgerState, LogContext) throws(AlmonerError) -> [EntryDraft],
    beforeCommit: (([AppendedEntry]) throws(AlmonerError) -> Void)? = nil
  ) throws(AlmonerError) -> [AppendedEntry] {
    var outcome: Result<(appended: [AppendedEntry], head: Int64, state: LedgerState), AlmonerError>?
    var sealed: (hash: Hash32, root: Hash32)?
    do {
      try store.queue.inTransaction(.immediate) { db in
        do {
          let result = try append(db, signer: signer, build: build)
          try beforeCommit?(result.appended)
          outcome = .success((result.appended, result.head, result.state))
          sealed = (result.hash, result.root)
          return .commit
        } catch let error as AlmonerError {
          outcome = .failure(error)
          return .rollback
        }
      }
    } catch {
      cached = nil
      throw StoreErrors.explain(error, path: path, doing: "写入账本", unchanged: true)
    }
    switch outcome {
    case .success(let result):
      if let sealed { cached = (result.head, sealed.hash, sealed.root, result.state) }
      return result.appended
    case .failure(let error):
      cached = nil
      throw error
    case nil:
      preconditionFailure("transaction finished without an outcome")
    }
  }

  /// Appends signed commits in one SQLite transaction, as long as `build`
  /// has more: all of them land, or none (an import is all-or-nothing per
  /// file). `build` gets the state after the previous commit and says what
  /// comes next: a commit's drafts (never none), the end, or that nothing
  /// may land after all (`.rollBack`). The state is sealed once, after the
  /// last commit. Returns the seqs appended and the number of commits; nil
  /// when there was nothing to append or it was rolled back.
  func commitBatches(
    signer: SigningKey, _ build: (LedgerState, LogContext) throws(AlmonerError) -> BatchStep
  ) throws(AlmonerError) -> (first: Int64, last: Int64, commitCount: Int)? {
    var outcome: Result<(first: Int64, last: Int64, commitCount: Int)?, AlmonerError>?
    var last: (head: Int64, hash: Hash32, root: Hash32, state: LedgerState)?
    do {
      try store.queue.inTransaction(.immediate) { db in
        deferredDailySums = [:]
        defer { deferredDailySums = nil }
        do {
          var first: Int64?
          var commitCount = 0
          var rolledBack = false
          var finished = false
          while !finished {
            var step: BatchStep?
            do {
              // The state is sealed once, after the last commit: the seal
              // vouches for the state at the head, and the transaction
              // lands whole or not at all.
              let result = try append(db, signer: signer, sealing: false) {
                state, log throws(AlmonerError) in
                step = try build(state, log)
                guard case .commit(let drafts) = step else { return [] }
                return drafts
              }
              first = first ?? result.appended.first?.seq
              commitCount += 1
              // The next commit starts from this one's state, in this transaction.
              last = (result.head, result.hash, result.root, result.state)
              cached = last
            } catch let error as AlmonerError {
              // `append` refuses the empty commit that stands for the end.
              switch step {
              case .finish?: finished = true
              case .rollBack?:
                finished = true
                rolledBack = true
              case .commit?, nil: throw error
              }
            }
          }
          guard !rolledBack, let first, let last else {
            outcome = .success(nil)
            return .rollback
          }
          try LedgerStore.writeDailySums(deferredDailySums ?? [:], db)
          try writeSeal(
            db, signer: signer, state: last.state, lastSeq: last.head, lastHash: last.hash,
            treeRoot: last.root)
          outcome = .success((first, last.head, commitCount))
          return .commit
        } catch let error as AlmonerError {
          outcome = .failure(error)
          return .rollback
        }
      }
    } catch {
      cached = nil
      throw StoreErrors.explain(error, path: path, doing: "写入账本", unchanged: true)
    }
    switch outcome {
    case .success(let appended):
      cached = appended == nil ? nil : last
      return appended
    case .failure(let error):
      cached = nil
      throw error
    case nil:
      preconditionFailure("transaction finished without an outcome")
    }
  }

  private func append(
    _ db: Database, signer: SigningKey, sealing: Bool = true,
    build: (LedgerState, LogContext) throws(AlmonerError) -> [EntryDraft]
  ) throws -> (
    appended: [AppendedEntry], head: Int64, hash: Hash32, root: Hash32, state: LedgerState
  ) {
    precondition(db.isInsideTransaction)
    let head = try LedgerStore.head(db)
    let firstSeq = (head?.seq ?? -1) + 1
    let lookup = try LogContext.restored(db, treeSize: firstSeq)
    let trust = StateTrust(db: db)
    try trust.checkSchema()
    var state: LedgerState
    if let cached, let head, cached.head == head.seq, cached.hash == head.hash,
      cached.root == lookup.treeRoot().root
    {
      state = cached.state
    } else if let head {
      // The projection tables lack the deferred movements: only the state
      // this object committed in the same transaction is current.
      precondition(deferredDailySums?.isEmpty ?? true, "commitBatches continues from its own state")
      state = try trust.trustedState(head: head, tree: lookup)
    } else {
      state = LedgerState()
    }
    let drafts = try build(state, lookup)
    guard !drafts.isEmpty else { throw AlmonerError.refused(.commitEmpty) }
    guard drafts.count <= Ledger.entriesPerCommitMax else {
      throw AlmonerError.refused(.commitTooLarge(max: Ledger.entriesPerCommitMax))
    }
    var prev = head?.hash ?? .zero
    let time = clock.timestamp()
    if let head, let headTime = try LedgerStore.entryTime(db, seq: head.seq), headTime > time {
      // Entry times never run backwards (`verify ledger` checks it): a clock
      // behind the log's last entry is wrong, not a reason to rewrite time.
      throw AlmonerError.refused(.clockBehindLedger(time: "\(time)", headTime: "\(headTime)"))
    }
    let today = try clock.today(in: state.timeZone.isEmpty ? "Asia/Shanghai" : state.timeZone)
    var changes = ProjectionChanges()
    var appended: [AppendedEntry] = []
    appended.reserveCapacity(drafts.count)
    let lastSeq = firstSeq + Int64(drafts.count) - 1
    let writer = try CommitWriter(db, firstSeq: firstSeq, lastSeq: lastSeq, author: signer.keyID)
    for (offset, draft) in drafts.enumerated() {
      let date = draft.date ?? today
      guard date <= today else {
        throw AlmonerError.refused(.dateInFuture(date: "\(date)", today: "\(today)"))
      }
      let entry = Entry(
        seq: firstSeq + Int64(offset), prev: prev, time: time, date: date, author: signer.keyID,
        body: draft.body)
      let bytes = entry.canonicalBytes
      let hash = hasher.leafHash(bytes)
      // Admission checks see the state before the entry, after its rules
      // passed (so a signer without the right is told that first).
      let before = entry.kind == .memberGrant ? state : nil
      try state.apply(entry, hash: hash, lookup: lookup, changes: &changes)
      try before?.admit(entry)
      try writer.insert(seq: entry.seq, hash: hash, canonical: bytes)
      if let donor = draft.donorPrivate {
        if let problem = personalDataProblem(entry, donor, hasher: hasher) {
          throw AlmonerError.refused(.personalDataInvalid(problem: problem))
        }
        try writer.insert(donor, seq: entry.seq)
      }
      if let file = draft.statementFile {
        try LedgerStore.insertStatementFile(file, for: entry, db)
      }
      if case .donation(let donation) = draft.body, let ref = donation.ref {
        try DonationReferences.insert(seq: entry.seq, ref: ref, db)
      }
      try DatabaseMerkleSource.insert(lookup.appendLeaf(hash), db)
      appended.append(AppendedEntry(seq: entry.seq, hash: hash, entry: entry))
      prev = hash
    }
    guard let ledgerID = state.ledgerID else { preconditionFailure("no ledger id after genesis") }
    if firstSeq == 0 {
      try writer.insertIdentity(ledgerID: ledgerID, origin: state.origin, timeZone: state.timeZone)
    }
    let statement = Commit.statement(
      ledgerID: ledgerID, firstSeq: firstSeq, lastSeq: lastSeq, lastHash: prev)
    try writer.sign(signer.sign(statement))
    if deferredDailySums != nil {
      LedgerStore.addDailySums(changes.postings, to: &deferredDailySums!)
      changes.postings.removeAll()
    }
    try LedgerStore.write(changes, db)
    let treeRoot = lookup.treeRoot().root
    guard sealing else { return (appended, lastSeq, prev, treeRoot, state) }
    try writeSeal(
      db, signer: signer, state: state, lastSeq: lastSeq, lastHash: prev, treeRoot: treeRoot)
    return (appended, lastSeq, prev, treeRoot, state)
  }

  /// Seals `state` as the state after entry `lastSeq` (`StateSeal`).
  private func writeSeal(
    _ db: Database, signer: SigningKey, state: LedgerState, lastSeq: Int64, lastHash: Hash32,
    treeRoot: Hash32
  ) throws {
    guard let ledgerID = state.ledgerID else { preconditionFailure("no ledger id after genesis") }
    let digest = StateDigest(state)
    let sealStatement = StateSeal.statement(
      ledgerID: ledgerID, lastSeq: lastSeq, lastHash: lastHash, treeRoot: treeRoot,
      digest: digest.root)
    try LedgerStore.writeStateSeal(
      StateSeal(
        lastSeq: lastSeq, version: StateDigest.version, treeRoot: treeRoot, digest: digest.root,
        components: digest.serialized, author: signer.keyID,
        signature: signer.sign(sealStatement)), db)
  }
}
