/// `opening.request` (期初余额申请): money a unit already holds moves into
/// the ledger without its history — an opening balance of a fund's bank or
/// cash account, as of the entry's date. Approved like a disbursement of the
/// same amount (`disburse approve`), it is booked by `disburse pay`, dated
/// the entry's date. Mirrors `$defs/openingRequestBody`.
public struct OpeningRequestBody: Sendable {
  /// `assets:bank` or `assets:cash`.
  public var account: Account
  public var amountFen: Int64
  public var fund: String
  /// Where the money comes from (the old books, a bank statement), if said.
  public var note: String?
  public var unit: String

  public init(account: Account, amountFen: Int64, fund: String, note: String?, unit: String) {
    self.account = account
    self.amountFen = amountFen
    self.fund = fund
    self.note = note
    self.unit = unit
  }

  enum Key: Int, EntryFieldKey {
    case account, amountFen, fund, note, unit
    var spelling: StaticString {
      switch self {
      case .account: "account"
      case .amountFen: "amountFen"
      case .fund: "fund"
      case .note: "note"
      case .unit: "unit"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> OpeningRequestBody {
    var account: Account?
    var amountFen: Int64?
    var fund: String?
    var note: String?
    var unit: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .account:
        let start = reader.position
        let text = try reader.string()
        guard
          let known = AssetAccountKey.reconcilable.first(where: {
            CanonicalUTF8.equal($0.name, text)
          })
        else {
          let names = AssetAccountKey.reconcilable.map(\.name).joined(separator: " 或 ")
          throw EntryFormatError(offset: start, "应为 \(names)")
        }
        account = known
      case .amountFen: amountFen = try reader.integer()
      case .fund: fund = try reader.string()
      case .note: note = try reader.string()
      case .unit: unit = try reader.string()
      }
    }
    return OpeningRequestBody(
      account: try reader.required(account, Key.account),
      amountFen: try reader.required(amountFen, Key.amountFen),
      fund: try reader.required(fund, Key.fund), note: note,
      unit: try reader.required(unit, Key.unit))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.account, first: &first)
    out.writeString(account.name)
    out.key(Key.amountFen, first: &first)
    out.writeInteger(amountFen)
    out.key(Key.fund, first: &first)
    out.writeString(fund)
    if let note {
      out.key(Key.note, first: &first)
      out.writeString(note)
    }
    out.key(Key.unit, first: &first)
    out.writeString(unit)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    let path = EntryKind.openingRequest.rawValue
    try BodyCheck.amountFen(amountFen, "\(path).\(Key.amountFen.text)")
    if let note { try BodyCheck.displayText(note, "\(path).\(Key.note.text)") }
  }
}
