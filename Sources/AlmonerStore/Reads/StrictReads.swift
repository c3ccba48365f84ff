import GRDB

extension LedgerStore {
  /// A stored value of one of the ledger's enumerations (tier, role,
  /// status…), refused when it is not one almoner writes: the table was
  /// edited outside almoner, and a default would hide that.
  static func known<Value: RawRepresentable>(
    _ raw: String, table: String, column: String
  ) throws -> Value where Value.RawValue == String {
    guard let value = Value(rawValue: raw) else {
      throw AlmonerError.refused(.projectionValueInvalid(table: table, column: column, value: raw))
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
