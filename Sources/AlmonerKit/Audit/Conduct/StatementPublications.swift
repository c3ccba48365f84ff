/// A statement published in the log: which unit, which period (`2026-Q3`,
/// `2026-08`, `2026`).
public struct StatementPublication: Sendable, Equatable {
  public var unit: String
  public var period: String

  public init(unit: String, period: String) {
    self.unit = unit
    self.period = period
  }
}

/// Recognises the entries that publish statements, for the
/// `statement-missing` rule.
///
/// The `statement.publish` entry kind (body fields `unit`, `period`) is
/// being added on another branch. Until it is merged, the auditor has no
/// reader and the rule does not run (it would report every quarter). On
/// merging, set `ConductAuditor.defaultStatementReader` to a reader that
/// matches `.statementPublish(let body)` and returns
/// `StatementPublication(unit: body.unit, period: body.period)`.
public protocol StatementPublicationReader: Sendable {
  /// The statement `entry` publishes, or nil when it publishes none.
  func publication(in entry: Entry) -> StatementPublication?
}
