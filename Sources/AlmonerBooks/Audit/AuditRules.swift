/// The rules of the `audit` and `audit.note` entries: who may sign them and
/// what their bodies must hold. Neither changes a projection: the log alone
/// keeps them (so the state seal is unchanged by them).
extension LedgerState {
  /// `audit`: a supervisor of the unit or of a tier above it (or an admin)
  /// records an audit of the unit's subtree.
  func applyAudit(_ entry: Entry, _ body: AuditBody) throws(AlmonerError) {
    try body.validate(seq: entry.seq)
    _ = try requireUnit(body.unit)
    if let to = body.to, to > entry.date {
      throw .refused(.auditPeriodInFuture(to: to.description, date: entry.date.description))
    }
    try requireRole([.supervisor, .admin], on: body.unit, entry)
  }

  /// `audit.note`: a supervisor (or admin) over the audited unit answers an
  /// earlier audit.
  func applyAuditNote(_ entry: Entry, _ body: AuditNoteBody, _ lookup: some EntryLookup)
    throws(AlmonerError)
  {
    try body.validate()
    let target = body.audit
    guard target < entry.seq, let original = try lookup.entry(at: target) else {
      throw .refused(.entryMissing(seq: target))
    }
    guard case .audit(let audit) = original.body else {
      throw .refused(.auditNoteTargetNotAudit(seq: target, kindName: original.kind.displayName))
    }
    try requireRole([.supervisor, .admin], on: audit.unit, entry)
  }

  /// `北城街道（GA-BC）2026-07-01 至 2026-09-30 审计：发现 3 项（…）`.
  package func auditSummary(_ body: AuditBody, author: String) -> String {
    let name = keys[author]?.name ?? author
    let period: String
    switch (body.from, body.to) {
    case (nil, nil): period = "全部期间"
    case (let from?, nil): period = "\(from) 起"
    case (nil, let to?): period = "截至 \(to)"
    case (let from?, let to?): period = "\(from) 至 \(to)"
    }
    let found =
      body.findingCount == 0
      ? "未发现问题"
      : "发现 \(body.findingCount) 项（\((body.findings ?? []).prefix(5).map(\.code).joined(separator: "、"))\(body.findingCount > 5 ? "等" : "")）"
    return "\(name) 审计\(unitText(body.unit))\(period)：\(found)，报告哈希 \(body.report.hex.prefix(16))…"
  }
}
