/// The net movement of one asset account of one fund (bank, cash, in
/// transit) per accounting date, in date order: what a back-dated outflow is
/// checked against. Zero sums are not kept.
///
/// Entries are mostly dated today, so a movement is mostly appended at the
/// end; a back-dated one is inserted by binary search.
public struct AssetDays: Sendable, Equatable {
  public private(set) var dates: [AccountingDate] = []
  public private(set) var amounts: [Int64] = []

  public init() {}

  public var isEmpty: Bool { dates.isEmpty }
  public var latest: AccountingDate? { dates.last }

  /// Adds `amountFen` to the movement of `date`.
  public mutating func add(_ amountFen: Int64, on date: AccountingDate) {
    guard amountFen != 0 else { return }
    if dates.last.map({ $0 < date }) ?? true {
      dates.append(date)
      amounts.append(amountFen)
      return
    }
    let index = firstIndex(notBefore: date)
    if index < dates.count, dates[index] == date {
      amounts[index] += amountFen
      if amounts[index] == 0 {
        dates.remove(at: index)
        amounts.remove(at: index)
      }
    } else {
      dates.insert(date, at: index)
      amounts.insert(amountFen, at: index)
    }
  }

  /// The first position whose date is on or after `date`.
  func firstIndex(notBefore date: AccountingDate) -> Int {
    var low = 0
    var high = dates.count
    while low < high {
      let middle = (low + high) / 2
      if dates[middle] < date { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The first day on or after `date` whose closing balance, with
  /// `deltaFen` added to every day from `date` on, would be below zero; nil
  /// when every such day stays at zero or above. `closingFen` is the
  /// balance after the latest movement. The walk goes back from the latest
  /// movement to `date` only: the days after it, never the whole history.
  public func firstNegativeDay(
    from date: AccountingDate, adding deltaFen: Int64, closingFen: Int64
  ) -> (day: AccountingDate, balanceFen: Int64)? {
    let start = firstIndex(notBefore: date)
    var running = closingFen
    var found: (day: AccountingDate, balanceFen: Int64)?
    // Backwards from the latest movement: `running` is the closing balance
    // of dates[index] before its movement is taken off.
    for index in stride(from: dates.count - 1, through: start, by: -1) {
      if running + deltaFen < 0 { found = (dates[index], running) }
      running -= amounts[index]
    }
    // Without a movement of its own on `date`, its closing balance is what
    // is left: the balance before the next movement.
    let dateHasMovement = start < dates.count && dates[start] == date
    if !dateHasMovement, running + deltaFen < 0 { found = (date, running) }
    return found
  }
}
