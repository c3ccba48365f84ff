/// A problem found while reading JSON, described in plain Chinese for the ledger's users.
///
/// `offset` is the 0-based position of the offending byte in the input; `message` names
/// the same byte counted from 1 ("第 1 字节" is the first byte), as people count.
public struct CanonicalError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The 0-based byte offset of the problem, when there is one.
  public var offset: Int?
  /// A plain Chinese explanation, starting with the 1-based byte position when known.
  public var message: String

  /// Creates an error from its parts.
  public init(offset: Int?, message: String) {
    self.offset = offset
    self.message = message
  }

  /// Creates an error at a 0-based byte offset, prefixing the 1-based position to `problem`.
  init(at offset: Int, _ problem: String) {
    self.init(offset: offset, message: "第 \(offset + 1) 字节：\(problem)")
  }

  /// The message.
  public var description: String { message }
}

extension JSONValue {
  /// Parses strict RFC 8259 JSON from UTF-8 bytes, accepting only integer numbers.
  ///
  /// Refuses invalid UTF-8, unpaired surrogate escapes, unescaped control characters,
  /// duplicate keys (by exact bytes), a leading BOM, trailing content, nesting deeper than
  /// `depthMax`, and any number that is not exactly an integer within ±`integerMax`.
  @inlinable
  public static func parse(_ bytes: some Collection<UInt8>) throws(CanonicalError) -> JSONValue {
    let direct = bytes.withContiguousStorageIfAvailable { buffer in
      Result { () throws(CanonicalError) in try parse(UnsafeRawBufferPointer(buffer)) }
    }
    if let direct { return try direct.get() }
    let copy = Array(bytes)
    return try copy.withUnsafeBytes { buffer in
      Result { () throws(CanonicalError) in try parse(buffer) }
    }.get()
  }

  /// Parses strict RFC 8259 JSON from raw UTF-8 bytes, accepting only integer numbers.
  public static func parse(_ buffer: UnsafeRawBufferPointer) throws(CanonicalError) -> JSONValue {
    guard let base = buffer.baseAddress, buffer.count > 0 else {
      throw CanonicalError(offset: nil, message: "输入为空：没有任何 JSON 内容")
    }
    var parser = JSONParser(
      bytes: base.assumingMemoryBound(to: UInt8.self), count: buffer.count)
    return try parser.parseDocument()
  }
}

extension Canonical {
  /// Whether `bytes` parse as JSON and re-encode to exactly the same bytes.
  public static func isCanonical(_ bytes: [UInt8]) -> Bool {
    guard let value = try? JSONValue.parse(bytes) else { return false }
    return encode(value) == bytes
  }
}

// MARK: - Parser

/// A one-shot recursive-descent parser over a UTF-8 buffer, with recursion bounded by depth.
private struct JSONParser: ~Copyable {
  typealias Member = (key: String, value: JSONValue)

  let bytes: UnsafePointer<UInt8>
  let count: Int
  var position = 0
  /// Elements of arrays still open, moved out when each array closes.
  var pendingValues = ParserStack<JSONValue>()
  /// Members of objects still open, moved out when each object closes.
  var pendingMembers = ParserStack<Member>()
  /// The byte offset of each pending member's key, for duplicate-key messages.
  var pendingKeyOffsets = ParserStack<Int>()

  init(bytes: UnsafePointer<UInt8>, count: Int) {
    self.bytes = bytes
    self.count = count
  }

  mutating func parseDocument() throws(CanonicalError) -> JSONValue {
    if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      throw CanonicalError(at: 0, "开头有字节顺序标记（BOM，EF BB BF），请去掉它")
    }
    let value = try parseValue(depth: 0)
    skipWhitespace()
    if position < count {
      throw CanonicalError(at: position, "JSON 值已经结束，后面却还有多余的内容")
    }
    return value
  }

  @inline(__always)
  mutating func skipWhitespace() {
    while position < count {
      switch bytes[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }

  mutating func parseValue(depth: Int) throws(CanonicalError) -> JSONValue {
    skipWhitespace()
    guard position < count else {
      throw CanonicalError(at: position, "内容意外结束，这里还需要一个值")
    }
    switch bytes[position] {
    case UInt8(ascii: "\""):
      return .string(try parseString())
    case UInt8(ascii: "{"):
      return try parseObject(depth: depth + 1)
    case UInt8(ascii: "["):
      return try parseArray(depth: depth + 1)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return .integer(try parseNumber())
    case UInt8(ascii: "t"):
      try expectLiteral("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expectLiteral("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expectLiteral("null")
      return .null
    default:
      throw unexpectedByte("这里需要一个值（对象、数组、字符串、整数、true、false 或 null）")
    }
  }

  mutating func expectLiteral(_ literal: StaticString) throws(CanonicalError) {
    let start = position
    let length = literal.utf8CodeUnitCount
    var matches = count - start >= length
    if matches {
      for index in 0..<length where bytes[start + index] != literal.utf8Start[index] {
        matches = false
        break
      }
    }
    guard matches else {
      throw CanonicalError(at: start, "无法识别的内容，这里需要一个值（是否想写 \(literal)？）")
    }
    position += length
  }

  /// Describes the byte at `position` for an error message.
  func unexpectedByte(_ expectation: String) -> CanonicalError {
    let byte = bytes[position]
    let shown: String
    if byte >= 0x21 && byte <= 0x7E {
      shown = "“\(String(UnicodeScalar(byte)))”"
    } else {
      shown = "字节 0x\(hex2(byte))"
    }
    return CanonicalError(at: position, "意外的字符 \(shown)；\(expectation)")
  }

  func hex2(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
  }

  // MARK: Arrays and objects

  mutating func parseArray(depth: Int) throws(CanonicalError) -> JSONValue {
    guard depth <= JSONValue.depthMax else {
      throw CanonicalError(at: position, "嵌套太深：最多允许 \(JSONValue.depthMax) 层数组或对象")
    }
    position += 1
    skipWhitespace()
    if position < count && bytes[position] == UInt8(ascii: "]") {
      position += 1
      return .array([])
    }
    let mark = pendingValues.count
    while true {
      let element = try parseValue(depth: depth)
      pendingValues.push(element)
      skipWhitespace()
      guard position < count else {
        throw CanonicalError(at: position, "内容意外结束：数组缺少结尾的 “]”")
      }
      let byte = bytes[position]
      position += 1
      if byte == UInt8(ascii: ",") { continue }
      if byte == UInt8(ascii: "]") { break }
      position -= 1
      throw unexpectedByte("数组元素之间需要 “,”，结尾需要 “]”")
    }
    return .array(pendingValues.popAll(from: mark))
  }

  mutating func parseObject(depth: Int) throws(CanonicalError) -> JSONValue {
    guard depth <= JSONValue.depthMax else {
      throw CanonicalError(at: position, "嵌套太深：最多允许 \(JSONValue.depthMax) 层数组或对象")
    }
    position += 1
    skipWhitespace()
    if position < count && bytes[position] == UInt8(ascii: "}") {
      position += 1
      return .object(JSONObject())
    }
    let mark = pendingMembers.count
    // While keys arrive escape-free and in strictly ascending byte order (as in canonical
    // input), no key can repeat an earlier one, so the full duplicate check is skipped.
    var ascending = true
    var previousKeyStart = 0
    var previousKeyLength = -1
    while true {
      skipWhitespace()
      guard position < count else {
        throw CanonicalError(at: position, "内容意外结束：对象缺少结尾的 “}”")
      }
      guard bytes[position] == UInt8(ascii: "\"") else {
        throw unexpectedByte("这里需要对象的键（用双引号括起来的字符串）")
      }
      let keyOffset = position
      let key = try parseString()
      if ascending {
        let keyStart = keyOffset + 1
        let keyLength = position - keyStart - 1
        if keyLength != key.utf8.count
          || (previousKeyLength >= 0
            && !rawPrecedes(previousKeyStart, previousKeyLength, keyStart, keyLength))
        {
          ascending = false
        }
        previousKeyStart = keyStart
        previousKeyLength = keyLength
      }
      skipWhitespace()
      guard position < count else {
        throw CanonicalError(at: position, "内容意外结束：键后面需要 “:”")
      }
      guard bytes[position] == UInt8(ascii: ":") else {
        throw unexpectedByte("对象的键后面需要 “:”")
      }
      position += 1
      let value = try parseValue(depth: depth)
      pendingMembers.push((key: key, value: value))
      pendingKeyOffsets.push(keyOffset)
      skipWhitespace()
      guard position < count else {
        throw CanonicalError(at: position, "内容意外结束：对象缺少结尾的 “}”")
      }
      let byte = bytes[position]
      position += 1
      if byte == UInt8(ascii: ",") { continue }
      if byte == UInt8(ascii: "}") { break }
      position -= 1
      throw unexpectedByte("对象成员之间需要 “,”，结尾需要 “}”")
    }
    if !ascending {
      try checkDuplicateKeys(from: mark)
    }
    pendingKeyOffsets.truncate(to: mark)
    return .object(JSONObject(uncheckedMembers: pendingMembers.popAll(from: mark)))
  }

  /// Throws if any pending member from index `mark` repeats an earlier member's key bytes.
  func checkDuplicateKeys(from mark: Int) throws(CanonicalError) {
    let memberCount = pendingMembers.count - mark
    let duplicate = pendingMembers.withElements(from: mark) { members in
      CanonicalUTF8.firstDuplicateIndex(count: memberCount) { members[$0].key }
    }
    guard let duplicate else { return }
    let offset = pendingKeyOffsets.withElements(from: mark) { $0[duplicate] }
    let key = pendingMembers.withElements(from: mark) { $0[duplicate].key }
    let quoted = String(decoding: Canonical.encode(.string(key)), as: UTF8.self)
    throw CanonicalError(at: offset, "对象键 \(quoted) 重复")
  }

  /// Whether the raw input bytes at `a` sort strictly before those at `b`.
  @inline(__always)
  func rawPrecedes(_ a: Int, _ aLength: Int, _ b: Int, _ bLength: Int) -> Bool {
    let common = min(aLength, bLength)
    var index = 0
    while index < common {
      let x = bytes[a + index]
      let y = bytes[b + index]
      if x != y { return x < y }
      index += 1
    }
    return aLength < bLength
  }

  // MARK: Strings

  /// Parses a string starting at its opening quote; leaves `position` after the closing one.
  mutating func parseString() throws(CanonicalError) -> String {
    position += 1
    let start = position
    var isASCII = true
    while true {
      // Skip eight plain ASCII bytes at a time (no quote, backslash, control or non-ASCII).
      while count - position >= 8 {
        let word = UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self)
        let mask = JSONParser.attentionMask(word)
        if mask == 0 {
          position += 8
          continue
        }
        position += mask.trailingZeroBitCount >> 3
        break
      }
      guard position < count else {
        throw CanonicalError(at: start - 1, "字符串缺少结尾的双引号")
      }
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        let text = CanonicalUTF8.string(
          validUTF8: UnsafeBufferPointer(start: bytes + start, count: position - start),
          isASCII: isASCII)
        position += 1
        return text
      } else if byte == UInt8(ascii: "\\") {
        return try parseEscapedString(start: start)
      } else if byte < 0x20 {
        throw controlCharacterError(byte)
      } else if byte < 0x80 {
        position += 1
      } else {
        position = try validateUTF8Sequence(at: position)
        isASCII = false
      }
    }
  }

  /// Flags (in bit 7 of each byte) bytes that are `"`, `\`, below 0x20 or at or above 0x80.
  ///
  /// Bytes are taken in memory order whatever the platform's endianness. Only the lowest
  /// flag is exact (borrows may set flags above it), which is all the scanner needs.
  @inline(__always)
  static func attentionMask(_ raw: UInt64) -> UInt64 {
    let word = UInt64(littleEndian: raw)
    let ones: UInt64 = 0x0101_0101_0101_0101
    let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
    let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
    let hasQuote = (quotes &- ones) & ~quotes
    let hasBackslash = (backslashes &- ones) & ~backslashes
    let hasControl = (word &- ones &* 0x20) & ~word
    return (hasQuote | hasBackslash | hasControl | word) & 0x8080_8080_8080_8080
  }

  func controlCharacterError(_ byte: UInt8) -> CanonicalError {
    CanonicalError(
      at: position,
      "字符串里有未转义的控制字符（0x\(hex2(byte))），须写成转义形式，例如换行写作 \\n")
  }

  /// Parses the rest of a string that contains escapes, from the string's first byte.
  mutating func parseEscapedString(start: Int) throws(CanonicalError) -> String {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(position - start + 16)
    buffer.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: position - start))
    while position < count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        return String(decoding: buffer, as: UTF8.self)
      } else if byte == UInt8(ascii: "\\") {
        try parseEscape(into: &buffer)
      } else if byte < 0x20 {
        throw controlCharacterError(byte)
      } else if byte < 0x80 {
        buffer.append(byte)
        position += 1
      } else {
        let end = try validateUTF8Sequence(at: position)
        buffer.append(
          contentsOf: UnsafeBufferPointer(start: bytes + position, count: end - position))
        position = end
      }
    }
    throw CanonicalError(at: start - 1, "字符串缺少结尾的双引号")
  }

  /// Decodes one escape sequence starting at its backslash and appends its UTF-8 bytes.
  mutating func parseEscape(into buffer: inout [UInt8]) throws(CanonicalError) {
    let escapeStart = position
    guard position + 1 < count else {
      throw CanonicalError(at: escapeStart, "字符串在转义符 “\\” 之后意外结束")
    }
    let letter = bytes[position + 1]
    position += 2
    switch letter {
    case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
    case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
    case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
    case UInt8(ascii: "b"): buffer.append(0x08)
    case UInt8(ascii: "f"): buffer.append(0x0C)
    case UInt8(ascii: "n"): buffer.append(0x0A)
    case UInt8(ascii: "r"): buffer.append(0x0D)
    case UInt8(ascii: "t"): buffer.append(0x09)
    case UInt8(ascii: "u"):
      let unit = try parseHex4(escapeStart: escapeStart)
      var scalar = UInt32(unit)
      if unit >= 0xDC00 && unit <= 0xDFFF {
        throw CanonicalError(
          at: escapeStart,
          "孤立的低位代理项 \\u\(hex2(UInt8(unit >> 8)))\(hex2(UInt8(unit & 0xFF)))："
            + "它前面必须紧跟一个高位代理项（\\uD800–\\uDBFF）")
      }
      if unit >= 0xD800 && unit <= 0xDBFF {
        let lowStart = position
        guard count - position >= 2, bytes[position] == UInt8(ascii: "\\"),
          bytes[position + 1] == UInt8(ascii: "u")
        else {
          throw CanonicalError(
            at: escapeStart,
            "孤立的高位代理项 \\u\(hex2(UInt8(unit >> 8)))\(hex2(UInt8(unit & 0xFF)))："
              + "它后面必须紧跟一个低位代理项（\\uDC00–\\uDFFF）")
        }
        position += 2
        let low = try parseHex4(escapeStart: lowStart)
        guard low >= 0xDC00 && low <= 0xDFFF else {
          throw CanonicalError(
            at: escapeStart,
            "高位代理项 \\u\(hex2(UInt8(unit >> 8)))\(hex2(UInt8(unit & 0xFF))) 后面"
              + "必须紧跟一个低位代理项（\\uDC00–\\uDFFF）")
        }
        scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
      }
      JSONParser.appendUTF8(scalar, to: &buffer)
    default:
      throw CanonicalError(
        at: escapeStart,
        "无效的转义序列；可用的只有 \\\" \\\\ \\/ \\b \\f \\n \\r \\t 和 \\uXXXX")
    }
  }

  /// Reads four hex digits at `position` (just after `\u`).
  mutating func parseHex4(escapeStart: Int) throws(CanonicalError) -> UInt16 {
    guard count - position >= 4 else {
      throw CanonicalError(at: escapeStart, "\\u 后面需要 4 位十六进制数字")
    }
    var unit: UInt16 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default:
        throw CanonicalError(at: escapeStart, "\\u 后面需要 4 位十六进制数字")
      }
      unit = unit << 4 | UInt16(digit)
      position += 1
    }
    return unit
  }

  static func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
      buffer.append(UInt8(scalar))
    case 0x80..<0x800:
      buffer.append(0xC0 | UInt8(scalar >> 6))
      buffer.append(0x80 | UInt8(scalar & 0x3F))
    case 0x800..<0x10000:
      buffer.append(0xE0 | UInt8(scalar >> 12))
      buffer.append(0x80 | UInt8((scalar >> 6) & 0x3F))
      buffer.append(0x80 | UInt8(scalar & 0x3F))
    default:
      buffer.append(0xF0 | UInt8(scalar >> 18))
      buffer.append(0x80 | UInt8((scalar >> 12) & 0x3F))
      buffer.append(0x80 | UInt8((scalar >> 6) & 0x3F))
      buffer.append(0x80 | UInt8(scalar & 0x3F))
    }
  }

  /// Checks the multi-byte UTF-8 sequence starting at `start`; returns the offset after it.
  ///
  /// Rejects stray continuation bytes, overlong forms, encoded surrogates (U+D800–U+DFFF),
  /// code points above U+10FFFF and truncated sequences.
  func validateUTF8Sequence(at start: Int) throws(CanonicalError) -> Int {
    let lead = bytes[start]
    let length: Int
    var secondLow: UInt8 = 0x80
    var secondHigh: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0:
      length = 3
      secondLow = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED:
      length = 3
      secondHigh = 0x9F
    case 0xF0:
      length = 4
      secondLow = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4:
      length = 4
      secondHigh = 0x8F
    default:
      throw CanonicalError(at: start, "无效的 UTF-8 编码（字节 0x\(hex2(lead)) 不能出现在这里）")
    }
    guard count - start >= length else {
      throw CanonicalError(at: start, "无效的 UTF-8 编码（多字节字符被截断）")
    }
    let second = bytes[start + 1]
    guard second >= secondLow && second <= secondHigh else {
      throw CanonicalError(at: start, "无效的 UTF-8 编码（字节 0x\(hex2(lead)) 0x\(hex2(second))）")
    }
    var index = start + 2
    while index < start + length {
      guard bytes[index] & 0xC0 == 0x80 else {
        throw CanonicalError(at: start, "无效的 UTF-8 编码（多字节字符不完整）")
      }
      index += 1
    }
    return index
  }

  // MARK: Numbers

  /// Parses a number, accepting it only when its exact value is an integer within range.
  ///
  /// Uses decimal digit arithmetic only: the value is the digit string (integer and
  /// fraction digits) times 10^(exponent − fraction length).
  mutating func parseNumber() throws(CanonicalError) -> Int64 {
    let start = position
    let negative = bytes[position] == UInt8(ascii: "-")
    if negative { position += 1 }
    let integerStart = position
    guard position < count, JSONParser.isDigit(bytes[position]) else {
      throw CanonicalError(at: start, "负号 “-” 后面需要数字")
    }
    if bytes[position] == UInt8(ascii: "0") {
      position += 1
      if position < count && JSONParser.isDigit(bytes[position]) {
        throw CanonicalError(at: start, "数字不能以 0 开头（例如要写 1 而不是 01）")
      }
    } else {
      while position < count && JSONParser.isDigit(bytes[position]) { position += 1 }
    }
    let integerEnd = position
    var fractionStart = position
    var fractionEnd = position
    var hasFractionOrExponent = false
    if position < count && bytes[position] == UInt8(ascii: ".") {
      hasFractionOrExponent = true
      position += 1
      fractionStart = position
      while position < count && JSONParser.isDigit(bytes[position]) { position += 1 }
      fractionEnd = position
      guard fractionEnd > fractionStart else {
        throw CanonicalError(at: start, "小数点 “.” 后面需要数字")
      }
    }
    var exponent = 0
    if position < count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
      hasFractionOrExponent = true
      position += 1
      var exponentNegative = false
      if position < count
        && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-"))
      {
        exponentNegative = bytes[position] == UInt8(ascii: "-")
        position += 1
      }
      let exponentStart = position
      while position < count && JSONParser.isDigit(bytes[position]) {
        // Saturate: any exponent this large already decides the outcome.
        if exponent < JSONParser.exponentSaturation {
          exponent = exponent * 10 + Int(bytes[position] - UInt8(ascii: "0"))
        }
        position += 1
      }
      guard position > exponentStart else {
        throw CanonicalError(at: start, "指数符号 “e” 后面需要数字")
      }
      if exponentNegative { exponent = -exponent }
    }

    if !hasFractionOrExponent {
      let digitCount = integerEnd - integerStart
      guard digitCount <= JSONParser.integerDigitsMax else { throw outOfRange(start) }
      var magnitude: Int64 = 0
      for index in integerStart..<integerEnd {
        magnitude = magnitude &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0"))
      }
      guard magnitude <= JSONValue.integerMax else { throw outOfRange(start) }
      return negative ? -magnitude : magnitude
    }

    // Exact path: find the significant digits across the integer and fraction parts.
    let integerLength = integerEnd - integerStart
    let fractionLength = fractionEnd - fractionStart
    let totalDigits = integerLength + fractionLength
    let bytes = self.bytes
    let digit = { (index: Int) -> UInt8 in
      index < integerLength
        ? bytes[integerStart + index] &- UInt8(ascii: "0")
        : bytes[fractionStart + index - integerLength] &- UInt8(ascii: "0")
    }
    var first = 0
    while first < totalDigits && digit(first) == 0 { first += 1 }
    if first == totalDigits { return 0 }  // Zero, whatever the exponent (e.g. -0.0, 0e99).
    var last = totalDigits - 1
    while digit(last) == 0 { last -= 1 }
    let trailingZeros = totalDigits - 1 - last
    let scale = exponent - fractionLength + trailingZeros
    guard scale >= 0 else {
      throw CanonicalError(at: start, "不允许小数（账本只使用整数，金额以分计）")
    }
    let significantLength = last - first + 1
    guard significantLength + scale <= JSONParser.integerDigitsMax else {
      throw outOfRange(start)
    }
    var magnitude: Int64 = 0
    for index in first...last {
      magnitude = magnitude * 10 + Int64(digit(index))
    }
    for _ in 0..<scale {
      magnitude *= 10
    }
    guard magnitude <= JSONValue.integerMax else { throw outOfRange(start) }
    return negative ? -magnitude : magnitude
  }

  /// Decimal digits in `integerMax`; more digits always mean out of range.
  static let integerDigitsMax = 16
  /// Exponents are accumulated only up to about this size.
  static let exponentSaturation = 100_000_000

  @inline(__always)
  static func isDigit(_ byte: UInt8) -> Bool {
    byte &- UInt8(ascii: "0") < 10
  }

  func outOfRange(_ start: Int) -> CanonicalError {
    CanonicalError(
      at: start, "整数超出范围：绝对值不能超过 \(JSONValue.integerMax)（2^53−1）")
  }
}

// MARK: - Scratch stack

/// A growable stack whose top elements can be moved out into an array without copying.
private struct ParserStack<Element>: ~Copyable {
  private var storage: UnsafeMutablePointer<Element>?
  private var capacity = 0
  private(set) var count = 0

  init() {}

  deinit {
    if let storage {
      storage.deinitialize(count: count)
      storage.deallocate()
    }
  }

  @inline(__always)
  mutating func push(_ element: consuming Element) {
    if count == capacity { grow() }
    guard let storage else { return }
    (storage + count).initialize(to: element)
    count += 1
  }

  private mutating func grow() {
    let newCapacity = max(16, capacity * 2)
    let newStorage = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    if let storage {
      newStorage.moveInitialize(from: storage, count: count)
      storage.deallocate()
    }
    storage = newStorage
    capacity = newCapacity
  }

  /// Calls `body` with the elements from index `start` to the top.
  func withElements<R>(from start: Int, _ body: (UnsafeBufferPointer<Element>) -> R) -> R {
    body(UnsafeBufferPointer(start: storage.map { $0 + start }, count: count - start))
  }

  /// Moves the elements from index `start` to the top into a new array.
  mutating func popAll(from start: Int) -> [Element] {
    let moved = count - start
    guard moved > 0, let storage else { return [] }
    var result: [Element] = []
    result.reserveCapacity(moved)
    for index in start..<count {
      result.append((storage + index).move())
    }
    count = start
    return result
  }

  /// Drops the elements from index `start` to the top.
  mutating func truncate(to start: Int) {
    guard start < count, let storage else { return }
    (storage + start).deinitialize(count: count - start)
    count = start
  }
}
