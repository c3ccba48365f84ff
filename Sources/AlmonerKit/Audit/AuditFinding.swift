/// One thing an audit found: what (a stable code scripts and tests match),
/// how serious, where (units and entry seqs, or a table), and a sentence a
/// supervisor understands, in Chinese and in English.
///
/// Integrity and accounting checks (`almoner audit`) and the conduct rules
/// report through this one type, so the report, its JSON, the `audit` entry
/// that records it and the tests all speak the same codes.
public struct AuditFinding: Sendable, Equatable, Hashable {
  public enum Severity: String, Sendable, CaseIterable, Comparable {
    /// The books or the log cannot be trusted as they stand (tampering, a
    /// broken rule of accounting).
    case critical
    /// Conduct a supervisor must look at (split requests, duplicate
    /// references, restricted money on an unrelated purpose, …).
    case warning
    /// Worth knowing, not necessarily wrong (round-number clusters, late
    /// records, a statement not yet published).
    case notice

    /// 严重 / 警告 / 提示
    public var chineseName: String {
      switch self {
      case .critical: "严重"
      case .warning: "警告"
      case .notice: "提示"
      }
    }

    private var rank: Int {
      switch self {
      case .critical: 0
      case .warning: 1
      case .notice: 2
      }
    }

    /// Most serious first.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
  }

  /// Stable, kebab-case, e.g. `split-request`, `duplicate-reference`,
  /// `entry-hash-mismatch`. Never reworded once shipped.
  public var code: String
  public var severity: Severity
  /// Unit codes the finding concerns (may be empty for ledger-wide ones).
  public var units: [String]
  /// Entry seqs the finding concerns, ascending.
  public var seqs: [Int64]
  /// The table concerned, for findings about stored state (`daily_balance`,
  /// `sqlite_master`, …); nil otherwise.
  public var table: String?
  /// The sentence for a supervisor, in Chinese.
  public var message: String
  /// The same sentence in English (`--lang en`).
  public var messageEnglish: String

  public init(
    code: String, severity: Severity, units: [String] = [], seqs: [Int64] = [],
    table: String? = nil, message: String, messageEnglish: String
  ) {
    self.code = code
    self.severity = severity
    self.units = units
    self.seqs = seqs.sorted()
    self.table = table
    self.message = message
    self.messageEnglish = messageEnglish
  }

  public func message(english: Bool) -> String { english ? messageEnglish : message }
}
