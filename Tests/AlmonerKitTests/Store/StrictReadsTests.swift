import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// Projection rows are read strictly: a value almoner never writes is
/// refused, naming the table and column, instead of read as a default.
@Suite("Strict reads of the projection tables")
struct StrictReadsTests {
  @Test(
    "an unknown tier, role or status (CHECK constraints bypassed) is refused, naming table and column",
    arguments: [
      ("UPDATE unit SET tier = 'province' WHERE code = 'GA-BC'", "unit", "tier"),
      ("UPDATE member_grant SET role = 'boss'", "member_grant", "role"),
      ("UPDATE allocation SET status = 'lost'", "allocation", "status"),
    ])
  func unknownValueRefused(edit: String, table: String, column: String) throws {
    let fixture = try Fixture()
    try fixture.donate("100")
    _ = try fixture.ledger.allocate(
      from: "GA-BC-JSL", to: "GA-BC", amount: Money(fen: 100), fund: nil,
      signer: fixture.communityTreasurer)
    let db = try DatabaseQueue(path: fixture.path)
    try db.writeWithoutTransaction {
      try $0.execute(sql: "PRAGMA ignore_check_constraints = ON")
      try $0.execute(sql: edit)
    }
    try db.close()
    #expect {
      try fixture.ledger.state()
    } throws: { error in
      guard let error = error as? AlmonerError else { return false }
      return error.code == "projection-value-invalid"
        && error.message.contains("\(table) 的 \(column) 列")
    }
  }
}
