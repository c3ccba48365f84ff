import Foundation
import GRDB
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerLog
@testable import AlmonerStore

/// Weak Ed25519 keys and signatures: OpenSSL's verify takes a small-order
/// public key (with the identity as the key, R = identity and S = 0 "verify"
/// every message), so Almoner refuses such keys wherever one enters and such
/// R and S in every verifier (security issue 7, item 1).
@Suite("Crypto: small-order and non-canonical Ed25519 keys and signatures")
struct Ed25519PointTests {
  static let identity: [UInt8] = [1] + [UInt8](repeating: 0, count: 31)

  /// The six other encodings of small-order points (derived in Python below).
  static let twins: [[UInt8]] = [
    "0100000000000000000000000000000000000000000000000000000000000080",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
  ].map { Hex.decode($0)! }

  /// Non-canonical encodings (y ≥ p) that are not small-order twins.
  static let otherNonCanonical: [[UInt8]] = [
    "efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p + 2
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = 2^255 − 1
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
  ].map { Hex.decode($0)! }

  static var allWeak: [[UInt8]] { Ed25519Point.smallOrderEncodings + twins + otherNonCanonical }

  /// A SubjectPublicKeyInfo PEM holding `raw`, as an attacker would write it.
  static func spkiPEM(_ raw: [UInt8]) -> String {
    let der = Hex.decode("302a300506032b6570032100")! + raw
    return
      "-----BEGIN PUBLIC KEY-----\n\(Data(der).base64EncodedString())\n-----END PUBLIC KEY-----\n"
  }

  /// The RFC 8032 point arithmetic in plain Python (integers and hashlib
  /// only): finds the eight small-order points and their six twins from the
  /// curve itself, and signs with R = identity under RFC 8032's TEST 1 key.
  static let pythonScript = #"""
    import hashlib, sys
    p = 2**255 - 19
    L = 2**252 + 27742317777372353535851937790883648493
    d = -121665 * pow(121666, p - 2, p) % p
    sqrt_m1 = pow(2, (p - 1) // 4, p)
    identity = (0, 1)

    def decode(s):
        # RFC 8032 5.1.3 without its canonicity checks (y < p, no "-0"), so
        # the twins decode too. None when no point has this y.
        n = int.from_bytes(s, "little")
        sign, y = n >> 255, (n & (2**255 - 1)) % p
        u, v = (y * y - 1) % p, (d * y * y + 1) % p
        x = u * pow(v, 3, p) * pow(u * pow(v, 7, p), (p - 5) // 8, p) % p
        if (v * x * x - u) % p:
            x = x * sqrt_m1 % p
        if (v * x * x - u) % p:
            return None
        if x != 0 and x & 1 != sign:
            x = p - x
        return (x, y)

    def encode(P):
        return (P[1] | (P[0] & 1) << 255).to_bytes(32, "little")

    def add(P, Q):
        (x1, y1), (x2, y2) = P, Q
        t = d * x1 * x2 * y1 * y2 % p
        return ((x1 * y2 + x2 * y1) * pow(1 + t, p - 2, p) % p,
                (y1 * y2 + x1 * x2) * pow(1 - t, p - 2, p) % p)

    def times(k, P):
        R = identity
        while k:
            if k & 1:
                R = add(R, P)
            P, k = add(P, P), k >> 1
        return R

    # The curve has 8L points, so [L]P is in the 8-torsion; take the first
    # of order 8: its multiples are all eight small-order points.
    T, y = None, 2
    while T is None:
        P = decode(y.to_bytes(32, "little"))
        if P is not None and times(4, times(L, P)) != identity:
            T = times(L, P)
        y += 1
    assert times(8, T) == identity
    torsion = {encode(times(k, T)) for k in range(8)}
    assert len(torsion) == 8
    twins = set()
    for y in {int.from_bytes(s, "little") % 2**255 for s in torsion}:
        for yy in (y, y + p):
            for sign in (0, 1):
                s = (yy | sign << 255).to_bytes(32, "little")
                P = decode(s) if yy < 2**255 else None
                if s not in torsion and P is not None and times(8, P) == identity:
                    twins.add(s)
    print("small-order", *sorted(s.hex() for s in torsion))
    print("twins", *sorted(s.hex() for s in twins))
    print("L", L.to_bytes(32, "little").hex())

    # Nonce r = 0 (R = identity): S = h*a mod L satisfies [S]B = R + [h]A.
    B = decode((4 * pow(5, p - 2, p) % p).to_bytes(32, "little"))
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    a = int.from_bytes(hashlib.sha512(seed).digest()[:32], "little") & (2**254 - 8) | 2**254
    A = encode(times(a, B))
    R = encode(identity)
    h = int.from_bytes(hashlib.sha512(R + A + sys.argv[1].encode()).digest(), "little") % L
    S = h * a % L
    assert times(S, B) == add(decode(R), times(h, decode(A)))
    print("key", A.hex())
    print("signature", (R + S.to_bytes(32, "little")).hex())
    """#

  static let message = "almoner-commit/v1\nforged\n"

  /// The Python script's output lines, by their first word.
  static func python() throws -> [String: [String]] {
    let result = try run(
      which("python3") ?? "/usr/bin/python3", ["-c", pythonScript, message])
    try #require(result.status == 0, "python3 failed: \(result.stderr)")
    var lines: [String: [String]] = [:]
    for line in result.stdout.split(separator: "\n") {
      let words = line.split(separator: " ").map(String.init)
      lines[words[0]] = Array(words.dropFirst())
    }
    return lines
  }

  @Test("the eight small-order points, their six twins and L agree with Python point arithmetic")
  func constantsMatchPython() throws {
    let python = try Self.python()
    #expect(
      Set(python["small-order"] ?? []) == Set(Ed25519Point.smallOrderEncodings.map(Hex.encode)))
    #expect(Set(python["twins"] ?? []) == Set(Self.twins.map(Hex.encode)))
    #expect(python["L"] == [Hex.encode(Ed25519Point.groupOrder)])
    for point in Ed25519Point.smallOrderEncodings {
      #expect(Ed25519Point.weakness(point) == .smallOrder, "\(Hex.encode(point))")
    }
    for point in Self.twins + Self.otherNonCanonical {
      #expect(Ed25519Point.weakness(point) == .nonCanonical, "\(Hex.encode(point))")
    }
    #expect(Ed25519Point.weakness(SigningKey.generate().publicKey.raw) == nil)
    // p − 1 is canonical (the point of order 2); p is not.
    #expect(Ed25519Point.weakness(Ed25519Point.fieldPrime) == .nonCanonical)
  }

  @Test("every weak key is refused as raw bytes, as a PEM file and in a signed-note vkey")
  func weakKeysRefusedWhereKeysAreBuilt() throws {
    for raw in Self.allWeak {
      let hex = Hex.encode(raw)
      #expect(throws: AlmonerError.self, "raw \(hex)") { try PublicKey(raw: raw) }
      #expect(throws: AlmonerError.self, "PEM \(hex)") { try PublicKey(pem: Self.spkiPEM(raw)) }
      let vkey = SignedNote.verifierKey(
        name: "almoner/GA", type: .ed25519, publicKey: try PublicKey(uncheckedRaw: raw))
      #expect(throws: AlmonerError.self, "vkey \(hex)") {
        try SignedNote.parseVerifierKey(vkey)
      }
    }
    do {
      _ = try PublicKey(raw: Self.identity)
      Issue.record("the identity key was accepted")
    } catch {
      #expect(error.code == "public-key-small-order", "\(error.message)")
      #expect(error.message.contains("小阶点"), "\(error.message)")
      #expect(error.message.contains("almoner key new"), "\(error.message)")
    }
    let directory = try TemporaryDirectory()
    try Self.spkiPEM(Self.identity).write(
      toFile: directory.path("weak.pub"), atomically: true, encoding: .utf8)
    #expect(throws: AlmonerError.self) { try KeyFiles.readPublic(directory.path("weak.pub")) }
  }

  @Test("R = identity, S = 0 under the identity key: OpenSSL says valid, Almoner does not")
  func forgeryUnderTheIdentityKey() throws {
    let message = Array(Self.message.utf8)
    let forged = Self.identity + [UInt8](repeating: 0, count: 32)
    let identityKey = try PublicKey(uncheckedRaw: Self.identity)
    // The platform fact the checks exist for (PLATFORM.md).
    #expect(identityKey.openSSLVerifies(forged, for: message))
    #expect(!identityKey.isValidSignature(forged, for: message))
    // No small-order key verifies anything, whatever R (small-order or not).
    let someR = SigningKey.generate().publicKey.raw
    for raw in Ed25519Point.smallOrderEncodings {
      let key = try PublicKey(uncheckedRaw: raw)
      for r in Ed25519Point.smallOrderEncodings + [someR] {
        #expect(!key.isValidSignature(r + [UInt8](repeating: 0, count: 32), for: message))
      }
    }
  }

  @Test(
    "a signature whose R is the identity is refused even under a sound key that makes it verify")
  func smallOrderRRefused() throws {
    let python = try Self.python()
    let key = try PublicKey(raw: Hex.decode(try #require(python["key"]?.first))!)
    // RFC 8032 §7.1 TEST 1's public key: the Python arithmetic is right.
    #expect(
      Hex.encode(key.raw) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    let signature = Hex.decode(try #require(python["signature"]?.first))!
    let message = Array(Self.message.utf8)
    #expect(key.openSSLVerifies(signature, for: message))
    #expect(!key.isValidSignature(signature, for: message))
  }

  @Test("S + L in place of S is refused; the signature with S itself verifies")
  func unreducedSRefused() {
    let key = SigningKey.generate()
    let message = Array(Self.message.utf8)
    let signature = key.sign(message)
    #expect(key.publicKey.isValidSignature(signature, for: message))
    var sum = [UInt8](repeating: 0, count: 32)
    var carry = 0
    for index in 0..<32 {
      let total = Int(signature[32 + index]) + Int(Ed25519Point.groupOrder[index]) + carry
      sum[index] = UInt8(total & 0xFF)
      carry = total >> 8
    }
    #expect(carry == 0)  // S < L < 2^253, so S + L still fits
    #expect(!Ed25519Point.isReducedScalar(sum))
    #expect(!key.publicKey.isValidSignature(Array(signature.prefix(32)) + sum, for: message))
    #expect(!Ed25519Point.isReducedScalar(Ed25519Point.groupOrder))
    var belowL = Ed25519Point.groupOrder
    belowL[0] -= 1
    #expect(Ed25519Point.isReducedScalar(belowL))
  }

  @Test("a member.grant of a weak key is refused and the ledger file is unchanged")
  func grantOfWeakKeyRefused() throws {
    let fixture = try Fixture()
    let before = try fixture.fileBytes()
    for raw in Self.allWeak {
      let body: JSONObject = [
        "unit": "GA-BC-JSL", "role": "treasurer", "name": "攻击者",
        "publicKey": .string(Data(raw).base64EncodedString()),
        "keyId": .string(PublicKey.keyID(raw: raw)),
      ]
      do {
        try fixture.ledger.commit(signer: fixture.admin) { _ throws(AlmonerError) in
          [try EntryDraft(kind: .memberGrant, body: body)]
        }
        Issue.record("member.grant of \(Hex.encode(raw)) was appended")
      } catch {
        #expect(error.message.contains("member.grant.publicKey"), "\(error.message)")
      }
    }
    #expect(try fixture.fileBytes() == before)
  }

  @Test("verify ledger refuses a genesis whose admin key is the identity, with R = identity, S = 0")
  func verifyRefusesWeakGenesis() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path("ledger.db")
    let ledger = try Ledger.create(
      at: path, district: "GA", name: "广安区", admin: SigningKey.generate(), adminName: "李明",
      origin: "almoner.example/test", clock: Fixture.fixedClock)
    #expect(try ledger.verify().isClean)
    // Rewrite the file as an attacker with no private key would: the same
    // genesis but for the admin key, "signed" with R = identity, S = 0, and
    // every projection made to match — a ledger OpenSSL alone would pass.
    let genesis = try #require(try ledger.loggedEntry(at: 0)).entry
    guard case .genesis(var body) = genesis.body else {
      Issue.record("entry 0 is not a genesis")
      return
    }
    body.admin.publicKey = Data(Self.identity).base64EncodedString()
    let weakID = PublicKey.keyID(raw: Self.identity)
    let forged = Entry(
      seq: 0, prev: .zero, time: genesis.time, date: genesis.date, author: weakID,
      body: .genesis(body))
    let hash = SHA256.leafHash(forged.canonicalBytes)
    let signature = Self.identity + [UInt8](repeating: 0, count: 32)
    let statement = Commit.statement(ledgerID: hash, firstSeq: 0, lastSeq: 0, lastHash: hash)
    #expect(try PublicKey(uncheckedRaw: Self.identity).openSSLVerifies(signature, for: statement))
    let db = try DatabaseQueue(path: path)
    try db.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      try db.execute(
        sql: "UPDATE entry SET hash = ?, canonical = ? WHERE seq = 0",
        arguments: [Data(hash.bytes), Data(forged.canonicalBytes)])
      try db.execute(
        sql: "UPDATE ledger_commit SET author = ?, signature = ? WHERE first_seq = 0",
        arguments: [weakID, Data(signature)])
      try db.execute(
        sql: "UPDATE ledger_meta SET value = ? WHERE key = 'ledger_id'", arguments: [hash.hex])
      try db.execute(
        sql: "UPDATE member_key SET key_id = ?, public_key = ?",
        arguments: [weakID, Data(Self.identity)])
      try db.execute(sql: "UPDATE member_grant SET key_id = ?", arguments: [weakID])
    }
    let report = try Ledger.open(at: path).verify()
    #expect(report.problems.first?.seq == 0, "\(report.problems)")
    #expect(
      report.problems.first?.message.contains("genesis.admin.publicKey") == true,
      "\(report.problems)")
    #expect(report.problems.first?.message.contains("小阶点") == true, "\(report.problems)")
  }
}
