import AlmonerKit
import Testing

/// Rejections by the RFC 9162 verifiers, and the messages people read.
@Suite struct MerkleVerifierTests {
  static let tree = MerkleFixture.tree(64)

  /// Expects `body` to throw a `MerkleError` with `reason`.
  func expectReason(
    _ reason: MerkleError.Reason, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
  ) {
    do {
      try body()
      Issue.record("accepted; expected \(reason)", sourceLocation: sourceLocation)
    } catch let error as MerkleError {
      #expect(error.reason == reason, sourceLocation: sourceLocation)
    } catch {
      Issue.record("threw \(error); expected \(reason)", sourceLocation: sourceLocation)
    }
  }

  @Test func inclusionMessages() {
    let tree = Self.tree
    let root = tree.rootHash(treeSize: 8)
    let leaf = tree.leaf(3)
    var proof = tree.inclusionProof(leafIndex: 3, treeSize: 8)
    proof.append(root)
    do {
      try MerkleVerification.verifyInclusion(
        leafHash: leaf, leafIndex: 3, treeSize: 8, proof: proof, rootHash: root)
      Issue.record("a 4-hash proof at size 8 was accepted")
    } catch {
      #expect(error.description == "包含证明长度不对：树大小 8、位置 3 需要 3 个哈希，给出了 4 个")
    }
    do {
      try MerkleVerification.verifyInclusion(
        leafHash: leaf, leafIndex: 8, treeSize: 8, proof: [], rootHash: root)
      Issue.record("leaf 8 of 8 was accepted")
    } catch {
      #expect(
        error.description == "包含证明的位置超出范围：树大小 8 只有位置 0 到 7，给出的位置是 8")
    }
    #expect(
      MerkleError(.leafIndexOutOfRange(leafIndex: 0, treeSize: 0)).description
        == "包含证明的位置超出范围：树是空的，没有任何条目，给出的位置是 0")
  }

  @Test func inclusionRejections() {
    let tree = Self.tree
    let root = tree.rootHash(treeSize: 13)
    let leaf = tree.leaf(5)
    let proof = tree.inclusionProof(leafIndex: 5, treeSize: 13)
    expectReason(.leafIndexOutOfRange(leafIndex: 13, treeSize: 13)) {
      try MerkleVerification.verifyInclusion(
        leafHash: leaf, leafIndex: 13, treeSize: 13, proof: proof, rootHash: root)
    }
    expectReason(.leafIndexOutOfRange(leafIndex: 0, treeSize: 0)) {
      try MerkleVerification.verifyInclusion(
        leafHash: leaf, leafIndex: 0, treeSize: 0, proof: [], rootHash: root)
    }
    expectReason(.inclusionRootMismatch(leafIndex: 5, treeSize: 13)) {
      try MerkleVerification.verifyInclusion(
        leafHash: tree.leaf(6), leafIndex: 5, treeSize: 13, proof: proof, rootHash: root)
    }
    expectReason(.inclusionRootMismatch(leafIndex: 5, treeSize: 13)) {
      try MerkleVerification.verifyInclusion(
        leafHash: leaf, leafIndex: 5, treeSize: 13, proof: proof,
        rootHash: tree.rootHash(treeSize: 12))
    }
    expectReason(.inclusionRootMismatch(leafIndex: 5, treeSize: 13)) {
      try MerkleVerification.verifyInclusion(
        leafHash: leaf, leafIndex: 5, treeSize: 13, proof: proof.reversed(), rootHash: root)
    }
    // A one-leaf tree: the leaf is the root and the proof is empty.
    #expect(throws: Never.self) {
      try MerkleVerification.verifyInclusion(
        leafHash: leaf, leafIndex: 0, treeSize: 1, proof: [], rootHash: leaf)
    }
  }

  /// Too long or too short is reported as a length error for every position, before hashing.
  @Test func inclusionProofLengthIsExact() {
    let tree = Self.tree
    for treeSize in UInt64(1)...40 {
      let root = tree.rootHash(treeSize: treeSize)
      for leafIndex in 0..<treeSize {
        let proof = tree.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
        let wrongProofs = [
          proof + [root], [root] + proof, Array(proof.dropLast()), Array(proof.dropFirst()),
        ]
        for wrong in wrongProofs where wrong.count != proof.count {
          expectReason(
            .inclusionProofLength(
              leafIndex: leafIndex, treeSize: treeSize, expected: proof.count,
              actual: wrong.count)
          ) {
            try MerkleVerification.verifyInclusion(
              leafHash: tree.leaf(leafIndex), leafIndex: leafIndex, treeSize: treeSize,
              proof: wrong, rootHash: root)
          }
        }
      }
    }
  }

  @Test func consistencyRejections() {
    let tree = Self.tree
    let root3 = tree.rootHash(treeSize: 3)
    let root4 = tree.rootHash(treeSize: 4)
    let root8 = tree.rootHash(treeSize: 8)
    let empty = MerkleVerification.emptyTreeRootHash
    let proof3to8 = tree.consistencyProof(oldSize: 3, newSize: 8)
    let proof4to8 = tree.consistencyProof(oldSize: 4, newSize: 8)
    expectReason(.oldSizeExceedsNewSize(oldSize: 9, newSize: 8)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 9, newSize: 8, oldRoot: root8, newRoot: root8, proof: [])
    }
    expectReason(.consistencyProofLength(oldSize: 8, newSize: 8, expected: 0, actual: 1)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 8, newSize: 8, oldRoot: root8, newRoot: root8, proof: [root8])
    }
    expectReason(.equalSizeRootsDiffer(treeSize: 8)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 8, newSize: 8, oldRoot: root4, newRoot: root8, proof: [])
    }
    expectReason(.consistencyProofLength(oldSize: 0, newSize: 8, expected: 0, actual: 1)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 0, newSize: 8, oldRoot: empty, newRoot: root8, proof: [empty])
    }
    expectReason(.emptyTreeRootMismatch) {
      try MerkleVerification.verifyConsistency(
        oldSize: 0, newSize: 8, oldRoot: root3, newRoot: root8, proof: [])
    }
    expectReason(.emptyTreeRootMismatch) {
      try MerkleVerification.verifyConsistency(
        oldSize: 0, newSize: 0, oldRoot: root3, newRoot: root3, proof: [])
    }
    expectReason(.equalSizeRootsDiffer(treeSize: 0)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 0, newSize: 0, oldRoot: empty, newRoot: root3, proof: [])
    }
    expectReason(.consistencyProofEmpty(oldSize: 3, newSize: 8)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 3, newSize: 8, oldRoot: root3, newRoot: root8, proof: [])
    }
    expectReason(.consistencyProofLength(oldSize: 3, newSize: 8, expected: 4, actual: 5)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 3, newSize: 8, oldRoot: root3, newRoot: root8, proof: proof3to8 + [root8])
    }
    expectReason(.consistencyOldRootMismatch(oldSize: 3, newSize: 8)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 3, newSize: 8, oldRoot: root4, newRoot: root8, proof: proof3to8)
    }
    expectReason(.consistencyNewRootMismatch(oldSize: 3, newSize: 8)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 3, newSize: 8, oldRoot: root3, newRoot: root4, proof: proof3to8)
    }
    // A complete old tree seeds the chain with its root, so a wrong one shows in the new root.
    expectReason(.consistencyNewRootMismatch(oldSize: 4, newSize: 8)) {
      try MerkleVerification.verifyConsistency(
        oldSize: 4, newSize: 8, oldRoot: root3, newRoot: root8, proof: proof4to8)
    }
    // Every tree extends the empty tree; equal sizes with equal roots are consistent.
    #expect(throws: Never.self) {
      try MerkleVerification.verifyConsistency(
        oldSize: 0, newSize: 8, oldRoot: empty, newRoot: root8, proof: [])
      try MerkleVerification.verifyConsistency(
        oldSize: 0, newSize: 0, oldRoot: empty, newRoot: empty, proof: [])
      try MerkleVerification.verifyConsistency(
        oldSize: 8, newSize: 8, oldRoot: root8, newRoot: root8, proof: [])
    }
  }

  @Test func consistencyMessages() {
    #expect(
      MerkleError(.consistencyNewRootMismatch(oldSize: 3, newSize: 8)).description
        .hasPrefix("一致性证明算出的新根与检查点不符"))
    #expect(
      MerkleError(.consistencyProofLength(oldSize: 3, newSize: 8, expected: 4, actual: 5))
        .description == "一致性证明长度不对：旧树大小 3、新树大小 8 需要 4 个哈希，给出了 5 个")
    #expect(
      MerkleError(.oldSizeExceedsNewSize(oldSize: 9, newSize: 8)).description
        == "一致性检查的旧树大小 9 大于新树大小 8：日志只能增长，不能变短")
  }

  @Test func consistencyProofLengthIsExact() {
    let tree = Self.tree
    for newSize in UInt64(2)...40 {
      let newRoot = tree.rootHash(treeSize: newSize)
      for oldSize in 1..<newSize {
        let oldRoot = tree.rootHash(treeSize: oldSize)
        let proof = tree.consistencyProof(oldSize: oldSize, newSize: newSize)
        let wrongProofs = [
          proof + [newRoot], [oldRoot] + proof, Array(proof.dropLast()), Array(proof.dropFirst()),
        ]
        for wrong in wrongProofs where !wrong.isEmpty {
          expectReason(
            .consistencyProofLength(
              oldSize: oldSize, newSize: newSize, expected: proof.count, actual: wrong.count)
          ) {
            try MerkleVerification.verifyConsistency(
              oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot,
              proof: wrong)
          }
        }
      }
    }
  }

  /// Tree sizes for the bit-flip tests: every size up to 16 with every position, then larger
  /// sizes with sampled positions (a debug build verifies about 40,000 proofs a second).
  static let flipSizes: [UInt64] = Array(1...16) + [31, 32, 33, 64]

  static func flipPositions(_ treeSize: UInt64, from first: UInt64) -> [UInt64] {
    guard treeSize > 16 else { return Array(first..<treeSize) }
    return Array(Set([first, treeSize / 2, treeSize - 1])).sorted()
  }

  /// Flipping any single bit of any proof hash makes the proof fail.
  @Test(arguments: flipSizes)
  func everyBitOfAnInclusionProofMatters(treeSize: UInt64) {
    let tree = Self.tree
    let root = tree.rootHash(treeSize: treeSize)
    for leafIndex in Self.flipPositions(treeSize, from: 0) {
      let proof = tree.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
      for position in proof.indices {
        for bit in 0..<256 {
          var wrong = proof
          wrong[position] = MerkleFixture.flipping(proof[position], bit: bit)
          // Plain do/catch: #expect per flip makes this test 50 times slower in debug builds.
          do {
            try MerkleVerification.verifyInclusion(
              leafHash: tree.leaf(leafIndex), leafIndex: leafIndex, treeSize: treeSize,
              proof: wrong, rootHash: root)
            Issue.record("leaf \(leafIndex) of \(treeSize): proof[\(position)] bit \(bit)")
          } catch {}
        }
      }
    }
  }

  /// Flipping any single bit of any proof hash makes the proof fail.
  @Test(arguments: flipSizes.filter { $0 >= 2 })
  func everyBitOfAConsistencyProofMatters(newSize: UInt64) {
    let tree = Self.tree
    let newRoot = tree.rootHash(treeSize: newSize)
    for oldSize in Self.flipPositions(newSize, from: 1) {
      let oldRoot = tree.rootHash(treeSize: oldSize)
      let proof = tree.consistencyProof(oldSize: oldSize, newSize: newSize)
      for position in proof.indices {
        for bit in 0..<256 {
          var wrong = proof
          wrong[position] = MerkleFixture.flipping(proof[position], bit: bit)
          do {
            try MerkleVerification.verifyConsistency(
              oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot,
              proof: wrong)
            Issue.record("\(oldSize) to \(newSize): proof[\(position)] bit \(bit)")
          } catch {}
        }
      }
    }
  }

  @Test func rootFromInclusionProofMatchesTree() throws {
    let tree = Self.tree
    for treeSize in UInt64(1)...64 {
      for leafIndex in 0..<treeSize {
        let root = try MerkleVerification.rootFromInclusionProof(
          leafHash: tree.leaf(leafIndex), leafIndex: leafIndex, treeSize: treeSize,
          proof: tree.inclusionProof(leafIndex: leafIndex, treeSize: treeSize))
        #expect(root == tree.rootHash(treeSize: treeSize))
      }
    }
  }
}
