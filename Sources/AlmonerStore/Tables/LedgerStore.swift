import Foundation
import GRDB

/// The SQLite file: opening and creating it, the schema, and the reads and
/// writes of the log and its projections. Nothing here decides what is
/// allowed; `LedgerState` does.
package final class LedgerStore {
  /// `PRAGMA application_id` of an Almoner ledger: "ALMN".
  static let applicationID: Int32 = 0x414C_4D4E
  /// How long a writer waits for another process's commit to finish.
  static let busyTimeoutSeconds: TimeInterval = 60

  package let queue: DatabaseQueue
  package let path: String

  private init(queue: DatabaseQueue, path: String) {
    self.queue = queue
    self.path = path
  }

  private static func configuration(access: LedgerAccess = .readWrite) -> Configuration {
    var config = Configuration()
    config.readonly = access == .readOnly
    config.foreignKeysEnabled = true
    config.busyMode = .timeout(busyTimeoutSeconds)
    config.label = "almoner"
    config.prepareDatabase { db in
      // FULL: a commit that returned survives power loss, not just a crash.
      try db.execute(sql: "PRAGMA synchronous = FULL")
      // A writer gets 32 MiB of page cache: room for the indexes with random
      // keys (donation references), whose inserts touch pages all over them.
      // A reader mostly reads the log once, in order, where a cache only
      // holds pages it will not read again: 4 MiB keeps its memory small.
      let cacheKiB = access == .readOnly ? 4096 : 32768
      try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
    }
    return config
  }

  static func migrator() -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    for (identifier, sql) in embeddedMigrations {
      migrator.registerMigration(identifier) { db in try db.execute(sql: sql) }
    }
    return migrator
  }

  /// Creates a new, empty ledger file. Refuses to touch an existing file.
  package static func create(at path: String) throws(AlmonerError) -> LedgerStore {
    // O_EXCL: of two processes creating the same ledger, exactly one gets the
    // file; the other is refused and never touches (or removes) it.
    let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else {
      if errno == EEXIST { throw .refused(.ledgerFileExists(path: path)) }
      if errno == ENOSPC { throw .diskFull("磁盘已满：无法创建账本 \(path)；请腾出磁盘空间后重试") }
      throw .refused(.ledgerNotCreatable(path: path, reason: String(cString: strerror(errno))))
    }
    close(descriptor)
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration())
      try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA journal_mode = WAL")
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
      }
      try migrator().migrate(queue)
      return LedgerStore(queue: queue, path: path)
    } catch {
      try? FileManager.default.removeItem(atPath: path)
      for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
      throw StoreErrors.explain(error, path: path, doing: "创建账本", unchanged: false)
    }
  }

  /// Opens an existing ledger, refusing anything that is not one. With
  /// `.readOnly` the file is opened with `SQLITE_OPEN_READONLY`, so a ledger
  /// the user may only read (mode 0444, a read-only folder or disk) can still
  /// be verified and reported on.
  package static func open(at path: String, access: LedgerAccess = .readWrite) throws(AlmonerError)
    -> LedgerStore
  {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .refused(.ledgerMissing(path: path))
    }
    guard !isDirectory.boolValue else { throw .refused(.ledgerIsDirectory(path: path)) }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw .refused(.ledgerUnreadable(path: path))
    }
    let notALedger = AlmonerError.refused(.notALedger(path: path))
    // Ask SQLite rather than read the header: right after a commit the header
    // page may still sit in the write-ahead log.
    let queue: DatabaseQueue
    do {
      queue = try openQueue(path, access: access)
      guard
        try queue.read({ try Int32.fetchOne($0, sql: "PRAGMA application_id") }) == applicationID
      else { throw notALedger }
    } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
      throw notALedger
    } catch {
      throw StoreErrors.explain(error, path: path, doing: "打开账本", unchanged: false)
    }
    let migrator = migrator()
    do {
      if try queue.read({ try !migrator.hasCompletedMigrations($0) }) {
        if access == .readOnly {
          // A ledger made by an earlier version is upgraded by whichever
          // command opens it first; a reader that may write does it too.
          guard StoreErrors.isWritable(path) else {
            throw AlmonerError.refused(.ledgerUpgradeReadOnly(path: path))
          }
          return try open(at: path, access: .readWrite)
        }
        try migrator.migrate(queue)
      }
      return LedgerStore(queue: queue, path: path)
    } catch {
      throw StoreErrors.explain(error, path: path, doing: "打开账本", unchanged: true)
    }
  }

  /// The connection, checked by one read. A read-only connection to a WAL
  /// ledger needs the `-shm` index, which SQLite can't create in a folder the
  /// user may not write; when no write-ahead log is pending (`-wal` absent or
  /// empty: the main file holds everything), the file is then read as
  /// immutable, which needs no `-shm`.
  private static func openQueue(_ path: String, access: LedgerAccess) throws -> DatabaseQueue {
    let config = configuration(access: access)
    do {
      let queue = try DatabaseQueue(path: path, configuration: config)
      _ = try queue.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") }
      return queue
    } catch let error as DatabaseError
      where access == .readOnly
      && [.SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_IOERR].contains(error.resultCode)
    {
      let walBytes =
        (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
      guard walBytes == 0 else {
        throw AlmonerError.refused(.ledgerWriteAheadLogPending(path: path, detail: "\(error)"))
      }
      return try DatabaseQueue(path: immutableURI(path), configuration: config)
    }
  }

  /// `file:PATH?immutable=1`, with the characters URIs treat specially escaped.
  static func immutableURI(_ path: String) -> String {
    var escaped = ""
    for character in path.unicodeScalars {
      switch character {
      case "%": escaped += "%25"
      case "?": escaped += "%3f"
      case "#": escaped += "%23"
      default: escaped.unicodeScalars.append(character)
      }
    }
    // A relative path must not start with "//" (an authority) once prefixed.
    if escaped.hasPrefix("//") { escaped = "/" + escaped.drop(while: { $0 == "/" }) }
    return "file:\(escaped)?immutable=1"
  }

  // MARK: Reading the log

  /// Seq and hash of the last entry, or nil for an empty ledger.
  package static func head(_ db: Database) throws -> (seq: Int64, hash: Hash32)? {
    guard
      let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM entry ORDER BY seq DESC LIMIT 1")
    else { return nil }
    let bytes: Data = row[1]
    guard let hash = Hash32(bytes: bytes) else {
      throw AlmonerError.refused(.storedHashMalformed(seq: row[0]))
    }
    return (row[0], hash)
  }

  package static func canonicalBytes(_ db: Database, seq: Int64) throws -> [UInt8]? {
    try Data.fetchOne(db, sql: "SELECT canonical FROM entry WHERE seq = ?", arguments: [seq])
      .map { [UInt8]($0) }
  }

  /// The `time` field of the entry at `seq`, read from its canonical bytes.
  package static func entryTime(_ db: Database, seq: Int64) throws -> String? {
    try canonicalBytes(db, seq: seq).map { try Entry(canonical: $0).time }
  }

  package static func meta(_ db: Database, _ key: String) throws -> String? {
    try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = ?", arguments: [key])
  }

  // MARK: Projections

  /// The state as the projection tables hold it.
  package static func loadState(_ db: Database) throws -> LedgerState {
    var state = LedgerState()
    state.ledgerID = try meta(db, "ledger_id").flatMap { Hash32(hex: $0) }
    state.origin = try meta(db, "origin") ?? ""
    state.timeZone = try meta(db, "time_zone") ?? ""
    for row in try Row.fetchAll(db, sql: "SELECT code, name, tier, parent, created_seq FROM unit") {
      let tier: Tier = try known(row[2], table: "unit", column: "tier")
      state.units[row[0]] = Unit(
        code: row[0], name: row[1], tier: tier, parent: row[3], createdSeq: row[4])
    }
    for row in try Row.fetchAll(
      db, sql: "SELECT key_id, public_key, name, revoked_seq, person_id FROM member_key")
    {
      let raw: Data = row[1]
      guard let person: String = row[4] else {
        throw AlmonerError.refused(.memberKeyPersonMissing(keyID: row[0]))
      }
      state.keys[row[0]] = MemberKey(
        keyID: row[0], publicKey: [UInt8](raw), name: row[2], revokedSeq: row[3],
        personID: person)
    }
    state.grants = try Row.fetchAll(
      db,
      sql: """
        SELECT key_id, unit, role, name, granted_seq, revoked_seq FROM member_grant
        ORDER BY granted_seq, key_id, unit, role
        """
    ).map { row in
      Grant(
        keyID: row[0], unit: row[1], role: try known(row[2], table: "member_grant", column: "role"),
        name: row[3],
        grantedSeq: row[4], revokedSeq: row[5])
    }
    for row in try Row.fetchAll(
      db, sql: "SELECT unit, code, name, restricted, purpose, opened_seq, category FROM fund")
    {
      let fund = Fund(
        unit: row[0], code: row[1], name: row[2], restricted: row[3], purpose: row[4],
        openedSeq: row[5], category: try known(row[6] as String?, table: "fund", column: "category")
      )
      state.funds[LedgerState.FundKey(unit: fund.unit, code: fund.code)] = fund
    }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT unit, fund, account, SUM(amount_fen) FROM daily_balance
        GROUP BY unit, fund, account HAVING SUM(amount_fen) <> 0
        """)
    {
      state.balances[BalanceKey(unit: row[0], fund: row[1], account: Account(row[2]))] = row[3]
    }
    for (key, amount) in state.balances {
      let rollup = LedgerState.RollupKey(fund: key.fund, account: key.account)
      let total = (state.rollupTotals[rollup] ?? 0) + amount
      state.rollupTotals[rollup] = total == 0 ? nil : total
    }
    state.assetDays = try loadAssetDays(db)
    for row in try Row.fetchAll(
      db,
      sql:
        "SELECT id, from_unit, to_unit, fund, amount_fen, date, status, settled_seq FROM allocation"
    ) {
      state.allocations[row[0]] = Allocation(
        id: row[0], from: row[1], to: row[2], fund: row[3], amountFen: row[4],
        date: try AccountingDate(row[5]),
        status: try known(row[6], table: "allocation", column: "status"), settledSeq: row[7])
    }
    for row in try Row.fetchAll(db, sql: "SELECT reversed_seq, reversing_seq FROM reversal") {
      state.reversals[row[0]] = row[1]
    }
    for row in try Row.fetchAll(db, sql: "SELECT seq, tree_size, root, note FROM checkpoint") {
      state.checkpoints[row[0]] = CheckpointRecord(
        seq: row[0], treeSize: row[1], rootHash: Hash32(bytes: row[2] as Data) ?? .zero,
        note: row[3])
    }
    for row in try Row.fetchAll(
      db, sql: "SELECT seq, checkpoint_seq, key_id, line FROM cosignature")
    {
      state.cosignatures[row[0]] = CosignatureRecord(
        seq: row[0], checkpointSeq: row[1], keyID: row[2], line: row[3])
    }
    state.supervision = try loadSupervision(db)
    state.erasures = try loadErasures(db)
    state.statements = try loadStatements(db)
    return state
  }

  /// Writes what a commit changed into the projection tables.
  package static func write(_ changes: ProjectionChanges, _ db: Database) throws {
    precondition(db.isInsideTransaction, "projections change only inside a commit's transaction")
    for unit in changes.units {
      try db.cachedStatement(
        sql: "INSERT INTO unit (code, name, tier, parent, created_seq) VALUES (?, ?, ?, ?, ?)"
      ).execute(arguments: [unit.code, unit.name, unit.tier.rawValue, unit.parent, unit.createdSeq])
    }
    for key in changes.keys {
      try db.cachedStatement(
        sql: """
          INSERT INTO member_key (key_id, public_key, name, revoked_seq, person_id)
          VALUES (?, ?, ?, NULL, ?)
          """
      ).execute(arguments: [key.keyID, Data(key.publicKey), key.name, key.personID])
    }
    for grant in changes.grants {
      try db.cachedStatement(
        sql: """
          INSERT INTO member_grant (key_id, unit, role, name, granted_seq, revoked_seq)
          VALUES (?, ?, ?, ?, ?, NULL)
          """
      ).execute(arguments: [
        grant.keyID, grant.unit, grant.role.rawValue, grant.name, grant.grantedSeq,
      ])
    }
    for (keyID, seq) in changes.revokedKeys {
      try db.execute(
        sql: "UPDATE member_key SET revoked_seq = ? WHERE key_id = ?", arguments: [seq, keyID])
      try db.execute(
        sql: "UPDATE member_grant SET revoked_seq = ? WHERE key_id = ? AND revoked_seq IS NULL",
        arguments: [seq, keyID])
    }
    for fund in changes.funds {
      try db.cachedStatement(
        sql: """
          INSERT INTO fund (unit, code, name, restricted, purpose, opened_seq, category)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [
        fund.unit, fund.code, fund.name, fund.restricted, fund.purpose, fund.openedSeq,
        fund.category?.rawValue,
      ])
    }
    try writeDailyBalances(changes.postings, db)
    for allocation in changes.allocations.values {
      try db.cachedStatement(
        sql: """
          INSERT OR REPLACE INTO allocation
            (id, from_unit, to_unit, fund, amount_fen, date, status, settled_seq)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [
        allocation.id, allocation.from, allocation.to, allocation.fund, allocation.amountFen,
        allocation.date.text, allocation.status.rawValue, allocation.settledSeq,
      ])
    }
    for (reversed, by) in changes.reversals {
      try db.execute(
        sql: "INSERT INTO reversal (reversed_seq, reversing_seq) VALUES (?, ?)",
        arguments: [reversed, by])
    }
    for checkpoint in changes.checkpoints {
      try db.execute(
        sql: "INSERT INTO checkpoint (seq, tree_size, root, note) VALUES (?, ?, ?, ?)",
        arguments: [
          checkpoint.seq, checkpoint.treeSize, Data(checkpoint.rootHash.bytes), checkpoint.note,
        ])
    }
    for cosignature in changes.cosignatures {
      try db.execute(
        sql: "INSERT INTO cosignature (seq, checkpoint_seq, key_id, line) VALUES (?, ?, ?, ?)",
        arguments: [
          cosignature.seq, cosignature.checkpointSeq, cosignature.keyID, cosignature.line,
        ])
    }
    try writeSupervision(changes.supervision, db)
    try writeErasures(changes.erasures, db)
    try writeStatements(changes.statements, db)
  }

  /// Postings summed per (unit, fund, account, date) first, so a commit of a
  /// thousand donations touches a handful of rows.
  private static func writeDailyBalances(
    _ postings: [(date: AccountingDate, posting: Posting)], _ db: Database
  ) throws {
    var sums: [DailyKey: Int64] = [:]
    addDailySums(postings, to: &sums)
    try writeDailySums(sums, db)
  }

  /// Adds `postings` to sums per (unit, fund, account, date).
  package static func addDailySums(
    _ postings: [(date: AccountingDate, posting: Posting)], to sums: inout [DailyKey: Int64]
  ) {
    for (date, posting) in postings {
      sums[
        DailyKey(
          key: BalanceKey(unit: posting.unit, fund: posting.fund, account: posting.account),
          date: date), default: 0] +=
        posting.amountFen
    }
  }

  /// Adds movements summed per (unit, fund, account, date) to `daily_balance`.
  package static func writeDailySums(_ sums: [DailyKey: Int64], _ db: Database) throws {
    precondition(db.isInsideTransaction, "projections change only inside a commit's transaction")
    let upsert = try db.cachedStatement(
      sql: """
        INSERT INTO daily_balance (unit, fund, account, date, amount_fen) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (unit, fund, account, date) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen
        """)
    // Zero sums are written too: the dates a key has rows for are the dates it
    // had postings.
    for (daily, amount) in sums {
      try upsert.execute(arguments: [
        daily.key.unit, daily.key.fund, daily.key.account.name, daily.date.text, amount,
      ])
    }
  }

  /// The asset accounts' movements per fund and day, in date order
  /// (`LedgerState.assetDays`).
  static func loadAssetDays(_ db: Database) throws -> [BalanceKey: AssetDays] {
    var days: [BalanceKey: AssetDays] = [:]
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT unit, fund, account, date, amount_fen FROM daily_balance
        WHERE account LIKE 'assets:%' AND amount_fen <> 0 ORDER BY unit, fund, account, date
        """)
    while let row = try rows.next() {
      let key = BalanceKey(unit: row[0], fund: row[1], account: Account(row[2]))
      days[key, default: AssetDays()].add(row[4], on: try AccountingDate(row[3]))
    }
    return days
  }

  /// Every daily balance row, for comparison with one rebuilt from the log.
  package static func loadDailyBalances(_ db: Database) throws -> [DailyKey: Int64] {
    var sums: [DailyKey: Int64] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT unit, fund, account, date, amount_fen FROM daily_balance")
    {
      let key = BalanceKey(unit: row[0], fund: row[1], account: Account(row[2]))
      sums[DailyKey(key: key, date: try AccountingDate(row[3])), default: 0] += row[4]
    }
    return sums.filter { $0.value != 0 }
  }
}

/// A balance key on one accounting date.
package struct DailyKey: Hashable, Comparable {
  package var key: BalanceKey
  package var date: AccountingDate
  package static func < (lhs: DailyKey, rhs: DailyKey) -> Bool {
    (lhs.key, lhs.date) < (rhs.key, rhs.date)
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    key: BalanceKey, date: AccountingDate
  ) {
    self.key = key
    self.date = date
  }
}

/// What the rules may look back at while entries are appended or replayed:
/// earlier entries (from the database, inside the current transaction) and
/// the Merkle tree over every entry before the one being applied.
package final class LogContext: EntryLookup {
  package let db: Database
  /// The tree over the entries applied so far.
  package private(set) var tree: MerkleAppender
  private let hasher = SHA256()

  package init(db: Database, tree: MerkleAppender) {
    self.db = db
    self.tree = tree
  }

  /// A context positioned after the first `treeSize` entries of the log,
  /// for appending. Earlier entries it reads are proven to be in the tree
  /// whose root the state seal signed (`StateTrust`), not just read.
  package static func restored(_ db: Database, treeSize: Int64) throws -> LogContext {
    let tree = try MerkleTree(source: DatabaseMerkleSource(db: db))
      .appender(treeSize: UInt64(treeSize))
    let context = LogContext(db: db, tree: tree)
    context.provesEntries = true
    return context
  }

  /// Whether `entry(at:)` checks an inclusion proof from the stored tree
  /// against the current root (appending), or trusts the rows (replay, which
  /// has already checked every earlier entry's bytes itself).
  private var provesEntries = false

  /// Held around each read of the connection when another thread reads
  /// from it too (`EntryRowReader`).
  package var lock: NSLock?

  package func entry(at seq: Int64) throws(AlmonerError) -> Entry? {
    let bytes: [UInt8]?
    do {
      bytes =
        try lock.map { lock in try lock.withLock { try LedgerStore.canonicalBytes(db, seq: seq) } }
        ?? LedgerStore.canonicalBytes(db, seq: seq)
    } catch {
      throw .refused(.entryUnreadable(seq: seq, reason: "\(error)"))
    }
    guard let bytes else { return nil }
    if provesEntries {
      let size = tree.treeSize
      let root = tree.rootHash(hasher: hasher)
      guard seq >= 0, UInt64(seq) < size,
        let proof = try? MerkleTree(source: DatabaseMerkleSource(db: db))
          .inclusionProof(leafIndex: UInt64(seq), treeSize: size),
        (try? MerkleVerification.verifyInclusion(
          leafHash: hasher.leafHash(bytes), leafIndex: UInt64(seq), treeSize: size, proof: proof,
          rootHash: root)) != nil
      else {
        throw .refused(.entryDiffersFromSealedTree(seq: seq))
      }
    }
    return try Entry(canonical: bytes)
  }

  package func treeRoot() -> (size: Int64, root: Hash32) {
    (Int64(tree.treeSize), tree.rootHash(hasher: hasher))
  }

  /// Adds an entry's hash to the tree, returning the new nodes worth storing.
  package func appendLeaf(_ hash: Hash32) -> [(level: Int, index: UInt64, hash: Hash32)] {
    tree.append(hash, hasher: hasher).filter { DatabaseMerkleSource.isStored(level: $0.level) }
  }
}

/// The Merkle tree as the database keeps it: leaves are the entry hashes,
/// and every `levelStride`-th level of complete subtree roots is stored.
package struct DatabaseMerkleSource: MerkleNodeSource {
  /// Stored levels: 4, 8, 12, ... — about n/15 rows for n entries, and a
  /// proof at a million entries still reads only a few dozen rows.
  static let levelStride = 4

  let db: Database

  package static func isStored(level: Int) -> Bool { level > 0 && level % levelStride == 0 }

  package func leaf(_ index: UInt64) throws -> Hash32 {
    let statement = try db.cachedStatement(sql: "SELECT hash FROM entry WHERE seq = ?")
    guard let data = try Data.fetchOne(statement, arguments: [Int64(index)]),
      let hash = Hash32(bytes: data)
    else { throw AlmonerError.refused(.entryHashMissing(seq: Int64(index))) }
    return hash
  }

  package func storedNode(level: Int, index: UInt64) throws -> Hash32? {
    guard DatabaseMerkleSource.isStored(level: level) else { return nil }
    let statement = try db.cachedStatement(
      sql: "SELECT hash FROM merkle_node WHERE level = ? AND idx = ?")
    return try Data.fetchOne(statement, arguments: [level, Int64(index)]).flatMap {
      Hash32(bytes: $0)
    }
  }

  package static func insert(_ nodes: [(level: Int, index: UInt64, hash: Hash32)], _ db: Database)
    throws
  {
    guard !nodes.isEmpty else { return }
    let statement = try db.cachedStatement(
      sql: "INSERT INTO merkle_node (level, idx, hash) VALUES (?, ?, ?)")
    for node in nodes {
      try statement.execute(arguments: [node.level, Int64(node.index), Data(node.hash.bytes)])
    }
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    db: Database
  ) {
    self.db = db
  }
}
