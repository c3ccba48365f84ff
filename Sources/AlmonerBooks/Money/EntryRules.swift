/// The rules for each kind of entry after genesis: who may sign it, what its
/// body must hold, which postings it makes. Each rule checks everything before
/// it changes anything.
extension LedgerState {
  /// Most postings one entry may make.
  static let postingsPerEntryMax = 16

  mutating func applyRules(
    _ entry: Entry, lookup: some EntryLookup, changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    switch entry.body {
    case .genesis: preconditionFailure("genesis is applied by LedgerState.apply")
    case .unitAdd(let body): try applyUnitAdd(entry, body, &changes)
    case .memberGrant(let body): try applyMemberGrant(entry, body, &changes)
    case .memberRevoke(let body): try applyMemberRevoke(entry, body, &changes)
    case .memberRotate(let body): try applyMemberRotate(entry, body, &changes)
    case .fundOpen(let body): try applyFundOpen(entry, body, &changes)
    case .donation(let body): try applyDonation(entry, body, &changes)
    case .allocationSend(let body): try applyAllocationSend(entry, body, &changes)
    case .allocationConfirm(let body):
      try applyAllocationSettle(entry, body, confirming: true, &changes)
    case .allocationVoid(let body):
      try applyAllocationSettle(entry, body, confirming: false, &changes)
    case .reversal(let body): try applyReversal(entry, body, lookup, &changes)
    case .checkpoint(let body): try applyCheckpoint(entry, body, lookup, &changes)
    case .checkpointCosign(let body): try applyCosignature(entry, body, &changes)
    case .policySet(let body): try applyPolicySet(entry, body, &changes)
    case .disbursementRequest(let body): try applyDisbursementRequest(entry, body, &changes)
    case .fundRelease(let body): try applyReleaseRequest(entry, body, &changes)
    case .openingRequest(let body): try applyOpeningRequest(entry, body, &changes)
    case .disbursementApprove(let body): try applyApproval(entry, body, &changes)
    case .disbursementReject(let body):
      try body.validate()
      try applyClosing(entry, request: body.request, reason: body.reason, &changes)
    case .disbursementCancel(let body):
      try body.validate()
      try applyClosing(entry, request: body.request, reason: body.reason, &changes)
    case .disbursementPay(let body): try applyPayment(entry, body, &changes)
    case .reconciliation(let body): try applyReconciliation(entry, body, &changes)
    case .erasure(let body): try applyErasure(entry, body, lookup, &changes)
    case .statementPublish(let body): try applyStatementPublish(entry, body, &changes)
    case .audit(let body): try applyAudit(entry, body)
    case .auditNote(let body): try applyAuditNote(entry, body, lookup)
    }
  }

  // MARK: Checks shared by the rules

  func requireUnit(_ code: String) throws(AlmonerError) -> Unit {
    guard let unit = units[code] else { throw .refused(.unitCodeUnknown(code: code)) }
    return unit
  }

  func requireFund(_ code: String, of unit: String) throws(AlmonerError) -> Fund {
    guard let fund = funds[FundKey(unit: unit, code: code)] else {
      throw .refused(.fundCodeUnknown(unit: unit, code: code))
    }
    return fund
  }

  func requireRole(_ roles: [Role], on unit: String, _ entry: Entry) throws(AlmonerError) {
    guard roles.contains(where: { holds($0, on: unit, keyID: entry.author) }) else {
      let name = keys[entry.author]?.name ?? entry.author
      let needed = roles.map(\.displayName).joined(separator: "或")
      let unitName = units[unit].map { "\($0.name)（\(unit)）" } ?? unit
      throw .refused(
        .roleRequired(
          name: name, keyID: entry.author, unit: unitName, roles: needed,
          action: entry.kind.actionName))
    }
  }

  /// Applies balanced postings, refusing any that would take money held
  /// (bank, cash, in transit) of a fund below zero, now or, for a
  /// back-dated outflow, at the end of any day from its date on.
  mutating func post(
    _ postings: [Posting], on date: AccountingDate, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    precondition(!postings.isEmpty && postings.count <= LedgerState.postingsPerEntryMax)
    // Few postings per entry: pairwise scans beat building dictionaries.
    for posting in postings {
      var fundSum: Int64 = 0
      for other in postings where other.unit == posting.unit && other.fund == posting.fund {
        fundSum += other.amountFen
      }
      precondition(fundSum == 0, "postings must balance per unit and fund")
    }
    // Each balance is looked up once: `old` is the balance before this
    // entry, `balance` the one after it.
    var updated: [(key: BalanceKey, old: Int64, balance: Int64)] = []
    updated.reserveCapacity(postings.count)
    for posting in postings {
      let key = BalanceKey(unit: posting.unit, fund: posting.fund, account: posting.account)
      let index = updated.firstIndex { $0.key == key }
      let old = index.map { updated[$0].old } ?? balance(key)
      let current = index.map { updated[$0].balance } ?? old
      let (sum, overflow) = current.addingReportingOverflow(posting.amountFen)
      guard !overflow, sum.magnitude <= UInt64(Money.fenMax) else {
        throw .refused(.balanceOverLimit(unit: posting.unit, account: posting.account.displayName))
      }
      if let index { updated[index].balance = sum } else { updated.append((key, old, sum)) }
    }
    for posting in postings {
      let rollup = RollupKey(fund: posting.fund, account: posting.account)
      let (total, overflow) = (rollupTotals[rollup] ?? 0).addingReportingOverflow(
        posting.amountFen)
      guard !overflow, total.magnitude <= UInt64(Money.fenMax) else {
        throw .refused(
          .districtTotalOverLimit(account: posting.account.displayName, limitFen: Money.fenMax))
      }
    }
    for (key, old, value) in updated where key.account.category == .assets && value < 0 {
      let fund = funds[FundKey(unit: key.unit, code: key.fund)]?.name ?? key.fund
      let held = Money(fen: old)
      throw .refused(
        .balanceInsufficient(
          unit: "\(units[key.unit]?.name ?? key.unit)（\(key.unit)）", fund: fund,
          account: key.account.displayName, heldFen: held.fen))
    }
    try requireUnreconciled(postings, on: date)
    for (key, old, value) in updated where key.account.category == .assets {
      let deltaFen = value - old
      guard deltaFen < 0, let days = assetDays[key], let latest = days.latest, date < latest,
        let negative = days.firstNegativeDay(
          from: date, adding: deltaFen, closingFen: old)
      else { continue }
      let fund = funds[FundKey(unit: key.unit, code: key.fund)]?.name ?? key.fund
      throw .refused(
        .balanceNegativeOnDay(
          unit: unitLabel(key.unit), fund: fund, account: key.account.displayName,
          day: "\(negative.day)", balanceFen: negative.balanceFen, date: "\(date)",
          outflowFen: -deltaFen))
    }
    try noteAssetPostings(postings, on: date)
    // One hash lookup per key below (through the index it returns).
    for posting in postings {
      let rollup = RollupKey(fund: posting.fund, account: posting.account)
      if let index = rollupTotals.index(forKey: rollup) {
        rollupTotals.values[index] += posting.amountFen
        if rollupTotals.values[index] == 0 { rollupTotals.remove(at: index) }
      } else if posting.amountFen != 0 {
        rollupTotals[rollup] = posting.amountFen
      }
    }
    for (key, old, value) in updated {
      if key.account.category == .assets, value != old {
        if let index = assetDays.index(forKey: key) {
          assetDays.values[index].add(value - old, on: date)
          if assetDays.values[index].isEmpty { assetDays.remove(at: index) }
        } else {
          var days = AssetDays()
          days.add(value - old, on: date)
          assetDays[key] = days
        }
      }
      if let index = balances.index(forKey: key) {
        if value == 0 { balances.remove(at: index) } else { balances.values[index] = value }
      } else if value != 0 {
        balances[key] = value
      }
    }
    for posting in postings { changes.postings.append((date, posting)) }
  }

  // MARK: Units, members, funds

  private mutating func applyUnitAdd(
    _ entry: Entry, _ body: UnitAddBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let code = body.code
    try UnitRules.checkCode(code)
    try body.validate()
    let name = body.name
    let parent = try requireUnit(body.parent)
    let tier = body.tier
    try requireRole([.admin], on: parent.code, entry)
    guard units[code] == nil else { throw .refused(.unitCodeTaken(code: code)) }
    try requireDistinctUnitName(name, code: code)
    guard let childTier = parent.tier.childTier else {
      throw .refused(.unitUnderCommunity(parentName: parent.name))
    }
    guard tier == childTier else {
      throw .refused(
        .unitTierMisplaced(
          tier: tier.displayName, parentTier: parent.tier.displayName, parentName: parent.name,
          childTier: childTier.displayName))
    }
    let unit = Unit(code: code, name: name, tier: tier, parent: parent.code, createdSeq: entry.seq)
    let fund = Fund.general(of: code, openedSeq: entry.seq)
    units[code] = unit
    funds[FundKey(unit: code, code: fund.code)] = fund
    changes.units.append(unit)
    changes.funds.append(fund)
  }

  private mutating func applyMemberGrant(
    _ entry: Entry, _ body: MemberGrantBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let unit = try requireUnit(body.unit)
    let role = body.role
    let name = body.name
    let publicKey = try body.validate()
    let keyID = body.keyID
    try requireAppointer(role, on: unit.code, entry)
    if let known = keys[keyID] {
      if let revoked = known.revokedSeq {
        throw .refused(.grantKeyRevoked(keyID: keyID, name: known.name, seq: revoked))
      }
      if activeGrants(of: keyID).contains(where: { $0.unit == unit.code && $0.role == role }) {
        throw .refused(
          .roleAlreadyHeld(
            name: known.name, keyID: keyID, unit: unit.name, role: role.displayName))
      }
      try requireCompatibleDuty(role, on: unit, keyID: keyID)
    } else {
      // A new key is a new person (a person's next key comes by `member.rotate`).
      let key = MemberKey(
        keyID: keyID, publicKey: publicKey, name: name, revokedSeq: nil, personID: keyID)
      keys[keyID] = key
      changes.keys.append(key)
    }
    let grant = Grant(
      keyID: keyID, unit: unit.code, role: role, name: name, grantedSeq: entry.seq, revokedSeq: nil)
    grants.append(grant)
    changes.grants.append(grant)
  }

  private mutating func applyMemberRevoke(
    _ entry: Entry, _ body: MemberRevokeBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    try body.validate()
    let keyID = body.keyID
    guard let key = keys[keyID] else { throw .refused(.memberKeyUnknown(keyID: keyID)) }
    if let revoked = key.revokedSeq {
      throw .refused(.memberKeyRevoked(keyID: keyID, name: key.name, seq: revoked))
    }
    let active = activeGrants(of: keyID)
    for grant in active { try requireAppointer(grant.role, on: grant.unit, entry) }
    if active.isEmpty, let district { try requireRole([.admin], on: district.code, entry) }
    let remainingRootAdmins = grants.filter {
      $0.role == .admin && $0.unit == district?.code && $0.revokedSeq == nil && $0.keyID != keyID
    }
    guard !remainingRootAdmins.isEmpty else {
      throw .refused(.lastDistrictAdmin(name: key.name))
    }
    keys[keyID]?.revokedSeq = entry.seq
    for index in grants.indices
    where grants[index].keyID == keyID && grants[index].revokedSeq == nil {
      grants[index].revokedSeq = entry.seq
    }
    changes.revokedKeys.append((keyID, entry.seq))
    // A key taken away before a payment takes its approvals with it.
    voidApprovals(by: keyID, seq: entry.seq, &changes)
  }

  private mutating func applyFundOpen(
    _ entry: Entry, _ body: FundOpenBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let unit = try requireUnit(body.unit)
    let code = body.code
    try UnitRules.checkFundCode(code)
    try body.validate()
    let name = body.name
    let restricted = body.restricted
    let purpose = body.purpose
    let category = body.category
    try requireRole([.admin, .treasurer], on: unit.code, entry)
    guard restricted == (purpose != nil) else {
      throw .refused(restricted ? .fundPurposeMissing : .fundPurposeUnrestricted)
    }
    guard category == nil || restricted else { throw .refused(.fundCategoryUnrestricted) }
    guard funds[FundKey(unit: unit.code, code: code)] == nil else {
      throw .refused(.fundCodeTaken(unit: unit.name, code: code))
    }
    try requireDistinctFundName(name, code: code, unit: unit)
    let fund = Fund(
      unit: unit.code, code: code, name: name, restricted: restricted, purpose: purpose,
      openedSeq: entry.seq, category: category)
    funds[FundKey(unit: unit.code, code: code)] = fund
    changes.funds.append(fund)
  }

  // MARK: Money

  private mutating func applyDonation(
    _ entry: Entry, _ body: DonationBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let unit = try requireUnit(body.unit)
    let fund = try requireFund(body.fund, of: unit.code)
    try body.validate()
    let amount = body.amountFen
    let channel = body.channel
    try requireRole([.treasurer], on: unit.code, entry)
    let asset = channel == .cash ? Account.cash : Account.bank
    try post(
      [
        Posting(unit: unit.code, fund: fund.code, account: asset, amountFen: amount),
        Posting(
          unit: unit.code, fund: fund.code, account: .donations(channel), amountFen: -amount),
      ], on: entry.date, &changes)
  }

  private mutating func applyAllocationSend(
    _ entry: Entry, _ body: AllocationSendBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let from = try requireUnit(body.from)
    let to = try requireUnit(body.to)
    let fundCode = body.fund
    try body.validate()
    let amount = body.amountFen
    guard from.parent == to.code || to.parent == from.code else {
      throw .refused(.allocationNotAdjacent(from: from.name, to: to.name))
    }
    let fund = try requireFund(fundCode, of: from.code)
    let receiving = try requireFund(fundCode, of: to.code)
    // Restricted money stays restricted, to the same purpose, across tiers.
    guard receiving.restricted == fund.restricted, receiving.category == fund.category else {
      throw .refused(
        .allocationFundsDiffer(
          to: to.name, receivingFund: receiving.name, from: from.name, fund: fund.name))
    }
    try requireRole([.treasurer], on: from.code, entry)
    try requireUnreserved(unit: from.code, fund: fund.code, account: .bank, outflowFen: amount)
    try post(
      [
        Posting(unit: from.code, fund: fund.code, account: .inTransit, amountFen: amount),
        Posting(unit: from.code, fund: fund.code, account: .bank, amountFen: -amount),
      ], on: entry.date, &changes)
    let allocation = Allocation(
      id: entry.seq, from: from.code, to: to.code, fund: fund.code, amountFen: amount,
      date: entry.date, status: .inTransit, settledSeq: nil)
    allocations[entry.seq] = allocation
    changes.allocations[entry.seq] = allocation
  }

  private mutating func applyAllocationSettle(
    _ entry: Entry, _ body: AllocationSettleBody, confirming: Bool,
    _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let id = body.allocation
    guard var allocation = allocations[id] else { throw .refused(.allocationUnknown(id: id)) }
    guard allocation.status == .inTransit else {
      throw .refused(
        .allocationSettled(
          id: id, status: allocation.status.displayName, seq: allocation.settledSeq ?? 0))
    }
    try requireRole([.treasurer], on: confirming ? allocation.to : allocation.from, entry)
    guard entry.date >= allocation.date else {
      throw .refused(
        .allocationDateBeforeSent(
          confirming: confirming, date: "\(entry.date)", id: id, sentDate: "\(allocation.date)"))
    }
    let amount = allocation.amountFen
    let fund = allocation.fund
    if confirming {
      try post(
        [
          Posting(unit: allocation.from, fund: fund, account: .allocationsOut, amountFen: amount),
          Posting(unit: allocation.from, fund: fund, account: .inTransit, amountFen: -amount),
          Posting(unit: allocation.to, fund: fund, account: .bank, amountFen: amount),
          Posting(unit: allocation.to, fund: fund, account: .allocationsIn, amountFen: -amount),
        ], on: entry.date, &changes)
    } else {
      try post(
        [
          Posting(unit: allocation.from, fund: fund, account: .bank, amountFen: amount),
          Posting(unit: allocation.from, fund: fund, account: .inTransit, amountFen: -amount),
        ], on: entry.date, &changes)
    }
    allocation.status = confirming ? .confirmed : .voided
    allocation.settledSeq = entry.seq
    allocations[id] = allocation
    changes.allocations[id] = allocation
  }

  private mutating func applyReversal(
    _ entry: Entry, _ body: ReversalBody, _ lookup: some EntryLookup,
    _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let target = body.seq
    try body.validate()
    guard target >= 0, target < entry.seq, let original = try lookup.entry(at: target) else {
      throw .refused(.reversalTargetMissing(seq: target))
    }
    if let by = reversals[target] {
      throw .refused(.reversalRepeated(seq: target, by: by))
    }
    guard case .donation(let donation) = original.body else {
      throw .refused(
        .reversalNotDonation(
          seq: target, kindName: original.kind.displayName,
          inTransit: original.kind == .allocationSend))
    }
    let unit = donation.unit
    let fund = donation.fund
    let amount = donation.amountFen
    let channel = donation.channel
    try requireRole([.treasurer], on: unit, entry)
    guard entry.date >= original.date else {
      throw .refused(
        .reversalDateBeforeOriginal(
          date: "\(entry.date)", seq: target, originalDate: "\(original.date)"))
    }
    let asset = channel == .cash ? Account.cash : Account.bank
    try requireUnreserved(unit: unit, fund: fund, account: asset, outflowFen: amount)
    try post(
      [
        Posting(unit: unit, fund: fund, account: asset, amountFen: -amount),
        Posting(unit: unit, fund: fund, account: .donations(channel), amountFen: amount),
      ], on: entry.date, &changes)
    reversals[target] = entry.seq
    changes.reversals.append((target, entry.seq))
  }
}

/// Format rules for codes.
package enum UnitRules {
  static let codeLengthMax = 32

  /// Unit codes are stable ASCII: upper-case letters, digits and hyphens (`GA-BC-JSL`).
  package static func checkCode(_ code: String) throws(AlmonerError) {
    let valid =
      !code.isEmpty && code.utf8.count <= codeLengthMax && code.utf8.first != UInt8(ascii: "-")
      && code.utf8.allSatisfy {
        ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-")
      }
    guard valid else {
      throw .refused(.unitCodeInvalid(code: code, max: codeLengthMax))
    }
  }

  /// Fund codes are ASCII: lower-case letters, digits and hyphens (`elderly-canteen`).
  package static func checkFundCode(_ code: String) throws(AlmonerError) {
    let valid =
      !code.isEmpty && code.utf8.count <= codeLengthMax && code.utf8.first != UInt8(ascii: "-")
      && code.utf8.allSatisfy {
        ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-")
      }
    guard valid else {
      throw .refused(.fundCodeInvalid(code: code, max: codeLengthMax))
    }
  }
}
