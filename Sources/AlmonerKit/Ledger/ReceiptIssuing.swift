import AlmonerStore
import Foundation

/// Issuing what residents verify (Receipts.swift): the trust bundle and a
/// donor's receipt, read from the ledger.
extension Ledger {
  /// The public keys a resident needs to verify checkpoints and receipts,
  /// and how many supervisors' cosignatures they require (default 1).
  public func trustBundle(
    witnessQuorum: Int = TrustBundle.defaultWitnessQuorum
  ) throws(AlmonerError) -> TrustBundle {
    guard (1...TrustBundle.witnessQuorumMax).contains(witnessQuorum) else {
      throw .refused(
        .witnessQuorumOutOfRange(max: TrustBundle.witnessQuorumMax, given: witnessQuorum))
    }
    // Residents trust these keys for good: they are read from tables only
    // once the tables are shown to be what the log says.
    let state = try verifiedState()
    guard let ledgerID = state.ledgerID, let district = state.district else {
      throw .refused(.ledgerNotInitialised)
    }
    func key(_ keyID: String, name: String) -> TrustBundle.Key? {
      guard let member = state.keys[keyID] else { return nil }
      return TrustBundle.Key(
        name: name, publicKey: member.publicKey, holder: member.name, keyID: keyID,
        roles: state.grants.filter { $0.keyID == keyID && $0.revokedSeq == nil }
          .map { "\($0.unit):\($0.role.rawValue)" })
    }
    var seen = Set<String>()
    let logKeys = state.grants.filter {
      ($0.role == .admin || $0.role == .treasurer) && $0.unit == district.code
        && $0.revokedSeq == nil && seen.insert($0.keyID).inserted
    }.compactMap { key($0.keyID, name: state.origin) }
    seen = []
    let witnesses = state.grants.filter {
      $0.role == .supervisor && $0.revokedSeq == nil && state.isWitness($0.keyID)
        && !state.holdsLogRole($0.keyID)
        && seen.insert($0.keyID).inserted
    }.compactMap { key($0.keyID, name: state.witnessName(keyID: $0.keyID)) }
    guard witnessQuorum <= max(witnesses.count, TrustBundle.defaultWitnessQuorum) else {
      throw .refused(
        .witnessQuorumOverWitnesses(witnesses: witnesses.count, quorum: witnessQuorum))
    }
    return TrustBundle(
      origin: state.origin, ledgerID: ledgerID, logKeys: logKeys, witnesses: witnesses,
      unitNames: state.units.mapValues(\.name), witnessQuorum: witnessQuorum)
  }

  /// A receipt for donation `seq`, with a tlog-proof against the latest
  /// checkpoint that covers it (and its cosignatures), if there is one.
  public func receipt(seq: Int64) throws(AlmonerError) -> Receipt {
    guard let logged = try loggedEntry(at: seq) else {
      throw .refused(.entryMissing(seq: seq))
    }
    guard logged.entry.kind == .donation else {
      throw .refused(.receiptNotDonation(seq: seq, kindName: logged.entry.kind.displayName))
    }
    let donor = try read { db in try LedgerStore.donorPrivate(db, seq: seq) }
    guard let donor else {
      if let by = try state().erasures[seq] {
        throw .refused(.receiptDonorErased(seq: seq, erasureSeq: by))
      }
      throw .refused(.receiptDonorMissing(seq: seq))
    }
    // The latest covering checkpoint a supervisor cosigned, else the latest.
    let covering = try checkpoints().filter { $0.record.treeSize > seq }
    var proof: String?
    var ledger: Receipt.LedgerIdentity?
    if let chosen = covering.last(where: { !$0.cosigners.isEmpty }) ?? covering.last {
      let size = chosen.record.treeSize
      let inclusion = try inclusionProof(seq: seq, treeSize: size)
      proof = TlogProof(index: seq, hashes: inclusion.proof, checkpoint: chosen.cosignedNote).text
      let genesis = try inclusionProof(seq: 0, treeSize: size)
      ledger = Receipt.LedgerIdentity(id: genesis.leafHash, inclusion: genesis.proof)
    }
    return Receipt(
      entry: logged.canonical, salt: donor.salt, personal: donor.personal, proof: proof,
      ledger: ledger)
  }
}
