import AlmonerKit
import Testing

@Suite("Refusals: one stable code per case, rendered in one place")
struct RefusalTests {
  /// The class codes `--format json` printed before refusals had their own;
  /// a refusal's code is never one of them, except `disk-full`, which
  /// names the same thing.
  static let kindCodes: Set<String> = ["bad-input", "usage", "verification-failed", "failure"]

  @Test("every refusal has a sample, and its code is its own, unique and kebab-case")
  func codesUniqueAndKebabCase() {
    let samples = Refusal.samples
    #expect(samples.count == Refusal.Code.allCases.count)
    var seen: Set<String> = []
    for (sample, code) in zip(samples, Refusal.Code.allCases) {
      #expect(sample.tag == code, "the sample for \(code) is \(sample)")
      #expect(sample.code == code.rawValue)
      #expect(seen.insert(sample.code).inserted, "\(sample.code) is used twice")
      #expect(!Self.kindCodes.contains(sample.code), "\(sample.code) is a class code")
      #expect(Self.isKebabCase(sample.code), "\(sample.code) is not kebab-case")
    }
  }

  /// Lower-case ASCII words of letters and digits joined by single hyphens,
  /// starting with a letter.
  static func isKebabCase(_ code: String) -> Bool {
    let words = code.split(separator: "-", omittingEmptySubsequences: false)
    let lowerOrDigit = { (byte: UInt8) in
      (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }
    return words.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(lowerOrDigit) }
      && code.utf8.first.map { (0x61...0x7A).contains($0) } == true
  }

  @Test("every refusal renders as one line of Chinese with all its values")
  func everyMessageRenders() {
    for sample in Refusal.samples {
      let message = sample.message()
      #expect(!message.isEmpty)
      #expect(!message.contains("\n"), "\(sample.code)")
      #expect(!message.contains("Optional("), "\(sample.code)")
      #expect(
        message.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF },
        "\(sample.code)")
      let error = AlmonerError.refused(sample)
      #expect(error.message == message)
      #expect(error.code == sample.code)
      #expect(error.kind == sample.kind)
    }
  }

  @Test("an error placed in a field keeps its refusal's code and kind")
  func inFieldKeepsCode() {
    let amount = AlmonerError.refused(.amountDecimals(text: "12.345"))
    let placed = amount.inField("--amount")
    #expect(placed.code == "amount-decimals")
    #expect(placed.kindCode == "bad-input")
    #expect(placed.message == "--amount：金额 \"12.345\" 无效：最多两位小数（精确到分）")
    let free = AlmonerError.failure("磁盘坏了").inField("cp.txt")
    #expect(free.code == "failure")
    #expect(free.message == "cp.txt：磁盘坏了")
  }

  @Test("a free-text error keeps its class code; a disk-full refusal keeps disk-full")
  func genericCodes() {
    #expect(AlmonerError.badInput("x").code == "bad-input")
    #expect(AlmonerError.verification("x").code == "verification-failed")
    #expect(AlmonerError.refused(.outputDiskFull(what: "检查点", path: "cp.txt")).code == "disk-full")
    #expect(AlmonerError.refused(.outputDiskFull(what: "检查点", path: "cp.txt")).exitStatus == 3)
  }

  @Test("Money.parseYuan refuses each malformed amount with its own code")
  func amountCodes() {
    let cases: [(String, String)] = [
      ("", "amount-empty"), ("-1", "amount-negative"), ("+1", "amount-plus-sign"),
      ("1,000", "amount-separator"), ("1.2.3", "amount-points"), ("1e3", "amount-not-digits"),
      ("1.", "amount-fraction-missing"), ("12.345", "amount-decimals"),
      ("99999999999999999", "amount-over-limit"), ("0", "amount-not-positive"),
    ]
    for (text, code) in cases {
      #expect(throws: AlmonerError.self) { try Money.parseYuan(text) }
      do {
        _ = try Money.parseYuan(text)
      } catch {
        #expect(error.code == code, "\(text): \(error.message)")
      }
    }
  }
}
