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
      throw .badInput("这份报表不是本账本的（单位 \(statement.unit.code) 或账本 ID 不符）")
    }
    guard state.keys[signer.keyID]?.revokedSeq == nil,
      state.holds(.treasurer, on: unit.code, keyID: signer.keyID)
        || state.holds(.admin, on: unit.code, keyID: signer.keyID)
    else {
      let name = state.keys[signer.keyID]?.name ?? signer.keyID
      throw .badInput(
        "\(name)（\(signer.keyID)）不是\(state.unitText(unit.code))的记账员或管理员，不能发布它的公示报表")
    }
    guard statement.signatures.contains(where: { $0.role == .supervisor }) else {
      throw .badInput("报表还没有监督员会签，不能发布：请先请监督员 `almoner statement cosign`")
    }
    if let published = state.statements[statement.hash] {
      throw .badInput("这份报表已于记录 #\(published.seq) 发布过")
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
