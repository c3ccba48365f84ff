import Foundation

/// Text (Chinese, columns aligned by display width) and JSON forms of what
/// the CLI prints. JSON shapes are fixed by the schemas in `Schemas/json/`.
public enum Rendering {
  /// Canonical JSON text plus a newline: compact, stable, parseable.
  public static func json(_ value: JSONValue) -> String {
    String(decoding: Canonical.encode(value), as: UTF8.self) + "\n"
  }

  // MARK: Appended entries

  public static func appendedJSON(_ appended: AppendedEntry) -> JSONValue {
    .object([
      "seq": .integer(appended.seq),
      "hash": .string(appended.hash.hex),
      "kind": .string(appended.entry.kind.rawValue),
      "date": .string(appended.entry.date.text),
    ])
  }

  // MARK: Balances

  public static func balanceText(_ report: BalanceReport) -> String {
    let unit = report.unit
    var out = "\(Text.escaped(unit.name))（\(Text.escaped(unit.code))）\(unit.tier.displayName)"
    out += report.asOf.map { " · 截至 \($0) 日终" } ?? " · 当前余额"
    out += "\n\n本单位\n" + table(report.own)
    if let subtree = report.subtree {
      let counts = [Tier.street, .community].compactMap { tier in
        report.subtreeUnitCounts[tier].map { "\($0) 个\(tier.displayName)" }
      }
      let scope = counts.isEmpty ? "本单位" : "本单位及下辖 " + counts.joined(separator: "、")
      out += "\n\n下辖合计（\(scope)）\n" + table(subtree)
    }
    out += "\n"
    return out + incomingText(report.incoming, asOf: report.asOf)
  }

  private static func table(_ lines: [BalanceLine]) -> String {
    guard !lines.isEmpty else { return "  （无余额）" }
    let rows =
      [["基金", "账户", "金额（元）"]]
      + lines.map { [$0.fundName, $0.account.displayName, Money(fen: $0.amountFen).groupedText] }
    return Text.table(rows, rightAligned: [2], indent: "  ")
  }

  public static func balanceJSON(_ report: BalanceReport) -> JSONValue {
    func lines(_ lines: [BalanceLine]) -> JSONValue {
      .array(
        lines.map {
          .object([
            "fund": .string($0.fundCode), "fundName": .string($0.fundName),
            "account": .string($0.account.name), "accountName": .string($0.account.displayName),
            "amountFen": .integer($0.amountFen),
          ])
        })
    }
    var object: JSONObject = [
      "unit": .string(report.unit.code),
      "unitName": .string(report.unit.name),
      "tier": .string(report.unit.tier.rawValue),
      "asOf": report.asOf.map { .string($0.text) } ?? .null,
      "own": lines(report.own),
    ]
    object["subtree"] = report.subtree.map(lines) ?? .null
    object["incoming"] = incomingJSON(report.incoming)
    return .object(object)
  }

  // MARK: Journal

  public static func journalText(_ lines: [JournalLine]) -> String {
    var out = ""
    try? streamJournalText({ each in for line in lines { try each(line) } }, write: { out += $0 })
    return out
  }

  public static func journalJSON(_ lines: [JournalLine]) -> JSONValue {
    .array(lines.map(journalLineJSON))
  }

  static func journalLineJSON(_ line: JournalLine) -> JSONValue {
    .object([
      "seq": .integer(line.seq),
      "hash": .string(line.hash.hex),
      "date": .string(line.entry.date.text),
      "time": .string(line.entry.time),
      "kind": .string(line.entry.kind.rawValue),
      "author": .string(line.entry.author),
      "signer": .string(line.signer),
      "units": .array(line.units.map { .string($0) }),
      "amountFen": line.amountFen.map { .integer($0) } ?? .null,
      "summary": .string(line.summary),
      "reversedBy": line.reversedBy.map { .integer($0) } ?? .null,
      "reverses": line.reverses.map { .integer($0) } ?? .null,
      "entry": line.entry.json,
    ])
  }

  // MARK: Verification

  public static func verificationText(_ report: VerificationReport) -> String {
    var out = ""
    if report.isClean {
      out += "账本完整：共 \(report.entryCount) 条记录、\(report.commitCount) 次签名提交，全部核验通过。\n"
      out += "  哈希链、每次提交的签名及签署人权限、余额不变式、投影表重建比对均一致。\n"
    } else {
      out += "账本核验失败，发现 \(report.problems.count) 个问题：\n"
      // Problems quote text from the ledger file: shown escaped, one line each.
      for problem in report.problems { out += "  ✗ \(Text.escaped(problem.description))\n" }
      if let last = report.lastVerifiedSeq {
        out += "最后一条核验通过的记录：记录 #\(last)。\n"
      } else {
        out += "没有任何记录核验通过。\n"
      }
    }
    if let id = report.ledgerID { out += "账本 ID：\(id.hex)\n" }
    if let head = report.headHash, report.isClean { out += "最新记录哈希：\(head.hex)\n" }
    out += witnessingText(report)
    return out
  }

  /// The newest cosigned checkpoint and what no supervisor has seen yet:
  /// the part of the log a cut or an older copy could hide.
  static func witnessingText(_ report: VerificationReport) -> String {
    guard let unwitnessed = report.unwitnessedEntryCount else { return "" }
    var out = "监督员见证："
    if let newest = report.newestCosignedCheckpoint {
      let names = newest.cosigners.map(\.name).joined(separator: "、")
      out +=
        "最新的联署检查点是记录 #\(newest.seq)，覆盖前 \(newest.treeSize) 条记录（联署：\(names)）；"
        + "此后 \(unwitnessed) 条记录（含检查点及联署记录本身）尚无监督员见证。\n"
    } else {
      out += "账本中还没有监督员联署的检查点，全部 \(unwitnessed) 条记录尚无监督员见证。\n"
    }
    out +=
      "  账本文件无法证明自己的末尾没有被删去：请用 --witness 对照监督员的联署记录（<私钥>.witness.json），"
      + "或用 --checkpoint 对照已联署的检查点。\n"
    return out
  }

  public static func verificationJSON(_ report: VerificationReport) -> JSONValue {
    .object([
      "ok": .bool(report.isClean),
      "ledgerId": report.ledgerID.map { .string($0.hex) } ?? .null,
      "entries": .integer(report.entryCount),
      "commits": .integer(Int64(report.commitCount)),
      "lastVerifiedSeq": report.lastVerifiedSeq.map { .integer($0) } ?? .null,
      "headHash": report.headHash.map { .string($0.hex) } ?? .null,
      "cosignedCheckpoint": report.newestCosignedCheckpoint.map { newest in
        .object([
          "seq": .integer(newest.seq), "treeSize": .integer(newest.treeSize),
          "cosigners": .array(
            newest.cosigners.map {
              .object(["keyId": .string($0.keyID), "name": .string($0.name)])
            }
          ),
        ])
      } ?? .null,
      "unwitnessedEntries": report.unwitnessedEntryCount.map { .integer($0) } ?? .null,
      "problems": .array(
        report.problems.map {
          .object([
            "seq": $0.seq.map { .integer($0) } ?? .null,
            "message": .string($0.message),
          ])
        }),
    ])
  }
}

extension Rendering {
  // MARK: Units and members

  public static func unitTreeText(_ state: LedgerState) -> String {
    var rows: [[String]] = [["代码", "名称", "层级"]]
    func visit(_ code: String, depth: Int) {
      guard let unit = state.units[code] else { return }
      rows.append([
        String(repeating: "  ", count: depth) + unit.code, unit.name, unit.tier.displayName,
      ])
      for child in state.units.values.filter({ $0.parent == code }).sorted(by: { $0.code < $1.code }
      ) {
        visit(child.code, depth: depth + 1)
      }
    }
    if let district = state.district { visit(district.code, depth: 0) }
    return Text.table(rows) + "\n"
  }

  public static func unitsJSON(_ state: LedgerState) -> JSONValue {
    .array(
      state.units.values.sorted { $0.code < $1.code }.map { unit in
        .object([
          "code": .string(unit.code), "name": .string(unit.name),
          "tier": .string(unit.tier.rawValue),
          "parent": unit.parent.map { .string($0) } ?? .null,
          "createdSeq": .integer(unit.createdSeq),
        ])
      })
  }

  public static func membersText(_ state: LedgerState) -> String {
    let rows =
      [["密钥 ID", "姓名", "单位", "角色", "状态"]]
      + state.grants.map { grant in
        [
          grant.keyID, grant.name, state.units[grant.unit]?.name ?? grant.unit,
          grant.role.displayName,
          grant.revokedSeq.map { seq in
            state.rotatedTo(grant.keyID) == nil ? "已撤销（记录 #\(seq)）" : "已换新密钥（记录 #\(seq)）"
          } ?? "有效",
        ]
      }
    return Text.table(rows) + "\n"
  }

  public static func membersJSON(_ state: LedgerState) -> JSONValue {
    .array(
      state.grants.map { grant in
        .object([
          "keyId": .string(grant.keyID), "name": .string(grant.name), "unit": .string(grant.unit),
          "role": .string(grant.role.rawValue), "grantedSeq": .integer(grant.grantedSeq),
          "revokedSeq": grant.revokedSeq.map { .integer($0) } ?? .null,
          "personId": .string(state.personID(of: grant.keyID)),
        ])
      })
  }
}

extension Rendering {
  // MARK: Checkpoints

  public static func checkpointsText(_ summaries: [CheckpointSummary]) -> String {
    guard !summaries.isEmpty else { return "（尚未签发检查点）\n" }
    let rows =
      [["序号", "覆盖记录数", "默克尔根（base64，同检查点文件）", "签发人", "联署人"]]
      + summaries.map {
        [
          "\($0.record.seq)", "\($0.record.treeSize)",
          // As the checkpoint file writes it (C2SP tlog-checkpoint: base64).
          Data($0.record.rootHash.bytes).base64EncodedString(),
          $0.signer, $0.cosigners.isEmpty ? "（无）" : $0.cosigners.map(\.name).joined(separator: "、"),
        ]
      }
    return Text.table(rows, rightAligned: [0, 1]) + "\n"
  }

  public static func checkpointsJSON(_ summaries: [CheckpointSummary]) -> JSONValue {
    .array(
      summaries.map { summary in
        .object([
          "seq": .integer(summary.record.seq),
          "treeSize": .integer(summary.record.treeSize),
          "rootHash": .string(summary.record.rootHash.hex),
          "signer": .string(summary.signer),
          "cosigners": .array(
            summary.cosigners.map {
              .object([
                "keyId": .string($0.keyID), "name": .string($0.name), "seq": .integer($0.seq),
              ])
            }),
          "note": .string(summary.cosignedNote),
        ])
      })
  }
}
