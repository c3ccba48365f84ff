import AlmonerStore
import Foundation

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
      throw .refused(.publishNoCosignedCheckpoint)
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
      let hashes = try LedgerStore.leafHashes(db, below: size)
      while try hashes.next() {
        guard let hash = try hashes.hash() else {
          break
        }
        _ = tree.append(hash, hasher: hasher)
        count += 1
      }
      guard count == size else {
        throw AlmonerError.refused(.ledgerDiffersFromCheckpoint(size: size))
      }
      guard tree.rootHash(hasher: hasher) == record.rootHash else {
        throw AlmonerError.refused(
          .ledgerRootDiffers(size: size, seq: record.seq, publishing: true))
      }

      var bundle: [[UInt8]] = []
      bundle.reserveCapacity(TlogTiles.width)
      var seq: Int64 = 0
      var kept = false
      let rows = try LedgerStore.leaves(db, below: size)
      while try rows.next() {
        guard let hash = try rows.hash() else {
          throw AlmonerError.refused(.ledgerDiffersFromCheckpoint(size: size))
        }
        do {
          try builder.append(hash) { tile in try writeTile(tile) }
        } catch let error as AlmonerError {
          throw error
        } catch {
          throw AlmonerError.refused(.hashTilesFailed(reason: "\(error)"))
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
          let bytes = try rows.canonical()
          guard hasher.leafHash(bytes) == hash else {
            throw AlmonerError.refused(.entryHashMismatch(seq: seq - 1, publishing: true))
          }
          bundle.append(bytes)
        }
        guard width == TlogTiles.width || seq == size else { continue }
        if kept {
          published.bundlesKept += 1
        } else {
          guard bundle.count == width, let bytes = TlogTiles.bundle(bundle) else {
            throw AlmonerError.refused(.publicLogBundleFailed(start: start))
          }
          let path = TlogTiles.bundlePath(
            index: UInt64(start) / UInt64(TlogTiles.width), width: width)
          try files.write(path, bytes)
          published.bundlesWritten += 1
        }
        bundle.removeAll(keepingCapacity: true)
      }
      guard seq == size else {
        throw AlmonerError.refused(.ledgerDiffersFromCheckpoint(size: size))
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
          throw .refused(.statementFileMissing(seq: statement.seq, hash: statement.hash.hex))
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
        throw AlmonerError.refused(
          .publicLogWriteFailed(path: target, reason: String(cString: strerror(errno))))
      }
    } catch let error as AlmonerError {
      unlink(temporary)
      throw error
    } catch {
      unlink(temporary)
      throw .refused(.publicLogWriteFailed(path: target, reason: "\(error)"))
    }
  }
}
