import Foundation
import GRDB

/// Reads the facade's operations need, moved here from beside them so
/// that the SQL lives in the store: one query each, strict where the
/// caller is (a receipt refuses an incomplete row), lenient where the
/// caller reports what it can't read (the audit).
extension LedgerStore {
  /// The salt and personal data kept beside entry `seq` (`donor_private`);
  /// nil when none is kept.
  package static func donorPrivate(_ db: Database, seq: Int64) throws -> DonorPrivate? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT salt, personal FROM donor_private WHERE seq = ?", arguments: [seq])
    else { return nil }
    guard let salt = row[0] as Data?, let personal = row[1] as Data? else {
      throw AlmonerError.verification(
        "投影表 donor_private 中记录 #\(seq) 的个人信息不完整：账本文件在 almoner 之外被改动过。请运行 `almoner verify ledger` 查明"
      )
    }
    return DonorPrivate(salt: [UInt8](salt), personal: [UInt8](personal))
  }

  /// The seq of the latest `checkpoint` entry, or of the latest before
  /// `seq`; nil when there is none.
  package static func lastCheckpointSeq(_ db: Database, before seq: Int64? = nil) throws
    -> Int64?
  {
    guard let seq else { return try Int64.fetchOne(db, sql: "SELECT max(seq) FROM checkpoint") }
    return try Int64.fetchOne(
      db, sql: "SELECT max(seq) FROM checkpoint WHERE seq < ?", arguments: [seq])
  }

  /// The checkpoints as the `checkpoint` table holds them, in seq order,
  /// read leniently: rows without a seq or size are skipped, a root that
  /// is not 32 bytes is nil (the replay reports both).
  package static func checkpointRows(_ db: Database) throws
    -> [(seq: Int64, size: Int64, root: Hash32?)]
  {
    try Row.fetchAll(db, sql: "SELECT seq, tree_size, root FROM checkpoint ORDER BY seq")
      .compactMap { row -> (seq: Int64, size: Int64, root: Hash32?)? in
        guard let seq = row[0] as Int64?, let size = row[1] as Int64? else { return nil }
        return (seq, size, (row[2] as Data?).flatMap { Hash32(bytes: $0) })
      }
  }

  /// The units as the `unit` table holds them, read leniently: rows
  /// without a code or a name are skipped.
  package static func unitRows(_ db: Database) throws
    -> [(code: String, parent: String?, name: String)]
  {
    try Row.fetchAll(db, sql: "SELECT code, parent, name FROM unit").compactMap {
      row -> (code: String, parent: String?, name: String)? in
      guard let code = row[0] as String?, let name = row[2] as String? else { return nil }
      return (code, row[1] as String?, name)
    }
  }

  /// The published statements' files (`statement_file`) by hash, and how
  /// many rows have a hash that is not 32 bytes.
  package static func statementFiles(_ db: Database) throws
    -> (files: [Hash32: [UInt8]], malformed: Int)
  {
    var files: [Hash32: [UInt8]] = [:]
    var malformed = 0
    for row in try Row.fetchAll(db, sql: "SELECT hash, bytes FROM statement_file") {
      guard let hash = Hash32(bytes: row[0] as Data) else {
        malformed += 1
        continue
      }
      files[hash] = [UInt8](row[1] as Data)
    }
    return (files, malformed)
  }
}

extension DonationReferences {
  /// The references more than one donation holds, each with its seqs in
  /// order, read through the index on `ref`; rows that are not an ASCII
  /// reference and a seq are skipped.
  package static func repeated(_ db: Database) throws -> [(ref: String, seqs: [Int64])] {
    var groups: [(ref: String, seqs: [Int64])] = []
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT ref, seq FROM donation_ref
        WHERE ref IN (SELECT ref FROM donation_ref GROUP BY ref HAVING count(*) > 1)
        ORDER BY ref, seq
        """)
    while let row = try rows.next() {
      guard let ref = row[0] as String?, let seq = row[1] as Int64?,
        ref.utf8.allSatisfy({ $0 < 0x80 })
      else { continue }
      if groups.last?.ref == ref {
        groups[groups.count - 1].seqs.append(seq)
      } else {
        groups.append((ref, [seq]))
      }
    }
    return groups
  }

  /// The seqs of the donations that hold `ref`, in order.
  package static func seqs(holding ref: String, _ db: Database) throws -> [Int64] {
    try Int64.fetchAll(
      db, sql: "SELECT seq FROM donation_ref WHERE ref = ? ORDER BY seq", arguments: [ref])
  }
}

extension LedgerStore {
  /// One row of `daily_balance` sums, refused when a column is NULL.
  private static func balanceKey(_ row: Row) throws -> BalanceKey {
    guard let unit = row[0] as String?, let fund = row[1] as String?,
      let account = row[2] as String?
    else {
      throw AlmonerError.verification(
        "投影表 daily_balance 有缺少单位、基金或账户的行：账本文件在 almoner 之外被改动过。请运行 `almoner verify ledger` 查明")
    }
    return BalanceKey(unit: unit, fund: fund, account: Account(account))
  }

  /// The balance of every unit, fund and account up to `asOf` (inclusive;
  /// every day when nil), summed from `daily_balance` (debits positive).
  package static func balanceSums(_ db: Database, asOf: AccountingDate?) throws
    -> [(key: BalanceKey, amountFen: Int64)]
  {
    try Row.fetchAll(
      db,
      sql: """
        SELECT unit, fund, account, SUM(amount_fen) FROM daily_balance
        WHERE ?1 IS NULL OR date <= ?1 GROUP BY unit, fund, account
        """, arguments: [asOf?.text]
    ).map { row in (try balanceKey(row), row[3] as Int64? ?? 0) }
  }

  /// For every unit, fund and account with days up to `to`: the sum of
  /// the days before `from` (0 when `from` is nil) and of the days from
  /// `from` to `to`, summed from `daily_balance` (debits positive).
  package static func periodSums(_ db: Database, from: AccountingDate?, to: AccountingDate)
    throws -> [(key: BalanceKey, openingFen: Int64, movementFen: Int64)]
  {
    try Row.fetchAll(
      db,
      sql: """
        SELECT unit, fund, account,
               SUM(CASE WHEN ?1 IS NOT NULL AND date < ?1 THEN amount_fen ELSE 0 END),
               SUM(CASE WHEN ?1 IS NULL OR date >= ?1 THEN amount_fen ELSE 0 END)
        FROM daily_balance WHERE date <= ?2 GROUP BY unit, fund, account
        """, arguments: [from?.text, to.text]
    ).map { row in (try balanceKey(row), row[3] as Int64? ?? 0, row[4] as Int64? ?? 0) }
  }

  /// The canonical bytes of the entries with seq below `size`, in order.
  package static func canonicalEntries(_ db: Database, below size: Int64) throws -> [[UInt8]] {
    try Data.fetchAll(
      db, sql: "SELECT canonical FROM entry WHERE seq < ? ORDER BY seq", arguments: [size]
    ).map { [UInt8]($0) }
  }
}
