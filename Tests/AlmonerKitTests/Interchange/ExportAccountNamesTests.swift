import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

@Suite("export account names")
struct ExportAccountNamesTests {
  static let accounts: [Account] =
    [.bank, .cash, .inTransit, .allocationsIn, .allocationsOut, .releaseIn, .releaseOut]
    + Channel.allCases.map(Account.donations) + PurposeCategory.allCases.map(\.expenseAccount)
    + [ExportBook.openingBalances]

  @Test("every account of the chart, in any unit and fund, has a name beancount accepts")
  func namesAreValid() {
    for unit in ["GA", "GA-BC-JSL", "9Z-0"] {
      for fund in ["general", "elderly-canteen", "2026-flood", "a1-b-c"] {
        for account in Self.accounts {
          let name = ExportAccountNames.name(BalanceKey(unit: unit, fund: fund, account: account))
          #expect(ExportAccountNames.isValidBeancountName(name), "\(name)")
        }
      }
    }
    #expect(!ExportAccountNames.isValidBeancountName("Assets:GA:general:Bank"))
    #expect(!ExportAccountNames.isValidBeancountName("Assets:GA:老龄:Bank"))
    #expect(!ExportAccountNames.isValidBeancountName("Funds:GA:General:Bank"))
  }

  @Test("names read as the README shows, and no two accounts share one")
  func namesAreDistinct() {
    #expect(
      ExportAccountNames.name(BalanceKey(unit: "GA-BC-JSL", fund: "general", account: .bank))
        == "Assets:GA-BC-JSL:General:Bank")
    #expect(
      ExportAccountNames.name(
        BalanceKey(unit: "GA-BC-JSL", fund: "general", account: .donations(.wechat)))
        == "Income:GA-BC-JSL:General:Donations:WeChat")
    #expect(
      ExportAccountNames.name(
        BalanceKey(
          unit: "GA", fund: "elderly-canteen", account: PurposeCategory.elderly.expenseAccount))
        == "Expenses:GA:Elderly-Canteen:Programme:Elderly")
    #expect(
      ExportAccountNames.name(BalanceKey(unit: "GA", fund: "general", account: .inTransit))
        == "Assets:GA:General:InTransit")
    #expect(
      ExportAccountNames.name(BalanceKey(unit: "GA", fund: "general", account: .releaseIn))
        == "Equity:GA:General:ReleaseIn")
    var seen: [String: BalanceKey] = [:]
    for unit in ["GA", "GA-BC"] {
      for fund in ["general", "elderly-canteen", "elderly", "canteen"] {
        for account in Self.accounts {
          let key = BalanceKey(unit: unit, fund: fund, account: account)
          let name = ExportAccountNames.name(key)
          #expect(
            seen[name] == nil, "\(name) for both \(key) and \(seen[name].map { "\($0)" } ?? "")")
          seen[name] = key
        }
      }
    }
  }
}
