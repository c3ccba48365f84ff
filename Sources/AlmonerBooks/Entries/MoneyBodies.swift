/// `fund.open` (设立基金): a restricted fund states its purpose (and may
/// state its category); an unrestricted one has neither. Mirrors
/// `$defs/fundOpenBody`.
public struct FundOpenBody: Sendable {
  public var category: PurposeCategory?
  public var code: String
  public var name: String
  public var purpose: String?
  public var restricted: Bool
  public var unit: String

  enum Key: Int, EntryFieldKey {
    case category, code, name, purpose, restricted, unit
    var spelling: StaticString {
      switch self {
      case .category: "category"
      case .code: "code"
      case .name: "name"
      case .purpose: "purpose"
      case .restricted: "restricted"
      case .unit: "unit"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> FundOpenBody {
    var category: PurposeCategory?
    var code: String?
    var name: String?
    var purpose: String?
    var restricted: Bool?
    var unit: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .category: category = try reader.enumeration(PurposeCategory.self)
      case .code: code = try reader.string()
      case .name: name = try reader.string()
      case .purpose: purpose = try reader.string()
      case .restricted: restricted = try reader.bool()
      case .unit: unit = try reader.string()
      }
    }
    return FundOpenBody(
      category: category, code: try reader.required(code, Key.code),
      name: try reader.required(name, Key.name), purpose: purpose,
      restricted: try reader.required(restricted, Key.restricted),
      unit: try reader.required(unit, Key.unit))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    if let category {
      out.key(Key.category, first: &first)
      out.writeString(category.rawValue)
    }
    out.key(Key.code, first: &first)
    out.writeString(code)
    out.key(Key.name, first: &first)
    out.writeString(name)
    if let purpose {
      out.key(Key.purpose, first: &first)
      out.writeString(purpose)
    }
    out.key(Key.restricted, first: &first)
    out.writeBool(restricted)
    out.key(Key.unit, first: &first)
    out.writeString(unit)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    let path = EntryKind.fundOpen.rawValue
    try BodyCheck.displayText(name, "\(path).\(Key.name.text)")
    if let purpose { try BodyCheck.displayText(purpose, "\(path).\(Key.purpose.text)") }
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    category: PurposeCategory? = nil, code: String, name: String, purpose: String? = nil,
    restricted: Bool, unit: String
  ) {
    self.category = category
    self.code = code
    self.name = name
    self.purpose = purpose
    self.restricted = restricted
    self.unit = unit
  }
}

/// `donation` (捐赠): a gift to a unit's fund. The donor's name is not here,
/// only a masked display form and a salted commitment (DESIGN §6). Mirrors
/// `$defs/donationBody`.
public struct DonationBody: Sendable {
  public var amountFen: Int64
  public var channel: Channel
  public var donor: Donor
  public var fund: String
  /// External reference (外部流水号), e.g. a payment id.
  public var ref: String?
  public var unit: String

  /// Who gave, as the public may see it.
  public struct Donor: Sendable {
    /// SHA-256(salt ‖ canonical personal data).
    public var commitment: Hash32
    /// Masked name (张*), or the full name when `named`.
    public var display: String
    /// The donor agreed to be named in public statements.
    public var named: Bool

    enum Key: Int, EntryFieldKey {
      case commitment, display, named
      var spelling: StaticString {
        switch self {
        case .commitment: "commitment"
        case .display: "display"
        case .named: "named"
        }
      }
    }

    static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> Donor {
      var commitment: Hash32?
      var display: String?
      var named: Bool?
      try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
        switch key {
        case .commitment: commitment = try reader.hash()
        case .display: display = try reader.string()
        case .named: named = try reader.bool()
        }
      }
      return Donor(
        commitment: try reader.required(commitment, Key.commitment),
        display: try reader.required(display, Key.display),
        named: try reader.required(named, Key.named))
    }

    func write(to out: inout CanonicalWriter) {
      var first = true
      out.key(Key.commitment, first: &first)
      out.writeHash(commitment)
      out.key(Key.display, first: &first)
      out.writeString(display)
      out.key(Key.named, first: &first)
      out.writeBool(named)
      out.endObject(first: first)
    }
  }

  enum Key: Int, EntryFieldKey {
    case amountFen, channel, donor, fund, ref, unit
    var spelling: StaticString {
      switch self {
      case .amountFen: "amountFen"
      case .channel: "channel"
      case .donor: "donor"
      case .fund: "fund"
      case .ref: "ref"
      case .unit: "unit"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> DonationBody {
    var amountFen: Int64?
    var channel: Channel?
    var donor: Donor?
    var fund: String?
    var ref: String?
    var unit: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .amountFen: amountFen = try reader.integer()
      case .channel: channel = try reader.enumeration(Channel.self)
      case .donor: donor = try Donor.read(&reader)
      case .fund: fund = try reader.string()
      case .ref: ref = try reader.string()
      case .unit: unit = try reader.string()
      }
    }
    return DonationBody(
      amountFen: try reader.required(amountFen, Key.amountFen),
      channel: try reader.required(channel, Key.channel),
      donor: try reader.required(donor, Key.donor), fund: try reader.required(fund, Key.fund),
      ref: ref, unit: try reader.required(unit, Key.unit))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.amountFen, first: &first)
    out.writeInteger(amountFen)
    out.key(Key.channel, first: &first)
    out.writeString(channel.rawValue)
    out.key(Key.donor, first: &first)
    donor.write(to: &out)
    out.key(Key.fund, first: &first)
    out.writeString(fund)
    if let ref {
      out.key(Key.ref, first: &first)
      out.writeString(ref)
    }
    out.key(Key.unit, first: &first)
    out.writeString(unit)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    let path = EntryKind.donation.rawValue
    try BodyCheck.amountFen(amountFen, "\(path).\(Key.amountFen.text)")
    try BodyCheck.displayText(donor.display, "\(path).\(Key.donor.text).\(Donor.Key.display.text)")
    if let ref { try BodyCheck.displayText(ref, "\(path).\(Key.ref.text)") }
  }
}

/// `allocation.send` (划拨发出): money from a unit to its parent or child, in
/// transit until confirmed or voided. Mirrors `$defs/allocationSendBody`.
public struct AllocationSendBody: Sendable {
  public var amountFen: Int64
  public var from: String
  /// A fund code both units hold.
  public var fund: String
  public var to: String

  enum Key: Int, EntryFieldKey {
    case amountFen, from, fund, to
    var spelling: StaticString {
      switch self {
      case .amountFen: "amountFen"
      case .from: "from"
      case .fund: "fund"
      case .to: "to"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> AllocationSendBody {
    var amountFen: Int64?
    var from: String?
    var fund: String?
    var to: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .amountFen: amountFen = try reader.integer()
      case .from: from = try reader.string()
      case .fund: fund = try reader.string()
      case .to: to = try reader.string()
      }
    }
    return AllocationSendBody(
      amountFen: try reader.required(amountFen, Key.amountFen),
      from: try reader.required(from, Key.from), fund: try reader.required(fund, Key.fund),
      to: try reader.required(to, Key.to))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.amountFen, first: &first)
    out.writeInteger(amountFen)
    out.key(Key.from, first: &first)
    out.writeString(from)
    out.key(Key.fund, first: &first)
    out.writeString(fund)
    out.key(Key.to, first: &first)
    out.writeString(to)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    try BodyCheck.amountFen(amountFen, "\(EntryKind.allocationSend.rawValue).\(Key.amountFen.text)")
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    amountFen: Int64, from: String, fund: String, to: String
  ) {
    self.amountFen = amountFen
    self.from = from
    self.fund = fund
    self.to = to
  }
}

/// `allocation.confirm` (划拨确认) and `allocation.void` (划拨撤回): which
/// allocation. Mirrors `$defs/allocationSettleBody`.
public struct AllocationSettleBody: Sendable {
  /// The allocation id: seq of its allocation.send entry.
  public var allocation: Int64

  enum Key: Int, EntryFieldKey {
    case allocation
    var spelling: StaticString { "allocation" }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> AllocationSettleBody {
    var allocation: Int64?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .allocation: allocation = try reader.integer()
      }
    }
    return AllocationSettleBody(allocation: try reader.required(allocation, Key.allocation))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.allocation, first: &first)
    out.writeInteger(allocation)
    out.endObject(first: first)
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    allocation: Int64
  ) {
    self.allocation = allocation
  }
}

/// `reversal` (冲销): reverses an earlier donation. Mirrors `$defs/reversalBody`.
public struct ReversalBody: Sendable {
  public var reason: String
  /// The seq of the donation reversed.
  public var seq: Int64

  enum Key: Int, EntryFieldKey {
    case reason, seq
    var spelling: StaticString {
      switch self {
      case .reason: "reason"
      case .seq: "seq"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> ReversalBody {
    var reason: String?
    var seq: Int64?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .reason: reason = try reader.string()
      case .seq: seq = try reader.integer()
      }
    }
    return ReversalBody(
      reason: try reader.required(reason, Key.reason), seq: try reader.required(seq, Key.seq))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.reason, first: &first)
    out.writeString(reason)
    out.key(Key.seq, first: &first)
    out.writeInteger(seq)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    try BodyCheck.displayText(reason, "\(EntryKind.reversal.rawValue).\(Key.reason.text)")
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    reason: String, seq: Int64
  ) {
    self.reason = reason
    self.seq = seq
  }
}

/// `erasure` (删除个人信息): which entry's personal data was erased, and on
/// what ground; nothing personal. Mirrors `$defs/erasureBody`.
public struct ErasureBody: Sendable {
  public var reason: ErasureReason?
  /// The seq of the donation or disbursement.request.
  public var seq: Int64

  enum Key: Int, EntryFieldKey {
    case reason, seq
    var spelling: StaticString {
      switch self {
      case .reason: "reason"
      case .seq: "seq"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> ErasureBody {
    var reason: ErasureReason?
    var seq: Int64?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .reason: reason = try reader.enumeration(ErasureReason.self)
      case .seq: seq = try reader.integer()
      }
    }
    return ErasureBody(reason: reason, seq: try reader.required(seq, Key.seq))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    if let reason {
      out.key(Key.reason, first: &first)
      out.writeString(reason.rawValue)
    }
    out.key(Key.seq, first: &first)
    out.writeInteger(seq)
    out.endObject(first: first)
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    reason: ErasureReason? = nil, seq: Int64
  ) {
    self.reason = reason
    self.seq = seq
  }
}
