import Foundation

/// Typed, checked access to an entry body, so each rule reads its fields in
/// one line and a malformed body is refused with the field named.
struct BodyReader {
  /// Longest display text (unit, fund, member, donor names; purposes; reasons).
  static let textLengthMax = 200

  let object: JSONObject
  let path: String

  init(_ object: JSONObject, kind: EntryKind) {
    self.object = object
    self.path = kind.rawValue
  }

  private init(object: JSONObject, path: String) {
    self.object = object
    self.path = path
  }

  private func fail(_ field: String, _ why: String) -> AlmonerError {
    .badInput("记录内容 \(path).\(field) \(why)")
  }

  /// Refuses fields other than `allowed`: the format admits nothing unknown.
  func allowOnly(_ allowed: Set<String>) throws(AlmonerError) {
    for (key, _) in object.members where !allowed.contains(key) {
      throw .badInput("记录内容 \(path) 有未知字段 \(key)")
    }
  }

  func value(_ field: String) throws(AlmonerError) -> JSONValue {
    guard let value = object[field], !value.isNull else { throw fail(field, "缺失") }
    return value
  }

  func has(_ field: String) -> Bool { object[field].map { !$0.isNull } ?? false }

  func string(_ field: String) throws(AlmonerError) -> String {
    guard let text = try value(field).stringValue else { throw fail(field, "应为字符串") }
    return text
  }

  func optionalString(_ field: String) throws(AlmonerError) -> String? {
    has(field) ? try string(field) : nil
  }

  /// Text holding none of the characters ledger text may not hold
  /// (`Text.firstRefusedCharacter`), for fields with their own format.
  func plainString(_ field: String) throws(AlmonerError) -> String {
    let text = try string(field)
    if let refused = Text.firstRefusedCharacter(in: text) {
      throw fail(field, Text.refusalDescription(refused))
    }
    return text
  }

  /// Non-empty text of at most `textLengthMax` characters, holding only what
  /// `Text.input` lets in: an entry written by another tool is held to the
  /// same line as one typed at the command line.
  func displayText(_ field: String) throws(AlmonerError) -> String {
    let text = try string(field)
    guard !text.isEmpty else { throw fail(field, "不能为空") }
    if let refused = Text.firstRefusedCharacter(in: text) {
      throw fail(field, Text.refusalDescription(refused))
    }
    guard text.count <= BodyReader.textLengthMax else {
      throw fail(field, "过长（最多 \(BodyReader.textLengthMax) 个字）")
    }
    return text
  }

  func integer(_ field: String) throws(AlmonerError) -> Int64 {
    guard let number = try value(field).integerValue else { throw fail(field, "应为整数") }
    return number
  }

  /// A positive amount of fen no larger than `Money.fenMax`.
  func amountFen(_ field: String) throws(AlmonerError) -> Int64 {
    let fen = try integer(field)
    guard fen > 0, fen <= Money.fenMax else { throw fail(field, "应为正的分数额（1 至 \(Money.fenMax)）") }
    return fen
  }

  func bool(_ field: String) throws(AlmonerError) -> Bool {
    guard let flag = try value(field).boolValue else { throw fail(field, "应为 true 或 false") }
    return flag
  }

  func object(_ field: String) throws(AlmonerError) -> BodyReader {
    guard let nested = try value(field).objectValue else { throw fail(field, "应为对象") }
    return BodyReader(object: nested, path: "\(path).\(field)")
  }

  func hash(_ field: String) throws(AlmonerError) -> Hash32 {
    let text = try string(field)
    guard let hash = Hash32(hex: text), !text.utf8.contains(where: { (65...70).contains($0) })
    else {
      throw fail(field, "应为 64 位小写十六进制哈希")
    }
    return hash
  }

  /// A raw Ed25519 public key, base64 in the entry; small-order and
  /// non-canonical keys are refused (`Ed25519Point`), on append and replay.
  func publicKey(_ field: String) throws(AlmonerError) -> [UInt8] {
    let text = try string(field)
    guard let data = Data(base64Encoded: text), data.count == PublicKey.rawByteCount,
      data.base64EncodedString() == text
    else { throw fail(field, "应为 base64 编码的 32 字节 Ed25519 公钥") }
    let raw = [UInt8](data)
    if let weakness = Ed25519Point.weakness(raw) {
      throw fail(field, "不可用：" + Ed25519Point.keyRefusal(weakness))
    }
    return raw
  }

  func enumeration<T: RawRepresentable>(_ field: String, _ type: T.Type) throws(AlmonerError) -> T
  where T.RawValue == String {
    let text = try string(field)
    guard let value = T(rawValue: text) else { throw fail(field, "的取值 \"\(text)\" 无效") }
    return value
  }
}

extension BodyReader {
  /// An array of objects, each read like a nested object (`path.field[0]`).
  func objects(_ field: String, countMax: Int) throws(AlmonerError) -> [BodyReader] {
    guard let items = try value(field).arrayValue else { throw fail(field, "应为数组") }
    guard items.count <= countMax else { throw fail(field, "最多 \(countMax) 项") }
    var readers: [BodyReader] = []
    for (index, item) in items.enumerated() {
      guard let nested = item.objectValue else { throw fail("\(field)[\(index)]", "应为对象") }
      readers.append(BodyReader(object: nested, path: "\(path).\(field)[\(index)]"))
    }
    return readers
  }

  /// An amount of fen from zero to `Money.fenMax` (thresholds, balances).
  func amountFenOrZero(_ field: String) throws(AlmonerError) -> Int64 {
    let fen = try integer(field)
    guard fen >= 0, fen <= Money.fenMax else { throw fail(field, "应为 0 至 \(Money.fenMax) 的分数额") }
    return fen
  }
}
