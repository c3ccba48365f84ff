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
    let log = try PublicLog(directory: directory, trust: trust)
    let checkpoint = log.checkpoint
    guard checkpoint.treeSize > given.seq else {
      throw .refused(.publicLogBeforeReceipt(treeSize: checkpoint.treeSize, seq: given.seq))
    }
    let entries = log.entries
    guard entries[Int(given.seq)] == entry else {
      throw .refused(.publicLogEntryDiffers(seq: given.seq))
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
