import AlmonerKit
import ArgumentParser
import Foundation

/// Benchmarks and load generators for Almoner, run by `scripts/bench.sh`
/// (release build) and by the crash-safety test (`kill -9` mid-append).
@main
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "almoner-bench",
    abstract: "Almoner benchmarks: bulk append through the library, verify.",
    subcommands: [Append.self, VerifyLedger.self, Proofs.self])

  struct Append: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Create a ledger (district, street, community, treasurer) and append donations.")

    @Option(help: "New ledger file to create.") var ledger: String
    @Option(help: "Donations to append.") var count = 1_000_000
    @Option(help: "Donations per signed commit.") var commitSize = 1_000
    @Flag(help: "Print `committed <last seq>` after each commit (for crash tests).")
    var progress = false
    @Option(
      help: "Folder to write the keys to (admin.pem, treasurer.pem), to use the CLI on the ledger.")
    var keys: String?

    func run() throws {
      let admin = SigningKey.generate()
      let treasurer = SigningKey.generate()
      if let keys {
        try KeyFiles.write(admin, to: keys + "/admin.pem")
        try KeyFiles.write(treasurer, to: keys + "/treasurer.pem")
      }
      let ledger = try Ledger.create(
        at: ledger, district: "GA", name: "广安区", admin: admin, adminName: "管理员")
      try ledger.addUnit(code: "GA-BC", name: "北城街道", parent: "GA", signer: admin)
      try ledger.addUnit(code: "GA-BC-JSL", name: "建设路社区", parent: "GA-BC", signer: admin)
      try ledger.addMember(
        unit: "GA-BC-JSL", role: .treasurer, name: "王芳", publicKey: treasurer.publicKey,
        signer: admin)
      let channels: [Channel] = [.wechat, .alipay, .bank, .cash]
      let surnames = Array("张王李赵刘陈杨黄吴周")
      let start = ContinuousClock.now
      var appended = 0
      while appended < count {
        let batch = min(commitSize, count - appended)
        let base = appended
        let result = try ledger.commit(signer: treasurer) { state throws(AlmonerError) in
          var drafts: [EntryDraft] = []
          drafts.reserveCapacity(batch)
          for index in base..<(base + batch) {
            let input = DonationInput(
              unit: "GA-BC-JSL", amount: Money(fen: Int64(100 + index % 50_000)),
              donor: "\(surnames[index % surnames.count])某\(index % 97)",
              channel: channels[index % channels.count], reference: "WX\(index)")
            drafts.append(try input.draft(in: state))
          }
          return drafts
        }
        appended += batch
        if progress {
          // Unbuffered write: the crash test reads these lines as commits land.
          FileHandle.standardOutput.write(Data("committed \(result.last!.seq)\n".utf8))
        }
      }
      let elapsed = start.duration(to: .now)
      let seconds = elapsed.secondsText
      let rate = elapsed.rate(count)
      print(
        "append: \(count) donations in commits of \(commitSize): \(seconds) s, \(rate) entries/s")
    }
  }

  struct Proofs: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Time inclusion and consistency proofs at pseudo-random positions.")

    @Option(help: "Ledger file.") var ledger: String
    @Option(help: "Proofs of each kind.") var count = 1_000

    func run() throws {
      let opened = try Ledger.open(at: ledger)
      let size = try opened.entryCount()
      var state: UInt64 = 0x9E37_79B9_7F4A_7C15
      func next() -> Int64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int64((state >> 33) % UInt64(size))
      }
      var start = ContinuousClock.now
      for _ in 0..<count {
        let proof = try opened.inclusionProof(seq: next(), treeSize: size)
        precondition(!proof.proof.isEmpty || size == 1)
      }
      let inclusion = start.duration(to: .now)
      start = ContinuousClock.now
      for _ in 0..<count {
        let old = max(1, next())
        _ = try opened.consistencyProof(old: old, new: size)
      }
      let consistency = start.duration(to: .now)
      print(
        "proofs at \(size) entries: inclusion \(inclusion.microsecondsEach(count)) µs each, consistency \(consistency.microsecondsEach(count)) µs each (\(count) of each)"
      )
    }
  }

  struct VerifyLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify", abstract: "Run `verify ledger` through the library and time it.")

    @Option(help: "Ledger file.") var ledger: String

    func run() throws {
      let opened = try Ledger.open(at: ledger)
      let start = ContinuousClock.now
      let report = try opened.verify()
      let elapsed = start.duration(to: .now)
      guard report.isClean else {
        print(Rendering.verificationText(report))
        throw ExitCode(1)
      }
      print(
        "verify: \(report.entryCount) entries, \(report.commitCount) commits: \(elapsed.secondsText) s, \(elapsed.rate(Int(report.entryCount))) entries/s"
      )
    }
  }
}

extension Duration {
  /// Whole milliseconds as `12.345`: integer arithmetic, no floating point.
  var secondsText: String {
    let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    let fraction = String(milliseconds % 1000)
    return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
  }

  /// Microseconds per item, rounded down.
  func microsecondsEach(_ count: Int) -> Int64 {
    (components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000) / Int64(count)
  }

  /// Items per second, rounded down.
  func rate(_ count: Int) -> Int64 {
    let microseconds = components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    return microseconds > 0 ? Int64(count) * 1_000_000 / microseconds : 0
  }
}
