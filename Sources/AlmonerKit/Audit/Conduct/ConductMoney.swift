/// Donations, allocations and reversals: `duplicate-reference`,
/// `allocation-in-transit`, `unusual-amount` for donations, `late-entry`,
/// and the figures of the yearly ratios, `statement-missing` and
/// `restricted-fund-unused`.
extension ConductAuditor {
  mutating func visitDonation(_ entry: Entry, _ body: DonationBody) {
    guard let index = unitIndex[body.unit] else { return }
    let amount = body.amountFen
    noteActivity(index, entry.date)
    noteLate(entry, unit: body.unit)
    if let ref = body.ref {
      // Order numbers are ASCII; anything else is compared after NFKC. With
      // an index, ASCII ones are found there at the end.
      let ascii = ref.utf8.allSatisfy { $0 < 0x80 }
      let key = ascii ? ref : ref.precomposedStringWithCompatibilityMapping
      let remembered = !ascii || referenceIndex == nil
      let seen = ReferenceSeen(
        seq: entry.seq, unit: Int32(index), day: Int32(clamping: entry.date.daysSince1970))
      if remembered {
        if referenceFirst[key] == nil {
          referenceFirst[key] = seen
        } else {
          referenceRepeats[key, default: []].append(seen)
        }
      }
    }
    let count = units[index].donationCount
    if count >= rules.unusualCountMin, inScope([body.unit]), judged(entry.date) {
      let mean = units[index].donationSumFen / count
      if amount > mean * rules.unusualFactor {
        report(
          ConductCode.unusualAmount, .notice, units: [body.unit], seqs: [entry.seq],
          "\(unitLabel(body.unit))记录 #\(entry.seq) 收到\(body.donor.display)捐赠 \(ConductAuditor.yuan(amount))，是该单位此前 \(count) 笔捐赠平均金额 \(ConductAuditor.yuan(mean)) 的 \(amount / max(mean, 1)) 倍以上（提示界线 \(rules.unusualFactor) 倍）；请核实金额是否录错",
          "Entry #\(entry.seq) of \(unitLabelEnglish(body.unit)) records a donation of \(ConductAuditor.yuan(amount)) from \(body.donor.display), over \(amount / max(mean, 1)) times the mean \(ConductAuditor.yuan(mean)) of its \(count) earlier donations (the line is \(rules.unusualFactor) times); check the amount was entered right"
        )
      }
    }
    units[index].donationCount += 1
    units[index].donationSumFen += amount
    units[index].years[entry.date.yearNumber, default: YearFigures()].incomeFen += amount
    // Only gifts received by the cutoff count, so only they are kept (for a
    // later reversal to take off).
    if entry.date <= unusedCutoff, let key = restrictedKey(body.unit, body.fund) {
      restrictedDonations[entry.seq] = (key, amount, entry.date)
      funds[key]?.receivedEarlyFen += amount
    }
  }

  mutating func visitReversal(_ entry: Entry, _ body: ReversalBody) {
    reversed.insert(body.seq)
    if let gift = restrictedDonations.removeValue(forKey: body.seq) {
      funds[gift.fund]?.receivedEarlyFen -= gift.amountFen
    }
  }

  // MARK: Allocations

  mutating func visitAllocationSend(_ entry: Entry, _ body: AllocationSendBody) {
    allocations[entry.seq] = ConductAllocation(
      seq: entry.seq, from: body.from, to: body.to, fund: body.fund, amountFen: body.amountFen,
      date: entry.date)
    if let index = unitIndex[body.from] { noteActivity(index, entry.date) }
    if let index = unitIndex[body.to] { noteActivity(index, entry.date) }
    noteLate(entry, unit: body.from)
    if let key = restrictedKey(body.from, body.fund) { funds[key]?.spentFen += body.amountFen }
  }

  mutating func visitAllocationSettle(
    _ entry: Entry, _ body: AllocationSettleBody, confirmed: Bool
  ) {
    guard let allocation = allocations.removeValue(forKey: body.allocation) else { return }
    noteLate(entry, unit: confirmed ? allocation.to : allocation.from)
    let days = entry.date.daysSince1970 - allocation.date.daysSince1970
    if days > rules.inTransitDaysMax, inScope([allocation.from, allocation.to]),
      overlaps(allocation.date, entry.date)
    {
      reportInTransit(allocation, days: days, settled: (entry.seq, confirmed))
    }
    if confirmed {
      let year = entry.date.yearNumber
      if let index = unitIndex[allocation.to] {
        units[index].years[year, default: YearFigures()].incomeFen += allocation.amountFen
      }
      if let index = unitIndex[allocation.from] {
        units[index].years[year, default: YearFigures()].charitableFen += allocation.amountFen
      }
      if let key = restrictedKey(allocation.to, allocation.fund), entry.date <= unusedCutoff {
        funds[key]?.receivedEarlyFen += allocation.amountFen
      }
    } else if let key = restrictedKey(allocation.from, allocation.fund) {
      funds[key]?.spentFen -= allocation.amountFen
    }
  }

  mutating func reportInTransit(
    _ allocation: ConductAllocation, days: Int64, settled: (seq: Int64, confirmed: Bool)?
  ) {
    let tail =
      settled.map { "，记录 #\($0.seq) 才\($0.confirmed ? "确认" : "撤回")" } ?? "，至 \(asOf) 仍未确认或撤回"
    let tailEnglish =
      settled.map { " and was \($0.confirmed ? "confirmed" : "voided") only in entry #\($0.seq)" }
      ?? " and is still neither confirmed nor voided on \(asOf)"
    var seqs = [allocation.seq]
    if let settled { seqs.append(settled.seq) }
    report(
      ConductCode.allocationInTransit, .warning, units: [allocation.from, allocation.to],
      seqs: seqs,
      "\(unitLabel(allocation.from))于 \(allocation.date) 划拨给\(unitLabel(allocation.to))的 \(ConductAuditor.yuan(allocation.amountFen))（划拨 #\(allocation.seq)）在途 \(days) 天（上限 \(rules.inTransitDaysMax) 天）\(tail)；请接收单位确认收款，或由发出单位撤回",
      "The allocation of \(ConductAuditor.yuan(allocation.amountFen)) from \(unitLabelEnglish(allocation.from)) to \(unitLabelEnglish(allocation.to)) sent on \(allocation.date) (allocation #\(allocation.seq)) was in transit for \(days) days (limit \(rules.inTransitDaysMax))\(tailEnglish); the receiving unit should confirm it, or the sender void it"
    )
  }

  // MARK: Quarters, statements, late entries

  mutating func noteActivity(_ index: Int, _ date: AccountingDate) {
    guard rules.isEnabled(ConductCode.statementMissing), statementReader != nil else { return }
    let quarter = date.quarterIndex
    // Entries come roughly in date order: most are in the last quarter seen.
    guard units[index].lastActiveQuarter != quarter else { return }
    units[index].lastActiveQuarter = quarter
    units[index].activeQuarters.insert(quarter)
  }

  mutating func notePublication(_ publication: ConductPublication) {
    guard let index = unitIndex[publication.unit],
      let period = try? StatementPeriod(publication.period)
    else { return }
    switch publication.period.utf8.count {
    case 4: units[index].publishedYears.insert(period.from.yearNumber)
    case 7 where publication.period.contains("Q"):
      units[index].publishedQuarters.insert(period.from.quarterIndex)
    default: units[index].publishedMonths.insert(period.from.monthIndex)
    }
  }

  /// Groups money entries of `unit` whose date is more than the limit before
  /// the day they were recorded (in the ledger's time zone), by unit and
  /// recording day.
  mutating func noteLate(_ entry: Entry, unit: String) {
    // The usual case, recorded on its own date, costs one comparison.
    if entry.time.utf8.prefix(10).elementsEqual(entry.date.text.utf8) { return }
    guard let seconds = LedgerClock.unixSeconds(entryTime: entry.time) else { return }
    let recordedDay = (seconds + zoneOffsetSeconds) / 86_400
    let days = recordedDay - entry.date.daysSince1970
    // In the period when dated in it, or recorded in it.
    guard days > rules.lateEntryDaysMax, inScope([unit]),
      judged(entry.date) || judged(AccountingDate(daysSince1970: recordedDay))
    else { return }
    let key = "\(unit)|\(recordedDay)"
    var group =
      lateGroups[key] ?? LateGroup(unit: unit, recordedDay: recordedDay, earliest: entry.date)
    if lateGroups[key] == nil { lateGroupOrder.append(key) }
    group.count += 1
    if group.seqs.count < ConductAuditor.seqsPerFindingMax { group.seqs.append(entry.seq) }
    group.earliest = min(group.earliest, entry.date)
    group.daysMax = max(group.daysMax, days)
    lateGroups[key] = group
  }

  // MARK: Findings made at the end

  mutating func finishReferences() {
    let groups: [(ref: String, seen: [ReferenceSeen])]
    if let referenceIndex {
      do {
        groups = try indexedReferenceGroups(referenceIndex)
      } catch {
        report(
          ConductCode.duplicateReference, .notice, units: [], seqs: [],
          "无法读取外部流水号索引（\(error)），本次审计没有检查重复的流水号",
          "The index of external references could not be read (\(error)); duplicate references were not checked"
        )
        return
      }
    } else {
      groups = referenceRepeats.compactMap { ref, repeats in
        referenceFirst[ref].map { (ref: ref, seen: [$0] + repeats) }
      }
    }
    for (ref, seen) in groups.sorted(by: { $0.seen[0].seq < $1.seen[0].seq }) {
      let kept = seen.filter { !reversed.contains($0.seq) }
      guard kept.count >= 2 else { continue }
      let codes = kept.map { units[Int($0.unit)].code }.uniqued()
      guard inScope(codes),
        kept.contains(where: { judged(AccountingDate(daysSince1970: Int64($0.day))) })
      else { continue }
      let seqs = kept.map(\.seq)
      let labels = codes.map { unitLabel($0) }.joined(separator: "、")
      let labelsEnglish = codes.map { unitLabelEnglish($0) }.joined(separator: ", ")
      report(
        ConductCode.duplicateReference, .warning, units: codes, seqs: seqs,
        "\(labels)的外部流水号「\(ref)」记了 \(seqs.count) 笔捐赠（\(ConductAuditor.seqList(seqs))）：同一笔到账只应记一次；若确属重复，请用 `almoner reverse` 冲销多记的一笔",
        "In \(labelsEnglish) the external reference \(ref) is on \(seqs.count) donations (\(ConductAuditor.seqListEnglish(seqs))): one payment should be recorded once; if it is a duplicate, reverse the extra one with `almoner reverse`"
      )
    }
  }

  /// The groups of donations sharing a reference, from the index for ASCII
  /// references and from memory for the others (each merged with the ASCII
  /// donations its normalised form names).
  private func indexedReferenceGroups(_ index: any ReferenceIndex) throws -> [(
    ref: String, seen: [ReferenceSeen]
  )] {
    func seen(_ seqs: [Int64]) throws -> [ReferenceSeen] {
      try seqs.compactMap { seq in
        guard let (unit, date) = try index.donation(at: seq), let position = unitIndex[unit] else {
          return nil
        }
        return ReferenceSeen(
          seq: seq, unit: Int32(position), day: Int32(clamping: date.daysSince1970))
      }
    }
    var groups: [String: [ReferenceSeen]] = [:]
    for (key, first) in referenceFirst {
      var members = [first] + (referenceRepeats[key] ?? [])
      if key.utf8.allSatisfy({ $0 < 0x80 }) { members += try seen(index.donations(holding: key)) }
      if members.count > 1 { groups[key] = members.sorted { $0.seq < $1.seq } }
    }
    for (ref, seqs) in try index.repeatedReferences() where groups[ref] == nil {
      groups[ref] = try seen(seqs)
    }
    return groups.map { (ref: $0.key, seen: $0.value) }
  }

  mutating func finishOpenItems() {
    for allocation in allocations.values.sorted(by: { $0.seq < $1.seq }) {
      let days = asOfDay - allocation.date.daysSince1970
      guard days > rules.inTransitDaysMax, inScope([allocation.from, allocation.to]),
        overlaps(allocation.date, asOf)
      else { continue }
      reportInTransit(allocation, days: days, settled: nil)
    }
    for request in requests.values.sorted(by: { $0.seq < $1.seq }) {
      guard let approved = request.approved else { continue }
      let days = asOfDay - approved.date.daysSince1970
      guard days > rules.approvedUnpaidDaysMax, inScope([request.unit]),
        overlaps(approved.date, asOf)
      else { continue }
      reportUnpaid(request, approvedSeq: approved.seq, days: days, paidSeq: nil)
    }
  }

  mutating func finishLateEntries() {
    for key in lateGroupOrder {
      guard let group = lateGroups[key] else { continue }
      let recorded = AccountingDate(daysSince1970: group.recordedDay)
      let more = group.count > group.seqs.count ? "等 \(group.count) 条" : " \(group.count) 条"
      let moreEnglish = group.count > group.seqs.count ? ", \(group.count) in all" : ""
      report(
        ConductCode.lateEntry, .notice, units: [group.unit], seqs: group.seqs,
        "\(unitLabel(group.unit))于 \(recorded) 补记了\(more)资金记录（\(ConductAuditor.seqList(group.seqs))），记账日期最早为 \(group.earliest)，最多早 \(group.daysMax) 天（提示界线 \(rules.lateEntryDaysMax) 天）；请核实补记的原因和凭证",
        "\(unitLabelEnglish(group.unit)) recorded money entries on \(recorded) (\(ConductAuditor.seqListEnglish(group.seqs))\(moreEnglish)) dated as early as \(group.earliest), up to \(group.daysMax) days before (the line is \(rules.lateEntryDaysMax) days); check why they were recorded late, and their vouchers"
      )
    }
  }

  /// Per unit: missing statements, and the yearly ratios.
  mutating func finishUnits() {
    for index in units.indices where inScope([units[index].code]) {
      let unit = units[index]
      if statementReader != nil {
        for quarter in unit.activeQuarters.sorted() {
          let end = AccountingDate.quarterEnd(quarter)
          guard end.daysSince1970 + rules.statementGraceDays < asOfDay,
            overlaps(AccountingDate.quarterStart(quarter), end),
            !unit.publishedQuarters.contains(quarter),
            !unit.publishedYears.contains(quarter / 4),
            !(0..<3).allSatisfy({ unit.publishedMonths.contains(quarter * 3 + $0) })
          else { continue }
          report(
            ConductCode.statementMissing, .notice, units: [unit.code], seqs: [],
            "\(unitLabel(unit.code))\(AccountingDate.quarterName(quarter))有资金往来，季度已于 \(end) 结束，宽限 \(rules.statementGraceDays) 天后仍未发布该季度的公示；请用 `almoner statement create --unit \(unit.code) --period \(AccountingDate.quarterCode(quarter))` 编制并发布",
            "\(unitLabelEnglish(unit.code)) had money in \(AccountingDate.quarterCode(quarter)), which ended on \(end), and \(rules.statementGraceDays) days later has published no statement for it; make and publish one with `almoner statement create --unit \(unit.code) --period \(AccountingDate.quarterCode(quarter))`"
          )
        }
      }
      for month in unit.roundMonths.keys.sorted() {
        guard let figures = unit.roundMonths[month] else { continue }
        checkRoundNumbers(unit, month, figures)
      }
      for year in unit.years.keys.sorted() {
        guard let figures = unit.years[year] else { continue }
        let start = (try? AccountingDate("\(year)-01-01")) ?? asOf
        let end = (try? AccountingDate("\(year)-12-31")) ?? asOf
        guard overlaps(start, end) else { continue }
        checkAdminShare(unit, year, figures)
        checkCharitableShare(unit, year, figures)
      }
    }
  }

  private mutating func checkRoundNumbers(
    _ unit: ConductUnit, _ month: Int32, _ figures: RoundMonth
  ) {
    guard figures.roundCount >= rules.roundCountMin,
      figures.roundCount * 100 >= rules.roundSharePercent * figures.requestCount
    else { return }
    let year = month / 12
    let number = month % 12 + 1
    let monthCode = "\(year)-\(number < 10 ? "0" : "")\(number)"
    guard let start = try? AccountingDate(monthCode + "-01"),
      overlaps(start, start.addingMonths(1))
    else { return }
    let percent = figures.roundCount * 100 / figures.requestCount
    report(
      ConductCode.roundNumberCluster, .notice, units: [unit.code], seqs: figures.roundSeqs,
      "\(unitLabel(unit.code))\(year)年\(number)月的 \(figures.requestCount) 笔支出申请中有 \(figures.roundCount) 笔（\(percent)%）是 \(ConductAuditor.yuan(rules.roundAmountFen)) 的整数倍（\(ConductAuditor.seqList(figures.roundSeqs))）：真实的采购和服务金额很少都是整数；请核对发票",
      "\(figures.roundCount) of the \(figures.requestCount) requests of \(unitLabelEnglish(unit.code)) in \(monthCode) (\(percent) %) are whole multiples of \(ConductAuditor.yuan(rules.roundAmountFen)) (\(ConductAuditor.seqListEnglish(figures.roundSeqs))): real purchases and services seldom all come to round sums; check the invoices"
    )
  }

  private mutating func checkAdminShare(_ unit: ConductUnit, _ year: Int32, _ figures: YearFigures)
  {
    guard figures.paymentsFen > 0, figures.adminFen > 0,
      figures.adminFen * 100 > rules.adminSharePercentMax * figures.paymentsFen
    else { return }
    let percent = figures.adminFen * 100 / figures.paymentsFen
    report(
      ConductCode.adminCostShare, .warning, units: [unit.code], seqs: figures.adminSeqs,
      "\(unitLabel(unit.code))\(year)年支出 \(ConductAuditor.yuan(figures.paymentsFen))，其中「行政管理」类 \(figures.adminCount) 笔共 \(ConductAuditor.yuan(figures.adminFen))，占 \(percent)%，超过上限 \(rules.adminSharePercentMax)%；请核实管理费用，或由监督方调整比例",
      "In \(year) \(unitLabelEnglish(unit.code)) spent \(ConductAuditor.yuan(figures.paymentsFen)), of which \(figures.adminCount) payments, \(ConductAuditor.yuan(figures.adminFen)), were administration: \(percent) %, over the \(rules.adminSharePercentMax) % limit; check the administrative costs"
    )
  }

  private mutating func checkCharitableShare(
    _ unit: ConductUnit, _ year: Int32, _ figures: YearFigures
  ) {
    guard let end = try? AccountingDate("\(year)-12-31"), end < asOf,
      let income = unit.years[year - 1]?.incomeFen, income > 0,
      figures.charitableFen * 100 < rules.charitableSharePercentMin * income
    else { return }
    let percent = figures.charitableFen * 100 / income
    report(
      ConductCode.charitableSpendingShare, .notice, units: [unit.code], seqs: [],
      "\(unitLabel(unit.code))\(year)年慈善活动支出（行政管理类以外的付款和向下级的划拨）为 \(ConductAuditor.yuan(figures.charitableFen))，只占上一年收入 \(ConductAuditor.yuan(income)) 的 \(percent)%，低于 \(rules.charitableSharePercentMin)%；请说明资金留存的原因",
      "In \(year) \(unitLabelEnglish(unit.code)) spent \(ConductAuditor.yuan(figures.charitableFen)) on charitable activities (payments outside administration and allocations to units below), only \(percent) % of the previous year's income of \(ConductAuditor.yuan(income)), under \(rules.charitableSharePercentMin) %; explain why the money was kept"
    )
  }

  mutating func finishRestrictedFunds() {
    for fund in funds.values.sorted(by: { $0.openedSeq < $1.openedSeq }) {
      guard inScope([fund.unit]), fund.receivedEarlyFen > 0 else { continue }
      let unused = max(0, fund.receivedEarlyFen - fund.spentFen)
      guard unused * 100 > rules.unusedSharePercentMax * fund.receivedEarlyFen else { continue }
      let percent = unused * 100 / fund.receivedEarlyFen
      report(
        ConductCode.restrictedFundUnused, .notice, units: [fund.unit], seqs: [fund.openedSeq],
        "定向基金「\(fund.name)」（\(unitLabel(fund.unit))，用途「\(fund.purpose)」）在 \(unusedCutoff)（\(rules.unusedMonths) 个月前）及以前收到 \(ConductAuditor.yuan(fund.receivedEarlyFen))，至 \(asOf) 只用去 \(ConductAuditor.yuan(fund.spentFen))，仍有 \(ConductAuditor.yuan(unused))（\(percent)%）未使用，超过 \(rules.unusedSharePercentMax)%；请说明用款计划，或按规定释放",
        "The restricted fund \(fund.name) of \(unitLabelEnglish(fund.unit)) (purpose \(fund.purpose)) received \(ConductAuditor.yuan(fund.receivedEarlyFen)) on or before \(unusedCutoff) (\(rules.unusedMonths) months ago) and by \(asOf) has spent \(ConductAuditor.yuan(fund.spentFen)): \(ConductAuditor.yuan(unused)) (\(percent) %) is unused, over \(rules.unusedSharePercentMax) %; ask for the plan to spend it, or release it as the rules allow"
      )
    }
  }
}
