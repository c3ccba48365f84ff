import AlmonerKit
import Foundation
import GRDB

/// Appends entries straight into a ledger file, signed with a member's key,
/// as another program holding that key could write them: no rule of this
/// program is applied, so `verify ledger` is the only check they meet.
enum ForeignEntries {
  /// Appends one entry as its own signed commit and returns its seq. The
  /// entry takes the time and date of the entry before it.
  @discardableResult
  static func append(
    to path: String, kind: EntryKind, body: JSONObject, signer: SigningKey,
    donor: DonorPrivate? = nil
  ) throws -> Int64 {
    let db = try DatabaseQueue(path: path)
    return try db.write { db in
      let last = try unwrap(
        try Row.fetchOne(
          db, sql: "SELECT seq, hash, canonical FROM entry ORDER BY seq DESC LIMIT 1"))
      let genesisHash = try unwrap(
        try Data.fetchOne(db, sql: "SELECT hash FROM entry WHERE seq = 0"))
      let previous = try Entry(canonical: [UInt8](last["canonical"] as Data))
      let seq = (last["seq"] as Int64) + 1
      let entry = try Entry(
        seq: seq, prev: try unwrap(Hash32(bytes: last["hash"] as Data)), time: previous.time,
        date: previous.date, kind: kind, author: signer.keyID, body: body)
      let bytes = entry.canonicalBytes
      let hash = SHA256.leafHash(bytes)
      let statement = Commit.statement(
        ledgerID: try unwrap(Hash32(bytes: genesisHash)), firstSeq: seq, lastSeq: seq,
        lastHash: hash)
      try db.execute(
        sql:
          "INSERT INTO ledger_commit (first_seq, last_seq, author, signature) VALUES (?, ?, ?, ?)",
        arguments: [seq, seq, signer.keyID, Data(signer.sign(statement))])
      try db.execute(
        sql: "INSERT INTO entry (seq, hash, canonical, commit_seq) VALUES (?, ?, ?, ?)",
        arguments: [seq, Data(hash.bytes), Data(bytes), seq])
      if let donor {
        try db.execute(
          sql: "INSERT INTO donor_private (seq, salt, personal) VALUES (?, ?, ?)",
          arguments: [seq, Data(donor.salt), Data(donor.personal)])
      }
      return seq
    }
  }

  /// A donation body for `unit`'s general fund showing `display`, with the
  /// commitment to `donor`.
  static func donation(
    unit: String = "GA-BC-JSL", display: String, named: Bool = false, donor: DonorPrivate
  ) -> JSONObject {
    [
      "unit": .string(unit), "fund": "general", "amountFen": 100, "channel": "wechat",
      "donor": .object([
        "display": .string(display), "commitment": .string(donor.commitment.hex),
        "named": .bool(named),
      ]),
    ]
  }
}

private func unwrap<T>(_ value: T?) throws -> T {
  guard let value else { throw ForeignEntryError.missing }
  return value
}

private enum ForeignEntryError: Error { case missing }
