/// RFC 9162 verification of Merkle inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs.
///
/// Proof lengths are checked against the length the sizes call for before any hashing, so a
/// proof that is too long or too short is named as such. Root comparisons are constant-time.
public enum MerkleVerification {
  /// MTH of the empty tree: SHA-256 of the empty string.
  public static let emptyTreeRootHash: Hash32 = SHA256.hash([])

  /// The number of hashes in the inclusion proof for `leafIndex` in a tree of `treeSize`.
  ///
  /// Requires `leafIndex < treeSize`.
  public static func inclusionProofLength(leafIndex: UInt64, treeSize: UInt64) -> Int {
    precondition(leafIndex < treeSize, "leaf \(leafIndex) is outside a tree of \(treeSize)")
    // Below the level where the paths to leafIndex and treeSize - 1 meet, every level has a
    // sibling; above it only the levels where leafIndex's subtree is a right child do.
    let inner = bitLength(leafIndex ^ (treeSize - 1))
    return inner + (leafIndex >> inner).nonzeroBitCount
  }

  /// The number of hashes in the consistency proof from `oldSize` to `newSize`.
  ///
  /// Zero when `oldSize` is 0 or equals `newSize`. Requires `oldSize <= newSize`.
  public static func consistencyProofLength(oldSize: UInt64, newSize: UInt64) -> Int {
    precondition(oldSize <= newSize, "old size \(oldSize) exceeds new size \(newSize)")
    guard oldSize > 0, oldSize < newSize else { return 0 }
    // The proof is the inclusion path of leaf oldSize - 1 from the level of the old tree's
    // rightmost complete subtree up, plus that subtree's root unless it is the whole old tree.
    let shift = oldSize.trailingZeroBitCount
    let path = inclusionProofLength(leafIndex: oldSize - 1, treeSize: newSize) - shift
    return oldSize == 1 << shift ? path : path + 1
  }

  /// The root hash that `proof` leads to from `leafHash` at `leafIndex` in a tree of
  /// `treeSize`, following RFC 9162 §2.1.3.2 steps 1–4.
  ///
  /// Throws when `leafIndex >= treeSize` or the proof has the wrong number of hashes.
  public static func rootFromInclusionProof(
    leafHash: Hash32, leafIndex: UInt64, treeSize: UInt64, proof: [Hash32]
  ) throws(MerkleError) -> Hash32 {
    guard leafIndex < treeSize else {
      throw MerkleError(.leafIndexOutOfRange(leafIndex: leafIndex, treeSize: treeSize))
    }
    let expected = inclusionProofLength(leafIndex: leafIndex, treeSize: treeSize)
    let lengthError = MerkleError(
      .inclusionProofLength(
        leafIndex: leafIndex, treeSize: treeSize, expected: expected, actual: proof.count))
    guard proof.count == expected else { throw lengthError }

    let hasher = SHA256()
    var fn = leafIndex
    var sn = treeSize - 1
    var root = leafHash
    for sibling in proof {
      guard sn != 0 else { throw lengthError }
      if fn & 1 == 1 || fn == sn {
        root = hasher.nodeHash(sibling, root)
        while fn & 1 == 0 && fn != 0 {
          fn >>= 1
          sn >>= 1
        }
      } else {
        root = hasher.nodeHash(root, sibling)
      }
      fn >>= 1
      sn >>= 1
    }
    guard sn == 0 else { throw lengthError }
    return root
  }

  /// Checks that `proof` proves `leafHash` is the leaf at `leafIndex` of the tree of
  /// `treeSize` whose root is `rootHash` (RFC 9162 §2.1.3.2).
  ///
  /// Throws when `leafIndex >= treeSize`, the proof has the wrong number of hashes, or the
  /// root it leads to differs from `rootHash`.
  public static func verifyInclusion(
    leafHash: Hash32, leafIndex: UInt64, treeSize: UInt64, proof: [Hash32], rootHash: Hash32
  ) throws(MerkleError) {
    let computed = try rootFromInclusionProof(
      leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize, proof: proof)
    guard computed.constantTimeEquals(rootHash) else {
      throw MerkleError(.inclusionRootMismatch(leafIndex: leafIndex, treeSize: treeSize))
    }
  }

  /// Checks that `proof` proves the tree of `newSize` with root `newRoot` extends the tree of
  /// `oldSize` with root `oldRoot` (RFC 9162 §2.1.4.2).
  ///
  /// Equal sizes need an empty proof and equal roots. Every tree extends the empty tree, so
  /// `oldSize` 0 needs an empty proof and `oldRoot` equal to `emptyTreeRootHash`. Otherwise
  /// throws when `oldSize > newSize`, the proof has the wrong number of hashes (including
  /// none), or the roots it leads to differ from `oldRoot` or `newRoot`.
  public static func verifyConsistency(
    oldSize: UInt64, newSize: UInt64, oldRoot: Hash32, newRoot: Hash32, proof: [Hash32]
  ) throws(MerkleError) {
    guard oldSize <= newSize else {
      throw MerkleError(.oldSizeExceedsNewSize(oldSize: oldSize, newSize: newSize))
    }
    let expected = consistencyProofLength(oldSize: oldSize, newSize: newSize)
    let lengthError = MerkleError(
      .consistencyProofLength(
        oldSize: oldSize, newSize: newSize, expected: expected, actual: proof.count))
    if oldSize == 0 || oldSize == newSize {
      guard proof.isEmpty else { throw lengthError }
      if oldSize == 0, !oldRoot.constantTimeEquals(emptyTreeRootHash) {
        throw MerkleError(.emptyTreeRootMismatch)
      }
      if oldSize == newSize, !oldRoot.constantTimeEquals(newRoot) {
        throw MerkleError(.equalSizeRootsDiffer(treeSize: newSize))
      }
      return
    }
    guard !proof.isEmpty else {
      throw MerkleError(.consistencyProofEmpty(oldSize: oldSize, newSize: newSize))
    }
    guard proof.count == expected else { throw lengthError }

    // Step 2: when the old tree is complete its root starts the chain and is not sent.
    let seed: Hash32
    var rest = proof[...]
    if oldSize.nonzeroBitCount == 1 {
      seed = oldRoot
    } else {
      seed = proof[0]
      rest = proof.dropFirst()
    }
    // Steps 3–4.
    var fn = oldSize - 1
    var sn = newSize - 1
    while fn & 1 == 1 {
      fn >>= 1
      sn >>= 1
    }
    // Steps 5–6.
    let hasher = SHA256()
    var oldHash = seed
    var newHash = seed
    for node in rest {
      guard sn != 0 else { throw lengthError }
      if fn & 1 == 1 || fn == sn {
        oldHash = hasher.nodeHash(node, oldHash)
        newHash = hasher.nodeHash(node, newHash)
        while fn & 1 == 0 && fn != 0 {
          fn >>= 1
          sn >>= 1
        }
      } else {
        newHash = hasher.nodeHash(newHash, node)
      }
      fn >>= 1
      sn >>= 1
    }
    // Step 7.
    guard sn == 0 else { throw lengthError }
    guard oldHash.constantTimeEquals(oldRoot) else {
      throw MerkleError(.consistencyOldRootMismatch(oldSize: oldSize, newSize: newSize))
    }
    guard newHash.constantTimeEquals(newRoot) else {
      throw MerkleError(.consistencyNewRootMismatch(oldSize: oldSize, newSize: newSize))
    }
  }

  /// The number of significant bits in `value`: 0 for 0, 1 for 1, 3 for 5.
  private static func bitLength(_ value: UInt64) -> Int {
    64 - value.leadingZeroBitCount
  }
}
