/// Reads earlier entries of the log, for rules that look back (a reversal
/// needs the entry it reverses).
public protocol EntryLookup {
  func entry(at seq: Int64) throws(AlmonerError) -> Entry?
  /// Size and root of the Merkle tree over every entry before the one being applied.
  func treeRoot() -> (size: Int64, root: Hash32)
}

/// What one entry changed, for writing the projection tables in the same
/// transaction as the entry.
package struct ProjectionChanges {
  package var units: [Unit] = []
  package var keys: [MemberKey] = []
  package var grants: [Grant] = []
  package var revokedKeys: [(keyID: String, seq: Int64)] = []
  package var funds: [Fund] = []
  package var postings: [(date: AccountingDate, posting: Posting)] = []
  package var allocations: [Int64: Allocation] = [:]
  package var reversals: [(reversed: Int64, by: Int64)] = []
  package var checkpoints: [CheckpointRecord] = []
  package var cosignatures: [CosignatureRecord] = []
  package var supervision = SupervisionChanges()
  /// Personal data erased: the donor_private row of `erased` is deleted.
  package var erasures: [(erased: Int64, by: Int64)] = []
  /// Statements published.
  package var statements: [PublishedStatement] = []

  /// An empty set of changes, for the facade to fill.
  package init() {}

}

/// The ledger's current state: a fold of the log. The same `apply` checks
/// every entry when it is appended and again when `verify ledger` replays the
/// log from genesis, so the rules live in one place.
public struct LedgerState: Equatable, Sendable {
  public var ledgerID: Hash32?
  public var origin = ""
  public var timeZone = ""
  public var units: [String: Unit] = [:]
  public var keys: [String: MemberKey] = [:]
  public var grants: [Grant] = [] {
    didSet { grantsByKey = Dictionary(grouping: grants.indices) { grants[$0].keyID } }
  }
  /// The positions in `grants` of each key's grants, so that a rule checking
  /// a signer's role reads that key's few grants, not every grant. Derived
  /// from `grants` whenever it changes (grants change rarely).
  private var grantsByKey: [String: [Int]] = [:]
  public var funds: [FundKey: Fund] = [:]
  /// Sums of postings, debit positive. Zero balances are not kept.
  public var balances: [BalanceKey: Int64] = [:]
  /// Sums over all units per fund code and account: the district's
  /// rolled-up balances, which must stay within `Money.fenMax` like any
  /// amount the ledger prints. Derived from `balances`.
  public var rollupTotals: [RollupKey: Int64] = [:]
  /// The movements of each fund's asset accounts per accounting date. A
  /// back-dated outflow is allowed only when the balance stays at zero or
  /// above on every day from its date on.
  public var assetDays: [BalanceKey: AssetDays] = [:]
  public var allocations: [Int64: Allocation] = [:]
  /// Reversed seq → seq of the reversal.
  public var reversals: [Int64: Int64] = [:]
  /// Checkpoints the ledger signed, by the seq of their entry.
  public var checkpoints: [Int64: CheckpointRecord] = [:]
  /// Supervisors' cosignatures, by the seq of their entry.
  public var cosignatures: [Int64: CosignatureRecord] = [:]
  /// Entries whose personal data was erased → seq of the erasure entry.
  public var erasures: [Int64: Int64] = [:]
  /// Statements published, by their hash.
  public var statements: [Hash32: PublishedStatement] = [:]

  public struct RollupKey: Hashable, Sendable {
    public var fund: String
    public var account: Account

    /// The memberwise initializer, for the store and the facade.
    package init(
      fund: String, account: Account
    ) {
      self.fund = fund
      self.account = account
    }
  }
  /// Approval policy, disbursements, reconciliations.
  public var supervision = SupervisionState()

  public struct FundKey: Hashable, Sendable, Comparable {
    public var unit: String
    public var code: String

    public init(unit: String, code: String) {
      self.unit = unit
      self.code = code
    }
    public static func < (lhs: FundKey, rhs: FundKey) -> Bool {
      (lhs.unit, lhs.code) < (rhs.unit, rhs.code)
    }
  }

  public init() {}

  // MARK: Queries

  public func balance(_ key: BalanceKey) -> Int64 { balances[key] ?? 0 }

  public var district: Unit? { units.values.first { $0.tier == .district } }

  /// `code` and all its ancestors, nearest first.
  public func lineage(of code: String) -> [String] {
    var chain: [String] = []
    var current: String? = code
    while let unit = current.flatMap({ units[$0] }) {
      chain.append(unit.code)
      current = unit.parent
    }
    return chain
  }

  /// Every unit in the subtree rooted at `code`, including it.
  public func subtree(of code: String) -> Set<String> {
    Set(units.keys.filter { lineage(of: $0).contains(code) })
  }

  /// Every grant of `keyID`, revoked or not, in the order they were given.
  public func grants(of keyID: String) -> [Grant] {
    (grantsByKey[keyID] ?? []).map { grants[$0] }
  }

  public func activeGrants(of keyID: String) -> [Grant] {
    grants(of: keyID).filter { $0.revokedSeq == nil }
  }

  /// True when `keyID` may act as `role` on `unit` now.
  public func holds(_ role: Role, on unit: String, keyID: String) -> Bool {
    // Fields are read in place: this runs for every entry a replay applies.
    guard let key = keys.index(forKey: keyID), keys.values[key].revokedSeq == nil else {
      return false
    }
    for index in grantsByKey[keyID] ?? [] {
      guard grants[index].role == role, grants[index].revokedSeq == nil else { continue }
      if grants[index].unit == unit { return true }
      guard role.coversSubtree else { continue }
      var ancestor = units[unit]?.parent
      while let current = ancestor {
        if current == grants[index].unit { return true }
        ancestor = units[current]?.parent
      }
    }
    return false
  }

  // MARK: Applying entries

  /// Checks `entry` against the rules and the current state, then applies it.
  /// Throws `AlmonerError.badInput` naming what is wrong; on a throw the state
  /// may be partly changed, so callers apply to a copy.
  package mutating func apply(
    _ entry: Entry, hash: Hash32, lookup: some EntryLookup, changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    if case .genesis(let body) = entry.body {
      guard entry.seq == 0 else { throw .refused(.genesisNotFirst) }
      try applyGenesis(entry, body, hash: hash, changes: &changes)
      return
    }
    guard ledgerID != nil else { throw .refused(.firstNotGenesis) }
    guard let author = keys[entry.author] else {
      throw .refused(.signerNotMember(keyID: entry.author))
    }
    if let revoked = author.revokedSeq {
      throw .refused(.signerRevoked(keyID: entry.author, name: author.name, seq: revoked))
    }
    try applyRules(entry, lookup: lookup, changes: &changes)
  }

  private mutating func applyGenesis(
    _ entry: Entry, _ body: GenesisBody, hash: Hash32, changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let code = body.district.code
    try UnitRules.checkCode(code)
    let publicKey = try body.validate()
    let name = body.district.name
    try requireDistinctUnitName(name, code: code)
    let adminName = body.admin.name
    guard PublicKey.keyID(raw: publicKey) == entry.author else {
      throw .refused(.genesisSignerNotAdmin)
    }
    ledgerID = hash
    origin = body.ledger.origin
    timeZone = body.ledger.timeZone
    let unit = Unit(code: code, name: name, tier: .district, parent: nil, createdSeq: 0)
    let key = MemberKey(
      keyID: entry.author, publicKey: publicKey, name: adminName, revokedSeq: nil,
      personID: entry.author)
    let grant = Grant(
      keyID: entry.author, unit: code, role: .admin, name: adminName, grantedSeq: 0,
      revokedSeq: nil)
    let fund = Fund.general(of: code, openedSeq: 0)
    units[code] = unit
    keys[key.keyID] = key
    grants.append(grant)
    funds[FundKey(unit: code, code: fund.code)] = fund
    changes.units.append(unit)
    changes.keys.append(key)
    changes.grants.append(grant)
    changes.funds.append(fund)
  }
}

extension Fund {
  static func general(of unit: String, openedSeq: Int64) -> Fund {
    Fund(
      unit: unit, code: Fund.generalCode, name: Fund.generalName, restricted: false, purpose: nil,
      openedSeq: openedSeq)
  }
}
