/// A JSON value restricted to the subset the ledger uses: no floating point anywhere.
///
/// Strings are compared by their exact UTF-8 bytes, never by Swift's `String ==`
/// (which treats canonically equivalent strings such as NFC "é" and NFD "e\u{301}" as
/// equal). Two values are equal exactly when their canonical encodings are equal.
public enum JSONValue: Equatable, Sendable {
  /// The JSON literal `null`.
  case null
  /// The JSON literals `true` and `false`.
  case bool(Bool)
  /// An integer; the ledger keeps it within ±`JSONValue.integerMax` (±(2^53−1)).
  ///
  /// The parser never produces a value outside that range. The encoder writes whatever it
  /// is given, so code that builds values by hand must respect the range itself.
  case integer(Int64)
  /// A string, kept exactly as its UTF-8 bytes (never normalised).
  case string(String)
  /// An ordered list of values.
  case array([JSONValue])
  /// An object whose keys are unique by their exact UTF-8 bytes.
  case object(JSONObject)

  /// The largest magnitude an integer may have: 2^53 − 1, as RFC 8785 (I-JSON) requires.
  public static let integerMax: Int64 = 9_007_199_254_740_991

  /// The deepest nesting of arrays and objects that the parser accepts.
  public static let depthMax = 64

  /// Tells whether `value` lies within ±`integerMax`.
  public static func isIntegerInRange(_ value: Int64) -> Bool {
    value >= -integerMax && value <= integerMax
  }

  /// Compares two values, strings by exact UTF-8 bytes and objects regardless of member order.
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null):
      return true
    case (.bool(let a), .bool(let b)):
      return a == b
    case (.integer(let a), .integer(let b)):
      return a == b
    case (.string(let a), .string(let b)):
      return CanonicalUTF8.equal(a, b)
    case (.array(let a), .array(let b)):
      guard a.count == b.count else { return false }
      for index in a.indices where a[index] != b[index] {
        return false
      }
      return true
    case (.object(let a), .object(let b)):
      return a == b
    default:
      return false
    }
  }
}

// MARK: - Convenience accessors

extension JSONValue {
  /// The string payload, or `nil` when the value is not a string.
  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The integer payload, or `nil` when the value is not an integer.
  public var integerValue: Int64? {
    if case .integer(let value) = self { return value }
    return nil
  }

  /// The Boolean payload, or `nil` when the value is not `true` or `false`.
  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The elements, or `nil` when the value is not an array.
  public var arrayValue: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The object, or `nil` when the value is not an object.
  public var objectValue: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// Whether the value is `null`.
  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral {
  /// Creates a string value from a literal.
  public init(stringLiteral value: String) {
    self = .string(value)
  }
}

extension JSONValue: ExpressibleByIntegerLiteral {
  /// Creates an integer value from a literal, which must lie within ±`integerMax`.
  public init(integerLiteral value: Int64) {
    precondition(JSONValue.isIntegerInRange(value), "JSON integer literal out of ±(2^53−1)")
    self = .integer(value)
  }
}

extension JSONValue: ExpressibleByBooleanLiteral {
  /// Creates a Boolean value from a literal.
  public init(booleanLiteral value: Bool) {
    self = .bool(value)
  }
}

extension JSONValue: ExpressibleByArrayLiteral {
  /// Creates an array value from a literal.
  public init(arrayLiteral elements: JSONValue...) {
    self = .array(elements)
  }
}

extension JSONValue: ExpressibleByNilLiteral {
  /// Creates `null` from the `nil` literal.
  public init(nilLiteral: ()) {
    self = .null
  }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
  /// Creates an object value from a literal whose keys are unique by their UTF-8 bytes.
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements))
  }
}

// MARK: - JSONObject

/// Object members in insertion order; keys are unique by their exact UTF-8 bytes.
///
/// Keys are NOT compared with Swift's `String ==`, which uses canonical equivalence:
/// "é" in NFC and in NFD compare equal in Swift but are different keys in JSON.
/// Two objects are equal when they hold the same keys (by bytes) with equal values,
/// whatever the member order; the canonical encoder sorts members anyway.
public struct JSONObject: Equatable, Sendable, ExpressibleByDictionaryLiteral {
  /// The members in insertion order.
  public private(set) var members: [(key: String, value: JSONValue)]

  /// Creates an empty object.
  public init() {
    members = []
  }

  /// Creates an object from members whose keys must be unique by their UTF-8 bytes.
  public init(_ members: [(String, JSONValue)]) {
    let labelled = members.map { (key: $0.0, value: $0.1) }
    precondition(
      JSONObject.firstDuplicateIndex(in: labelled) == nil,
      "JSONObject keys must be unique by their UTF-8 bytes")
    self.members = labelled
  }

  /// Creates an object from a literal whose keys must be unique by their UTF-8 bytes.
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(elements)
  }

  /// Creates an object from members the caller has already checked for duplicate keys.
  init(uncheckedMembers members: [(key: String, value: JSONValue)]) {
    self.members = members
  }

  /// The number of members.
  public var count: Int { members.count }

  /// Whether the object has no members.
  public var isEmpty: Bool { members.isEmpty }

  /// The keys in insertion order.
  public var keys: [String] { members.map(\.key) }

  /// The position of the member whose key has exactly the bytes of `key`, if any.
  public func index(forKey key: String) -> Int? {
    members.firstIndex { CanonicalUTF8.equal($0.key, key) }
  }

  /// The value stored under the key with exactly the bytes of `key`.
  ///
  /// Setting a value replaces an existing member in place or appends a new one;
  /// setting `nil` removes the member.
  public subscript(key: String) -> JSONValue? {
    get {
      guard let index = index(forKey: key) else { return nil }
      return members[index].value
    }
    set {
      let index = index(forKey: key)
      switch (index, newValue) {
      case (let index?, let value?):
        members[index].value = value
      case (let index?, nil):
        members.remove(at: index)
      case (nil, let value?):
        members.append((key: key, value: value))
      case (nil, nil):
        break
      }
    }
  }

  /// Compares two objects by key bytes and values, ignoring member order.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    let count = lhs.members.count
    guard count == rhs.members.count else { return false }
    // Fast path: the same members in the same order.
    var start = 0
    while start < count,
      CanonicalUTF8.equal(lhs.members[start].key, rhs.members[start].key),
      lhs.members[start].value == rhs.members[start].value
    {
      start += 1
    }
    // Keys are unique on both sides and the counts match, so a lookup per member suffices.
    for member in lhs.members[start...] {
      guard let other = rhs[member.key], other == member.value else { return false }
    }
    return true
  }

  /// The index of the first member whose key repeats an earlier key's bytes, if any.
  static func firstDuplicateIndex(in members: [(key: String, value: JSONValue)]) -> Int? {
    members.withUnsafeBufferPointer { buffer in
      CanonicalUTF8.firstDuplicateIndex(count: buffer.count) { buffer[$0].key }
    }
  }
}

// MARK: - Byte-exact string helpers

/// Byte-exact comparisons of strings through their UTF-8 views.
package enum CanonicalUTF8 {
  /// Objects with at most this many members are checked for duplicates pairwise.
  static let pairwiseDuplicateCheckMax = 16

  /// Calls `body` with the string's UTF-8 bytes, without copying or retaining the string.
  @inline(__always)
  static func withBytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
      return string.utf8.span.withUnsafeBufferPointer(body)
    }
    if let result = string.utf8.withContiguousStorageIfAvailable(body) {
      return result
    }
    return Array(string.utf8).withUnsafeBufferPointer(body)
  }

  /// Makes a string from bytes already checked to be valid UTF-8 (and ASCII if `isASCII`).
  @inline(__always)
  static func string(validUTF8 bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String {
    // Strings of up to 15 bytes are stored inline, where plain decoding is faster.
    if bytes.count > smallStringMax {
      if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
        let span = Span(_unsafeElements: bytes)
        return String(copying: UTF8Span(unchecked: span, isKnownASCII: isASCII))
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The longest string Swift stores inline on 64-bit platforms.
  static let smallStringMax = 15

  /// Loads eight bytes; the first byte in memory ends up least significant on any platform.
  @inline(__always)
  static func loadWord(_ source: UnsafePointer<UInt8>) -> UInt64 {
    UInt64(littleEndian: UnsafeRawPointer(source).loadUnaligned(as: UInt64.self))
  }

  /// Loads bytes `index..<count` (fewer than eight) like `loadWord`, with zeros above them.
  ///
  /// Never reads outside `source[0..<count]`.
  @inline(__always)
  static func loadTail(_ source: UnsafePointer<UInt8>, from index: Int, count: Int) -> UInt64 {
    let rest = count - index
    if count >= 8 {
      return loadWord(source + count - 8) &>> UInt64((8 - rest) &* 8)
    }
    var word: UInt64 = 0
    var pointer = UnsafeRawPointer(source + index)
    var shift: UInt64 = 0
    if rest & 4 != 0 {
      word = UInt64(UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self)))
      pointer += 4
      shift = 32
    }
    if rest & 2 != 0 {
      word |= UInt64(UInt16(littleEndian: pointer.loadUnaligned(as: UInt16.self))) &<< shift
      pointer += 2
      shift &+= 16
    }
    if rest & 1 != 0 {
      word |= UInt64(pointer.load(as: UInt8.self)) &<< shift
    }
    return word
  }

  /// Whether two strings have exactly the same UTF-8 bytes.
  @inline(__always)
  package static func equal(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    return withBytes(a) { x in withBytes(b) { y in compare(x, y) == 0 } }
  }

  /// Compares two strings by their UTF-8 bytes: negative, zero or positive.
  @inline(__always)
  static func compare(_ a: String, _ b: String) -> Int {
    withBytes(a) { x in withBytes(b) { y in compare(x, y) } }
  }

  /// Compares two byte buffers lexicographically: negative, zero or positive.
  @inline(__always)
  static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
    let common = min(x.count, y.count)
    var index = 0
    while index < common {
      let a = x[index]
      let b = y[index]
      if a != b { return a < b ? -1 : 1 }
      index += 1
    }
    return x.count - y.count
  }

  /// The index of the first key (in order) that repeats an earlier key's bytes, if any.
  ///
  /// Runs in linear time for keys already in ascending byte order (the canonical order for
  /// ASCII keys), pairwise for small objects and by sorting otherwise.
  static func firstDuplicateIndex(count: Int, key: (Int) -> String) -> Int? {
    guard count > 1 else { return nil }
    var ascending = true
    for index in 1..<count where compare(key(index - 1), key(index)) >= 0 {
      ascending = false
      break
    }
    if ascending { return nil }
    if count <= pairwiseDuplicateCheckMax {
      for later in 1..<count {
        for earlier in 0..<later where equal(key(earlier), key(later)) {
          return later
        }
      }
      return nil
    }
    var order = Array(0..<count)
    order.sort { lhs, rhs in
      let order = compare(key(lhs), key(rhs))
      return order != 0 ? order < 0 : lhs < rhs
    }
    var first: Int?
    for position in 1..<count where equal(key(order[position - 1]), key(order[position])) {
      let later = order[position]
      if first.map({ later < $0 }) ?? true { first = later }
    }
    return first
  }
}
