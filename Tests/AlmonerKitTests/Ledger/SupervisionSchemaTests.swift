import AlmonerKit
import Foundation
import Testing

@Suite("Supervision JSON output against Schemas/json")
struct SupervisionSchemaTests {
  /// Validates each (schema file, JSON text) pair with Python's `jsonschema`,
  /// an independent implementation; schemas refer to each other by `$id`.
  private func validate(_ pairs: [(schema: String, json: String)], in directory: TemporaryDirectory)
    throws
  {
    var arguments = [packageRoot.appendingPathComponent("Schemas/json").path]
    for (index, pair) in pairs.enumerated() {
      let path = directory.path("instance-\(index).json")
      try Data(pair.json.utf8).write(to: URL(fileURLWithPath: path))
      arguments += [pair.schema, path]
    }
    let script = """
      import json, pathlib, sys
      from jsonschema import Draft202012Validator
      from referencing import Registry, Resource
      schemas = {p.name: json.loads(p.read_text()) for p in pathlib.Path(sys.argv[1]).glob("*.json")}
      registry = Registry().with_resources(
          [(s["$id"], Resource.from_contents(s)) for s in schemas.values() if "$id" in s])
      failed = 0
      for name, path in zip(sys.argv[2::2], sys.argv[3::2]):
          instance = json.loads(pathlib.Path(path).read_text())
          for error in Draft202012Validator(schemas[name], registry=registry).iter_errors(instance):
              failed += 1
              print(f"{name} {path}: {error.json_path}: {error.message}")
      sys.exit(1 if failed else 0)
      """
    let result = try run(which("python3") ?? "/usr/bin/python3", ["-c", script] + arguments)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }

  @Test("policy, disbursement list and each step's output match their schemas")
  func outputsMatchSchemas() throws {
    let f = try SupervisionFixture()
    var pairs: [(String, String)] = [
      ("policy.schema.json", Rendering.json(Rendering.policyJSON(try f.ledger.approvalPolicy())))
    ]
    try f.ledger.setPolicy(PolicyChange(approvals: [.district: 2]), signer: f.base.admin)
    pairs.append(
      ("policy.schema.json", Rendering.json(Rendering.policyJSON(try f.ledger.approvalPolicy()))))
    let invoice = f.base.directory.path("invoice.jpg")
    try Data("x".utf8).write(to: URL(fileURLWithPath: invoice))
    let request = try f.ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: Money(fen: 12_345), payee: "张三", payeeIsPerson: true,
        purpose: "困难家庭救助", attachments: [invoice]),
      signer: f.base.communityTreasurer)
    let id = request.request.id
    var updates = [request]
    updates.append(try f.ledger.approveDisbursement(id: id, signer: f.communityApprover))
    updates.append(try f.ledger.payDisbursement(id: id, signer: f.base.communityTreasurer))
    try f.base.donate("100", to: "GA", fund: "elderly-canteen", signer: f.base.districtTreasurer)
    let release = try f.ledger.requestRelease(
      unit: "GA", fund: "elderly-canteen", amount: Money(fen: 100), reason: "结余",
      signer: f.base.districtTreasurer)
    updates.append(release)
    updates.append(
      try f.ledger.rejectDisbursement(
        id: release.request.id, reason: "不同意", signer: f.districtApprover))
    let other = try f.request("10")
    updates.append(try f.ledger.cancelDisbursement(id: other, signer: f.base.communityTreasurer))
    for update in updates {
      pairs.append(
        (
          "disbursement-update.schema.json",
          Rendering.json(Rendering.disbursementUpdateJSON(update))
        )
      )
    }
    let list = try f.ledger.disbursements(unit: nil, status: nil)
    #expect(list.requests.count == 3)
    pairs.append(
      ("disbursement-list.schema.json", Rendering.json(Rendering.disbursementsJSON(list))))
    let one = try f.ledger.disbursement(id: id)
    pairs.append(
      (
        "disbursement.schema.json",
        Rendering.json(Rendering.disbursementJSON(one.requests[0], state: one.state))
      ))
    #expect(!Rendering.json(Rendering.disbursementsJSON(list)).contains("张三"))
    try f.ledger.reconcile(
      unit: "GA-BC-JSL", account: .bank, asOf: try AccountingDate("2026-11-01"),
      balance: Money(fen: 10_000_000), signer: f.base.communityTreasurer)
    // Every supervision entry's body matches entry-supervision.schema.json.
    let supervisionKinds: Set<EntryKind> = [
      .policySet, .disbursementRequest, .disbursementApprove, .disbursementReject,
      .disbursementPay, .disbursementCancel, .fundRelease, .reconciliation,
    ]
    let entries = try f.ledger.journal(unit: nil, from: nil, to: nil).filter {
      supervisionKinds.contains($0.entry.kind)
    }
    #expect(Set(entries.map(\.entry.kind)) == supervisionKinds)
    for line in entries {
      pairs.append(("entry-supervision.schema.json", Rendering.json(line.entry.json)))
    }
    try validate(pairs, in: f.base.directory)
  }
}
