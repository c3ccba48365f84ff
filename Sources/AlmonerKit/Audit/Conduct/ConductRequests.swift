/// Requests, approvals and payments: `split-request`,
/// `approver-not-in-office`, `payment-before-approval`, `approved-unpaid`,
/// `restricted-purpose-mismatch`, and the figures of `unusual-amount`,
/// `round-number-cluster` and the yearly ratios.
extension ConductAuditor {
  mutating func visitRequest(_ entry: Entry, _ body: DisbursementRequestBody) {
    guard let index = unitIndex[body.unit] else { return }
    let tier = units[index].tier
    let payee = body.payee.person ? nil : body.payee.display
    requests[entry.seq] = ConductRequest(
      seq: entry.seq, unit: body.unit, fund: body.fund, amountFen: body.amountFen,
      isRelease: false, category: body.category, purpose: body.purpose, payee: payee,
      date: entry.date,
      required: policy.requiredApprovals(unitTier: tier, amountFen: body.amountFen))
    noteActivity(index, entry.date)
    noteLate(entry, unit: body.unit)
    noteRound(index, entry)
    checkSplit(index, entry, body, payee: payee)
  }

  mutating func visitRelease(_ entry: Entry, _ body: FundReleaseBody) {
    guard let index = unitIndex[body.unit] else { return }
    requests[entry.seq] = ConductRequest(
      seq: entry.seq, unit: body.unit, fund: body.fund, amountFen: body.amountFen,
      isRelease: true, category: nil, purpose: body.reason, payee: nil, date: entry.date,
      required: policy.requiredApprovals(unitTier: units[index].tier, amountFen: body.amountFen))
    noteLate(entry, unit: body.unit)
  }

  /// A rejected or cancelled request will never be paid: it splits nothing
  /// (a request cancelled and made again, corrected, is not a split).
  mutating func visitClosing(_ id: Int64) {
    if let request = requests.removeValue(forKey: id), let index = unitIndex[request.unit] {
      units[index].recent.removeAll { $0.seq == id }
    }
    if splitSeqs.contains(id) { closedUnpaid.insert(id) }
  }

  // MARK: Approvals

  mutating func visitApproval(_ entry: Entry, _ body: RequestRefBody) {
    guard var request = requests[body.request] else { return }
    let person = personOfKey[entry.author] ?? entry.author
    if let tier = approverTier(of: person, for: request.unit) {
      request.approvals.append((entry.author, tier))
    }
    if request.lastApproval.map({ entry.date >= $0.date }) ?? true {
      request.lastApproval = (entry.seq, entry.date)
    }
    if request.approved == nil, request.missingApprovals.isEmpty {
      request.approved = (entry.seq, entry.date)
    }
    requests[body.request] = request
    checkInOffice(entry, request, person: person)
  }

  /// A revoked key's approvals (or a key rotated as compromised) stop
  /// counting for requests not yet paid, as `LedgerState.voidApprovals`
  /// does: an approved request may wait again.
  mutating func voidApprovals(by keyID: String) {
    for (id, request) in requests where request.approvals.contains(where: { $0.keyID == keyID }) {
      var changed = request
      changed.approvals.removeAll { $0.keyID == keyID }
      if changed.approved != nil, !changed.missingApprovals.isEmpty { changed.approved = nil }
      requests[id] = changed
    }
  }

  /// `approver-not-in-office`: the approver's first grant covering the unit
  /// came after the request's date, or after the approval's own date.
  private mutating func checkInOffice(_ entry: Entry, _ request: ConductRequest, person: String) {
    guard let grant = approverGrants(of: person, covering: request.unit).first,
      inScope([request.unit]), judged(entry.date)
    else { return }
    let name = persons[person]?.name ?? person
    let (when, whenEnglish, date): (String, String, AccountingDate)
    if grant.date > request.date {
      (when, whenEnglish, date) = ("申请日期", "request's date", request.date)
    } else if grant.date > entry.date {
      (when, whenEnglish, date) = ("批准日期", "approval's date", entry.date)
    } else {
      return
    }
    report(
      ConductCode.approverNotInOffice, .warning, units: [request.unit],
      seqs: [request.seq, entry.seq, grant.seq],
      "\(name)批准了\(unitLabel(request.unit))的申请 #\(request.seq)（\(ConductAuditor.yuan(request.amountFen))，记录 #\(entry.seq)，日期 \(entry.date)），但在\(when) \(date) 时还不是审批人：\(grant.date) 才被任命为\(unitLabel(grant.unit))的审批人（记录 #\(grant.seq)）；请核实审批是否由当时在任的审批人作出",
      "\(name) approved request #\(request.seq) of \(unitLabelEnglish(request.unit)) (\(ConductAuditor.yuan(request.amountFen)), entry #\(entry.seq), dated \(entry.date)), but was not an approver at the \(whenEnglish), \(date): they were appointed approver of \(unitLabelEnglish(grant.unit)) only on \(grant.date) (entry #\(grant.seq)); check that the approval came from an approver in office"
    )
  }

  // MARK: Payment

  mutating func visitPayment(_ entry: Entry, _ body: RequestRefBody) {
    guard let request = requests.removeValue(forKey: body.request),
      let index = unitIndex[request.unit]
    else { return }
    noteLate(entry, unit: request.unit)
    noteActivity(index, entry.date)
    let show = inScope([request.unit]) && judged(entry.date)
    if let last = request.lastApproval, entry.date < last.date, show {
      report(
        ConductCode.paymentBeforeApproval, .warning, units: [request.unit],
        seqs: [request.seq, last.seq, entry.seq],
        "\(unitLabel(request.unit))申请 #\(request.seq)（\(ConductAuditor.yuan(request.amountFen))）的付款（记录 #\(entry.seq)）日期为 \(entry.date)，早于最后一次批准（记录 #\(last.seq)）的日期 \(last.date)：钱在批准之前就付出去了；请核实",
        "The payment (entry #\(entry.seq)) of request #\(request.seq) of \(unitLabelEnglish(request.unit)) (\(ConductAuditor.yuan(request.amountFen))) is dated \(entry.date), before its last approval (entry #\(last.seq)) dated \(last.date): the money went out before it was approved; check it"
      )
    }
    if let approved = request.approved {
      let days = entry.date.daysSince1970 - approved.date.daysSince1970
      if days > rules.approvedUnpaidDaysMax, inScope([request.unit]),
        overlaps(approved.date, entry.date)
      {
        reportUnpaid(request, approvedSeq: approved.seq, days: days, paidSeq: entry.seq)
      }
    }
    if request.isRelease {
      if let key = restrictedKey(request.unit, request.fund) {
        funds[key]?.spentFen += request.amountFen
      }
      return
    }
    notePaymentFigures(index, entry, request, show: show)
    if let key = restrictedKey(request.unit, request.fund), let fund = funds[key] {
      funds[key]?.spentFen += request.amountFen
      if show { checkPurpose(fund, request, paySeq: entry.seq) }
    }
  }

  func restrictedKey(_ unit: String, _ fund: String) -> String? {
    guard fund != Fund.generalCode else { return nil }
    let key = ConductFund.key(unit, fund)
    return funds[key] == nil ? nil : key
  }

  mutating func reportUnpaid(
    _ request: ConductRequest, approvedSeq: Int64, days: Int64, paidSeq: Int64?
  ) {
    let payee = request.payee.map { "，收款方「\($0)」" } ?? ""
    let payeeEnglish = request.payee.map { " to \($0)" } ?? ""
    let tail =
      paidSeq.map { "，记录 #\($0) 才付款" } ?? "，至 \(asOf) 仍未付款"
    let tailEnglish =
      paidSeq.map { " and paid only in entry #\($0)" } ?? " and is still unpaid on \(asOf)"
    var seqs = [request.seq, approvedSeq]
    if let paidSeq { seqs.append(paidSeq) }
    report(
      ConductCode.approvedUnpaid, .warning, units: [request.unit], seqs: seqs,
      "\(unitLabel(request.unit))的申请 #\(request.seq)（\(ConductAuditor.yuan(request.amountFen))\(payee)）在记录 #\(approvedSeq) 获得全部批准后 \(days) 天未付款（上限 \(rules.approvedUnpaidDaysMax) 天）\(tail)；请核实原因，不再需要的申请应撤销",
      "Request #\(request.seq) of \(unitLabelEnglish(request.unit)) (\(ConductAuditor.yuan(request.amountFen))\(payeeEnglish)) went \(days) days unpaid after it was fully approved in entry #\(approvedSeq) (limit \(rules.approvedUnpaidDaysMax) days)\(tailEnglish); find out why, and cancel requests no longer needed"
    )
  }

  /// `restricted-purpose-mismatch`: the request's purpose shares too few
  /// words with the fund's name, purpose and category.
  private mutating func checkPurpose(_ fund: ConductFund, _ request: ConductRequest, paySeq: Int64)
  {
    let words = PurposeWords(request.purpose)
    let shared = words.shared(with: fund.words)
    guard shared.count < rules.purposeSharedWordsMin else { return }
    let found =
      shared.isEmpty ? "没有共同的词" : "只有「\(shared.sorted().joined(separator: "、"))」相同"
    let foundEnglish =
      shared.isEmpty
      ? "share no word" : "share only \(shared.sorted().joined(separator: ", "))"
    let payee = request.payee.map { "，收款方「\($0)」" } ?? ""
    let payeeEnglish = request.payee.map { ", payee \($0)" } ?? ""
    report(
      ConductCode.restrictedPurposeMismatch, .warning, units: [request.unit],
      seqs: [request.seq, paySeq],
      "定向基金「\(fund.name)」（\(unitLabel(fund.unit))，用途「\(fund.purpose)」，类别「\(fund.category.displayName)」）支付了申请 #\(request.seq)（\(ConductAuditor.yuan(request.amountFen))\(payee)，用途「\(request.purpose)」，记录 #\(paySeq) 付款）：两者的用途文字按相邻两字比较\(found)；这只是提示，请核实这笔钱是否用于基金的定向用途",
      "The restricted fund \(fund.name) of \(unitLabelEnglish(fund.unit)) (purpose \(fund.purpose), category \(fund.category.displayName)) paid request #\(request.seq) (\(ConductAuditor.yuan(request.amountFen))\(payeeEnglish), purpose \(request.purpose), paid in entry #\(paySeq)): compared by adjacent-character pairs the two purposes \(foundEnglish); this is for review only: check that the money went to the fund's purpose"
    )
  }

  /// Usual size of payments, and the yearly figures.
  private mutating func notePaymentFigures(
    _ index: Int, _ entry: Entry, _ request: ConductRequest, show: Bool
  ) {
    let amount = request.amountFen
    let count = units[index].paymentCount
    if show, count >= rules.unusualCountMin {
      let mean = units[index].paymentSumFen / count
      if amount > mean * rules.unusualFactor {
        let payee = request.payee.map { "给「\($0)」" } ?? ""
        let payeeEnglish = request.payee.map { " to \($0)" } ?? ""
        report(
          ConductCode.unusualAmount, .notice, units: [request.unit],
          seqs: [request.seq, entry.seq],
          "\(unitLabel(request.unit))记录 #\(entry.seq)\(payee)付款 \(ConductAuditor.yuan(amount))（申请 #\(request.seq)），是该单位此前 \(count) 笔付款平均金额 \(ConductAuditor.yuan(mean)) 的 \(amount / max(mean, 1)) 倍以上（提示界线 \(rules.unusualFactor) 倍）；请核实金额",
          "Entry #\(entry.seq) of \(unitLabelEnglish(request.unit)) pays \(ConductAuditor.yuan(amount))\(payeeEnglish) (request #\(request.seq)), over \(amount / max(mean, 1)) times the mean \(ConductAuditor.yuan(mean)) of its \(count) earlier payments (the line is \(rules.unusualFactor) times); check the amount"
        )
      }
    }
    units[index].paymentCount += 1
    units[index].paymentSumFen += amount
    let year = entry.date.yearNumber
    var figures = units[index].years[year] ?? YearFigures()
    figures.paymentsFen += amount
    if request.category == .administration {
      figures.adminFen += amount
      figures.adminCount += 1
      if figures.adminSeqs.count < ConductAuditor.seqsPerFindingMax {
        figures.adminSeqs.append(entry.seq)
      }
    } else {
      figures.charitableFen += amount
    }
    units[index].years[year] = figures
  }

  // MARK: Round numbers

  private mutating func noteRound(_ index: Int, _ entry: Entry) {
    guard case .disbursementRequest(let body) = entry.body else { return }
    let month = entry.date.monthIndex
    var figures = units[index].roundMonths[month] ?? RoundMonth()
    figures.requestCount += 1
    if body.amountFen % rules.roundAmountFen == 0 {
      figures.roundCount += 1
      if figures.roundSeqs.count < ConductAuditor.seqsPerFindingMax {
        figures.roundSeqs.append(entry.seq)
      }
    }
    units[index].roundMonths[month] = figures
  }

  // MARK: Split requests

  /// The amounts above which a request of a unit of `tier` needs a higher
  /// tier, lowest first, with that tier.
  func thresholds(for tier: Tier) -> [(fen: Int64, needs: Tier)] {
    switch tier {
    case .community:
      [(policy.communityParentAboveFen, .street), (policy.communityDistrictAboveFen, .district)]
    case .street: [(policy.streetDistrictAboveFen, .district)]
    case .district: []
    }
  }

  private mutating func checkSplit(
    _ index: Int, _ entry: Entry, _ body: DisbursementRequestBody, payee: String?
  ) {
    let day = entry.date.daysSince1970
    let window = rules.splitWindowDays
    let payeeKey = payee.map { LedgerState.nameComparisonKey($0) }
    let words = PurposeWords(body.purpose)
    units[index].recent.removeAll { abs($0.day - day) > window }
    if units[index].recent.count >= ConductAuditor.recentRequestsMax {
      units[index].recent.removeFirst()
    }
    let mine = RecentRequest(
      seq: entry.seq, amountFen: body.amountFen, day: day, payeeKey: payeeKey, payee: payee,
      words: words)
    defer { units[index].recent.append(mine) }
    guard rules.isEnabled(ConductCode.splitRequest) else { return }
    let similar = units[index].recent.filter { other in
      guard !closedUnpaid.contains(other.seq) else { return false }
      if let payeeKey, other.payeeKey == payeeKey { return true }
      return words.similarityPercent(to: other.words) >= rules.splitSimilarPurposePercent
    }
    guard !similar.isEmpty else { return }
    for threshold in thresholds(for: units[index].tier) where body.amountFen <= threshold.fen {
      let group = similar.filter { $0.amountFen <= threshold.fen }
      let total = group.reduce(body.amountFen) { $0 + $1.amountFen }
      guard !group.isEmpty, total > threshold.fen else { continue }
      var amounts: [Int64: Int64] = [entry.seq: body.amountFen]
      for other in group { amounts[other.seq] = other.amountFen }
      let code = units[index].code
      let firstDay = group.map(\.day).min() ?? day
      let firstDate = AccountingDate(daysSince1970: min(firstDay, day))
      let lastDate = AccountingDate(daysSince1970: max(group.map(\.day).max() ?? day, day))
      let commonPayee =
        group.allSatisfy { $0.payeeKey != nil && $0.payeeKey == payeeKey } ? payee : nil
      let drafts = splitDraftsByUnit[code, default: []]
      if let existing = drafts.last(where: {
        splitDrafts[$0].thresholdFen == threshold.fen
          && splitDrafts[$0].amounts.keys.contains { amounts[$0] != nil }
      }) {
        splitDrafts[existing].amounts.merge(amounts) { first, _ in first }
        splitDrafts[existing].firstDate = min(splitDrafts[existing].firstDate, firstDate)
        splitDrafts[existing].lastDate = max(splitDrafts[existing].lastDate, lastDate)
        if splitDrafts[existing].payee != commonPayee { splitDrafts[existing].payee = nil }
      } else {
        splitDraftsByUnit[code, default: []].append(splitDrafts.count)
        splitDrafts.append(
          SplitDraft(
            unit: code, thresholdFen: threshold.fen, needs: threshold.needs, payee: commonPayee,
            amounts: amounts, firstDate: firstDate, lastDate: lastDate))
      }
      splitSeqs.formUnion(amounts.keys)
      return
    }
  }

  mutating func finishSplits() {
    for draft in splitDrafts {
      let amounts = draft.amounts.filter { !closedUnpaid.contains($0.key) }
      let total = amounts.values.reduce(0, +)
      guard amounts.count >= 2, total > draft.thresholdFen, inScope([draft.unit]),
        overlaps(draft.firstDate, draft.lastDate)
      else { continue }
      let seqs = amounts.keys.sorted()
      let each =
        Set(amounts.values).count == 1
        ? "每笔 \(ConductAuditor.yuan(amounts.values.first ?? 0))"
        : "每笔都不超过 \(ConductAuditor.yuan(draft.thresholdFen))"
      let eachEnglish =
        Set(amounts.values).count == 1
        ? "each \(ConductAuditor.yuan(amounts.values.first ?? 0))"
        : "each at most \(ConductAuditor.yuan(draft.thresholdFen))"
      let days =
        draft.firstDate == draft.lastDate
        ? "在 \(draft.firstDate) 同一天" : "在 \(draft.firstDate) 至 \(draft.lastDate) 之间"
      let daysEnglish =
        draft.firstDate == draft.lastDate
        ? "on \(draft.firstDate)" : "between \(draft.firstDate) and \(draft.lastDate)"
      let payee = draft.payee.map { "向「\($0)」" } ?? "以几乎相同的用途"
      let payeeEnglish = draft.payee.map { "to \($0)" } ?? "for near-identical purposes"
      report(
        ConductCode.splitRequest, .warning, units: [draft.unit], seqs: seqs,
        "\(unitLabel(draft.unit))\(days)\(payee)提出 \(seqs.count) 笔支出申请（\(ConductAuditor.seqList(seqs))），\(each)，合计 \(ConductAuditor.yuan(total))，超过须\(draft.needs.displayName)审批的金额 \(ConductAuditor.yuan(draft.thresholdFen))：疑似拆分申请以规避审批；请核实",
        "\(unitLabelEnglish(draft.unit)) made \(seqs.count) requests \(payeeEnglish) \(daysEnglish) (\(ConductAuditor.seqListEnglish(seqs))), \(eachEnglish), together \(ConductAuditor.yuan(total)), over the \(ConductAuditor.yuan(draft.thresholdFen)) above which the \(draft.needs.rawValue) tier must approve: they look split to stay under the threshold; check them"
      )
    }
  }
}
