import Foundation
import GRDB

/// Why personal data was erased: a fixed list, so the entry (which is
/// public) can never carry a name or other personal data in free text. The
/// grounds follow the Personal Information Protection Law (个人信息保护法)
/// Article 47.
public enum ErasureReason: String, Sendable, CaseIterable {
  case request
  case consentWithdrawn = "consent-withdrawn"
  case purposeAchieved = "purpose-achieved"
  case retentionExpired = "retention-expired"
  case unlawful

  public var displayName: String {
    switch self {
    case .request: "本人要求删除"
    case .consentWithdrawn: "本人撤回同意"
    case .purposeAchieved: "处理目的已实现"
    case .retentionExpired: "保存期限已届满"
    case .unlawful: "违法或违约处理"
    }
  }
}

extension LedgerState {
  /// `erasure`: an admin of the unit deletes the personal data kept beside a
  /// donation or a payment request to a person. The entry names the entry
  /// and the ground, nothing personal; the donor_private row is deleted in
  /// the same transaction (`LedgerStore.writeErasures`).
  mutating func applyErasure(
    _ entry: Entry, _ body: ErasureBody, _ lookup: some EntryLookup,
    _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let target = body.seq
    guard target >= 0, target < entry.seq, let original = try lookup.entry(at: target) else {
      throw .refused(.erasureTargetMissing(seq: target))
    }
    guard let (whose, _, unit) = original.personalDataCommitment else {
      throw .refused(
        .erasureTargetWithoutPersonalData(seq: target, kindName: original.kind.displayName))
    }
    if let by = erasures[target] {
      throw .refused(.erasureRepeated(seq: target, whose: whose, erasureSeq: by))
    }
    try requireRole([.admin], on: unit, entry)
    erasures[target] = entry.seq
    changes.erasures.append((target, entry.seq))
  }
}

extension LedgerStore {
  static func loadErasures(_ db: Database) throws -> [Int64: Int64] {
    var erasures: [Int64: Int64] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT erased_seq, erasure_seq FROM erasure") {
      erasures[row[0]] = row[1]
    }
    return erasures
  }

  /// Records each erasure and deletes the personal data it names, in the
  /// commit's transaction: the entry and the deletion land together.
  ///
  /// The row deleted must be the entry's own: one that does not open the
  /// entry's commitment (rows swapped or replaced outside almoner) would
  /// delete someone else's data and keep the person's, so the erasure is
  /// refused. A row already missing is not (see `verify ledger`).
  static func writeErasures(_ erasures: [(erased: Int64, by: Int64)], _ db: Database) throws {
    precondition(erasures.isEmpty || db.isInsideTransaction)
    for (erased, by) in erasures {
      if let row = try Row.fetchOne(
        db, sql: "SELECT salt, personal FROM donor_private WHERE seq = ?", arguments: [erased]),
        let bytes = try canonicalBytes(db, seq: erased)
      {
        let entry = try Entry(canonical: bytes)
        let stored = DonorPrivate(salt: [UInt8](row[0] as Data), personal: [UInt8](row[1] as Data))
        let claimed = entry.personalDataCommitment?.commitment
        guard let claimed, stored.commitment.constantTimeEquals(claimed) else {
          throw AlmonerError.refused(.erasureCommitmentMismatch(seq: erased))
        }
      }
      try db.execute(
        sql: "INSERT INTO erasure (erased_seq, erasure_seq) VALUES (?, ?)", arguments: [erased, by])
      try db.execute(sql: "DELETE FROM donor_private WHERE seq = ?", arguments: [erased])
    }
  }
}

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
