import Foundation

/// An entry to be appended: what the caller decides. The ledger fills in
/// seq, prev, time and author, and checks it against the rules.
public struct EntryDraft: Sendable {
  /// The accounting date; nil means today in the ledger's time zone.
  public var date: AccountingDate?
  public var body: EntryBody
  /// Personal data kept beside a donation entry, or a payment request to a
  /// person, never in it (DESIGN §6).
  public var donorPrivate: DonorPrivate?
  /// The file of the statement a `statement.publish` entry publishes, kept
  /// beside the log (`statement_file`) for `almoner publish DIR`.
  public var statementFile: [UInt8]?

  public var kind: EntryKind { body.kind }

  public init(
    date: AccountingDate? = nil, body: EntryBody, donorPrivate: DonorPrivate? = nil,
    statementFile: [UInt8]? = nil
  ) {
    self.date = date
    self.body = body
    self.donorPrivate = donorPrivate
    self.statementFile = statementFile
  }

  /// A draft whose body is given as a generic JSON object (by another tool,
  /// or a test): refused, naming the field, when it does not fit the type
  /// of `kind`.
  public init(
    kind: EntryKind, date: AccountingDate? = nil, body: JSONObject,
    donorPrivate: DonorPrivate? = nil
  ) throws(AlmonerError) {
    self.init(date: date, body: try EntryBody(kind: kind, json: body), donorPrivate: donorPrivate)
  }
}

/// An entry that was appended.
public struct AppendedEntry: Sendable {
  public var seq: Int64
  public var hash: Hash32
  public var entry: Entry

  /// The memberwise initializer, for the store and the facade.
  package init(
    seq: Int64, hash: Hash32, entry: Entry
  ) {
    self.seq = seq
    self.hash = hash
    self.entry = entry
  }
}
