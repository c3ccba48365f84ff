import Foundation
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

/// The `audit` and `audit.note` entries: their bytes (checked with Python's
/// json and hashlib, independently of this program) and their rules.
@Suite("Audit entries: bytes and rules")
struct AuditEntryTests {
  static let auditBody = AuditBody(
    findingCount: 300,
    findings: [
      .init(code: "entry-hash-mismatch", seqs: [9]), .init(code: "schema-changed", seqs: nil),
    ], from: try? AccountingDate("2026-07-01"), report: SHA256.hash(Array("report".utf8)),
    rules: SHA256.hash(Array("rules".utf8)), to: try? AccountingDate("2026-09-30"), unit: "GA-BC")

  @Test(
    "audit and audit.note bytes and hashes are Python's sorted compact JSON and hashlib SHA-256(0x00 ‖ bytes)"
  )
  func bytesMatchPython() throws {
    let prev = SHA256.hash(Array("prev".utf8))
    let date = try AccountingDate("2026-10-08")
    let audit = Entry(
      seq: 41, prev: prev, time: "2026-10-08T02:00:00Z", date: date,
      author: "ed25519:0123456789abcdef", body: .audit(Self.auditBody))
    let note = Entry(
      seq: 42, prev: SHA256.leafHash(audit.canonicalBytes), time: "2026-10-08T02:05:00Z",
      date: date, author: "ed25519:0123456789abcdef",
      body: .auditNote(AuditNoteBody(audit: 41, text: "记录 #9 系导入时损坏，已从备份核实")))
    let script = #"""
      import hashlib, json, sys
      prev = hashlib.sha256(b"prev").hexdigest()
      audit = {"v": 1, "seq": 41, "prev": prev, "time": "2026-10-08T02:00:00Z", "date": "2026-10-08",
               "kind": "audit", "author": "ed25519:0123456789abcdef",
               "body": {"unit": "GA-BC", "from": "2026-07-01", "to": "2026-09-30", "findingCount": 300,
                        "report": hashlib.sha256(b"report").hexdigest(),
                        "rules": hashlib.sha256(b"rules").hexdigest(),
                        "findings": [{"code": "entry-hash-mismatch", "seqs": [9]}, {"code": "schema-changed"}]}}
      def encode(value):
          return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
      audit_bytes = encode(audit)
      audit_hash = hashlib.sha256(b"\x00" + audit_bytes).hexdigest()
      note = {"v": 1, "seq": 42, "prev": audit_hash, "time": "2026-10-08T02:05:00Z", "date": "2026-10-08",
              "kind": "audit.note", "author": "ed25519:0123456789abcdef",
              "body": {"audit": 41, "text": "记录 #9 系导入时损坏，已从备份核实"}}
      note_bytes = encode(note)
      print(audit_bytes.hex())
      print(audit_hash)
      print(note_bytes.hex())
      print(hashlib.sha256(b"\x00" + note_bytes).hexdigest())
      """#
    let result = try run(which("python3") ?? "/usr/bin/python3", ["-c", script])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    try #require(lines.count == 4)
    #expect(Hex.encode(audit.canonicalBytes) == lines[0])
    #expect(SHA256.leafHash(audit.canonicalBytes).hex == lines[1])
    #expect(Hex.encode(note.canonicalBytes) == lines[2])
    #expect(SHA256.leafHash(note.canonicalBytes).hex == lines[3])
    // And they read back to the same typed entries.
    #expect(try Entry(canonical: audit.canonicalBytes) == audit)
    #expect(try Entry(canonical: note.canonicalBytes) == note)
  }

  @Test("a supervisor of the unit or a tier above, or an admin, records an audit; it verifies")
  func recordAndNote() throws {
    let f = try Fixture()
    try f.donate("100")
    let ledger = f.ledger
    let report = try ledger.audit(AuditScope(unit: "GA-BC-JSL"))
    #expect(report.isClean)
    let recorded = try ledger.recordAudit(report, signer: f.supervisor)
    guard case .audit(let body) = recorded.entry.body else {
      Issue.record("not an audit entry")
      return
    }
    #expect(body.unit == "GA-BC-JSL")
    #expect(body.report == report.hash)
    #expect(body.rules == report.rulesHash)
    #expect(body.findingCount == 0 && body.findings == nil)
    let note = try ledger.noteAudit(seq: recorded.seq, text: "  已核对  ", signer: f.supervisor)
    #expect(note.entry.body == .auditNote(AuditNoteBody(audit: recorded.seq, text: "已核对")))
    try ledger.recordAudit(try ledger.audit(AuditScope()), signer: f.admin)
    #expect(try ledger.verify().isClean)
    // The audit entries change no table: the next write from a fresh
    // process still trusts the sealed state.
    try Ledger.open(at: f.path, clock: Fixture.fixedClock).donate(
      DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 100), donor: "周七", channel: .cash),
      signer: f.communityTreasurer)
    #expect(try ledger.audit(AuditScope()).isClean)
  }

  @Test("audits by someone not supervising the unit, and notes on other entries, are refused")
  func refused() throws {
    let f = try Fixture()
    let donation = try f.donate("100")
    let report = try f.ledger.audit(AuditScope(unit: "GA-BC-JSL"))
    try expectRefused(f, code: .roleRequired, containing: "监督员或管理员") {
      try f.ledger.recordAudit(report, signer: f.communityTreasurer)
    }
    // 郑华 supervises 北城街道 (GA-BC), not the district.
    let whole = try f.ledger.audit(AuditScope())
    try expectRefused(f, code: .roleRequired, containing: "广安区（GA）的监督员或管理员") {
      try f.ledger.recordAudit(whole, signer: f.supervisor)
    }
    try expectRefused(f, code: .auditNoteTargetNotAudit) {
      try f.ledger.noteAudit(seq: donation.seq, text: "说明", signer: f.supervisor)
    }
    try expectRefused(f, code: .entryMissing) {
      try f.ledger.noteAudit(seq: 999, text: "说明", signer: f.supervisor)
    }
    let recorded = try f.ledger.recordAudit(report, signer: f.supervisor)
    try expectRefused(f, code: .roleRequired, containing: "监督员或管理员") {
      try f.ledger.noteAudit(seq: recorded.seq, text: "说明", signer: f.communityTreasurer)
    }
    try expectRefused(f, code: .textEmpty) {
      try f.ledger.noteAudit(seq: recorded.seq, text: "  ", signer: f.supervisor)
    }
  }

  @Test("a body listing seqs out of order or after itself, or a bad code, is refused")
  func bodyChecks() throws {
    var body = Self.auditBody
    #expect(throws: Never.self) { try body.validate(seq: 10) }
    body.findings = [.init(code: "x", seqs: [3, 2])]
    #expect(throws: AlmonerError.self) { try body.validate(seq: 10) }
    body.findings = [.init(code: "x", seqs: [10])]
    #expect(throws: AlmonerError.self) { try body.validate(seq: 10) }
    body.findings = [.init(code: "Not Kebab", seqs: nil)]
    #expect(throws: AlmonerError.self) { try body.validate(seq: 10) }
    body.findings = nil
    body.findingCount = -1
    #expect(throws: AlmonerError.self) { try body.validate(seq: 10) }
  }

  @Test("more findings than an entry lists: the first 256 are listed, the count is kept")
  func manyFindings() throws {
    let f = try Fixture()
    for index in 0..<10 { try f.donate("\(index + 1)") }
    var report = try f.ledger.audit(AuditScope(unit: "GA-BC"))
    report.findings = (0..<300).map { index in
      AuditFinding(
        code: "split-request", severity: .warning, units: ["GA-BC-JSL"],
        seqs: Array(0..<Int64(20)).map { _ in Int64(index % 5) } + (0..<20).map { Int64($0) },
        message: "拆分申请", messageEnglish: "split")
    }
    let recorded = try f.ledger.recordAudit(report, signer: f.supervisor)
    guard case .audit(let body) = recorded.entry.body else {
      Issue.record("not an audit entry")
      return
    }
    #expect(body.findingCount == 300)
    #expect(body.findings?.count == AuditBody.findingsMax)
    #expect(body.findings?.first?.seqs == Array(0..<Int64(16)))
    #expect(try f.ledger.verify().isClean)
  }
}
