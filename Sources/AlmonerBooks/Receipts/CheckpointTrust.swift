/// Checks a cosigned checkpoint note against a trust bundle, the same way
/// for receipts, statements and public logs: a valid signature by a trusted
/// log key, valid cosignatures, and the witness quorum of distinct
/// supervisors (none of them a log key). The steps are separate so that a
/// receipt can report which of its steps failed.
enum CheckpointTrust {
  struct Verified {
    var checkpoint: Checkpoint
    var logSigner: String
    var cosigners: [String]
  }

  /// The note parsed, and the first trusted log key holder whose signature
  /// is on it. Throws (verification) on a malformed note, a note of another
  /// origin, an invalid signature by a trusted key, or no trusted signature.
  static func signed(note text: String, trust: TrustBundle) throws(AlmonerError) -> (
    note: SignedNote, checkpoint: Checkpoint, logSigner: String
  ) {
    let note: SignedNote
    let checkpoint: Checkpoint
    do {
      note = try SignedNote(parsing: text)
      checkpoint = try Checkpoint(text: note.text)
    } catch {
      // Not a checkpoint: the refusal that says why, as a failed verification.
      var failed = error
      failed.kind = .verificationFailed
      throw failed
    }
    guard checkpoint.origin == trust.origin else {
      throw .refused(.checkpointOtherLedger(origin: checkpoint.origin, trusted: trust.origin))
    }
    var logSigner: String?
    for key in trust.logKeys {
      guard let publicKey = try? PublicKey(raw: key.publicKey),
        let valid = note.logSignature(name: key.name, publicKey: publicKey)
      else { continue }
      guard valid else { throw .refused(.checkpointLogSignatureInvalid(holder: key.holder)) }
      logSigner = logSigner ?? key.holder
    }
    guard let logSigner else { throw .refused(.checkpointWithoutTrustedSignature) }
    return (note, checkpoint, logSigner)
  }

  /// The trusted witnesses whose cosignatures count: once per key, never a
  /// key that also signs for the log. Throws on an invalid cosignature.
  static func cosigners(of note: SignedNote, trust: TrustBundle) throws(AlmonerError) -> [String] {
    let logPublicKeys = Set(trust.logKeys.map(\.publicKey))
    var counted = Set<[UInt8]>()
    var cosigners: [String] = []
    for witness in trust.witnesses {
      guard let publicKey = try? PublicKey(raw: witness.publicKey),
        let cosignature = note.cosignature(name: witness.name, publicKey: publicKey)
      else { continue }
      guard cosignature.valid else {
        throw .refused(.cosignatureInvalid(holder: witness.holder))
      }
      guard !logPublicKeys.contains(witness.publicKey), counted.insert(witness.publicKey).inserted
      else { continue }
      cosigners.append(witness.holder)
    }
    return cosigners
  }

  /// Why `cosigners` fall short of the trust file's quorum; nil when they
  /// meet it.
  static func quorumProblem(_ cosigners: [String], trust: TrustBundle) -> String? {
    guard cosigners.count < trust.witnessQuorum else { return nil }
    let stated =
      trust.witnessQuorumStated ? "信任文件要求" : "信任文件没有写明人数（旧版本导出），按默认要求"
    let found =
      cosigners.isEmpty
      ? "这个检查点没有任何受信任监督员的联署"
      : "这个检查点只有 \(cosigners.count) 名（\(cosigners.joined(separator: "、"))）"
    return "\(stated)至少 \(trust.witnessQuorum) 名街道或区级监督员（检查点签发人以外）联署检查点，\(found)"
  }

  /// All three checks in one.
  static func verify(note text: String, trust: TrustBundle) throws(AlmonerError) -> Verified {
    let signed = try signed(note: text, trust: trust)
    let cosigners = try cosigners(of: signed.note, trust: trust)
    if let problem = quorumProblem(cosigners, trust: trust) {
      throw .refused(.cosignaturesTooFew(detail: problem))
    }
    return Verified(
      checkpoint: signed.checkpoint, logSigner: signed.logSigner, cosigners: cosigners)
  }
}
