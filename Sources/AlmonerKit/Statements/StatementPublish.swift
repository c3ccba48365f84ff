import Foundation

extension Ledger {
  /// Publishes a countersigned statement: re-verifies it and recomputes it
  /// from the ledger exactly as a countersigning supervisor does, then
  /// appends a `statement.publish` entry with its hash, unit, period and
  /// scope (and the statement it supersedes, with the reason) and keeps the
  /// file beside the log for `almoner publish DIR`. The signer is a
  /// treasurer or admin of the statement's unit.
  @discardableResult
  public func publishStatement(_ statement: Statement, signer: SigningKey) throws(AlmonerError)
    -> AppendedEntry
  {
    let state = try state()
    guard let unit = state.units[statement.unit.code], statement.ledgerID == state.ledgerID else {
      throw .refused(.statementOtherLedger(unitCode: statement.unit.code))
    }
    guard state.keys[signer.keyID]?.revokedSeq == nil,
      state.holds(.treasurer, on: unit.code, keyID: signer.keyID)
        || state.holds(.admin, on: unit.code, keyID: signer.keyID)
    else {
      let name = state.keys[signer.keyID]?.name ?? signer.keyID
      throw .refused(
        .statementPublisherNotTreasurer(
          name: name, keyID: signer.keyID, unit: state.unitText(unit.code)))
    }
    guard statement.signatures.contains(where: { $0.role == .supervisor }) else {
      throw .refused(.statementNotCosigned)
    }
    if let published = state.statements[statement.hash] {
      throw .refused(.statementAlreadyPublished(seq: published.seq))
    }
    _ = try recheckStatement(statement, unit: unit, state: state, doing: "发布")
    let body = StatementPublishBody(
      hash: statement.hash, period: statement.period.name, reason: statement.supersedes?.reason,
      subtree: statement.subtree, supersedes: statement.supersedes?.hash, unit: unit.code)
    let file = statement.fileBytes
    let appended = try commit(signer: signer) { _ throws(AlmonerError) in
      [EntryDraft(body: .statementPublish(body), statementFile: file)]
    }
    return appended[0]
  }
}
