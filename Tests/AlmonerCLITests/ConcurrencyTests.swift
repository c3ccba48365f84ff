import AlmonerKit
import Foundation
import Testing

/// DESIGN §8: "Two writers at once are serialised, never forked." Several
/// `almoner` processes are started together against one ledger; all must
/// succeed and the log must stay one linear chain.
@Suite("CLI concurrency")
struct ConcurrencyTests {
  @Test("4 donate processes at once, 5 rounds: all succeed, one linear chain of 32 entries")
  func concurrentDonations() throws {
    let ws = try Workspace.fixture()
    let rounds = 5
    let width = 4
    var seqs: [Int64] = []
    var expectedFen: Int64 = 0
    for round in 0..<rounds {
      let running = try (0..<width).map { index in
        let (unit, key) = index % 2 == 0 ? ("GA", "ga.pem") : ("GA-BC-JSL", "jsl.pem")
        let yuan = round * 100 + index + 1
        expectedFen += Int64(yuan) * 100
        return try ws.start([
          "donate", "--unit", unit, "--amount", "\(yuan)", "--donor", "并发\(round)-\(index)",
          "--key", key,
          "--format", "json",
        ])
      }
      for process in running {
        let result = process.wait()
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
        if let seq = try? parseJSON(result.stdout).objectValue?["seq"]?.integerValue {
          seqs.append(seq)
        }
      }
    }
    let total = Int64(Fixture.entryCount + rounds * width)
    #expect(
      seqs.sorted() == Array(Int64(Fixture.entryCount)..<total), "each process got its own seq")
    try expectLinearChain(ws, entries: total)
    // Every donation landed once: the new donations sum to what was sent.
    let journal = try parseJSON(try ws.run("journal", "--format", "json").stdout).arrayValue ?? []
    let added = journal.dropFirst(Fixture.entryCount).compactMap {
      $0.objectValue?["amountFen"]?.integerValue
    }
    #expect(added.reduce(0, +) == expectedFen)
  }

  @Test("different signers and kinds at once (donations, allocation, unit add, fund open)")
  func concurrentMixedWriters() throws {
    let ws = try Workspace.fixture()
    let rounds = 3
    for round in 0..<rounds {
      let commands: [[String]] = [
        ["donate", "--unit", "GA", "--amount", "10", "--donor", "甲\(round)", "--key", "ga.pem"],
        [
          "donate", "--unit", "GA-BC-JSL", "--amount", "20", "--donor", "乙\(round)", "--key",
          "jsl.pem",
        ],
        ["allocate", "--from", "GA", "--to", "GA-BC", "--amount", "30", "--key", "ga.pem"],
        [
          "unit", "add", "GA-S\(round)", "--name", "街道\(round)", "--parent", "GA", "--key",
          "admin.pem",
        ],
        [
          "fund", "open", "f\(round)", "--unit", "GA-BC", "--name", "基金\(round)", "--key", "bc.pem",
        ],
      ]
      let running = try commands.map { try ws.start($0) }
      for (command, process) in zip(commands, running) {
        let result = process.wait()
        #expect(result.status == 0 && result.stderr.isEmpty, "\(command): \(result)")
      }
    }
    try expectLinearChain(ws, entries: Int64(Fixture.entryCount + rounds * 5))
    let units =
      try parseJSON(try ws.run("unit", "list", "--format", "json").stdout).arrayValue ?? []
    #expect(units.count == 4 + rounds)
  }

  /// Two `init`s racing for one path: exactly one ledger is created, the
  /// loser is refused as bad input (the path exists), and the ledger whose
  /// creation was reported stays there and verifies.
  @Test("two init processes on the same path: one wins, its ledger is never lost")
  func concurrentInit() throws {
    let ws = try Workspace.empty()
    for name in ["a", "b"] { try ws.must("key", "new", "--name", name, "--out", "\(name).pem") }
    for round in 0..<8 {
      let path = "race-\(round).db"
      let running = try [("a", "GA"), ("b", "GB")].map { key, district in
        try ws.start([
          "init", "--ledger", path, "--district", district, "--name", "区\(district)", "--key",
          "\(key).pem", "--format", "json",
        ])
      }
      let results = running.map { $0.wait() }
      let winners = results.filter { $0.status == 0 }
      #expect(winners.count == 1, "round \(round): \(results)")
      for loser in results where loser.status != 0 {
        #expect(loser.status == 2 && loser.stderr.contains("已存在"), "round \(round): \(loser)")
      }
      #expect(
        FileManager.default.fileExists(atPath: ws.path(path)),
        "round \(round): init reported success but the ledger file is gone")
      guard let winner = winners.first,
        let created = try? parseJSON(winner.stdout).objectValue
      else { continue }
      let verify = try ws.run("verify", "ledger", "--ledger", path, "--format", "json")
      #expect(verify.status == 0, "round \(round): \(verify)")
      guard verify.status == 0 else { continue }
      let report = try parseJSON(verify.stdout).objectValue
      #expect(report?["ledgerId"] == created["ledgerId"], "round \(round)")
    }
  }

  /// `checkpoint create` replays the whole log before signing. It used to do
  /// that outside the write lock and then refuse, as bad input, whenever
  /// another writer had appended meanwhile — every time, under steady load.
  @Test("checkpoint create succeeds every time while three writers keep appending")
  func checkpointUnderConcurrentWrites() throws {
    let ws = try Workspace.fixture()
    let binary = try Paths.binary.get().path
    let shell = URL(fileURLWithPath: "/bin/sh")
    // Each writer donates until `stop` exists, marking `started-N` after its first.
    let script = """
      i=0
      while [ ! -e stop ]; do
        "$1" donate --unit GA-BC-JSL --amount 1 --donor "并发$2-$i" --key jsl.pem > /dev/null || exit 1
        i=$((i + 1))
        : > "started-$2"
      done
      echo "$i"
      """
    let writers = try (0..<3).map { index in
      try Runner.start(shell, ["-c", script, "sh", binary, "\(index)"], in: ws.directory)
    }
    // Wait (bounded) until every writer is writing, so the checkpoints meet them.
    var waits = 0
    while waits < 3_000,
      !(0..<3).allSatisfy({ FileManager.default.fileExists(atPath: ws.path("started-\($0)")) })
    {
      usleep(10_000)
      waits += 1
    }
    var sizes: [Int64] = []
    for round in 0..<5 {
      let result = try ws.run("checkpoint", "create", "--key", "admin.pem", "--format", "json")
      #expect(result.status == 0 && result.stderr.isEmpty, "round \(round): \(result)")
      if let size = try? parseJSON(result.stdout).objectValue?["treeSize"]?.integerValue {
        sizes.append(size)
      }
    }
    try ws.write("stop", "")
    var donations: Int64 = 0
    for writer in writers {
      let result = writer.wait()
      #expect(result.status == 0, "\(result)")
      donations += Int64(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
    #expect(sizes.count == 5 && sizes == sizes.sorted())
    try expectLinearChain(ws, entries: Int64(Fixture.entryCount) + donations + 5)
    let shown = try parseJSON(try ws.run("checkpoint", "show", "--format", "json").stdout)
    #expect(shown.arrayValue?.count == 5)
  }

  /// `verify ledger` passes with `entries` entries in as many commits, and
  /// the journal is seq 0..<entries with each prev the hash before it.
  private func expectLinearChain(
    _ ws: Workspace, entries: Int64, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let verify = try ws.run("verify", "ledger", "--format", "json")
    #expect(verify.status == 0, "\(verify)", sourceLocation: sourceLocation)
    let report = try parseJSON(verify.stdout).objectValue
    #expect(report?["ok"] == .bool(true), sourceLocation: sourceLocation)
    #expect(report?["entries"]?.integerValue == entries, sourceLocation: sourceLocation)
    #expect(report?["commits"]?.integerValue == entries, sourceLocation: sourceLocation)
    #expect(report?["lastVerifiedSeq"]?.integerValue == entries - 1, sourceLocation: sourceLocation)
    let journal = try parseJSON(try ws.run("journal", "--format", "json").stdout).arrayValue ?? []
    #expect(Int64(journal.count) == entries, sourceLocation: sourceLocation)
    var prev = String(repeating: "0", count: 64)
    for (index, line) in journal.enumerated() {
      let object = line.objectValue
      let entry = object?["entry"]?.objectValue
      #expect(entry?["seq"]?.integerValue == Int64(index), sourceLocation: sourceLocation)
      #expect(
        entry?["prev"]?.stringValue == prev, "fork at seq \(index)", sourceLocation: sourceLocation)
      prev = object?["hash"]?.stringValue ?? ""
    }
    #expect(report?["headHash"]?.stringValue == prev, sourceLocation: sourceLocation)
  }
}
