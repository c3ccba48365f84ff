import Foundation

/// Reads the canonical bytes of an entry (RFC 8785, DESIGN §2) straight into
/// typed values, in one pass and without a `JSONValue` tree.
///
/// Only canonical bytes are accepted: no whitespace, object keys exactly the
/// ones the type declares and in canonical order (a key unknown, repeated,
/// out of order or missing is refused, naming it), strings escaped exactly as
/// `CanonicalWriter` escapes them, integers in plain decimal without leading
/// zeros, fraction or exponent, within ±(2^53−1). So whatever it accepts,
/// the writer re-encodes to the same bytes.
struct EntryReader {
  let bytes: UnsafePointer<UInt8>
  let count: Int
  var position: Int

  init(bytes: UnsafePointer<UInt8>, count: Int, position: Int = 0) {
    self.bytes = bytes
    self.count = count
    self.position = position
  }

  // MARK: Bytes

  @inline(__always)
  var atEnd: Bool { position >= count }

  @inline(__always)
  func peek() -> UInt8? { position < count ? bytes[position] : nil }

  /// Why the byte at `position` is not what was expected (`expectation`, e.g. "应为整数").
  func unexpected(_ expectation: String) -> EntryFormatError {
    guard let byte = peek() else {
      return EntryFormatError(offset: position, "内容意外结束（\(expectation)）")
    }
    switch byte {
    case 0x20, 0x0A, 0x0D, 0x09:
      return EntryFormatError(offset: position, "有多余的空白：规范 JSON（RFC 8785）不含空白")
    default:
      return EntryFormatError(offset: position, expectation)
    }
  }

  @inline(__always)
  mutating func expect(_ byte: UInt8, _ expectation: @autoclosure () -> String)
    throws(EntryFormatError)
  {
    guard position < count, bytes[position] == byte else { throw unexpected(expectation()) }
    position += 1
  }

  /// Refuses anything after the entry's closing brace.
  func expectEnd() throws(EntryFormatError) {
    guard atEnd else { throw unexpected("记录已经结束，后面却还有内容") }
  }

  // MARK: Objects

  /// Reads one object whose keys are `K`, calling `member` for each key in
  /// turn with the reader placed at its value. Refuses unknown, repeated and
  /// misordered keys; missing ones are refused by `required`.
  @inline(__always)
  mutating func readObject<K: EntryFieldKey>(
    _ keys: K.Type, _ member: (inout EntryReader, K) throws(EntryFormatError) -> Void
  ) throws(EntryFormatError) {
    try expect(UInt8(ascii: "{"), "应为 JSON 对象")
    if peek() == UInt8(ascii: "}") {
      position += 1
      return
    }
    var last = -1
    var seen: UInt64 = 0
    while true {
      let keyOffset = position
      let key: K = try readKey(after: last)
      let index = key.rawValue
      if index <= last {
        if seen & (1 << UInt64(index)) != 0 {
          throw EntryFormatError(offset: keyOffset, "有重复的字段 \(key.text)")
        }
        let previous = K(rawValue: last).map(\.text) ?? ""
        throw EntryFormatError(
          offset: keyOffset, "的字段顺序不对：\(key.text) 应排在 \(previous) 之前（规范 JSON 的键按字符顺序排列）")
      }
      try expect(UInt8(ascii: ":"), "字段名 \(key.text) 后面应为 “:”")
      do { try member(&self, key) } catch { throw error.under(key.text) }
      seen |= 1 << UInt64(index)
      last = index
      guard let byte = peek() else { throw unexpected("对象缺少结尾的 “}”") }
      position += 1
      if byte == UInt8(ascii: ",") { continue }
      if byte == UInt8(ascii: "}") { return }
      position -= 1
      throw unexpected("对象成员之间应为 “,”，结尾应为 “}”")
    }
  }

  /// Reads a quoted key and finds it among `K`'s keys, trying those after
  /// `last` first (in canonical input, the next key is one of them).
  @inline(__always)
  private mutating func readKey<K: EntryFieldKey>(after last: Int) throws(EntryFormatError) -> K {
    let start = position
    try expect(UInt8(ascii: "\""), "应为用双引号括起来的字段名")
    let keyStart = position
    while position < count, bytes[position] != UInt8(ascii: "\"") { position += 1 }
    guard position < count else { throw EntryFormatError(offset: start, "字段名缺少结尾的双引号") }
    let keyLength = position - keyStart
    position += 1
    var index = last + 1
    while let key = K(rawValue: index) {
      if matches(key.spelling, at: keyStart, length: keyLength) { return key }
      index += 1
    }
    index = 0
    while index <= last, let key = K(rawValue: index) {
      if matches(key.spelling, at: keyStart, length: keyLength) { return key }
      index += 1
    }
    let text = String(
      decoding: UnsafeBufferPointer(start: bytes + keyStart, count: keyLength), as: UTF8.self)
    throw EntryFormatError(offset: start, "有未知字段 \"\(text)\"")
  }

  @inline(__always)
  private func matches(_ name: StaticString, at start: Int, length: Int) -> Bool {
    guard name.utf8CodeUnitCount == length else { return false }
    return memcmp(name.utf8Start, bytes + start, length) == 0
  }

  /// The value of a key that must be present.
  @inline(__always)
  func required<T, K: EntryFieldKey>(_ value: T?, _ key: K) throws(EntryFormatError) -> T {
    guard let value else {
      throw EntryFormatError(offset: max(0, position - 1), "缺少字段 \(key.text)")
    }
    return value
  }

  // MARK: Arrays

  /// Reads an array of 1 to `countMax` elements, each by `element`.
  mutating func readArray(
    countMax: Int, _ element: (inout EntryReader) throws(EntryFormatError) -> Void
  ) throws(EntryFormatError) {
    try expect(UInt8(ascii: "["), "应为数组")
    guard peek() != UInt8(ascii: "]") else {
      throw EntryFormatError(offset: position - 1, "不能是空数组（没有时不写这个字段）")
    }
    var index = 0
    while true {
      guard index < countMax else {
        throw EntryFormatError(offset: position, "最多 \(countMax) 项")
      }
      do { try element(&self) } catch { throw error.under("[\(index)]") }
      index += 1
      guard let byte = peek() else { throw unexpected("数组缺少结尾的 “]”") }
      position += 1
      if byte == UInt8(ascii: ",") { continue }
      if byte == UInt8(ascii: "]") { return }
      position -= 1
      throw unexpected("数组元素之间应为 “,”，结尾应为 “]”")
    }
  }

  // MARK: Scalars

  /// `true` or `false`.
  mutating func bool() throws(EntryFormatError) -> Bool {
    if literal("true") { return true }
    if literal("false") { return false }
    throw unexpected("应为 true 或 false")
  }

  private mutating func literal(_ text: StaticString) -> Bool {
    let length = text.utf8CodeUnitCount
    guard count - position >= length, memcmp(text.utf8Start, bytes + position, length) == 0
    else { return false }
    position += length
    return true
  }

  /// An integer in canonical form within ±`JSONValue.integerMax`.
  mutating func integer() throws(EntryFormatError) -> Int64 {
    let start = position
    let negative = peek() == UInt8(ascii: "-")
    if negative { position += 1 }
    guard let first = peek(), EntryReader.isDigit(first) else {
      position = start
      throw unexpected("应为整数")
    }
    var magnitude: Int64 = 0
    if first == UInt8(ascii: "0") {
      position += 1
      if let next = peek(), EntryReader.isDigit(next) {
        throw EntryFormatError(offset: start, "数字不能以 0 开头（例如要写 1 而不是 01）")
      }
      if negative { throw EntryFormatError(offset: start, "-0 不是规范写法，应写 0") }
    } else {
      var digits = 0
      while let byte = peek(), EntryReader.isDigit(byte) {
        digits += 1
        guard digits <= EntryReader.integerDigitsMax else { throw outOfRange(start) }
        magnitude = magnitude &* 10 &+ Int64(byte &- UInt8(ascii: "0"))
        position += 1
      }
      guard magnitude <= JSONValue.integerMax else { throw outOfRange(start) }
    }
    if let next = peek(),
      next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E")
    {
      throw EntryFormatError(offset: start, "应为整数，不能写成小数或指数形式（账本只使用整数，金额以分计）")
    }
    return negative ? -magnitude : magnitude
  }

  /// Decimal digits in `JSONValue.integerMax`.
  static let integerDigitsMax = 16

  @inline(__always)
  static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

  private func outOfRange(_ start: Int) -> EntryFormatError {
    EntryFormatError(offset: start, "超出范围：整数的绝对值不能超过 \(JSONValue.integerMax)（2^53−1）")
  }

  /// A string, escaped exactly as the canonical writer escapes: `\"`, `\\`,
  /// `\b \f \n \r \t`, and `\u00xx` (lower-case hex) for the other control
  /// characters; everything else as its own valid UTF-8 bytes.
  mutating func string() throws(EntryFormatError) -> String {
    let start = position
    try expect(UInt8(ascii: "\""), "应为字符串")
    let contentStart = position
    var isASCII = true
    while position < count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        let content = UnsafeBufferPointer(
          start: bytes + contentStart, count: position - contentStart)
        position += 1
        if isASCII { return String(decoding: content, as: UTF8.self) }
        guard let text = String(validating: content, as: UTF8.self) else {
          throw EntryFormatError(offset: start, "不是有效的 UTF-8 文本")
        }
        return text
      }
      if byte == UInt8(ascii: "\\") {
        return try escapedString(start: start, contentStart: contentStart)
      }
      if byte < 0x20 { throw controlCharacter(byte) }
      if byte >= 0x80 { isASCII = false }
      position += 1
    }
    throw EntryFormatError(offset: start, "字符串缺少结尾的双引号")
  }

  /// The rest of a string holding escapes, from its first byte.
  private mutating func escapedString(start: Int, contentStart: Int) throws(EntryFormatError)
    -> String
  {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(position - contentStart + 16)
    buffer.append(
      contentsOf: UnsafeBufferPointer(start: bytes + contentStart, count: position - contentStart))
    while position < count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        guard let text = String(validating: buffer, as: UTF8.self) else {
          throw EntryFormatError(offset: start, "不是有效的 UTF-8 文本")
        }
        return text
      }
      if byte == UInt8(ascii: "\\") {
        buffer.append(try escape())
        continue
      }
      if byte < 0x20 { throw controlCharacter(byte) }
      buffer.append(byte)
      position += 1
    }
    throw EntryFormatError(offset: start, "字符串缺少结尾的双引号")
  }

  /// One escape sequence in its canonical form; returns the byte it stands for.
  private mutating func escape() throws(EntryFormatError) -> UInt8 {
    let start = position
    guard count - position >= 2 else {
      throw EntryFormatError(offset: start, "字符串在转义符 “\\” 之后意外结束")
    }
    let letter = bytes[position + 1]
    position += 2
    switch letter {
    case UInt8(ascii: "\""): return UInt8(ascii: "\"")
    case UInt8(ascii: "\\"): return UInt8(ascii: "\\")
    case UInt8(ascii: "b"): return 0x08
    case UInt8(ascii: "f"): return 0x0C
    case UInt8(ascii: "n"): return 0x0A
    case UInt8(ascii: "r"): return 0x0D
    case UInt8(ascii: "t"): return 0x09
    case UInt8(ascii: "u"):
      // Only control characters without a short form are written as \u00xx.
      guard count - position >= 4, bytes[position] == UInt8(ascii: "0"),
        bytes[position + 1] == UInt8(ascii: "0"),
        let high = EntryReader.lowerHexDigit(bytes[position + 2]),
        let low = EntryReader.lowerHexDigit(bytes[position + 3]), high <= 1
      else { throw nonMinimalEscape(start) }
      let value = high << 4 | low
      switch value {
      case 0x08, 0x09, 0x0A, 0x0C, 0x0D: throw nonMinimalEscape(start)
      default: break
      }
      position += 4
      return value
    default:
      throw nonMinimalEscape(start)
    }
  }

  private func nonMinimalEscape(_ start: Int) -> EntryFormatError {
    EntryFormatError(
      offset: start,
      "的转义不是规范写法：只有 \\\" \\\\ \\b \\f \\n \\r \\t 和控制字符的 \\u00xx（小写）可以转义，其他字符应直接写出")
  }

  private static func lowerHexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    default: nil
    }
  }

  private func controlCharacter(_ byte: UInt8) -> EntryFormatError {
    EntryFormatError(offset: position, "含有未转义的控制字符（0x\(String(byte, radix: 16))）")
  }

  /// 64 lower-case hex digits.
  mutating func hash() throws(EntryFormatError) -> Hash32 {
    let start = position
    let bad = EntryFormatError(offset: start, "应为 64 位小写十六进制哈希")
    guard peek() == UInt8(ascii: "\"") else { throw unexpected("应为字符串（64 位小写十六进制哈希）") }
    guard count - position >= 66, bytes[position + 65] == UInt8(ascii: "\"") else { throw bad }
    var hash = Hash32()
    let valid = hash.withUnsafeMutableBytes { target in
      for index in 0..<32 {
        guard let high = EntryReader.lowerHexDigit(bytes[start + 1 + 2 * index]),
          let low = EntryReader.lowerHexDigit(bytes[start + 2 + 2 * index])
        else { return false }
        target[index] = high << 4 | low
      }
      return true
    }
    guard valid else { throw bad }
    position += 66
    return hash
  }

  /// A string that must be one of `T`'s raw values.
  mutating func enumeration<T: RawRepresentable>(_ type: T.Type) throws(EntryFormatError) -> T
  where T.RawValue == String {
    let start = position
    let text = try string()
    guard let value = T(rawValue: text) else {
      throw EntryFormatError(offset: start, "的取值 \"\(text)\" 无效")
    }
    return value
  }

  /// A date `YYYY-MM-DD` that exists.
  mutating func date() throws(EntryFormatError) -> AccountingDate {
    let start = position
    let text = try string()
    do { return try AccountingDate(text) } catch {
      throw EntryFormatError(offset: start, "无效：\(error.message)")
    }
  }

  // MARK: Skipping

  /// Moves past one value without checking more than its nesting: used to
  /// find where the body ends, since the kind that decides its type follows it.
  mutating func skipValue() throws(EntryFormatError) {
    let start = position
    var depth = 0
    while position < count {
      let byte = bytes[position]
      position += 1
      switch byte {
      case UInt8(ascii: "\""):
        while position < count, bytes[position] != UInt8(ascii: "\"") {
          position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
        }
        position += 1
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
        guard depth <= JSONValue.depthMax else {
          throw EntryFormatError(offset: position - 1, "嵌套太深")
        }
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
      case UInt8(ascii: ","), UInt8(ascii: ":"):
        break
      default:
        // A scalar: runs up to the next delimiter.
        while position < count {
          switch bytes[position] {
          case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ":"):
            break
          default:
            position += 1
            continue
          }
          break
        }
      }
      if depth <= 0 {
        guard depth == 0, position <= count else { break }
        return
      }
    }
    throw EntryFormatError(offset: start, "内容意外结束")
  }
}
