import AlmonerKit
import ArgumentParser
import Foundation

struct ProofCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "proof", abstract: "默克尔证明（RFC 9162）",
    subcommands: [Inclusion.self, Consistency.self])

  struct Inclusion: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "包含证明：记录 #SEQ 在前 N 条记录的默克尔树中")

    @Argument(help: "记录序号") var seq: Int64
    @Option(help: "树的大小（记录数，默认全部）") var size: Int64?
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let proof = try ledger.openForReading().inclusionProof(seq: seq, treeSize: size)
      output.emit(
        text: {
          """
          记录 #\(seq) 在前 \(proof.treeSize) 条记录中的包含证明
          记录哈希：\(proof.leafHash.hex)
          树根：    \(proof.rootHash.hex)
          证明（\(proof.proof.count) 个哈希，自下而上）：
          \(proof.proof.map { "  " + $0.hex }.joined(separator: "\n"))

          """
        },
        json: {
          .object([
            "leafIndex": .integer(seq), "treeSize": .integer(proof.treeSize),
            "leafHash": .string(proof.leafHash.hex), "rootHash": .string(proof.rootHash.hex),
            "proof": .array(proof.proof.map { .string($0.hex) }),
          ])
        })
    }
  }

  struct Consistency: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "一致性证明：前 OLD 条记录的树是前 NEW 条记录的树的前缀")

    @Argument(help: "旧的记录数") var old: Int64
    @Argument(help: "新的记录数") var new: Int64
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
      let proof = try ledger.openForReading().consistencyProof(old: old, new: new)
      output.emit(
        text: {
          """
          前 \(old) 条到前 \(new) 条记录的一致性证明
          旧树根：\(proof.oldRoot.hex)
          新树根：\(proof.newRoot.hex)
          证明（\(proof.proof.count) 个哈希）：
          \(proof.proof.map { "  " + $0.hex }.joined(separator: "\n"))

          """
        },
        json: {
          .object([
            "oldSize": .integer(old), "newSize": .integer(new),
            "oldRoot": .string(proof.oldRoot.hex), "newRoot": .string(proof.newRoot.hex),
            "proof": .array(proof.proof.map { .string($0.hex) }),
          ])
        })
    }
  }
}
