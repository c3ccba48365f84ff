import Foundation
import GRDB

/// The stored Merkle tree read sixteen neighbours at a time: leaf hashes and
/// stored nodes are fetched by aligned blocks and kept, so the inclusion
/// proofs of many lines (a statement's) share their reads instead of making
/// some seventy lookups each. Reads exactly what `DatabaseMerkleSource`
/// reads, and fails the same way on a missing leaf.
package final class BlockMerkleSource: MerkleNodeSource {
  /// Hashes per block: one B-tree seek reads them all.
  static let blockWidth: UInt64 = 16
  /// Blocks kept before the cache starts over, so memory stays bounded
  /// however many lines a statement has.
  static let blockCountMax = 16_384

  private struct NodeBlock: Hashable {
    var level: Int
    var block: UInt64
  }

  let db: Database
  private var leaves: [UInt64: [UInt64: Hash32]] = [:]
  private var nodes: [NodeBlock: [UInt64: Hash32]] = [:]

  package init(db: Database) { self.db = db }

  package func leaf(_ index: UInt64) throws -> Hash32 {
    let block = index / Self.blockWidth
    if leaves[block] == nil {
      if leaves.count >= Self.blockCountMax { leaves = [:] }
      let statement = try db.cachedStatement(
        sql: "SELECT seq, hash FROM entry WHERE seq >= ? AND seq < ?")
      let start = block * Self.blockWidth
      var hashes: [UInt64: Hash32] = [:]
      let rows = try Row.fetchCursor(
        statement, arguments: [Int64(start), Int64(start + Self.blockWidth)])
      while let row = try rows.next() {
        let seq: Int64 = row[0]
        if let hash = Hash32(bytes: row[1] as Data) { hashes[UInt64(seq)] = hash }
      }
      leaves[block] = hashes
    }
    guard let hash = leaves[block]?[index] else {
      throw AlmonerError.refused(.entryHashMissing(seq: Int64(index)))
    }
    return hash
  }

  package func storedNode(level: Int, index: UInt64) throws -> Hash32? {
    guard DatabaseMerkleSource.isStored(level: level) else { return nil }
    let key = NodeBlock(level: level, block: index / Self.blockWidth)
    if let block = nodes[key] { return block[index] }
    if nodes.count >= Self.blockCountMax { nodes = [:] }
    let statement = try db.cachedStatement(
      sql: "SELECT idx, hash FROM merkle_node WHERE level = ? AND idx >= ? AND idx < ?")
    let start = key.block * Self.blockWidth
    var hashes: [UInt64: Hash32] = [:]
    let rows = try Row.fetchCursor(
      statement, arguments: [level, Int64(start), Int64(start + Self.blockWidth)])
    while let row = try rows.next() {
      let idx: Int64 = row[0]
      if let hash = Hash32(bytes: row[1] as Data) { hashes[UInt64(idx)] = hash }
    }
    nodes[key] = hashes
    return hashes[index]
  }
}
