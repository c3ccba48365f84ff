import AlmonerKit
import Foundation

/// Shared fixtures for the Merkle tests: leaves, a naive RFC 9162 reference, node sources
/// that store only some levels or count their reads, and the shared test vectors.
enum MerkleFixture {
  /// The leaf hash of test leaf `index`: SHA-256(0x00 ‖ "leaf <index>").
  static func leafHash(_ index: UInt64) -> Hash32 {
    SHA256.leafHash(Array("leaf \(index)".utf8))
  }

  /// Leaf hashes 0..<count.
  static func leaves(_ count: UInt64) -> [Hash32] {
    (0..<count).map(leafHash)
  }

  /// A tree over `leaves(count)`.
  static func tree(_ count: UInt64) -> InMemoryMerkle {
    InMemoryMerkle(leaves: leaves(count))
  }

  /// MTH(D[start:end]) straight from RFC 9162 §2.1.1, over leaf hashes.
  static func referenceRoot(_ leaves: ArraySlice<Hash32>) -> Hash32 {
    switch leaves.count {
    case 0: return SHA256.hash([])
    case 1: return leaves[leaves.startIndex]
    default:
      var split = 1
      while split * 2 < leaves.count { split *= 2 }
      let middle = leaves.startIndex + split
      return SHA256.nodeHash(
        referenceRoot(leaves[..<middle]), referenceRoot(leaves[middle...]))
    }
  }

  /// `hash` with bit `bit` (0 = most significant bit of byte 0) inverted.
  static func flipping(_ hash: Hash32, bit: Int) -> Hash32 {
    var bytes = hash.bytes
    bytes[bit / 8] ^= 0x80 >> UInt8(bit % 8)
    guard let flipped = Hash32(bytes: bytes) else { preconditionFailure("32 bytes") }
    return flipped
  }

  /// The number of significant bits in `value`.
  static func bitLength(_ value: UInt64) -> Int {
    64 - value.leadingZeroBitCount
  }
}

/// An `InMemoryMerkle` that answers `storedNode` only for the levels `isStored` accepts, so
/// `MerkleTree` must compute the rest from children and leaves.
struct SparseMerkleSource: MerkleNodeSource {
  typealias Failure = Never
  let tree: InMemoryMerkle
  let isStored: @Sendable (Int) -> Bool

  func leaf(_ index: UInt64) -> Hash32 {
    tree.leaf(index)
  }

  func storedNode(level: Int, index: UInt64) -> Hash32? {
    isStored(level) ? tree.storedNode(level: level, index: index) : nil
  }
}

/// Counts reads, shared by copies of a `CountingMerkleSource`.
final class MerkleReadCounter {
  var reads = 0
}

/// An `InMemoryMerkle` that counts every leaf and node read.
struct CountingMerkleSource: MerkleNodeSource {
  typealias Failure = Never
  let tree: InMemoryMerkle
  let counter = MerkleReadCounter()

  func leaf(_ index: UInt64) -> Hash32 {
    counter.reads += 1
    return tree.leaf(index)
  }

  func storedNode(level: Int, index: UInt64) -> Hash32? {
    counter.reads += 1
    return tree.storedNode(level: level, index: index)
  }
}

/// The shared Merkle test vectors (transparency-dev/merkle testdata, Apache-2.0).
enum MerkleVectors {
  /// `Tests/Vectors/merkle`, found by walking up from this file to the package root.
  static let directory: URL? = {
    var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while directory.path != "/" {
      let vectors = directory.appendingPathComponent("Tests/Vectors/merkle")
      if FileManager.default.fileExists(atPath: vectors.path) { return vectors }
      directory.deleteLastPathComponent()
    }
    return nil
  }()

  /// Every `.json` file under `kind` ("inclusion" or "consistency"), relative to `directory`.
  static func files(_ kind: String) -> [String] {
    guard let directory else { return [] }
    let root = directory.appendingPathComponent(kind)
    guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
    return walker.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".json") }
      .map { "\(kind)/\($0)" }
      .sorted()
  }

  /// The JSON object in `relativePath`.
  static func object(_ relativePath: String) throws -> [String: Any] {
    guard let directory else { throw VectorError("Tests/Vectors/merkle not found") }
    let data = try Data(contentsOf: directory.appendingPathComponent(relativePath))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw VectorError("\(relativePath) is not a JSON object")
    }
    return object
  }

  /// A hash field: base64 of exactly 32 bytes is a hash; anything else (missing, null, other
  /// lengths) is kept as the bytes it decodes to, which no `Hash32` can hold.
  enum Field {
    case hash(Hash32)
    case malformed([UInt8])

    init(_ value: Any?) {
      guard let text = value as? String, let data = Data(base64Encoded: text) else {
        self = .malformed([])
        return
      }
      if let hash = Hash32(bytes: data) {
        self = .hash(hash)
      } else {
        self = .malformed(Array(data))
      }
    }

    var hash: Hash32? {
      if case .hash(let hash) = self { hash } else { nil }
    }
  }

  /// A proof field: `nil` when any element is not a 32-byte hash; null or missing is empty.
  static func proof(_ value: Any?) -> [Hash32]? {
    guard let elements = value as? [Any] else { return [] }
    var proof: [Hash32] = []
    for element in elements {
      guard let hash = Field(element).hash else { return nil }
      proof.append(hash)
    }
    return proof
  }

  /// A non-negative integer field.
  static func size(_ value: Any?) throws -> UInt64 {
    // Exactly a UInt64: the vectors hold 2^64 - 1 where an index underflowed.
    guard let number = value as? NSNumber, number.stringValue == String(number.uint64Value)
    else {
      throw VectorError("not a size: \(String(describing: value))")
    }
    return number.uint64Value
  }

  struct VectorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }
}
