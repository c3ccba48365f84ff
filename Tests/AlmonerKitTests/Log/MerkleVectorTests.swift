import AlmonerKit
import Foundation
import Testing

/// The transparency-dev/merkle test vectors in `Tests/Vectors/merkle`.
///
/// The vectors carry raw bytes; a value that is not exactly 32 bytes cannot become a `Hash32`,
/// so decoding it is where such a vector is rejected, as a checkpoint parser would. One
/// happy-path vector compares 12-byte placeholder roots ("don't care 2") for equal sizes,
/// where roots are only compared for equality; for equal sizes the test therefore stands in
/// a hash of the placeholder bytes, which keeps equal placeholders equal and unequal unequal.
@Suite struct MerkleVectorTests {
  static let inclusionFiles = MerkleVectors.files("inclusion")
  static let consistencyFiles = MerkleVectors.files("consistency")

  @Test func vectorsArePresent() {
    #expect(MerkleVectors.directory != nil, "Tests/Vectors/merkle not found above #filePath")
    #expect(Self.inclusionFiles.count == 98)
    #expect(Self.consistencyFiles.count == 98)
  }

  @Test func referenceTreeRoots() throws {
    let object = try MerkleVectors.object("reference-tree.json")
    let inputs = try #require(object["leafInputsHex"] as? [String])
    let roots = try #require(object["rootHashesHexBySize"] as? [String])
    #expect(inputs.count == 8)
    #expect(roots.count == 9)
    let leaves = try inputs.map { hex in SHA256.leafHash(try #require(Hex.decode(hex))) }
    let full = InMemoryMerkle(leaves: leaves)
    var appender = MerkleAppender()
    for (size, rootHex) in roots.enumerated() {
      let expected = try #require(Hash32(hex: rootHex))
      #expect(InMemoryMerkle(leaves: leaves.prefix(size)).rootHash == expected, "size \(size)")
      #expect(full.rootHash(treeSize: UInt64(size)) == expected, "size \(size)")
      #expect(appender.rootHash() == expected, "size \(size)")
      if size < leaves.count { appender.append(leaves[size]) }
    }
  }

  @Test(arguments: inclusionFiles)
  func inclusionVector(_ file: String) throws {
    let object = try MerkleVectors.object(file)
    let wantErr = try #require(object["wantErr"] as? Bool)
    let leafIndex = try MerkleVectors.size(object["leafIdx"])
    let treeSize = try MerkleVectors.size(object["treeSize"])
    guard let leafHash = MerkleVectors.Field(object["leafHash"]).hash,
      let rootHash = MerkleVectors.Field(object["root"]).hash,
      let proof = MerkleVectors.proof(object["proof"])
    else {
      #expect(wantErr, "\(file): a hash is not 32 bytes, yet the vector should verify")
      return
    }
    do {
      try MerkleVerification.verifyInclusion(
        leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize, proof: proof,
        rootHash: rootHash)
      #expect(!wantErr, "\(file): accepted, should be rejected")
    } catch {
      #expect(wantErr, "\(file): rejected with \(error.reason): \(error)")
    }
  }

  @Test(arguments: consistencyFiles)
  func consistencyVector(_ file: String) throws {
    let object = try MerkleVectors.object(file)
    let wantErr = try #require(object["wantErr"] as? Bool)
    let oldSize = try MerkleVectors.size(object["size1"])
    let newSize = try MerkleVectors.size(object["size2"])
    let roots = [object["root1"], object["root2"]].map { value -> Hash32? in
      switch MerkleVectors.Field(value) {
      case .hash(let hash): hash
      case .malformed(let bytes) where oldSize == newSize:
        SHA256.hash(Array("placeholder root: ".utf8) + bytes)
      case .malformed: nil
      }
    }
    guard let oldRoot = roots[0], let newRoot = roots[1],
      let proof = MerkleVectors.proof(object["proof"])
    else {
      #expect(wantErr, "\(file): a hash is not 32 bytes, yet the vector should verify")
      return
    }
    do {
      try MerkleVerification.verifyConsistency(
        oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof)
      #expect(!wantErr, "\(file): accepted, should be rejected")
    } catch {
      #expect(wantErr, "\(file): rejected with \(error.reason): \(error)")
    }
  }
}
