/// A digest of everything the rules read when an entry is appended: the
/// ledger's `LedgerState`, component by component, one per projection table.
///
/// The projection tables can be edited by anyone who can write the file, and
/// a write that trusted an edited table (an inflated balance, a planted
/// grant, two units' names swapped) would get an honest key holder to sign a
/// bad entry. So each commit's author also signs this digest of the state
/// after the commit (`StateSeal`), and a write first checks that the state it
/// loaded has the digest the last commit sealed. The encoding is internal:
/// only this program reads it, and a new `version` just makes the next write
/// re-verify the log once.
package struct StateDigest: Equatable, Sendable {
  /// 2: the asset accounts' movements per fund and day replace their latest
  /// dates (back-dated outflows are checked day by day).
  /// 3: published statements (`statement_publish`).
  package static let version: Int64 = 3

  /// One part of the state, named by the table it is kept in.
  enum Component: String, CaseIterable, Sendable {
    case ledgerMeta = "ledger_meta"
    case unit
    case memberKey = "member_key"
    case memberGrant = "member_grant"
    case fund
    case dailyBalance = "daily_balance"
    case allocation
    case reversal
    case checkpoint
    case cosignature
    case approvalPolicy = "approval_policy"
    case disbursement
    case reconciliation
    case erasure
    case statementPublish = "statement_publish"
  }

  var components: [Component: Hash32]

  /// SHA-256 over the component digests in a fixed order.
  package var root: Hash32 {
    var writer = DigestWriter()
    writer.string("almoner-state-digest/v\(StateDigest.version)")
    for component in Component.allCases {
      writer.string(component.rawValue)
      writer.hash(components[component] ?? .zero)
    }
    return SHA256().hash(writer.bytes)
  }

  /// The components in their fixed order, as stored beside the seal so that
  /// a mismatch can name the table that differs.
  package var serialized: [UInt8] {
    Component.allCases.flatMap { (components[$0] ?? .zero).bytes }
  }

  init(components: [Component: Hash32]) { self.components = components }

  package init?(serialized bytes: [UInt8]) {
    guard bytes.count == Component.allCases.count * Hash32.byteCount else { return nil }
    var components: [Component: Hash32] = [:]
    for (index, component) in Component.allCases.enumerated() {
      let start = index * Hash32.byteCount
      components[component] = Hash32(bytes: bytes[start..<(start + Hash32.byteCount)])
    }
    self.components = components
  }

  /// The tables whose digests differ between `self` and `other`.
  package func differingTables(from other: StateDigest) -> [String] {
    Component.allCases.filter { components[$0] != other.components[$0] }.map(\.rawValue)
  }

  package init(_ state: LedgerState) {
    let hasher = SHA256()
    var components: [Component: Hash32] = [:]
    for component in Component.allCases {
      components[component] = StateDigest.digest(component, of: state, hasher: hasher)
    }
    self.components = components
  }

  /// The digest of one component: SHA-256 over its items' encodings in the
  /// order of their keys (by UTF-8 bytes, never by dictionary order), each
  /// tagged, then their count.
  private static func digest(_ component: Component, of state: LedgerState, hasher: SHA256)
    -> Hash32
  {
    var writer = DigestWriter()
    writer.string(component.rawValue)
    var count: Int64 = 0
    func add(_ encode: (inout DigestWriter) -> Void) {
      writer.item()
      encode(&writer)
      count += 1
    }
    switch component {
    case .ledgerMeta:
      add {
        $0.optionalHash(state.ledgerID)
        $0.string(state.origin)
        $0.string(state.timeZone)
      }
    case .unit:
      for unit in sortedValues(state.units) {
        add {
          $0.string(unit.code)
          $0.string(unit.name)
          $0.string(unit.tier.rawValue)
          $0.optionalString(unit.parent)
          $0.int(unit.createdSeq)
        }
      }
    case .memberKey:
      for key in sortedValues(state.keys) {
        add {
          $0.string(key.keyID)
          $0.bytes(key.publicKey)
          $0.string(key.name)
          $0.optionalInt(key.revokedSeq)
          $0.string(key.personID)
        }
      }
    case .memberGrant:
      for grant in state.grants.sorted(by: grantOrder) {
        add {
          $0.string(grant.keyID)
          $0.string(grant.unit)
          $0.string(grant.role.rawValue)
          $0.string(grant.name)
          $0.int(grant.grantedSeq)
          $0.optionalInt(grant.revokedSeq)
        }
      }
    case .fund:
      for fund in state.funds.sorted(by: { fundKeyOrder($0.key, $1.key) }).map(\.value) {
        add {
          $0.string(fund.unit)
          $0.string(fund.code)
          $0.string(fund.name)
          $0.bool(fund.restricted)
          $0.optionalString(fund.purpose)
          $0.int(fund.openedSeq)
          $0.optionalString(fund.category?.rawValue)
        }
      }
    case .dailyBalance:
      for (key, amount) in state.balances.sorted(by: { balanceKeyOrder($0.key, $1.key) }) {
        add {
          $0.string("balance")
          $0.balanceKey(key)
          $0.int(amount)
        }
      }
      // One item per fund and day: the key's encoding is made once, not per
      // day (the same bytes; this component is most of a commit's digest).
      for (key, days) in state.assetDays.sorted(by: { balanceKeyOrder($0.key, $1.key) }) {
        var prefix = DigestWriter()
        prefix.string("fund-day")
        prefix.balanceKey(key)
        for (date, amount) in zip(days.dates, days.amounts) {
          add {
            $0.append(prefix)
            $0.date(date)
            $0.int(amount)
          }
        }
      }
      for (key, days) in state.supervision.assetDaily.sorted(by: { assetKeyOrder($0.key, $1.key) })
      {
        var prefix = DigestWriter()
        prefix.string("asset-day")
        prefix.string(key.unit)
        prefix.string(key.account.name)
        // Dates order as their text (entry dates have four-digit years),
        // compared as numbers.
        for (date, amount) in days.sorted(by: { $0.key < $1.key }) {
          add {
            $0.append(prefix)
            $0.date(date)
            $0.int(amount)
          }
        }
      }
    case .allocation:
      for allocation in sortedValues(state.allocations) {
        add {
          $0.int(allocation.id)
          $0.string(allocation.from)
          $0.string(allocation.to)
          $0.string(allocation.fund)
          $0.int(allocation.amountFen)
          $0.string(allocation.date.text)
          $0.string(allocation.status.rawValue)
          $0.optionalInt(allocation.settledSeq)
        }
      }
    case .reversal:
      for (reversed, by) in state.reversals.sorted(by: { $0.key < $1.key }) {
        add {
          $0.int(reversed)
          $0.int(by)
        }
      }
    case .checkpoint:
      for checkpoint in sortedValues(state.checkpoints) {
        add {
          $0.int(checkpoint.seq)
          $0.int(checkpoint.treeSize)
          $0.hash(checkpoint.rootHash)
          $0.string(checkpoint.note)
        }
      }
    case .cosignature:
      for cosignature in sortedValues(state.cosignatures) {
        add {
          $0.int(cosignature.seq)
          $0.int(cosignature.checkpointSeq)
          $0.string(cosignature.keyID)
          $0.string(cosignature.line)
        }
      }
    case .approvalPolicy:
      let policy = state.supervision.policy
      add {
        $0.int(policy.communityParentAboveFen)
        $0.int(policy.communityDistrictAboveFen)
        $0.int(policy.streetDistrictAboveFen)
        $0.tierCounts(policy.approvals)
        $0.optionalInt(policy.seq)
      }
    case .disbursement:
      for request in sortedValues(state.supervision.disbursements) {
        add {
          $0.int(request.id)
          $0.string(request.kind.rawValue)
          // Only an opening has an account: other requests digest as before.
          if let account = request.account { $0.string(account.name) }
          $0.string(request.unit)
          $0.string(request.fund)
          $0.int(request.amountFen)
          $0.optionalString(request.category?.rawValue)
          $0.string(request.purpose)
          $0.optionalString(request.payee)
          $0.bool(request.payeeIsPerson)
          $0.string(request.requester)
          $0.string(request.date.text)
          $0.optionalInt(request.policySeq)
          $0.tierCounts(request.required)
          $0.int(Int64(request.approvals.count))
          for approval in request.approvals {
            $0.string(approval.keyID)
            $0.string(approval.tier.rawValue)
            $0.int(approval.seq)
            $0.optionalInt(approval.voidedSeq)
          }
          $0.string(request.status.rawValue)
          $0.optionalInt(request.approvedSeq)
          $0.optionalInt(request.settledSeq)
          $0.optionalString(request.reason)
          $0.int(Int64(request.attachments.count))
          for attachment in request.attachments {
            $0.hash(attachment.sha256)
            $0.string(attachment.name)
            $0.int(attachment.byteCount)
          }
        }
      }
    case .erasure:
      for (erased, by) in state.erasures.sorted(by: { $0.key < $1.key }) {
        add {
          $0.int(erased)
          $0.int(by)
        }
      }
    case .statementPublish:
      for published in state.statements.values.sorted(by: { $0.seq < $1.seq }) {
        add {
          $0.int(published.seq)
          $0.hash(published.hash)
          $0.string(published.unit)
          $0.string(published.period)
          $0.bool(published.subtree)
          $0.optionalHash(published.supersedes)
          $0.optionalString(published.reason)
        }
      }
    case .reconciliation:
      for (key, mark) in state.supervision.reconciled.sorted(by: { assetKeyOrder($0.key, $1.key) })
      {
        add {
          $0.string(key.unit)
          $0.string(key.account.name)
          $0.string(mark.asOf.text)
          $0.int(mark.seq)
          $0.int(mark.balanceFen)
        }
      }
    }
    writer.int(count)
    return hasher.hash(writer.bytes)
  }

  // Orders that depend on bytes alone: `String`'s `<` treats canonically
  // equivalent texts as equal, which would leave their order to the
  // dictionary's (per-process) hashing.
  private static func textOrder(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
  }

  /// Texts compared one after another, first difference deciding (no
  /// arrays: sorting a component compares often).
  private static func textsOrder(_ a: (String, String), _ b: (String, String)) -> Bool {
    a.0 != b.0 ? textOrder(a.0, b.0) : textOrder(a.1, b.1)
  }

  private static func textsOrder(_ a: (String, String, String), _ b: (String, String, String))
    -> Bool
  {
    a.0 != b.0 ? textOrder(a.0, b.0) : textsOrder((a.1, a.2), (b.1, b.2))
  }

  private static func sortedValues<V>(_ dictionary: [String: V]) -> [V] {
    dictionary.sorted { textOrder($0.key, $1.key) }.map(\.value)
  }

  private static func sortedValues<V>(_ dictionary: [Int64: V]) -> [V] {
    dictionary.sorted { $0.key < $1.key }.map(\.value)
  }

  private static func grantOrder(_ a: Grant, _ b: Grant) -> Bool {
    if a.grantedSeq != b.grantedSeq { return a.grantedSeq < b.grantedSeq }
    return textsOrder((a.keyID, a.unit, a.role.rawValue), (b.keyID, b.unit, b.role.rawValue))
  }

  private static func fundKeyOrder(_ a: LedgerState.FundKey, _ b: LedgerState.FundKey) -> Bool {
    textsOrder((a.unit, a.code), (b.unit, b.code))
  }

  private static func balanceKeyOrder(_ a: BalanceKey, _ b: BalanceKey) -> Bool {
    textsOrder((a.unit, a.fund, a.account.name), (b.unit, b.fund, b.account.name))
  }

  private static func assetKeyOrder(_ a: AssetAccountKey, _ b: AssetAccountKey) -> Bool {
    textsOrder((a.unit, a.account.name), (b.unit, b.account.name))
  }
}

/// An unambiguous byte encoding: every value is tagged, and every variable
/// length is prefixed with its length.
struct DigestWriter {
  private(set) var bytes: [UInt8] = []

  mutating func int(_ value: Int64) {
    bytes.append(0x49)
    withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func bytes(_ value: [UInt8]) {
    bytes.append(0x42)
    withUnsafeBytes(of: UInt64(value.count).bigEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: value)
  }

  mutating func string(_ value: String) {
    bytes.append(0x53)
    let utf8 = value.utf8
    withUnsafeBytes(of: UInt64(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: utf8)
  }

  /// `string(date.text)`, written from the date's digits without its text.
  mutating func date(_ date: AccountingDate) {
    bytes.append(0x53)
    withUnsafeBytes(of: UInt64(10).bigEndian) { bytes.append(contentsOf: $0) }
    var number = date.yyyymmdd
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { text in
      for index in stride(from: 9, through: 0, by: -1) {
        if index == 4 || index == 7 {
          text[index] = UInt8(ascii: "-")
          continue
        }
        text[index] = UInt8(ascii: "0") + UInt8(number % 10)
        number /= 10
      }
      bytes.append(contentsOf: text)
    }
  }

  /// The bytes another writer wrote, as if written here.
  mutating func append(_ other: DigestWriter) { bytes.append(contentsOf: other.bytes) }

  mutating func bool(_ value: Bool) { bytes.append(value ? 0x54 : 0x46) }

  mutating func hash(_ value: Hash32) {
    bytes.append(0x48)
    value.withUnsafeBytes { bytes.append(contentsOf: $0) }
  }

  mutating func none() { bytes.append(0x4E) }

  /// Marks the start of one item of a component.
  mutating func item() { bytes.append(0x2E) }

  mutating func optionalInt(_ value: Int64?) { if let value { int(value) } else { none() } }
  mutating func optionalString(_ value: String?) { if let value { string(value) } else { none() } }
  mutating func optionalHash(_ value: Hash32?) { if let value { hash(value) } else { none() } }

  mutating func balanceKey(_ key: BalanceKey) {
    string(key.unit)
    string(key.fund)
    string(key.account.name)
  }

  mutating func tierCounts(_ counts: [Tier: Int]) {
    for tier in [Tier.community, .street, .district] { int(Int64(counts[tier] ?? 0)) }
  }
}
