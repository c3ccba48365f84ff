import AlmonerStore
import Foundation
import GRDB

/// Which entries `almoner journal` shows. Every field narrows the list; the
/// texts are checked against the ledger before anything is read.
public struct JournalFilter: Sendable {
  /// A unit code or name: entries concerning it or its subtree.
  public var unit: String?
  public var from: AccountingDate?
  public var to: AccountingDate?
  /// Entry kinds (`donation`, `allocation` for every allocation kind, or
  /// the Chinese name); any of them.
  public var kinds: [String]
  /// An account (`bank`, `assets:bank`, `income`, 银行存款): entries posting to it.
  public var account: String?
  /// A donation's external reference, exactly.
  public var reference: String?
  /// Text in a donation's donor as the entry shows it (masked: 张*).
  public var donor: String?
  /// A key id or a member's name: entries signed by that person (any of their keys).
  public var signer: String?
  /// Entries up to this seq only: a journal read twice (text aligns its
  /// columns in a first pass) pins both reads to the same head.
  public var lastSeq: Int64?

  public init(
    unit: String? = nil, from: AccountingDate? = nil, to: AccountingDate? = nil,
    kinds: [String] = [], account: String? = nil, reference: String? = nil,
    donor: String? = nil, signer: String? = nil
  ) {
    self.unit = unit
    self.from = from
    self.to = to
    self.kinds = kinds
    self.account = account
    self.reference = reference
    self.donor = donor
    self.signer = signer
  }
}

/// The filter resolved against the state: sets to test each entry against.
struct JournalSelection {
  var scope: Set<String>?
  var from: AccountingDate?
  var to: AccountingDate?
  var kinds: Set<EntryKind>?
  var accounts: Set<Account>?
  var reference: String?
  var donor: String?
  var persons: Set<String>?

  init(_ filter: JournalFilter, state: LedgerState) throws(AlmonerError) {
    scope = try filter.unit.map { text throws(AlmonerError) in
      state.subtree(of: try state.resolveUnit(text, field: "--unit").code)
    }
    from = filter.from
    to = filter.to
    if !filter.kinds.isEmpty {
      var kinds: Set<EntryKind> = []
      for text in filter.kinds {
        let wanted = text.trimmingWhitespace()
        let matching = EntryKind.allCases.filter {
          $0.rawValue == wanted || $0.displayName == wanted || $0.rawValue.hasPrefix(wanted + ".")
        }
        guard !matching.isEmpty else {
          let known = EntryKind.allCases.map { "\($0.rawValue)（\($0.displayName)）" }
            .joined(separator: "、")
          throw .refused(.journalKindInvalid(text: text, known: known))
        }
        kinds.formUnion(matching)
      }
      self.kinds = kinds
    }
    if let text = filter.account {
      let wanted = text.trimmingWhitespace()
      let matching = Account.known.filter { account in
        account.name == wanted || account.name.hasPrefix(wanted + ":")
          || account.name.split(separator: ":").last.map(String.init) == wanted
          || account.displayName == wanted || account.category.rawValue == wanted
      }
      guard !matching.isEmpty else {
        throw .refused(.journalAccountInvalid(text: text))
      }
      accounts = Set(matching)
    }
    reference = filter.reference.map { Text.nfc($0.trimmingWhitespace()) }
    donor = filter.donor.map { Text.nfc($0.trimmingWhitespace()) }
    if let text = filter.signer {
      let wanted = Text.nfc(text.trimmingWhitespace())
      let keys = state.keys.values.filter { $0.keyID == wanted || $0.name == wanted }
      guard !keys.isEmpty else {
        throw .refused(.signerUnknown(text: text))
      }
      persons = Set(keys.map(\.personID))
    }
  }

  /// True when the entry passes the filters that need no description.
  func admits(_ entry: Entry, state: LedgerState) -> Bool {
    if let from, entry.date < from { return false }
    if let to, entry.date > to { return false }
    if let kinds, !kinds.contains(entry.kind) { return false }
    if let persons, !persons.contains(state.personID(of: entry.author)) { return false }
    if reference != nil || donor != nil {
      guard case .donation(let body) = entry.body else { return false }
      if let reference, body.ref != reference { return false }
      if let donor, !body.donor.display.contains(donor) { return false }
    }
    return true
  }
}

extension Account {
  /// Every account the rules post to: what `--account` is matched against.
  static var known: [Account] {
    [.bank, .cash, .inTransit, .allocationsIn, .allocationsOut, .releaseIn, .releaseOut]
      + [Channel.wechat, .alipay, .bank, .cash, .other].map { Account.donations($0) }
      + PurposeCategory.allCases.map(\.expenseAccount)
  }
}

extension Ledger {
  /// The journal as a stream: each entry passing `filter`, in seq order,
  /// handed to `each` as it is read, so memory does not grow with the
  /// ledger. Reversed entries name their reversal, reversals what they reverse.
  public func journal(_ filter: JournalFilter, each: (JournalLine) throws -> Void)
    throws(AlmonerError)
  {
    let state = try state()
    let selection = try JournalSelection(filter, state: state)
    try read { db in
      let rows = try selection.query(state: state, lastSeq: filter.lastSeq ?? .max).entries(db)
      while let row = try rows.next() {
        let entry = try Entry(canonical: row.canonical)
        guard selection.admits(entry, state: state) else { continue }
        if let accounts = selection.accounts {
          guard try !postedAccounts(entry, state: state, db: db).isDisjoint(with: accounts)
          else { continue }
        }
        let (units, amount, summary) = try describe(entry, state: state, db: db)
        if let scope = selection.scope, !units.contains(where: scope.contains) { continue }
        var line = JournalLine(
          seq: row.seq, hash: row.hash, entry: entry, units: units,
          amountFen: amount, summary: summary)
        line.signer = state.keys[entry.author]?.name ?? entry.author
        line.reversedBy = state.reversals[entry.seq]
        if case .reversal(let body) = entry.body { line.reverses = body.seq }
        try each(line)
      }
    }
  }

  /// The accounts `entry` posted to, worked out from its body as the rules do.
  private func postedAccounts(_ entry: Entry, state: LedgerState, db: Database) throws
    -> Set<Account>
  {
    func donationAccounts(_ body: DonationBody) -> Set<Account> {
      [body.channel == .cash ? .cash : .bank, .donations(body.channel)]
    }
    switch entry.body {
    case .donation(let body): return donationAccounts(body)
    case .allocationSend: return [.inTransit, .bank]
    case .allocationConfirm: return [.allocationsOut, .inTransit, .bank, .allocationsIn]
    case .allocationVoid: return [.bank, .inTransit]
    case .reversal(let body):
      guard let bytes = try LedgerStore.canonicalBytes(db, seq: body.seq),
        case .donation(let donation) = try Entry(canonical: bytes).body
      else { return [] }
      return donationAccounts(donation)
    case .disbursementPay(let body):
      guard let request = state.supervision.disbursements[body.request] else { return [] }
      switch request.kind {
      case .payment:
        var accounts: Set<Account> = [.bank]
        if let category = request.category { accounts.insert(category.expenseAccount) }
        return accounts
      case .release: return [.bank, .releaseOut, .releaseIn]
      case .opening: return [request.account ?? .bank, .openingBalance]
      }
    default: return []
    }
  }
}

extension Rendering {
  // MARK: Journal, streamed

  /// Writes the journal as text: a first pass over the entries measures the
  /// columns, a second writes the rows, so the table is aligned without
  /// holding the entries. `write` receives one line at a time.
  public static func streamJournalText(
    _ run: ((JournalLine) throws -> Void) throws -> Void, write: @escaping (String) -> Void
  ) throws {
    let header = ["序号", "日期", "类型", "金额（元）", "签名人", "冲销", "摘要"]
    var widths = header.map(Text.displayWidth)
    var count = 0
    try run { line in
      count += 1
      for (index, cell) in journalCells(line).enumerated() where index < header.count - 1 {
        widths[index] = max(widths[index], Text.displayWidth(Text.escaped(cell)))
      }
    }
    guard count > 0 else { return write("（没有符合条件的记录）\n") }
    // The reversal column shows only when a line has a mark (any mark is
    // wider than its header).
    let showMarks = widths[5] > Text.displayWidth(header[5])
    func format(_ cells: [String]) -> String {
      var parts: [String] = []
      for (index, cell) in cells.enumerated() {
        if index == 5 && !showMarks { continue }
        let escaped = Text.escaped(cell)
        if index == cells.count - 1 {
          parts.append(escaped)
        } else {
          parts.append(Text.pad(escaped, to: widths[index], right: index == 0 || index == 3))
        }
      }
      return parts.joined(separator: "  ") + "\n"
    }
    write(format(header))
    try run { line in write(format(journalCells(line))) }
  }

  static func journalCells(_ line: JournalLine) -> [String] {
    let mark =
      line.reversedBy.map { "已冲销 #\($0)" } ?? line.reverses.map { "冲销 #\($0)" } ?? ""
    return [
      "\(line.seq)", line.entry.date.text, line.entry.kind.displayName,
      line.amountFen.map { Money(fen: $0).groupedText } ?? "", line.signer, mark, line.summary,
    ]
  }

  /// Writes the journal as one canonical JSON array, a line at a time.
  public static func streamJournalJSON(
    _ run: ((JournalLine) throws -> Void) throws -> Void, write: @escaping (String) -> Void
  ) throws {
    write("[")
    var first = true
    try run { line in
      if !first { write(",") }
      first = false
      write(String(decoding: Canonical.encode(journalLineJSON(line)), as: UTF8.self))
    }
    write("]\n")
  }
}
