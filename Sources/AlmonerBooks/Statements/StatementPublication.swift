import Foundation

/// A statement the log records as published (`statement.publish`).
public struct PublishedStatement: Sendable, Equatable {
  public var seq: Int64
  public var hash: Hash32
  public var unit: String
  public var period: String
  public var subtree: Bool
  public var supersedes: Hash32?
  public var reason: String?

  /// The memberwise initializer, for the store and the facade.
  package init(
    seq: Int64, hash: Hash32, unit: String, period: String, subtree: Bool,
    supersedes: Hash32? = nil, reason: String? = nil
  ) {
    self.seq = seq
    self.hash = hash
    self.unit = unit
    self.period = period
    self.subtree = subtree
    self.supersedes = supersedes
    self.reason = reason
  }
}

extension LedgerState {
  /// The statement of `unit`, `period` and scope now in force: published
  /// and not superseded by a later one.
  public func publishedStatement(unit: String, period: String, subtree: Bool)
    -> PublishedStatement?
  {
    let superseded = Set(statements.values.compactMap(\.supersedes))
    return statements.values.filter {
      $0.unit == unit && $0.period == period && $0.subtree == subtree
        && !superseded.contains($0.hash)
    }.max { $0.seq < $1.seq }
  }

  /// The statement in force of `unit` and scope for the latest period that
  /// ends before `period` begins: the one whose closing balances this
  /// period opens with.
  public func previousStatement(unit: String, subtree: Bool, before period: StatementPeriod)
    -> PublishedStatement?
  {
    let superseded = Set(statements.values.compactMap(\.supersedes))
    var best: (to: AccountingDate, statement: PublishedStatement)?
    for published in statements.values
    where published.unit == unit && published.subtree == subtree
      && !superseded.contains(published.hash)
    {
      guard let other = try? StatementPeriod(published.period), other.to < period.from else {
        continue
      }
      if let current = best,
        current.to > other.to
          || (current.to == other.to && current.statement.seq > published.seq)
      {
        continue
      }
      best = (other.to, published)
    }
    return best?.statement
  }

  /// `statement.publish`: a treasurer or admin of the unit records a
  /// statement as published. A second statement of the same unit, period
  /// and scope must name the one in force as the statement it supersedes,
  /// with a reason; the first must name none.
  mutating func applyStatementPublish(
    _ entry: Entry, _ body: StatementPublishBody, _ changes: inout ProjectionChanges
  ) throws(AlmonerError) {
    let period = try body.validate()
    let unit = try requireUnit(body.unit)
    try requireRole([.treasurer, .admin], on: unit.code, entry)
    if let earlier = statements[body.hash] {
      throw .refused(.statementPublishedBefore(hash: body.hash.hex, seq: earlier.seq))
    }
    let scope = body.subtree ? "（含下属单位）" : ""
    let current = publishedStatement(unit: unit.code, period: period.name, subtree: body.subtree)
    switch (current, body.supersedes) {
    case (nil, nil):
      break
    case (nil, .some(let named)):
      throw .refused(
        .statementCorrectsNothing(
          scope: "\(unitText(unit.code))\(scope)\(period.displayName)", supersedes: named.hex))
    case (.some(let current), nil):
      throw .refused(
        .statementNeedsCorrection(
          scope: "\(unitText(unit.code))\(scope)\(period.displayName)", seq: current.seq,
          hash: current.hash.hex))
    case (.some(let current), .some(let named)):
      guard named == current.hash else {
        throw .refused(
          .statementCorrectsWrong(
            supersedes: named.hex, scope: "\(unitText(unit.code))\(scope)\(period.displayName)",
            seq: current.seq, hash: current.hash.hex))
      }
    }
    let published = PublishedStatement(
      seq: entry.seq, hash: body.hash, unit: unit.code, period: period.name,
      subtree: body.subtree, supersedes: body.supersedes, reason: body.reason)
    statements[body.hash] = published
    changes.statements.append(published)
  }
}

/// How journal lines and messages describe a publication.
package enum StatementPublication {
  package static func summary(_ body: StatementPublishBody, state: LedgerState) -> String {
    let period = (try? StatementPeriod(body.period))?.displayName ?? body.period
    let scope = body.subtree ? "（含下属单位）" : ""
    let what = "发布\(state.unitText(body.unit))\(scope)\(period)公示报表 \(body.hash.hex.prefix(16))…"
    guard let supersedes = body.supersedes else { return what }
    return "\(what)，更正 \(supersedes.hex.prefix(16))…：\(body.reason ?? "")"
  }
}
