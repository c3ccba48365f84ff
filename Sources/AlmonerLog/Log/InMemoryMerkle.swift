/// A Merkle tree held in memory with every complete subtree root stored, for tests and small
/// trees.
///
/// Nodes are recorded as `MerkleAppender` completes them, so `storedNode(level:index:)` answers
/// every complete subtree and proofs cost one lookup per hash.
public struct InMemoryMerkle: MerkleNodeSource, Sendable {
  public typealias Failure = Never

  /// `levels[k][i]` is the root of the complete subtree at level k, index i; level 0 is leaves.
  private var levels: [[Hash32]] = [[]]
  private var appender = MerkleAppender()

  /// An empty tree.
  public init() {}

  /// A tree over `leaves`, which are leaf hashes (SHA-256(0x00 ‖ entry)), in order.
  public init(leaves: some Sequence<Hash32>) {
    let hasher = SHA256()
    for leaf in leaves {
      append(leaf, hasher: hasher)
    }
  }

  /// The number of leaves.
  public var treeSize: UInt64 { appender.treeSize }

  /// An appender positioned after the last leaf, e.g. to continue the tree elsewhere.
  public var currentAppender: MerkleAppender { appender }

  /// Appends one leaf hash, storing every complete subtree root it finishes.
  public mutating func append(_ leaf: Hash32, hasher: SHA256) {
    levels[0].append(leaf)
    for node in appender.append(leaf, hasher: hasher) {
      if node.level == levels.count { levels.append([]) }
      levels[node.level].append(node.hash)
    }
  }

  /// Appends one leaf hash; see `append(_:hasher:)`.
  public mutating func append(_ leaf: Hash32) {
    append(leaf, hasher: SHA256())
  }

  /// The leaf hash at `index`; traps when `index` is not below `treeSize`.
  public func leaf(_ index: UInt64) -> Hash32 {
    precondition(index < treeSize, "leaf \(index) of a tree of \(treeSize)")
    return levels[0][Int(index)]
  }

  /// The root of the complete subtree at `level`, `index`, or `nil` when it is not complete.
  public func storedNode(level: Int, index: UInt64) -> Hash32? {
    guard level >= 0, level < levels.count, index < UInt64(levels[level].count) else {
      return nil
    }
    return levels[level][Int(index)]
  }

  /// MTH of the whole tree.
  public var rootHash: Hash32 { appender.rootHash() }

  /// MTH of the first `treeSize` leaves; requires `treeSize <= self.treeSize`.
  public func rootHash(treeSize: UInt64) -> Hash32 {
    precondition(treeSize <= self.treeSize, "root of \(treeSize) leaves of \(self.treeSize)")
    return MerkleTree(source: self).rootHash(treeSize: treeSize)
  }

  /// The inclusion proof for `leafIndex` in the first `treeSize` leaves; see `MerkleTree`.
  public func inclusionProof(leafIndex: UInt64, treeSize: UInt64) -> [Hash32] {
    precondition(treeSize <= self.treeSize, "proof in \(treeSize) leaves of \(self.treeSize)")
    return MerkleTree(source: self).inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
  }

  /// The consistency proof from `oldSize` to `newSize` leaves; see `MerkleTree`.
  public func consistencyProof(oldSize: UInt64, newSize: UInt64) -> [Hash32] {
    precondition(newSize <= treeSize, "proof to \(newSize) leaves of \(treeSize)")
    return MerkleTree(source: self).consistencyProof(oldSize: oldSize, newSize: newSize)
  }
}
