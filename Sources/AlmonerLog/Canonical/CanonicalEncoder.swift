/// RFC 8785 (JCS) canonical JSON encoding for `JSONValue`.
///
/// Output has no whitespace, object members sorted by the UTF-16 code units of their keys,
/// strings escaped minimally and written as their exact UTF-8 bytes (never normalised), and
/// integers in plain decimal.
public enum Canonical {
  /// Objects with at most this many members are sorted by insertion sort.
  static let insertionSortMax = 32
  /// Bytes of stack scratch space to encode into before copying out; larger output spills
  /// to the heap.
  package static let stackBufferSize = 1024

  /// Returns the canonical UTF-8 bytes of `value`.
  public static func encode(_ value: JSONValue) -> [UInt8] {
    withEncoded(value) { Array($0) }
  }

  /// Appends the canonical UTF-8 bytes of `value` to `out`.
  public static func encode(_ value: JSONValue, into out: inout [UInt8]) {
    withEncoded(value) { out.append(contentsOf: $0) }
  }

  /// Encodes `value` into scratch memory and calls `body` with the bytes.
  static func withEncoded<R>(
    _ value: JSONValue, _ body: (UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackBufferSize) { scratch in
      var writer = CanonicalWriter(scratch: scratch)
      defer { writer.releaseHeap() }
      writer.write(value)
      return body(writer.written)
    }
  }

  /// The number of characters in the plain decimal form of `number`.
  @inline(__always)
  static func decimalLength(_ number: Int64) -> Int {
    var magnitude = number.magnitude
    var length = number < 0 ? 2 : 1
    while magnitude >= 10 {
      magnitude /= 10
      length += 1
    }
    return length
  }

  /// Flags (in bit 7 of each byte, lowest flag exact) the bytes that need escaping.
  ///
  /// `word` holds bytes in memory order from the least significant end, as
  /// `CanonicalUTF8.loadWord` returns them.
  @inline(__always)
  static func escapeMask(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
    let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
    let hasQuote = (quotes &- ones) & ~quotes
    let hasBackslash = (backslashes &- ones) & ~backslashes
    let hasControl = (word &- ones &* 0x20) & ~word
    return (hasQuote | hasBackslash | hasControl) & 0x8080_8080_8080_8080
  }

  /// A member's place in the sort: its index and the first eight bytes of its key.
  struct SortEntry {
    /// The key's first eight UTF-8 bytes, big-endian, zero-padded.
    var prefix: UInt64
    /// Whether comparing prefixes alone decides the order (no byte at or above 0xEE).
    var prefixDecides: Bool
    /// The member's index.
    var index: Int

    init(key: String, index: Int) {
      self.index = index
      let word = CanonicalUTF8.withBytes(key) { bytes -> UInt64 in
        guard let source = bytes.baseAddress else { return 0 }
        return bytes.count >= 8
          ? CanonicalUTF8.loadWord(source)
          : CanonicalUTF8.loadTail(source, from: 0, count: bytes.count)
      }
      prefix = word.byteSwapped
      let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
      let atLeastEE = word & ((word & lowBits) &+ 0x1212_1212_1212_1212) & ~lowBits
      prefixDecides = atLeastEE == 0
    }
  }

  /// Sorts members by the UTF-16 code units of their keys.
  static func sortByUTF16(
    _ order: inout UnsafeMutableBufferPointer<SortEntry>,
    _ members: UnsafeBufferPointer<(key: String, value: JSONValue)>
  ) {
    let precedes = { (lhs: SortEntry, rhs: SortEntry) -> Bool in
      if lhs.prefix != rhs.prefix && lhs.prefixDecides && rhs.prefixDecides {
        return lhs.prefix < rhs.prefix
      }
      return CanonicalUTF8.withBytes(members[lhs.index].key) { a in
        CanonicalUTF8.withBytes(members[rhs.index].key) { b in utf16Precedes(a, b) }
      }
    }
    let count = order.count
    guard count > insertionSortMax else {
      for index in 1..<count {
        let current = order[index]
        var slot = index
        while slot > 0, precedes(current, order[slot - 1]) {
          order[slot] = order[slot - 1]
          slot -= 1
        }
        order[slot] = current
      }
      return
    }
    order.sort(by: precedes)
  }

  /// Whether UTF-8 string `a` sorts before `b` when both are compared as UTF-16 code units.
  ///
  /// UTF-8 byte order equals code point order, which equals UTF-16 order except that a
  /// character at or above U+10000 (a surrogate pair, 0xD800…) sorts before one in
  /// U+E000–U+FFFF. At the first differing byte both strings sit at the same character
  /// boundary or inside characters with the same lead byte, so only lead bytes need care.
  @inline(__always)
  static func utf16Precedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>)
    -> Bool
  {
    let common = min(a.count, b.count)
    var index = 0
    while index < common && a[index] == b[index] {
      index += 1
    }
    if index == common { return a.count < b.count }
    let x = a[index]
    let y = b[index]
    if x >= 0xEE && y >= 0xEE {
      // Lead bytes 0xEE/0xEF start U+E000–U+FFFF; 0xF0 and above start U+10000 and up.
      let xSupplementary = x >= 0xF0
      let ySupplementary = y >= 0xF0
      if xSupplementary != ySupplementary { return xSupplementary }
    }
    return x < y
  }
}

/// Writes canonical JSON into caller-provided scratch memory, moving to the heap when full.
package struct CanonicalWriter {
  private(set) var start: UnsafeMutablePointer<UInt8>
  private(set) var cursor: UnsafeMutablePointer<UInt8>
  private(set) var limit: UnsafeMutablePointer<UInt8>
  /// Whether `start` was allocated here and must be freed by `releaseHeap()`.
  private var ownsStorage = false

  package init(scratch: UnsafeMutableBufferPointer<UInt8>) {
    let capacity = scratch.count
    let base = scratch.baseAddress ?? UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    ownsStorage = scratch.baseAddress == nil
    start = base
    cursor = base
    limit = base + capacity
  }

  /// The bytes written so far.
  package var written: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: start, count: cursor - start)
  }

  /// Frees heap storage taken when the scratch memory ran out.
  package mutating func releaseHeap() {
    if ownsStorage { start.deallocate() }
    ownsStorage = false
  }

  /// Makes room for at least `count` more bytes.
  @inline(__always)
  package mutating func reserve(_ count: Int) {
    if limit - cursor < count { grow(count) }
  }

  @inline(never)
  mutating func grow(_ count: Int) {
    let used = cursor - start
    let capacity = max((limit - start) * 2, used + count + 64)
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    storage.initialize(from: start, count: used)
    releaseHeap()
    ownsStorage = true
    start = storage
    cursor = storage + used
    limit = storage + capacity
  }

  @inline(__always)
  package mutating func put(_ byte: UInt8) {
    reserve(1)
    cursor.initialize(to: byte)
    cursor += 1
  }

  @inline(__always)
  package mutating func put(_ text: StaticString) {
    let count = text.utf8CodeUnitCount
    reserve(count)
    cursor.initialize(from: text.utf8Start, count: count)
    cursor += count
  }

  mutating func write(_ value: JSONValue) {
    switch value {
    case .null:
      put("null")
    case .bool(let flag):
      put(flag ? "true" : "false")
    case .integer(let number):
      writeInteger(number)
    case .string(let string):
      writeString(string)
    case .array(let elements):
      put(UInt8(ascii: "["))
      elements.withUnsafeBufferPointer { buffer in
        for index in buffer.indices {
          if index > 0 { put(UInt8(ascii: ",")) }
          write(buffer[index])
        }
      }
      put(UInt8(ascii: "]"))
    case .object(let object):
      writeObject(object.members)
    }
  }

  /// Writes an integer in plain decimal.
  package mutating func writeInteger(_ number: Int64) {
    let length = Canonical.decimalLength(number)
    reserve(length)
    var magnitude = number.magnitude
    var index = length - 1
    repeat {
      let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
      (cursor + index).initialize(to: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remainder))
      magnitude = quotient
      index -= 1
    } while magnitude > 0
    if number < 0 { cursor.initialize(to: UInt8(ascii: "-")) }
    cursor += length
  }

  /// Writes a quoted string, escaping only `"`, `\` and U+0000–U+001F.
  package mutating func writeString(_ string: String) {
    put(UInt8(ascii: "\""))
    CanonicalUTF8.withBytes(string) { writeEscaped($0) }
    put(UInt8(ascii: "\""))
  }

  /// Copies UTF-8 bytes eight at a time, stopping only at bytes that need escaping.
  mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress else { return }
    let count = bytes.count
    var index = 0
    // Room for the unescaped bytes plus one whole-word store; renewed after each escape.
    reserve(count &+ 8)
    while index < count {
      let rest = count &- index
      let word: UInt64
      let take: Int
      if rest >= 8 {
        word = CanonicalUTF8.loadWord(source + index)
        take = 8
      } else {
        // Pad the last few bytes with harmless "A"s to test them as one word.
        let padding: UInt64 = 0x4141_4141_4141_4141 &<< UInt64(rest &* 8)
        word = CanonicalUTF8.loadTail(source, from: index, count: count) | padding
        take = rest
      }
      UnsafeMutableRawPointer(cursor).storeBytes(of: word.littleEndian, as: UInt64.self)
      let mask = Canonical.escapeMask(word)
      if mask == 0 {
        cursor += take
        index &+= take
        continue
      }
      // The lowest flag is exact and padding is never flagged, so this stays within `take`.
      let clean = mask.trailingZeroBitCount &>> 3
      cursor += clean
      index &+= clean
      writeEscape(source[index])
      index &+= 1
      reserve(count &- index &+ 8)
    }
  }

  /// Writes the escape sequence for one byte that must be escaped.
  mutating func writeEscape(_ byte: UInt8) {
    let short: UInt8
    switch byte {
    case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
    case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
    case 0x08: short = UInt8(ascii: "b")
    case 0x0C: short = UInt8(ascii: "f")
    case 0x0A: short = UInt8(ascii: "n")
    case 0x0D: short = UInt8(ascii: "r")
    case 0x09: short = UInt8(ascii: "t")
    default:
      let hex: StaticString = "0123456789abcdef"
      put("\\u00")
      put(hex.utf8Start[Int(byte >> 4)])
      put(hex.utf8Start[Int(byte & 0x0F)])
      return
    }
    put(UInt8(ascii: "\\"))
    put(short)
  }

  /// Writes an object with members sorted by the UTF-16 code units of their keys.
  mutating func writeObject(_ members: [(key: String, value: JSONValue)]) {
    members.withUnsafeBufferPointer { writeMembers($0) }
  }

  mutating func writeMembers(_ members: UnsafeBufferPointer<(key: String, value: JSONValue)>) {
    put(UInt8(ascii: "{"))
    let count = members.count
    if count == 1 {
      writeString(members[0].key)
      put(UInt8(ascii: ":"))
      write(members[0].value)
    } else if count > 1 {
      withUnsafeTemporaryAllocation(of: Canonical.SortEntry.self, capacity: count) { buffer in
        var order = buffer
        for index in 0..<count {
          order.initializeElement(at: index, to: .init(key: members[index].key, index: index))
        }
        Canonical.sortByUTF16(&order, members)
        for position in 0..<count {
          if position > 0 { put(UInt8(ascii: ",")) }
          let member = order[position].index
          writeString(members[member].key)
          put(UInt8(ascii: ":"))
          write(members[member].value)
        }
      }
    }
    put(UInt8(ascii: "}"))
  }
}
