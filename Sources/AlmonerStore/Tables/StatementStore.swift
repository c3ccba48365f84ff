import Foundation
import GRDB

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
  package static func statementFile(_ db: Database, hash: Hash32) throws -> [UInt8]? {
    try Data.fetchOne(
      db, sql: "SELECT bytes FROM statement_file WHERE hash = ?", arguments: [Data(hash.bytes)]
    ).map { [UInt8]($0) }
  }
}

extension LedgerStore {
  /// Keeps the file of the statement `entry` publishes; refused unless the
  /// file's body hashes to the entry's `hash`.
  package static func insertStatementFile(_ file: [UInt8], for entry: Entry, _ db: Database) throws
  {
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
