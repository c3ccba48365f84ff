import AlmonerKit
import Foundation
import Testing

@Suite("Crypto: SHA-256 and Ed25519 over OpenSSL")
struct CryptoTests {
  @Test("SHA-256 known answers (FIPS 180-2 examples)")
  func sha256KnownAnswers() {
    #expect(
      SHA256.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hash(Array("abc".utf8)).hex
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    #expect(
      SHA256.hash(long).hex == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test("leaf and node hashes use the RFC 9162 domain-separation prefixes")
  func leafAndNodeHashes() throws {
    let data = Array("entry".utf8)
    #expect(SHA256.leafHash(data) == SHA256.hash([0] + data))
    let left = SHA256.hash([1])
    let right = SHA256.hash([2])
    #expect(SHA256.nodeHash(left, right) == SHA256.hash([1] + left.bytes + right.bytes))
  }

  @Test("SHA-256 agrees with Python's hashlib on varied inputs")
  func sha256MatchesPython() throws {
    let inputs = (0..<20).map { length in
      (0..<(length * 37)).map { UInt8(truncatingIfNeeded: $0 * 7 + length) }
    }
    let script = """
      import hashlib, sys
      for line in sys.stdin.read().split():
          data = bytes.fromhex(line[1:])
          print(hashlib.sha256(data).hexdigest())
      """
    let input = inputs.map { "x" + Hex.encode($0) }.joined(separator: "\n")
    let result = try run(
      which("python3") ?? "/usr/bin/python3", ["-c", script], input: Data(input.utf8))
    #expect(result.status == 0, "\(result.stderr)")
    let expected = result.stdout.split(separator: "\n").map(String.init)
    #expect(expected == inputs.map { SHA256.hash($0).hex })
  }

  @Test("Hash32 parses and prints hex, and compares in constant time")
  func hashHex() {
    let hash = SHA256.hash(Array("x".utf8))
    #expect(Hash32(hex: hash.hex) == hash)
    #expect(Hash32(hex: hash.hex.uppercased()) == hash)
    #expect(Hash32(hex: String(hash.hex.dropLast())) == nil)
    #expect(Hash32(hex: String(hash.hex.dropLast()) + "g") == nil)
    #expect(hash.constantTimeEquals(hash))
    #expect(!hash.constantTimeEquals(.zero))
  }

  @Test("sign and verify; a changed message or signature fails")
  func signVerify() throws {
    let key = SigningKey.generate()
    let message = Array("almoner-commit/v1\n".utf8)
    let signature = key.sign(message)
    #expect(signature.count == 64)
    #expect(key.publicKey.isValidSignature(signature, for: message))
    #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
    var flipped = signature
    flipped[10] ^= 1
    #expect(!key.publicKey.isValidSignature(flipped, for: message))
    #expect(!key.publicKey.isValidSignature(Array(signature.prefix(63)), for: message))
    #expect(!SigningKey.generate().publicKey.isValidSignature(signature, for: message))
  }

  @Test("PEM round trip, and key id is ed25519: + 16 hex digits of SHA-256(raw key)")
  func pemRoundTrip() throws {
    let key = SigningKey.generate()
    #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    #expect(key.publicKey.pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
    let reread = try SigningKey(pem: key.pem)
    #expect(reread.publicKey == key.publicKey)
    #expect(try PublicKey(pem: key.publicKey.pem) == key.publicKey)
    #expect(try PublicKey(raw: key.publicKey.raw) == key.publicKey)
    #expect(key.keyID == "ed25519:" + SHA256.hash(key.publicKey.raw).hex.prefix(16))
    #expect(throws: AlmonerError.self) { try SigningKey(pem: "not a key") }
    #expect(throws: AlmonerError.self) { try SigningKey(pem: key.publicKey.pem) }
    #expect(throws: AlmonerError.self) { try PublicKey(raw: [1, 2, 3]) }
  }

  @Test(
    "a signature made here verifies with the openssl CLI, and one made by openssl verifies here")
  func opensslInterop() throws {
    let openssl = try #require(which("openssl"), "the openssl CLI is needed")
    let dir = try TemporaryDirectory()
    let message = Data("almoner-commit/v1\nledger\n0\n9\nabc\n".utf8)
    try message.write(to: URL(fileURLWithPath: dir.path("msg")))

    // Swift signs, openssl verifies.
    let key = SigningKey.generate()
    try KeyFiles.write(key, to: dir.path("swift.pem"))
    try Data(key.sign([UInt8](message))).write(to: URL(fileURLWithPath: dir.path("swift.sig")))
    let verified = try run(
      openssl,
      [
        "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", dir.path("swift.pem.pub"), "-in",
        dir.path("msg"), "-sigfile", dir.path("swift.sig"),
      ])
    #expect(verified.status == 0, "openssl: \(verified.stdout) \(verified.stderr)")
    #expect(verified.stdout.contains("Signature Verified Successfully"))
    // openssl also reads the private key file Swift wrote.
    let pkey = try run(openssl, ["pkey", "-in", dir.path("swift.pem"), "-noout"])
    #expect(pkey.status == 0, "\(pkey.stderr)")

    // openssl makes a key and signs; Swift reads both and verifies.
    #expect(
      try run(openssl, ["genpkey", "-algorithm", "ed25519", "-out", dir.path("ossl.pem")]).status
        == 0)
    #expect(
      try run(
        openssl, ["pkey", "-in", dir.path("ossl.pem"), "-pubout", "-out", dir.path("ossl.pub")]
      )
      .status == 0)
    #expect(
      try run(
        openssl,
        [
          "pkeyutl", "-sign", "-rawin", "-inkey", dir.path("ossl.pem"), "-in", dir.path("msg"),
          "-out", dir.path("ossl.sig"),
        ]
      ).status == 0)
    let signature = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.path("ossl.sig"))))
    let publicKey = try KeyFiles.readPublic(dir.path("ossl.pub"))
    #expect(publicKey.isValidSignature(signature, for: [UInt8](message)))
    let privateKey = try KeyFiles.readPrivate(dir.path("ossl.pem"))
    #expect(privateKey.publicKey == publicKey)
    // Ed25519 is deterministic: Swift's signature with openssl's key is identical.
    #expect(privateKey.sign([UInt8](message)) == signature)
  }

  @Test("private key files are written 0600, never overwritten")
  func keyFileMode() throws {
    let dir = try TemporaryDirectory()
    let key = SigningKey.generate()
    try KeyFiles.write(key, to: dir.path("k.pem"))
    let attributes = try FileManager.default.attributesOfItem(atPath: dir.path("k.pem"))
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    #expect(throws: AlmonerError.self) {
      try KeyFiles.write(SigningKey.generate(), to: dir.path("k.pem"))
    }
    #expect(try KeyFiles.readPrivate(dir.path("k.pem")).publicKey == key.publicKey)
  }
}
