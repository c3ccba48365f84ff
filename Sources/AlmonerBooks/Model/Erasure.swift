import Foundation

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
