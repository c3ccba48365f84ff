/// The three tiers of the supervision system (DESIGN §3).
public enum Tier: String, Sendable, Codable, CaseIterable, Comparable {
  case district, street, community

  public var displayName: String {
    switch self {
    case .district: "区级"
    case .street: "街道"
    case .community: "社区"
    }
  }

  /// The tier of a unit created under a unit of this tier; `nil` below a community.
  public var childTier: Tier? {
    switch self {
    case .district: .street
    case .street: .community
    case .community: nil
    }
  }

  private var depth: Int { Tier.allCases.firstIndex(of: self)! }
  public static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.depth < rhs.depth }
}

/// A role a member holds on a unit. Approvers, supervisors and admins cover
/// the unit's whole subtree; a treasurer keeps the books of one unit.
public enum Role: String, Sendable, Codable, CaseIterable {
  case admin, treasurer, approver, supervisor

  public var displayName: String {
    switch self {
    case .admin: "管理员"
    case .treasurer: "记账员"
    case .approver: "审批人"
    case .supervisor: "监督员"
    }
  }

  var coversSubtree: Bool { self != .treasurer }
}

/// How a donation arrived.
public enum Channel: String, Sendable, Codable, CaseIterable {
  case wechat, alipay, bank, cash, other

  public var displayName: String {
    switch self {
    case .wechat: "微信"
    case .alipay: "支付宝"
    case .bank: "银行转账"
    case .cash: "现金"
    case .other: "其他"
    }
  }
}

/// A unit of the three-tier tree: the district, a street or a community.
public struct Unit: Sendable, Equatable {
  public var code: String
  public var name: String
  public var tier: Tier
  public var parent: String?
  public var createdSeq: Int64

  /// The memberwise initializer, for the store and the facade.
  package init(
    code: String, name: String, tier: Tier, parent: String? = nil, createdSeq: Int64
  ) {
    self.code = code
    self.name = name
    self.tier = tier
    self.parent = parent
    self.createdSeq = createdSeq
  }
}

/// A signer known to the ledger. A key belongs to a person; a person may
/// hold several keys over time (`member.rotate`), one at a time.
public struct MemberKey: Sendable, Equatable {
  public var keyID: String
  public var publicKey: [UInt8]
  public var name: String
  public var revokedSeq: Int64?
  /// The person holding the key: the key id of the first key that person
  /// was granted with (`member.grant` of a new key, or genesis). A rotated
  /// key passes it on to its successor, so approvals and incompatible
  /// duties are counted per person, not per key (see `PersonRules.swift`).
  public var personID: String

  /// The memberwise initializer, for the store and the facade.
  package init(
    keyID: String, publicKey: [UInt8], name: String, revokedSeq: Int64? = nil, personID: String
  ) {
    self.keyID = keyID
    self.publicKey = publicKey
    self.name = name
    self.revokedSeq = revokedSeq
    self.personID = personID
  }
}

/// One role of one key on one unit.
public struct Grant: Sendable, Equatable, Hashable {
  public var keyID: String
  public var unit: String
  public var role: Role
  public var name: String
  public var grantedSeq: Int64
  public var revokedSeq: Int64?

  /// The memberwise initializer, for the store and the facade.
  package init(
    keyID: String, unit: String, role: Role, name: String, grantedSeq: Int64,
    revokedSeq: Int64? = nil
  ) {
    self.keyID = keyID
    self.unit = unit
    self.role = role
    self.name = name
    self.grantedSeq = grantedSeq
    self.revokedSeq = revokedSeq
  }
}

/// A fund of a unit: the general fund (非定向) every unit has, or a
/// restricted one (定向/专项) with a stated purpose.
public struct Fund: Sendable, Equatable {
  public static let generalCode = "general"
  public static let generalName = "非定向基金"

  public var unit: String
  public var code: String
  public var name: String
  public var restricted: Bool
  public var purpose: String?
  public var openedSeq: Int64
  /// What a restricted fund pays for, when it was opened with one
  /// (see `effectiveCategory`).
  public var category: PurposeCategory? = nil

  /// The memberwise initializer, for the store and the facade.
  package init(
    unit: String, code: String, name: String, restricted: Bool, purpose: String? = nil,
    openedSeq: Int64, category: PurposeCategory? = nil
  ) {
    self.unit = unit
    self.code = code
    self.name = name
    self.restricted = restricted
    self.purpose = purpose
    self.openedSeq = openedSeq
    self.category = category
  }
}

/// An allocation between a unit and its parent or child: two-phase, like a
/// pending transfer. Its id is the seq of the `allocation.send` entry.
public struct Allocation: Sendable, Equatable {
  public enum Status: String, Sendable, Codable {
    case inTransit = "in-transit"
    case confirmed, voided

    public var displayName: String {
      switch self {
      case .inTransit: "在途"
      case .confirmed: "已确认"
      case .voided: "已撤回"
      }
    }
  }

  public var id: Int64
  public var from: String
  public var to: String
  public var fund: String
  public var amountFen: Int64
  public var date: AccountingDate
  public var status: Status
  public var settledSeq: Int64?

  /// The memberwise initializer, for the store and the facade.
  package init(
    id: Int64, from: String, to: String, fund: String, amountFen: Int64, date: AccountingDate,
    status: Status, settledSeq: Int64? = nil
  ) {
    self.id = id
    self.from = from
    self.to = to
    self.fund = fund
    self.amountFen = amountFen
    self.date = date
    self.status = status
    self.settledSeq = settledSeq
  }
}

/// An account of a unit's chart (DESIGN §3). The raw text is stored and
/// exported; `displayName` is what a treasurer reads.
public struct Account: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let name: String
  /// Derived from `name` once, not on every posting.
  public let category: Category

  public init(_ name: String) {
    self.name = name
    self.category = Category(rawValue: String(name.prefix { $0 != ":" })) ?? .assets
  }

  public static func == (lhs: Account, rhs: Account) -> Bool { lhs.name == rhs.name }
  public func hash(into hasher: inout Hasher) { hasher.combine(name) }

  public static let bank = Account("assets:bank")
  public static let cash = Account("assets:cash")
  public static let inTransit = Account("assets:in-transit")
  public static let allocationsIn = Account("income:allocations-in")
  public static let allocationsOut = Account("expenses:allocations-out")
  public static func donations(_ channel: Channel) -> Account {
    // Made once per channel: a donation's posting shares the name instead
    // of building (and allocating) it again.
    donationAccounts[channel]!
  }
  private static let donationAccounts = Dictionary(
    uniqueKeysWithValues: Channel.allCases.map { ($0, Account("income:donations:" + $0.rawValue)) })

  public enum Category: String, Sendable, CaseIterable {
    case assets, liabilities
    case netAssets = "net-assets"
    case income, expenses
  }

  /// Income, liabilities and net assets are credit-normal: a positive balance
  /// is stored as a negative (credit) sum of postings.
  public var isCreditNormal: Bool { category != .assets && category != .expenses }

  public var displayName: String {
    switch name {
    case Account.bank.name: return "银行存款"
    case Account.cash.name: return "库存现金"
    case Account.inTransit.name: return "在途划拨"
    case Account.allocationsIn.name: return "划拨收入"
    case Account.allocationsOut.name: return "划拨支出"
    default:
      if name.hasPrefix("income:donations:"),
        let channel = Channel(rawValue: String(name.dropFirst("income:donations:".count)))
      {
        return "捐赠收入·" + channel.displayName
      }
      return Account.supervisionDisplayName(name) ?? name
    }
  }

  public var description: String { name }
  public static func < (lhs: Account, rhs: Account) -> Bool {
    (lhs.category.sortOrder, lhs.name) < (rhs.category.sortOrder, rhs.name)
  }
}

extension Account.Category {
  var sortOrder: Int { Account.Category.allCases.firstIndex(of: self)! }
}

/// One line of a transaction: a signed amount (debit positive) on an account
/// of one fund of one unit.
public struct Posting: Sendable, Equatable {
  public var unit: String
  public var fund: String
  public var account: Account
  public var amountFen: Int64

  /// The memberwise initializer, for the store and the facade.
  package init(
    unit: String, fund: String, account: Account, amountFen: Int64
  ) {
    self.unit = unit
    self.fund = fund
    self.account = account
    self.amountFen = amountFen
  }
}

/// Where a balance is kept: unit, fund, account.
public struct BalanceKey: Hashable, Sendable, Comparable {
  public var unit: String
  public var fund: String
  public var account: Account

  public init(unit: String, fund: String, account: Account) {
    self.unit = unit
    self.fund = fund
    self.account = account
  }

  public static func < (lhs: BalanceKey, rhs: BalanceKey) -> Bool {
    (lhs.unit, lhs.fund, lhs.account) < (rhs.unit, rhs.fund, rhs.account)
  }
}
