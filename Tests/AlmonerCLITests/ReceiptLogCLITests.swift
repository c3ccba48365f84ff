import Foundation
import Testing

/// `verify receipt --log DIR`: a receipt proves a gift was recorded; the
/// public log tells whether it was later reversed.
@Suite("CLI: receipts against the public log")
struct ReceiptLogCLITests {
  @Test("a gift reversed after its receipt was issued is reported (exit 1); one that stands is not")
  func reversedGift() throws {
    let ws = try TransparencyCLITests.cosigned()
    try ws.must("receipt", "10", "--out", "receipt.json")
    try ws.must("keys", "export", "--out", "trust.json")
    try ws.must("publish", "public-log")
    let standing = try ws.run(
      "verify", "receipt", "receipt.json", "--trust", "trust.json", "--log", "public-log")
    #expect(standing.status == 0, "\(standing)")
    #expect(standing.stdout.contains("这笔捐赠没有被冲销"), "\(standing)")

    try ws.must("reverse", "10", "--reason", "重复录入", "--key", "jsl.pem")
    try ws.must("checkpoint", "create", "--key", "admin.pem", "--out", "cp2.txt")
    try ws.must("checkpoint", "cosign", "cp2.txt", "--key", "sup-street.pem")
    try ws.must("publish", "public-log")
    let reversed = try ws.run(
      "verify", "receipt", "receipt.json", "--trust", "trust.json", "--log", "public-log")
    #expect(reversed.status == 1, "\(reversed)")
    #expect(reversed.stdout.contains("核验通过"), "the receipt itself is still genuine: \(reversed)")
    #expect(reversed.stdout.contains("冲销了这笔捐赠，原因：重复录入"), "\(reversed)")
  }

  @Test("a public log whose entries were edited is refused")
  func editedLog() throws {
    let ws = try TransparencyCLITests.cosigned()
    try ws.must("receipt", "10", "--out", "receipt.json")
    try ws.must("keys", "export", "--out", "trust.json")
    try ws.must("publish", "public-log")
    let bundle = ws.path("public-log/tile/entries/000.p")
    let width = try #require(try FileManager.default.contentsOfDirectory(atPath: bundle).first)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: bundle + "/" + width))
    bytes[bytes.count - 3] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: bundle + "/" + width))
    let result = try ws.run(
      "verify", "receipt", "receipt.json", "--trust", "trust.json", "--log", "public-log")
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("默克尔根"), "\(result)")
  }
}
