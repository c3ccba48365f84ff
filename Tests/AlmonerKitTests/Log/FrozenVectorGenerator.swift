import AlmonerKit
import Foundation
import GRDB
import Testing

/// Writes Tests/Vectors/entries/ (the frozen v1 entry and commit vectors and
/// the ledger file they come from) by building a small three-tier ledger
/// through the library with the fixed test keys in keys/, a clock set step
/// by step and fixed donor salts, so every byte is reproducible (Ed25519
/// signatures are deterministic).
///
/// It runs only when asked, because the committed files are the source of
/// truth and must not be rewritten by an ordinary test run:
///
///     scripts/frozen-vectors.sh
///     # = ALMONER_WRITE_VECTORS=1 swift test --filter FrozenVectorGenerator
///     #   then python3 Tests/Vectors/entries/check.py
///
/// Rerun on an unchanged format, it rewrites the files byte for byte (only
/// `manifest.json`'s `sourceCommit` may differ). A kind added later gets its
/// steps appended at the end of `buildLedger`, so the entries before stay put.
@Suite("Frozen format: vector generator (ALMONER_WRITE_VECTORS=1)")
struct FrozenVectorGenerator {
  static let enabled = ProcessInfo.processInfo.environment["ALMONER_WRITE_VECTORS"] == "1"

  @Test(
    "writes Tests/Vectors/entries/ from a ledger built with the fixed test keys",
    .enabled(if: FrozenVectorGenerator.enabled, "set ALMONER_WRITE_VECTORS=1 to regenerate"))
  func writeVectors() throws {
    let scratch = try TemporaryDirectory()
    let path = scratch.path(FrozenVectors.ledgerFileName)
    let keys = try FrozenKeys()
    var script = FrozenLedgerScript(keys: keys)
    let names = try script.buildLedger(at: path)
    try checkpointWAL(path)
    try writeFiles(from: path, names: names, keys: keys)
  }

  /// Folds the write-ahead log into the main file, so one file holds the ledger.
  private func checkpointWAL(_ path: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    try queue.close()
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
  }

  private func writeFiles(from path: String, names: [Int64: String], keys: FrozenKeys) throws {
    let ledger = try Ledger.open(at: path)
    let report = try ledger.verify()
    #expect(report.isClean, "\(report.problems)")
    let treeRoot = try #require(report.treeRoot)
    let ledgerID = try #require(report.ledgerID)
    let origin = try ledger.state().origin
    let (entries, commits) = try readLog(path)

    var byKind: [String: [FrozenEntryVector]] = [:]
    for entry in entries {
      let commit = try #require(commits.first { $0.first <= entry.seq && entry.seq <= $0.last })
      let last = try #require(entries.first { $0.seq == commit.last })
      let signer = try keys.key(id: commit.author)
      let statement = Commit.statement(
        ledgerID: ledgerID, firstSeq: commit.first, lastSeq: commit.last, lastHash: last.hash)
      let vector = FrozenEntryVector(
        name: try #require(names[entry.seq], "no description for seq \(entry.seq)"),
        seq: entry.seq, canonical: String(decoding: entry.canonical, as: UTF8.self),
        canonicalHex: Hex.encode(entry.canonical), hash: entry.hash.hex,
        commit: FrozenCommit(
          firstSeq: commit.first, lastSeq: commit.last,
          statement: String(decoding: statement, as: UTF8.self),
          statementHex: Hex.encode(statement), signerKeyId: commit.author,
          signerPublicKey: Hex.encode(signer.key.publicKey.raw),
          signerKeyFile: "keys/" + signer.file,
          signature: Hex.encode(commit.signature),
          laterEntries: entries.filter { $0.seq > entry.seq && $0.seq <= commit.last }
            .map { String(decoding: $0.canonical, as: UTF8.self) }))
      byKind[entry.kind, default: []].append(vector)
    }
    #expect(Set(byKind.keys).isSuperset(of: FrozenVectors.kindsV1))
    #expect(Set(byKind.keys) == Set(EntryKind.allCases.map(\.rawValue)))

    let fileManager = FileManager.default
    for name in try fileManager.contentsOfDirectory(atPath: FrozenVectors.directory.path)
    where name.hasPrefix("entries-") && name.hasSuffix(".json") {
      try fileManager.removeItem(at: FrozenVectors.directory.appendingPathComponent(name))
    }
    for (kind, vectors) in byKind {
      try FrozenVectors.write(
        FrozenEntryFile(kind: kind, vectors: vectors), FrozenVectors.fileName(kind: kind))
    }
    let ledgerCopy = FrozenVectors.directory.appendingPathComponent(FrozenVectors.ledgerFileName)
    try? fileManager.removeItem(at: ledgerCopy)
    try fileManager.copyItem(at: URL(fileURLWithPath: path), to: ledgerCopy)
    let manifest = FrozenManifest(
      about:
        "Almoner entry format v1 and almoner-commit/v1, frozen: every entry of "
        + "\(FrozenVectors.ledgerFileName), by kind, with its canonical bytes, leaf hash and "
        + "the signed commit covering it. Test keys only. See README.md.",
      sourceCommit: try sourceCommit(), origin: origin, ledgerId: ledgerID.hex,
      ledgerFile: FrozenVectors.ledgerFileName, entryCount: report.entryCount,
      treeRoot: treeRoot.hex, keys: keys.manifestKeys,
      files: Dictionary(
        uniqueKeysWithValues: byKind.keys.map { ($0, FrozenVectors.fileName(kind: $0)) }))
    try FrozenVectors.write(manifest, FrozenVectors.manifestFileName)
  }

  private struct LogEntry {
    var seq: Int64
    var kind: String
    var canonical: [UInt8]
    var hash: Hash32
  }

  private struct LogCommit {
    var first: Int64
    var last: Int64
    var author: String
    var signature: [UInt8]
  }

  /// The log tables as stored, read without the library.
  private func readLog(_ path: String) throws -> ([LogEntry], [LogCommit]) {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.read { db in
      let entries = try Row.fetchAll(
        db, sql: "SELECT seq, hash, canonical FROM entry ORDER BY seq"
      ).map { row in
        let canonical = [UInt8](row[2] as Data)
        let kind = try Entry(canonical: canonical).kind.rawValue
        return LogEntry(
          seq: row[0], kind: kind, canonical: canonical, hash: Hash32(bytes: row[1] as Data)!)
      }
      let commits = try Row.fetchAll(
        db,
        sql: "SELECT first_seq, last_seq, author, signature FROM ledger_commit ORDER BY first_seq"
      ).map { row in
        LogCommit(
          first: row[0], last: row[1], author: row[2], signature: [UInt8](row[3] as Data))
      }
      return (entries, commits)
    }
  }

  /// The last commit that changed what decides the bytes: Sources/ or Schemas/.
  private func sourceCommit() throws -> String {
    let git = which("git") ?? "/usr/bin/git"
    let log = try run(
      git, ["log", "-1", "--format=%H", "--", "Sources", "Schemas"], directory: packageRoot)
    let dirty = try run(
      git, ["status", "--porcelain", "--", "Sources", "Schemas"], directory: packageRoot)
    let hash = log.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return dirty.stdout.isEmpty ? hash : hash + "+uncommitted-changes"
  }
}

/// The fixed test keys in Tests/Vectors/entries/keys/: who holds which role.
struct FrozenKeys {
  struct Holder {
    var file: String
    var name: String
    var unit: String
    var role: Role
    var key: SigningKey
  }

  /// In the order they are granted (the admin comes with genesis).
  static let people: [(file: String, name: String, unit: String, role: Role)] = [
    ("admin.pem", "李明", "GA", .admin),
    ("ga-treasurer.pem", "陈静", "GA", .treasurer),
    ("bc-treasurer.pem", "赵磊", "GA-BC", .treasurer),
    ("jsl-treasurer.pem", "王芳", "GA-BC-JSL", .treasurer),
    ("jsl-approver.pem", "孙丽", "GA-BC-JSL", .approver),
    ("bc-approver.pem", "钱伟", "GA-BC", .approver),
    ("ga-approver.pem", "冯强", "GA", .approver),
    ("bc-supervisor.pem", "郑华", "GA-BC", .supervisor),
    ("whl-approver.pem", "周敏", "GA-BC-WHL", .approver),
  ]

  let holders: [Holder]

  init() throws {
    holders = try FrozenKeys.people.map { person in
      let url = FrozenVectors.keysDirectory.appendingPathComponent(person.file)
      let pem = try String(contentsOf: url, encoding: .utf8)
      return Holder(
        file: person.file, name: person.name, unit: person.unit, role: person.role,
        key: try SigningKey(pem: pem))
    }
  }

  subscript(file: String) -> SigningKey {
    guard let holder = holders.first(where: { $0.file == file }) else {
      preconditionFailure("no test key \(file)")
    }
    return holder.key
  }

  func key(id: String) throws -> Holder {
    try #require(holders.first { $0.key.keyID == id }, "no test key with id \(id)")
  }

  var manifestKeys: [FrozenManifest.Key] {
    holders.map {
      FrozenManifest.Key(
        file: "keys/" + $0.file, name: $0.name, unit: $0.unit, role: $0.role.rawValue,
        keyId: $0.key.keyID, publicKey: Hex.encode($0.key.publicKey.raw))
    }
  }
}

/// A clock the script sets before each step: the entries' `time` and `date`
/// don't depend on how often the library reads the clock.
final class SteppingClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current = Date(timeIntervalSince1970: 0)

  var ledgerClock: LedgerClock { LedgerClock(now: { [self] in now() }) }

  func now() -> Date { lock.withLock { current } }

  /// 09:00 in Asia/Shanghai on `day` (YYYY-MM-DD).
  func set(day: String) throws {
    let date = try #require(try? Date(day + "T01:00:00Z", strategy: .iso8601))
    lock.withLock { current = date }
  }

  /// One minute later: each commit gets its own time.
  func tick() { lock.withLock { current += 60 } }

  var unixSeconds: UInt64 { UInt64(now().timeIntervalSince1970) }
}

/// The ledger behind the vectors: every entry kind, a few variants of each,
/// in the order a three-tier ledger would see them.
struct FrozenLedgerScript {
  let keys: FrozenKeys
  let clock = SteppingClock()
  /// Seq → what the entry shows (the vector's name).
  private var names: [Int64: String] = [:]
  private var ledger: Ledger!

  init(keys: FrozenKeys) { self.keys = keys }

  private mutating func note(_ appended: AppendedEntry, _ name: String) {
    names[appended.seq] = name
  }

  private static func salt(_ label: String) -> [UInt8] {
    SHA256.hash(Array("almoner frozen-format test salt \(label)".utf8)).bytes
  }

  /// A donation as `Ledger.donate` drafts it, with a fixed salt instead of a
  /// random one (the commitment changes with it; nothing else does).
  private func donationDraft(_ input: DonationInput, state: LedgerState, salt: String)
    throws(AlmonerError) -> EntryDraft
  {
    var draft = try input.draft(in: state)
    let personal = DonorPrivate(salt: Self.salt(salt), personal: draft.donorPrivate!.personal)
    guard case .donation(var body) = draft.body else { preconditionFailure("a donation draft") }
    body.donor.commitment = personal.commitment
    draft.body = .donation(body)
    draft.donorPrivate = personal
    return draft
  }

  private mutating func donate(
    _ input: DonationInput, signer: String, salt: String, _ name: String
  ) throws {
    clock.tick()
    let appended = try ledger.commit(signer: keys[signer]) { state throws(AlmonerError) in
      [try donationDraft(input, state: state, salt: salt)]
    }
    note(appended[0], name)
  }

  private func yuan(_ text: String) throws -> Money { try Money.parseYuan(text) }

  mutating func buildLedger(at path: String) throws -> [Int64: String] {
    let admin = keys["admin.pem"]

    // 2026-07-01: the district, its streets and communities, people, funds.
    try clock.set(day: "2026-07-01")
    ledger = try Ledger.create(
      at: path, district: "GA", name: "广安区", admin: admin, adminName: "李明",
      origin: "almoner.example/frozen-v1", clock: clock.ledgerClock)
    names[0] = "genesis: district 广安区 (GA), first admin 李明, origin, time zone Asia/Shanghai"
    for (code, name, parent) in [
      ("GA-BC", "北城街道", "GA"), ("GA-BC-JSL", "建设路社区", "GA-BC"), ("GA-BC-WHL", "文化路社区", "GA-BC"),
    ] {
      clock.tick()
      let tier = parent == "GA" ? "street" : "community"
      note(
        try ledger.addUnit(code: code, name: name, parent: parent, signer: admin),
        "unit.add: \(tier) \(name) (\(code)) under \(parent)")
    }
    for holder in keys.holders.dropFirst() {
      clock.tick()
      note(
        try ledger.addMember(
          unit: holder.unit, role: holder.role, name: holder.name,
          publicKey: holder.key.publicKey, signer: admin),
        "member.grant: \(holder.role.rawValue) \(holder.name) on \(holder.unit)")
    }
    clock.tick()
    note(
      try ledger.openFund(
        unit: "GA", code: "elderly-canteen", name: "老龄食堂", restricted: true, purpose: "老年人助餐",
        signer: admin),
      "fund.open: restricted fund with purpose (category derived from it)")
    clock.tick()
    note(
      try ledger.openFund(
        unit: "GA-BC-JSL", code: "festival", name: "节日慰问", restricted: false, purpose: nil,
        signer: admin),
      "fund.open: unrestricted fund without purpose")

    // 2026-07-02: donations.
    try clock.set(day: "2026-07-02")
    try donate(
      DonationInput(
        unit: "GA-BC-JSL", amount: try yuan("500"), donor: "张三", channel: .wechat,
        reference: "WX20260702001"),
      signer: "jsl-treasurer.pem", salt: "donation-1",
      "donation: masked donor, WeChat, external reference")
    try donate(
      DonationInput(
        unit: "GA", amount: try yuan("10000"), donor: "王小明", named: true,
        fund: "elderly-canteen", channel: .bank, reference: "BK20260702-0001"),
      signer: "ga-treasurer.pem", salt: "donation-2",
      "donation: named donor, to a restricted fund, bank transfer")
    try donate(
      DonationInput(unit: "GA", amount: try yuan("50000"), donor: "李四", channel: .bank),
      signer: "ga-treasurer.pem", salt: "donation-3", "donation: no reference, bank transfer")
    clock.tick()
    let batch = try ledger.commit(signer: keys["jsl-treasurer.pem"]) {
      state throws(AlmonerError) in
      [
        try donationDraft(
          DonationInput(unit: "GA-BC-JSL", amount: Money(fen: 20_000), donor: "赵六", channel: .cash),
          state: state, salt: "donation-4"),
        try donationDraft(
          DonationInput(
            unit: "GA-BC-JSL", amount: Money(fen: 30_050), donor: "钱七", channel: .alipay,
            reference: "AP20260702A7"),
          state: state, salt: "donation-5"),
      ]
    }
    note(batch[0], "donation: cash, first of a two-entry commit (as import writes them)")
    note(batch[1], "donation: Alipay, yuan with fen, last of a two-entry commit")
    try donate(
      DonationInput(
        unit: "GA-BC-JSL", amount: try yuan("800"), donor: "孙八", fund: "festival",
        channel: .other),
      signer: "jsl-treasurer.pem", salt: "donation-6", "donation: channel other, unrestricted fund")

    // 2026-07-03: allocations down the tiers, confirmed and voided.
    try clock.set(day: "2026-07-03")
    clock.tick()
    let toStreet = try ledger.allocate(
      from: "GA", to: "GA-BC", amount: try yuan("20000"), fund: nil,
      signer: keys["ga-treasurer.pem"])
    note(toStreet, "allocation.send: district to street, general fund")
    clock.tick()
    note(
      try ledger.settleAllocation(
        id: toStreet.seq, confirm: true, signer: keys["bc-treasurer.pem"]),
      "allocation.confirm: by the receiving street's treasurer")
    clock.tick()
    let voided = try ledger.allocate(
      from: "GA-BC", to: "GA-BC-JSL", amount: try yuan("5000"), fund: nil,
      signer: keys["bc-treasurer.pem"])
    note(voided, "allocation.send: street to community, later voided")
    clock.tick()
    note(
      try ledger.settleAllocation(id: voided.seq, confirm: false, signer: keys["bc-treasurer.pem"]),
      "allocation.void: by the sender")
    clock.tick()
    let toCommunity = try ledger.allocate(
      from: "GA-BC", to: "GA-BC-JSL", amount: try yuan("8000"), fund: "general",
      signer: keys["bc-treasurer.pem"])
    note(toCommunity, "allocation.send: street to community, fund named")
    clock.tick()
    note(
      try ledger.settleAllocation(
        id: toCommunity.seq, confirm: true, signer: keys["jsl-treasurer.pem"]),
      "allocation.confirm: by the receiving community's treasurer")

    // 2026-07-04: a donation entered twice, and its reversal.
    try clock.set(day: "2026-07-04")
    try donate(
      DonationInput(
        unit: "GA-BC-JSL", amount: try yuan("500"), donor: "张三", channel: .wechat,
        reference: "WX20260704009"),
      signer: "jsl-treasurer.pem", salt: "donation-7", "donation: entered twice, reversed below")
    let duplicate = try #require(names.keys.max())
    clock.tick()
    note(
      try ledger.reverse(seq: duplicate, reason: "重复录入", signer: keys["jsl-treasurer.pem"]),
      "reversal: of a donation, with reason")

    // 2026-07-05: the district admin changes the approval policy.
    try clock.set(day: "2026-07-05")
    clock.tick()
    note(
      try ledger.setPolicy(
        PolicyChange(
          communityParentAbove: try yuan("3000"), communityDistrictAbove: try yuan("40000"),
          approvals: [.district: 1]),
        signer: admin),
      "policy.set: lower community thresholds")

    // 2026-07-06: disbursements of 建设路社区: paid, rejected, cancelled.
    try clock.set(day: "2026-07-06")
    let jslTreasurer = keys["jsl-treasurer.pem"]
    clock.tick()
    let small = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: try yuan("1000"), payee: "惠民超市", purpose: "老年食堂采购食材"),
      signer: jslTreasurer
    ).appended
    note(small, "disbursement.request: organisation payee, category derived from purpose")
    clock.tick()
    note(
      try ledger.approveDisbursement(id: small.seq, signer: keys["jsl-approver.pem"]).appended,
      "disbursement.approve: by the community's approver")
    clock.tick()
    note(
      try ledger.payDisbursement(id: small.seq, signer: jslTreasurer).appended,
      "disbursement.pay: of a request")
    clock.tick()
    let large = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: try yuan("4000"), payee: "建设路社区卫生服务站", purpose: "困难居民体检",
        category: .medical, fund: "general"),
      signer: jslTreasurer
    ).appended
    note(large, "disbursement.request: category given, needs the street too")
    clock.tick()
    note(
      try ledger.approveDisbursement(id: large.seq, signer: keys["jsl-approver.pem"]).appended,
      "disbursement.approve: community's place")
    clock.tick()
    note(
      try ledger.approveDisbursement(id: large.seq, signer: keys["bc-approver.pem"]).appended,
      "disbursement.approve: street's place")
    clock.tick()
    note(
      try ledger.payDisbursement(id: large.seq, signer: jslTreasurer).appended,
      "disbursement.pay: after two approvals")
    clock.tick()
    let person = try ledger.commit(signer: jslTreasurer) { state throws(AlmonerError) in
      // As `requestDisbursement` drafts a person payee, with a fixed salt.
      let personal = DonorPrivate(
        salt: Self.salt("payee-1"), personal: Canonical.encode(.object(["name": "李桂兰"])))
      return [
        try EntryDraft(
          kind: .disbursementRequest,
          body: [
            "unit": "GA-BC-JSL", "fund": "general", "amountFen": 60_000, "category": "poverty",
            "purpose": "困难家庭临时救助",
            "payee": .object([
              "display": .string(Text.masked("李桂兰")), "person": true,
              "commitment": .string(personal.commitment.hex),
            ]),
          ], donorPrivate: personal)
      ]
    }[0]
    note(person, "disbursement.request: person payee, masked with a commitment")
    clock.tick()
    note(
      try ledger.rejectDisbursement(
        id: person.seq, reason: "材料不全", signer: keys["jsl-approver.pem"]
      ).appended,
      "disbursement.reject: with reason")
    clock.tick()
    let cancelled = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA-BC-JSL", amount: try yuan("200"), payee: "文具店", purpose: "学生文具"),
      signer: jslTreasurer
    ).appended
    note(cancelled, "disbursement.request: later cancelled")
    clock.tick()
    note(
      try ledger.cancelDisbursement(id: cancelled.seq, reason: "重复申请", signer: jslTreasurer)
        .appended,
      "disbursement.cancel: by the requester, with reason")

    // 2026-07-07: the district's restricted fund: a release and a payment.
    try clock.set(day: "2026-07-07")
    let gaTreasurer = keys["ga-treasurer.pem"]
    clock.tick()
    let release = try ledger.requestRelease(
      unit: "GA", fund: "elderly-canteen", amount: try yuan("2000"), reason: "项目结余经捐赠人同意转为非定向",
      signer: gaTreasurer
    ).appended
    note(release, "fund.release: restricted money to the general fund")
    clock.tick()
    note(
      try ledger.approveDisbursement(id: release.seq, signer: keys["ga-approver.pem"]).appended,
      "disbursement.approve: of a release, by the district's approver")
    clock.tick()
    note(
      try ledger.payDisbursement(id: release.seq, signer: gaTreasurer).appended,
      "disbursement.pay: carries out a release")
    clock.tick()
    let restricted = try ledger.requestDisbursement(
      DisbursementInput(
        unit: "GA", amount: try yuan("3000"), payee: "老龄食堂运营方", purpose: "老年人助餐配餐",
        fund: "elderly-canteen"),
      signer: gaTreasurer
    ).appended
    note(restricted, "disbursement.request: from a restricted fund, its own category")
    clock.tick()
    note(
      try ledger.approveDisbursement(id: restricted.seq, signer: keys["ga-approver.pem"]).appended,
      "disbursement.approve: district request")
    clock.tick()
    note(
      try ledger.payDisbursement(id: restricted.seq, signer: gaTreasurer).appended,
      "disbursement.pay: from a restricted fund")
    clock.tick()
    note(
      try ledger.revokeMember(
        keyID: keys["whl-approver.pem"].keyID, reason: "调离", signer: admin),
      "member.revoke: with reason")

    // 2026-07-08: reconciliation, then a checkpoint cosigned by the street's supervisor.
    try clock.set(day: "2026-07-08")
    clock.tick()
    let asOf = try AccountingDate("2026-07-07")
    let bank = try ledger.state().supervision.balance(
      of: AssetAccountKey(unit: "GA-BC-JSL", account: .bank), asOf: asOf)
    note(
      try ledger.reconcile(
        unit: "GA-BC-JSL", account: .bank, asOf: asOf, balance: Money(fen: bank),
        signer: jslTreasurer),
      "reconciliation: community bank balance at the end of a past day")
    let supervisor = keys["bc-supervisor.pem"]
    var memory = WitnessMemory()
    clock.tick()
    let first = try ledger.createCheckpoint(signer: gaTreasurer)
    note(first.appended, "checkpoint: signed by the district treasurer")
    clock.tick()
    note(
      try ledger.cosignCheckpoint(
        first.note.serialized, signer: supervisor, memory: &memory, now: clock.unixSeconds
      ).appended,
      "checkpoint.cosign: first cosignature of this supervisor")

    // 2026-07-09: one more donation, a second checkpoint and its cosignature.
    try clock.set(day: "2026-07-09")
    try donate(
      DonationInput(unit: "GA-BC-JSL", amount: try yuan("100"), donor: "周九", channel: .wechat),
      signer: "jsl-treasurer.pem", salt: "donation-8", "donation: after a checkpoint")
    clock.tick()
    let second = try ledger.createCheckpoint(signer: admin)
    note(second.appended, "checkpoint: signed by the district admin")
    clock.tick()
    note(
      try ledger.cosignCheckpoint(
        second.note.serialized, signer: supervisor, memory: &memory, now: clock.unixSeconds
      ).appended,
      "checkpoint.cosign: after a consistency proof from the supervisor's last one")

    ledger = nil
    return names
  }
}
