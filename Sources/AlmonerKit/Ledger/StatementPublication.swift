import Foundation
import GRDB

/// A statement the log records as published (`statement.publish`).
public struct PublishedStatement: Sendable, Equatable {
  public var seq: Int64
  public var hash: Hash32
  public var unit: String
  public var period: String
  public var subtree: Bool
  public var supersedes: Hash32?
  public var reason: String?
}

extension LedgerState {
  /// The statement of `unit`, `period` and scope now in force: published
  /// and not superseded by a later one.
  public func publishedStatement(unit: String, period: String, subtree: Bool)
    -> PublishedStatement?
  {
    let superseded = Set(statements.values.compactMap(\.supersedes))
    return statements.values.filter {
      $0.unit == unit && $0.period == period && $0.subtree == subtree
        && !superseded.contains($0.hash)
    }.max { $0.seq < $1.seq }
  }

  /// The statement in force of `unit` and scope for the latest period that
  /// ends before `period` begins: the one whose closing balances this
  /// period opens with.
  public func previousStatement(unit: String, subtree: Bool, before period: StatementPeriod)
    -> PublishedStatement?
  {
    let superseded = Set(statements.values.compactMap(\.supersedes))
    var best: (to: AccountingDate, statement: PublishedStatement)?
    for published in statements.values
    where published.unit == unit && published.subtree == subtree
      && !superseded.contains(published.hash)
    {
      guard let other = try? StatementPeriod(published.period), other.to < period.from else {
        continue
      }
      if let current = best,
        current.to > other.to
          || (current.to == other.to && current.statement.seq > published.seq)
      {
        continue
      }
      best = (other.to, published)
    }
    return best?.statement
  }

  /// `statement.publish`: a treasurer or admin of the unit records a
  /// statement as published. A second statement of the same unit, period
  /// and scope must name the one in force as the statement it supersedes,
  /// with a reason; the first must name none.
  mutating func applyStatementPublish(
    _ entry: Entry, _ body: StatementPublishBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let period = try body.validate()
    let unit = try requireUnit(body.unit)
    try requireRole([.treasurer, .admin], on: unit.code, entry)
    if let earlier = statements[body.hash] {
      throw .refused(.statementPublishedBefore(hash: body.hash.hex, seq: earlier.seq))
    }
    let scope = body.subtree ? "（含下属单位）" : ""
    let current = publishedStatement(unit: unit.code, period: period.name, subtree: body.subtree)
    switch (current, body.supersedes) {
    case (nil, nil):
      break
    case (nil, .some(let named)):
      throw .refused(
        .statementCorrectsNothing(
          scope: "\(unitText(unit.code))\(scope)\(period.displayName)", supersedes: named.hex))
    case (.some(let current), nil):
      throw .refused(
        .statementNeedsCorrection(
          scope: "\(unitText(unit.code))\(scope)\(period.displayName)", seq: current.seq,
          hash: current.hash.hex))
    case (.some(let current), .some(let named)):
      guard named == current.hash else {
        throw .refused(
          .statementCorrectsWrong(
            supersedes: named.hex, scope: "\(unitText(unit.code))\(scope)\(period.displayName)",
            seq: current.seq, hash: current.hash.hex))
      }
    }
    let published = PublishedStatement(
      seq: entry.seq, hash: body.hash, unit: unit.code, period: period.name,
      subtree: body.subtree, supersedes: body.supersedes, reason: body.reason)
    statements[body.hash] = published
    changes.statements.append(published)
  }
}

/// How journal lines and messages describe a publication.
enum StatementPublication {
  static func summary(_ body: StatementPublishBody, state: LedgerState) -> String {
    let period = (try? StatementPeriod(body.period))?.displayName ?? body.period
    let scope = body.subtree ? "（含下属单位）" : ""
    let what = "发布\(state.unitText(body.unit))\(scope)\(period)公示报表 \(body.hash.hex.prefix(16))…"
    guard let supersedes = body.supersedes else { return what }
    return "\(what)，更正 \(supersedes.hex.prefix(16))…：\(body.reason ?? "")"
  }
}

extension LedgerStore {
  static func loadStatements(_ db: Database) throws -> [Hash32: PublishedStatement] {
    var statements: [Hash32: PublishedStatement] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT seq, hash, unit, period, subtree, supersedes, reason FROM statement_publish")
    {
      guard let hash = Hash32(bytes: row[1] as Data) else {
        throw AlmonerError.refused(.statementPublishRowMalformed(row: row[0], column: "hash"))
      }
      let supersedes: Hash32?
      if let data = row[5] as Data? {
        guard let parsed = Hash32(bytes: data) else {
          throw AlmonerError.refused(
            .statementPublishRowMalformed(row: row[0], column: "supersedes"))
        }
        supersedes = parsed
      } else {
        supersedes = nil
      }
      statements[hash] = PublishedStatement(
        seq: row[0], hash: hash, unit: row[2], period: row[3], subtree: row[4],
        supersedes: supersedes, reason: row[6])
    }
    return statements
  }

  static func writeStatements(_ statements: [PublishedStatement], _ db: Database) throws {
    precondition(statements.isEmpty || db.isInsideTransaction)
    for published in statements {
      try db.execute(
        sql: """
          INSERT INTO statement_publish (seq, hash, unit, period, subtree, supersedes, reason)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          published.seq, Data(published.hash.bytes), published.unit, published.period,
          published.subtree, published.supersedes.map { Data($0.bytes) }, published.reason,
        ])
    }
  }

  /// The file of the published statement `hash`, as it was published.
  static func statementFile(_ db: Database, hash: Hash32) throws -> [UInt8]? {
    try Data.fetchOne(
      db, sql: "SELECT bytes FROM statement_file WHERE hash = ?", arguments: [Data(hash.bytes)]
    ).map { [UInt8]($0) }
  }
}

extension LedgerStore {
  /// Keeps the file of the statement `entry` publishes; refused unless the
  /// file's body hashes to the entry's `hash`.
  static func insertStatementFile(_ file: [UInt8], for entry: Entry, _ db: Database) throws {
    precondition(db.isInsideTransaction)
    guard case .statementPublish(let body) = entry.body,
      let statement = try? Statement(parsing: file), statement.hash == body.hash
    else {
      throw AlmonerError.refused(.statementFileHashDiffers)
    }
    try db.execute(
      sql: "INSERT INTO statement_file (hash, bytes) VALUES (?, ?)",
      arguments: [Data(body.hash.bytes), Data(file)])
  }
}

extension LedgerVerifier {
  /// Every published statement's file is kept, and is the statement the
  /// log names: its body hashes to the `statement.publish` entry's hash.
  func checkStatementFiles(_ statements: [Hash32: PublishedStatement]) throws
    -> [VerificationReport.Problem]
  {
    var problems: [VerificationReport.Problem] = []
    var files: [Hash32: [UInt8]] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT hash, bytes FROM statement_file") {
      guard let hash = Hash32(bytes: row[0] as Data) else {
        problems.append(
          .init(
            seq: nil, message: "statement_file 中有格式不对的报表哈希", code: "statement-file-invalid",
            table: "statement_file"))
        continue
      }
      files[hash] = [UInt8](row[1] as Data)
    }
    for published in statements.values.sorted(by: { $0.seq < $1.seq }) {
      guard let file = files.removeValue(forKey: published.hash) else {
        problems.append(
          .init(
            seq: published.seq, message: "发布的公示报表 \(published.hash.hex) 的文件（statement_file）缺失",
            code: "statement-file-missing", table: "statement_file"))
        continue
      }
      guard (try? Statement(parsing: file))?.hash == published.hash else {
        problems.append(
          .init(
            seq: published.seq,
            message: "statement_file 中报表 \(published.hash.hex) 的文件与发布记录的哈希不符：文件在 almoner 之外被改动过",
            code: "statement-file-changed", table: "statement_file"))
        continue
      }
    }
    for hash in files.keys.sorted(by: { $0.hex < $1.hex }) {
      problems.append(
        .init(
          seq: nil, message: "statement_file 中有未发布的报表 \(hash.hex)",
          code: "statement-file-unpublished",
          table: "statement_file"))
    }
    return problems
  }
}
