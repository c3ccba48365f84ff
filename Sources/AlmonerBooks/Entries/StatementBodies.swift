/// `statement.publish` (发布公示报表): the log records which statement was
/// published, by its hash, for which unit, period and scope; a correction
/// names the statement it supersedes and why. The statement file itself is
/// kept beside the log (`statement_file`), not in it. Mirrors
/// `$defs/statementPublishBody`.
public struct StatementPublishBody: Sendable {
  /// SHA-256 of the statement body's canonical bytes (`Statement.hash`).
  public var hash: Hash32
  /// `2026-11`, `2026-Q4` or `2026`.
  public var period: String
  /// Why the superseded statement was wrong; present exactly when
  /// `supersedes` is.
  public var reason: String?
  /// True for a rolled-up statement of the unit and the units below it.
  public var subtree: Bool
  /// The hash of the statement of the same unit, period and scope that this
  /// one corrects.
  public var supersedes: Hash32?
  public var unit: String

  public init(
    hash: Hash32, period: String, reason: String? = nil, subtree: Bool,
    supersedes: Hash32? = nil, unit: String
  ) {
    self.hash = hash
    self.period = period
    self.reason = reason
    self.subtree = subtree
    self.supersedes = supersedes
    self.unit = unit
  }

  enum Key: Int, EntryFieldKey {
    case hash, period, reason, subtree, supersedes, unit
    var spelling: StaticString {
      switch self {
      case .hash: "hash"
      case .period: "period"
      case .reason: "reason"
      case .subtree: "subtree"
      case .supersedes: "supersedes"
      case .unit: "unit"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> StatementPublishBody {
    var hash: Hash32?
    var period: String?
    var reason: String?
    var subtree: Bool?
    var supersedes: Hash32?
    var unit: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .hash: hash = try reader.hash()
      case .period: period = try reader.string()
      case .reason: reason = try reader.string()
      case .subtree: subtree = try reader.bool()
      case .supersedes: supersedes = try reader.hash()
      case .unit: unit = try reader.string()
      }
    }
    return StatementPublishBody(
      hash: try reader.required(hash, Key.hash), period: try reader.required(period, Key.period),
      reason: reason, subtree: try reader.required(subtree, Key.subtree), supersedes: supersedes,
      unit: try reader.required(unit, Key.unit))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.hash, first: &first)
    out.writeHash(hash)
    out.key(Key.period, first: &first)
    out.writeString(period)
    if let reason {
      out.key(Key.reason, first: &first)
      out.writeString(reason)
    }
    out.key(Key.subtree, first: &first)
    out.writeBool(subtree)
    if let supersedes {
      out.key(Key.supersedes, first: &first)
      out.writeHash(supersedes)
    }
    out.key(Key.unit, first: &first)
    out.writeString(unit)
    out.endObject(first: first)
  }

  /// The period parsed, the reason's text, and the pairing of `reason`
  /// with `supersedes`.
  func validate() throws(AlmonerError) -> StatementPeriod {
    let kind = EntryKind.statementPublish.rawValue
    let period: StatementPeriod
    do { period = try StatementPeriod(self.period) } catch {
      throw BodyCheck.fail("\(kind).\(Key.period.text)", "应为月份 2026-11、季度 2026-Q4 或年份 2026")
    }
    switch (supersedes, reason) {
    case (nil, nil): break
    case (.some, .some(let reason)):
      try BodyCheck.displayText(reason, "\(kind).\(Key.reason.text)")
    case (.some, nil):
      throw BodyCheck.fail("\(kind).\(Key.reason.text)", "缺失：更正报表须写明更正原因")
    case (nil, .some):
      throw BodyCheck.fail("\(kind).\(Key.reason.text)", "只用于更正报表（有 supersedes 时）")
    }
    return period
  }
}
