import Foundation
import GRDB

/// How a ledger is opened: for changing it, or only for reading it (`verify`,
/// `balance`, `journal` …), which also works on a copy the user may not
/// write — a supervisor's copy, a read-only folder or disk.
public enum LedgerAccess: Sendable {
  case readWrite
  case readOnly
}

/// What went wrong underneath SQLite, said so that a person can act on it.
package enum StoreErrors {
  /// Below this much free space, an I/O error is taken to be the disk filling
  /// up: SQLite reports a full disk as `SQLITE_FULL` while writing pages, but
  /// as an I/O error when it can't even size its shared-memory file.
  static let freeBytesFullMax: UInt64 = 1 << 20

  /// Turns an error from SQLite (or the file system) into an `AlmonerError`.
  /// `doing` names the step in Chinese (“写入账本”), `unchanged` adds that the
  /// ledger was left as it was.
  package static func explain(
    _ error: any Error, path: String, doing: String, unchanged: Bool
  ) -> AlmonerError {
    if let error = error as? AlmonerError { return error }
    let left = unchanged ? "，账本未做任何改动" : ""
    if isDiskFull(error, near: path) {
      return .diskFull("磁盘已满：\(doing)失败（账本 \(path) 所在的磁盘没有剩余空间）\(left)；请腾出磁盘空间后重试")
    }
    if let database = error as? DatabaseError {
      let cantOpenReadOnly = database.resultCode == .SQLITE_CANTOPEN && !isWritable(path)
      switch database.resultCode {
      case .SQLITE_READONLY,
        _ where cantOpenReadOnly:
        return .refused(.ledgerReadOnly(path: path, doing: doing, unchanged: unchanged))
      case .SQLITE_BUSY, .SQLITE_LOCKED:
        return .refused(
          .ledgerBusy(
            path: path, seconds: Int(LedgerStore.busyTimeoutSeconds), doing: doing,
            unchanged: unchanged))
      default:
        break
      }
    }
    return .refused(
      .ledgerIOFailed(path: path, doing: doing, unchanged: unchanged, reason: "\(error)"))
  }

  /// False when the ledger file or its folder can't be written (permission
  /// bits, `chattr +i`, a read-only mount): SQLite then can't open it for
  /// writing, nor create its `-wal` and `-shm` files.
  static func isWritable(_ path: String) -> Bool {
    var directory = (path as NSString).deletingLastPathComponent
    if directory.isEmpty { directory = "." }
    return access(path, W_OK) == 0 && access(directory, W_OK) == 0
  }

  /// True when `error` says the disk is full, or is an I/O error on a file
  /// system (the one holding `path`) that has next to no space left.
  static func isDiskFull(_ error: any Error, near path: String) -> Bool {
    if let database = error as? DatabaseError {
      if database.resultCode == .SQLITE_FULL { return true }
      guard [.SQLITE_IOERR, .SQLITE_CANTOPEN].contains(database.resultCode) else { return false }
      return freeBytes(near: path).map { $0 < freeBytesFullMax } ?? false
    }
    if let posix = error as? POSIXError, posix.code == .ENOSPC { return true }
    let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
    if underlying?.domain == NSPOSIXErrorDomain, underlying?.code == Int(ENOSPC) { return true }
    return false
  }

  /// Bytes an unprivileged writer may still use on the file system that
  /// holds `path` (or its directory, when `path` does not exist yet).
  static func freeBytes(near path: String) -> UInt64? {
    var info = statvfs()
    var target = path
    if statvfs(target, &info) != 0 {
      target = (path as NSString).deletingLastPathComponent
      if target.isEmpty { target = "." }
      guard statvfs(target, &info) == 0 else { return nil }
    }
    return UInt64(info.f_bavail) * UInt64(info.f_frsize)
  }
}
