/// `checkpoint` (检查点): the ledger signs the Merkle root of every entry
/// before this one, as a C2SP signed note. Mirrors `$defs/checkpointBody`.
public struct CheckpointBody: Sendable {
  /// The C2SP signed note: origin, size, base64 root, a blank line, signature lines.
  public var note: String
  /// RFC 9162 Merkle root over entries 0..size-1.
  public var root: Hash32
  /// Tree size: always this entry's seq.
  public var size: Int64

  enum Key: Int, EntryFieldKey {
    case note, root, size
    var spelling: StaticString {
      switch self {
      case .note: "note"
      case .root: "root"
      case .size: "size"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> CheckpointBody {
    var note: String?
    var root: Hash32?
    var size: Int64?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .note: note = try reader.string()
      case .root: root = try reader.hash()
      case .size: size = try reader.integer()
      }
    }
    return CheckpointBody(
      note: try reader.required(note, Key.note), root: try reader.required(root, Key.root),
      size: try reader.required(size, Key.size))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.note, first: &first)
    out.writeString(note)
    out.key(Key.root, first: &first)
    out.writeHash(root)
    out.key(Key.size, first: &first)
    out.writeInteger(size)
    out.endObject(first: first)
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    note: String, root: Hash32, size: Int64
  ) {
    self.note = note
    self.root = root
    self.size = size
  }
}

/// `checkpoint.cosign` (检查点联署): a supervisor's C2SP tlog-cosignature of
/// an earlier checkpoint. Mirrors `$defs/cosignBody`.
public struct CosignBody: Sendable {
  /// The seq of the checkpoint entry cosigned.
  public var checkpoint: Int64
  /// The note signature line, ending in a newline.
  public var line: String

  enum Key: Int, EntryFieldKey {
    case checkpoint, line
    var spelling: StaticString {
      switch self {
      case .checkpoint: "checkpoint"
      case .line: "line"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> CosignBody {
    var checkpoint: Int64?
    var line: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .checkpoint: checkpoint = try reader.integer()
      case .line: line = try reader.string()
      }
    }
    return CosignBody(
      checkpoint: try reader.required(checkpoint, Key.checkpoint),
      line: try reader.required(line, Key.line))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.checkpoint, first: &first)
    out.writeInteger(checkpoint)
    out.key(Key.line, first: &first)
    out.writeString(line)
    out.endObject(first: first)
  }

  /// The memberwise initializer, for the store and the facade.
  package init(
    checkpoint: Int64, line: String
  ) {
    self.checkpoint = checkpoint
    self.line = line
  }
}
