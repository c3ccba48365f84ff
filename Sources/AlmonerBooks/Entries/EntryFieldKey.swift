/// The keys of one JSON object of the entry format, in canonical order (RFC
/// 8785: by UTF-16 code units, which for these ASCII keys is byte order).
///
/// Each body type declares its keys once, as an enum conforming to this
/// protocol; the reader and the writer both use it, so a key is spelled in
/// exactly one place and a typo fails to compile. Raw values count from 0 in
/// canonical order: the reader refuses a key whose raw value is not above the
/// previous one's.
protocol EntryFieldKey: RawRepresentable<Int> {
  /// The key's exact bytes in the canonical entry.
  var spelling: StaticString { get }
}

extension EntryFieldKey {
  /// The key as text, for messages.
  var text: String { spelling.description }
}

/// A problem with the bytes of an entry: which field (a path of keys, outermost
/// first), and what is wrong. Rendered into Chinese by `message(kind:)`.
struct EntryFormatError: Error, Sendable {
  /// Byte offset (0-based) of the problem, when known.
  var offset: Int?
  /// Keys leading to the field, outermost first; empty for the entry itself.
  var path: [String] = []
  /// What is wrong with it, e.g. "应为整数".
  var problem: String
  /// The entry's kind, once known: body fields are named after it.
  var kind: EntryKind?

  init(offset: Int?, _ problem: String) {
    self.offset = offset
    self.problem = problem
  }

  /// The same problem, one level down: inside the member `key`.
  func under(_ key: String) -> EntryFormatError {
    var nested = self
    nested.path.insert(key, at: 0)
    return nested
  }

  /// The message a person reads: "记录内容 donation.amountFen 应为整数" for a
  /// body field, "字段 seq 应为非负整数" for an envelope field.
  var message: String {
    let place = offset.map { "（第 \($0 + 1) 字节）" } ?? ""
    guard let first = path.first else { return "记录\(problem)\(place)" }
    if first == "body" {
      let rest = path.dropFirst()
      let kindName = kind?.rawValue ?? "body"
      let field = ([kindName] + rest).joined(separator: ".")
      return "记录内容 \(field) \(problem)\(place)"
    }
    return "字段 \(path.joined(separator: ".")) \(problem)\(place)"
  }
}
