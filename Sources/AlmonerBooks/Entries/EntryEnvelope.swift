/// The envelope of an entry (`v`, `seq`, `prev`, `time`, `date`, `kind`,
/// `author`, `body`), mirroring the top of Schemas/json/entry.schema.json.
extension Entry {
  enum Key: Int, EntryFieldKey {
    case author, body, date, kind, prev, seq, time, v
    var spelling: StaticString {
      switch self {
      case .author: "author"
      case .body: "body"
      case .date: "date"
      case .kind: "kind"
      case .prev: "prev"
      case .seq: "seq"
      case .time: "time"
      case .v: "v"
      }
    }
  }

  /// Reads a whole entry. The body comes before the kind that decides its
  /// type (keys are in canonical order), so its extent is found first by
  /// `skipValue` (nesting only), and it is read into its type once the kind
  /// is known.
  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> Entry {
    var author: String?
    var bodyRange: Range<Int>?
    var date: AccountingDate?
    var kind: EntryKind?
    var prev: Hash32?
    var seq: Int64?
    var time: String?
    var version: Int64?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .author: author = try reader.string()
      case .body:
        let start = reader.position
        try reader.skipValue()
        bodyRange = start..<reader.position
      case .date: date = try reader.date()
      case .kind:
        let start = reader.position
        let text = try reader.string()
        guard let known = EntryKind(rawValue: text) else {
          throw EntryFormatError(offset: start, "是未知的记录类型 \"\(text)\"")
        }
        kind = known
      case .prev: prev = try reader.hash()
      case .seq:
        let start = reader.position
        let value = try reader.integer()
        guard value >= 0 else { throw EntryFormatError(offset: start, "应为非负整数") }
        seq = value
      case .time: time = try reader.string()
      case .v:
        let start = reader.position
        let value = try reader.integer()
        guard value == Entry.formatVersion else {
          throw EntryFormatError(
            offset: start, "是不支持的格式版本 \(value)（本程序读写 v=\(Entry.formatVersion)）")
        }
        version = value
      }
    }
    try reader.expectEnd()
    _ = try reader.required(version, Key.v)
    let entryKind = try reader.required(kind, Key.kind)
    let range = try reader.required(bodyRange, Key.body)
    var bodyReader = EntryReader(
      bytes: reader.bytes, count: range.upperBound, position: range.lowerBound)
    let body: EntryBody
    do {
      body = try EntryBody.read(entryKind, &bodyReader)
      try bodyReader.expectEnd()
    } catch {
      var located = error.under(Key.body.text)
      located.kind = entryKind
      throw located
    }
    return Entry(
      seq: try reader.required(seq, Key.seq), prev: try reader.required(prev, Key.prev),
      time: try reader.required(time, Key.time), date: try reader.required(date, Key.date),
      author: try reader.required(author, Key.author), body: body)
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.author, first: &first)
    out.writeString(author)
    out.key(Key.body, first: &first)
    body.write(to: &out)
    out.key(Key.date, first: &first)
    out.writeString(date.text)
    out.key(Key.kind, first: &first)
    out.writeString(kind.rawValue)
    out.key(Key.prev, first: &first)
    out.writeHash(prev)
    out.key(Key.seq, first: &first)
    out.writeInteger(seq)
    out.key(Key.time, first: &first)
    out.writeString(time)
    out.key(Key.v, first: &first)
    out.writeInteger(Entry.formatVersion)
    out.endObject(first: first)
  }
}
