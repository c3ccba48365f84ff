/// What a donor learns from the public log about their receipt's gift.
public struct ReceiptLogCheck: Sendable {
  /// The size of the public log's checkpoint the check read.
  public var treeSize: Int64
  /// A later entry reversing the gift, if there is one.
  public var reversal: Entry?
}

extension Receipt {
  /// Looks in the public log in `directory` (`almoner publish`) for a later
  /// reversal of this receipt's gift: a receipt proves a gift was recorded,
  /// not that it still stands. The log's checkpoint is checked against
  /// `trust` (log signature, witness quorum), its entries against the
  /// checkpoint's root and the trusted ledger id, and the receipt's entry
  /// must be in it at its seq.
  public func checkAgainstPublicLog(_ directory: String, trust: TrustBundle)
    throws(AlmonerError) -> ReceiptLogCheck
  {
    let given = try Entry(canonical: entry)
    let noteText = try PublicLogReader.checkpointText(in: directory)
    let checkpoint = try CheckpointTrust.verify(note: noteText, trust: trust).checkpoint
    guard checkpoint.treeSize > given.seq else {
      throw .badInput(
        "公开日志的检查点只覆盖前 \(checkpoint.treeSize) 条记录，还不含这张收据的第 \(given.seq) 条：请用更新的公开日志")
    }
    let entries = try PublicLogReader.entries(in: directory, count: checkpoint.treeSize)
    let hasher = SHA256()
    var tree = MerkleAppender()
    for bytes in entries { _ = tree.append(hasher.leafHash(bytes), hasher: hasher) }
    guard tree.rootHash(hasher: hasher) == checkpoint.rootHash else {
      throw .verification("公开日志的记录与其检查点的默克尔根不符：日志文件被改动过")
    }
    guard hasher.leafHash(entries[0]) == trust.ledgerID else {
      throw .verification("公开日志属于另一本账：它的第 0 条记录不是信任文件中的账本 ID")
    }
    guard entries[Int(given.seq)] == entry else {
      throw .verification("公开日志中的第 \(given.seq) 条记录与收据中的不同：两者不是同一本账")
    }
    var reversal: Entry?
    for bytes in entries[(Int(given.seq) + 1)...] {
      let later = try Entry(canonical: bytes)
      if case .reversal(let body) = later.body, body.seq == given.seq {
        reversal = later
        break
      }
    }
    return ReceiptLogCheck(treeSize: checkpoint.treeSize, reversal: reversal)
  }
}
