import Foundation
import GRDB

/// The seal of the last commit (migration 0004): its author's signature over
/// the state digest and Merkle root after it.
package struct StateSeal: Sendable {
  package var lastSeq: Int64
  package var version: Int64
  package var treeRoot: Hash32
  package var digest: Hash32
  package var components: [UInt8]
  package var author: String
  package var signature: [UInt8]

  /// What the author signs: `almoner-state/v1\n<ledger id>\n<last seq>\n<last
  /// entry hash>\n<Merkle root>\n<state digest>\n`, hashes in lowercase hex.
  package static func statement(
    ledgerID: Hash32, lastSeq: Int64, lastHash: Hash32, treeRoot: Hash32, digest: Hash32
  ) -> [UInt8] {
    Array(
      "almoner-state/v\(StateDigest.version)\n\(ledgerID.hex)\n\(lastSeq)\n\(lastHash.hex)\n\(treeRoot.hex)\n\(digest.hex)\n"
        .utf8)
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    lastSeq: Int64, version: Int64, treeRoot: Hash32, digest: Hash32, components: [UInt8],
    author: String, signature: [UInt8]
  ) {
    self.lastSeq = lastSeq
    self.version = version
    self.treeRoot = treeRoot
    self.digest = digest
    self.components = components
    self.author = author
    self.signature = signature
  }
}

extension LedgerStore {
  /// The stored seal, or nil when there is none or its row is malformed
  /// (either way the next write re-verifies the whole log).
  package static func stateSeal(_ db: Database) throws -> StateSeal? {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT last_seq, version, tree_root, digest, components, author, signature
          FROM state_seal ORDER BY last_seq DESC LIMIT 1
          """),
      let lastSeq = row[0] as Int64?, let version = row[1] as Int64?,
      let treeRoot = (row[2] as Data?).flatMap({ Hash32(bytes: $0) }),
      let digest = (row[3] as Data?).flatMap({ Hash32(bytes: $0) }),
      let components = row[4] as Data?, let author = row[5] as String?,
      let signature = row[6] as Data?
    else { return nil }
    return StateSeal(
      lastSeq: lastSeq, version: version, treeRoot: treeRoot, digest: digest,
      components: [UInt8](components), author: author, signature: [UInt8](signature))
  }

  /// Replaces the seal with that of the commit just written.
  package static func writeStateSeal(_ seal: StateSeal, _ db: Database) throws {
    precondition(db.isInsideTransaction, "the seal changes only inside a commit's transaction")
    try db.execute(sql: "DELETE FROM state_seal")
    try db.execute(
      sql: """
        INSERT INTO state_seal (last_seq, version, tree_root, digest, components, author, signature)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        seal.lastSeq, seal.version, Data(seal.treeRoot.bytes), Data(seal.digest.bytes),
        Data(seal.components), seal.author, Data(seal.signature),
      ])
  }

  /// The commit holding `seq`, if any.
  package static func commit(containing seq: Int64, _ db: Database) throws -> Commit? {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT first_seq, last_seq, author, signature FROM ledger_commit
          WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1
          """, arguments: [seq]),
      let firstSeq = row[0] as Int64?, let lastSeq = row[1] as Int64?, lastSeq >= seq,
      let author = row[2] as String?, let signature = row[3] as Data?
    else { return nil }
    return Commit(
      firstSeq: firstSeq, lastSeq: lastSeq, author: author, signature: [UInt8](signature))
  }
}
