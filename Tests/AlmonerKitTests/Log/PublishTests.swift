import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerLog
@testable import AlmonerStore

/// `almoner publish DIR`: the public log as C2SP tlog-tiles, checked by an
/// independent reader (scripts/check_public_log.py, Python alone).
@Suite("Public log (tlog-tiles)")
struct PublishTests {
  static let donors = (0..<600).map { "捐赠人\($0)号" }

  /// A fixture with 600 donations (more than two full tiles), a checkpoint
  /// and a street supervisor's cosignature.
  static func published() throws -> (Fixture, TemporaryDirectory) {
    let fixture = try Fixture()
    try fixture.ledger.commit(signer: fixture.communityTreasurer) { state throws(AlmonerError) in
      try donors.enumerated().map { index, donor throws(AlmonerError) in
        try DonationInput(
          unit: "GA-BC-JSL", amount: Money(fen: Int64(100 + index)), donor: donor, channel: .wechat
        ).draft(in: state)
      }
    }
    try cosignNewCheckpoint(fixture)
    return (fixture, try TemporaryDirectory())
  }

  static func cosignNewCheckpoint(_ fixture: Fixture) throws {
    let (_, note) = try fixture.ledger.createCheckpoint(signer: fixture.admin)
    var memory = WitnessMemory()
    _ = try fixture.ledger.cosignCheckpoint(
      note.serialized, signer: fixture.supervisor, memory: &memory, now: 1_800_000_000)
  }

  static func check(_ directory: String) throws -> (status: Int32, stdout: String, stderr: String) {
    try run(
      "/usr/bin/env",
      [
        "python3", packageRoot.appendingPathComponent("scripts/check_public_log.py").path,
        directory,
      ])
  }

  @Test("tile paths follow the spec: x-prefixed 3-digit elements, .p/W for partial tiles")
  func paths() {
    #expect(TlogTiles.indexPath(0) == "000")
    #expect(TlogTiles.indexPath(1_234_067) == "x001/x234/067")
    #expect(TlogTiles.indexPath(1000) == "x001/000")
    #expect(TlogTiles.tilePath(level: 0, index: 1, width: 87) == "tile/0/001.p/87")
    #expect(TlogTiles.tilePath(level: 2, index: 0) == "tile/2/000")
    #expect(TlogTiles.bundlePath(index: 4, width: 3) == "tile/entries/004.p/3")
  }

  @Test("a tree of 70,000 leaves has the tiles the spec lists")
  func tilesOf70000() {
    var builder = TlogTiles.Builder()
    var full: [Int: Int] = [:]
    let leaf = Hash32.zero
    for _ in 0..<70_000 { builder.append(leaf) { full[$0.level, default: 0] += 1 } }
    #expect(full == [0: 273, 1: 1])
    #expect(
      builder.partialTiles().map { [$0.level, $0.hashes.count] } == [[0, 112], [1, 17], [2, 1]])
  }

  @Test("the published tiles give the checkpoint's root; an independent reader agrees")
  func publishedLogVerifies() throws {
    let (fixture, directory) = try PublishTests.published()
    let published = try fixture.ledger.publish(to: directory.path("log"))
    #expect(published.checkpoint.treeSize == 610)
    #expect(published.bundlesWritten == 3)
    let checked = try PublishTests.check(directory.path("log"))
    #expect(checked.status == 0, "\(checked)")
    #expect(checked.stdout.contains("610 entries, 1 cosignatures verified"), "\(checked)")
    // The tiles alone give the root the checkpoint signed.
    var leaves: [Hash32] = []
    for (index, width) in [(0, 256), (1, 256), (2, 98)] {
      let path = directory.path(
        "log/" + TlogTiles.tilePath(level: 0, index: UInt64(index), width: width))
      let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      leaves += stride(from: 0, to: bytes.count, by: 32).map {
        Hash32(bytes: bytes[$0..<($0 + 32)])!
      }
    }
    #expect(
      InMemoryMerkle(leaves: leaves).rootHash(treeSize: UInt64(leaves.count))
        == published.checkpoint.rootHash)
  }

  @Test("publishing again writes only what changed; a later checkpoint adds to the same folder")
  func incremental() throws {
    let (fixture, directory) = try PublishTests.published()
    let first = try fixture.ledger.publish(to: directory.path("log"))
    let again = try fixture.ledger.publish(to: directory.path("log"))
    #expect(again.tilesWritten == first.tilesWritten - 2)  // the two full level-0 tiles are kept
    #expect(again.bundlesWritten == 1)
    #expect(again.tilesKept == 2 && again.bundlesKept == 2)
    for index in 0..<200 { try fixture.donate("1", donor: "后来\(index)") }
    try PublishTests.cosignNewCheckpoint(fixture)
    let later = try fixture.ledger.publish(to: directory.path("log"))
    #expect(later.checkpoint.treeSize > first.checkpoint.treeSize)
    #expect(try PublishTests.check(directory.path("log")).status == 0)
  }

  @Test("no donor's name appears in any published file")
  func noPersonalData() throws {
    let (fixture, directory) = try PublishTests.published()
    _ = try fixture.ledger.publish(to: directory.path("log"))
    let root = directory.path("log")
    let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    var everything = Data()
    for file in files {
      var isDirectory: ObjCBool = false
      FileManager.default.fileExists(atPath: root + "/" + file, isDirectory: &isDirectory)
      if !isDirectory.boolValue {
        everything.append(try Data(contentsOf: URL(fileURLWithPath: root + "/" + file)))
      }
    }
    #expect(everything.count > 600 * 200)
    for donor in PublishTests.donors {
      #expect(everything.range(of: Data(donor.utf8)) == nil, "\(donor) is in the public log")
    }
  }

  @Test("nothing is published without a cosigned checkpoint, or from an edited log")
  func refusals() throws {
    let fixture = try Fixture()
    let directory = try TemporaryDirectory()
    #expect(throws: AlmonerError.self) { try fixture.ledger.publish(to: directory.path("log")) }
    _ = try fixture.ledger.createCheckpoint(signer: fixture.admin)
    #expect(throws: AlmonerError.self) { try fixture.ledger.publish(to: directory.path("log")) }
    try PublishTests.cosignNewCheckpoint(fixture)
    try DatabaseQueue(path: fixture.path).write {
      try $0.execute(sql: "UPDATE entry SET hash = zeroblob(32) WHERE seq = 3")
    }
    do {
      _ = try fixture.ledger.publish(to: directory.path("log"))
      Issue.record("an edited log was published")
    } catch {
      #expect(error.message.contains("almoner verify ledger"), "\(error)")
    }
    #expect(!FileManager.default.fileExists(atPath: directory.path("log/checkpoint")))
  }
}
