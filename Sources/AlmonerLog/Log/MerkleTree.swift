/// Where a Merkle tree reads its hashes: the leaf hashes, plus the complete subtree roots that
/// were stored so proofs need not recompute them.
///
/// A node at `level` k and `index` i is the root of the complete subtree over the leaves
/// `[i·2^k, (i+1)·2^k)`; level 0 holds the leaves themselves. A source may store every such
/// node, only some levels, or none at all: `MerkleTree` computes a missing node from its
/// children, so storing fewer nodes costs time, never correctness.
public protocol MerkleNodeSource {
  /// What reading the storage can throw; `Never` for in-memory sources.
  associatedtype Failure: Error = any Error

  /// The leaf hash (SHA-256(0x00 ‖ entry)) at `index`; only asked for indices below the tree
  /// size the caller passed to `MerkleTree`.
  func leaf(_ index: UInt64) throws(Failure) -> Hash32

  /// The stored root of the complete subtree at `level` ≥ 1 and `index`, or `nil` when that
  /// node is not stored.
  func storedNode(level: Int, index: UInt64) throws(Failure) -> Hash32?
}

/// An RFC 9162 §2.1 Merkle tree over a `MerkleNodeSource`: root hashes, inclusion proofs and
/// consistency proofs for any tree size up to the number of leaves in the source.
///
/// Every hash a proof needs is MTH(D[a:b]) of a range that is either a complete aligned
/// subtree (one stored-node lookup) or lies on the ragged right edge of the tree, which is
/// folded from the complete subtrees for the 1-bits of its size. Within one call the ragged
/// edge is folded once and shared, so a proof costs O(log n) lookups when every node is
/// stored. Sizes and indices are checked with `precondition`: callers compare them with the
/// log size first and report out-of-range requests to the person themselves.
public struct MerkleTree<Source: MerkleNodeSource> {
  /// The storage the tree reads.
  public let source: Source

  /// Wraps `source`; no hashes are read until a method is called.
  public init(source: Source) {
    self.source = source
  }

  /// MTH of the first `treeSize` leaves; SHA-256 of the empty string for size 0.
  public func rootHash(treeSize: UInt64) throws(Source.Failure) -> Hash32 {
    guard treeSize > 0 else { return MerkleVerification.emptyTreeRootHash }
    var reader = MerkleNodeReader(source: source)
    return try reader.rangeHash(start: 0, end: treeSize)
  }

  /// The RFC 9162 §2.1.3.1 inclusion proof PATH(leafIndex, D[0:treeSize]), lowest sibling first.
  ///
  /// Requires `leafIndex < treeSize`.
  public func inclusionProof(
    leafIndex: UInt64, treeSize: UInt64
  ) throws(Source.Failure) -> [Hash32] {
    var reader = MerkleNodeReader(source: source)
    return try Self.inclusionProof(leafIndex: leafIndex, treeSize: treeSize, reader: &reader)
  }

  /// `inclusionProof` for many leaves of one tree: the nodes computed for
  /// one proof (subtrees below the stored levels, ranges on the ragged
  /// edge) are kept for the next, which for nearby leaves shares most of
  /// them. Memory: the nodes the proofs touch.
  public func inclusionProofs(
    leafIndices: [UInt64], treeSize: UInt64
  ) throws(Source.Failure) -> [[Hash32]] {
    var reader = MerkleNodeReader(source: source, remembersSubtrees: true)
    var proofs: [[Hash32]] = []
    proofs.reserveCapacity(leafIndices.count)
    for leafIndex in leafIndices {
      proofs.append(
        try Self.inclusionProof(leafIndex: leafIndex, treeSize: treeSize, reader: &reader))
    }
    return proofs
  }

  private static func inclusionProof(
    leafIndex: UInt64, treeSize: UInt64, reader: inout MerkleNodeReader<Source>
  ) throws(Source.Failure) -> [Hash32] {
    precondition(leafIndex < treeSize, "inclusion proof for leaf \(leafIndex) of \(treeSize)")
    var siblings: [Hash32] = []  // From the top of the tree down.
    var start: UInt64 = 0
    var end = treeSize
    while end - start > 1 {
      let split = start + largestPowerOfTwo(below: end - start)
      if leafIndex < split {
        siblings.append(try reader.rangeHash(start: split, end: end))
        end = split
      } else {
        siblings.append(try reader.rangeHash(start: start, end: split))
        start = split
      }
    }
    return siblings.reversed()
  }

  /// The RFC 9162 §2.1.4.1 consistency proof PROOF(oldSize, D[0:newSize]), deepest node first.
  ///
  /// Empty when `oldSize` is 0 or equals `newSize`. Requires `oldSize <= newSize`.
  public func consistencyProof(
    oldSize: UInt64, newSize: UInt64
  ) throws(Source.Failure) -> [Hash32] {
    precondition(oldSize <= newSize, "consistency proof from \(oldSize) to \(newSize)")
    guard oldSize > 0, oldSize < newSize else { return [] }
    var reader = MerkleNodeReader(source: source)
    var nodes: [Hash32] = []  // From the top of the tree down.
    var start: UInt64 = 0
    var end = newSize
    // SUBPROOF's flag b: true while the current subtree starts at leaf 0, i.e. the old tree's
    // root is known to the verifier and need not be sent.
    var oldTreeIsPrefix = true
    while oldSize < end {
      let split = start + largestPowerOfTwo(below: end - start)
      if oldSize <= split {
        nodes.append(try reader.rangeHash(start: split, end: end))
        end = split
      } else {
        nodes.append(try reader.rangeHash(start: start, end: split))
        start = split
        oldTreeIsPrefix = false
      }
    }
    if !oldTreeIsPrefix {
      nodes.append(try reader.rangeHash(start: start, end: end))
    }
    return nodes.reversed()
  }

  /// The roots of the complete subtrees that make up the first `treeSize` leaves, largest
  /// (leftmost) first: what `MerkleAppender(treeSize:frontier:)` restores from.
  public func frontier(treeSize: UInt64) throws(Source.Failure) -> [Hash32] {
    let reader = MerkleNodeReader(source: source)
    var hashes: [Hash32] = []
    for position in MerkleAppender.frontierPositions(treeSize: treeSize) {
      hashes.append(try reader.completeSubtreeHash(level: position.level, index: position.index))
    }
    return hashes
  }

  /// A `MerkleAppender` positioned after the first `treeSize` leaves, ready to append more.
  public func appender(treeSize: UInt64) throws(Source.Failure) -> MerkleAppender {
    MerkleAppender(uncheckedTreeSize: treeSize, frontier: try frontier(treeSize: treeSize))
  }
}

extension MerkleTree: Sendable where Source: Sendable {}

/// The largest power of two strictly below `count`, RFC 9162's split point k; `count` ≥ 2.
private func largestPowerOfTwo(below count: UInt64) -> UInt64 {
  precondition(count >= 2, "no power of two splits \(count) leaves")
  return 1 << (63 - (count - 1).leadingZeroBitCount)
}

/// Reads node hashes for one `MerkleTree` call, folding ragged right edges once.
struct MerkleNodeReader<Source: MerkleNodeSource> {
  /// A half-open leaf range `[start, end)`.
  private struct Span: Hashable {
    var start: UInt64
    var end: UInt64
  }

  let source: Source
  let hasher = SHA256()
  /// MTH of ranges already folded in this call, keyed by range.
  private var folded: [Span: Hash32] = [:]
  /// Complete subtrees computed (not stored) so far, when remembered.
  private let computed: ComputedSubtrees?

  /// A reference, so that a non-mutating look-up can remember what it
  /// computed.
  private final class ComputedSubtrees {
    var hashes: [Span: Hash32] = [:]
  }

  init(source: Source, remembersSubtrees: Bool = false) {
    self.source = source
    computed = remembersSubtrees ? ComputedSubtrees() : nil
  }

  /// The root of the complete subtree at `level`, `index`: one lookup when it is stored,
  /// otherwise computed from its highest stored descendants or, failing those, the leaves.
  func completeSubtreeHash(level: Int, index: UInt64) throws(Source.Failure) -> Hash32 {
    if level == 0 { return try source.leaf(index) }
    if let stored = try source.storedNode(level: level, index: index) { return stored }
    let key = Span(start: index << level, end: (index + 1) << level)
    if let known = computed?.hashes[key] { return known }
    let left = try completeSubtreeHash(level: level - 1, index: index << 1)
    let right = try completeSubtreeHash(level: level - 1, index: index << 1 | 1)
    let hash = hasher.nodeHash(left, right)
    computed?.hashes[key] = hash
    return hash
  }

  /// MTH(D[start:end]) for a range that is a node of the tree of size `end`: `start` is a
  /// multiple of the largest power of two not above `end - start`.
  ///
  /// The range splits into one complete subtree per 1-bit of its size, largest first, and its
  /// hash is their right fold. Every suffix of that fold is itself a node on the same ragged
  /// edge, so each is remembered for later ranges ending at `end`.
  mutating func rangeHash(start: UInt64, end: UInt64) throws(Source.Failure) -> Hash32 {
    precondition(start < end, "empty leaf range \(start)..<\(end)")
    if let known = folded[Span(start: start, end: end)] { return known }
    var pieces: [(start: UInt64, level: Int)] = []
    var hash: Hash32?
    var offset = start
    while offset < end {
      if let known = folded[Span(start: offset, end: end)] {
        hash = known
        break
      }
      let level = 63 - (end - offset).leadingZeroBitCount
      precondition(offset & ((1 << level) - 1) == 0, "unaligned leaf range \(start)..<\(end)")
      pieces.append((offset, level))
      offset += 1 << level
    }
    for piece in pieces.reversed() {
      let node = try completeSubtreeHash(level: piece.level, index: piece.start >> piece.level)
      let combined = hash.map { hasher.nodeHash(node, $0) } ?? node
      folded[Span(start: piece.start, end: end)] = combined
      hash = combined
    }
    guard let hash else { preconditionFailure("leaf range \(start)..<\(end) has no pieces") }
    return hash
  }
}
