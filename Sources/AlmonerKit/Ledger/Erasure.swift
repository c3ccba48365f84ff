import AlmonerStore
import Foundation

extension Ledger {
  /// Erases the personal data of entry `seq` (a donation, or a payment
  /// request to a person) and records that it did, in one commit.
  @discardableResult
  public func erase(seq: Int64, reason: ErasureReason = .request, signer: SigningKey)
    throws(AlmonerError) -> AppendedEntry
  {
    let appended = try commit(signer: signer) { _ throws(AlmonerError) in
      [
        EntryDraft(body: .erasure(ErasureBody(reason: reason, seq: seq)))
      ]
    }
    return appended[0]
  }
}
