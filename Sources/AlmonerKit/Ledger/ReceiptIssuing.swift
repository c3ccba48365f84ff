import Foundation
import GRDB

/// Issuing what residents verify (Receipts.swift): the trust bundle and a
/// donor's receipt, read from the ledger.
extension Ledger {
  /// The public keys a resident needs to verify checkpoints and receipts,
  /// and how many supervisors' cosignatures they require (default 1).
  public func trustBundle(
    witnessQuorum: Int = TrustBundle.defaultWitnessQuorum
  ) throws(AlmonerError) -> TrustBundle {
    guard (1...TrustBundle.witnessQuorumMax).contains(witnessQuorum) else {
      throw .badInput("联署人数要求应为 1 至 \(TrustBundle.witnessQuorumMax) 名监督员，不能是 \(witnessQuorum)")
    }
    // Residents trust these keys for good: they are read from tables only
    // once the tables are shown to be what the log says.
    let state = try verifiedState()
    guard let ledgerID = state.ledgerID, let district = state.district else {
      throw .failure("账本尚未建立")
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
      throw .badInput(
        "账本只有 \(witnesses.count) 名街道或区级监督员，不能要求 \(witnessQuorum) 名联署：请先添加监督员，或降低人数要求")
    }
    return TrustBundle(
      origin: state.origin, ledgerID: ledgerID, logKeys: logKeys, witnesses: witnesses,
      unitNames: state.units.mapValues(\.name), witnessQuorum: witnessQuorum)
  }

  /// A receipt for donation `seq`, with a tlog-proof against the latest
  /// checkpoint that covers it (and its cosignatures), if there is one.
  public func receipt(seq: Int64) throws(AlmonerError) -> Receipt {
    guard let logged = try loggedEntry(at: seq) else {
      throw .badInput("记录 #\(seq) 不存在")
    }
    guard logged.entry.kind == .donation else {
      throw .badInput("记录 #\(seq) 是「\(logged.entry.kind.displayName)」，只有捐赠才有收据")
    }
    let donor = try read { db in
      try Row.fetchOne(
        db, sql: "SELECT salt, personal FROM donor_private WHERE seq = ?", arguments: [seq])
    }
    guard let donor else {
      if let by = try state().erasures[seq] {
        throw .badInput(
          "记录 #\(seq) 的捐赠人个人信息已于记录 #\(by) 删除（erasure），无法再开具收据；捐赠人此前领取的收据仍可用 almoner verify receipt 核验"
        )
      }
      throw .verification(
        "记录 #\(seq) 的捐赠人个人信息缺失，而账本中没有删除它的记录：信息被私自删除或丢失；请运行 almoner verify ledger")
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
      entry: logged.canonical, salt: [UInt8](donor[0] as Data),
      personal: [UInt8](donor[1] as Data), proof: proof, ledger: ledger)
  }
}
