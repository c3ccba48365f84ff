import Foundation

/// What verifying a statement proved.
public struct StatementVerification: Sendable {
  public var statement: Statement
  public var checkpoint: Checkpoint
  public var logSigner: String
  /// Supervisors whose cosignatures on the checkpoint counted.
  public var witnesses: [String]
  public var treasurer: String
  /// Supervisors who countersigned the statement.
  public var supervisors: [String]
  /// Checked against the public log: nothing that belongs was left out.
  public var completenessChecked: Bool
  public var lineCount: Int
  /// Where the public log published it (checked with `--log`).
  public var publication: StatementPublicationStatus?
  /// The previous statement was at hand and this one opens with its
  /// closing balances; false when the header names one that was not given.
  public var previousChecked = false

  /// The result in plain words, Chinese by default. Names come from the
  /// statement and trust files, so they are shown escaped.
  public func sentence(english: Bool = false) -> String {
    let unit = Text.escaped(statement.unit.name)
    let scope = statement.subtree ? (english ? " and the units below it" : "及其下属单位") : ""
    let counter = supervisors.map(Text.escaped)
    if english {
      let countersigned =
        counter.isEmpty
        ? "not yet countersigned by a supervisor"
        : "countersigned by \(counter.joined(separator: ", "))"
      let completeness =
        completenessChecked
        ? "Checked against the public log: every entry that belongs in this statement is in it."
        : "The lines are genuine, but completeness is unchecked: without --log DIR (the public log) nobody has checked that no entry was left out."
      var extra = ""
      if let publication {
        extra +=
          "Published in the public log at entry \(publication.seq) and not superseded by a correction (log of \(publication.treeSize) entries).\n"
      }
      if let previous = statement.previous {
        extra +=
          previousChecked
          ? "The opening balances equal the closing balances of the previous statement \(previous.hex.prefix(16))….\n"
          : "The opening balances were not checked against the previous statement \(previous.hex.prefix(16))… (give --previous FILE, or --log DIR holding it).\n"
      }
      return """
        Verified: the statement of \(unit)\(scope) for \(statement.period.name), signed by \(Text.escaped(treasurer)) and \(countersigned); \(lineCount) lines, each an entry of the ledger proven in the checkpoint of the first \(checkpoint.treeSize) entries signed by \(Text.escaped(logSigner)) and cosigned by \(witnesses.map(Text.escaped).joined(separator: ", ")); every total and balance recomputes from the lines.
        \(completeness)
        \(extra)
        """
    }
    let countersigned = counter.isEmpty ? "尚无监督员会签" : "由 \(counter.joined(separator: "、")) 会签"
    let completeness =
      completenessChecked
      ? "已对照公开日志核对：应列入本报表的记录全部在内。"
      : "各行记录真实无误，但未核对完整性：没有用 --log 指定公开日志，无法确认是否有记录被漏列。"
    var extra = ""
    if let publication {
      extra += "已在公开日志中以记录 #\(publication.seq) 发布，没有被更正报表取代（公开日志共 \(publication.treeSize) 条记录）。\n"
    }
    if let previous = statement.previous {
      extra +=
        previousChecked
        ? "各基金期初余额与上一期报表（\(previous.hex.prefix(16))…）的期末余额一致。\n"
        : "未核对期初余额与上一期报表（\(previous.hex.prefix(16))…）的期末余额：请用 --previous 指定上一期报表文件，或用含上一期报表的 --log。\n"
    }
    return """
      核验通过：\(unit)\(scope) \(statement.period.displayName)（\(statement.period.name)）的公示报表，由 \(Text.escaped(treasurer)) 签发，\(countersigned)；
      共 \(lineCount) 行，每行都是账本记录，包含在覆盖前 \(checkpoint.treeSize) 条记录的检查点中（\(Text.escaped(logSigner)) 签发，\(witnesses.map(Text.escaped).joined(separator: "、")) 联署）；各项合计与期初、期末余额均可由各行重算。
      \(completeness)
      \(extra)
      """
  }
}

extension Statement {
  /// Verifies the statement offline against the trust bundle: the
  /// checkpoint, its witnesses and ledger id; every line's bytes, hash and
  /// inclusion proof; the signatures and the signers' roles; every total and
  /// balance recomputed from the lines; the reversal marks. With
  /// `logEntries` (the first entries of the public log), also that no entry
  /// that belongs in the statement is missing. Failures name the line and
  /// the check (exit 1).
  public func verify(
    trust: TrustBundle, log: PublicLog?, previous earlier: Statement? = nil
  ) throws(AlmonerError) -> StatementVerification {
    var logEntries: [[UInt8]]?
    if let log {
      let size = try checkpointTreeSize()
      guard log.entries.count >= size else {
        throw .refused(.publicLogTooShort(count: log.entries.count, needed: size))
      }
      logEntries = Array(log.entries.prefix(Int(size)))
    }
    var verified = try verify(trust: trust, logEntries: logEntries)
    if let log { verified.publication = try publication(in: log.entries) }
    if let previous {
      guard
        let earlier = earlier
          ?? log?.statementFile(previous).flatMap({ try? Statement(parsing: $0) })
      else {
        if log != nil {
          throw .refused(
            .statementCheckFailed(
              .previous, detail: "公开日志中没有报表所写的上一期报表 \(PublicLogReader.statementPath(previous))"))
        }
        return verified
      }
      if let problem = openingProblem(previous: earlier) {
        throw .refused(.statementCheckFailed(.opening, detail: problem))
      }
      verified.previousChecked = true
    } else if earlier != nil {
      throw .refused(.statementPreviousNotNeeded)
    }
    return verified
  }

  /// Verifies the statement offline (see `verify(trust:log:previous:)`);
  /// with `logEntries`, the public log's first entries up to the
  /// statement's checkpoint, also its completeness.
  public func verify(trust: TrustBundle, logEntries: [[UInt8]]? = nil) throws(AlmonerError)
    -> StatementVerification
  {
    func fail(_ check: Refusal.StatementCheck, _ why: String) -> AlmonerError {
      .refused(.statementCheckFailed(check, detail: why))
    }
    // The checkpoint and the ledger.
    guard trust.ledgerID != .zero else {
      throw .refused(.trustFileWithoutLedgerID)
    }
    guard ledgerID == trust.ledgerID, origin == trust.origin else {
      throw fail(.ledger, "报表来自另一本账（\(origin)，账本 ID \(ledgerID.hex)），不是信任文件中的 \(trust.origin)")
    }
    let witnessed: CheckpointTrust.Verified
    do { witnessed = try CheckpointTrust.verify(note: checkpoint, trust: trust) } catch {
      throw fail(.checkpoint, error.message)
    }
    let tree = witnessed.checkpoint
    do {
      try MerkleVerification.verifyInclusion(
        leafHash: trust.ledgerID, leafIndex: 0, treeSize: UInt64(tree.treeSize),
        proof: ledgerProof, rootHash: tree.rootHash)
    } catch {
      throw fail(.checkpoint, "检查点的记录 #0（建账记录）不是账本 \(trust.ledgerID.hex) 的：这是另一本账的检查点（\(error)）")
    }

    // Every line: its bytes, hash and inclusion proof.
    var entries: [Entry] = []
    var lineIndex: [Int64: Int] = [:]
    for (index, line) in lines.enumerated() {
      let place = "第 \(index + 1) 行（记录 #\(line.seq)）"
      if let last = entries.last, line.seq <= last.seq {
        throw fail(.lineOrder, "\(place)：各行应按记录序号递增排列")
      }
      guard line.seq >= 0, line.seq < tree.treeSize else {
        throw fail(.inclusion, "\(place) 不在检查点覆盖的前 \(tree.treeSize) 条记录之内")
      }
      let entry: Entry
      do { entry = try Entry(canonical: line.entry) } catch {
        throw fail(.entry, "\(place)：\(error.message)")
      }
      guard entry.canonicalBytes == line.entry, entry.seq == line.seq else {
        throw fail(.entry, "\(place)：记录不是规范 JSON 编码，或序号与行不符")
      }
      do {
        try MerkleVerification.verifyInclusion(
          leafHash: SHA256.leafHash(line.entry), leafIndex: UInt64(line.seq),
          treeSize: UInt64(tree.treeSize), proof: line.proof, rootHash: tree.rootHash)
      } catch {
        throw fail(.inclusion, "\(place)：记录内容或其包含证明与检查点的默克尔根不符（\(error)）")
      }
      lineIndex[line.seq] = index
      entries.append(entry)
    }
    func place(_ seq: Int64) -> String {
      lineIndex[seq].map { "第 \($0 + 1) 行（记录 #\(seq)）" } ?? "记录 #\(seq)"
    }

    // Recompute the figures from the lines.
    let scope = Set(units.map(\.code))
    guard scope.contains(unit.code) else { throw fail(.unit, "报表所列单位不含 \(unit.code) 本身") }
    var calculator = StatementCalculator(scope: scope, period: period)
    for entry in entries {
      do { try calculator.add(entry) } catch {
        throw fail(
          .relatedEntry,
          "\(place(error.seq)) 引用的记录 #\(error.needed)（\(error.what)）不在报表中，无法重算它的金额")
      }
    }
    guard !calculator.overflowed else { throw fail(.totals, "各行金额合计超出上限") }
    try compareFigures(calculator, openingFromLines: false, fail: fail)

    // Reversal marks.
    for (index, line) in lines.enumerated() {
      let entry = entries[index]
      if let by = line.reversedBy {
        guard let reversal = lineIndex[by].map({ entries[$0] }),
          case .reversal(let body) = reversal.body, body.seq == line.seq
        else {
          throw fail(.reversalMarks, "\(place(line.seq)) 标为被记录 #\(by) 冲销，而报表中没有这条冲销记录")
        }
      }
      if case .reversal(let body) = entry.body, case let target = body.seq,
        let targetIndex = lineIndex[target], lines[targetIndex].reversedBy != line.seq
      {
        throw fail(.reversalMarks, "\(place(target)) 已被\(place(line.seq))冲销，却没有标为已冲销")
      }
    }

    // Signatures: over the body's hash, by keys whose grants are lines.
    if let statedHash, statedHash != hash.hex {
      throw fail(.hash, "报表的 hash 字段与报表内容的哈希 \(hash.hex) 不符：报表内容被改动")
    }
    let message = Statement.signedMessage(hash: hash)
    let lineage = [unit.code] + parents.map(\.code)
    var treasurer: String?
    var supervisors: [String] = []
    var signedKeys = Set<String>()
    for (index, signature) in signatures.enumerated() {
      let which = "第 \(index + 1) 个签名（\(Text.escaped(signature.name))）"
      var roles = calculator.catalogue
      if !signature.grants.isEmpty {
        var merged: [Int64: Entry] = [:]
        for entry in entries { merged[entry.seq] = entry }
        for grant in signature.grants {
          let entry: Entry
          do {
            entry = try Entry(canonical: grant.entry)
            guard entry.canonicalBytes == grant.entry, entry.seq == grant.seq else {
              throw AlmonerError.refused(.entryNotCanonical)
            }
            try MerkleVerification.verifyInclusion(
              leafHash: SHA256.leafHash(grant.entry), leafIndex: UInt64(grant.seq),
              treeSize: UInt64(tree.treeSize), proof: grant.proof, rootHash: tree.rootHash)
          } catch {
            throw fail(.signature, "\(which) 所附的授权记录 #\(grant.seq) 无法核实（\(error)）")
          }
          merged[entry.seq] = entry
        }
        roles = StatementCatalogue()
        for seq in merged.keys.sorted() { roles.note(merged[seq]!) }
      }
      let proofs = StatementRoles.proofs(
        roles.roles[signature.keyID] ?? [], role: signature.role, unit: unit.code,
        lineage: lineage)
      guard let proof = proofs.first else {
        let role = signature.role == .treasurer ? "记账员或管理员" : "本单位或上级的监督员"
        throw fail(.signature, "\(which)：报表中没有授予密钥 \(signature.keyID) 为\(unit.code)\(role)的记录")
      }
      guard let publicKey = try? PublicKey(raw: proof.publicKey),
        publicKey.keyID == signature.keyID,
        publicKey.isValidSignature(signature.signature, for: message)
      else {
        throw fail(.signature, "\(which) 无效：报表内容在签名后被改动，或签名不是该密钥所签")
      }
      guard signedKeys.insert(signature.keyID).inserted else {
        throw fail(.signature, "\(which)：同一密钥签了两次")
      }
      switch signature.role {
      case .treasurer: treasurer = treasurer ?? signature.name
      case .supervisor: supervisors.append(signature.name)
      }
    }
    guard let treasurer else { throw fail(.signature, "报表没有记账员或管理员的签名") }

    var completeness = false
    if let logEntries {
      try checkComplete(
        against: logEntries, tree: tree, lineIndex: lineIndex, fail: fail)
      completeness = true
    }
    return StatementVerification(
      statement: self, checkpoint: tree, logSigner: witnessed.logSigner,
      witnesses: witnessed.cosigners, treasurer: treasurer, supervisors: supervisors,
      completenessChecked: completeness, lineCount: lines.count)
  }

  /// Compares the stated figures with the recomputed ones, naming the fund
  /// and the figure that differ. Offline the opening balances are the
  /// statement's own; closing must still equal opening + in − out.
  private func compareFigures(
    _ calculator: StatementCalculator, openingFromLines: Bool,
    fail: (Refusal.StatementCheck, String) -> AlmonerError
  ) throws(AlmonerError) {
    var seen = Set<String>()
    for stated in funds {
      let fund = "基金「\(Text.escaped(stated.name))」（\(stated.code)）"
      guard seen.insert(stated.code).inserted else { throw fail(.totals, "\(fund) 列了两次") }
      var computed =
        calculator.funds[stated.code]
        ?? FundFigures(code: stated.code, name: stated.name, restricted: stated.restricted)
      if !openingFromLines {
        computed.closingFen = stated.openingFen + computed.closingFen - computed.openingFen
        computed.openingFen = stated.openingFen
      }
      let pairs: [(String, Int64, Int64)] =
        [
          ("期初余额", stated.openingFen, computed.openingFen),
          ("冲销", stated.reversalsFen, computed.reversalsFen),
          ("划拨收入", stated.allocationsInFen, computed.allocationsInFen),
          ("划拨支出", stated.allocationsOutFen, computed.allocationsOutFen),
          ("内部划转", stated.internalTransfersFen, computed.internalTransfersFen),
          ("定向资金释放转入", stated.releasesInFen, computed.releasesInFen),
          ("定向资金释放转出", stated.releasesOutFen, computed.releasesOutFen),
          ("期初余额转入", stated.openingBalancesFen, computed.openingBalancesFen),
        ]
        + Set(stated.donationsFen.keys).union(computed.donationsFen.keys).sorted().map {
          (
            "捐赠收入·\(Channel(rawValue: $0)?.displayName ?? $0)", stated.donationsFen[$0] ?? 0,
            computed.donationsFen[$0] ?? 0
          )
        }
        + Set(stated.disbursementsFen.keys).union(computed.disbursementsFen.keys).sorted().map {
          (
            "公益支出·\(PurposeCategory(rawValue: $0)?.displayName ?? $0)",
            stated.disbursementsFen[$0] ?? 0, computed.disbursementsFen[$0] ?? 0
          )
        }
      for (name, statedFen, computedFen) in pairs where statedFen != computedFen {
        throw fail(
          .totals,
          "\(fund)的\(name)：报表写 \(Money(fen: statedFen).displayText)，按各行记录重算为 \(Money(fen: computedFen).displayText)"
        )
      }
      let expected = stated.openingFen + stated.inFen - stated.outFen
      guard stated.closingFen == expected, computed.closingFen == expected else {
        throw fail(
          .balance,
          "\(fund)：期初 \(Money(fen: stated.openingFen).displayText) + 收入 \(Money(fen: stated.inFen).displayText) − 支出 \(Money(fen: stated.outFen).displayText) = \(Money(fen: expected).displayText)，报表期末余额却写 \(Money(fen: stated.closingFen).displayText)"
        )
      }
    }
    for code in calculator.fundOrder where !seen.contains(code) {
      throw fail(.totals, "各行记录涉及基金 \(code)，报表却没有列出它")
    }
  }

  /// Recomputes the statement from the public log's first entries and names
  /// any entry that belongs in it and is missing.
  private func checkComplete(
    against logEntries: [[UInt8]], tree: Checkpoint, lineIndex: [Int64: Int],
    fail: (Refusal.StatementCheck, String) -> AlmonerError
  ) throws(AlmonerError) {
    guard logEntries.count >= tree.treeSize else {
      throw fail(.publicLog, "公开日志只有 \(logEntries.count) 条记录，少于报表检查点的 \(tree.treeSize) 条")
    }
    var appender = MerkleAppender()
    let hasher = SHA256()
    var decoded: [Entry] = []
    for bytes in logEntries.prefix(Int(tree.treeSize)) {
      _ = appender.append(hasher.leafHash(bytes), hasher: hasher)
      do { decoded.append(try Entry(canonical: bytes)) } catch {
        throw fail(.publicLog, "记录 #\(decoded.count) 无法解析：\(error.message)")
      }
    }
    guard appender.rootHash(hasher: hasher) == tree.rootHash else {
      throw fail(.publicLog, "公开日志前 \(tree.treeSize) 条记录的默克尔根与报表的检查点不符：这不是同一本账的日志，或日志被改动")
    }
    var catalogue = StatementCatalogue()
    for entry in decoded { catalogue.note(entry) }
    let expectedScope = subtree ? catalogue.subtree(of: unit.code) : [unit.code]
    guard Set(expectedScope) == Set(units.map(\.code)) else {
      throw fail(
        .completeness,
        "报表所列单位（\(units.map(\.code).joined(separator: "、"))）与公开日志中\(unit.code)\(subtree ? "及其下属单位" : "")（\(expectedScope.joined(separator: "、"))）不符"
      )
    }
    var calculator = StatementCalculator(scope: Set(expectedScope), period: period)
    for entry in decoded {
      do { try calculator.add(entry) } catch {
        throw fail(.publicLog, "记录 #\(error.seq) 引用的记录 #\(error.needed) 不存在")
      }
    }
    for seq in calculator.counted where lineIndex[seq] == nil {
      let entry = decoded[Int(seq)]
      let effects = try? calculator.catalogue.effects(of: entry, scope: Set(expectedScope)).effects
      let amount = effects?.first.map { "，\(Money(fen: $0.amountFen).displayText)" } ?? ""
      throw fail(
        .completeness,
        "公开日志记录 #\(seq)（\(entry.kind.displayName)，\(entry.date)\(amount)）属于本报表的期间和单位，报表中却没有列出：报表漏列了这条记录"
      )
    }
    for (seq, by) in calculator.catalogue.reversals where lineIndex[seq] != nil {
      guard lines[lineIndex[seq]!].reversedBy == by else {
        throw fail(.reversalMarks, "记录 #\(seq) 已被公开日志记录 #\(by) 冲销，报表却没有标为已冲销")
      }
    }
    try compareFigures(calculator, openingFromLines: true, fail: fail)
    for signature in signatures {
      if let retired = calculator.catalogue.retired[signature.keyID] {
        throw fail(
          .signature,
          "签名人 \(Text.escaped(signature.name)) 的密钥 \(signature.keyID) 已于公开日志记录 #\(retired) 撤销")
      }
    }
  }
}

/// Reads the entries of a published tlog-tiles log (`almoner publish DIR`).
public enum PublicLogReader {
  /// The text of the log's `checkpoint` file.
  static func checkpointText(in directory: String) throws(AlmonerError) -> String {
    let path = directory + "/checkpoint"
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(validating: data, as: UTF8.self)
    else {
      throw .refused(.publicLogCheckpointUnreadable(path: path))
    }
    return text
  }

  /// `statements/<hash hex>.json`: where a published statement's file is.
  public static func statementPath(_ hash: Hash32) -> String { "statements/\(hash.hex).json" }

  /// `statements/index.json`: the list of published statements.
  public static let statementIndexPath = "statements/index.json"
  public static let statementIndexFormat = "almoner-statement-index/v1"

  private static let publicationKind = Array(#""kind":"statement.publish""#.utf8)

  /// False when the entry's bytes can't be a `statement.publish` entry: a
  /// byte search, so a scan of a large log decodes only those entries.
  static func mayBePublication(_ bytes: [UInt8]) -> Bool {
    let needle = publicationKind
    guard bytes.count >= needle.count else { return false }
    var index = 0
    while index + needle.count <= bytes.count {
      if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) {
        return true
      }
      index += 1
    }
    return false
  }

  /// The first `count` entries' bytes from the entry bundles in `directory`.
  public static func entries(in directory: String, count: Int64) throws(AlmonerError) -> [[UInt8]] {
    var entries: [[UInt8]] = []
    var index: UInt64 = 0
    while Int64(entries.count) < count {
      let full = directory + "/" + TlogTiles.bundlePath(index: index)
      var path = full
      if !FileManager.default.fileExists(atPath: full) {
        let folder = full + ".p"
        let widths = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
          .compactMap { Int($0) }
        guard let width = widths.max() else {
          throw .refused(
            .publicLogBundleMissing(
              directory: directory, bundle: TlogTiles.bundlePath(index: index)))
        }
        path = folder + "/\(width)"
      }
      guard let data = FileManager.default.contents(atPath: path) else {
        throw .refused(.publicLogFileUnreadable(path: path))
      }
      let bytes = [UInt8](data)
      var offset = 0
      var inBundle = 0
      while offset < bytes.count {
        guard offset + 2 <= bytes.count else {
          throw .refused(.publicLogBundleTruncated(path: path))
        }
        let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
        offset += 2
        guard offset + length <= bytes.count else {
          throw .refused(.publicLogBundleTruncated(path: path))
        }
        entries.append(Array(bytes[offset..<offset + length]))
        offset += length
        inBundle += 1
      }
      guard inBundle > 0 else { throw .refused(.publicLogBundleEmpty(path: path)) }
      if inBundle < TlogTiles.width && Int64(entries.count) < count {
        throw .refused(.publicLogTooShort(count: entries.count, needed: count))
      }
      index += 1
    }
    return Array(entries.prefix(Int(count)))
  }
}
