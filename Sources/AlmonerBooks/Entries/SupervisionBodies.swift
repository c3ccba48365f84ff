/// `policy.set` (设定审批规则): thresholds and approver counts per tier.
/// Mirrors `$defs/policySetBody` of Schemas/json/entry-supervision.schema.json.
public struct PolicySetBody: Sendable {
  public var community: Community
  public var district: District
  public var street: Street

  public struct Community: Sendable {
    public var approvals: Int64
    public var districtAboveFen: Int64
    public var parentAboveFen: Int64

    enum Key: Int, EntryFieldKey {
      case approvals, districtAboveFen, parentAboveFen
      var spelling: StaticString {
        switch self {
        case .approvals: "approvals"
        case .districtAboveFen: "districtAboveFen"
        case .parentAboveFen: "parentAboveFen"
        }
      }
    }
  }

  public struct District: Sendable {
    public var approvals: Int64

    enum Key: Int, EntryFieldKey {
      case approvals
      var spelling: StaticString { "approvals" }
    }
  }

  public struct Street: Sendable {
    public var approvals: Int64
    public var districtAboveFen: Int64

    enum Key: Int, EntryFieldKey {
      case approvals, districtAboveFen
      var spelling: StaticString {
        switch self {
        case .approvals: "approvals"
        case .districtAboveFen: "districtAboveFen"
        }
      }
    }
  }

  enum Key: Int, EntryFieldKey {
    case community, district, street
    var spelling: StaticString {
      switch self {
      case .community: "community"
      case .district: "district"
      case .street: "street"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> PolicySetBody {
    var community: Community?
    var district: District?
    var street: Street?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .community:
        var approvals: Int64?
        var districtAboveFen: Int64?
        var parentAboveFen: Int64?
        try reader.readObject(Community.Key.self) { reader, key throws(EntryFormatError) in
          switch key {
          case .approvals: approvals = try reader.integer()
          case .districtAboveFen: districtAboveFen = try reader.integer()
          case .parentAboveFen: parentAboveFen = try reader.integer()
          }
        }
        community = Community(
          approvals: try reader.required(approvals, Community.Key.approvals),
          districtAboveFen: try reader.required(districtAboveFen, Community.Key.districtAboveFen),
          parentAboveFen: try reader.required(parentAboveFen, Community.Key.parentAboveFen))
      case .district:
        var approvals: Int64?
        try reader.readObject(District.Key.self) { reader, key throws(EntryFormatError) in
          switch key {
          case .approvals: approvals = try reader.integer()
          }
        }
        district = District(approvals: try reader.required(approvals, District.Key.approvals))
      case .street:
        var approvals: Int64?
        var districtAboveFen: Int64?
        try reader.readObject(Street.Key.self) { reader, key throws(EntryFormatError) in
          switch key {
          case .approvals: approvals = try reader.integer()
          case .districtAboveFen: districtAboveFen = try reader.integer()
          }
        }
        street = Street(
          approvals: try reader.required(approvals, Street.Key.approvals),
          districtAboveFen: try reader.required(districtAboveFen, Street.Key.districtAboveFen))
      }
    }
    return PolicySetBody(
      community: try reader.required(community, Key.community),
      district: try reader.required(district, Key.district),
      street: try reader.required(street, Key.street))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.community, first: &first)
    var inner = true
    out.key(Community.Key.approvals, first: &inner)
    out.writeInteger(community.approvals)
    out.key(Community.Key.districtAboveFen, first: &inner)
    out.writeInteger(community.districtAboveFen)
    out.key(Community.Key.parentAboveFen, first: &inner)
    out.writeInteger(community.parentAboveFen)
    out.endObject(first: inner)
    out.key(Key.district, first: &first)
    inner = true
    out.key(District.Key.approvals, first: &inner)
    out.writeInteger(district.approvals)
    out.endObject(first: inner)
    out.key(Key.street, first: &first)
    inner = true
    out.key(Street.Key.approvals, first: &inner)
    out.writeInteger(street.approvals)
    out.key(Street.Key.districtAboveFen, first: &inner)
    out.writeInteger(street.districtAboveFen)
    out.endObject(first: inner)
    out.endObject(first: first)
  }

  /// Checks the thresholds (approver counts are checked by the rule, which
  /// names the tier).
  func validate() throws(AlmonerError) {
    let path = EntryKind.policySet.rawValue
    let community = "\(path).\(Key.community.text)"
    try BodyCheck.amountFenOrZero(
      self.community.parentAboveFen, "\(community).\(Community.Key.parentAboveFen.text)")
    try BodyCheck.amountFenOrZero(
      self.community.districtAboveFen, "\(community).\(Community.Key.districtAboveFen.text)")
    try BodyCheck.amountFenOrZero(
      street.districtAboveFen, "\(path).\(Key.street.text).\(Street.Key.districtAboveFen.text)")
  }
}

/// `disbursement.request` (申请支出): a payment out of a fund. Mirrors
/// `$defs/disbursementRequestBody`.
public struct DisbursementRequestBody: Sendable {
  public var amountFen: Int64
  /// Files attached (invoices, lists), by content hash; nil when none.
  public var attachments: [Attachment]?
  public var category: PurposeCategory
  public var fund: String
  public var payee: Payee
  public var purpose: String
  public var unit: String

  public struct Attachment: Sendable {
    public var bytes: Int64
    public var name: String
    public var sha256: Hash32

    enum Key: Int, EntryFieldKey {
      case bytes, name, sha256
      var spelling: StaticString {
        switch self {
        case .bytes: "bytes"
        case .name: "name"
        case .sha256: "sha256"
        }
      }
    }

    /// The memberwise initializer, for the store and the facade.
    package init(
      bytes: Int64, name: String, sha256: Hash32
    ) {
      self.bytes = bytes
      self.name = name
      self.sha256 = sha256
    }
  }

  /// Who is paid: a masked name and a commitment when a person.
  public struct Payee: Sendable {
    /// SHA-256(salt ‖ canonical personal data); only for a person.
    public var commitment: Hash32?
    public var display: String
    public var person: Bool

    enum Key: Int, EntryFieldKey {
      case commitment, display, person
      var spelling: StaticString {
        switch self {
        case .commitment: "commitment"
        case .display: "display"
        case .person: "person"
        }
      }
    }

    /// The memberwise initializer, for the store and the facade.
    package init(
      commitment: Hash32? = nil, display: String, person: Bool
    ) {
      self.commitment = commitment
      self.display = display
      self.person = person
    }
  }

  enum Key: Int, EntryFieldKey {
    case amountFen, attachments, category, fund, payee, purpose, unit
    var spelling: StaticString {
      switch self {
      case .amountFen: "amountFen"
      case .attachments: "attachments"
      case .category: "category"
      case .fund: "fund"
      case .payee: "payee"
      case .purpose: "purpose"
      case .unit: "unit"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError)
    -> DisbursementRequestBody
  {
    var amountFen: Int64?
    var attachments: [Attachment]?
    var category: PurposeCategory?
    var fund: String?
    var payee: Payee?
    var purpose: String?
    var unit: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .amountFen: amountFen = try reader.integer()
      case .attachments:
        var items: [Attachment] = []
        try reader.readArray(countMax: LedgerState.attachmentsPerRequestMax) {
          reader throws(EntryFormatError) in
          var bytes: Int64?
          var name: String?
          var sha256: Hash32?
          try reader.readObject(Attachment.Key.self) { reader, key throws(EntryFormatError) in
            switch key {
            case .bytes: bytes = try reader.integer()
            case .name: name = try reader.string()
            case .sha256: sha256 = try reader.hash()
            }
          }
          items.append(
            Attachment(
              bytes: try reader.required(bytes, Attachment.Key.bytes),
              name: try reader.required(name, Attachment.Key.name),
              sha256: try reader.required(sha256, Attachment.Key.sha256)))
        }
        attachments = items
      case .category: category = try reader.enumeration(PurposeCategory.self)
      case .fund: fund = try reader.string()
      case .payee:
        var commitment: Hash32?
        var display: String?
        var person: Bool?
        try reader.readObject(Payee.Key.self) { reader, key throws(EntryFormatError) in
          switch key {
          case .commitment: commitment = try reader.hash()
          case .display: display = try reader.string()
          case .person: person = try reader.bool()
          }
        }
        payee = Payee(
          commitment: commitment, display: try reader.required(display, Payee.Key.display),
          person: try reader.required(person, Payee.Key.person))
      case .purpose: purpose = try reader.string()
      case .unit: unit = try reader.string()
      }
    }
    return DisbursementRequestBody(
      amountFen: try reader.required(amountFen, Key.amountFen), attachments: attachments,
      category: try reader.required(category, Key.category),
      fund: try reader.required(fund, Key.fund), payee: try reader.required(payee, Key.payee),
      purpose: try reader.required(purpose, Key.purpose),
      unit: try reader.required(unit, Key.unit))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.amountFen, first: &first)
    out.writeInteger(amountFen)
    if let attachments {
      out.key(Key.attachments, first: &first)
      out.put(UInt8(ascii: "["))
      for (index, attachment) in attachments.enumerated() {
        if index > 0 { out.put(UInt8(ascii: ",")) }
        var inner = true
        out.key(Attachment.Key.bytes, first: &inner)
        out.writeInteger(attachment.bytes)
        out.key(Attachment.Key.name, first: &inner)
        out.writeString(attachment.name)
        out.key(Attachment.Key.sha256, first: &inner)
        out.writeHash(attachment.sha256)
        out.endObject(first: inner)
      }
      out.put(UInt8(ascii: "]"))
    }
    out.key(Key.category, first: &first)
    out.writeString(category.rawValue)
    out.key(Key.fund, first: &first)
    out.writeString(fund)
    out.key(Key.payee, first: &first)
    var inner = true
    if let commitment = payee.commitment {
      out.key(Payee.Key.commitment, first: &inner)
      out.writeHash(commitment)
    }
    out.key(Payee.Key.display, first: &inner)
    out.writeString(payee.display)
    out.key(Payee.Key.person, first: &inner)
    out.writeBool(payee.person)
    out.endObject(first: inner)
    out.key(Key.purpose, first: &first)
    out.writeString(purpose)
    out.key(Key.unit, first: &first)
    out.writeString(unit)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    let path = EntryKind.disbursementRequest.rawValue
    try BodyCheck.amountFen(amountFen, "\(path).\(Key.amountFen.text)")
    try BodyCheck.displayText(purpose, "\(path).\(Key.purpose.text)")
    let payeePath = "\(path).\(Key.payee.text)"
    try BodyCheck.displayText(payee.display, "\(payeePath).\(Payee.Key.display.text)")
    guard (payee.commitment != nil) == payee.person else {
      throw .refused(.payeeCommitmentMismatch(path: payeePath))
    }
    for (index, attachment) in (attachments ?? []).enumerated() {
      let item = "\(path).\(Key.attachments.text)[\(index)]"
      try BodyCheck.displayText(attachment.name, "\(item).\(Attachment.Key.name.text)")
      guard attachment.bytes >= 0 else {
        throw BodyCheck.fail("\(item).\(Attachment.Key.bytes.text)", "不能为负")
      }
    }
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    amountFen: Int64, attachments: [Attachment]? = nil, category: PurposeCategory, fund: String,
    payee: Payee, purpose: String, unit: String
  ) {
    self.amountFen = amountFen
    self.attachments = attachments
    self.category = category
    self.fund = fund
    self.payee = payee
    self.purpose = purpose
    self.unit = unit
  }
}

/// `disbursement.approve` (批准支出) and `disbursement.pay` (支出付款): which
/// request. Mirrors `$defs/requestRefBody`.
public struct RequestRefBody: Sendable {
  /// The request id: seq of its disbursement.request or fund.release entry.
  public var request: Int64

  enum Key: Int, EntryFieldKey {
    case request
    var spelling: StaticString { "request" }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> RequestRefBody {
    var request: Int64?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .request: request = try reader.integer()
      }
    }
    return RequestRefBody(request: try reader.required(request, Key.request))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.request, first: &first)
    out.writeInteger(request)
    out.endObject(first: first)
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    request: Int64
  ) {
    self.request = request
  }
}

/// `disbursement.reject` (驳回支出): which request, and why. Mirrors
/// `$defs/rejectBody`.
public struct RejectBody: Sendable {
  public var reason: String
  public var request: Int64

  enum Key: Int, EntryFieldKey {
    case reason, request
    var spelling: StaticString {
      switch self {
      case .reason: "reason"
      case .request: "request"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> RejectBody {
    var reason: String?
    var request: Int64?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .reason: reason = try reader.string()
      case .request: request = try reader.integer()
      }
    }
    return RejectBody(
      reason: try reader.required(reason, Key.reason),
      request: try reader.required(request, Key.request))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.reason, first: &first)
    out.writeString(reason)
    out.key(Key.request, first: &first)
    out.writeInteger(request)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    try BodyCheck.displayText(reason, "\(EntryKind.disbursementReject.rawValue).\(Key.reason.text)")
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    reason: String, request: Int64
  ) {
    self.reason = reason
    self.request = request
  }
}

/// `disbursement.cancel` (撤销支出申请): which request, and optionally why.
/// Mirrors `$defs/cancelBody`.
public struct CancelBody: Sendable {
  public var reason: String?
  public var request: Int64

  enum Key: Int, EntryFieldKey {
    case reason, request
    var spelling: StaticString {
      switch self {
      case .reason: "reason"
      case .request: "request"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> CancelBody {
    var reason: String?
    var request: Int64?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .reason: reason = try reader.string()
      case .request: request = try reader.integer()
      }
    }
    return CancelBody(reason: reason, request: try reader.required(request, Key.request))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    if let reason {
      out.key(Key.reason, first: &first)
      out.writeString(reason)
    }
    out.key(Key.request, first: &first)
    out.writeInteger(request)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    if let reason {
      try BodyCheck.displayText(
        reason, "\(EntryKind.disbursementCancel.rawValue).\(Key.reason.text)")
    }
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    reason: String? = nil, request: Int64
  ) {
    self.reason = reason
    self.request = request
  }
}

/// `fund.release` (申请释放定向资金): restricted money to the unit's general
/// fund. Mirrors `$defs/fundReleaseBody`.
public struct FundReleaseBody: Sendable {
  public var amountFen: Int64
  public var fund: String
  public var reason: String
  public var unit: String

  enum Key: Int, EntryFieldKey {
    case amountFen, fund, reason, unit
    var spelling: StaticString {
      switch self {
      case .amountFen: "amountFen"
      case .fund: "fund"
      case .reason: "reason"
      case .unit: "unit"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> FundReleaseBody {
    var amountFen: Int64?
    var fund: String?
    var reason: String?
    var unit: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .amountFen: amountFen = try reader.integer()
      case .fund: fund = try reader.string()
      case .reason: reason = try reader.string()
      case .unit: unit = try reader.string()
      }
    }
    return FundReleaseBody(
      amountFen: try reader.required(amountFen, Key.amountFen),
      fund: try reader.required(fund, Key.fund), reason: try reader.required(reason, Key.reason),
      unit: try reader.required(unit, Key.unit))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.amountFen, first: &first)
    out.writeInteger(amountFen)
    out.key(Key.fund, first: &first)
    out.writeString(fund)
    out.key(Key.reason, first: &first)
    out.writeString(reason)
    out.key(Key.unit, first: &first)
    out.writeString(unit)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    let path = EntryKind.fundRelease.rawValue
    try BodyCheck.amountFen(amountFen, "\(path).\(Key.amountFen.text)")
    try BodyCheck.displayText(reason, "\(path).\(Key.reason.text)")
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    amountFen: Int64, fund: String, reason: String, unit: String
  ) {
    self.amountFen = amountFen
    self.fund = fund
    self.reason = reason
    self.unit = unit
  }
}

/// `reconciliation` (对账): a unit's bank or cash balance across its funds at
/// the end of `asOf`. Mirrors `$defs/reconciliationBody`.
public struct ReconciliationBody: Sendable {
  /// `assets:bank` or `assets:cash`.
  public var account: Account
  public var asOf: AccountingDate
  public var balanceFen: Int64
  public var unit: String

  enum Key: Int, EntryFieldKey {
    case account, asOf, balanceFen, unit
    var spelling: StaticString {
      switch self {
      case .account: "account"
      case .asOf: "asOf"
      case .balanceFen: "balanceFen"
      case .unit: "unit"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> ReconciliationBody {
    var account: Account?
    var asOf: AccountingDate?
    var balanceFen: Int64?
    var unit: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .account:
        let start = reader.position
        let text = try reader.string()
        guard
          let known = AssetAccountKey.reconcilable.first(where: {
            CanonicalUTF8.equal($0.name, text)
          })
        else {
          let names = AssetAccountKey.reconcilable.map(\.name).joined(separator: " 或 ")
          throw EntryFormatError(offset: start, "应为 \(names)")
        }
        account = known
      case .asOf: asOf = try reader.date()
      case .balanceFen: balanceFen = try reader.integer()
      case .unit: unit = try reader.string()
      }
    }
    return ReconciliationBody(
      account: try reader.required(account, Key.account),
      asOf: try reader.required(asOf, Key.asOf),
      balanceFen: try reader.required(balanceFen, Key.balanceFen),
      unit: try reader.required(unit, Key.unit))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.account, first: &first)
    out.writeString(account.name)
    out.key(Key.asOf, first: &first)
    out.writeString(asOf.text)
    out.key(Key.balanceFen, first: &first)
    out.writeInteger(balanceFen)
    out.key(Key.unit, first: &first)
    out.writeString(unit)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    try BodyCheck.amountFenOrZero(
      balanceFen, "\(EntryKind.reconciliation.rawValue).\(Key.balanceFen.text)")
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    account: Account, asOf: AccountingDate, balanceFen: Int64, unit: String
  ) {
    self.account = account
    self.asOf = asOf
    self.balanceFen = balanceFen
    self.unit = unit
  }
}
