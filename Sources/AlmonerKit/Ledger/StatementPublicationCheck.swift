import AlmonerStore
import Foundation

extension LedgerVerifier {
  /// Every published statement's file is kept, and is the statement the
  /// log names: its body hashes to the `statement.publish` entry's hash.
  func checkStatementFiles(_ statements: [Hash32: PublishedStatement]) throws
    -> [VerificationReport.Problem]
  {
    var problems: [VerificationReport.Problem] = []
    let stored = try LedgerStore.statementFiles(db)
    var files = stored.files
    for _ in 0..<stored.malformed {
      problems.append(
        .init(
          seq: nil, message: "statement_file 中有格式不对的报表哈希", code: "statement-file-invalid",
          table: "statement_file"))
    }
    for published in statements.values.sorted(by: { $0.seq < $1.seq }) {
      guard let file = files.removeValue(forKey: published.hash) else {
        problems.append(
          .init(
            seq: published.seq, message: "发布的公示报表 \(published.hash.hex) 的文件（statement_file）缺失",
            code: "statement-file-missing", table: "statement_file"))
        continue
      }
      guard (try? Statement(parsing: file))?.hash == published.hash else {
        problems.append(
          .init(
            seq: published.seq,
            message: "statement_file 中报表 \(published.hash.hex) 的文件与发布记录的哈希不符：文件在 almoner 之外被改动过",
            code: "statement-file-changed", table: "statement_file"))
        continue
      }
    }
    for hash in files.keys.sorted(by: { $0.hex < $1.hex }) {
      problems.append(
        .init(
          seq: nil, message: "statement_file 中有未发布的报表 \(hash.hex)",
          code: "statement-file-unpublished",
          table: "statement_file"))
    }
    return problems
  }
}
