/// C2SP tlog-tiles (`shared/specs/c2sp-tlog-tiles.md`): the Merkle tree and
/// the entries of a log as static files — hash tiles of 256 hashes per level
/// and entry bundles — that any static web server (or a USB stick) serves and
/// any tlog-tiles client reads.
public enum TlogTiles {
  /// Hashes in a full tile, and entries in a full bundle.
  public static let width = 256

  /// `x001/x234/067` for 1234067: zero-padded 3-digit elements, all but the
  /// last prefixed with `x`.
  public static func indexPath(_ index: UInt64) -> String {
    var elements: [String] = []
    var rest = index
    repeat {
      let element = String(rest % 1000)
      elements.append(String(repeating: "0", count: 3 - element.count) + element)
      rest /= 1000
    } while rest > 0
    elements.reverse()
    return elements.enumerated().map {
      $0.offset < elements.count - 1 ? "x" + $0.element : $0.element
    }
    .joined(separator: "/")
  }

  /// `tile/<L>/<N>[.p/<W>]`; `width` below 256 makes it a partial tile.
  public static func tilePath(level: Int, index: UInt64, width: Int = TlogTiles.width) -> String {
    "tile/\(level)/\(indexPath(index))" + (width < TlogTiles.width ? ".p/\(width)" : "")
  }

  /// `tile/entries/<N>[.p/<W>]`.
  public static func bundlePath(index: UInt64, width: Int = TlogTiles.width) -> String {
    "tile/entries/\(indexPath(index))" + (width < TlogTiles.width ? ".p/\(width)" : "")
  }

  /// An entry bundle: each entry as a big-endian uint16 length and its bytes.
  /// Nil when an entry is longer than 65,535 bytes (the format can't hold it).
  public static func bundle(_ entries: [[UInt8]]) -> [UInt8]? {
    var bytes: [UInt8] = []
    for entry in entries {
      guard entry.count <= Int(UInt16.max) else { return nil }
      bytes.append(UInt8(entry.count >> 8))
      bytes.append(UInt8(entry.count & 0xFF))
      bytes.append(contentsOf: entry)
    }
    return bytes
  }

  /// The tiles of a tree, level by level, as leaf hashes arrive in order.
  /// `finish()` adds the partial tiles of the final size. Each tile is handed
  /// to `emit` once, full tiles as soon as they fill.
  public struct Builder {
    /// Per level, the hashes of the tile being filled.
    private var levels: [[Hash32]] = [[]]
    /// Per level, the index of the tile being filled.
    private var indexes: [UInt64] = [0]
    private let hasher = SHA256()

    public init() {}

    /// A finished tile: its level, index, hashes (256 unless partial).
    public typealias Tile = (level: Int, index: UInt64, hashes: [Hash32])

    public mutating func append(_ leaf: Hash32, emit: (Tile) throws -> Void) rethrows {
      var hash = leaf
      var level = 0
      while true {
        levels[level].append(hash)
        guard levels[level].count == TlogTiles.width else { return }
        let full = levels[level]
        try emit((level, indexes[level], full))
        hash = TlogTiles.subtreeRoot(full, hasher: hasher)
        levels[level].removeAll(keepingCapacity: true)
        indexes[level] += 1
        level += 1
        if level == levels.count {
          levels.append([])
          indexes.append(0)
        }
      }
    }

    /// The partial tiles of the current size (none for a level whose count
    /// is a multiple of 256).
    public func partialTiles() -> [Tile] {
      levels.indices.compactMap { level in
        levels[level].isEmpty ? nil : (level, indexes[level], levels[level])
      }
    }
  }

  /// MTH of a power-of-two count of hashes: a perfect subtree.
  static func subtreeRoot(_ hashes: [Hash32], hasher: SHA256) -> Hash32 {
    precondition(!hashes.isEmpty && hashes.count & (hashes.count - 1) == 0)
    var row = hashes
    while row.count > 1 {
      row = stride(from: 0, to: row.count, by: 2).map { hasher.nodeHash(row[$0], row[$0 + 1]) }
    }
    return row[0]
  }
}
