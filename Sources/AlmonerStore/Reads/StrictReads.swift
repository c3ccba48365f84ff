import GRDB

extension LedgerStore {
  /// A stored value of one of the ledger's enumerations (tier, role,
  /// status…), refused when it is not one almoner writes: the table was
  /// edited outside almoner, and a default would hide that.
  static func known<Value: RawRepresentable>(
    _ raw: String, table: String, column: String
  ) throws -> Value where Value.RawValue == String {
    guard let value = Value(rawValue: raw) else {
      throw AlmonerError.verification(
        "投影表 \(table) 的 \(column) 列有 almoner 不会写入的值“\(raw)”：账本文件在 almoner 之外被改动过。请运行 `almoner verify ledger` 查明"
      )
    }
    return value
  }

  /// `known` for a column that may be NULL.
  static func known<Value: RawRepresentable>(
    _ raw: String?, table: String, column: String
  ) throws -> Value? where Value.RawValue == String {
    try raw.map { try known($0, table: table, column: column) as Value }
  }
}
