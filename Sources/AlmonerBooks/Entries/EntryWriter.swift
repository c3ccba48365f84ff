/// Writing the objects of the entry format: members in the order their
/// `EntryFieldKey` enum declares, which is the canonical order, through the
/// same `CanonicalWriter` (and so the same string escaping) as any JSON value.
extension CanonicalWriter {
  /// Writes `{` (before the first member) or `,`, then `"key":`.
  @inline(__always)
  mutating func key<K: EntryFieldKey>(_ key: K, first: inout Bool) {
    put(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
    first = false
    put(UInt8(ascii: "\""))
    put(key.spelling)
    put("\":")
  }

  /// Closes an object begun by `key(_:first:)`.
  @inline(__always)
  mutating func endObject(first: Bool) {
    if first { put(UInt8(ascii: "{")) }
    put(UInt8(ascii: "}"))
  }

  @inline(__always)
  mutating func writeBool(_ flag: Bool) { put(flag ? "true" : "false") }

  @inline(__always)
  mutating func writeHash(_ hash: Hash32) {
    put(UInt8(ascii: "\""))
    hash.withUnsafeBytes { raw in
      let digits: StaticString = "0123456789abcdef"
      reserve(64)
      for byte in raw {
        put(digits.utf8Start[Int(byte >> 4)])
        put(digits.utf8Start[Int(byte & 0x0F)])
      }
    }
    put(UInt8(ascii: "\""))
  }
}

extension Canonical {
  /// Calls `write` with a writer over scratch memory and returns the bytes written.
  static func bytes(_ write: (inout CanonicalWriter) -> Void) -> [UInt8] {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackBufferSize) { scratch in
      var writer = CanonicalWriter(scratch: scratch)
      defer { writer.releaseHeap() }
      write(&writer)
      return Array(writer.written)
    }
  }
}
