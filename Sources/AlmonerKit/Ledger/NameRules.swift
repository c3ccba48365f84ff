/// Names a reader tells units and funds apart by. Two names are the same
/// name when their `Text.nameKey` is (NFKC, case, variation selectors,
/// runs of spaces); this is the one place that compares them.
extension LedgerState {
  /// Refuses a unit name that reads like a unit code or is one, or that
  /// another unit already has, and a unit code that is another unit's name.
  func requireDistinctUnitName(_ name: String, code: String) throws(AlmonerError) {
    if Text.looksLikeUnitCode(name) {
      throw .badInput(
        "单位名称「\(name)」像单位代码（只有大写字母、数字和连字符），会与单位代码混淆：请用单位的中文全称，例如「北城街道」")
    }
    let key = Text.nameKey(name)
    let codeKey = Text.nameKey(code)
    for unit in units.values {
      if Text.nameKey(unit.code) == key {
        throw .badInput("单位名称「\(name)」与单位 \(unit.code)（\(unit.name)）的代码相同：请用单位的中文全称")
      }
      if Text.nameKey(unit.name) == key {
        throw .badInput(
          "已有单位「\(unit.name)」（\(unit.code)），与「\(name)」视为同名（不分全角半角、大小写比较）：请用能区分的名称")
      }
      if Text.nameKey(unit.name) == codeKey {
        throw .badInput("单位代码 \(code) 与单位「\(unit.name)」（\(unit.code)）的名称相同：请换一个代码")
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
        throw .badInput(
          "\(unit.name)已有名为「\(fund.name)」的基金（代码 \(fund.code)），与「\(name)」视为同名（不分全角半角、大小写比较）：请用能区分的名称"
        )
      }
      if Text.nameKey(fund.code) == key {
        throw .badInput("基金名称「\(name)」与\(unit.name)基金 \(fund.code)（\(fund.name)）的代码相同：请换一个名称")
      }
      if Text.nameKey(fund.name) == codeKey {
        throw .badInput("基金代码 \(code) 与\(unit.name)的基金「\(fund.name)」的名称相同：请换一个代码")
      }
    }
  }
}
