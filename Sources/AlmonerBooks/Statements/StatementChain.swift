import Foundation

/// How statements follow one another: each period opens with the closing
/// balances of the previous statement in force, and the public log records
/// which statements were published and which corrections superseded them.
extension Statement {
  /// Where this statement's opening balances differ from the closing ones
  /// of `previous`, the statement its header names as previous; nil when
  /// they agree fund by fund.
  public func openingProblem(previous earlier: Statement) -> String? {
    guard let named = previous else {
      return "报表没有写上一期报表，却给了上一期报表 \(earlier.hash.hex)"
    }
    guard earlier.hash == named else {
      return "给出的上一期报表（哈希 \(earlier.hash.hex)）不是本报表所写的上一期报表 \(named.hex)"
    }
    guard earlier.unit.code == unit.code, earlier.subtree == subtree,
      earlier.period.to < period.from
    else {
      return
        "上一期报表（\(earlier.unit.code) \(earlier.period.name)）与本报表（\(unit.code) \(period.name)）不是同一单位、同一范围的前后两期"
    }
    var codes: [String] = []
    for code in funds.map(\.code) + earlier.funds.map(\.code) where !codes.contains(code) {
      codes.append(code)
    }
    for code in codes {
      let fund = funds.first { $0.code == code }
      let before = earlier.funds.first { $0.code == code }
      let opening = fund?.openingFen ?? 0
      let closing = before?.closingFen ?? 0
      guard opening == closing else {
        let name = Text.escaped(fund?.name ?? before?.name ?? code)
        return
          "基金「\(name)」（\(code)）的期初余额 \(Money(fen: opening).displayText) 与上一期（\(earlier.period.name)）报表的期末余额 \(Money(fen: closing).displayText) 不符"
      }
    }
    return nil
  }
}

/// Where a statement stands in the public log.
public struct StatementPublicationStatus: Sendable {
  /// The seq of the `statement.publish` entry.
  public var seq: Int64
  /// The tree size of the public log's checkpoint that was read.
  public var treeSize: Int64
}

extension Statement {
  /// Checks that the public log's entries (`entries`, the whole log up to
  /// its checkpoint) publish this statement, and that no later correction
  /// supersedes it. Failures are verification failures (exit 1), naming
  /// the correction.
  public func publication(in entries: [[UInt8]]) throws(AlmonerError)
    -> StatementPublicationStatus
  {
    func fail(_ why: String) -> AlmonerError {
      .refused(.statementCheckFailed(.publication, detail: why))
    }
    var published: Int64?
    for bytes in entries {
      // Only publication entries matter; skip the rest without decoding.
      guard PublicLogReader.mayBePublication(bytes) else { continue }
      guard let entry = try? Entry(canonical: bytes),
        case .statementPublish(let body) = entry.body
      else { continue }
      if body.hash == hash {
        guard body.unit == unit.code, body.period == period.name, body.subtree == subtree else {
          throw fail(
            "公开日志记录 #\(entry.seq) 发布的这份报表登记为 \(body.unit) \(body.period)\(body.subtree ? "（含下属单位）" : "")，与报表本身（\(unit.code) \(period.name)）不符"
          )
        }
        published = entry.seq
      } else if let seq = published, body.supersedes == hash {
        throw fail(
          "这份报表已被更正：公开日志记录 #\(entry.seq)（\(entry.date)）发布了取代它的更正报表 \(body.hash.hex)，更正原因：\(Text.escaped(body.reason ?? ""))。请改为核验更正后的报表（公开日志中的 statements/\(body.hash.hex).json；原报表发布于记录 #\(seq)）"
        )
      }
    }
    guard let seq = published else {
      throw fail(
        "公开日志（前 \(entries.count) 条记录）中没有发布这份报表（哈希 \(hash.hex)）的记录：它还没有正式发布，或公开日志不是最新的")
    }
    return StatementPublicationStatus(seq: seq, treeSize: Int64(entries.count))
  }
}

/// A public log (`almoner publish DIR`) read and checked: its checkpoint
/// against the trust bundle (log signature, witness quorum), its entries
/// against the checkpoint's root, and its leaf 0 against the trusted
/// ledger id.
public struct PublicLog: Sendable {
  public var directory: String
  public var checkpoint: Checkpoint
  /// Every entry the checkpoint covers, in seq order.
  public var entries: [[UInt8]]

  public init(directory: String, trust: TrustBundle) throws(AlmonerError) {
    let noteText = try PublicLogReader.checkpointText(in: directory)
    let checkpoint: Checkpoint
    do { checkpoint = try CheckpointTrust.verify(note: noteText, trust: trust).checkpoint } catch {
      throw .refused(.publicLogCheckpointInvalid(detail: error.message))
    }
    let entries = try PublicLogReader.entries(in: directory, count: checkpoint.treeSize)
    let hasher = SHA256()
    var tree = MerkleAppender()
    for bytes in entries { _ = tree.append(hasher.leafHash(bytes), hasher: hasher) }
    guard tree.rootHash(hasher: hasher) == checkpoint.rootHash else {
      throw .refused(.publicLogRootMismatch)
    }
    guard let first = entries.first, hasher.leafHash(first) == trust.ledgerID else {
      throw .refused(.publicLogOtherLedger)
    }
    self.directory = directory
    self.checkpoint = checkpoint
    self.entries = entries
  }

  /// The file of statement `hash` in the log's `statements/` folder, if
  /// it is there.
  public func statementFile(_ hash: Hash32) -> [UInt8]? {
    FileManager.default.contents(atPath: directory + "/" + PublicLogReader.statementPath(hash))
      .map { [UInt8]($0) }
  }
}
