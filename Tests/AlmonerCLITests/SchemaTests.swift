import AlmonerKit
import Foundation
import Testing

/// Validates real `--format json` output against the JSON Schemas in
/// `Schemas/json/` with Python's `jsonschema` (draft 2020-12) — an
/// implementation independent of this program.
@Suite(
  "JSON output against Schemas/json",
  .enabled(if: Python.hasJSONSchema, "needs python3 with jsonschema"))
struct SchemaTests {
  static let schemaFiles = [
    "allocation-list.schema.json", "appended-entry.schema.json", "audit.schema.json",
    "balance-period.schema.json", "balance.schema.json", "checkpoint-create.schema.json",
    "checkpoints.schema.json", "conduct-rules.schema.json", "disbursement-list.schema.json",
    "disbursement-update.schema.json", "disbursement.schema.json",
    "entry-supervision.schema.json", "entry.schema.json", "fund-list.schema.json",
    "import.schema.json", "init.schema.json", "journal.schema.json",
    "key-new.schema.json", "member-rotate.schema.json", "members.schema.json", "policy.schema.json",
    "proof-consistency.schema.json",
    "proof-inclusion.schema.json", "publish.schema.json", "receipt.schema.json",
    "statement-index.schema.json", "statement.schema.json", "trust.schema.json",
    "units.schema.json", "verify-ledger.schema.json",
  ]

  @Test("the schema files are there, each a valid draft 2020-12 schema with its own $id")
  func schemaFilesAreValid() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Paths.schemas.path)
      .filter { $0.hasSuffix(".schema.json") }.sorted()
    #expect(names == SchemaTests.schemaFiles)
    for name in names {
      let text = try String(contentsOf: Paths.schemas.appendingPathComponent(name), encoding: .utf8)
      let schema = try parseJSON(text).objectValue
      #expect(
        schema?["$schema"]?.stringValue == "https://json-schema.org/draft/2020-12/schema", "\(name)"
      )
      #expect(schema?["$id"]?.stringValue?.hasSuffix("/" + name) == true, "\(name)")
      #expect(schema?["description"]?.stringValue?.isEmpty == false, "\(name)")
    }
    // An empty batch still meta-validates every schema.
    let ws = try Workspace.empty()
    try SchemaBatch(ws).validate()
  }

  @Test("every JSON-producing command's output matches its schema, and is canonical JSON")
  func commandOutputsMatchSchemas() throws {
    let ws = try Workspace.fixture()
    let batch = SchemaBatch(ws)
    for (label, schema, result, status) in try SchemaTests.exerciseEveryCommand(ws) {
      #expect(result.status == status, "\(label): \(result)")
      #expect(result.stderr.isEmpty, "\(label): \(result)")
      #expect(result.stdout.hasSuffix("}\n") || result.stdout.hasSuffix("]\n"), "\(label)")
      let bytes = Array(result.stdout.utf8.dropLast())
      #expect(Canonical.isCanonical(bytes), "\(label) is not RFC 8785 canonical: \(result.stdout)")
      try batch.add(label, schema: schema, json: result.stdout)
    }
    // The public log's statement index and the statement file in it.
    let index = String(decoding: try ws.read("public-log/statements/index.json"), as: UTF8.self)
    try batch.add("statement index", schema: "statement-index.schema.json", json: index)
    let file = try #require(
      parseJSON(index).objectValue?["statements"]?.arrayValue?.first?.objectValue?["file"]?
        .stringValue)
    try batch.add(
      "published statement", schema: "statement.schema.json",
      json: String(decoding: try ws.read("public-log/" + file), as: UTF8.self))
    try batch.validate()
  }

  @Test("every journal entry matches entry.schema.json; hashes and links recomputed in Python")
  func journalEntriesMatchEntrySchema() throws {
    let ws = try Workspace.fixture()
    _ = try SchemaTests.exerciseEveryCommand(ws)
    let journal = try ws.run("journal", "--format", "json")
    #expect(journal.status == 0, "\(journal)")
    let lines = try parseJSON(journal.stdout).arrayValue ?? []
    let kinds = Set(lines.compactMap { $0.objectValue?["kind"]?.stringValue })
    #expect(kinds == Set(EntryKind.allCases.map(\.rawValue)), "the ledger should hold every kind")
    for (index, line) in lines.enumerated() {
      let object = line.objectValue
      let entry = object?["entry"]?.objectValue
      #expect(object?["seq"]?.integerValue == Int64(index))
      for field in ["seq", "date", "time", "kind", "author"] {
        #expect(
          object?[field] == entry?[field], "journal[\(index)].\(field) differs from its entry")
      }
    }
    let batch = SchemaBatch(ws)
    try batch.add("journal", schema: "journal.schema.json", json: journal.stdout)
    try batch.add(
      "journal entry", schema: "entry.schema.json", json: journal.stdout, each: "entry",
      checkChain: true)
    try batch.validate()
  }

  @Test("the schemas refuse malformed instances (they are not vacuous)")
  func schemasRefuseMalformed() throws {
    let ws = try Workspace.fixture()
    let journal = try parseJSON(try ws.run("journal", "--format", "json").stdout).arrayValue ?? []
    func entry(_ seq: Int) -> JSONObject { journal[seq].objectValue?["entry"]?.objectValue ?? [:] }
    func with(_ object: JSONObject, _ key: String, _ value: JSONValue?) -> JSONObject {
      var copy = object
      copy[key] = value
      return copy
    }
    let genesis = entry(0)
    let donation = entry(8)
    let donationBody = donation["body"]?.objectValue ?? [:]
    let unitAdd = entry(1)
    let batch = SchemaBatch(ws)
    // Sanity: the originals are valid.
    try batch.add("genesis", schema: "entry.schema.json", value: .object(genesis))
    try batch.add("donation", schema: "entry.schema.json", value: .object(donation))
    let bad: [(String, JSONObject)] = [
      ("unknown envelope field", with(donation, "note", .string("x"))),
      ("missing author", with(donation, "author", nil)),
      ("v 2", with(donation, "v", .integer(2))),
      ("unknown kind", with(donation, "kind", .string("donation.v2"))),
      ("bad author", with(donation, "author", .string("ed25519:XYZ"))),
      ("prev not hex", with(donation, "prev", .string(String(repeating: "g", count: 64)))),
      ("date 2026-13-01", with(donation, "date", .string("2026-13-01"))),
      ("time without Z", with(donation, "time", .string("2026-11-29T02:00:00+08:00"))),
      (
        "unknown body field",
        with(donation, "body", .object(with(donationBody, "memo", .string("x"))))
      ),
      (
        "amountFen 0", with(donation, "body", .object(with(donationBody, "amountFen", .integer(0))))
      ),
      (
        "amountFen as text",
        with(donation, "body", .object(with(donationBody, "amountFen", .string("100.00"))))
      ),
      (
        "channel paypal",
        with(donation, "body", .object(with(donationBody, "channel", .string("paypal"))))
      ),
      (
        "donor without commitment",
        with(
          donation, "body",
          .object(with(donationBody, "donor", .object(["display": "张*", "named": false]))))
      ),
      ("a unit.add body under kind donation", with(donation, "body", unitAdd["body"])),
      ("genesis at seq 1", with(genesis, "seq", .integer(1))),
      ("donation at seq 0", with(donation, "seq", .integer(0))),
      (
        "unit.add with tier district",
        with(
          unitAdd, "body",
          .object(with(unitAdd["body"]?.objectValue ?? [:], "tier", .string("district"))))
      ),
    ]
    for (label, object) in bad {
      try batch.add(label, schema: "entry.schema.json", value: .object(object), expectValid: false)
    }
    // Numbers JSONValue can't hold: over 2^53−1, and a fraction of a fen.
    let marked = String(
      decoding: Canonical.encode(
        .object(with(donation, "body", .object(with(donationBody, "amountFen", .integer(777_777)))))
      ),
      as: UTF8.self)
    #expect(marked.contains(":777777,"))
    for (label, number) in [
      ("amountFen over 2^53-1", "9007199254740992"), ("amountFen 100.5", "100.5"),
    ] {
      try batch.add(
        label, schema: "entry.schema.json",
        json: marked.replacingOccurrences(of: ":777777,", with: ":\(number),"), expectValid: false)
    }
    let appended: [(String, JSONValue)] = [
      (
        "donation with an id",
        [
          "seq": 12, "hash": .string(String(repeating: "a", count: 64)), "kind": "donation",
          "date": "2026-11-29", "id": 12,
        ]
      ),
      (
        "allocation.send without an id",
        [
          "seq": 12, "hash": .string(String(repeating: "a", count: 64)), "kind": "allocation.send",
          "date": "2026-11-29",
        ]
      ),
      (
        "genesis",
        [
          "seq": 0, "hash": .string(String(repeating: "a", count: 64)), "kind": "genesis",
          "date": "2026-11-29",
        ]
      ),
    ]
    for (label, value) in appended {
      try batch.add(label, schema: "appended-entry.schema.json", value: value, expectValid: false)
    }
    try batch.add(
      "community with a subtree", schema: "balance.schema.json",
      value: [
        "unit": "GA-BC-JSL", "unitName": "建设路社区", "tier": "community", "asOf": nil, "own": [],
        "subtree": [],
      ],
      expectValid: false)
    try batch.add(
      "balance line of zero", schema: "balance.schema.json",
      value: [
        "unit": "GA", "unitName": "广安区", "tier": "district", "asOf": nil,
        "own": [
          [
            "fund": "general", "fundName": "非定向基金", "account": "assets:bank", "accountName": "银行存款",
            "amountFen": 0,
          ]
        ],
        "subtree": [],
      ],
      expectValid: false)
    try batch.add(
      "ok with problems", schema: "verify-ledger.schema.json",
      value: [
        "ok": true, "ledgerId": nil, "entries": 1, "commits": 1, "lastVerifiedSeq": 0,
        "headHash": nil,
        "problems": [["seq": 0, "message": "坏了"]],
      ],
      expectValid: false)
    try batch.add(
      "district with a parent", schema: "units.schema.json",
      value: [["code": "GA", "name": "广安区", "tier": "district", "parent": "GB", "createdSeq": 0]],
      expectValid: false)
    try batch.validate()
  }

  /// DESIGN §2: money is integer fen, at most 2^53−1, so any JSON reader
  /// holds every amount exactly. Each account is capped, but a street's or
  /// the district's rolled-up total adds several units' accounts: it must
  /// stay within the limit too (by refusing the gift that would break it, or
  /// otherwise), so `balance --format json` always matches its schema.
  @Test("rolled-up balances stay within 2^53−1 fen in JSON")
  func rolledUpBalancesStayInRange() throws {
    let ws = try Workspace.fixture()
    // GA-BC-JSL's general bank holds ¥88.80; GA's ¥50,000.00. Fill JSL to the cap.
    let gift = try ws.run(
      "donate", "--unit", "GA-BC-JSL", "--amount", "90071992547321.11", "--donor", "测试", "--key",
      "jsl.pem")
    #expect(gift.status == 0 || gift.status == 2, "\(gift)")
    let batch = SchemaBatch(ws)
    for unit in ["GA", "GA-BC", "GA-BC-JSL"] {
      let balance = try ws.run("balance", "--unit", unit, "--format", "json")
      #expect(balance.status == 0, "\(balance)")
      try batch.add("balance \(unit)", schema: "balance.schema.json", json: balance.stdout)
    }
    let journal = try ws.run("journal", "--format", "json")
    try batch.add("journal", schema: "journal.schema.json", json: journal.stdout)
    try batch.validate()
  }

  /// Runs every command that prints JSON on the fixture, in an order that
  /// makes entries of every kind. Returns (label, schema, result, expected status).
  static func exerciseEveryCommand(_ ws: Workspace) throws -> [(String, String, CLIResult, Int32)] {
    var results: [(String, String, CLIResult, Int32)] = []
    func run(_ label: String, _ schema: String, status: Int32 = 0, _ arguments: String...) throws {
      results.append((label, schema, try ws.run(arguments + ["--format", "json"]), status))
    }
    let appended = "appended-entry.schema.json"
    try run("key new", "key-new.schema.json", "key", "new", "--name", "新人", "--out", "new.pem")
    try run(
      "init", "init.schema.json", "init", "--ledger", "fresh.db", "--district", "GB", "--name",
      "高坪区",
      "--key", "new.pem")
    try run(
      "init --origin", "init.schema.json", "init", "--ledger", "fresh2.db", "--district", "GB-1",
      "--name", "高坪区", "--origin", "almoner.example/gaoping", "--time-zone", "Asia/Urumqi",
      "--key", "new.pem")
    try run(
      "unit add", appended, "unit", "add", "GA-NM", "--name", "南门街道", "--parent", "GA", "--key",
      "admin.pem")
    try run(
      "member add", appended, "member", "add", "--unit", "GA-NM", "--role", "supervisor", "--name",
      "路人甲",
      "--public-key", "stranger.pem.pub", "--key", "admin.pem")
    try run(
      "fund open restricted", appended, "fund", "open", "elderly-canteen", "--unit", "GA-BC",
      "--name", "老龄食堂",
      "--restricted", "--purpose", "老年人助餐", "--key", "admin.pem")
    try run(
      "fund open general", appended, "fund", "open", "activity", "--unit", "GA-BC-JSL", "--name",
      "活动经费",
      "--key", "jsl.pem")
    try run(
      "donate", appended, "donate", "--unit", "GA-BC-JSL", "--amount", "66.6", "--donor", "周杰",
      "--named",
      "--fund", "activity", "--ref", "WX-0001", "--date", "2026-11-01", "--key", "jsl.pem")
    try run(
      "allocate", appended, "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "1000",
      "--key", "ga.pem")
    try run("allocate confirm", appended, "allocate", "confirm", "17", "--key", "bc.pem")
    try run(
      "allocate restricted", appended, "allocate", "--from", "GA", "--to", "GA-BC", "--amount",
      "100",
      "--fund", "老龄食堂", "--key", "ga.pem")
    try run("allocate void", appended, "allocate", "void", "19", "--key", "ga.pem")
    try run("reverse", appended, "reverse", "11", "--reason", "金额录错", "--key", "jsl.pem")
    try run("erase", appended, "erase", "10", "--key", "admin.pem")
    try run(
      "checkpoint create", "checkpoint-create.schema.json", "checkpoint", "create", "--key",
      "admin.pem", "--out", "cp.txt")
    try run(
      "checkpoint cosign", appended, "checkpoint", "cosign", "cp.txt", "--key", "stranger.pem")
    // A statement published, and a checkpoint that covers its publication.
    try ws.must(
      "statement", "create", "--unit", "GA-NM", "--period", "2026-10", "--key", "admin.pem",
      "--out", "nm-2026-10.json")
    try ws.must("statement", "cosign", "nm-2026-10.json", "--key", "stranger.pem")
    try ws.must("statement", "publish", "nm-2026-10.json", "--key", "admin.pem")
    try ws.must("checkpoint", "create", "--key", "admin.pem", "--out", "cp2.txt")
    try ws.must("checkpoint", "cosign", "cp2.txt", "--key", "stranger.pem")
    try run("checkpoint show", "checkpoints.schema.json", "checkpoint", "show")
    try run("publish", "publish.schema.json", "publish", "public-log")
    try run("proof inclusion", "proof-inclusion.schema.json", "proof", "inclusion", "3")
    try run(
      "proof inclusion --size", "proof-inclusion.schema.json", "proof", "inclusion", "3", "--size",
      "5")
    try run("proof consistency", "proof-consistency.schema.json", "proof", "consistency", "3", "10")
    // Three-tier supervision: policy, a paid, a rejected and a cancelled
    // disbursement, a release of restricted money, a reconciliation.
    let update = "disbursement-update.schema.json"
    func lastID() -> String {
      (try? parseJSON(results.last?.2.stdout ?? ""))?.objectValue?["id"]?.integerValue
        .map { "\($0)" } ?? "?"
    }
    try run("policy show", "policy.schema.json", "policy", "show")
    try run(
      "policy set", appended, "policy", "set", "--community-parent-above", "3000", "--key",
      "admin.pem")
    try run(
      "key new approver", "key-new.schema.json", "key", "new", "--name", "审批人", "--out",
      "approver.pem")
    try run(
      "member add approver", appended, "member", "add", "--unit", "GA", "--role", "approver",
      "--name", "审批人", "--public-key", "approver.pem.pub", "--key", "admin.pem")
    try run(
      "disburse request", update, "disburse", "request", "--unit", "GA", "--amount", "500",
      "--payee", "惠民超市", "--purpose", "慰问品", "--key", "ga.pem")
    let paid = lastID()
    try run("disburse approve", update, "disburse", "approve", paid, "--key", "approver.pem")
    try run("disburse pay", update, "disburse", "pay", paid, "--key", "ga.pem")
    try run(
      "disburse request person", update, "disburse", "request", "--unit", "GA", "--amount", "20",
      "--payee", "李桂兰", "--payee-person", "--purpose", "困难补助", "--key", "ga.pem")
    let personRequest = lastID()
    try run(
      "disburse reject", update, "disburse", "reject", personRequest, "--reason", "重复申请", "--key",
      "approver.pem")
    try run(
      "erase payee", appended, "erase", personRequest, "--reason", "consent-withdrawn", "--key",
      "admin.pem")
    try run(
      "disburse request again", update, "disburse", "request", "--unit", "GA", "--amount", "30",
      "--payee", "惠民超市", "--purpose", "慰问品", "--key", "ga.pem")
    try run("disburse cancel", update, "disburse", "cancel", lastID(), "--key", "ga.pem")
    try run(
      "disburse release", update, "disburse", "release", "--unit", "GA", "--fund",
      "elderly-canteen", "--amount", "10", "--reason", "项目结余", "--key", "ga.pem")
    // An opening balance, approved and booked like a disbursement.
    try run(
      "opening", appended, "opening", "--unit", "GA", "--account", "cash", "--amount", "40",
      "--as-of", "2026-11-20", "--note", "原账簿结余", "--key", "ga.pem")
    let opening =
      (try? parseJSON(results.last?.2.stdout ?? ""))?.objectValue?["seq"]?.integerValue
      .map { "\($0)" } ?? "?"
    try run("opening approve", update, "disburse", "approve", opening, "--key", "approver.pem")
    try run("opening pay", update, "disburse", "pay", opening, "--key", "ga.pem")
    try run("disburse show opening", "disbursement.schema.json", "disburse", "show", opening)
    try run("disburse list", "disbursement-list.schema.json", "disburse", "list")
    try run("disburse show", "disbursement.schema.json", "disburse", "show", paid)
    // A bill imported, a dry run first; then the same bill again (nothing new).
    try ws.write(
      "bill.csv",
      "date,unit,amount,donor,channel,reference,donor-type\n"
        + "2026-11-01 08:49:12,GA-BC-JSL,\"¥1,234.50\",张三,微信支付,WX-S1,\n"
        + "2026-11-02,GA-BC-JSL,20,,现金,,匿名\n")
    try run(
      "import dry run", "import.schema.json", "import", "donations", "bill.csv", "--dry-run",
      "--key", "jsl.pem")
    try run("import", "import.schema.json", "import", "donations", "bill.csv", "--key", "jsl.pem")
    // The approver moves to a new key; the district admin signs.
    let approverKeyID =
      (try? parseJSON(results.first { $0.0 == "key new approver" }?.2.stdout ?? ""))?
      .objectValue?["keyId"]?.stringValue ?? "?"
    try run(
      "key new approver 2027", "key-new.schema.json", "key", "new", "--name", "审批人", "--out",
      "approver-2027.pem")
    try run(
      "member rotate", "member-rotate.schema.json", "member", "rotate", approverKeyID,
      "--public-key", "approver-2027.pem.pub", "--reason", "定期更换", "--key", "admin.pem")
    let asOf = try parseJSON(
      try ws.must(
        "balance", "--unit", "GA", "--as-of", "2026-11-28",
        "--format", "json"
      ).stdout
    ).objectValue
    // A bank statement covers the unit's account across all its funds.
    let bank = (asOf?["own"]?.arrayValue ?? []).filter {
      $0.objectValue?["account"] == "assets:bank"
    }.reduce(Int64(0)) { $0 + ($1.objectValue?["amountFen"]?.integerValue ?? 0) }
    try run(
      "reconcile", appended, "reconcile", "--unit", "GA", "--account", "bank", "--as-of",
      "2026-11-28", "--balance", Money(fen: bank).yuanText, "--key", "ga.pem")
    // The fixture back-dates entries and publishes no statement for its
    // quarters: notices, so the schema is checked with findings in it.
    try run("audit", "audit.schema.json", status: 1, "audit")
    try run(
      "audit recorded", "audit.schema.json", "audit", "--unit", "GA-NM", "--from", "2026-01-01",
      "--to", "2026-11-28", "--record", "--key", "stranger.pem")
    let recorded = try? parseJSON(results.last?.2.stdout ?? "").objectValue?["recorded"]?
      .objectValue?["seq"]?.integerValue
    try run(
      "audit note", appended, "audit", "note", "\(recorded ?? -1)", "--text", "已核对，无需整改", "--key",
      "stranger.pem")
    try run(
      "member revoke", appended, "member", "revoke", ws.keyID(.stranger), "--reason", "调离", "--key",
      "admin.pem")
    try run(
      "allocate in transit", appended, "allocate", "--from", "GA", "--to", "GA-BC", "--amount", "1",
      "--key", "ga.pem")
    try run("balance", "balance.schema.json", "balance")
    try run("balance street", "balance.schema.json", "balance", "--unit", "GA-BC")
    try run("balance community", "balance.schema.json", "balance", "--unit", "GA-BC-JSL")
    try run("balance as of", "balance.schema.json", "balance", "--as-of", "2026-08-14")
    try run("journal", "journal.schema.json", "journal")
    try run("journal --unit", "journal.schema.json", "journal", "--unit", "GA-BC-WHL")
    try run("journal empty", "journal.schema.json", "journal", "--to", "2026-01-01")
    try run(
      "journal filtered", "journal.schema.json", "journal", "--kind", "reversal", "--kind",
      "allocation", "--account", "bank", "--signer", "陈静")
    try run("journal reversed", "journal.schema.json", "journal", "--kind", "donation")
    try run("allocate list", "allocation-list.schema.json", "allocate", "list")
    try run(
      "allocate list in transit", "allocation-list.schema.json", "allocate", "list", "--status",
      "in-transit", "--unit", "GA-BC")
    try run("fund list", "fund-list.schema.json", "fund", "list")
    try run(
      "balance period", "balance-period.schema.json", "balance", "--from", "2026-11-01", "--to",
      "2026-11-30")
    try run(
      "balance period community", "balance-period.schema.json", "balance", "--unit", "GA-BC-JSL",
      "--to", "2026-11-30")
    try run(
      "disburse list by date", "disbursement-list.schema.json", "disburse", "list", "--from",
      "2026-11-01", "--to", "2026-11-30")
    try run("unit list", "units.schema.json", "unit", "list")
    try run("member list", "members.schema.json", "member", "list")
    try run("verify ledger", "verify-ledger.schema.json", "verify", "ledger")
    try run(
      "verify fresh ledger", "verify-ledger.schema.json", "verify", "ledger", "--ledger", "fresh.db"
    )
    // A tampered copy: one byte of a donation's amount changed.
    try FileManager.default.copyItem(atPath: ws.ledgerPath, toPath: ws.path("tampered.db"))
    let tamper = try Python.run(
      """
      import sqlite3, sys
      db = sqlite3.connect(sys.argv[1])
      body = bytearray(db.execute("SELECT canonical FROM entry WHERE seq = 9").fetchone()[0])
      i = body.index(b'"amountFen":') + len(b'"amountFen":')
      body[i] = ord("9") if body[i] != ord("9") else ord("8")
      db.execute("UPDATE entry SET canonical = ? WHERE seq = 9", (bytes(body),))
      db.commit()
      db.close()
      """, [ws.path("tampered.db")], in: ws.directory)
    #expect(tamper.status == 0, "\(tamper)")
    try run(
      "verify tampered", "verify-ledger.schema.json", status: 1, "verify", "ledger", "--ledger",
      "tampered.db")
    if let report = try? parseJSON(results.last?.2.stdout ?? "").objectValue {
      #expect(report["ok"] == .bool(false))
      #expect(report["lastVerifiedSeq"]?.integerValue == 8)
      #expect(report["problems"]?.arrayValue?.first?.objectValue?["seq"]?.integerValue == 9)
    }
    try run(
      "audit tampered", "audit.schema.json", status: 1, "audit", "--ledger", "tampered.db",
      "--lang",
      "en")
    if let report = try? parseJSON(results.last?.2.stdout ?? "").objectValue {
      let changed = report["findings"]?.arrayValue?.compactMap(\.objectValue).filter {
        $0["code"] == "entry-hash-mismatch"
      }
      #expect(changed?.map { $0["seqs"] } == [.array([.integer(9)])], "\(report)")
    }
    return results
  }
}

/// Instances to validate in one python3 run (interpreter start-up and the
/// jsonschema import dominate, so batch them).
final class SchemaBatch {
  private let workspace: Workspace
  private var items: [JSONValue] = []
  private let directory: URL

  init(_ workspace: Workspace) {
    self.workspace = workspace
    directory = workspace.directory.appendingPathComponent(
      "schema-instances-\(UUID().uuidString.prefix(8))")
  }

  func add(
    _ label: String, schema: String, json: String, each: String? = nil, checkChain: Bool = false,
    expectValid: Bool = true
  ) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("\(items.count).json")
    try Data(json.utf8).write(to: file)
    var item: JSONObject = [
      "label": .string(label), "schema": .string(schema), "instance": .string(file.path),
      "expect": .string(expectValid ? "valid" : "invalid"), "checkChain": .bool(checkChain),
    ]
    if let each { item["each"] = .string(each) }
    items.append(.object(item))
  }

  func add(_ label: String, schema: String, value: JSONValue, expectValid: Bool = true) throws {
    try add(
      label, schema: schema, json: String(decoding: Canonical.encode(value), as: UTF8.self),
      expectValid: expectValid)
  }

  func validate(sourceLocation: SourceLocation = #_sourceLocation) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let manifest = directory.appendingPathComponent("manifest.json")
    try Data(Canonical.encode(.array(items))).write(to: manifest)
    let result = try Python.run(
      SchemaBatch.validator, [Paths.schemas.path, manifest.path], in: workspace.directory)
    #expect(
      result.status == 0, "schema validation:\n\(result.stdout)\(result.stderr)",
      sourceLocation: sourceLocation)
    #expect(
      result.stdout.contains("checked \(items.count) item"), "\(result)",
      sourceLocation: sourceLocation)
  }

  /// Validates each manifest item; with `each`, every element's field; with
  /// `checkChain`, also recomputes each entry's hash as SHA-256(0x00 ‖ JCS
  /// bytes) and checks `prev` links — independently of AlmonerKit.
  static let validator = #"""
    import hashlib, json, pathlib, sys
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
    from referencing import Registry, Resource

    schema_dir = pathlib.Path(sys.argv[1])
    manifest = json.loads(pathlib.Path(sys.argv[2]).read_text(encoding="utf-8"))
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(schema_dir.glob("*.schema.json"))}
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas.values()])
    failures = []
    for name, schema in schemas.items():
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as error:
            failures.append(f"{name} is not a valid draft 2020-12 schema: {error}")

    def jcs(value):
        # RFC 8785 for what entries hold (strings, integers, booleans, null, arrays, objects
        # with ASCII keys): sorted keys, no whitespace, UTF-8, minimal escaping.
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    for item in manifest:
        label = item["label"]
        schema = schemas.get(item["schema"])
        if schema is None:
            failures.append(f"{label}: no schema {item['schema']}")
            continue
        validator = Draft202012Validator(schema, registry=registry)
        instance = json.loads(pathlib.Path(item["instance"]).read_text(encoding="utf-8"))
        if "each" in item:
            values = [(f"{label}[{i}].{item['each']}", element[item["each"]]) for i, element in enumerate(instance)]
        else:
            values = [(label, instance)]
        for where, value in values:
            errors = list(validator.iter_errors(value))
            if item["expect"] == "valid":
                if errors:
                    # best_match descends into oneOf/anyOf to the most relevant cause.
                    error = best_match(errors)
                    path = "/".join(map(str, error.absolute_path))
                    failures.append(f"{where} /{path}: {error.message[:300]} ({len(errors)} error(s))")
            elif not errors:
                failures.append(f"{where}: accepted, but the schema should refuse it")
        if item.get("checkChain"):
            prev = "0" * 64
            for i, line in enumerate(instance):
                entry = line["entry"]
                digest = hashlib.sha256(b"\x00" + jcs(entry)).hexdigest()
                if digest != line["hash"]:
                    failures.append(f"{label}[{i}]: hash {line['hash']} but SHA-256(0x00 || JCS(entry)) = {digest}")
                if entry["prev"] != prev:
                    failures.append(f"{label}[{i}]: prev {entry['prev']} but entry {i - 1} hashes to {prev}")
                if entry["seq"] != i:
                    failures.append(f"{label}[{i}]: seq {entry['seq']}")
                prev = line["hash"]
    print("\n".join(failures))
    print(f"checked {len(manifest)} items")
    sys.exit(1 if failures else 0)
    """#
}
