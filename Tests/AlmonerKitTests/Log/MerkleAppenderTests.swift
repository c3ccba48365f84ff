import AlmonerKit
import Testing

/// The right frontier: roots, completed nodes, and restoring from stored nodes.
@Suite struct MerkleAppenderTests {
  @Test func rootsAndCompletedNodesMatchReference() {
    let leaves = MerkleFixture.leaves(130)
    var appender = MerkleAppender()
    #expect(appender.rootHash() == MerkleVerification.emptyTreeRootHash)
    for (offset, leaf) in leaves.enumerated() {
      let leafIndex = UInt64(offset)
      let completed = appender.append(leaf)
      #expect(appender.treeSize == leafIndex + 1)
      #expect(appender.frontier.count == appender.treeSize.nonzeroBitCount)
      #expect(appender.rootHash() == MerkleFixture.referenceRoot(leaves[...offset]))
      // The new leaf completes one subtree per trailing 1-bit of its index.
      #expect(completed.map(\.level) == Array((0..<leafIndex.trailingOneBitCount).map { $0 + 1 }))
      for node in completed {
        #expect(node.index == leafIndex >> node.level)
        let start = Int(node.index << node.level)
        let end = start + (1 << node.level)
        #expect(node.hash == MerkleFixture.referenceRoot(leaves[start..<end]))
      }
    }
  }

  @Test func completedNodesAreLevelsOneAndUp() {
    var appender = MerkleAppender()
    #expect(appender.append(MerkleFixture.leafHash(0)).isEmpty)
    let pair = appender.append(MerkleFixture.leafHash(1))
    #expect(pair.count == 1)
    #expect(pair.first?.level == 1)
    #expect(pair.first?.index == 0)
    appender.append(MerkleFixture.leafHash(2))
    let four = appender.append(MerkleFixture.leafHash(3))
    #expect(four.map(\.level) == [1, 2])
    #expect(four.map(\.index) == [1, 0])
  }

  @Test func frontierPositions() {
    let positions = MerkleAppender.frontierPositions(treeSize: 13)
    #expect(positions.map(\.level) == [3, 2, 0])
    #expect(positions.map(\.index) == [0, 2, 12])
    #expect(MerkleAppender.frontierPositions(treeSize: 0).isEmpty)
    #expect(MerkleAppender.frontierPositions(treeSize: 1_000_000).count == 7)
    let top = MerkleAppender.frontierPositions(treeSize: UInt64.max)
    #expect(top.count == 64)
    #expect(top.first?.level == 63)
    #expect(top.last?.index == UInt64.max - 1)
  }

  @Test func restoresFromStoredNodes() throws {
    let tree = MerkleFixture.tree(200)
    let merkle = MerkleTree(source: tree)
    var appender = MerkleAppender()
    let hasher = SHA256()
    for treeSize in UInt64(0)...200 {
      let frontier = merkle.frontier(treeSize: treeSize)
      let positions = MerkleAppender.frontierPositions(treeSize: treeSize)
      let stored = positions.map { position in
        position.level == 0
          ? tree.leaf(position.index)
          : tree.storedNode(level: position.level, index: position.index)
      }
      #expect(stored == frontier)
      let restored = try MerkleAppender(treeSize: treeSize, frontier: frontier)
      #expect(restored == appender)
      #expect(merkle.appender(treeSize: treeSize) == appender)
      #expect(restored.rootHash() == tree.rootHash(treeSize: treeSize))
      if treeSize < 200 { appender.append(tree.leaf(treeSize), hasher: hasher) }
    }
    // Continuing from a restored frontier reaches the same tree.
    var resumed = try MerkleAppender(treeSize: 77, frontier: merkle.frontier(treeSize: 77))
    for leafIndex in UInt64(77)..<200 { resumed.append(tree.leaf(leafIndex)) }
    #expect(resumed == appender)
    #expect(resumed.rootHash(hasher: hasher) == tree.rootHash)
  }

  @Test func rejectsFrontierOfWrongLength() {
    let leaves = MerkleFixture.leaves(3)
    #expect(throws: MerkleError(.frontierLength(treeSize: 13, expected: 3, actual: 2))) {
      try MerkleAppender(treeSize: 13, frontier: Array(leaves.prefix(2)))
    }
    do {
      _ = try MerkleAppender(treeSize: 4, frontier: leaves)
      Issue.record("a 3-hash frontier for 4 leaves was accepted")
    } catch {
      #expect(error.description == "右边界节点数不对：树大小 4 需要 1 个子树根，给出了 3 个")
    }
  }

  @Test func inMemoryTreeStoresEveryCompleteSubtree() {
    let tree = MerkleFixture.tree(37)
    let leaves = MerkleFixture.leaves(37)
    #expect(tree.treeSize == 37)
    for level in 1...6 {
      let complete = 37 >> level
      for index in 0..<complete {
        let start = index << level
        #expect(
          tree.storedNode(level: level, index: UInt64(index))
            == MerkleFixture.referenceRoot(leaves[start..<start + (1 << level)]))
      }
      #expect(tree.storedNode(level: level, index: UInt64(complete)) == nil)
    }
    #expect(tree.storedNode(level: 64, index: 0) == nil)
    #expect(tree.currentAppender.rootHash() == tree.rootHash)
  }
}

extension UInt64 {
  /// The number of trailing 1-bits.
  fileprivate var trailingOneBitCount: Int { (~self).trailingZeroBitCount }
}
