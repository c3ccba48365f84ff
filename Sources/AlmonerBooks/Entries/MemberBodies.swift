/// `genesis` (建账): the district, its first admin, the ledger's origin and
/// time zone. Mirrors `$defs/genesisBody` of Schemas/json/entry.schema.json.
public struct GenesisBody: Sendable {
  public var admin: Admin
  public var district: District
  public var ledger: LedgerInfo

  public struct Admin: Sendable {
    public var name: String
    /// Raw 32-byte Ed25519 key, standard base64 with padding.
    public var publicKey: String

    enum Key: Int, EntryFieldKey {
      case name, publicKey
      var spelling: StaticString {
        switch self {
        case .name: "name"
        case .publicKey: "publicKey"
        }
      }
    }

    /// The memberwise initializer, for the store and the facade.
    package init(
      name: String, publicKey: String
    ) {
      self.name = name
      self.publicKey = publicKey
    }
  }

  public struct District: Sendable {
    public var code: String
    public var name: String

    enum Key: Int, EntryFieldKey {
      case code, name
      var spelling: StaticString {
        switch self {
        case .code: "code"
        case .name: "name"
        }
      }
    }

    /// The memberwise initializer, for the store and the facade.
    package init(
      code: String, name: String
    ) {
      self.code = code
      self.name = name
    }
  }

  public struct LedgerInfo: Sendable {
    /// The checkpoint origin (C2SP tlog-checkpoint).
    public var origin: String
    /// IANA time zone of accounting dates.
    public var timeZone: String

    enum Key: Int, EntryFieldKey {
      case origin, timeZone
      var spelling: StaticString {
        switch self {
        case .origin: "origin"
        case .timeZone: "timeZone"
        }
      }
    }

    /// The memberwise initializer, for the store and the facade.
    package init(
      origin: String, timeZone: String
    ) {
      self.origin = origin
      self.timeZone = timeZone
    }
  }

  enum Key: Int, EntryFieldKey {
    case admin, district, ledger
    var spelling: StaticString {
      switch self {
      case .admin: "admin"
      case .district: "district"
      case .ledger: "ledger"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> GenesisBody {
    var admin: Admin?
    var district: District?
    var ledger: LedgerInfo?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .admin:
        var name: String?
        var publicKey: String?
        try reader.readObject(Admin.Key.self) { reader, key throws(EntryFormatError) in
          switch key {
          case .name: name = try reader.string()
          case .publicKey: publicKey = try reader.string()
          }
        }
        admin = Admin(
          name: try reader.required(name, Admin.Key.name),
          publicKey: try reader.required(publicKey, Admin.Key.publicKey))
      case .district:
        var code: String?
        var name: String?
        try reader.readObject(District.Key.self) { reader, key throws(EntryFormatError) in
          switch key {
          case .code: code = try reader.string()
          case .name: name = try reader.string()
          }
        }
        district = District(
          code: try reader.required(code, District.Key.code),
          name: try reader.required(name, District.Key.name))
      case .ledger:
        var origin: String?
        var timeZone: String?
        try reader.readObject(LedgerInfo.Key.self) { reader, key throws(EntryFormatError) in
          switch key {
          case .origin: origin = try reader.string()
          case .timeZone: timeZone = try reader.string()
          }
        }
        ledger = LedgerInfo(
          origin: try reader.required(origin, LedgerInfo.Key.origin),
          timeZone: try reader.required(timeZone, LedgerInfo.Key.timeZone))
      }
    }
    return GenesisBody(
      admin: try reader.required(admin, Key.admin),
      district: try reader.required(district, Key.district),
      ledger: try reader.required(ledger, Key.ledger))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.admin, first: &first)
    var inner = true
    out.key(Admin.Key.name, first: &inner)
    out.writeString(admin.name)
    out.key(Admin.Key.publicKey, first: &inner)
    out.writeString(admin.publicKey)
    out.endObject(first: inner)
    out.key(Key.district, first: &first)
    inner = true
    out.key(District.Key.code, first: &inner)
    out.writeString(district.code)
    out.key(District.Key.name, first: &inner)
    out.writeString(district.name)
    out.endObject(first: inner)
    out.key(Key.ledger, first: &first)
    inner = true
    out.key(LedgerInfo.Key.origin, first: &inner)
    out.writeString(ledger.origin)
    out.key(LedgerInfo.Key.timeZone, first: &inner)
    out.writeString(ledger.timeZone)
    out.endObject(first: inner)
    out.endObject(first: first)
  }

  /// Checks the text fields; returns the admin's raw public key.
  func validate() throws(AlmonerError) -> [UInt8] {
    let path = EntryKind.genesis.rawValue
    try BodyCheck.displayText(
      district.name, "\(path).\(Key.district.text).\(District.Key.name.text)")
    try BodyCheck.displayText(admin.name, "\(path).\(Key.admin.text).\(Admin.Key.name.text)")
    let raw = try BodyCheck.publicKey(
      admin.publicKey, "\(path).\(Key.admin.text).\(Admin.Key.publicKey.text)")
    try BodyCheck.plainText(
      ledger.origin, "\(path).\(Key.ledger.text).\(LedgerInfo.Key.origin.text)")
    try BodyCheck.plainText(
      ledger.timeZone, "\(path).\(Key.ledger.text).\(LedgerInfo.Key.timeZone.text)")
    return raw
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    admin: Admin, district: District, ledger: LedgerInfo
  ) {
    self.admin = admin
    self.district = district
    self.ledger = ledger
  }
}

/// `unit.add` (新增单位): a street under the district or a community under a
/// street. Mirrors `$defs/unitAddBody`.
public struct UnitAddBody: Sendable {
  public var code: String
  public var name: String
  public var parent: String
  public var tier: Tier

  enum Key: Int, EntryFieldKey {
    case code, name, parent, tier
    var spelling: StaticString {
      switch self {
      case .code: "code"
      case .name: "name"
      case .parent: "parent"
      case .tier: "tier"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> UnitAddBody {
    var code: String?
    var name: String?
    var parent: String?
    var tier: Tier?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .code: code = try reader.string()
      case .name: name = try reader.string()
      case .parent: parent = try reader.string()
      case .tier: tier = try reader.enumeration(Tier.self)
      }
    }
    return UnitAddBody(
      code: try reader.required(code, Key.code), name: try reader.required(name, Key.name),
      parent: try reader.required(parent, Key.parent), tier: try reader.required(tier, Key.tier))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.code, first: &first)
    out.writeString(code)
    out.key(Key.name, first: &first)
    out.writeString(name)
    out.key(Key.parent, first: &first)
    out.writeString(parent)
    out.key(Key.tier, first: &first)
    out.writeString(tier.rawValue)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    try BodyCheck.displayText(name, "\(EntryKind.unitAdd.rawValue).\(Key.name.text)")
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    code: String, name: String, parent: String, tier: Tier
  ) {
    self.code = code
    self.name = name
    self.parent = parent
    self.tier = tier
  }
}

/// `member.grant` (授予角色): a role on a unit for a key. Mirrors
/// `$defs/memberGrantBody`.
public struct MemberGrantBody: Sendable {
  /// Must be the key id of `publicKey`.
  public var keyID: String
  public var name: String
  public var publicKey: String
  public var role: Role
  public var unit: String

  enum Key: Int, EntryFieldKey {
    case keyId, name, publicKey, role, unit
    var spelling: StaticString {
      switch self {
      case .keyId: "keyId"
      case .name: "name"
      case .publicKey: "publicKey"
      case .role: "role"
      case .unit: "unit"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> MemberGrantBody {
    var keyID: String?
    var name: String?
    var publicKey: String?
    var role: Role?
    var unit: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .keyId: keyID = try reader.string()
      case .name: name = try reader.string()
      case .publicKey: publicKey = try reader.string()
      case .role: role = try reader.enumeration(Role.self)
      case .unit: unit = try reader.string()
      }
    }
    return MemberGrantBody(
      keyID: try reader.required(keyID, Key.keyId), name: try reader.required(name, Key.name),
      publicKey: try reader.required(publicKey, Key.publicKey),
      role: try reader.required(role, Key.role), unit: try reader.required(unit, Key.unit))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.keyId, first: &first)
    out.writeString(keyID)
    out.key(Key.name, first: &first)
    out.writeString(name)
    out.key(Key.publicKey, first: &first)
    out.writeString(publicKey)
    out.key(Key.role, first: &first)
    out.writeString(role.rawValue)
    out.key(Key.unit, first: &first)
    out.writeString(unit)
    out.endObject(first: first)
  }

  /// Checks the name and the key; returns the raw public key, whose key id
  /// must be `keyID`.
  func validate() throws(AlmonerError) -> [UInt8] {
    let path = EntryKind.memberGrant.rawValue
    try BodyCheck.displayText(name, "\(path).\(Key.name.text)")
    let raw = try BodyCheck.publicKey(publicKey, "\(path).\(Key.publicKey.text)")
    guard keyID == PublicKey.keyID(raw: raw) else {
      throw BodyCheck.fail("\(path).\(Key.keyId.text)", "与公钥不符")
    }
    return raw
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    keyID: String, name: String, publicKey: String, role: Role, unit: String
  ) {
    self.keyID = keyID
    self.name = name
    self.publicKey = publicKey
    self.role = role
    self.unit = unit
  }
}

/// `member.revoke` (撤销成员). Mirrors `$defs/memberRevokeBody`.
public struct MemberRevokeBody: Sendable {
  public var keyID: String
  public var reason: String?

  enum Key: Int, EntryFieldKey {
    case keyId, reason
    var spelling: StaticString {
      switch self {
      case .keyId: "keyId"
      case .reason: "reason"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> MemberRevokeBody {
    var keyID: String?
    var reason: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .keyId: keyID = try reader.string()
      case .reason: reason = try reader.string()
      }
    }
    return MemberRevokeBody(keyID: try reader.required(keyID, Key.keyId), reason: reason)
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.keyId, first: &first)
    out.writeString(keyID)
    if let reason {
      out.key(Key.reason, first: &first)
      out.writeString(reason)
    }
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    if let reason {
      try BodyCheck.displayText(reason, "\(EntryKind.memberRevoke.rawValue).\(Key.reason.text)")
    }
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    keyID: String, reason: String? = nil
  ) {
    self.keyID = keyID
    self.reason = reason
  }
}

/// `member.rotate` (更换密钥): one person moves to a new key. Mirrors
/// `$defs/memberRotateBody`.
public struct MemberRotateBody: Sendable {
  /// True when the old key may be in someone else's hands: its approvals of
  /// requests not yet paid stop counting.
  public var compromised: Bool
  /// The key being replaced.
  public var keyID: String
  /// Must be the key id of `publicKey`.
  public var newKeyID: String
  /// The new key.
  public var publicKey: String
  public var reason: String?

  enum Key: Int, EntryFieldKey {
    case compromised, keyId, newKeyId, publicKey, reason
    var spelling: StaticString {
      switch self {
      case .compromised: "compromised"
      case .keyId: "keyId"
      case .newKeyId: "newKeyId"
      case .publicKey: "publicKey"
      case .reason: "reason"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> MemberRotateBody {
    var compromised: Bool?
    var keyID: String?
    var newKeyID: String?
    var publicKey: String?
    var reason: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .compromised: compromised = try reader.bool()
      case .keyId: keyID = try reader.string()
      case .newKeyId: newKeyID = try reader.string()
      case .publicKey: publicKey = try reader.string()
      case .reason: reason = try reader.string()
      }
    }
    return MemberRotateBody(
      compromised: try reader.required(compromised, Key.compromised),
      keyID: try reader.required(keyID, Key.keyId),
      newKeyID: try reader.required(newKeyID, Key.newKeyId),
      publicKey: try reader.required(publicKey, Key.publicKey), reason: reason)
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.compromised, first: &first)
    out.writeBool(compromised)
    out.key(Key.keyId, first: &first)
    out.writeString(keyID)
    out.key(Key.newKeyId, first: &first)
    out.writeString(newKeyID)
    out.key(Key.publicKey, first: &first)
    out.writeString(publicKey)
    if let reason {
      out.key(Key.reason, first: &first)
      out.writeString(reason)
    }
    out.endObject(first: first)
  }

  /// Checks the new key and the reason; returns the new raw public key.
  func validate() throws(AlmonerError) -> [UInt8] {
    let path = EntryKind.memberRotate.rawValue
    let raw = try BodyCheck.publicKey(publicKey, "\(path).\(Key.publicKey.text)")
    if let reason { try BodyCheck.displayText(reason, "\(path).\(Key.reason.text)") }
    guard newKeyID == PublicKey.keyID(raw: raw) else {
      throw BodyCheck.fail("\(path).\(Key.newKeyId.text)", "与公钥不符")
    }
    return raw
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    compromised: Bool, keyID: String, newKeyID: String, publicKey: String, reason: String? = nil
  ) {
    self.compromised = compromised
    self.keyID = keyID
    self.newKeyID = newKeyID
    self.publicKey = publicKey
    self.reason = reason
  }
}
