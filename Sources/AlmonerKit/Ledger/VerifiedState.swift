import AlmonerStore

extension Ledger {
  /// The current state, once shown to be what the log says, as a write
  /// checks it (`StateTrust`: the schema, then the last commit's seal, or a
  /// full replay without one): for outputs others rely on later, such as
  /// the trust bundle residents verify receipts with. Needs no write access.
  func verifiedState() throws(AlmonerError) -> LedgerState {
    try read { db in
      let trust = StateTrust(db: db)
      try trust.checkSchema()
      guard let head = try LedgerStore.head(db) else { return LedgerState() }
      let tree = try LogContext.restored(db, treeSize: head.seq + 1)
      return try trust.trustedState(head: head, tree: tree)
    }
  }
}
