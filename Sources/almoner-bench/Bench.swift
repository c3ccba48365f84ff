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
    subcommands: [Append.self, Peers.self, DonationsCSV.self, VerifyLedger.self, Proofs.self])

  struct Append: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Create a ledger (district, streets, communities, one treasurer) and append donations.")

    @Option(help: "New ledger file to create.") var ledger: String
    @Option(help: "Donations to append.") var count = 1_000_000
    @Option(help: "Donations per signed commit.") var commitSize = 1_000
    @Option(help: "Communities the donations go to (five per street).") var communities = 1
    @Option(help: "Write the admin's and the treasurer's keys here (admin.pem, treasurer.pem).")
    var keys: String?
    @Flag(help: "Print `committed <last seq>` after each commit (for crash tests).")
    var progress = false

    func run() throws {
      let workload = Workload(communities: communities)
      let admin = SigningKey.generate()
      let treasurer = SigningKey.generate()
      if let keys {
        try KeyFiles.write(admin, to: keys + "/admin.pem")
        try KeyFiles.write(treasurer, to: keys + "/treasurer.pem")
      }
      let ledger = try Ledger.create(
        at: ledger, district: "GA", name: "广安区", admin: admin, adminName: "管理员")
      for street in workload.streets {
        try ledger.addUnit(code: street.code, name: street.name, parent: "GA", signer: admin)
      }
      for community in workload.communities {
        try ledger.addUnit(
          code: community.code, name: community.name, parent: community.parent, signer: admin)
        try ledger.addMember(
          unit: community.code, role: .treasurer, name: "王芳", publicKey: treasurer.publicKey,
          signer: admin)
      }
      let start = ContinuousClock.now
      var appended = 0
      while appended < count {
        let batch = min(commitSize, count - appended)
        let base = appended
        let result = try ledger.commit(signer: treasurer) { state throws(AlmonerError) in
          var drafts: [EntryDraft] = []
          drafts.reserveCapacity(batch)
          for index in base..<(base + batch) {
            drafts.append(try workload.donation(index).draft(in: state))
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

  struct Peers: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Write the donations `append` makes as a ledger-cli/hledger journal and a beancount file.")

    @Option(help: "Donations.") var count = 1_000_000
    @Option(help: "Communities, as for append.") var communities = 1
    @Option(help: "Journal for ledger-cli and hledger.") var journal: String
    @Option(help: "File for bean-check.") var beancount: String

    func run() throws {
      let workload = Workload(communities: communities)
      guard let journalFile = FileHandle(forWritingAtPath: journal) ?? create(journal),
        let beanFile = FileHandle(forWritingAtPath: beancount) ?? create(beancount)
      else { throw AlmonerError.failure("cannot write \(journal) or \(beancount)") }
      var bean = "option \"operating_currency\" \"CNY\"\n"
      for community in workload.communities {
        for account in ["Assets:\(community.code):Bank", "Assets:\(community.code):Cash"]
          + Channel.allCases.map({ "Income:\(community.code):Donations:\($0.rawValue.capitalized)" }
          )
        {
          bean += "2026-01-01 open \(account) CNY\n"
        }
      }
      beanFile.write(Data(bean.utf8))
      var journalText = ""
      var beanText = ""
      for index in 0..<count {
        let donation = workload.donation(index)
        let date = workload.date(index)
        let yuan = donation.amount.yuanText
        let asset = donation.channel == .cash ? "Cash" : "Bank"
        let channel = donation.channel.rawValue
        journalText +=
          "\(date) 捐赠 \(donation.donor)\n    \(donation.unit):assets:\(asset.lowercased())  \(yuan) CNY\n    \(donation.unit):income:donations:\(channel)\n\n"
        beanText +=
          "\(date) * \"捐赠 \(donation.donor)\"\n  Assets:\(donation.unit):\(asset)  \(yuan) CNY\n  Income:\(donation.unit):Donations:\(channel.capitalized)\n\n"
        if journalText.utf8.count > 1 << 20 {
          journalFile.write(Data(journalText.utf8))
          beanFile.write(Data(beanText.utf8))
          journalText = ""
          beanText = ""
        }
      }
      journalFile.write(Data(journalText.utf8))
      beanFile.write(Data(beanText.utf8))
    }

    private func create(_ path: String) -> FileHandle? {
      FileManager.default.createFile(atPath: path, contents: nil)
      return FileHandle(forWritingAtPath: path)
    }
  }

  struct DonationsCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "csv",
      abstract:
        "Write the donations `append` makes as a CSV in the default layout of `almoner import donations`."
    )

    @Option(help: "Donations.") var count = 1_000_000
    @Option(help: "Communities, as for append.") var communities = 1
    @Option(help: "CSV file to write.") var out: String

    func run() throws {
      let workload = Workload(communities: communities)
      FileManager.default.createFile(atPath: out, contents: nil)
      guard let file = FileHandle(forWritingAtPath: out) else {
        throw AlmonerError.failure("cannot write \(out)")
      }
      var text = "date,unit,fund,amount,donor,channel,reference\n"
      for index in 0..<count {
        let donation = workload.donation(index)
        text +=
          "\(workload.date(index)),\(donation.unit),,\(donation.amount.yuanText),\(donation.donor),\(donation.channel.rawValue),\(donation.reference ?? "")\n"
        if text.utf8.count > 1 << 20 {
          file.write(Data(text.utf8))
          text = ""
        }
      }
      file.write(Data(text.utf8))
    }
  }

  /// The benchmark's donations, a pure function of their index, so the
  /// ledger and the peers' files hold the same transactions.
  struct Workload {
    struct Unit {
      var code: String
      var name: String
      var parent: String
    }
    let streets: [Unit]
    let communities: [Unit]
    static let channels: [Channel] = [.wechat, .alipay, .bank, .cash]
    static let surnames = Array("张王李赵刘陈杨黄吴周")
    /// 2026-01-01 … 2026-11-30: every donation is dated in the past.
    static let dayCount = 334

    init(communities count: Int) {
      precondition(count >= 1 && count <= 999)
      if count == 1 {
        streets = [Unit(code: "GA-BC", name: "北城街道", parent: "GA")]
        communities = [Unit(code: "GA-BC-JSL", name: "建设路社区", parent: "GA-BC")]
        return
      }
      let streetCount = (count + 4) / 5
      streets = (0..<streetCount).map {
        Unit(code: "GA-S\($0)", name: "第\($0 + 1)街道", parent: "GA")
      }
      communities = (0..<count).map {
        Unit(code: "GA-S\($0 / 5)-C\($0)", name: "第\($0 + 1)社区", parent: "GA-S\($0 / 5)")
      }
    }

    func date(_ index: Int) -> AccountingDate {
      // Day of the year 0…333 spread over the indexes, in order.
      let day = Int64(index % Workload.dayCount)
      let firstOf2026: Int64 = 20_454
      return AccountingDate(daysSince1970: firstOf2026 + day)
    }

    func donation(_ index: Int) -> DonationInput {
      DonationInput(
        unit: communities[index % communities.count].code,
        amount: Money(fen: Int64(100 + index % 50_000)),
        donor: "\(Workload.surnames[index % Workload.surnames.count])某\(index % 97)",
        channel: Workload.channels[index % Workload.channels.count], reference: "WX\(index)",
        date: date(index))
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
