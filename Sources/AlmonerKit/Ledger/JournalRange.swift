import AlmonerStore

extension JournalSelection {
  /// The entries worth reading: with a unit, a date or a kind in the
  /// filter, only the donations of the units in scope, and the other
  /// entries, dated in range (through the indexes of migration 0010), so a
  /// community's month reads that month's entries, not the ledger. Every
  /// entry read still passes `admits` and the scope test, as before.
  func query(state: LedgerState, lastSeq: Int64) -> EntryRangeQuery {
    var query = EntryRangeQuery(lastSeq: lastSeq)
    guard scope != nil || from != nil || to != nil || kinds != nil else {
      // The whole journal: every entry, as the table holds them.
      query.donationUnits = nil
      query.others = true
      query.wholeLog = true
      return query
    }
    query.from = from
    query.to = to
    // A donation concerns exactly its own unit, which must exist.
    query.donationUnits = (scope.map(Array.init) ?? Array(state.units.keys)).sorted()
    if let kinds {
      if !kinds.contains(.donation) { query.donationUnits = nil }
      query.others = !kinds.subtracting([.donation]).isEmpty
    }
    return query
  }
}
