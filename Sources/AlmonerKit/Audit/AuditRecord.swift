extension Ledger {
  /// Signs `report` into the log as an `audit` entry: the unit and period
  /// audited, the rules' and the report's hashes, and each finding's code
  /// and entries (the first `AuditBody.findingsMax`; `findingCount` says how
  /// many there were). The signer must be a supervisor of the unit or of a
  /// tier above it, or an admin.
  @discardableResult
  public func recordAudit(_ report: AuditReport, signer: SigningKey) throws(AlmonerError)
    -> AppendedEntry
  {
    // Seqs the log holds (a finding may name a missing one past the end).
    let next = try entryCount()
    let listed = report.findings.prefix(AuditBody.findingsMax).map { finding in
      let seqs = Array(Set(finding.seqs.filter { $0 >= 0 && $0 < next })).sorted()
      return AuditBody.Finding(
        code: finding.code,
        seqs: seqs.isEmpty ? nil : Array(seqs.prefix(AuditBody.seqsPerFindingMax)))
    }
    let body = AuditBody(
      findingCount: Int64(report.findings.count), findings: listed.isEmpty ? nil : listed,
      from: report.scope.from, report: report.hash, rules: report.rulesHash, to: report.scope.to,
      unit: report.unit)
    return try commit(signer: signer) { _ throws(AlmonerError) in [EntryDraft(body: .audit(body))]
    }[0]
  }

  /// Appends an `audit.note`: a supervisor's answer to the audit recorded
  /// at `seq`.
  @discardableResult
  public func noteAudit(seq: Int64, text: String, signer: SigningKey) throws(AlmonerError)
    -> AppendedEntry
  {
    let text = try Text.input(text, field: "--text")
    return try commit(signer: signer) { _ throws(AlmonerError) in
      [EntryDraft(body: .auditNote(AuditNoteBody(audit: seq, text: text)))]
    }[0]
  }
}
