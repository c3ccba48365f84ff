/// One sentence saying what an entry did, naming every unit by name and
/// code, the fund and the counterparty: what a write's confirmation prints,
/// so a treasurer sees exactly what was signed (a unit whose name was swapped
/// with another's, say, can't pass unnoticed).
extension LedgerState {
  public func describe(_ entry: Entry) -> String {
    let body = entry.body
    func text(_ key: String) -> String? { body[key]?.stringValue }
    func amount(_ fen: Int64?) -> String { fen.map { Money(fen: $0).displayText } ?? "?" }
    switch entry.kind {
    case .genesis:
      let district = body["district"]?.objectValue
      return "建账：\(district?["name"]?.stringValue ?? "")（\(district?["code"]?.stringValue ?? "")）"
    case .unitAdd:
      return "新增单位 \(unitText(text("code")))，上级 \(unitText(text("parent")))"
    case .memberGrant:
      let role = text("role").flatMap(Role.init(rawValue:))?.displayName ?? text("role") ?? ""
      return "\(text("name") ?? "") 任 \(unitText(text("unit"))) 的\(role)（密钥 \(text("keyId") ?? "")）"
    case .memberRevoke:
      let keyID = text("keyId") ?? ""
      return "撤销成员 \(keys[keyID]?.name ?? "") 的密钥 \(keyID)"
    case .memberRotate:
      let keyID = text("keyId") ?? ""
      return
        "\(keys[keyID]?.name ?? "") 的密钥 \(keyID) 换为 \(text("newKeyId") ?? "")\(body["compromised"]?.boolValue == true ? "（旧密钥已泄露，其未付款审批作废）" : "")"
    case .erasure:
      return "删除第 \(body["seq"]?.integerValue.map(String.init) ?? "?") 条记录所涉个人的私密信息（记录本身不变）"
    case .fundOpen:
      return "\(unitText(text("unit"))) 设立基金 \(fundText(unit: text("unit"), code: text("code")))"
    case .donation:
      let donor = body["donor"]?.objectValue?["display"]?.stringValue ?? ""
      let channel = text("channel").flatMap(Channel.init(rawValue:))?.displayName ?? ""
      let reference = text("ref").map { "，流水号 \($0)" } ?? ""
      return
        "捐赠 \(amount(body["amountFen"]?.integerValue)) 记入 \(unitText(text("unit")))·\(fundText(unit: text("unit"), code: text("fund")))，渠道 \(channel)，捐赠人 \(donor)\(reference)"
    case .allocationSend:
      return
        "划拨 \(amount(body["amountFen"]?.integerValue))：\(unitText(text("from"))) → \(unitText(text("to")))，基金 \(fundText(unit: text("from"), code: text("fund")))"
    case .allocationConfirm, .allocationVoid:
      guard let id = body["allocation"]?.integerValue, let allocation = allocations[id] else {
        return "划拨 \(body["allocation"]?.integerValue.map(String.init) ?? "?")"
      }
      return
        "划拨 \(id)（\(amount(allocation.amountFen))：\(unitText(allocation.from)) → \(unitText(allocation.to))，基金 \(fundText(unit: allocation.from, code: allocation.fund))）\(allocation.status.displayName)"
    case .reversal:
      return
        "冲销第 \(body["seq"]?.integerValue.map(String.init) ?? "?") 条记录，原因：\(text("reason") ?? "")"
    case .checkpoint:
      return "检查点：前 \(body["size"]?.integerValue.map(String.init) ?? "?") 条记录"
    case .checkpointCosign:
      return "联署第 \(body["checkpoint"]?.integerValue.map(String.init) ?? "?") 条记录的检查点"
    case .policySet:
      return "设定审批规则"
    case .disbursementRequest, .fundRelease:
      let request = supervision.disbursements[entry.seq]
      return request.map(describe) ?? entry.kind.displayName
    case .disbursementApprove, .disbursementReject, .disbursementPay, .disbursementCancel:
      let id = body["request"]?.integerValue ?? -1
      return supervision.disbursements[id].map(describe) ?? "支出申请 \(id)"
    case .reconciliation:
      let account = text("account").map { Account($0).displayName } ?? ""
      return
        "对账：\(unitText(text("unit"))) \(account) 截至 \(text("asOf") ?? "") 余额 \(amount(body["balanceFen"]?.integerValue))"
    }
  }

  /// A request: its id, unit, fund, payee, amount and purpose.
  private func describe(_ request: Disbursement) -> String {
    let fund = fundText(unit: request.unit, code: request.fund)
    switch request.kind {
    case .payment:
      let category = request.category.map { "（\($0.displayName)）" } ?? ""
      return
        "支出申请 \(request.id)：\(unitText(request.unit))·\(fund) 付给 \(request.payee ?? "") \(Money(fen: request.amountFen).displayText)，用途 \(request.purpose)\(category)，\(request.status.displayName)"
    case .release:
      return
        "释放申请 \(request.id)：\(unitText(request.unit))·\(fund) 转入非定向基金 \(Money(fen: request.amountFen).displayText)，原因 \(request.purpose)，\(request.status.displayName)"
    }
  }

  /// `建设路社区（GA-BC-JSL）`.
  public func unitText(_ code: String?) -> String {
    guard let code else { return "?" }
    return units[code].map { "\($0.name)（\(code)）" } ?? code
  }

  /// `老龄食堂（elderly-canteen）`, or the general fund's name alone.
  public func fundText(unit: String?, code: String?) -> String {
    guard let unit, let code else { return Fund.generalName }
    guard let fund = funds[FundKey(unit: unit, code: code)] else { return code }
    return code == Fund.generalCode ? fund.name : "\(fund.name)（\(code)）"
  }
}
