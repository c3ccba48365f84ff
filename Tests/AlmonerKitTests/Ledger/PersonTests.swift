import AlmonerKit
import Foundation
import Testing

/// A person is not a key: identity across key rotation, approvals counted
/// per person, incompatible duties (不相容职务分离) and who appoints
/// supervisors. Each test replays the ledger at the end (`expectClean`), so
/// the rules hold in `verify ledger` too.
@Suite("Persons: keys, rotation, incompatible duties, supervisors")
struct PersonTests {
  /// The review's attack: with two district approvals required, an admin
  /// grants a second key under the name of a district approver, and that
  /// key fills the second place.
  @Test("a second key under an active member's name is refused, pointing to member rotate")
  func secondKeySameName() throws {
    let f = try SupervisionFixture()
    try f.ledger.setPolicy(PolicyChange(approvals: [.district: 2]), signer: f.base.admin)
    let id = try f.request("50000.01")
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    try f.ledger.approveDisbursement(id: id, signer: f.streetApprover)
    try f.ledger.approveDisbursement(id: id, signer: f.districtApprover)
    let second = SigningKey.generate()
    for name in ["冯区", "冯　区", "冯 区"] {
      try expectRefused(
        f.base, code: .grantNameHeld, containing: "已是在任成员的姓名（\(f.districtApprover.keyID)，广安区审批人）"
      ) {
        try f.ledger.addMember(
          unit: "GA", role: .approver, name: name, publicKey: second.publicKey,
          signer: f.base.admin)
      }
    }
    try expectRefused(f.base, code: .grantNameHeld) {
      try f.ledger.addMember(
        unit: "GA-NM", role: .treasurer, name: "冯区", publicKey: second.publicKey,
        signer: f.base.admin)
    }
    #expect(try f.request(id).missingApprovals == [.district: 1])
    // Nor may a known key take a role under someone else's name.
    try expectRefused(f.base, code: .grantNameMismatch) {
      try f.ledger.addMember(
        unit: "GA-NM", role: .approver, name: "冯区", publicKey: f.streetApprover.publicKey,
        signer: f.base.admin)
    }
    // A namesake who really is someone else is told apart in the name.
    try f.ledger.addMember(
      unit: "GA", role: .approver, name: "冯区（南门街道）", publicKey: second.publicKey,
      signer: f.base.admin)
    // A name is free again once its holder's key is revoked.
    try f.ledger.revokeMember(keyID: f.otherStreetApprover.keyID, reason: nil, signer: f.base.admin)
    try f.ledger.addMember(
      unit: "GA-NM", role: .approver, name: "吴街道", publicKey: SigningKey.generate().publicKey,
      signer: f.base.admin)
    try f.expectClean()
  }

  @Test("member rotate moves every role and the person to the new key; old key signs nothing")
  func rotateCarriesGrantsAndPerson() throws {
    let f = try SupervisionFixture()
    let old = f.districtApprover
    // Two roles on two units: both move.
    try f.ledger.addMember(
      unit: "GA-NM", role: .supervisor, name: "冯区", publicKey: old.publicKey,
      signer: f.base.admin)
    let new = SigningKey.generate()
    let rotation = try f.ledger.rotateMember(
      keyID: old.keyID, publicKey: new.publicKey, reason: "定期更换", signer: f.base.admin)
    #expect(rotation.appended.entry.kind == .memberRotate)
    #expect(rotation.personID == old.keyID)
    #expect(rotation.name == "冯区")
    #expect(
      Set(rotation.carried.map { "\($0.unit)/\($0.role.rawValue)" }) == [
        "GA/approver", "GA-NM/supervisor",
      ])
    #expect(rotation.voidedRequests.isEmpty)
    let state = try f.ledger.state()
    #expect(state.keys[old.keyID]?.revokedSeq == rotation.appended.seq)
    #expect(state.keys[new.keyID]?.personID == old.keyID)
    #expect(state.keys[new.keyID]?.name == "冯区")
    #expect(state.activeGrants(of: old.keyID).isEmpty)
    #expect(state.holds(.approver, on: "GA-BC-JSL", keyID: new.keyID))
    #expect(state.rotatedTo(old.keyID) == new.keyID)
    #expect(Rendering.membersText(state).contains("已换新密钥（记录 #\(rotation.appended.seq)）"))
    let id = try f.request("100")
    try expectRefused(
      f.base, code: .signerRevoked, containing: "已于记录 #\(rotation.appended.seq) 被撤销"
    ) {
      try f.ledger.approveDisbursement(id: id, signer: old)
    }
    try f.ledger.approveDisbursement(id: id, signer: new)
    #expect(try f.request(id).status == .approved)
    try f.expectClean()
  }

  @Test("approvals count per person: the old and the new key of one person are one approval")
  func approvalsPerPerson() throws {
    let f = try SupervisionFixture()
    try f.ledger.setPolicy(PolicyChange(approvals: [.district: 2]), signer: f.base.admin)
    let id = try f.request("50000.01")
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    try f.ledger.approveDisbursement(id: id, signer: f.streetApprover)
    let first = try f.ledger.approveDisbursement(id: id, signer: f.districtApprover).appended
    let new = SigningKey.generate()
    try f.ledger.rotateMember(
      keyID: f.districtApprover.keyID, publicKey: new.publicKey, signer: f.base.admin)
    // A routine rotation keeps the approval the person gave with the old key…
    #expect(try f.request(id).missingApprovals == [.district: 1])
    // …and the person can't give a second one with the new key.
    try expectRefused(
      f.base, code: .approvalRepeated,
      containing: "冯区已批准过申请 #\(id)（记录 #\(first.seq)，用其此前的密钥 \(f.districtApprover.keyID)）"
    ) {
      try f.ledger.approveDisbursement(id: id, signer: new)
    }
    try f.ledger.approveDisbursement(id: id, signer: f.secondDistrictApprover)
    try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer)
    try f.expectClean()
  }

  @Test("a rotation marked compromised voids the old key's approvals of unpaid requests")
  func compromisedRotation() throws {
    let f = try SupervisionFixture()
    let id = try f.request("100")
    try f.ledger.approveDisbursement(id: id, signer: f.communityApprover)
    let paid = try f.request("50")
    try f.ledger.approveDisbursement(id: paid, signer: f.communityApprover)
    try f.ledger.payDisbursement(id: paid, signer: f.base.communityTreasurer)
    let new = SigningKey.generate()
    let rotation = try f.ledger.rotateMember(
      keyID: f.communityApprover.keyID, publicKey: new.publicKey, compromised: true,
      reason: "手机丢失", signer: f.base.admin)
    #expect(rotation.voidedRequests == [id])
    #expect(try f.request(id).status == .pending)
    // The person may approve again with the new key: the void approval was
    // perhaps not theirs.
    try f.ledger.approveDisbursement(id: id, signer: new)
    try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer)
    try f.expectClean()
  }

  @Test(
    "member rotate refuses an unknown or revoked key, a reused key and a signer without the right")
  func rotateRefusals() throws {
    let f = try SupervisionFixture()
    let new = SigningKey.generate()
    try expectRefused(f.base, code: .rotateKeyUnknown) {
      try f.ledger.rotateMember(
        keyID: "ed25519:0000000000000000", publicKey: new.publicKey, signer: f.base.admin)
    }
    try expectRefused(f.base, code: .rotateKeyTaken) {
      try f.ledger.rotateMember(
        keyID: f.streetApprover.keyID, publicKey: f.communityApprover.publicKey,
        signer: f.base.admin)
    }
    try expectRefused(f.base, code: .roleRequired, containing: "不是广安区（GA）的管理员，无权更换密钥") {
      try f.ledger.rotateMember(
        keyID: f.districtApprover.keyID, publicKey: new.publicKey,
        signer: f.base.districtTreasurer)
    }
    try f.ledger.revokeMember(keyID: f.otherStreetApprover.keyID, reason: nil, signer: f.base.admin)
    try expectRefused(f.base, code: .rotateKeyRevoked) {
      try f.ledger.rotateMember(
        keyID: f.otherStreetApprover.keyID, publicKey: new.publicKey, signer: f.base.admin)
    }
    try f.expectClean()
  }

  @Test("a person can't be treasurer and approver of the same unit, in either order")
  func treasurerAndApproverRefusedAtGrant() throws {
    let f = try SupervisionFixture()
    try expectRefused(
      f.base, code: .dutiesGrantClash,
      containing: "不相容职务须分离：王芳（\(f.base.communityTreasurer.keyID)）已是建设路社区（GA-BC-JSL）的记账员"
    ) {
      try f.ledger.addMember(
        unit: "GA-BC-JSL", role: .approver, name: "王芳",
        publicKey: f.base.communityTreasurer.publicKey, signer: f.base.admin)
    }
    try expectRefused(f.base, code: .dutiesGrantClash) {
      try f.ledger.addMember(
        unit: "GA-BC", role: .treasurer, name: "钱街道", publicKey: f.streetApprover.publicKey,
        signer: f.base.admin)
    }
    // Different units are different money: allowed at grant (see the next test).
    try f.ledger.addMember(
      unit: "GA-BC-WHL", role: .treasurer, name: "钱街道", publicKey: f.streetApprover.publicKey,
      signer: f.base.admin)
    try f.expectClean()
  }

  @Test("an approver of a tier above can't approve a request of the unit they keep the books of")
  func treasurerApproverOfAncestor() throws {
    let f = try SupervisionFixture()
    // 钱街道 approves for 北城街道 and everything below it, and keeps the
    // books of 建设路社区 beside 王芳.
    try f.ledger.addMember(
      unit: "GA-BC-JSL", role: .treasurer, name: "钱街道", publicKey: f.streetApprover.publicKey,
      signer: f.base.admin)
    let own = try f.request("100")
    try expectRefused(
      f.base, code: .dutiesApproveClash, containing: "不相容职务须分离：钱街道是建设路社区（GA-BC-JSL）的记账员（记录 #"
    ) {
      try f.ledger.approveDisbursement(id: own, signer: f.streetApprover)
    }
    // Other units below the street are not theirs to keep: approving is fine.
    let other = try f.request("100", unit: "GA-BC-WHL", signer: f.base.otherTreasurer)
    try f.ledger.approveDisbursement(id: other, signer: f.streetApprover)
    try f.ledger.approveDisbursement(id: own, signer: f.communityApprover)
    try f.expectClean()
  }

  @Test("a treasurer can't pay a request they approved")
  func payerWhoApproved() throws {
    let f = try SupervisionFixture()
    let id = try f.request("100")
    try f.ledger.approveDisbursement(id: id, signer: f.districtApprover)
    // Later made treasurer of the community too (a different unit from the
    // district they approve for, so the grant itself is allowed).
    try f.ledger.addMember(
      unit: "GA-BC-JSL", role: .treasurer, name: "冯区", publicKey: f.districtApprover.publicKey,
      signer: f.base.admin)
    try expectRefused(f.base, code: .dutiesPayClash) {
      try f.ledger.payDisbursement(id: id, signer: f.districtApprover)
    }
    try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer)
    try f.expectClean()
  }

  @Test("supervisors are appointed by the tier above: a street admin can't appoint its own")
  func supervisorsAppointedFromAbove() throws {
    let f = try SupervisionFixture()
    let streetAdmin = SigningKey.generate()
    try f.ledger.addMember(
      unit: "GA-BC", role: .admin, name: "街道管理员", publicKey: streetAdmin.publicKey,
      signer: f.base.admin)
    let watcher = SigningKey.generate()
    try expectRefused(
      f.base,
      code: .supervisorAppointedAbove,
      containing: "监督员由上一级任命：北城街道（GA-BC）的监督员须由广安区（GA）或更上级的管理员授予角色，街道管理员（\(streetAdmin.keyID)）无权授予角色"
    ) {
      try f.ledger.addMember(
        unit: "GA-BC", role: .supervisor, name: "街道监督", publicKey: watcher.publicKey,
        signer: streetAdmin)
    }
    // Nor remove or rotate the supervisor the district appointed over it.
    try expectRefused(f.base, code: .supervisorAppointedAbove) {
      try f.ledger.revokeMember(keyID: f.base.supervisor.keyID, reason: nil, signer: streetAdmin)
    }
    try expectRefused(f.base, code: .supervisorAppointedAbove) {
      try f.ledger.rotateMember(
        keyID: f.base.supervisor.keyID, publicKey: watcher.publicKey, signer: streetAdmin)
    }
    // The district appoints the street's supervisors…
    try f.ledger.addMember(
      unit: "GA-BC", role: .supervisor, name: "街道监督", publicKey: watcher.publicKey,
      signer: f.base.admin)
    // …the street appoints its communities' supervisors…
    try f.ledger.addMember(
      unit: "GA-BC-JSL", role: .supervisor, name: "社区监督",
      publicKey: SigningKey.generate().publicKey, signer: streetAdmin)
    // …and the district, having no tier above, appoints its own.
    try f.ledger.addMember(
      unit: "GA", role: .supervisor, name: "区监督", publicKey: SigningKey.generate().publicKey,
      signer: f.base.admin)
    try f.expectClean()
  }
}
