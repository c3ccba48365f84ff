import AlmonerKit
import Foundation

/// Runs a program to completion and returns its exit status and output.
@discardableResult
func run(
  _ executable: String, _ arguments: [String], input: Data? = nil, directory: URL? = nil
) throws -> (status: Int32, stdout: String, stderr: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = directory }
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  let inputPipe = Pipe()
  process.standardInput = inputPipe
  try process.run()
  if let input { inputPipe.fileHandleForWriting.write(input) }
  try inputPipe.fileHandleForWriting.close()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: outData, as: UTF8.self),
    String(decoding: errData, as: UTF8.self)
  )
}

/// Finds a program on PATH.
func which(_ name: String) -> String? {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
  return path.split(separator: ":").map { "\($0)/\(name)" }
    .first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// A fresh temporary directory, removed when the value is released.
final class TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("almoner-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  deinit { try? FileManager.default.removeItem(at: url) }
}

/// The package root, found from this file's path.
let packageRoot: URL = {
  var url = URL(fileURLWithPath: #filePath)
  while url.path != "/" {
    url.deleteLastPathComponent()
    if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
      return url
    }
  }
  fatalError("Package.swift not found above \(#filePath)")
}()

/// A small three-tier ledger built through the library, with its keys.
struct Fixture {
  let directory: TemporaryDirectory
  let ledger: Ledger
  let admin = SigningKey.generate()
  let districtTreasurer = SigningKey.generate()
  let streetTreasurer = SigningKey.generate()
  let communityTreasurer = SigningKey.generate()
  let otherTreasurer = SigningKey.generate()
  let supervisor = SigningKey.generate()

  static let fixedClock = LedgerClock(now: { Date(timeIntervalSince1970: 1_795_000_000) })

  init() throws {
    directory = try TemporaryDirectory()
    ledger = try Ledger.create(
      at: directory.path("ledger.db"), district: "GA", name: "广安区", admin: admin,
      adminName: "李明", origin: "almoner.example/test", clock: Fixture.fixedClock)
    try ledger.addUnit(code: "GA-BC", name: "北城街道", parent: "GA", signer: admin)
    try ledger.addUnit(code: "GA-BC-JSL", name: "建设路社区", parent: "GA-BC", signer: admin)
    try ledger.addUnit(code: "GA-BC-WHL", name: "文化路社区", parent: "GA-BC", signer: admin)
    let grants: [(String, Role, String, SigningKey)] = [
      ("GA", .treasurer, "陈静", districtTreasurer),
      ("GA-BC", .treasurer, "赵磊", streetTreasurer),
      ("GA-BC-JSL", .treasurer, "王芳", communityTreasurer),
      ("GA-BC-WHL", .treasurer, "刘洋", otherTreasurer),
      ("GA-BC", .supervisor, "郑华", supervisor),
    ]
    for (unit, role, name, key) in grants {
      try ledger.addMember(
        unit: unit, role: role, name: name, publicKey: key.publicKey, signer: admin)
    }
    try ledger.openFund(
      unit: "GA", code: "elderly-canteen", name: "老龄食堂", restricted: true, purpose: "老年人助餐",
      signer: admin)
  }

  var path: String { ledger.path }

  @discardableResult
  func donate(
    _ yuan: String, to unit: String = "GA-BC-JSL", donor: String = "张三",
    fund: String? = nil, channel: Channel = .wechat, date: String? = nil, signer: SigningKey? = nil
  ) throws -> AppendedEntry {
    try ledger.donate(
      DonationInput(
        unit: unit, amount: try Money.parseYuan(yuan), donor: donor, fund: fund, channel: channel,
        date: try date.map { try AccountingDate($0) }),
      signer: signer ?? communityTreasurer)
  }

  /// The ledger's bytes on disk: the main file and its write-ahead log.
  func fileBytes() throws -> Data {
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes.append((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
    return bytes
  }
}
