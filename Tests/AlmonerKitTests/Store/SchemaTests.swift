import Foundation
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerLog
@testable import AlmonerStore

@Suite("SQL schema")
struct SQLSchemaTests {
  @Test("the migrations compiled into the binary are exactly Schemas/sql")
  func embeddedMigrationsMatchSchemas() throws {
    let directory = packageRoot.appendingPathComponent("Schemas/sql")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".sql") }.sorted()
    #expect(files.map { String($0.dropLast(4)) } == embeddedMigrations.map(\.identifier))
    for (file, migration) in zip(files, embeddedMigrations) {
      let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
      #expect(
        text.trimmingCharacters(in: .newlines) == migration.sql.trimmingCharacters(in: .newlines),
        "\(file) differs from the embedded copy: run scripts/embed-schemas.sh")
    }
  }
}
