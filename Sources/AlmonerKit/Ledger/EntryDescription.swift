/// One sentence saying what an entry did, naming every unit by name and
/// code, the fund and the counterparty: what a write's confirmation prints,
/// so a treasurer sees exactly what was signed (a unit whose name was swapped
/// with another's, say, can't pass unnoticed).
extension LedgerState {
  public func describe(_ entry: Entry) -> String {
    func amount(_ fen: Int64) -> String { Money(fen: fen).displayText }
    switch entry.body {
    case .genesis(let body):
      return "建账：\(body.district.name)（\(body.district.code)）"
    case .unitAdd(let body):
      return "新增单位 \(unitText(body.code))，上级 \(unitText(body.parent))"
    case .memberGrant(let body):
      return
        "\(body.name) 任 \(unitText(body.unit)) 的\(body.role.displayName)（密钥 \(body.keyID)）"
    case .memberRevoke(let body):
      return "撤销成员 \(keys[body.keyID]?.name ?? "") 的密钥 \(body.keyID)"
    case .memberRotate(let body):
      return
        "\(keys[body.keyID]?.name ?? "") 的密钥 \(body.keyID) 换为 \(body.newKeyID)\(body.compromised ? "（旧密钥已泄露，其未付款审批作废）" : "")"
    case .erasure(let body):
      return "删除第 \(body.seq) 条记录所涉个人的私密信息（记录本身不变）"
    case .fundOpen(let body):
      return "\(unitText(body.unit)) 设立基金 \(fundText(unit: body.unit, code: body.code))"
    case .donation(let body):
      let reference = body.ref.map { "，流水号 \($0)" } ?? ""
      return
        "捐赠 \(amount(body.amountFen)) 记入 \(unitText(body.unit))·\(fundText(unit: body.unit, code: body.fund))，渠道 \(body.channel.displayName)，捐赠人 \(body.donor.display)\(reference)"
    case .allocationSend(let body):
      return
        "划拨 \(amount(body.amountFen))：\(unitText(body.from)) → \(unitText(body.to))，基金 \(fundText(unit: body.from, code: body.fund))"
    case .allocationConfirm(let body), .allocationVoid(let body):
      let id = body.allocation
      guard let allocation = allocations[id] else { return "划拨 \(id)" }
      return
        "划拨 \(id)（\(amount(allocation.amountFen))：\(unitText(allocation.from)) → \(unitText(allocation.to))，基金 \(fundText(unit: allocation.from, code: allocation.fund))）\(allocation.status.displayName)"
    case .reversal(let body):
      return "冲销第 \(body.seq) 条记录，原因：\(body.reason)"
    case .checkpoint(let body):
      return "检查点：前 \(body.size) 条记录"
    case .checkpointCosign(let body):
      return "联署第 \(body.checkpoint) 条记录的检查点"
    case .policySet:
      return "设定审批规则"
    case .disbursementRequest, .fundRelease:
      let request = supervision.disbursements[entry.seq]
      return request.map(describe) ?? entry.kind.displayName
    case .disbursementApprove(let body), .disbursementPay(let body):
      return describeRequest(body.request)
    case .disbursementReject(let body):
      return describeRequest(body.request)
    case .disbursementCancel(let body):
      return describeRequest(body.request)
    case .reconciliation(let body):
      return
        "对账：\(unitText(body.unit)) \(body.account.displayName) 截至 \(body.asOf) 余额 \(amount(body.balanceFen))"
    }
  }

  private func describeRequest(_ id: Int64) -> String {
    supervision.disbursements[id].map(describe) ?? "支出申请 \(id)"
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
