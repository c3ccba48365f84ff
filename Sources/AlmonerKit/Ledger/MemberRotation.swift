import Foundation

/// What `member rotate` did: the entry, the person, the roles carried to
/// the new key, and the requests whose approvals by the old key no longer
/// count (only when the old key was marked compromised).
public struct KeyRotation: Sendable {
  public var appended: AppendedEntry
  public var name: String
  public var personID: String
  public var oldKeyID: String
  public var newKeyID: String
  public var carried: [Grant]
  /// `carried` in words: "建设路社区（GA-BC-JSL）记账员".
  public var carriedText: [String]
  /// Ids of open requests whose approval by the old key was voided.
  public var voidedRequests: [Int64]
}

extension Ledger {
  /// Moves a person to a new key (`member.rotate`): the old key is revoked
  /// and every role it held passes to `publicKey`, with the person, in one
  /// entry signed by an admin who could grant those roles. With
  /// `compromised`, the old key's approvals of requests not yet paid stop
  /// counting, as after `member revoke`.
  @discardableResult
  public func rotateMember(
    keyID: String, publicKey: PublicKey, compromised: Bool = false, reason: String? = nil,
    signer: SigningKey
  ) throws(AlmonerError) -> KeyRotation {
    let oldKeyID = keyID.trimmingWhitespace()
    let body = MemberRotateBody(
      compromised: compromised, keyID: oldKeyID, newKeyID: publicKey.keyID,
      publicKey: Data(publicKey.raw).base64EncodedString(),
      reason: try reason.map { text throws(AlmonerError) in try Text.input(text, field: "--reason")
      })
    let appended = try commit(signer: signer) { _ in
      [EntryDraft(body: .memberRotate(body))]
    }[0]
    let after = try state()
    guard let key = after.keys[publicKey.keyID] else {
      throw .failure("更换密钥的记录写入后未能读回")
    }
    let voided = after.supervision.disbursements.values.filter { request in
      request.approvals.contains { $0.keyID == oldKeyID && $0.voidedSeq == appended.seq }
    }.map(\.id).sorted()
    let carried = after.activeGrants(of: key.keyID).filter { $0.grantedSeq == appended.seq }
    return KeyRotation(
      appended: appended, name: key.name, personID: key.personID, oldKeyID: oldKeyID,
      newKeyID: key.keyID, carried: carried,
      carriedText: carried.map { after.unitLabel($0.unit) + $0.role.displayName },
      voidedRequests: voided)
  }
}

extension Rendering {
  /// What `member rotate` prints.
  public static func keyRotationText(_ rotation: KeyRotation) -> String {
    var lines = [
      "已将 \(rotation.name) 的密钥 \(rotation.oldKeyID) 更换为 \(rotation.newKeyID)（记录 #\(rotation.appended.seq)）；旧密钥此后不能再签署",
      "转到新密钥的角色：" + rotation.carriedText.joined(separator: "、"),
    ]
    if !rotation.voidedRequests.isEmpty {
      let ids = rotation.voidedRequests.map { "#\($0)" }.joined(separator: "、")
      lines.append("旧密钥对未付款申请 \(ids) 的批准已作废，这些申请须重新审批")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// What `member rotate --format json` prints: the appended entry, the
  /// person and both keys, the roles carried and the requests whose
  /// approvals were voided.
  public static func keyRotationJSON(_ rotation: KeyRotation) -> JSONValue {
    var object = appendedJSON(rotation.appended).objectValue ?? [:]
    object["personId"] = .string(rotation.personID)
    object["name"] = .string(rotation.name)
    object["oldKeyId"] = .string(rotation.oldKeyID)
    object["newKeyId"] = .string(rotation.newKeyID)
    object["roles"] = .array(
      rotation.carried.map {
        .object(["unit": .string($0.unit), "role": .string($0.role.rawValue)])
      })
    object["voidedRequests"] = .array(rotation.voidedRequests.map { .integer($0) })
    return .object(object)
  }
}
