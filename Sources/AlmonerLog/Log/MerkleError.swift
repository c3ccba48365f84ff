/// Why a Merkle proof or frontier was rejected, with a Chinese explanation for the treasurers
/// and residents who read it.
public struct MerkleError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The specific check that failed.
  public enum Reason: Equatable, Sendable {
    /// An inclusion proof names a leaf at or beyond the end of the tree.
    case leafIndexOutOfRange(leafIndex: UInt64, treeSize: UInt64)
    /// An inclusion proof holds more or fewer hashes than its position and tree size need.
    case inclusionProofLength(leafIndex: UInt64, treeSize: UInt64, expected: Int, actual: Int)
    /// An inclusion proof leads to a root other than the checkpoint's.
    case inclusionRootMismatch(leafIndex: UInt64, treeSize: UInt64)
    /// A consistency check where the old tree is larger than the new one.
    case oldSizeExceedsNewSize(oldSize: UInt64, newSize: UInt64)
    /// A consistency proof holds more or fewer hashes than the two sizes need.
    case consistencyProofLength(oldSize: UInt64, newSize: UInt64, expected: Int, actual: Int)
    /// A consistency proof between two different non-empty sizes holds no hashes at all.
    case consistencyProofEmpty(oldSize: UInt64, newSize: UInt64)
    /// An old tree of size 0 whose claimed root is not the empty tree's root.
    case emptyTreeRootMismatch
    /// Two trees of the same size with different roots.
    case equalSizeRootsDiffer(treeSize: UInt64)
    /// A consistency proof leads to an old root other than the old checkpoint's.
    case consistencyOldRootMismatch(oldSize: UInt64, newSize: UInt64)
    /// A consistency proof leads to a new root other than the new checkpoint's.
    case consistencyNewRootMismatch(oldSize: UInt64, newSize: UInt64)
    /// A stored frontier does not hold one subtree root per 1-bit of the tree size.
    case frontierLength(treeSize: UInt64, expected: Int, actual: Int)
  }

  /// The check that failed.
  public var reason: Reason

  /// An error for `reason`.
  public init(_ reason: Reason) {
    self.reason = reason
  }

  /// What went wrong, in Chinese, for people who are not programmers.
  public var description: String {
    switch reason {
    case .leafIndexOutOfRange(let leafIndex, let treeSize):
      if treeSize == 0 {
        "包含证明的位置超出范围：树是空的，没有任何条目，给出的位置是 \(leafIndex)"
      } else {
        "包含证明的位置超出范围：树大小 \(treeSize) 只有位置 0 到 \(treeSize - 1)，"
          + "给出的位置是 \(leafIndex)"
      }
    case .inclusionProofLength(let leafIndex, let treeSize, let expected, let actual):
      "包含证明长度不对：树大小 \(treeSize)、位置 \(leafIndex) 需要 \(expected) 个哈希，"
        + "给出了 \(actual) 个"
    case .inclusionRootMismatch(let leafIndex, let treeSize):
      "包含证明算出的根与检查点不符：位置 \(leafIndex) 的条目不在树大小 \(treeSize) 的这棵树里，"
        + "或者证明被改动过"
    case .oldSizeExceedsNewSize(let oldSize, let newSize):
      "一致性检查的旧树大小 \(oldSize) 大于新树大小 \(newSize)：日志只能增长，不能变短"
    case .consistencyProofLength(let oldSize, let newSize, let expected, let actual):
      "一致性证明长度不对：旧树大小 \(oldSize)、新树大小 \(newSize) 需要 \(expected) 个哈希，"
        + "给出了 \(actual) 个"
    case .consistencyProofEmpty(let oldSize, let newSize):
      "一致性证明是空的：旧树大小 \(oldSize) 与新树大小 \(newSize) 不同，需要证明哈希"
    case .emptyTreeRootMismatch:
      "旧检查点的树大小为 0，但它的根不是空树的根"
    case .equalSizeRootsDiffer(let treeSize):
      "两个检查点的树大小都是 \(treeSize)，根却不同：日志被改写过"
    case .consistencyOldRootMismatch(let oldSize, let newSize):
      "一致性证明算出的旧根与旧检查点不符（旧树大小 \(oldSize)、新树大小 \(newSize)）"
    case .consistencyNewRootMismatch(let oldSize, let newSize):
      "一致性证明算出的新根与检查点不符（旧树大小 \(oldSize)、新树大小 \(newSize)）"
    case .frontierLength(let treeSize, let expected, let actual):
      "右边界节点数不对：树大小 \(treeSize) 需要 \(expected) 个子树根，给出了 \(actual) 个"
    }
  }
}
