/// The right frontier of an RFC 9162 Merkle tree: enough state to append leaves and compute
/// the root without reading any earlier leaf.
///
/// The frontier of a tree of size n holds one complete subtree root per 1-bit of n, largest
/// (leftmost) first; a tree of 13 = 0b1101 leaves keeps the roots over leaves [0, 8), [8, 12)
/// and [12, 13). Appending a leaf merges it with the trailing subtrees of equal size, exactly
/// like adding 1 to a binary counter.
public struct MerkleAppender: Sendable, Equatable {
  /// The number of leaves appended so far.
  public private(set) var treeSize: UInt64
  /// The complete subtree roots for the 1-bits of `treeSize`, largest first.
  public private(set) var frontier: [Hash32]

  /// An empty tree.
  public init() {
    treeSize = 0
    frontier = []
  }

  /// Restores the frontier of a tree of `treeSize` leaves from its complete subtree roots,
  /// largest first (the stored nodes at `frontierPositions(treeSize:)`).
  ///
  /// Throws when `frontier` does not hold exactly one hash per 1-bit of `treeSize`.
  public init(treeSize: UInt64, frontier: [Hash32]) throws(MerkleError) {
    let expected = treeSize.nonzeroBitCount
    guard frontier.count == expected else {
      throw MerkleError(
        .frontierLength(treeSize: treeSize, expected: expected, actual: frontier.count))
    }
    self.init(uncheckedTreeSize: treeSize, frontier: frontier)
  }

  /// Restores a frontier whose length the caller has already checked.
  init(uncheckedTreeSize treeSize: UInt64, frontier: [Hash32]) {
    self.treeSize = treeSize
    self.frontier = frontier
  }

  /// Where the frontier of a tree of `treeSize` leaves lives: one complete subtree per 1-bit of
  /// `treeSize`, largest (leftmost) first, as (level, index) node positions.
  ///
  /// A position at level 0 is a leaf; the others are stored nodes.
  public static func frontierPositions(treeSize: UInt64) -> [(level: Int, index: UInt64)] {
    var positions: [(level: Int, index: UInt64)] = []
    var offset: UInt64 = 0
    var level = 64 - treeSize.leadingZeroBitCount
    while level > 0 {
      level -= 1
      if (treeSize >> level) & 1 == 1 {
        positions.append((level, offset >> level))
        offset += 1 << level
      }
    }
    return positions
  }

  /// Appends `leaf` and returns the complete subtree roots it finished at levels ≥ 1, lowest
  /// first, so the caller can store them; the leaf itself is level 0 and is not returned.
  ///
  /// O(1) amortised, O(log n) worst case. `hasher` is reused across calls on hot paths.
  @discardableResult
  public mutating func append(
    _ leaf: Hash32, hasher: SHA256
  ) -> [(level: Int, index: UInt64, hash: Hash32)] {
    var completed: [(level: Int, index: UInt64, hash: Hash32)] = []
    var hash = leaf
    var level = 0
    // Each trailing 1-bit of treeSize is a complete subtree the new leaf's subtree now pairs with.
    while (treeSize >> level) & 1 == 1 {
      hash = hasher.nodeHash(frontier.removeLast(), hash)
      level += 1
      completed.append((level, treeSize >> level, hash))
    }
    frontier.append(hash)
    treeSize += 1
    return completed
  }

  /// Appends `leaf` with a one-off hasher; see `append(_:hasher:)`.
  @discardableResult
  public mutating func append(_ leaf: Hash32) -> [(level: Int, index: UInt64, hash: Hash32)] {
    guard treeSize & 1 == 1 else {
      // No merge, so no hashing: skip creating a digest context.
      frontier.append(leaf)
      treeSize += 1
      return []
    }
    return append(leaf, hasher: SHA256())
  }

  /// MTH of the whole tree, folded right to left from the frontier in O(log n) hashes;
  /// SHA-256 of the empty string when the tree is empty.
  public func rootHash(hasher: SHA256) -> Hash32 {
    guard var hash = frontier.last else { return MerkleVerification.emptyTreeRootHash }
    for subtree in frontier.dropLast().reversed() {
      hash = hasher.nodeHash(subtree, hash)
    }
    return hash
  }

  /// MTH of the whole tree; see `rootHash(hasher:)`.
  public func rootHash() -> Hash32 {
    rootHash(hasher: SHA256())
  }
}
