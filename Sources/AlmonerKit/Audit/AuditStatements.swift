import AlmonerStore

extension Ledger {
  /// Statements published for a period that meets the audit's scope, each
  /// recomputed from the log at the checkpoint it is bound to: its funds'
  /// figures and its lines must be the ledger's (issue 10, accounting). A
  /// statement whose signatures no longer check, or which the ledger can't
  /// recompute, is reported the same way, with the reason.
  ///
  /// `previous` (the statement before it) is not compared: publishing or
  /// correcting an earlier period afterwards changes it without making this
  /// statement's numbers wrong.
  func statementFindings(_ state: LedgerState, units: Set<String>?, scope: AuditScope)
    -> [AuditFinding]
  {
    var findings: [AuditFinding] = []
    for published in state.statements.values.sorted(by: { $0.seq < $1.seq }) {
      guard units?.contains(published.unit) ?? true, let unit = state.units[published.unit],
        let period = try? StatementPeriod(published.period),
        scope.from.map({ period.to >= $0 }) ?? true, scope.to.map({ period.from <= $0 }) ?? true,
        // The stored file is held against its hash by the integrity checks.
        let stored = try? read({ db in try LedgerStore.statementFile(db, hash: published.hash) }),
        let statement = try? Statement(parsing: stored)
      else { continue }
      let difference: String
      do {
        let (recomputed, _) = try recomputeStatement(
          statement, unit: unit, state: state, doing: "审计")
        guard
          recomputed.funds != statement.funds
            || recomputed.lines.map(\.seq) != statement.lines.map(\.seq)
            || recomputed.lines.map(\.entry) != statement.lines.map(\.entry)
        else { continue }
        difference = StatementDifference.describe(statement, recomputed)
      } catch {
        difference = error.message
      }
      let what =
        "\(state.unitText(published.unit))\(published.subtree ? "（含下属单位）" : "") \(published.period) 的公示报表"
      findings.append(
        AuditFinding(
          code: "statement-mismatch", severity: .critical, units: [published.unit],
          seqs: [published.seq],
          message:
            "记录 #\(published.seq) 发布的\(what)与按账本在其检查点重算的不符：\(difference)。请记账员按账本重新签发，并以更正发布（statement create --correction-reason）",
          messageEnglish:
            "The statement of \(published.unit)\(published.subtree ? " (with the units below)" : "") for \(published.period) published in entry #\(published.seq) does not agree with the ledger recomputed at its checkpoint (the Chinese report names the first difference); the treasurer should issue it again from the ledger and publish it as a correction (statement create --correction-reason)"
        ))
    }
    return findings
  }
}
