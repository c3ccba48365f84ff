import AlmonerStore
import Foundation
import GRDB

/// What an audit covers: one unit's subtree (nil: the whole ledger) and a
/// period of accounting dates (either end open).
public struct AuditScope: Sendable, Equatable {
  public var unit: String?
  public var from: AccountingDate?
  public var to: AccountingDate?

  public init(unit: String? = nil, from: AccountingDate? = nil, to: AccountingDate? = nil) {
    self.unit = unit
    self.from = from
    self.to = to
  }

  func contains(_ date: AccountingDate) -> Bool {
    (from.map { date >= $0 } ?? true) && (to.map { date <= $0 } ?? true)
  }
}

/// Reads the log entry by entry during the audit's one pass, then says what
/// it found. The conduct rules (`ConductAuditor`, branch `conduct`) are one.
public protocol AuditEntryVisitor {
  mutating func visit(_ entry: LoggedEntry)
  mutating func finish() -> [AuditFinding]
}

/// What `almoner audit` found, and over what.
public struct AuditReport: Sendable {
  public var ledgerID: Hash32?
  public var origin: String
  public var scope: AuditScope
  /// The unit audited: the scope's, or the district for the whole ledger.
  public var unit: String
  /// `建设路社区（GA-BC-JSL）` for each unit a finding names, and the audited one.
  public var unitNames: [String: String]
  /// The day the audit ran, in the ledger's time zone.
  public var asOf: AccountingDate
  public var entryCount: Int64
  /// The hash of the last entry, as stored.
  public var headHash: Hash32?
  /// The Merkle root rebuilt from the entries' bytes.
  public var treeRoot: Hash32?
  /// SHA-256 of the conduct rules' canonical JSON.
  public var rulesHash: Hash32
  /// Most serious first, then by unit and entry.
  public var findings: [AuditFinding]

  public var isClean: Bool { findings.isEmpty }
}

extension Ledger {
  /// Checks the books over `scope` in one pass over the log: integrity
  /// (everything `verify ledger` checks, going on past a bad entry to name
  /// every one; stored checkpoints against the entries and each other;
  /// attachments; the schema), accounting (projections rebuilt from the log
  /// against the stored ones; each fund balanced; no money held below zero
  /// on any day; allocations sent = received + in transit) and conduct.
  ///
  /// `rules` are the supervisor's conduct rules (recorded by the hash of
  /// their canonical JSON).
  /// Throws `badInput` for an unknown unit or a period that ends before it
  /// starts: the audit could not run.
  public func audit(_ scope: AuditScope, rules: ConductRules = .defaults) throws(AlmonerError)
    -> AuditReport
  {
    try audit(scope, rulesJSON: rules.json) { scopeUnits, asOf in
      var conduct = ConductAuditor(
        rules: rules, units: scopeUnits, from: scope.from, to: scope.to, asOf: asOf)
      conduct.referenceIndex = LedgerReferenceIndex(ledger: self)
      return conduct
    }
  }

  /// `audit(_:rules:)` with the conduct visitor made by `conduct` from the
  /// units in scope (nil: all) and the day of the audit.
  func audit(
    _ scope: AuditScope, rulesJSON rules: JSONValue,
    conduct makeConduct: (_ units: Set<String>?, _ asOf: AccountingDate) -> any AuditEntryVisitor
  ) throws(AlmonerError) -> AuditReport {
    if let from = scope.from, let to = scope.to, from > to {
      throw .refused(.periodReversed(from: from.description, to: to.description))
    }
    // Read leniently: a table dropped or edited in the file is a finding of
    // the audit, not a reason it can't run.
    let units =
      (try? read { db in try LedgerStore.unitRows(db) }) ?? []
    let parents = Dictionary(units.map { ($0.code, $0.parent) }) { first, _ in first }
    let names = Dictionary(units.map { ($0.code, "\($0.name)（\($0.code)）") }) { first, _ in first }
    var scopeUnits: Set<String>?
    if let unit = scope.unit {
      guard parents[unit] != nil else {
        let known = names.sorted { $0.key < $1.key }.prefix(12).map(\.value).joined(separator: "、")
        throw .refused(.unitUnknown(field: "--unit", what: "单位", text: unit, known: known))
      }
      scopeUnits = Set(
        parents.keys.filter { code in
          var current: String? = code
          var steps = 0
          while let here = current, steps <= parents.count {
            if here == unit { return true }
            current = parents[here] ?? nil
            steps += 1
          }
          return false
        })
    }
    let district = units.first { $0.parent == nil }?.code ?? ""
    let timeZone = (try? read { db in try LedgerStore.meta(db, "time_zone") }) ?? nil
    let asOf: AccountingDate
    if let zone = timeZone, let today = try? clock.today(in: zone) {
      asOf = today
    } else {
      asOf = try clock.today(in: "Asia/Shanghai")
    }
    let rulesHash = SHA256.hash(Canonical.encode(rules))

    var conduct = makeConduct(scopeUnits, asOf)

    let pass = try read { db in try AuditPass.run(db, scope: scope, visitor: &conduct) }
    var findings = pass.integrity.map(AuditFindings.finding(from:))
    let rebuilt = pass.state
    if let rebuilt {
      findings += attachmentProblems(in: rebuilt).map(AuditFindings.finding(from:))
      var accounting = AuditFindings.negativeBalances(pass.daily, state: rebuilt)
      accounting += AuditFindings.allocationBalance(rebuilt)
      accounting += statementFindings(rebuilt, units: scopeUnits, scope: scope)
      findings += accounting.filter { AuditFindings.inScope($0, units: scopeUnits) }
    }
    findings += conduct.finish()
    findings.sort(by: AuditFindings.order)
    var unitNames: [String: String] = [:]
    for code in Set(findings.flatMap(\.units) + [scope.unit ?? district]) {
      unitNames[code] = names[code] ?? code
    }
    return AuditReport(
      ledgerID: pass.report.ledgerID, origin: rebuilt?.origin ?? "", scope: scope,
      unit: scope.unit ?? district, unitNames: unitNames, asOf: asOf,
      entryCount: pass.report.entryCount, headHash: pass.headHash, treeRoot: pass.report.treeRoot,
      rulesHash: rulesHash, findings: findings)
  }
}

extension ConductAuditor: AuditEntryVisitor {}

/// The audit's one read transaction: the verifier's replay (going on past
/// problems), with the stored checkpoints held against the rebuilt tree.
struct AuditPass {
  var report: VerificationReport
  var integrity: [VerificationReport.Problem]
  var state: LedgerState?
  var daily: [DailyKey: Int64]
  var headHash: Hash32?

  static func run(_ db: Database, scope: AuditScope, visitor: inout any AuditEntryVisitor) throws
    -> AuditPass
  {
    // Leniently: a dropped or edited table is reported by the replay.
    let checkpoints = (try? LedgerStore.checkpointRows(db)) ?? []
    var verifier = LedgerVerifier(db: db)
    verifier.reportsAll = true
    verifier.wantedTreeSizes = Set(checkpoints.map(\.size))
    var visiting = visitor
    verifier.visit = { visiting.visit($0) }
    let replayed = try verifier.replayAll()
    visitor = visiting
    var problems = replayed.report.problems
    // Every stored checkpoint against the entries, and each against the
    // one before it, with the consistency proof a supervisor would be given.
    let count = replayed.report.entryCount
    var previous: (seq: Int64, size: Int64, root: Hash32)?
    let tree = MerkleTree(source: DatabaseMerkleSource(db: db))
    for checkpoint in checkpoints {
      guard let root = checkpoint.root, checkpoint.size >= 0, checkpoint.size <= count else {
        problems.append(
          .init(
            seq: checkpoint.seq,
            message: "检查点表中的记录数 \(checkpoint.size) 或根哈希无效（账本共 \(count) 条记录）",
            code: "checkpoint-root-mismatch", table: "checkpoint"))
        continue
      }
      if let rebuilt = replayed.roots[checkpoint.size], !rebuilt.constantTimeEquals(root) {
        problems.append(
          .init(
            seq: checkpoint.seq,
            message:
              "检查点（前 \(checkpoint.size) 条记录）的根哈希 \(root.hex) 与按记录重算的 \(rebuilt.hex) 不符：检查点签发后这些记录被改写，或检查点表被改动",
            code: "checkpoint-root-mismatch", table: "checkpoint"))
      }
      if let earlier = previous, earlier.size <= checkpoint.size {
        let consistent: Bool
        do {
          let proof = try tree.consistencyProof(
            oldSize: UInt64(earlier.size), newSize: UInt64(checkpoint.size))
          try MerkleVerification.verifyConsistency(
            oldSize: UInt64(earlier.size), newSize: UInt64(checkpoint.size), oldRoot: earlier.root,
            newRoot: root, proof: proof)
          consistent = true
        } catch {
          consistent = false
        }
        if !consistent {
          problems.append(
            .init(
              seq: checkpoint.seq,
              message:
                "检查点（前 \(checkpoint.size) 条记录）与上一个检查点（记录 #\(earlier.seq)，前 \(earlier.size) 条）不一致：一致性证明不成立，历史被改写",
              code: "checkpoint-inconsistent", table: "checkpoint", relatedSeqs: [earlier.seq]))
        }
      }
      previous = (checkpoint.seq, checkpoint.size, root)
    }
    let head = (try? LedgerStore.head(db)) ?? nil
    return AuditPass(
      report: replayed.report, integrity: problems, state: replayed.state, daily: replayed.daily,
      headHash: head?.hash)
  }
}
