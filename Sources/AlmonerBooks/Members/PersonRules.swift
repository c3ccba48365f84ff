import Foundation

/// A person is not a key (DESIGN §3). These rules keep the person behind
/// the keys: who may appoint whom, the duties one person may not combine
/// (不相容职务分离), key rotation, and approvals that stop counting when
/// their key is taken away.
///
/// - A person is identified by a **person id**: the key id of the first key
///   they were granted with (`MemberKey.personID`). `member.grant` of a key
///   the ledger has never seen makes a new person; `member.rotate` moves a
///   person, with every role they hold, to a new key and revokes the old one
///   in the same entry. So a person holds one usable key at a time, and
///   approvals, self-approval and incompatible duties are counted per person.
/// - A treasurer (记账员) and an approver (审批人) of one unit must be two
///   people, and nobody approves a request of a unit they keep the books
///   of, even as an approver of a tier above, nor pays a request they
///   approved.
/// - Supervisors (监督员) are appointed, revoked and rotated by an admin of
///   the tier above the unit they supervise (a street's by the district); the
///   district has no tier above, so its own admins appoint its supervisors.
/// - An approval counts only while its key stands: `member.revoke` of the
///   approver's key (or `member.rotate` marked `compromised`) before the
///   payment voids it, and the request waits for another approval.
///
/// These rules run in `LedgerState.apply`, so `verify ledger` holds every
/// replayed entry to them too. One check is an admission check only
/// (`admit`): a new key under the name of a person who already holds an
/// active key is refused when appended, but not on replay, because a name
/// does not identify a person and ledgers written before this rule may
/// hold such a grant legitimately.
extension LedgerState {
  // MARK: Persons

  /// The person holding `keyID` (the key id itself for an unknown key).
  public func personID(of keyID: String) -> String { keys[keyID]?.personID ?? keyID }

  /// The key that replaced `keyID` by `member.rotate`, if any.
  public func rotatedTo(_ keyID: String) -> String? {
    guard let key = keys[keyID], let seq = key.revokedSeq else { return nil }
    return grants.first {
      $0.grantedSeq == seq && $0.keyID != keyID && keys[$0.keyID]?.personID == key.personID
    }?.keyID
  }

  func isSamePerson(_ first: String, _ second: String) -> Bool {
    personID(of: first) == personID(of: second)
  }

  /// Grants in force of the person holding `keyID`, over all their keys.
  public func activePersonGrants(of keyID: String) -> [Grant] {
    let person = personID(of: keyID)
    return grants.filter { $0.revokedSeq == nil && keys[$0.keyID]?.personID == person }
  }

  /// The text a name is compared by: NFKC (full-width letters and digits,
  /// compatibility forms folded), without white space or variation
  /// selectors, lower case.
  package static func nameComparisonKey(_ name: String) -> String {
    String(
      name.precomposedStringWithCompatibilityMapping.unicodeScalars
        .filter { !$0.properties.isWhitespace && !Text.isVariationSelector($0) }
    ).lowercased()
  }

  // MARK: Appointing

  /// The unit whose admins appoint `role` on `unit`: the unit itself,
  /// except for supervisors, whom the tier above appoints (the district's
  /// by the district's admins: it has no tier above).
  func appointingUnit(for role: Role, on unit: String) -> String {
    guard role == .supervisor, let parent = units[unit]?.parent else { return unit }
    return parent
  }

  /// Refuses `entry` (a grant, revocation or rotation touching `role` on
  /// `unit`) unless its author is an admin of the appointing unit or above.
  func requireAppointer(_ role: Role, on unit: String, _ entry: Entry) throws(AlmonerError) {
    let appointing = appointingUnit(for: role, on: unit)
    guard appointing != unit else { return try requireRole([.admin], on: unit, entry) }
    guard holds(.admin, on: appointing, keyID: entry.author) else {
      throw .refused(
        .supervisorAppointedAbove(
          unit: unitLabel(unit), appointing: unitLabel(appointing), action: entry.kind.actionName,
          signerName: memberName(entry.author), signerKeyID: entry.author))
    }
  }

  // MARK: Incompatible duties (不相容职务分离)

  /// The role a person may not hold on the same unit as `role`.
  private static func incompatibleRole(_ role: Role) -> Role? {
    switch role {
    case .treasurer: .approver
    case .approver: .treasurer
    case .admin, .supervisor: nil
    }
  }

  /// Refuses a grant that would make one person treasurer and approver of
  /// one unit.
  func requireCompatibleDuty(_ role: Role, on unit: Unit, keyID: String) throws(AlmonerError) {
    guard let other = LedgerState.incompatibleRole(role),
      let clash = activePersonGrants(of: keyID).first(where: {
        $0.unit == unit.code && $0.role == other
      })
    else { return }
    throw .refused(
      .dutiesGrantClash(
        name: memberName(keyID), keyID: keyID, unit: unitLabel(unit.code),
        heldRole: other.displayName, grantedSeq: clash.grantedSeq, role: role.displayName))
  }

  /// Refuses an approval by a person who keeps the books of the paying unit.
  func requireNotTreasurer(of request: Disbursement, approver keyID: String) throws(AlmonerError) {
    guard
      let clash = activePersonGrants(of: keyID).first(where: {
        $0.role == .treasurer && $0.unit == request.unit
      })
    else { return }
    throw .refused(
      .dutiesApproveClash(
        name: memberName(keyID), unit: unitLabel(request.unit), grantedSeq: clash.grantedSeq,
        requestID: request.id))
  }

  /// Refuses a payment by a person whose approval counts for the request.
  func requireNotApprover(of request: Disbursement, payer keyID: String) throws(AlmonerError) {
    guard
      let approval = request.approvals.first(where: {
        $0.counts && isSamePerson($0.keyID, keyID)
      })
    else { return }
    throw .refused(
      .dutiesPayClash(
        name: memberName(keyID), requestID: request.id, approvalSeq: approval.seq,
        unit: unitLabel(request.unit)))
  }

  // MARK: Approvals of keys taken away

  /// Stops counting the approvals `keyID` gave to requests still open: an
  /// approved request that no longer meets its policy goes back to pending
  /// (and frees the money reserved for it). Returns the ids of the requests
  /// touched.
  @discardableResult
  mutating func voidApprovals(
    by keyID: String, seq: Int64, _ changes: inout ProjectionChanges
  ) -> [Int64] {
    var touched: [Int64] = []
    for var request in supervision.disbursements.values
    where request.status.isOpen
      && request.approvals.contains(where: {
        $0.keyID == keyID && $0.counts
      })
    {
      for index in request.approvals.indices
      where request.approvals[index].keyID == keyID && request.approvals[index].counts {
        request.approvals[index].voidedSeq = seq
      }
      if request.status == .approved, !request.missingApprovals.isEmpty {
        request.status = .pending
        request.approvedSeq = nil
      }
      save(request, &changes)
      touched.append(request.id)
    }
    return touched.sorted()
  }

  // MARK: Rotation

  mutating func applyMemberRotate(
    _ entry: Entry, _ body: MemberRotateBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let oldKeyID = body.keyID
    let publicKey = try body.validate()
    let newKeyID = body.newKeyID
    let compromised = body.compromised
    guard let old = keys[oldKeyID] else {
      throw .refused(.rotateKeyUnknown(keyID: oldKeyID))
    }
    if let revoked = old.revokedSeq {
      throw .refused(.rotateKeyRevoked(keyID: oldKeyID, name: old.name, seq: revoked))
    }
    if let known = keys[newKeyID] {
      throw .refused(.rotateKeyTaken(keyID: newKeyID, holderName: known.name))
    }
    let carried = activeGrants(of: oldKeyID)
    guard !carried.isEmpty else {
      throw .refused(.rotateKeyWithoutRoles(keyID: oldKeyID))
    }
    for grant in carried { try requireAppointer(grant.role, on: grant.unit, entry) }
    let key = MemberKey(
      keyID: newKeyID, publicKey: publicKey, name: old.name, revokedSeq: nil,
      personID: old.personID)
    keys[newKeyID] = key
    changes.keys.append(key)
    keys[oldKeyID]?.revokedSeq = entry.seq
    for index in grants.indices
    where grants[index].keyID == oldKeyID && grants[index].revokedSeq == nil {
      grants[index].revokedSeq = entry.seq
    }
    changes.revokedKeys.append((oldKeyID, entry.seq))
    for grant in carried {
      let moved = Grant(
        keyID: newKeyID, unit: grant.unit, role: grant.role, name: grant.name,
        grantedSeq: entry.seq, revokedSeq: nil)
      grants.append(moved)
      changes.grants.append(moved)
    }
    // A routine rotation keeps the person's approvals: they were given by
    // that person. A key that may have been in someone else's hands does not.
    if compromised { voidApprovals(by: oldKeyID, seq: entry.seq, &changes) }
  }

  // MARK: Admission

  /// Checks that hold for an entry being appended now but that replay does
  /// not re-impose (like a date in the future). Today: a new key is not
  /// granted under the name of a person who already holds an active key —
  /// that person's next key comes by `member rotate`, which carries the
  /// person over; otherwise one person could fill two approvers' places —
  /// and a key the ledger knows gets further roles under its own name only.
  package func admit(_ entry: Entry) throws(AlmonerError) {
    guard case .memberGrant(let body) = entry.body else { return }
    let keyID = body.keyID
    let name = body.name
    let wanted = LedgerState.nameComparisonKey(name)
    // A further role for a key the ledger knows goes under that person's
    // name, so `member list` can't show one person's key under another's.
    if let known = keys[keyID] {
      guard LedgerState.nameComparisonKey(known.name) == wanted else {
        throw .refused(.grantNameMismatch(keyID: keyID, knownName: known.name, name: name))
      }
      return
    }
    let holders = grants.filter {
      $0.revokedSeq == nil
        && (LedgerState.nameComparisonKey($0.name) == wanted
          || keys[$0.keyID].map { LedgerState.nameComparisonKey($0.name) == wanted } == true)
    }
    guard let holder = holders.min(by: { ($0.grantedSeq, $0.keyID) < ($1.grantedSeq, $1.keyID) })
    else { return }
    let unitCode = body.unit
    let newUnit = units[unitCode]?.name ?? unitCode
    let roles = activePersonGrants(of: holder.keyID).map {
      "\(units[$0.unit]?.name ?? $0.unit)\($0.role.displayName)"
    }.joined(separator: "、")
    throw .refused(
      .grantNameHeld(name: name, holderKeyID: holder.keyID, roles: roles, unitName: newUnit))
  }
}
