import Foundation

/// A donor's personal data and the salt that hides it (DESIGN §6). The entry
/// carries only `commitment` = SHA-256(salt ‖ personal).
public struct DonorPrivate: Sendable {
  public static let saltByteCount = 32

  public var salt: [UInt8]
  /// Canonical JSON of the personal data, e.g. `{"name":"张三"}`.
  public var personal: [UInt8]

  public init(salt: [UInt8], personal: [UInt8]) {
    self.salt = salt
    self.personal = personal
  }

  /// Fresh salt for `name`.
  public init(name: String) {
    self.init(
      salt: SecureRandom.bytes(count: DonorPrivate.saltByteCount),
      personal: Canonical.encode(.object(["name": .string(name)])))
  }

  public var commitment: Hash32 {
    salt.withUnsafeBytes { salt in personal.withUnsafeBytes { SHA256().hash(salt, $0) } }
  }
}

/// What a treasurer says about a donation, already parsed.
public struct DonationInput: Sendable {
  public var unit: String
  public var amount: Money
  public var donor: String
  /// The donor agreed to be named in public statements.
  public var named = false
  public var fund: String?
  public var channel: Channel = .other
  public var reference: String?
  public var date: AccountingDate?
  /// A person (masked unless `named`), an organisation (shown in full) or
  /// an anonymous gift (shown as 匿名).
  public var donorType: DonorType = .person
  /// Record the donation even when its reference is already in the ledger.
  public var allowsDuplicateReference = false

  public init(
    unit: String, amount: Money, donor: String, named: Bool = false, fund: String? = nil,
    channel: Channel = .other, reference: String? = nil, date: AccountingDate? = nil,
    donorType: DonorType = .person, allowsDuplicateReference: Bool = false
  ) {
    self.unit = unit
    self.amount = amount
    self.donor = donor
    self.named = named
    self.fund = fund
    self.channel = channel
    self.reference = reference
    self.date = date
    self.donorType = donorType
    self.allowsDuplicateReference = allowsDuplicateReference
  }

  /// The entry draft, with the donor's personal data split off.
  public func draft(in state: LedgerState) throws(AlmonerError) -> EntryDraft {
    let unit = try state.resolveUnit(unit, field: "--unit")
    let fund = try state.resolveFund(fund, of: unit)
    return try draft(unit: unit, fund: fund)
  }

  /// How the entry shows the donor: a person's mask (or name, when
  /// named), an organisation's full name, 匿名.
  var shownDonor: (display: String, named: Bool) {
    switch donorType {
    case .person: (named ? donor : Text.masked(donor), named)
    case .organisation: (donor, true)
    case .anonymous: (DonorType.anonymousDisplay, false)
    }
  }

  /// The entry draft for a unit and fund already resolved.
  func draft(unit: Unit, fund: Fund) throws(AlmonerError) -> EntryDraft {
    // An anonymous gift needs no name: the data then says only that.
    let donorName =
      donorType == .anonymous && donor.trimmingWhitespace().isEmpty
      ? DonorType.anonymousDisplay : try Text.input(donor, field: "--donor")
    let privateData = DonorPrivate(name: donorName, type: donorType)
    var shown = self
    shown.donor = donorName
    let (display, shownNamed) = shown.shownDonor
    let body = DonationBody(
      amountFen: amount.fen, channel: channel,
      donor: .init(commitment: privateData.commitment, display: display, named: shownNamed),
      fund: fund.code,
      ref: try reference.map { text throws(AlmonerError) in
        try Text.input(text, field: "--ref")
      }, unit: unit.code)
    return EntryDraft(date: date, body: .donation(body), donorPrivate: privateData)
  }
}

extension LedgerState {
  /// Finds a unit by code, or by its exact display name when that is unique.
  public func resolveUnit(_ text: String, field: String, what: String = "单位") throws(AlmonerError)
    -> Unit
  {
    let wanted = Text.nfc(text.trimmingWhitespace())
    if let unit = units[wanted] { return unit }
    let byName = units.values.filter { $0.name == wanted }.sorted { $0.code < $1.code }
    if byName.count == 1 { return byName[0] }
    if byName.count > 1 {
      let codes = byName.map { "\($0.code)（\(parentName(of: $0))下）" }.joined(separator: "、")
      throw .refused(.unitAmbiguous(field: field, text: text, count: byName.count, codes: codes))
    }
    let known = units.values.sorted { $0.code < $1.code }.prefix(12)
      .map { "\($0.code)（\($0.name)）" }.joined(separator: "、")
    throw .refused(.unitUnknown(field: field, what: what, text: text, known: known))
  }

  private func parentName(of unit: Unit) -> String {
    unit.parent.flatMap { units[$0]?.name } ?? "顶层"
  }

  /// Finds a fund of `unit` by code or name; nil means the general fund.
  public func resolveFund(_ text: String?, of unit: Unit) throws(AlmonerError) -> Fund {
    guard let text else { return try requireFund(Fund.generalCode, of: unit.code) }
    let wanted = Text.nfc(text.trimmingWhitespace())
    if let fund = funds[FundKey(unit: unit.code, code: wanted)] { return fund }
    if let fund = funds.values.first(where: { $0.unit == unit.code && $0.name == wanted }) {
      return fund
    }
    let known = funds.values.filter { $0.unit == unit.code }.sorted { $0.code < $1.code }
      .map { "\($0.code)（\($0.name)）" }.joined(separator: "、")
    throw .refused(
      .fundUnknown(
        field: "--fund", unitName: unit.name, unitCode: unit.code, text: text, known: known))
  }
}

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
