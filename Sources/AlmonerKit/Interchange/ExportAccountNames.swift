/// Account names in hledger and beancount exports:
/// `<Type>:<unit code>:<Fund>:<account>`, e.g. `Assets:GA-BC-JSL:General:Bank`,
/// `Income:GA-BC-JSL:General:Donations:WeChat`,
/// `Expenses:GA:Elderly-Canteen:Programme:Elderly`.
///
/// Beancount is strict about names: the first component is one of its five
/// types, and every component starts with a capital letter or a digit and
/// holds only letters, digits and hyphens. So names are built from the
/// stable ASCII codes — the unit code as it is (`GA-BC-JSL`), the fund code
/// with each hyphen-separated word capitalised (`elderly-canteen` →
/// `Elderly-Canteen`, reversible since fund codes are lower-case) — and the
/// Chinese names go into account comments and metadata.
public enum ExportAccountNames {
  /// The top-level name of each category. Net assets (净资产) are beancount's
  /// and hledger's `Equity`.
  static func typeName(_ category: Account.Category) -> String {
    switch category {
    case .assets: "Assets"
    case .liabilities: "Liabilities"
    case .netAssets: "Equity"
    case .income: "Income"
    case .expenses: "Expenses"
    }
  }

  /// The export's name for `key`.
  public static func name(_ key: BalanceKey) -> String {
    let account = key.account
    let tail = account.name.split(separator: ":", omittingEmptySubsequences: false).dropFirst()
    let parts =
      account == ExportBook.openingBalances
      ? ["Opening-Balances"] : tail.map { component(String($0)) }
    return ([typeName(account.category), key.unit, fundComponent(key.fund)] + parts)
      .joined(separator: ":")
  }

  /// `elderly-canteen` → `Elderly-Canteen`, `general` → `General`.
  static func fundComponent(_ code: String) -> String {
    code.split(separator: "-", omittingEmptySubsequences: false).map { capitalised($0) }
      .joined(separator: "-")
  }

  /// One component of the ledger's account name: `in-transit` →
  /// `InTransit`, `wechat` → `WeChat`, `programme` → `Programme`.
  static func component(_ text: String) -> String {
    precondition(!text.isEmpty, "account names of the chart have no empty component")
    if text == Channel.wechat.rawValue { return "WeChat" }
    return text.split(separator: "-").map { capitalised($0) }.joined()
  }

  private static func capitalised(_ word: Substring) -> String {
    guard let first = word.first else { return "" }
    return first.uppercased() + word.dropFirst()
  }

  /// True when `name` is an account name beancount 2 accepts: a type, then
  /// components starting with a capital letter or digit, of ASCII letters,
  /// digits and hyphens.
  public static func isValidBeancountName(_ name: String) -> Bool {
    let components = name.split(separator: ":", omittingEmptySubsequences: false)
    guard components.count >= 2,
      ["Assets", "Liabilities", "Equity", "Income", "Expenses"].contains(String(components[0]))
    else { return false }
    return components.dropFirst().allSatisfy { component in
      guard let first = component.utf8.first,
        (65...90).contains(first) || (48...57).contains(first)
      else { return false }
      return component.utf8.allSatisfy {
        (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0)
          || $0 == UInt8(ascii: "-")
      }
    }
  }
}
