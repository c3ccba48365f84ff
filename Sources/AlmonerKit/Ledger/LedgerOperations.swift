import AlmonerStore
import Foundation

/// The treasurer's and admin's operations, each one signed commit.
extension Ledger {
  private func single(
    signer: SigningKey, _ build: (LedgerState) throws(AlmonerError) -> EntryDraft
  ) throws(AlmonerError) -> AppendedEntry {
    let appended = try commit(signer: signer) { state throws(AlmonerError) in [try build(state)] }
    return appended[0]
  }

  @discardableResult
  public func addUnit(
    code: String, name: String, parent: String, tier: Tier? = nil, signer: SigningKey
  ) throws(AlmonerError) -> AppendedEntry {
    try UnitRules.checkCode(code)
    let name = try Text.input(name, field: "--name")
    return try single(signer: signer) { state throws(AlmonerError) in
      let parentUnit = try state.resolveUnit(parent, field: "--parent", what: "上级单位")
      guard let childTier = parentUnit.tier.childTier else {
        throw .refused(.unitUnderCommunity(parentName: parentUnit.name))
      }
      return EntryDraft(
        body: .unitAdd(
          UnitAddBody(code: code, name: name, parent: parentUnit.code, tier: tier ?? childTier)))
    }
  }

  @discardableResult
  public func addMember(
    unit: String, role: Role, name: String, publicKey: PublicKey, signer: SigningKey
  ) throws(AlmonerError) -> AppendedEntry {
    let name = try Text.input(name, field: "--name")
    return try single(signer: signer) { state throws(AlmonerError) in
      let unit = try state.resolveUnit(unit, field: "--unit")
      return EntryDraft(
        body: .memberGrant(
          MemberGrantBody(
            keyID: publicKey.keyID, name: name,
            publicKey: Data(publicKey.raw).base64EncodedString(), role: role, unit: unit.code)))
    }
  }

  @discardableResult
  public func revokeMember(keyID: String, reason: String?, signer: SigningKey)
    throws(AlmonerError) -> AppendedEntry
  {
    let body = MemberRevokeBody(
      keyID: keyID,
      reason: try reason.map { text throws(AlmonerError) in try Text.input(text, field: "--reason")
      })
    return try single(signer: signer) { _ in EntryDraft(body: .memberRevoke(body)) }
  }

  @discardableResult
  public func openFund(
    unit: String, code: String, name: String, restricted: Bool, purpose: String?,
    category: PurposeCategory? = nil, signer: SigningKey
  ) throws(AlmonerError) -> AppendedEntry {
    try UnitRules.checkFundCode(code)
    let name = try Text.input(name, field: "--name")
    let purpose = try purpose.map { text throws(AlmonerError) in
      try Text.input(text, field: "--purpose")
    }
    var body = FundOpenBody(
      category: category, code: code, name: name, purpose: purpose, restricted: restricted,
      unit: "")
    // A restricted fund states what it pays for; without --category, the
    // category its purpose names.
    if let purpose, restricted {
      body.category = category ?? PurposeCategory.derived(fromPurpose: purpose)
    }
    return try single(signer: signer) { state throws(AlmonerError) in
      body.unit = try state.resolveUnit(unit, field: "--unit").code
      return EntryDraft(body: .fundOpen(body))
    }
  }

  @discardableResult
  public func donate(_ donation: DonationInput, signer: SigningKey) throws(AlmonerError)
    -> AppendedEntry
  {
    let appended = try commit(signer: signer) { state, log throws(AlmonerError) in
      let draft = try donation.draft(in: state)
      if !donation.allowsDuplicateReference, case .donation(let body) = draft.body,
        let ref = body.ref, let earlier = try DonationReferences.recorded(ref, log.db)
      {
        throw .refused(.donationReferenceRecorded(reference: ref, seq: earlier))
      }
      return [draft]
    }
    return appended[0]
  }

  /// Sends money to the parent or a child unit; the returned entry's seq is
  /// the allocation id.
  @discardableResult
  public func allocate(
    from: String, to: String, amount: Money, fund: String?, date: AccountingDate? = nil,
    signer: SigningKey
  ) throws(AlmonerError) -> AppendedEntry {
    try single(signer: signer) { state throws(AlmonerError) in
      let source = try state.resolveUnit(from, field: "--from")
      let target = try state.resolveUnit(to, field: "--to")
      let fund = try state.resolveFund(fund, of: source)
      return EntryDraft(
        date: date,
        body: .allocationSend(
          AllocationSendBody(
            amountFen: amount.fen, from: source.code, fund: fund.code, to: target.code)))
    }
  }

  @discardableResult
  public func settleAllocation(
    id: Int64, confirm: Bool, date: AccountingDate? = nil, signer: SigningKey
  ) throws(AlmonerError) -> AppendedEntry {
    try single(signer: signer) { _ in
      let body = AllocationSettleBody(allocation: id)
      return EntryDraft(
        date: date, body: confirm ? .allocationConfirm(body) : .allocationVoid(body))
    }
  }

  @discardableResult
  public func reverse(
    seq: Int64, reason: String, date: AccountingDate? = nil, signer: SigningKey
  ) throws(AlmonerError) -> AppendedEntry {
    let reason = try Text.input(reason, field: "--reason")
    return try single(signer: signer) { _ in
      EntryDraft(date: date, body: .reversal(ReversalBody(reason: reason, seq: seq)))
    }
  }
}
