import AlmonerKit
import Foundation
import Testing

/// The directory holding the built products (almoner, almoner-bench).
func productsDirectory() throws -> URL {
  let candidates = [
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
    Bundle.main.bundleURL.deletingLastPathComponent(),
    Bundle.main.bundleURL,
    packageRoot.appendingPathComponent(".build/debug"),
  ]
  for directory in candidates
  where FileManager.default.isExecutableFile(
    atPath: directory.appendingPathComponent("almoner-bench").path)
  {
    return directory
  }
  throw AlmonerError.failure("almoner-bench not found near \(CommandLine.arguments[0])")
}

@Suite("crash safety")
struct CrashTests {
  @Test("kill -9 during a large append leaves every finished commit and no partial one")
  func killDuringAppend() throws {
    let dir = try TemporaryDirectory()
    let path = dir.path("crash.db")
    let commitSize = 200
    let process = Process()
    process.executableURL = try productsDirectory().appendingPathComponent("almoner-bench")
    process.arguments = [
      "append", "--ledger", path, "--count", "1000000", "--commit-size", "\(commitSize)",
      "--progress",
    ]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    // Wait for a few commits to land, then kill without warning.
    var seen = ""
    var reportedSeqs: [Int64] = []
    while reportedSeqs.count < 8 {
      let chunk = output.fileHandleForReading.availableData
      guard !chunk.isEmpty else { break }
      seen += String(decoding: chunk, as: UTF8.self)
      reportedSeqs = seen.split(separator: "\n").compactMap {
        $0.hasPrefix("committed ") ? Int64($0.dropFirst("committed ".count)) : nil
      }
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    let lastReported = try #require(reportedSeqs.last, "no commit was reported: \(seen)")

    let ledger = try Ledger.open(at: path)
    let report = try ledger.verify()
    #expect(report.isClean, "\(report.problems)")
    let count = try ledger.entryCount()
    // Four set-up entries (genesis, street, community, treasurer), then whole commits only.
    #expect(count - 1 >= lastReported, "a reported commit is missing")
    #expect((count - 4) % Int64(commitSize) == 0, "a partial commit survived: \(count) entries")
    #expect(report.commitCount == 4 + Int(count - 4) / commitSize)
  }
}
