import GRDB

/// The file's schema against the one the migrations create. A trigger, view
/// or table planted in the file runs (or lies) on the next write, so writes
/// refuse a file whose `sqlite_master` differs, and `verify` reports it.
extension LedgerStore {
  /// One row of `sqlite_master`.
  struct SchemaObject: Hashable, Comparable, CustomStringConvertible {
    var type: String
    var name: String
    var table: String
    var sql: String?

    static func < (lhs: SchemaObject, rhs: SchemaObject) -> Bool {
      (lhs.type, lhs.name) < (rhs.type, rhs.name)
    }

    var description: String {
      let kinds = ["table": "表", "index": "索引", "trigger": "触发器", "view": "视图"]
      return "\(kinds[type] ?? type) \(name)"
    }
  }

  /// What the migrations create, from a fresh in-memory database; computed
  /// once per process.
  static let expectedSchema: Set<SchemaObject> = {
    do {
      let queue = try DatabaseQueue()
      try migrator().migrate(queue)
      return try queue.read(schema)
    } catch {
      preconditionFailure("the embedded migrations do not run on an empty database: \(error)")
    }
  }()

  /// The statistics tables `ANALYZE` may make: they only steer the query
  /// planner, so a file may hold them.
  static let statisticsTables: Set<String> = [
    "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4",
  ]

  /// `sqlite_master`, less the statistics tables. Only tables of exactly
  /// those names are left out: with `PRAGMA writable_schema` a trigger or
  /// table may be given any name starting with `sqlite_stat`, and SQLite
  /// runs it like any other.
  static func schema(_ db: Database) throws -> Set<SchemaObject> {
    Set(
      try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master").map { row in
        SchemaObject(
          type: row[0] as String? ?? "", name: row[1] as String? ?? "",
          table: row[2] as String? ?? "", sql: row[3])
      }.filter { !($0.type == "table" && statisticsTables.contains($0.name)) })
  }

  /// Each difference between the file's schema and the migrations', in
  /// words a supervisor can act on; empty when they agree.
  package static func schemaProblems(_ db: Database) throws -> [String] {
    let actual = try schema(db)
    let expected = expectedSchema
    guard actual != expected else { return [] }
    let expectedByName = Dictionary(expected.map { ($0.name, $0) }) { first, _ in first }
    let actualNames = Set(actual.map(\.name))
    var problems: [String] = []
    for object in actual.subtracting(expected).sorted() {
      if let original = expectedByName[object.name] {
        problems.append("数据库结构被改动：\(original) 的定义与迁移脚本不同")
      } else {
        problems.append("数据库中多出了\(object)（属于表 \(object.table)），迁移脚本里没有它")
      }
    }
    for object in expected.sorted() where !actualNames.contains(object.name) {
      problems.append("数据库结构被改动：缺少\(object)")
    }
    return problems
  }
}
