/// A statement published in the log, as `statement-missing` needs it: which
/// unit, which period (`2026-Q3`, `2026-08`, `2026`). A subtree statement
/// counts for the unit it names; a correction counts like the original.
public struct ConductPublication: Sendable, Equatable {
  public var unit: String
  public var period: String

  public init(unit: String, period: String) {
    self.unit = unit
    self.period = period
  }
}

/// Recognises the entries that publish statements, for `statement-missing`.
/// The log's own `statement.publish` entries (`LogStatementReader`) by
/// default; tests may list publications instead.
public protocol StatementPublicationReader: Sendable {
  /// The statement `entry` publishes, or nil when it publishes none.
  func publication(in entry: Entry) -> ConductPublication?
}

/// Reads `statement.publish` entries: a subtree statement counts for the
/// unit it names, a correction like the original.
public struct LogStatementReader: StatementPublicationReader {
  public init() {}

  public func publication(in entry: Entry) -> ConductPublication? {
    guard case .statementPublish(let body) = entry.body else { return nil }
    return ConductPublication(unit: body.unit, period: body.period)
  }
}
