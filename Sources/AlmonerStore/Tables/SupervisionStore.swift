import Foundation
import GRDB

/// Reads and writes the supervision projections (migration 0002): policy
/// versions, disbursements with their approvals and attachments,
/// reconciliations.
extension LedgerStore {
  static func loadSupervision(_ db: Database) throws -> SupervisionState {
    var state = SupervisionState()
    if let row = try Row.fetchOne(
      db,
      sql: """
        SELECT seq, community_parent_above_fen, community_district_above_fen,
          street_district_above_fen, community_approvals, street_approvals, district_approvals
        FROM approval_policy ORDER BY seq DESC LIMIT 1
        """)
    {
      state.policy = ApprovalPolicy(
        communityParentAboveFen: row[1], communityDistrictAboveFen: row[2],
        streetDistrictAboveFen: row[3],
        approvals: [.community: row[4], .street: row[5], .district: row[6]], seq: row[0])
    }
    var approvals: [Int64: [Disbursement.Approval]] = [:]
    for row in try Row.fetchAll(
      db,
      sql:
        "SELECT request_id, key_id, tier, seq, voided_seq FROM disbursement_approval ORDER BY seq"
    ) {
      approvals[row[0], default: []].append(
        .init(
          keyID: row[1], tier: try known(row[2], table: "disbursement_approval", column: "tier"),
          seq: row[3],
          voidedSeq: row[4]))
    }
    var attachments: [Int64: [Disbursement.Attachment]] = [:]
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT request_id, sha256, name, byte_count FROM disbursement_attachment
        ORDER BY request_id, position
        """)
    {
      attachments[row[0], default: []].append(
        .init(sha256: Hash32(hex: row[1]) ?? .zero, name: row[2], byteCount: row[3]))
    }
    // Openings are kept as kind 'release' rows (the table's CHECK predates
    // them) marked in opening_request with their account (migration 0007).
    var openings: [Int64: Account] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT id, account FROM opening_request") {
      openings[row[0]] = Account(row[1] as String)
    }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT id, kind, unit, fund, amount_fen, category, purpose, payee, payee_person, requester,
          date, policy_seq, required_community, required_street, required_district, status,
          approved_seq, settled_seq, reason
        FROM disbursement
        """)
    {
      let id: Int64 = row[0]
      var required: [Tier: Int] = [:]
      for (tier, column) in [(Tier.community, 12), (.street, 13), (.district, 14)] {
        let count: Int = row[column]
        if count > 0 { required[tier] = count }
      }
      var request = Disbursement(
        id: id, kind: try known(row[1], table: "disbursement", column: "kind"), unit: row[2],
        fund: row[3],
        amountFen: row[4],
        category: try known(row[5] as String?, table: "disbursement", column: "category"),
        purpose: row[6], payee: row[7], payeeIsPerson: row[8], requester: row[9],
        date: try AccountingDate(row[10]), policySeq: row[11], required: required,
        approvals: approvals[id] ?? [],
        status: try known(row[15], table: "disbursement", column: "status"),
        approvedSeq: row[16], settledSeq: row[17], reason: row[18],
        attachments: attachments[id] ?? [])
      if let account = openings[id] {
        request.kind = .opening
        request.account = account
      }
      state.record(request)
    }
    for row in try Row.fetchAll(
      db, sql: "SELECT unit, account, as_of, seq, balance_fen FROM reconciliation ORDER BY seq")
    {
      state.noteReconciliation(
        ReconciliationMark(asOf: try AccountingDate(row[2]), seq: row[3], balanceFen: row[4]),
        for: AssetAccountKey(unit: row[0], account: Account(row[1])))
    }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT unit, account, date, SUM(amount_fen) FROM daily_balance
        WHERE account IN ('assets:bank', 'assets:cash')
        GROUP BY unit, account, date HAVING SUM(amount_fen) <> 0
        """)
    {
      let key = AssetAccountKey(unit: row[0], account: Account(row[1]))
      state.assetDaily[key, default: [:]][try AccountingDate(row[2])] = row[3]
    }
    return state
  }

  static func writeSupervision(_ changes: SupervisionChanges, _ db: Database) throws {
    precondition(db.isInsideTransaction, "projections change only inside a commit's transaction")
    for policy in changes.policies {
      try db.execute(
        sql: """
          INSERT INTO approval_policy (seq, community_parent_above_fen, community_district_above_fen,
            street_district_above_fen, community_approvals, street_approvals, district_approvals)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          policy.seq, policy.communityParentAboveFen, policy.communityDistrictAboveFen,
          policy.streetDistrictAboveFen, policy.approvalCount(.community),
          policy.approvalCount(.street), policy.approvalCount(.district),
        ])
    }
    for request in changes.disbursements.values.sorted(by: { $0.id < $1.id }) {
      try db.cachedStatement(
        sql: """
          INSERT INTO disbursement (id, kind, unit, fund, amount_fen, category, purpose, payee,
            payee_person, requester, date, policy_seq, required_community, required_street,
            required_district, status, approved_seq, settled_seq, reason)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET status = excluded.status,
            approved_seq = excluded.approved_seq, settled_seq = excluded.settled_seq,
            reason = excluded.reason
          """
      ).execute(arguments: [
        request.id,
        request.kind == .opening ? Disbursement.Kind.release.rawValue : request.kind.rawValue,
        request.unit, request.fund, request.amountFen,
        request.category?.rawValue, request.purpose, request.payee, request.payeeIsPerson,
        request.requester, request.date.text, request.policySeq,
        request.required[.community] ?? 0, request.required[.street] ?? 0,
        request.required[.district] ?? 0, request.status.rawValue, request.approvedSeq,
        request.settledSeq, request.reason,
      ])
      if request.kind == .opening, let account = request.account {
        try db.cachedStatement(
          sql: "INSERT OR IGNORE INTO opening_request (id, account) VALUES (?, ?)"
        ).execute(arguments: [request.id, account.name])
      }
      for approval in request.approvals {
        try db.cachedStatement(
          sql: """
            INSERT INTO disbursement_approval (seq, request_id, key_id, tier, voided_seq)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (seq) DO UPDATE SET voided_seq = excluded.voided_seq
            """
        ).execute(arguments: [
          approval.seq, request.id, approval.keyID, approval.tier.rawValue, approval.voidedSeq,
        ])
      }
      for (position, attachment) in request.attachments.enumerated() {
        try db.cachedStatement(
          sql: """
            INSERT OR IGNORE INTO disbursement_attachment
              (request_id, position, sha256, name, byte_count)
            VALUES (?, ?, ?, ?, ?)
            """
        ).execute(arguments: [
          request.id, position, attachment.sha256.hex, attachment.name, attachment.byteCount,
        ])
      }
    }
    for (key, mark) in changes.reconciliations {
      try db.execute(
        sql: """
          INSERT INTO reconciliation (seq, unit, account, as_of, balance_fen)
          VALUES (?, ?, ?, ?, ?)
          """,
        arguments: [mark.seq, key.unit, key.account.name, mark.asOf.text, mark.balanceFen])
    }
  }
}
