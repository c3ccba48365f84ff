/// How messages and reports name units and funds: by name and code, so two
/// units with look-alike names (or a name swapped in an edited file) can't be
/// confused.
extension LedgerState {
  /// `建设路社区（GA-BC-JSL）`.
  public func unitText(_ code: String?) -> String {
    guard let code else { return "?" }
    return units[code].map { "\($0.name)（\(code)）" } ?? code
  }

  /// `老龄食堂（elderly-canteen）`, or the general fund's name alone.
  public func fundText(unit: String?, code: String?) -> String {
    guard let unit, let code else { return Fund.generalName }
    guard let fund = funds[FundKey(unit: unit, code: code)] else { return code }
    return code == Fund.generalCode ? fund.name : "\(fund.name)（\(code)）"
  }
}
