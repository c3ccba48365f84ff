import AlmonerStore
import Foundation
import GRDB

/// What `almoner publish DIR` wrote.
public struct PublishedLog: Sendable {
  /// The checkpoint published: its entry's seq, the tree size and root.
  public var checkpoint: CheckpointRecord
  public var cosigners: [String]
  /// Files written this time; the rest were already there.
  public var tilesWritten = 0
  public var bundlesWritten = 0
  public var tilesKept = 0
  public var bundlesKept = 0
  /// Statement files (`statements/<hash>.json`) written and already there.
  public var statementsWritten = 0
  public var statementsKept = 0
}

extension Ledger {
  /// Writes the public log into `directory` as a C2SP tlog-tiles log: the
  /// hash tiles and entry bundles of the tree the newest cosigned checkpoint
  /// signed, that checkpoint with its cosignatures (`checkpoint`), the
  /// trust bundle (`trust.json`, `trust.json.vkeys`), and every statement
  /// the tree's entries publish (`statements/<hash>.json` and
  /// `statements/index.json`). Entries hold no personal data (DESIGN §6),
  /// and statements none of anyone who did not consent, so all of this can
  /// be public.
  ///
  /// Incremental: full tiles and bundles never change, so those already in
  /// `directory` are kept; partial ones and the checkpoint are rewritten.
  /// Nothing is written unless the leaf hashes, rehashed from the entries'
  /// bytes where a bundle is written, give the checkpoint's root; the
  /// checkpoint file goes last, so a reader never sees a checkpoint whose
  /// tiles are missing.
  public func publish(to directory: String) throws(AlmonerError) -> PublishedLog {
    let summaries = try checkpoints()
    guard let newest = summaries.last(where: { !$0.cosigners.isEmpty }) else {
      throw .badInput(
        "还没有监督员联署过的检查点，不能发布：请先 `almoner checkpoint create`，再请街道或区级监督员 `almoner checkpoint cosign`")
    }
    let record = newest.record
    let size = record.treeSize
    let trust = try trustBundle()
    var published = PublishedLog(
      checkpoint: record, cosigners: newest.cosigners.map(\.name))
    let files = PublicDirectory(root: directory)
    var builder = TlogTiles.Builder()
    func writeTile(_ tile: TlogTiles.Builder.Tile) throws(AlmonerError) {
      let path = TlogTiles.tilePath(level: tile.level, index: tile.index, width: tile.hashes.count)
      let full = tile.hashes.count == TlogTiles.width
      if full, files.exists(path) {
        published.tilesKept += 1
        return
      }
      try files.write(path, tile.hashes.flatMap(\.bytes))
      published.tilesWritten += 1
    }
    // Two passes over the entries in one read transaction, each holding no
    // more than a bundle: the first folds the leaf hashes into the root and
    // checks it against the checkpoint's, before any file is written; the
    // second writes the tiles, and the bundles with each entry's bytes
    // checked against its leaf hash.
    let hasher = SHA256()
    try read { db in
      var tree = MerkleAppender()
      var count: Int64 = 0
      let hashes = try Row.fetchCursor(
        db, sql: "SELECT hash FROM entry WHERE seq < ? ORDER BY seq", arguments: [size])
      while let row = try hashes.next() {
        guard let hash = try row.withUnsafeData(atIndex: 0, { $0.flatMap(Hash32.init(bytes:)) })
        else {
          break
        }
        _ = tree.append(hash, hasher: hasher)
        count += 1
      }
      guard count == size else {
        throw AlmonerError.verification(
          "账本的记录数或记录哈希与检查点（\(size) 条）不符：请先运行 `almoner verify ledger`")
      }
      guard tree.rootHash(hasher: hasher) == record.rootHash else {
        throw AlmonerError.verification(
          "账本前 \(size) 条记录的默克尔根与记录 #\(record.seq) 的检查点不符：数据被改动，没有发布任何文件。请运行 `almoner verify ledger`"
        )
      }

      var bundle: [[UInt8]] = []
      bundle.reserveCapacity(TlogTiles.width)
      var seq: Int64 = 0
      var kept = false
      let rows = try Row.fetchCursor(
        db, sql: "SELECT hash, canonical FROM entry WHERE seq < ? ORDER BY seq", arguments: [size])
      while let row = try rows.next() {
        guard let hash = try row.withUnsafeData(atIndex: 0, { $0.flatMap(Hash32.init(bytes:)) })
        else {
          throw AlmonerError.verification(
            "账本的记录数或记录哈希与检查点（\(size) 条）不符：请先运行 `almoner verify ledger`")
        }
        do {
          try builder.append(hash) { tile in try writeTile(tile) }
        } catch let error as AlmonerError {
          throw error
        } catch {
          throw AlmonerError.failure("写入哈希瓦片失败：\(error)")
        }
        let start = seq / Int64(TlogTiles.width) * Int64(TlogTiles.width)
        if seq == start {
          // A full bundle already published never changes: keep it.
          let fullPath = TlogTiles.bundlePath(
            index: UInt64(start) / UInt64(TlogTiles.width), width: TlogTiles.width)
          kept = start + Int64(TlogTiles.width) <= size && files.exists(fullPath)
        }
        seq += 1
        let width = Int(seq - start)
        if !kept {
          let bytes = try row.withUnsafeData(atIndex: 1) { $0.map { [UInt8]($0) } } ?? []
          guard hasher.leafHash(bytes) == hash else {
            throw AlmonerError.verification(
              "记录内容与其哈希不符：数据被改动，没有发布。请运行 `almoner verify ledger`")
          }
          bundle.append(bytes)
        }
        guard width == TlogTiles.width || seq == size else { continue }
        if kept {
          published.bundlesKept += 1
        } else {
          guard bundle.count == width, let bytes = TlogTiles.bundle(bundle) else {
            throw AlmonerError.failure("记录 #\(start) 起的记录无法打包（缺失，或单条超过 65,535 字节）")
          }
          let path = TlogTiles.bundlePath(
            index: UInt64(start) / UInt64(TlogTiles.width), width: width)
          try files.write(path, bytes)
          published.bundlesWritten += 1
        }
        bundle.removeAll(keepingCapacity: true)
      }
      guard seq == size else {
        throw AlmonerError.verification(
          "账本的记录数或记录哈希与检查点（\(size) 条）不符：请先运行 `almoner verify ledger`")
      }
    }
    for tile in builder.partialTiles() { try writeTile(tile) }
    try publishStatements(upTo: size, into: files, &published)
    try files.write("trust.json", Array(Rendering.json(trust.json).utf8))
    try files.write("trust.json.vkeys", Array(trust.verifierKeys.utf8))
    try files.write("checkpoint", Array(newest.cosignedNote.utf8))
    return published
  }

  /// Writes the files of the statements published by the first `size`
  /// entries (those already there are kept: a file is named by its hash)
  /// and the index of them all.
  private func publishStatements(
    upTo size: Int64, into files: PublicDirectory, _ published: inout PublishedLog
  ) throws(AlmonerError) {
    let state = try verifiedState()
    let statements = state.statements.values.filter { $0.seq < size }.sorted { $0.seq < $1.seq }
    var supersededBy: [Hash32: Hash32] = [:]
    for statement in statements {
      if let old = statement.supersedes { supersededBy[old] = statement.hash }
    }
    var index: [JSONValue] = []
    for statement in statements {
      let path = PublicLogReader.statementPath(statement.hash)
      if files.exists(path) {
        published.statementsKept += 1
      } else {
        guard
          let file = try read({ db in try LedgerStore.statementFile(db, hash: statement.hash) }),
          (try? Statement(parsing: file))?.hash == statement.hash
        else {
          throw .verification(
            "记录 #\(statement.seq) 发布的报表 \(statement.hash.hex) 的文件缺失或与哈希不符：没有发布它。请运行 `almoner verify ledger`"
          )
        }
        try files.write(path, file)
        published.statementsWritten += 1
      }
      index.append(
        .object([
          "hash": .string(statement.hash.hex), "seq": .integer(statement.seq),
          "unit": .string(statement.unit),
          "unitName": .string(state.units[statement.unit]?.name ?? statement.unit),
          "period": .string(statement.period), "subtree": .bool(statement.subtree),
          "supersedes": statement.supersedes.map { .string($0.hex) } ?? .null,
          "reason": statement.reason.map { .string($0) } ?? .null,
          "supersededBy": supersededBy[statement.hash].map { .string($0.hex) } ?? .null,
          "file": .string(path),
        ]))
    }
    let document: JSONValue = .object([
      "format": .string(PublicLogReader.statementIndexFormat), "treeSize": .integer(size),
      "statements": .array(index),
    ])
    try files.write(PublicLogReader.statementIndexPath, Array(Rendering.json(document).utf8))
  }
}

/// The published folder: files are written whole (a temporary file renamed
/// into place), so a reader never sees half a tile.
private struct PublicDirectory {
  let root: String

  func exists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: root + "/" + path)
  }

  func write(_ path: String, _ bytes: [UInt8]) throws(AlmonerError) {
    let target = root + "/" + path
    let folder = (target as NSString).deletingLastPathComponent
    let temporary = folder + "/.publish-\(getpid()).tmp"
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: temporary))
      guard rename(temporary, target) == 0 else {
        throw AlmonerError.failure(String(cString: strerror(errno)))
      }
    } catch {
      unlink(temporary)
      throw .failure("无法写入公开日志文件 \(target)：\(error)")
    }
  }
}
