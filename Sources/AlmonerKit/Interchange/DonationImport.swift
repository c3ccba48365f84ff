import AlmonerStore
import Foundation
import GRDB

/// One row of a bill that will be (or was) recorded as a donation.
public struct ImportedDonation: Sendable {
  /// The line of the file the row starts on.
  public var line: Int
  public var input: DonationInput
  public var unit: Unit
  public var fund: Fund
  /// The donor as the entry shows it: 张*, an organisation's full name, 匿名.
  public var display: String
}

/// A row that can't be imported, and why.
public struct ImportProblem: Sendable, Equatable {
  public var line: Int
  public var reason: String
}

/// What `import donations` did, or would do with `--dry-run`.
public struct ImportReport: Sendable {
  public var file: String
  public var dryRun: Bool
  /// The rows to record (dry run) — empty after a real import, which
  /// reports counts and totals instead of holding every row.
  public var donations: [ImportedDonation] = []
  /// Rows whose reference is already in the ledger: skipped.
  public var alreadyRecorded: [(line: Int, reference: String, seq: Int64)] = []
  /// Rows a rule said to skip (refunds, expenses, summary lines).
  public var skippedByRules = 0
  /// Rows with money out and none in (`amount-out`).
  public var notIncome = 0
  /// Donations recorded (or to record) without a reference: a second
  /// import of the same file can't recognise them.
  public var withoutReference = 0
  /// Every row that can't be imported. Non-empty: nothing was recorded.
  public var problems: [ImportProblem] = []
  public var count = 0
  public var totalFen: Int64 = 0
  /// Totals per unit, fund and channel, in the order first seen.
  public var totals: [(unit: Unit, fund: Fund, channel: Channel, count: Int, fen: Int64)] = []
  public var firstSeq: Int64?
  public var lastSeq: Int64?
  public var commitCount = 0

  private struct TotalKey: Hashable {
    var unit: String
    var fund: String
    var channel: Channel
  }
  /// Where each unit, fund and channel is in `totals`.
  private var totalIndex: [TotalKey: Int] = [:]

  public init(file: String, dryRun: Bool) {
    self.file = file
    self.dryRun = dryRun
  }

  mutating func add(_ donation: ImportedDonation) {
    count += 1
    totalFen += donation.input.amount.fen
    if donation.input.reference == nil { withoutReference += 1 }
    let channel = donation.input.channel
    let key = TotalKey(unit: donation.unit.code, fund: donation.fund.code, channel: channel)
    if let index = totalIndex[key] {
      totals[index].count += 1
      totals[index].fen += donation.input.amount.fen
    } else {
      totalIndex[key] = totals.count
      totals.append((donation.unit, donation.fund, channel, 1, donation.input.amount.fen))
    }
  }
}

/// Reads a bill's rows under its rules and makes each a donation, a skip or
/// a problem, against the ledger's state.
struct BillReader {
  let rules: ImportRules
  let state: LedgerState
  let today: AccountingDate
  let signerKeyID: String
  private var units: [String: Result<Unit, AlmonerError>] = [:]
  private var funds: [String: Result<Fund, AlmonerError>] = [:]

  init(rules: ImportRules, state: LedgerState, today: AccountingDate, signerKeyID: String) {
    self.rules = rules
    self.state = state
    self.today = today
    self.signerKeyID = signerKeyID
  }

  enum Outcome {
    case donation(ImportedDonation)
    case skippedByRule
    case notIncome
    case problem(String)
  }

  /// The default layout's column names, with the Chinese a spreadsheet may use.
  static let headerAliases: [String: String] = [
    "date": "date", "日期": "date", "捐赠日期": "date", "unit": "unit", "单位": "unit",
    "fund": "fund", "基金": "fund", "amount": "amount", "金额": "amount", "donor": "donor",
    "捐赠人": "donor", "姓名": "donor", "channel": "channel", "渠道": "channel",
    "reference": "reference", "ref": "reference", "流水号": "reference", "单号": "reference",
    "donor-type": "donor-type", "donor_type": "donor-type", "捐赠人类型": "donor-type",
    "类型": "donor-type", "named": "named", "署名": "named",
  ]

  private var records: CSVRecords.Iterator?
  private var fields: [String]?
  private var skippingUntil: ImportRules.RowPattern?

  /// Starts reading `bytes` from its first line.
  mutating func start(_ bytes: BillBytes) {
    records = CSVRecords.Iterator(
      bytes: bytes, encoding: rules.encoding, separator: rules.separator)
    fields = rules.fields
    skippingUntil = rules.skipUntil
  }

  /// Bytes of the bill read so far.
  var bytesRead: Int { records?.bytesRead ?? 0 }

  /// The next row after the skipped lines and the header, with its line;
  /// blank rows are passed over; nil at the end. Throws when the header
  /// itself is wrong, or missing.
  mutating func nextRow() throws(AlmonerError) -> (line: Int, outcome: Outcome)? {
    while let record = records?.next() {
      if record.line <= rules.skipLines { continue }
      if let pattern = skippingUntil {
        if record.problem == nil, pattern.matches(record.text) { skippingUntil = nil }
        continue
      }
      if record.isBlank { continue }
      guard let fields else {
        // The default layout: this line names the columns.
        if let problem = record.problem {
          throw .refused(.importHeaderUnreadable(line: record.line, problem: problem))
        }
        fields = try BillReader.header(record)
        continue
      }
      return (record.line, outcome(of: record, fields: fields))
    }
    if let failure = records?.failure { throw failure }
    if fields == nil || skippingUntil != nil {
      throw .refused(
        skippingUntil.map { .importSkipUntilUnmatched(pattern: $0.text) } ?? .importHeaderMissing)
    }
    return nil
  }

  static func header(_ record: CSVRecord) throws(AlmonerError) -> [String] {
    var names: [String] = []
    for cell in record.cells {
      let wanted = cell.trimmingWhitespace().lowercased()
      if wanted.isEmpty {
        names.append("_")
        continue
      }
      guard let name = headerAliases[wanted] else {
        throw .refused(.importColumnUnknown(line: record.line, cell: cell))
      }
      guard !names.contains(name) else {
        throw .refused(.importColumnTwice(line: record.line, column: name))
      }
      names.append(name)
    }
    for required in ["date", "amount"] where !names.contains(required) {
      throw .refused(.importColumnMissing(line: record.line, column: required))
    }
    return names
  }

  private func clean(_ cell: String) -> String {
    // Most cells start and end with visible ASCII or a CJK ideograph, never
    // white space: nothing to trim, and no Unicode property to look up.
    func visible(_ scalar: Unicode.Scalar?) -> Bool {
      guard let value = scalar?.value else { return false }
      return (0x21...0x7E).contains(value) || (0x4E00...0x9FFF).contains(value)
    }
    if rules.trimCharacters.isEmpty, visible(cell.unicodeScalars.first),
      visible(cell.unicodeScalars.last)
    {
      return cell
    }
    var text = Substring(cell)
    while let first = text.first, first.isWhitespace || rules.trimCharacters.contains(first) {
      text = text.dropFirst()
    }
    while let last = text.last, last.isWhitespace || rules.trimCharacters.contains(last) {
      text = text.dropLast()
    }
    return String(text)
  }

  private mutating func outcome(of record: CSVRecord, fields: [String]) -> Outcome {
    if let problem = record.problem { return .problem(problem) }
    var cells: [String: String] = [:]
    cells.reserveCapacity(fields.count)
    for (index, name) in fields.enumerated() where !name.isEmpty && name != "_" {
      cells[name] = index < record.cells.count ? clean(record.cells[index]) : ""
    }
    var assigned: [String: String] = [:]
    for assignment in rules.assignments {
      assigned[assignment.field] = ImportRules.expand(assignment.template, cells: cells)
    }
    if !rules.blocks.isEmpty {
      let text = record.text
      for block in rules.blocks {
        let matched = block.patterns.contains { pattern in
          if let field = pattern.field { return pattern.matches(cells[field] ?? "") }
          return pattern.matches(text)
        }
        guard matched else { continue }
        if block.skip { return .skippedByRule }
        for assignment in block.assignments {
          assigned[assignment.field] = ImportRules.expand(assignment.template, cells: cells)
        }
      }
    }
    let needed = (fields.lastIndex { !$0.isEmpty && $0 != "_" } ?? 0) + 1
    guard record.cells.count >= needed else {
      return .problem("只有 \(record.cells.count) 列，应有 \(needed) 列（被截断的行？）")
    }
    let fallbacks = rules.fallbacks
    func value(_ name: String) -> String {
      if let value = assigned[name] ?? cells[name], !value.isEmpty { return value }
      return fallbacks[name] ?? ""
    }
    do {
      return try donation(line: record.line, value: value)
    } catch {
      return .problem(error.message)
    }
  }

  private mutating func donation(line: Int, value: (String) -> String) throws(AlmonerError)
    -> Outcome
  {
    // Amount first: a row with money out only is not a donation at all.
    let amountFen: Int64
    if rules.fields?.contains("amount-in") == true {
      let incoming = value("amount-in")
      let inFen = incoming.isEmpty ? 0 : try BillCells.amountFen(incoming)
      if inFen == 0 {
        let outgoing = value("amount-out")
        let outFen = outgoing.isEmpty ? 0 : try BillCells.amountFen(outgoing)
        if outFen != 0 { return .notIncome }
        throw .refused(.importIncomeEmpty)
      }
      amountFen = inFen
    } else {
      let text = value("amount")
      guard !text.isEmpty else { throw .refused(.importAmountEmpty) }
      amountFen = try BillCells.amountFen(text)
    }
    guard amountFen > 0 else {
      throw .refused(
        amountFen == 0 ? .importAmountZero : .importAmountNegative(amount: value("amount")))
    }
    let dateText = value("date")
    guard !dateText.isEmpty else { throw .refused(.importDateEmpty) }
    let date = try BillCells.date(dateText, format: rules.dateFormat, timeZone: state.timeZone)
    guard date <= today else {
      throw .refused(.importDateInFuture(date: date.description, today: today.description))
    }

    let unitText = value("unit")
    guard !unitText.isEmpty else {
      throw .refused(.importUnitMissing)
    }
    let unit = try resolveUnit(unitText)
    let fund = try resolveFund(value("fund"), of: unit)
    let channelText = value("channel")
    let channel: Channel
    if channelText.isEmpty {
      channel = .other
    } else if let known = Channel(label: channelText) {
      channel = known
    } else {
      throw .refused(.importChannelInvalid(text: channelText))
    }
    let typeText = value("donor-type")
    let donorType = typeText.isEmpty ? .person : try DonorType.parse(typeText, field: "捐赠人类型")
    let donor = value("donor")
    guard !donor.isEmpty || donorType == .anonymous else {
      throw .refused(.importDonorEmpty)
    }
    let namedText = value("named")
    guard let named = BillCells.flag(namedText) else {
      throw .refused(.importNamedInvalid(text: namedText))
    }
    let referenceText = value("reference")
    let input = DonationInput(
      unit: unit.code, amount: Money(fen: amountFen), donor: donor, named: named,
      fund: fund.code, channel: channel, reference: referenceText.isEmpty ? nil : referenceText,
      date: date, donorType: donorType)
    // The text (names, references) is checked as `donate` checks it; the
    // draft itself (salt, commitment) is made only when the row is appended.
    var checked = input
    checked.donor = donor.isEmpty ? "" : try Text.input(donor, field: "捐赠人")
    checked.reference = try checked.reference.map { text throws(AlmonerError) in
      try Text.input(text, field: "流水号")
    }
    return .donation(
      ImportedDonation(
        line: line, input: checked, unit: unit, fund: fund, display: checked.shownDonor.display))
  }

  private mutating func resolveUnit(_ text: String) throws(AlmonerError) -> Unit {
    if let known = units[text] { return try known.get() }
    let result: Result<Unit, AlmonerError>
    do throws(AlmonerError) {
      let unit = try state.resolveUnit(text, field: "单位")
      if !state.holds(.treasurer, on: unit.code, keyID: signerKeyID) {
        throw AlmonerError.refused(
          .importSignerNotTreasurer(unitName: unit.name, unitCode: unit.code))
      }
      result = .success(unit)
    } catch {
      result = .failure(error)
    }
    units[text] = result
    return try result.get()
  }

  private mutating func resolveFund(_ text: String, of unit: Unit) throws(AlmonerError) -> Fund {
    let key = unit.code + "\u{0}" + text
    if let known = funds[key] { return try known.get() }
    let result: Result<Fund, AlmonerError>
    do throws(AlmonerError) {
      result = .success(try state.resolveFund(text.isEmpty ? nil : text, of: unit))
    } catch {
      if case .fundUnknown(_, let unitName, let unitCode, let text, let known) = error.refusal {
        result = .failure(
          .refused(
            .fundUnknown(
              field: "基金", unitName: unitName, unitCode: unitCode, text: text, known: known)))
      } else {
        if case .inField("--fund", let inner) = error.refusal {
          result = .failure(.refused(.inField("基金", inner)))
        } else {
          result = .failure(error)
        }
      }
    }
    funds[key] = result
    return try result.get()
  }
}

extension Ledger {
  /// Donations per signed commit when importing.
  public static let importCommitSize = 1_000

  /// Imports the donations of a bill (DESIGN §9), reading it once, a block
  /// at a time: memory stays flat however long the bill is. All or
  /// nothing: the donations are appended as they are read, in signed
  /// commits of `importCommitSize`, all in one transaction; if any row
  /// can't be imported, the rest are still checked, the report lists every
  /// such row, and the transaction is rolled back. A row whose reference is
  /// already in the ledger is skipped and counted; a reference twice in the
  /// file is a problem, unless `allowsDuplicateReferences`. References are
  /// looked up through the `donation_ref` index, which holds the rows this
  /// import appended too, so the file's own references are not kept in
  /// memory. `progress` gets the donations recorded and the bytes read.
  public func importDonations(
    file: String, bill: BillBytes, rules: ImportRules, dryRun: Bool = false,
    allowsDuplicateReferences: Bool = false, signer: SigningKey,
    progress: ((_ recorded: Int, _ bytesRead: Int) -> Void)? = nil
  ) throws(AlmonerError) -> ImportReport {
    var session = ImportSession(
      report: ImportReport(file: file, dryRun: dryRun),
      checksReferences: !allowsDuplicateReferences)
    if dryRun {
      try read { db in
        let state = try LedgerStore.loadState(db)
        let today = try clock.today(in: state.timeZone)
        var reader = BillReader(
          rules: rules, state: state, today: today, signerKeyID: signer.keyID)
        reader.start(bill)
        session.appending = false
        session.firstSeq = try LedgerStore.head(db).map { $0.seq + 1 } ?? 0
        while try session.nextBatch(&reader, db) != nil {}
      }
      return session.report
    }
    var reader: BillReader?
    let appended = try commitBatches(signer: signer) { state, log throws(AlmonerError) in
      if reader == nil {
        var started = BillReader(
          rules: rules, state: state, today: try clock.today(in: state.timeZone),
          signerKeyID: signer.keyID)
        started.start(bill)
        reader = started
        session.firstSeq = log.treeRoot().size
      }
      // Moved out and back, so that its buffer is never shared (and copied).
      guard var current = reader else { preconditionFailure("the reader starts above") }
      reader = nil
      defer { reader = current }
      progress?(session.report.count, current.bytesRead)
      guard let drafts = try session.nextBatch(&current, log.db) else {
        return session.report.problems.isEmpty ? .finish : .rollBack
      }
      return .commit(drafts)
    }
    if let appended {
      session.report.firstSeq = appended.first
      session.report.lastSeq = appended.last
      session.report.commitCount = appended.commitCount
    }
    return session.report
  }
}

/// One import under way: the report so far, and what it needs to tell a
/// reference seen before from a new one.
struct ImportSession {
  var report: ImportReport
  let checksReferences: Bool
  /// Rows are appended as they are read: false for a dry run, and from the
  /// first refused row on (the transaction will be rolled back).
  var appending = true
  /// The seq the first appended row gets.
  var firstSeq: Int64 = 0
  /// The line of each row appended, by seq − `firstSeq`: 4 bytes a row,
  /// to name the earlier line of a reference the file repeats.
  private var appendedLines: [Int32] = []
  /// References of the batch being built (not yet in `donation_ref`).
  private var pending: [String: Int] = [:]
  /// References of rows read but not appended (skipped as already recorded,
  /// or read in a dry run or after a refused row), with their lines.
  private var seen: [String: Int] = [:]

  init(report: ImportReport, checksReferences: Bool) {
    self.report = report
    self.checksReferences = checksReferences
  }

  /// Reads rows up to the next `importCommitSize` donations to append;
  /// nil at the end of the bill. A dry run, or an import with a refused
  /// row, reads on to the end and returns an empty batch each time.
  mutating func nextBatch(_ reader: inout BillReader, _ db: Database) throws(AlmonerError)
    -> [EntryDraft]?
  {
    var drafts: [EntryDraft] = []
    pending.removeAll(keepingCapacity: true)
    var atEnd = false
    while drafts.count < Ledger.importCommitSize {
      guard let (line, outcome) = try reader.nextRow() else {
        atEnd = true
        break
      }
      switch outcome {
      case .skippedByRule: report.skippedByRules += 1
      case .notIncome: report.notIncome += 1
      case .problem(let reason):
        report.problems.append(ImportProblem(line: line, reason: reason))
        appending = false
      case .donation(let donation):
        if checksReferences, let ref = donation.input.reference {
          switch try earlier(ref, db: db) {
          case .line(let earlier):
            report.problems.append(
              ImportProblem(line: line, reason: "流水号 \(ref) 与第 \(earlier) 行重复：同一笔钱不能记两次"))
            appending = false
            continue
          case .recorded(let seq):
            report.alreadyRecorded.append((line, ref, seq))
            seen[ref] = line
            continue
          case nil: break
          }
        }
        report.add(donation)
        if report.dryRun { report.donations.append(donation) }
        if appending {
          drafts.append(try donation.input.draft(unit: donation.unit, fund: donation.fund))
          appendedLines.append(Int32(clamping: line))
          if checksReferences, let ref = donation.input.reference { pending[ref] = line }
        } else if checksReferences, let ref = donation.input.reference {
          seen[ref] = line
        }
      }
    }
    if drafts.isEmpty, atEnd { return nil }
    return drafts
  }

  enum Earlier {
    /// An earlier row of this file has the reference.
    case line(Int)
    /// A donation already in the ledger before this import has it.
    case recorded(seq: Int64)
  }

  /// Where reference `ref` was seen before, if it was: one index look-up.
  private func earlier(_ ref: String, db: Database) throws(AlmonerError) -> Earlier? {
    if let line = pending[ref] ?? seen[ref] { return .line(line) }
    guard let seq = try DonationReferences.recorded(ref, db) else { return nil }
    guard seq >= firstSeq else { return .recorded(seq: seq) }
    let index = Int(seq - firstSeq)
    precondition(index < appendedLines.count, "a reference this import appended has its line")
    return .line(Int(appendedLines[index]))
  }
}
