import AlmonerKit
import Foundation
import Testing

/// Proof generation: round trips through the verifier, an independent Python implementation
/// of RFC 9162, sparse node storage, and read counts.
@Suite struct MerkleProofTests {
  static let maxSize: UInt64 = 70
  static let tree = MerkleFixture.tree(1025)

  @Test(arguments: 1...maxSize)
  func generatedProofsVerify(treeSize: UInt64) throws {
    let tree = Self.tree
    let leaves = MerkleFixture.leaves(treeSize)
    let root = tree.rootHash(treeSize: treeSize)
    #expect(root == MerkleFixture.referenceRoot(leaves[...]))
    for leafIndex in 0..<treeSize {
      let proof = tree.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
      #expect(
        proof.count
          == MerkleVerification.inclusionProofLength(leafIndex: leafIndex, treeSize: treeSize))
      try MerkleVerification.verifyInclusion(
        leafHash: leaves[Int(leafIndex)], leafIndex: leafIndex, treeSize: treeSize,
        proof: proof, rootHash: root)
    }
    for oldSize in 0...treeSize {
      let proof = tree.consistencyProof(oldSize: oldSize, newSize: treeSize)
      #expect(
        proof.count
          == MerkleVerification.consistencyProofLength(oldSize: oldSize, newSize: treeSize))
      try MerkleVerification.verifyConsistency(
        oldSize: oldSize, newSize: treeSize, oldRoot: tree.rootHash(treeSize: oldSize),
        newRoot: root, proof: proof)
    }
  }

  @Test func emptyTreeRoot() {
    let empty = InMemoryMerkle()
    let expected = Hash32(hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(empty.rootHash == expected)
    #expect(empty.rootHash(treeSize: 0) == expected)
    #expect(MerkleVerification.emptyTreeRootHash == expected)
    #expect(Self.tree.rootHash(treeSize: 0) == expected)
    #expect(Self.tree.consistencyProof(oldSize: 0, newSize: 0).isEmpty)
  }

  /// Sizes beyond `maxSize` and the sampled positions in them, the same rule as the script's.
  static let sampledSizes: [UInt64] = [127, 128, 129, 1000, 1024, 1025]

  static func sampledIndices(_ treeSize: UInt64) -> [UInt64] {
    Array(Set([0, 1, treeSize / 3, treeSize / 2, treeSize - 2, treeSize - 1])).sorted()
  }

  static func sampledOldSizes(_ treeSize: UInt64) -> [UInt64] {
    Array(Set([1, 2, treeSize / 3, treeSize / 2, treeSize - 1, treeSize])).sorted()
  }

  /// Every root, inclusion proof and consistency proof the Python script prints, one per line.
  static func proofListing() -> [String] {
    let tree = Self.tree
    func line(_ prefix: String, _ hashes: [Hash32]) -> String {
      ([prefix] + hashes.map(\.hex)).joined(separator: " ")
    }
    var lines: [String] = []
    for treeSize in 0...maxSize {
      lines.append(line("R \(treeSize)", [tree.rootHash(treeSize: treeSize)]))
    }
    let pairs =
      (1...maxSize).map { ($0, Array(0..<$0), Array(1...$0)) }
      + sampledSizes.map { ($0, sampledIndices($0), sampledOldSizes($0)) }
    for (treeSize, indices, oldSizes) in pairs {
      for leafIndex in indices {
        let proof = tree.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
        lines.append(line("I \(leafIndex) \(treeSize)", proof))
      }
      for oldSize in oldSizes {
        let proof = tree.consistencyProof(oldSize: oldSize, newSize: treeSize)
        lines.append(line("C \(oldSize) \(treeSize)", proof))
      }
    }
    return lines
  }

  /// RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 transcribed into recursive Python, hashlib only.
  static let pythonReference = """
    import hashlib, sys

    def sha256(data):
        return hashlib.sha256(data).digest()

    def split(n):
        k = 1
        while k * 2 < n:
            k *= 2
        return k

    def mth(d):
        if len(d) == 0:
            return sha256(b"")
        if len(d) == 1:
            return d[0]  # d holds leaf hashes: MTH({x}) = SHA-256(0x00 || x) = d[0]
        k = split(len(d))
        return sha256(b"\\x01" + mth(d[:k]) + mth(d[k:]))

    def path(m, d):
        if len(d) == 1:
            return []
        k = split(len(d))
        if m < k:
            return path(m, d[:k]) + [mth(d[k:])]
        return path(m - k, d[k:]) + [mth(d[:k])]

    def subproof(m, d, b):
        if m == len(d):
            return [] if b else [mth(d)]
        k = split(len(d))
        if m <= k:
            return subproof(m, d[:k], b) + [mth(d[k:])]
        return subproof(m - k, d[k:], False) + [mth(d[:k])]

    def line(prefix, hashes):
        return " ".join([prefix] + [h.hex() for h in hashes])

    max_size = int(sys.argv[1])
    sampled = [int(s) for s in sys.argv[2].split(",")]
    leaves = [sha256(b"\\x00" + ("leaf %d" % i).encode()) for i in range(max(sampled))]
    out = [line("R %d" % n, [mth(leaves[:n])]) for n in range(max_size + 1)]
    pairs = [(n, range(n), range(1, n + 1)) for n in range(1, max_size + 1)]
    for n in sampled:
        indices = sorted({0, 1, n // 3, n // 2, n - 2, n - 1})
        old_sizes = sorted({1, 2, n // 3, n // 2, n - 1, n})
        pairs.append((n, indices, old_sizes))
    for n, indices, old_sizes in pairs:
        d = leaves[:n]
        for i in indices:
            out.append(line("I %d %d" % (i, n), path(i, d)))
        for m in old_sizes:
            out.append(line("C %d %d" % (m, n), subproof(m, d, True)))
    print("\\n".join(out))
    """

  @Test func matchesPythonReference() throws {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("merkle-reference-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let script = scratch.appendingPathComponent("rfc9162.py")
    let output = scratch.appendingPathComponent("proofs.txt")
    try Self.pythonReference.write(to: script, atomically: true, encoding: .utf8)
    try #require(FileManager.default.createFile(atPath: output.path, contents: nil))

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", script.path, String(Self.maxSize),
      Self.sampledSizes.map(String.init).joined(separator: ","),
    ]
    process.standardOutput = try FileHandle(forWritingTo: output)
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "python3 failed; is python3 installed?")

    let expected = try String(contentsOf: output, encoding: .utf8)
      .split(separator: "\n").map(String.init)
    let actual = Self.proofListing()
    #expect(expected.count == actual.count)
    #expect(actual.count > 5000)
    for (want, got) in zip(expected, actual) where want != got {
      Issue.record("Python: \(want)\nSwift:  \(got)")
      break
    }
  }

  static let sparseSources: [(String, @Sendable (Int) -> Bool)] = [
    ("every 4th level", { $0 % 4 == 0 }),
    ("leaves only", { _ in false }),
    ("odd levels", { $0 % 2 == 1 }),
    ("levels 3 and up", { $0 >= 3 }),
  ]

  @Test(arguments: 0..<sparseSources.count)
  func sparseStorageGivesSameProofs(source: Int) {
    let (name, isStored) = Self.sparseSources[source]
    let full = MerkleTree(source: Self.tree)
    let sparse = MerkleTree(source: SparseMerkleSource(tree: Self.tree, isStored: isStored))
    let sizes = Array(1...Self.maxSize) + Self.sampledSizes
    for treeSize in sizes {
      #expect(
        sparse.rootHash(treeSize: treeSize) == full.rootHash(treeSize: treeSize),
        "\(name): root of \(treeSize)")
      #expect(
        sparse.frontier(treeSize: treeSize) == full.frontier(treeSize: treeSize),
        "\(name): frontier of \(treeSize)")
      let indices = treeSize <= Self.maxSize ? Array(0..<treeSize) : Self.sampledIndices(treeSize)
      for leafIndex in indices {
        #expect(
          sparse.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
            == full.inclusionProof(leafIndex: leafIndex, treeSize: treeSize),
          "\(name): inclusion \(leafIndex) of \(treeSize)")
      }
      // Many proofs of one tree, sharing the nodes they compute.
      #expect(
        sparse.inclusionProofs(leafIndices: indices, treeSize: treeSize)
          == indices.map { full.inclusionProof(leafIndex: $0, treeSize: treeSize) },
        "\(name): inclusion proofs of \(treeSize)")
      let oldSizes = treeSize <= Self.maxSize ? Array(0...treeSize) : Self.sampledOldSizes(treeSize)
      for oldSize in oldSizes {
        #expect(
          sparse.consistencyProof(oldSize: oldSize, newSize: treeSize)
            == full.consistencyProof(oldSize: oldSize, newSize: treeSize),
          "\(name): consistency \(oldSize) to \(treeSize)")
      }
    }
  }

  /// With every node stored, a proof reads O(log n) hashes: each proof hash is one read, and
  /// the ragged right edges (at most one 1-bit of a size each) are folded once per call.
  @Test func proofsReadLogarithmicallyManyNodes() {
    let source = CountingMerkleSource(tree: Self.tree)
    let tree = MerkleTree(source: source)
    for treeSize in UInt64(1)...300 {
      let bits = MerkleFixture.bitLength(treeSize)
      for leafIndex in 0..<treeSize {
        source.counter.reads = 0
        _ = tree.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
        #expect(source.counter.reads <= 2 * bits, "inclusion \(leafIndex) of \(treeSize)")
      }
      for oldSize in 0...treeSize {
        source.counter.reads = 0
        _ = tree.consistencyProof(oldSize: oldSize, newSize: treeSize)
        #expect(source.counter.reads <= 3 * bits, "consistency \(oldSize) to \(treeSize)")
      }
      source.counter.reads = 0
      _ = tree.rootHash(treeSize: treeSize)
      #expect(source.counter.reads == treeSize.nonzeroBitCount, "root of \(treeSize)")
    }
  }
}
