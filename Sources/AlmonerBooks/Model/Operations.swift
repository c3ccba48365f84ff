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
  package var shownDonor: (display: String, named: Bool) {
    switch donorType {
    case .person: (named ? donor : Text.masked(donor), named)
    case .organisation: (donor, true)
    case .anonymous: (DonorType.anonymousDisplay, false)
    }
  }

  /// The entry draft for a unit and fund already resolved.
  package func draft(unit: Unit, fund: Fund) throws(AlmonerError) -> EntryDraft {
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
