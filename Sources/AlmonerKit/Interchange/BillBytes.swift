import Foundation

/// The bytes of a bill: a file read a block at a time, so that importing a
/// file of any size holds only a block of it, or bytes already in memory.
public final class BillBytes {
  /// Bytes asked of the file per read.
  static let blockByteCount = 1 << 20

  private let descriptor: Int32?
  /// What the file is and where, for a read that fails midway.
  private let what: String
  private let path: String
  private var memory: [UInt8]
  private var memoryOffset = 0
  /// The file's size when opened (0 for bytes in memory): for progress only.
  public let byteCount: Int

  /// Opens `path` for reading; refused (naming `what` and the path) when it
  /// does not exist, is a folder or can't be read.
  public init(path: String, what: String) throws(AlmonerError) {
    let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    var status = stat()
    guard descriptor >= 0 else { throw .refused(.inputFileMissing(what: what, path: path)) }
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else {
      close(descriptor)
      throw .refused(.inputFileMissing(what: what, path: path))
    }
    self.descriptor = descriptor
    self.what = what
    self.path = path
    self.memory = []
    self.byteCount = Int(status.st_size)
  }

  /// Bytes already in memory.
  public init(_ bytes: [UInt8]) {
    descriptor = nil
    what = ""
    path = ""
    memory = bytes
    byteCount = bytes.count
  }

  deinit {
    if let descriptor { close(descriptor) }
  }

  /// Appends up to `blockByteCount` bytes to `buffer`; 0 at the end.
  func read(appendingTo buffer: inout [UInt8]) throws(AlmonerError) -> Int {
    guard let descriptor else {
      let count = min(BillBytes.blockByteCount, memory.count - memoryOffset)
      buffer.append(contentsOf: memory[memoryOffset..<(memoryOffset + count)])
      memoryOffset += count
      return count
    }
    let before = buffer.count
    buffer.append(contentsOf: repeatElement(0, count: BillBytes.blockByteCount))
    while true {
      let count = buffer.withUnsafeMutableBytes { raw in
        Glibc.read(descriptor, raw.baseAddress! + before, BillBytes.blockByteCount)
      }
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else {
        let reason = String(cString: strerror(errno))
        buffer.removeLast(BillBytes.blockByteCount)
        // `what` names the file ("账单文件"); the refusal adds "文件" itself.
        let kind = what.hasSuffix("文件") ? String(what.dropLast(2)) : what
        throw .refused(.fileUnreadable(what: kind, path: "\(path)（\(reason)）"))
      }
      buffer.removeLast(BillBytes.blockByteCount - count)
      return count
    }
  }
}

/// The physical lines of a bill (split at line feeds), read through a
/// buffer of about one block: a line is handed out as a slice of the buffer,
/// valid until the next call.
struct BillLines {
  /// The longest physical line kept (bytes); a longer one is passed over
  /// and reported, so one line can't make the buffer grow without bound.
  static let lineLengthMax = CSVRecords.recordLengthMax

  enum Line {
    /// The line's bytes, without its line feed.
    case bytes(ArraySlice<UInt8>)
    /// Longer than `lineLengthMax`: its bytes were passed over.
    case tooLong
  }

  private let source: BillBytes
  private var buffer: [UInt8] = []
  /// The first byte not yet handed out.
  private var start = 0
  /// Bytes before this index (from `start`) hold no line feed.
  private var scanned = 0
  private var exhausted = false
  /// Bytes read from the source so far.
  private(set) var bytesRead = 0
  /// Why reading stopped early (an I/O error), if it did.
  private(set) var failure: AlmonerError?

  init(source: BillBytes) {
    self.source = source
    buffer.reserveCapacity(BillBytes.blockByteCount + BillLines.lineLengthMax)
  }

  /// The next line; nil at the end (or after a read failure: `failure`).
  mutating func next() -> Line? {
    var passingOver = false
    while true {
      let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
        guard scanned < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + scanned, 0x0A, bytes.count - scanned) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      }
      if let found {
        let line = buffer[start..<found]
        start = found + 1
        scanned = start
        return passingOver || line.count > BillLines.lineLengthMax ? .tooLong : .bytes(line)
      }
      scanned = buffer.count
      if exhausted {
        guard start < buffer.count || passingOver else { return nil }
        let line = buffer[start...]
        start = buffer.count
        scanned = start
        return passingOver || line.count > BillLines.lineLengthMax ? .tooLong : .bytes(line)
      }
      if buffer.count - start > BillLines.lineLengthMax {
        // No line feed within the limit: drop what there is of this line.
        passingOver = true
        start = buffer.count
      }
      buffer.removeSubrange(0..<start)
      scanned -= start
      start = 0
      do {
        let count = try source.read(appendingTo: &buffer)
        bytesRead += count
        if count == 0 { exhausted = true }
      } catch {
        failure = error
        return nil
      }
    }
  }
}
