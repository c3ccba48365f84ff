import Foundation

/// The figures of one fund in a statement, in fen. Balances are money held
/// (bank, cash and in transit): closing = opening + in − out.
public struct FundFigures: Sendable, Equatable {
  public var code: String
  public var name: String
  public var restricted: Bool
  public var openingFen: Int64 = 0
  /// Channel raw value → gifts received.
  public var donationsFen: [String: Int64] = [:]
  /// Gifts taken back by reversing entries.
  public var reversalsFen: Int64 = 0
  public var allocationsInFen: Int64 = 0
  public var allocationsOutFen: Int64 = 0
  /// Allocations between units of a subtree statement: neither income nor
  /// spending of the subtree, shown apart.
  public var internalTransfersFen: Int64 = 0
  /// Purpose category raw value → payments.
  public var disbursementsFen: [String: Int64] = [:]
  public var releasesInFen: Int64 = 0
  public var releasesOutFen: Int64 = 0
  /// Opening balances brought in (期初余额转入, `opening.request`): money
  /// held before the ledger, not income of the period. Absent from the
  /// statement file when zero, so statements without openings keep their bytes.
  public var openingBalancesFen: Int64 = 0
  public var closingFen: Int64 = 0

  public init(code: String, name: String, restricted: Bool) {
    self.code = code
    self.name = name
    self.restricted = restricted
  }

  public var donationsTotalFen: Int64 { donationsFen.values.reduce(0, +) }
  public var disbursementsTotalFen: Int64 { disbursementsFen.values.reduce(0, +) }
  public var inFen: Int64 {
    donationsTotalFen + allocationsInFen + releasesInFen + openingBalancesFen
  }
  public var outFen: Int64 {
    reversalsFen + allocationsOutFen + disbursementsTotalFen + releasesOutFen
  }

  /// The same figures without the opening and closing balances.
  var movements: FundFigures {
    var copy = self
    copy.openingFen = 0
    copy.closingFen = 0
    return copy
  }
}

/// One thing an entry did to a fund's money.
enum FundEffect: Equatable {
  case donation(channel: String)
  case reversal
  case allocationIn, allocationOut, internalTransfer
  case disbursement(category: String)
  case releaseIn, releaseOut
  case openingBalance

  /// The change in money held.
  func delta(_ amountFen: Int64) -> Int64 {
    switch self {
    case .donation, .allocationIn, .releaseIn, .openingBalance: amountFen
    case .internalTransfer: 0
    case .reversal, .allocationOut, .disbursement, .releaseOut: -amountFen
    }
  }
}

/// What the entries of a log, read in order, say about units, funds and
/// money: enough of the ledger's state to recompute a statement from its
/// lines alone, or from the whole public log, without the ledger.
package struct StatementCatalogue {
  struct UnitInfo: Equatable {
    var code: String
    var name: String
    var tier: Tier
    var parent: String?
  }
  package struct FundInfo: Equatable {
    package var name: String
    package var restricted: Bool
  }
  package struct Donation {
    var unit: String
    var fund: String
    var channel: String
    var amountFen: Int64
  }
  struct Send {
    var from: String
    var to: String
    var fund: String
    var amountFen: Int64
  }
  struct Request {
    var release: Bool
    var unit: String
    var fund: String
    var amountFen: Int64
    var category: String
    /// An opening balance, booked on its request's date.
    var openingDate: AccountingDate? = nil
  }
  /// A role of a key, and the entries that prove it.
  package struct RoleProof {
    var unit: String
    var role: Role
    var publicKey: [UInt8]
    package var seqs: [Int64]
  }

  var units: [String: UnitInfo] = [:]
  package var unitOrder: [String] = []
  package var funds: [LedgerState.FundKey: FundInfo] = [:]
  package var fundOrder: [LedgerState.FundKey] = []
  package var donations: [Int64: Donation] = [:]
  var sends: [Int64: Send] = [:]
  var requests: [Int64: Request] = [:]
  var approvals: [Int64: [Int64]] = [:]
  /// Reversed seq → reversing seq.
  package var reversals: [Int64: Int64] = [:]
  /// Key id → roles, with the entries that granted them.
  package var roles: [String: [RoleProof]] = [:]
  /// Key ids revoked or rotated away, with the entry that did it.
  var retired: [String: Int64] = [:]

  package mutating func note(_ entry: Entry) {
    func raw(_ base64: String) -> [UInt8] { Data(base64Encoded: base64).map { [UInt8]($0) } ?? [] }
    switch entry.body {
    case .genesis(let body):
      let code = body.district.code
      addUnit(UnitInfo(code: code, name: body.district.name, tier: .district, parent: nil))
      roles[entry.author, default: []].append(
        RoleProof(unit: code, role: .admin, publicKey: raw(body.admin.publicKey), seqs: [entry.seq])
      )
    case .unitAdd(let body):
      addUnit(UnitInfo(code: body.code, name: body.name, tier: body.tier, parent: body.parent))
    case .fundOpen(let body):
      let key = LedgerState.FundKey(unit: body.unit, code: body.code)
      if funds[key] == nil { fundOrder.append(key) }
      funds[key] = FundInfo(name: body.name, restricted: body.restricted)
    case .donation(let body):
      donations[entry.seq] = Donation(
        unit: body.unit, fund: body.fund, channel: body.channel.rawValue, amountFen: body.amountFen)
    case .allocationSend(let body):
      sends[entry.seq] = Send(
        from: body.from, to: body.to, fund: body.fund, amountFen: body.amountFen)
    case .disbursementRequest(let body):
      requests[entry.seq] = Request(
        release: false, unit: body.unit, fund: body.fund, amountFen: body.amountFen,
        category: body.category.rawValue)
    case .fundRelease(let body):
      requests[entry.seq] = Request(
        release: true, unit: body.unit, fund: body.fund, amountFen: body.amountFen, category: "")
    case .openingRequest(let body):
      requests[entry.seq] = Request(
        release: false, unit: body.unit, fund: body.fund, amountFen: body.amountFen,
        category: "", openingDate: entry.date)
    case .disbursementApprove(let body):
      approvals[body.request, default: []].append(entry.seq)
    case .reversal(let body):
      reversals[body.seq] = entry.seq
    case .memberGrant(let body):
      roles[body.keyID, default: []].append(
        RoleProof(
          unit: body.unit, role: body.role, publicKey: raw(body.publicKey), seqs: [entry.seq]))
    case .memberRevoke(let body):
      retired[body.keyID] = entry.seq
    case .memberRotate(let body):
      retired[body.keyID] = entry.seq
      roles[body.newKeyID, default: []] += (roles[body.keyID] ?? []).map {
        RoleProof(
          unit: $0.unit, role: $0.role, publicKey: raw(body.publicKey), seqs: $0.seqs + [entry.seq])
      }
    default:
      break
    }
  }

  private mutating func addUnit(_ unit: UnitInfo) {
    if units[unit.code] == nil { unitOrder.append(unit.code) }
    units[unit.code] = unit
    let general = LedgerState.FundKey(unit: unit.code, code: Fund.generalCode)
    if funds[general] == nil { fundOrder.append(general) }
    funds[general] = FundInfo(name: Fund.generalName, restricted: false)
  }

  /// `code` and its ancestors, nearest first.
  package func lineage(of code: String) -> [String] {
    var chain: [String] = []
    var current: String? = code
    while let unit = current.flatMap({ units[$0] }), chain.count <= units.count {
      chain.append(unit.code)
      current = unit.parent
    }
    return chain
  }

  func subtree(of code: String) -> [String] {
    unitOrder.filter { lineage(of: $0).contains(code) }
  }

  /// A line's effects on funds of units in `scope`, and the earlier entries
  /// it needs to be understood (the request a payment pays, the gift a
  /// reversal takes back). Throws naming what is missing when a referenced
  /// entry is not known.
  func effects(of entry: Entry, scope: Set<String>) throws(StatementCalculator.Missing)
    -> (
      effects: [(unit: String, fund: String, effect: FundEffect, amountFen: Int64)], needs: [Int64]
    )
  {
    switch entry.body {
    case .donation:
      guard let gift = donations[entry.seq], scope.contains(gift.unit) else { return ([], []) }
      return ([(gift.unit, gift.fund, .donation(channel: gift.channel), gift.amountFen)], [])
    case .reversal(let body):
      let target = body.seq
      guard let gift = donations[target] else {
        throw .init(seq: entry.seq, needed: target, what: "所冲销的捐赠")
      }
      guard scope.contains(gift.unit) else { return ([], []) }
      return ([(gift.unit, gift.fund, .reversal, gift.amountFen)], [target])
    case .allocationConfirm(let body):
      let id = body.allocation
      guard let send = sends[id] else {
        throw .init(seq: entry.seq, needed: id, what: "所确认的划拨")
      }
      let fromIn = scope.contains(send.from)
      let toIn = scope.contains(send.to)
      if fromIn && toIn {
        return ([(send.from, send.fund, .internalTransfer, send.amountFen)], [id])
      }
      if fromIn { return ([(send.from, send.fund, .allocationOut, send.amountFen)], [id]) }
      if toIn { return ([(send.to, send.fund, .allocationIn, send.amountFen)], [id]) }
      return ([], [])
    case .disbursementPay(let body):
      let id = body.request
      guard let request = requests[id] else {
        throw .init(seq: entry.seq, needed: id, what: "所付款的申请")
      }
      guard scope.contains(request.unit) else { return ([], []) }
      let needs = [id] + (approvals[id] ?? [])
      if request.openingDate != nil {
        return ([(request.unit, request.fund, .openingBalance, request.amountFen)], needs)
      }
      if request.release {
        return (
          [
            (request.unit, request.fund, .releaseOut, request.amountFen),
            (request.unit, Fund.generalCode, .releaseIn, request.amountFen),
          ], needs
        )
      }
      return (
        [
          (request.unit, request.fund, .disbursement(category: request.category), request.amountFen)
        ],
        needs
      )
    default:
      return ([], [])
    }
  }

  /// An empty catalogue, for the facade to fill from the log.
  package init() {}
}

extension StatementCatalogue {
  /// The day an entry's money counts on: its own date, except for the
  /// payment of an opening balance, booked on the opening's date.
  func bookingDate(of entry: Entry) -> AccountingDate {
    if case .disbursementPay(let body) = entry.body,
      let date = requests[body.request]?.openingDate
    {
      return date
    }
    return entry.date
  }
}

/// Recomputes a statement's numbers from entries read in seq order: the
/// whole log up to the checkpoint (when a statement is made, or checked
/// against the public log), or only the statement's own lines (offline,
/// where the opening balances are taken from the statement).
package struct StatementCalculator {
  /// A line refers to an entry the calculator has not seen.
  package struct Missing: Error {
    package var seq: Int64
    package var needed: Int64
    package var what: String
  }

  let scope: Set<String>
  let period: StatementPeriod
  package var catalogue = StatementCatalogue()
  /// Fund code → figures, in the order funds were first met.
  package var funds: [String: FundFigures] = [:]
  package var fundOrder: [String] = []
  /// Entries whose numbers are in the period's figures.
  package var counted: [Int64] = []
  /// Earlier or later entries the counted ones need to be read.
  package var context: Set<Int64> = []
  private var overflow = false

  package init(scope: Set<String>, period: StatementPeriod) {
    self.scope = scope
    self.period = period
  }

  package mutating func add(_ entry: Entry) throws(Missing) {
    catalogue.note(entry)
    let (effects, needs) = try catalogue.effects(of: entry, scope: scope)
    let date = catalogue.bookingDate(of: entry)
    guard !effects.isEmpty, date <= period.to else { return }
    let inPeriod = date >= period.from
    if inPeriod {
      counted.append(entry.seq)
      context.formUnion(needs)
    }
    for (_, fund, effect, amount) in effects {
      var figures = funds[fund] ?? FundFigures(code: fund, name: fund, restricted: false)
      if funds[fund] == nil { fundOrder.append(fund) }
      let delta = effect.delta(amount)
      add(&figures.closingFen, delta)
      if !inPeriod {
        add(&figures.openingFen, delta)
      } else {
        switch effect {
        case .donation(let channel): add(&figures.donationsFen[channel, default: 0], amount)
        case .reversal: add(&figures.reversalsFen, amount)
        case .allocationIn: add(&figures.allocationsInFen, amount)
        case .allocationOut: add(&figures.allocationsOutFen, amount)
        case .internalTransfer: add(&figures.internalTransfersFen, amount)
        case .disbursement(let category):
          add(&figures.disbursementsFen[category, default: 0], amount)
        case .releaseIn: add(&figures.releasesInFen, amount)
        case .releaseOut: add(&figures.releasesOutFen, amount)
        case .openingBalance: add(&figures.openingBalancesFen, amount)
        }
      }
      funds[fund] = figures
    }
  }

  private mutating func add(_ total: inout Int64, _ amount: Int64) {
    let (sum, overflowed) = total.addingReportingOverflow(amount)
    overflow = overflow || overflowed || sum.magnitude > UInt64(Money.fenMax)
    total = overflowed ? 0 : sum
  }

  /// True when some total left the range an amount may take.
  package var overflowed: Bool { overflow }
}
