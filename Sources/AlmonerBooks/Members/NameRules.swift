/// Names a reader tells units and funds apart by. Two names are the same
/// name when their `Text.nameKey` is (NFKC, case, variation selectors,
/// runs of spaces); this is the one place that compares them.
extension LedgerState {
  /// Refuses a unit name that reads like a unit code or is one, or that
  /// another unit already has, and a unit code that is another unit's name.
  func requireDistinctUnitName(_ name: String, code: String) throws(AlmonerError) {
    if Text.looksLikeUnitCode(name) {
      throw .refused(.unitNameLikeCode(name: name))
    }
    let key = Text.nameKey(name)
    let codeKey = Text.nameKey(code)
    for unit in units.values {
      if Text.nameKey(unit.code) == key {
        throw .refused(.unitNameIsCode(name: name, unitCode: unit.code, unitName: unit.name))
      }
      if Text.nameKey(unit.name) == key {
        throw .refused(.unitNameTaken(name: name, unitCode: unit.code, unitName: unit.name))
      }
      if Text.nameKey(unit.name) == codeKey {
        throw .refused(.unitCodeIsName(code: code, unitCode: unit.code, unitName: unit.name))
      }
    }
  }

  /// Refuses a fund name that another fund of `unit` already has, or that
  /// is the code of one of its funds, and a fund code that is the name of one.
  func requireDistinctFundName(_ name: String, code: String, unit: Unit) throws(AlmonerError) {
    let key = Text.nameKey(name)
    let codeKey = Text.nameKey(code)
    for fund in funds.values where fund.unit == unit.code {
      if Text.nameKey(fund.name) == key {
        throw .refused(
          .fundNameTaken(name: name, unitName: unit.name, fundCode: fund.code, fundName: fund.name))
      }
      if Text.nameKey(fund.code) == key {
        throw .refused(
          .fundNameIsCode(name: name, unitName: unit.name, fundCode: fund.code, fundName: fund.name)
        )
      }
      if Text.nameKey(fund.name) == codeKey {
        throw .refused(.fundCodeIsName(code: code, unitName: unit.name, fundName: fund.name))
      }
    }
  }
}
