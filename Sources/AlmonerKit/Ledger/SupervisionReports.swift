/// Disbursement requests picked for a list, with the state that names their
/// units, funds and members.
public struct DisbursementList: Sendable {
  public var requests: [Disbursement]
  public var state: LedgerState
}

extension Ledger {
  /// Requests of `unit` and its subtree (default: all), optionally only those
  /// with `status`, oldest first.
  public func disbursements(
    unit: String?, status: Disbursement.Status?, from: AccountingDate? = nil,
    to: AccountingDate? = nil
  ) throws(AlmonerError) -> DisbursementList {
    let state = try state()
    let scope = try unit.map { text throws(AlmonerError) in
      state.subtree(of: try state.resolveUnit(text, field: "--unit").code)
    }
    let requests = state.supervision.disbursements.values.filter { request in
      (scope?.contains(request.unit) ?? true) && (status.map { request.status == $0 } ?? true)
        && (from.map { request.date >= $0 } ?? true) && (to.map { request.date <= $0 } ?? true)
    }.sorted { $0.id < $1.id }
    return DisbursementList(requests: requests, state: state)
  }

  /// One request, by id.
  public func disbursement(id: Int64) throws(AlmonerError) -> DisbursementList {
    let state = try state()
    guard let request = state.supervision.disbursements[id] else {
      throw .refused(.disbursementUnknown(id: id))
    }
    return DisbursementList(requests: [request], state: state)
  }

  /// The approval policy in force.
  public func approvalPolicy() throws(AlmonerError) -> ApprovalPolicy {
    try state().supervision.policy
  }
}

extension ApprovalPolicy {
  /// The policy in plain Chinese, one line per paying tier, then the counts.
  public var summaryLines: [String] {
    let communityParent = Money(fen: communityParentAboveFen).displayText
    let communityDistrict = Money(fen: communityDistrictAboveFen).displayText
    let street = Money(fen: streetDistrictAboveFen).displayText
    let counts = Tier.allCases.reversed().map { "\($0.displayName) \(approvalCount($0)) 人" }
    return [
      "社区的支出：\(communityParent) 及以下由本社区审批；超过 \(communityParent) 还须街道审批；超过 \(communityDistrict) 还须区级审批",
      "街道的支出：\(street) 及以下由本街道审批；超过 \(street) 还须区级审批",
      "区级的支出：由区级审批",
      "每级须有的审批人数：" + counts.joined(separator: "、"),
    ]
  }
}

extension LedgerState {
  /// The journal's line for a supervision entry: units it concerns, amount,
  /// summary.
  func describeSupervision(_ entry: Entry) -> (units: [String], amountFen: Int64?, summary: String)
  {
    func unitName(_ code: String) -> String { unitText(code) }
    func fundName(_ unit: String, _ code: String) -> String {
      funds[.init(unit: unit, code: code)]?.name ?? code
    }
    func request(_ id: Int64) -> (Disbursement?, [String]) {
      let request = supervision.disbursements[id]
      return (request, request.map { [$0.unit] } ?? [])
    }
    // Which request an approval, rejection or cancellation acts on.
    func subject(_ id: Int64) -> String {
      supervision.disbursements[id].map { request in
        let payee =
          request.kind == .opening
          ? "，期初余额" : request.payee.map { "，收款方 \($0)" } ?? "，转入非定向基金"
        return
          "（\(unitName(request.unit))·\(fundName(request.unit, request.fund)) \(Money(fen: request.amountFen).displayText)\(payee)）"
      } ?? ""
    }
    switch entry.body {
    case .policySet:
      let policy =
        supervision.policy.seq == entry.seq
        ? supervision.policy.summaryLines.joined(separator: "；") : "见记录内容"
      return ([district?.code ?? ""], nil, "设定审批规则：\(policy)")
    case .disbursementRequest(let body):
      let fund = body.fund == Fund.generalCode ? "" : "，\(fundName(body.unit, body.fund))"
      let files = body.attachments?.count ?? 0
      let attachments = files > 0 ? "，附件 \(files) 个" : ""
      return (
        [body.unit], body.amountFen,
        "\(unitName(body.unit))申请支出 #\(entry.seq)：\(body.purpose)（\(body.category.displayName)\(fund)），收款方 \(body.payee.display)\(attachments)"
      )
    case .fundRelease(let body):
      return (
        [body.unit], body.amountFen,
        "\(unitName(body.unit))申请将定向基金「\(fundName(body.unit, body.fund))」的资金释放到非定向基金 #\(entry.seq)：\(body.reason)"
      )
    case .openingRequest(let body):
      let note = body.note.map { "：\($0)" } ?? ""
      return (
        [body.unit], body.amountFen,
        "\(unitName(body.unit))申请期初余额 #\(entry.seq)：\(fundName(body.unit, body.fund))\(body.account.displayName)截至 \(entry.date)\(note)"
      )
    case .disbursementApprove(let body):
      let id = body.request
      let (request, requestUnits) = request(id)
      let tier = request?.approvals.first { $0.seq == entry.seq }?.tier.displayName ?? ""
      let done = request?.approvedSeq == entry.seq ? "，审批已满足" : ""
      return (
        requestUnits, nil, "\(memberName(entry.author))（\(tier)审批人）批准申请 #\(id)\(subject(id))\(done)"
      )
    case .disbursementReject(let body):
      let (_, requestUnits) = request(body.request)
      return (
        requestUnits, nil,
        "\(memberName(entry.author))驳回申请 #\(body.request)\(subject(body.request))：\(body.reason)"
      )
    case .disbursementCancel(let body):
      let (_, requestUnits) = request(body.request)
      let reason = body.reason.map { "：\($0)" } ?? ""
      return (
        requestUnits, nil,
        "\(memberName(entry.author))撤销申请 #\(body.request)\(subject(body.request))\(reason)"
      )
    case .disbursementPay(let body):
      let id = body.request
      let (request, requestUnits) = request(id)
      guard let request else { return ([], nil, "付款：申请 #\(id)") }
      if request.kind == .opening {
        return (
          requestUnits, request.amountFen,
          "期初余额 #\(id) 入账：\(unitName(request.unit))\(fundName(request.unit, request.fund))\((request.account ?? .bank).displayName)，记账日期 \(request.date)"
        )
      }
      if request.kind == .release {
        return (
          requestUnits, request.amountFen,
          "执行定向资金释放 #\(id)：\(fundName(request.unit, request.fund)) → 非定向基金"
        )
      }
      return (
        requestUnits, request.amountFen,
        "\(unitName(request.unit))付款 #\(id)：\(request.purpose)，收款方 \(request.payee ?? "")"
      )
    case .reconciliation(let body):
      let balance = Money(fen: body.balanceFen).displayText
      return (
        [body.unit], nil,
        "对账：\(unitName(body.unit))\(body.account.displayName)截至 \(body.asOf) 日终余额 \(balance)，与账面一致"
      )
    case .genesis, .unitAdd, .memberGrant, .memberRevoke, .memberRotate, .fundOpen, .donation,
      .allocationSend, .allocationConfirm, .allocationVoid, .reversal, .checkpoint,
      .checkpointCosign, .erasure, .statementPublish, .audit, .auditNote:
      preconditionFailure("\(entry.kind) is not a supervision entry")
    }
  }
}

extension Rendering {
  // MARK: Policy

  public static func policyText(_ policy: ApprovalPolicy) -> String {
    let source =
      policy.seq.map { "记录 #\($0) 设定" } ?? "默认规则（建账即生效，尚未用 almoner policy set 修改）"
    var out = "现行审批规则：\(source)\n"
    for line in policy.summaryLines { out += "  \(line)\n" }
    out += "审批人的权限覆盖其下辖单位：上级审批人也可代下级审批，但每人只算一次，申请人不能批准自己的申请。\n"
    out += "规则变更只约束此后提出的申请。\n"
    return out
  }

  public static func policyJSON(_ policy: ApprovalPolicy) -> JSONValue {
    var object = EntryBody.policySet(policy.entryBody).json
    object["seq"] = policy.seq.map { .integer($0) } ?? .null
    object["isDefault"] = .bool(policy.seq == nil)
    return .object(object)
  }

  // MARK: Disbursements

  private static func compactMissing(_ missing: [Tier: Int]) -> String {
    Tier.allCases.reversed().compactMap { tier in
      missing[tier].map { "\(tier.displayName)\($0)人" }
    }.joined(separator: "、")
  }

  private static func progress(_ request: Disbursement) -> String {
    switch request.status {
    case .pending: "还缺 " + compactMissing(request.missingApprovals)
    case .approved, .paid: "已满足"
    case .rejected, .cancelled: request.reason ?? ""
    }
  }

  public static func disbursementsText(_ list: DisbursementList) -> String {
    guard !list.requests.isEmpty else { return "（没有符合条件的支出申请）\n" }
    let state = list.state
    let rows =
      [["编号", "日期", "单位", "基金", "金额（元）", "类别", "用途", "收款方", "状态", "审批"]]
      + list.requests.map { request in
        [
          "#\(request.id)", request.date.text, state.units[request.unit]?.name ?? request.unit,
          state.funds[.init(unit: request.unit, code: request.fund)]?.name ?? request.fund,
          Money(fen: request.amountFen).groupedText,
          request.category?.displayName ?? request.kind.displayName, request.purpose,
          request.payee ?? (request.kind == .opening ? "→ 期初余额" : "→ 非定向基金"),
          request.status.displayName, progress(request),
        ]
      }
    return Text.table(rows, rightAligned: [4]) + "\n"
  }

  public static func disbursementText(_ request: Disbursement, state: LedgerState) -> String {
    let fund = state.funds[.init(unit: request.unit, code: request.fund)]
    var lines = [
      "\(request.kind.displayName)申请 #\(request.id)（\(request.status.displayName)）",
      "  单位：\(state.unitLabel(request.unit))　基金：\(fund?.name ?? request.fund)（\(request.fund)）",
      "  金额：\(Money(fen: request.amountFen).displayText)　\(request.kind == .release ? "理由" : "用途")：\(request.purpose)"
        + (request.category.map { "（\($0.displayName)）" } ?? ""),
    ]
    if let payee = request.payee {
      lines.append("  收款方：\(payee)" + (request.payeeIsPerson ? "（个人；姓名不公开，另行保存）" : ""))
    } else if request.kind == .opening {
      lines.append("  转入：\((request.account ?? .bank).displayName)（期初余额，记账日期 \(request.date)）")
    } else {
      lines.append("  去向：本单位非定向基金")
    }
    lines.append(
      "  申请人：\(state.memberName(request.requester))（\(request.requester)），申请日期 \(request.date)")
    lines.append(
      "  审批规则：\(LedgerState.policyName(request.policySeq))；需要\(state.describeMissing(request.required, unit: request.unit))"
    )
    let approvals = request.approvals.map {
      let voided = $0.voidedSeq.map { "，其密钥已于记录 #\($0) 撤销，不再计数" } ?? ""
      return "\(state.memberName($0.keyID))（\($0.tier.displayName)，记录 #\($0.seq)\(voided)）"
    }
    lines.append("  已批准：" + (approvals.isEmpty ? "无" : approvals.joined(separator: "、")))
    if request.status == .pending {
      lines.append("  还缺：" + state.describeMissing(request.missingApprovals, unit: request.unit))
    }
    for attachment in request.attachments {
      lines.append(
        "  附件：\(attachment.name)（\(attachment.byteCount) 字节，SHA-256 \(attachment.sha256.hex)）")
    }
    if let settled = request.settledSeq {
      let reason = request.reason.map { "，理由：\($0)" } ?? ""
      lines.append("  \(request.status.displayName)：记录 #\(settled)\(reason)")
    }
    // Purposes, names and reasons come from the ledger file: one line each.
    return lines.map(Text.escaped).joined(separator: "\n") + "\n"
  }

  public static func disbursementJSON(_ request: Disbursement, state: LedgerState) -> JSONValue {
    func counts(_ values: [Tier: Int]) -> JSONValue {
      .object([
        "community": .integer(Int64(values[.community] ?? 0)),
        "street": .integer(Int64(values[.street] ?? 0)),
        "district": .integer(Int64(values[.district] ?? 0)),
      ])
    }
    func optional(_ value: Int64?) -> JSONValue { value.map { .integer($0) } ?? .null }
    return .object([
      "id": .integer(request.id),
      "kind": .string(request.kind.rawValue),
      "unit": .string(request.unit),
      "unitName": .string(state.units[request.unit]?.name ?? request.unit),
      "fund": .string(request.fund),
      "fundName": .string(
        state.funds[.init(unit: request.unit, code: request.fund)]?.name ?? request.fund),
      "amountFen": .integer(request.amountFen),
      "category": request.category.map { .string($0.rawValue) } ?? .null,
      "purpose": .string(request.purpose),
      "payee": request.payee.map { .string($0) } ?? .null,
      "payeePerson": .bool(request.payeeIsPerson),
      "requester": .string(request.requester),
      "requesterName": .string(state.memberName(request.requester)),
      "date": .string(request.date.text),
      "policySeq": optional(request.policySeq),
      "required": counts(request.required),
      "missing": counts(request.missingApprovals),
      "approvals": .array(
        request.approvals.map {
          .object([
            "seq": .integer($0.seq), "keyId": .string($0.keyID),
            "name": .string(state.memberName($0.keyID)), "tier": .string($0.tier.rawValue),
            "voidedSeq": $0.voidedSeq.map { .integer($0) } ?? .null,
          ])
        }),
      "status": .string(request.status.rawValue),
      "approvedSeq": optional(request.approvedSeq),
      "settledSeq": optional(request.settledSeq),
      "reason": request.reason.map { .string($0) } ?? .null,
      "attachments": .array(
        request.attachments.map {
          .object([
            "sha256": .string($0.sha256.hex), "name": .string($0.name),
            "bytes": .integer($0.byteCount),
          ])
        }),
    ])
  }

  public static func disbursementsJSON(_ list: DisbursementList) -> JSONValue {
    .array(list.requests.map { disbursementJSON($0, state: list.state) })
  }

  /// What `disburse request|approve|reject|pay|cancel` print as JSON: the
  /// appended entry, the request id and its status.
  public static func disbursementUpdateJSON(_ update: DisbursementUpdate) -> JSONValue {
    var object = appendedJSON(update.appended).objectValue ?? [:]
    object["id"] = .integer(update.request.id)
    object["status"] = .string(update.request.status.rawValue)
    return .object(object)
  }
}
