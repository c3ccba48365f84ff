import AlmonerStore
import Foundation

extension Ledger {
  /// A supervisor's countersignature: recomputes the statement from the
  /// ledger, refuses if anything differs, checks it as a resident would
  /// (against the ledger's own trust bundle), then adds the signature with
  /// the entries that gave the supervisor their role.
  public func cosignStatement(_ statement: Statement, signer: SigningKey) throws(AlmonerError)
    -> Statement
  {
    let state = try state()
    guard let unit = state.units[statement.unit.code], statement.ledgerID == state.ledgerID else {
      throw .refused(.statementOtherLedger(unitCode: statement.unit.code))
    }
    guard let member = state.keys[signer.keyID], member.revokedSeq == nil,
      state.holds(.supervisor, on: unit.code, keyID: signer.keyID)
    else {
      let name = state.keys[signer.keyID]?.name ?? signer.keyID
      throw .refused(
        .statementCosignerNotSupervisor(
          name: name, keyID: signer.keyID, unit: state.unitText(unit.code)))
    }
    guard !statement.signatures.contains(where: { $0.keyID == signer.keyID }) else {
      throw .refused(.statementAlreadySigned(name: member.name))
    }
    let treeSize = try recheckStatement(statement, unit: unit, state: state, doing: "会签")
    // The supervisor's role is proven by entries attached to the signature.
    let catalogue = try read { db in
      var catalogue = StatementCatalogue()
      for bytes in try LedgerStore.canonicalEntries(db, below: treeSize) {
        catalogue.note(try Entry(canonical: bytes))
      }
      return catalogue
    }
    let proofs = StatementRoles.proofs(
      catalogue.roles[signer.keyID] ?? [], role: .supervisor, unit: unit.code,
      lineage: catalogue.lineage(of: unit.code))
    guard let proof = proofs.first else {
      throw .refused(.statementSupervisorAfterCheckpoint(name: member.name))
    }
    var grants: [Statement.Line] = []
    for seq in proof.seqs {
      let inclusion = try inclusionProof(seq: seq, treeSize: treeSize)
      guard let logged = try loggedEntry(at: seq) else {
        throw .refused(.ledgerEntryMissing(seq: seq))
      }
      grants.append(Statement.Line(seq: seq, entry: logged.canonical, proof: inclusion.proof))
    }
    var signed = statement
    signed.sign(as: .supervisor, name: member.name, with: signer, grants: grants)
    return signed
  }
}

extension Ledger {
  /// Checks `statement` as a resident would (against the ledger's own trust
  /// bundle), then recomputes it from the ledger and refuses, naming the
  /// first difference, unless it is the same: what a supervisor does before
  /// countersigning and a treasurer before publishing. Returns the tree
  /// size of the checkpoint it is bound to.
  func recheckStatement(_ statement: Statement, unit: Unit, state: LedgerState, doing: String)
    throws(AlmonerError) -> Int64
  {
    let (recomputed, treeSize) = try recomputeStatement(
      statement, unit: unit, state: state, doing: doing)
    guard recomputed.hash == statement.hash else {
      throw .refused(
        .statementRecomputedDiffers(
          difference: StatementDifference.describe(statement, recomputed), doing: doing))
    }
    return treeSize
  }

  /// `statement` checked as a resident would (against the ledger's own
  /// trust bundle), and the statement the ledger gives for the same unit,
  /// period, scope and checkpoint, with the tree size of that checkpoint.
  func recomputeStatement(_ statement: Statement, unit: Unit, state: LedgerState, doing: String)
    throws(AlmonerError) -> (recomputed: Statement, treeSize: Int64)
  {
    guard let treasurer = statement.signatures.first(where: { $0.role == .treasurer }) else {
      throw .refused(.statementWithoutTreasurer(doing: doing))
    }
    _ = try statement.verify(trust: try trustBundle())
    let treeSize = try statement.checkpointTreeSize()
    guard
      let record = try checkpoints().first(where: { $0.record.treeSize == treeSize })?.record
    else { throw .refused(.statementCheckpointNotInLedger(treeSize: treeSize)) }
    var recomputed = try computeStatement(
      unit: unit, period: statement.period, subtree: statement.subtree,
      supersedes: statement.supersedes, signerKeyID: treasurer.keyID, role: .treasurer,
      state: state, checkpointSeq: record.seq)
    // Cosignatures added to the checkpoint after the statement was made do
    // not change what it covers.
    recomputed.checkpoint = statement.checkpoint
    return (recomputed, treeSize)
  }
}

/// Names the first difference between two statements, for a refusal.
enum StatementDifference {
  static func describe(_ stated: Statement, _ computed: Statement) -> String {
    for fund in computed.funds {
      guard let other = stated.funds.first(where: { $0.code == fund.code }) else {
        return "报表缺少基金 \(fund.code)"
      }
      if other != fund { return "基金「\(fund.name)」（\(fund.code)）的金额不同" }
    }
    let statedSeqs = Set(stated.lines.map(\.seq))
    let computedSeqs = Set(computed.lines.map(\.seq))
    if let missing = computedSeqs.subtracting(statedSeqs).min() { return "报表缺少记录 #\(missing)" }
    if let extra = statedSeqs.subtracting(computedSeqs).min() { return "报表多出记录 #\(extra)" }
    if stated.funds.count != computed.funds.count { return "基金列表不同" }
    if stated.previous != computed.previous {
      return
        "上一期报表不同（报表写 \(stated.previous?.hex ?? "无")，账本中现为 \(computed.previous?.hex ?? "无")）：上一期报表在签发后被发布或更正过"
    }
    return "报表头或各行内容不同"
  }
}
