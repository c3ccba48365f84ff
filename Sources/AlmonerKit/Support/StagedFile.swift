import Foundation

/// An output file that lands together with a commit, or not at all.
///
/// Made before the commit: it checks that the target can be replaced (an
/// existing file must open for writing — a read-only, immutable or
/// append-only file can't) and creates a temporary file beside it, which
/// proves the folder is writable. The content is written to the temporary
/// file inside the commit's transaction (`Ledger.commit`'s `beforeCommit`),
/// so a full disk rolls the entry back; after the commit, `place()` renames
/// it over the target — one `rename(2)` in a folder already shown writable.
/// Unless placed, the temporary file is removed when the value goes away.
public final class StagedFile {
  /// The target path.
  public let path: String
  /// Where the content waits until `place()`.
  public let temporaryPath: String
  /// What the file is, in Chinese, for messages (“检查点文件”).
  public let what: String
  private var written = false
  private var placed = false

  /// `ledger`: the ledger's path, which (with its `-wal` and `-shm`) an
  /// output file must never replace.
  public init(path: String, what: String, ledger: String? = nil) throws(AlmonerError) {
    self.path = path
    self.what = what
    var info = stat()
    var mode: mode_t = 0o644
    if stat(path, &info) == 0 {
      guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw .refused(.outputNotRegularFile(what: what, path: path))
      }
      for protected in ledger.map({ [$0, $0 + "-wal", $0 + "-shm"] }) ?? [] {
        var other = stat()
        if stat(protected, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino {
          throw .refused(.outputIsLedger(what: what, path: path, ledger: protected))
        }
      }
      // Opening for writing without truncating changes nothing, and fails
      // exactly where replacing it would: read-only, immutable, append-only.
      let probe = Glibc.open(path, O_WRONLY | O_CLOEXEC)
      guard probe >= 0 else { throw StagedFile.refusal(errno, what: what, path: path) }
      close(probe)
      mode = info.st_mode & 0o777
    }
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    let random = SecureRandom.bytes(count: 6).map { String($0, radix: 16) }.joined()
    temporaryPath =
      (directory as NSString).appendingPathComponent(
        ".\(url.lastPathComponent).\(getpid())-\(random).tmp")
    let descriptor = Glibc.open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw StagedFile.refusal(errno, what: what, path: path) }
    fchmod(descriptor, mode)
    close(descriptor)
  }

  deinit {
    if !placed { unlink(temporaryPath) }
  }

  /// Writes `bytes` to the temporary file and flushes them to disk.
  public func write(_ bytes: [UInt8]) throws(AlmonerError) {
    precondition(!placed, "a placed file is not written again")
    let descriptor = Glibc.open(temporaryPath, O_WRONLY | O_TRUNC | O_CLOEXEC)
    guard descriptor >= 0 else { throw StagedFile.refusal(errno, what: what, path: path) }
    defer { close(descriptor) }
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeBytes { buffer in
        Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw StagedFile.refusal(errno, what: what, path: path)
      }
      offset += count
    }
    guard fsync(descriptor) == 0 else { throw StagedFile.refusal(errno, what: what, path: path) }
    written = true
  }

  public func write(_ text: String) throws(AlmonerError) { try write(Array(text.utf8)) }

  /// Renames the written temporary file over the target. Should this fail
  /// (it can't in a folder just shown writable, short of someone changing it
  /// meanwhile), the content stays in `temporaryPath`, named in the error.
  public func place() throws(AlmonerError) {
    precondition(written && !placed, "place() follows write()")
    guard rename(temporaryPath, path) == 0 else {
      let reason = String(cString: strerror(errno))
      placed = true  // keep the temporary file: it holds what was signed
      throw .refused(
        .outputPlaceFailed(what: what, path: path, reason: reason, temporaryPath: temporaryPath))
    }
    placed = true
    let directory = Glibc.open(
      URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
    if directory >= 0 {
      fsync(directory)
      close(directory)
    }
  }

  /// Why a file can't be written, as the error a person acts on.
  static func refusal(_ code: Int32, what: String, path: String) -> AlmonerError {
    let reason = String(cString: strerror(code))
    switch code {
    case ENOSPC, EDQUOT:
      return .refused(.outputDiskFull(what: what, path: path))
    case ENOENT, ENOTDIR:
      return .refused(.outputFolderMissing(what: what, path: path, reason: reason))
    case EACCES, EPERM, EROFS, ETXTBSY:
      return .refused(.outputNotWritable(what: what, path: path, reason: reason))
    case EISDIR:
      return .refused(.outputIsDirectory(what: what, path: path))
    default:
      return .refused(.outputWriteFailed(what: what, path: path, reason: reason))
    }
  }
}
