import AlmonerKit
import Foundation
import Testing

/// Holds the library to the frozen v1 bytes in Tests/Vectors/entries/: the
/// canonical encoding, the entry hash, the commit statement and its
/// signature, and a ledger file made by an earlier version. A failure here
/// means a published format changed: make a new format version instead.
@Suite("Frozen format: v1 entry and commit vectors, and an old ledger file")
struct FrozenFormatTests {
  /// Every vector of every kind, with the file it came from.
  static func allVectors() throws -> [(file: String, kind: String, vector: FrozenEntryVector)] {
    let manifest = try FrozenVectors.read(FrozenManifest.self, FrozenVectors.manifestFileName)
    var all: [(String, String, FrozenEntryVector)] = []
    for (kind, file) in manifest.files.sorted(by: { $0.key < $1.key }) {
      let document = try FrozenVectors.read(FrozenEntryFile.self, file)
      #expect(document.kind == kind, "\(file)")
      all += document.vectors.map { (file, kind, $0) }
    }
    return all.sorted { $0.2.seq < $1.2.seq }
  }

  static func manifest() throws -> FrozenManifest {
    try FrozenVectors.read(FrozenManifest.self, FrozenVectors.manifestFileName)
  }

  @Test("every v1 kind still exists and has vectors")
  func everyKindCovered() throws {
    let manifest = try Self.manifest()
    for kind in FrozenVectors.kindsV1 {
      #expect(EntryKind(rawValue: kind) != nil, "entry kind \(kind) was renamed or removed")
      let file = try #require(manifest.files[kind], "no vector file for \(kind)")
      #expect(!(try FrozenVectors.read(FrozenEntryFile.self, file).vectors.isEmpty))
    }
    let seqs = try Self.allVectors().map(\.vector.seq)
    #expect(seqs == Array(0..<manifest.entryCount))
  }

  @Test("each vector parses, and re-encoding gives the identical canonical bytes")
  func canonicalRoundTrip() throws {
    for (file, kind, vector) in try Self.allVectors() {
      let bytes = Array(vector.canonical.utf8)
      #expect(Hex.encode(bytes) == vector.canonicalHex, "\(file) seq \(vector.seq): text ≠ hex")
      let entry = try Entry(canonical: bytes)
      #expect(entry.kind.rawValue == kind, "\(file) seq \(vector.seq)")
      #expect(entry.seq == vector.seq, "\(file) seq \(vector.seq)")
      // Compared as hex: String's == would let canonically equivalent text pass.
      #expect(
        Hex.encode(entry.canonicalBytes) == vector.canonicalHex,
        "\(file) seq \(vector.seq) (\(vector.name)): re-encoded as \(String(decoding: entry.canonicalBytes, as: UTF8.self))"
      )
    }
  }

  @Test("the entry hash is SHA-256(0x00 ‖ canonical) as frozen")
  func entryHashes() throws {
    for (file, _, vector) in try Self.allVectors() {
      let bytes = Array(vector.canonical.utf8)
      #expect(SHA256.leafHash(bytes).hex == vector.hash, "\(file) seq \(vector.seq)")
      #expect(SHA256.hash([0] + bytes).hex == vector.hash, "\(file) seq \(vector.seq)")
    }
  }

  @Test("Commit.statement reproduces each signed statement, and its signature verifies")
  func commitStatementsAndSignatures() throws {
    let manifest = try Self.manifest()
    let ledgerID = try #require(Hash32(hex: manifest.ledgerId))
    for (file, _, vector) in try Self.allVectors() {
      let commit = vector.commit
      let place = "\(file) seq \(vector.seq) (\(vector.name))"
      // The commit's last hash, reached through the later entries' prev links.
      var head = SHA256.leafHash(Array(vector.canonical.utf8))
      for text in commit.laterEntries {
        let later = try Entry(canonical: Array(text.utf8))
        #expect(later.prev == head, "\(place): later entry \(later.seq)")
        head = SHA256.leafHash(Array(text.utf8))
      }
      #expect(Int64(commit.laterEntries.count) == commit.lastSeq - vector.seq, "\(place)")
      let statement = Commit.statement(
        ledgerID: ledgerID, firstSeq: commit.firstSeq, lastSeq: commit.lastSeq, lastHash: head)
      #expect(Hex.encode(statement) == commit.statementHex, "\(place): statement")
      #expect(Hex.decode(commit.statementHex) == Array(commit.statement.utf8), "\(place)")
      let raw = try #require(Hex.decode(commit.signerPublicKey))
      let key = try PublicKey(raw: raw)
      #expect(key.keyID == commit.signerKeyId, "\(place): key id")
      #expect(try Entry(canonical: Array(vector.canonical.utf8)).author == key.keyID, "\(place)")
      let signature = try #require(Hex.decode(commit.signature))
      #expect(key.isValidSignature(signature, for: statement), "\(place): signature")
      let pem = try String(
        contentsOf: FrozenVectors.directory.appendingPathComponent(commit.signerKeyFile + ".pub"),
        encoding: .utf8)
      #expect(try PublicKey(pem: pem) == key, "\(place): \(commit.signerKeyFile).pub")
    }
  }

  @Test("the test keys' PEM files still give the key ids in the manifest")
  func testKeys() throws {
    for key in try Self.manifest().keys {
      let url = FrozenVectors.directory.appendingPathComponent(key.file)
      let signing = try SigningKey(pem: try String(contentsOf: url, encoding: .utf8))
      #expect(signing.keyID == key.keyId, "\(key.file)")
      #expect(Hex.encode(signing.publicKey.raw) == key.publicKey, "\(key.file)")
    }
  }

  /// A copy of the old ledger file in a fresh directory: opening may migrate it.
  static func ledgerCopy(in directory: TemporaryDirectory) throws -> String {
    let path = directory.path("old-ledger.sqlite")
    try FileManager.default.copyItem(
      at: FrozenVectors.directory.appendingPathComponent(FrozenVectors.ledgerFileName),
      to: URL(fileURLWithPath: path))
    return path
  }

  @Test("a copy of the old ledger file opens and verifies clean, entry for entry as frozen")
  func oldLedgerVerifies() throws {
    let manifest = try Self.manifest()
    let directory = try TemporaryDirectory()
    let ledger = try Ledger.open(at: try Self.ledgerCopy(in: directory))
    let report = try ledger.verify()
    #expect(report.isClean, "\(report.problems)")
    #expect(report.entryCount == manifest.entryCount)
    #expect(report.ledgerID?.hex == manifest.ledgerId)
    #expect(report.treeRoot?.hex == manifest.treeRoot)
    #expect(try ledger.state().origin == manifest.origin)
    for (_, _, vector) in try Self.allVectors() {
      let logged = try #require(try ledger.loggedEntry(at: vector.seq))
      #expect(Hex.encode(logged.canonical) == vector.canonicalHex, "seq \(vector.seq)")
      #expect(logged.hash.hex == vector.hash, "seq \(vector.seq)")
    }
  }

  @Test("the old ledger file takes new entries and still verifies")
  func oldLedgerStaysWritable() throws {
    let directory = try TemporaryDirectory()
    let clock = LedgerClock(now: { Date(timeIntervalSince1970: 1_783_692_000) })  // 2026-07-10
    let ledger = try Ledger.open(at: try Self.ledgerCopy(in: directory), clock: clock)
    let treasurer = try SigningKey(
      pem: try String(
        contentsOf: FrozenVectors.keysDirectory.appendingPathComponent("jsl-treasurer.pem"),
        encoding: .utf8))
    let appended = try ledger.donate(
      DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "新捐赠人", channel: .wechat),
      signer: treasurer)
    #expect(appended.seq == (try Self.manifest()).entryCount)
    let report = try ledger.verify()
    #expect(report.isClean, "\(report.problems)")
  }

  @Test(
    "check.py re-derives every hash and signature with Python alone",
    .enabled(if: pythonHasCryptography, "needs python3 with the cryptography package"))
  func independentPythonCheck() throws {
    let result = try run(
      which("python3") ?? "/usr/bin/python3",
      [FrozenVectors.directory.appendingPathComponent("check.py").path])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.hasPrefix("ok: "), "\(result.stdout)")
  }
}

/// python3 with `cryptography` (for Ed25519) is on PATH.
let pythonHasCryptography: Bool = {
  guard let python = which("python3") else { return false }
  return (try? run(python, ["-c", "import cryptography.hazmat.primitives.asymmetric.ed25519"]))?
    .status == 0
}()
