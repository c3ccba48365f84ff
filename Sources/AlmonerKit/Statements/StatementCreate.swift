import AlmonerStore
import Foundation

extension Ledger {
  /// Makes the statement of `unit` (with `subtree`, the unit and every unit
  /// below it) for `period`, bound to the newest cosigned checkpoint, and
  /// signs it with `signer`, a treasurer or admin of the unit. Computed from
  /// the checkpoint's entries alone, exactly as a resident recomputes it
  /// from the public log.
  ///
  /// When a statement of the same unit, period and scope is already
  /// published, this one is a correction: `correctionReason` is required,
  /// and the header names the published one as superseded. The opening
  /// balances must equal the closing ones of the previous statement in
  /// force (the header's `previous`).
  public func makeStatement(
    unit unitText: String, period: StatementPeriod, subtree: Bool = false,
    correctionReason: String? = nil, signer: SigningKey
  ) throws(AlmonerError) -> Statement {
    let state = try state()
    let unit = try state.resolveUnit(unitText, field: "--unit")
    guard let member = state.keys[signer.keyID], member.revokedSeq == nil,
      state.holds(.treasurer, on: unit.code, keyID: signer.keyID)
        || state.holds(.admin, on: unit.code, keyID: signer.keyID)
    else {
      let name = state.keys[signer.keyID]?.name ?? signer.keyID
      throw .refused(
        .statementSignerNotTreasurer(
          name: name, keyID: signer.keyID, unit: state.unitText(unit.code)))
    }
    let scope = subtree ? "（含下属单位）" : ""
    var supersedes: Statement.Supersedes?
    let published = state.publishedStatement(
      unit: unit.code, period: period.name, subtree: subtree)
    switch (published, correctionReason) {
    case (nil, nil): break
    case (nil, .some):
      throw .refused(
        .statementCorrectionNotNeeded(
          scope: "\(state.unitText(unit.code))\(scope)\(period.displayName)"))
    case (.some(let current), nil):
      throw .refused(
        .statementCorrectionReasonMissing(
          scope: "\(state.unitText(unit.code))\(scope)\(period.displayName)", seq: current.seq,
          hash: current.hash.hex))
    case (.some(let current), .some(let reason)):
      let text = try Text.input(reason, field: "--correction-reason")
      supersedes = Statement.Supersedes(hash: current.hash, reason: text)
    }
    let statement = try computeStatement(
      unit: unit, period: period, subtree: subtree, supersedes: supersedes,
      signerKeyID: signer.keyID,
      role: .treasurer, state: state)
    if let previous = statement.previous {
      guard let file = try read({ db in try LedgerStore.statementFile(db, hash: previous) }) else {
        throw .refused(.statementPreviousFileMissing(hash: previous.hex))
      }
      let earlier = try Statement(parsing: file)
      if let problem = statement.openingProblem(previous: earlier) {
        throw .refused(
          .statementOpeningChanged(
            problem: problem, previousPeriod: earlier.period.name, period: period.name))
      }
    }
    var signed = statement
    signed.sign(as: .treasurer, name: member.name, with: signer)
    return signed
  }

  /// The statement as the ledger computes it now, unsigned, with the role
  /// proof of `signerKeyID` among its lines.
  func computeStatement(
    unit: Unit, period: StatementPeriod, subtree: Bool, supersedes: Statement.Supersedes?,
    signerKeyID: String, role: Statement.Signature.Role, state: LedgerState,
    checkpointSeq: Int64? = nil, extraSigners: [String] = []
  ) throws(AlmonerError) -> Statement {
    guard let ledgerID = state.ledgerID else { throw .refused(.ledgerNotInitialised) }
    let summaries = try checkpoints(state: state)
    let chosen =
      checkpointSeq.map { seq in summaries.first { $0.record.seq == seq } }
      ?? summaries.last(where: { !$0.cosigners.isEmpty })
    guard let checkpoint = chosen, !checkpoint.cosigners.isEmpty else {
      throw .refused(.statementNoCosignedCheckpoint(periodEnd: "\(period.to)"))
    }
    let record = checkpoint.record
    let signedOn = try loggedEntry(at: record.seq)?.entry.date
    guard let signedOn, signedOn > period.to else {
      throw .refused(
        .statementCheckpointTooEarly(
          seq: record.seq, signedOn: signedOn?.text ?? "?", periodEnd: "\(period.to)",
          period: period.name))
    }
    let size = record.treeSize
    let scopeCodes = subtree ? state.subtree(of: unit.code) : [unit.code]
    let scope = scopeCodes.filter { (state.units[$0]?.createdSeq ?? size) < size }
    var calculator = StatementCalculator(scope: Set(scope), period: period)
    // Only the entries that can bear on the statement are read, one at a
    // time: only the lines' bytes are read again below.
    try feedStatementEntries(&calculator, scope: scope, period: period, size: size)
    guard !calculator.overflowed else { throw .refused(.statementTotalOverflow) }
    let catalogue = calculator.catalogue

    // Lines: what is counted, what it needs, the reversals of its gifts,
    // and the entries that gave the signers their roles.
    var seqs = Set(calculator.counted).union(calculator.context)
    for seq in seqs { if let by = catalogue.reversals[seq] { seqs.insert(by) } }
    for keyID in [signerKeyID] + extraSigners {
      let proofs = StatementRoles.proofs(
        catalogue.roles[keyID] ?? [], role: role, unit: unit.code,
        lineage: catalogue.lineage(of: unit.code))
      guard let proof = proofs.first else {
        throw .refused(
          .statementRoleAfterCheckpoint(name: state.keys[keyID]?.name ?? keyID, seq: record.seq))
      }
      seqs.formUnion(proof.seqs)
    }
    // Every line's proof in one read, against the root computed once.
    let sorted = seqs.sorted()
    let (root, proofs, lineEntries) = try read { db in
      // The leaves are read in seq order, each block once.
      try LedgerStore.withStreamingCache(db) {
        let source = BlockMerkleSource(db: db)
        let tree = MerkleTree(source: source)
        var proofs: [(leaf: Hash32, proof: [Hash32])] = []
        var lineEntries: [[UInt8]] = []
        proofs.reserveCapacity(sorted.count)
        lineEntries.reserveCapacity(sorted.count)
        // Nearby lines share most of their proofs' nodes: computed once.
        let paths = try tree.inclusionProofs(
          leafIndices: sorted.map { UInt64($0) }, treeSize: UInt64(size))
        for (seq, path) in zip(sorted, paths) {
          proofs.append((try source.leaf(UInt64(seq)), path))
          let bytes = try LedgerStore.cachedCanonicalBytes(db, seq: seq)
          guard let bytes else {
            throw AlmonerError.refused(.ledgerEntryMissing(seq: seq))
          }
          lineEntries.append(bytes)
        }
        return (try tree.rootHash(treeSize: UInt64(size)), proofs, lineEntries)
      }
    }
    guard root == record.rootHash else {
      throw .refused(.ledgerRootDiffers(size: size, seq: record.seq, publishing: false))
    }
    let hasher = SHA256()
    var lines: [Statement.Line] = []
    lines.reserveCapacity(sorted.count)
    for ((seq, proof), bytes) in zip(zip(sorted, proofs), lineEntries) {
      guard hasher.leafHash(bytes) == proof.leaf else {
        throw .refused(.entryHashMismatch(seq: seq, publishing: false))
      }
      lines.append(
        Statement.Line(
          seq: seq, entry: bytes, proof: proof.proof, reversedBy: catalogue.reversals[seq]))
    }

    // Funds: every fund of the units covered, by code (a subtree rolls up
    // the same code across units), the unit's own name first.
    var funds: [FundFigures] = []
    for key in catalogue.fundOrder where scope.contains(key.unit) {
      guard let info = catalogue.funds[key] else { continue }
      if let index = funds.firstIndex(where: { $0.code == key.code }) {
        if key.unit == unit.code { funds[index].name = info.name }
        continue
      }
      var figures =
        calculator.funds[key.code] ?? FundFigures(code: key.code, name: "", restricted: false)
      figures.name = info.name
      figures.restricted = info.restricted
      funds.append(figures)
    }
    for code in calculator.fundOrder where !funds.contains(where: { $0.code == code }) {
      if let figures = calculator.funds[code] { funds.append(figures) }
    }

    let genesis = try inclusionProof(seq: 0, treeSize: size)
    func ref(_ code: String) -> Statement.UnitRef {
      let known = state.units[code]
      return Statement.UnitRef(
        code: code, name: known?.name ?? code, tier: known?.tier ?? .community)
    }
    return Statement(
      ledgerID: ledgerID, origin: state.origin, unit: ref(unit.code),
      parents: state.lineage(of: unit.code).dropFirst().map(ref), subtree: subtree,
      units: catalogue.unitOrder.filter(scope.contains).map(ref), period: period,
      checkpoint: checkpoint.cosignedNote, ledgerProof: genesis.proof,
      previous: state.previousStatement(unit: unit.code, subtree: subtree, before: period)?.hash,
      supersedes: supersedes, funds: funds, lines: lines)
  }
}
