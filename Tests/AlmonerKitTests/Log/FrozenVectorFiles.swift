import Foundation

// The files under Tests/Vectors/entries/: the entry and commit bytes of
// format v1 frozen from a real ledger (DESIGN §2, "The format is
// published"). `FrozenVectorGenerator` writes them once; `FrozenFormatTests`
// and `check.py` hold the library to them from then on.

enum FrozenVectors {
  /// Tests/Vectors/entries/
  static let directory = packageRoot.appendingPathComponent("Tests/Vectors/entries")
  static let keysDirectory = directory.appendingPathComponent("keys")
  /// The ledger file the vectors were taken from, made by the library of
  /// `Manifest.sourceCommit`. Named `.sqlite`, not `.db`: `*.db` is ignored by git.
  static let ledgerFileName = "ledger-v1.sqlite"
  static let manifestFileName = "manifest.json"

  /// The kinds as of format v1 (commit 99ab534). Each has a vector file;
  /// a kind added later gets its own file, these never go away.
  static let kindsV1: [String] = [
    "genesis", "unit.add", "member.grant", "member.revoke", "fund.open", "donation",
    "allocation.send", "allocation.confirm", "allocation.void", "reversal", "checkpoint",
    "checkpoint.cosign", "policy.set", "disbursement.request", "disbursement.approve",
    "disbursement.reject", "disbursement.pay", "disbursement.cancel", "fund.release",
    "reconciliation",
  ]

  /// `entries-<kind>.json`, e.g. `entries-disbursement.request.json`.
  static func fileName(kind: String) -> String { "entries-\(kind).json" }

  static func read<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
    let data = try Data(contentsOf: directory.appendingPathComponent(name))
    return try JSONDecoder().decode(type, from: data)
  }

  static func write(_ value: some Encodable, _ name: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(value)
    data.append(0x0A)
    try data.write(to: directory.appendingPathComponent(name))
  }
}

/// `manifest.json`: what the vector files are, where they came from.
struct FrozenManifest: Codable, Equatable {
  struct Key: Codable, Equatable {
    /// File under keys/ (private PEM; the public one is `<file>.pub`).
    var file: String
    var name: String
    var unit: String
    var role: String
    var keyId: String
    /// Raw 32-byte Ed25519 public key, hex.
    var publicKey: String
  }

  var about: String
  /// The last commit that changed Sources/ or Schemas/ when the files were made.
  var sourceCommit: String
  var origin: String
  /// Hex hash of the genesis entry.
  var ledgerId: String
  var ledgerFile: String
  var entryCount: Int64
  /// Hex Merkle root (RFC 9162) over every entry of the ledger file.
  var treeRoot: String
  var keys: [Key]
  /// Kind → vector file.
  var files: [String: String]
}

/// `entries-<kind>.json`: every entry of that kind in the ledger file.
struct FrozenEntryFile: Codable, Equatable {
  var kind: String
  var vectors: [FrozenEntryVector]
}

/// One entry: its exact bytes, its hash and the signed commit that covers it.
struct FrozenEntryVector: Codable, Equatable {
  /// What the entry shows, e.g. "donation, masked donor, WeChat, external reference".
  var name: String
  var seq: Int64
  /// The canonical bytes as UTF-8 text.
  var canonical: String
  /// The same bytes, hex.
  var canonicalHex: String
  /// SHA-256(0x00 ‖ canonical), hex.
  var hash: String
  var commit: FrozenCommit
}

/// A commit: the statement its author signed and the signature.
struct FrozenCommit: Codable, Equatable {
  var firstSeq: Int64
  var lastSeq: Int64
  /// `almoner-commit/v1\n<ledger id>\n<first seq>\n<last seq>\n<last hash>\n`
  var statement: String
  var statementHex: String
  var signerKeyId: String
  /// Raw 32-byte Ed25519 public key, hex.
  var signerPublicKey: String
  /// The signer's test private key, e.g. `keys/admin.pem` (public: `<file>.pub`).
  var signerKeyFile: String
  /// Ed25519 signature of the statement bytes, hex.
  var signature: String
  /// Canonical texts of the commit's entries after this one, in order: their
  /// `prev` links lead from this entry's hash to the statement's last hash.
  /// Empty when this entry is the commit's last.
  var laterEntries: [String]
}
