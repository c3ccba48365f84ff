/// The body of an entry: one case per `EntryKind`, each holding the type that
/// mirrors the kind's body in `$defs` of Schemas/json/entry.schema.json (and
/// entry-supervision.schema.json). The kind of an entry is the case of its
/// body, so the two can't disagree.
public enum EntryBody: Sendable, Equatable {
  case genesis(GenesisBody)
  case unitAdd(UnitAddBody)
  case memberGrant(MemberGrantBody)
  case memberRevoke(MemberRevokeBody)
  case memberRotate(MemberRotateBody)
  case fundOpen(FundOpenBody)
  case donation(DonationBody)
  case allocationSend(AllocationSendBody)
  case allocationConfirm(AllocationSettleBody)
  case allocationVoid(AllocationSettleBody)
  case reversal(ReversalBody)
  case checkpoint(CheckpointBody)
  case checkpointCosign(CosignBody)
  case policySet(PolicySetBody)
  case disbursementRequest(DisbursementRequestBody)
  case disbursementApprove(RequestRefBody)
  case disbursementReject(RejectBody)
  case disbursementPay(RequestRefBody)
  case disbursementCancel(CancelBody)
  case fundRelease(FundReleaseBody)
  case reconciliation(ReconciliationBody)
  case openingRequest(OpeningRequestBody)
  case erasure(ErasureBody)
  case statementPublish(StatementPublishBody)
  case audit(AuditBody)
  case auditNote(AuditNoteBody)

  public var kind: EntryKind {
    switch self {
    case .genesis: .genesis
    case .unitAdd: .unitAdd
    case .memberGrant: .memberGrant
    case .memberRevoke: .memberRevoke
    case .memberRotate: .memberRotate
    case .fundOpen: .fundOpen
    case .donation: .donation
    case .allocationSend: .allocationSend
    case .allocationConfirm: .allocationConfirm
    case .allocationVoid: .allocationVoid
    case .reversal: .reversal
    case .checkpoint: .checkpoint
    case .checkpointCosign: .checkpointCosign
    case .policySet: .policySet
    case .disbursementRequest: .disbursementRequest
    case .disbursementApprove: .disbursementApprove
    case .disbursementReject: .disbursementReject
    case .disbursementPay: .disbursementPay
    case .disbursementCancel: .disbursementCancel
    case .fundRelease: .fundRelease
    case .reconciliation: .reconciliation
    case .openingRequest: .openingRequest
    case .erasure: .erasure
    case .statementPublish: .statementPublish
    case .audit: .audit
    case .auditNote: .auditNote
    }
  }

  /// Reads the body of an entry of `kind` at the reader's position.
  static func read(_ kind: EntryKind, _ reader: inout EntryReader) throws(EntryFormatError)
    -> EntryBody
  {
    switch kind {
    case .genesis: .genesis(try GenesisBody.read(&reader))
    case .unitAdd: .unitAdd(try UnitAddBody.read(&reader))
    case .memberGrant: .memberGrant(try MemberGrantBody.read(&reader))
    case .memberRevoke: .memberRevoke(try MemberRevokeBody.read(&reader))
    case .memberRotate: .memberRotate(try MemberRotateBody.read(&reader))
    case .fundOpen: .fundOpen(try FundOpenBody.read(&reader))
    case .donation: .donation(try DonationBody.read(&reader))
    case .allocationSend: .allocationSend(try AllocationSendBody.read(&reader))
    case .allocationConfirm: .allocationConfirm(try AllocationSettleBody.read(&reader))
    case .allocationVoid: .allocationVoid(try AllocationSettleBody.read(&reader))
    case .reversal: .reversal(try ReversalBody.read(&reader))
    case .checkpoint: .checkpoint(try CheckpointBody.read(&reader))
    case .checkpointCosign: .checkpointCosign(try CosignBody.read(&reader))
    case .policySet: .policySet(try PolicySetBody.read(&reader))
    case .disbursementRequest: .disbursementRequest(try DisbursementRequestBody.read(&reader))
    case .disbursementApprove: .disbursementApprove(try RequestRefBody.read(&reader))
    case .disbursementReject: .disbursementReject(try RejectBody.read(&reader))
    case .disbursementPay: .disbursementPay(try RequestRefBody.read(&reader))
    case .disbursementCancel: .disbursementCancel(try CancelBody.read(&reader))
    case .fundRelease: .fundRelease(try FundReleaseBody.read(&reader))
    case .reconciliation: .reconciliation(try ReconciliationBody.read(&reader))
    case .openingRequest: .openingRequest(try OpeningRequestBody.read(&reader))
    case .erasure: .erasure(try ErasureBody.read(&reader))
    case .statementPublish: .statementPublish(try StatementPublishBody.read(&reader))
    case .audit: .audit(try AuditBody.read(&reader))
    case .auditNote: .auditNote(try AuditNoteBody.read(&reader))
    }
  }

  func write(to out: inout CanonicalWriter) {
    switch self {
    case .genesis(let body): body.write(to: &out)
    case .unitAdd(let body): body.write(to: &out)
    case .memberGrant(let body): body.write(to: &out)
    case .memberRevoke(let body): body.write(to: &out)
    case .memberRotate(let body): body.write(to: &out)
    case .fundOpen(let body): body.write(to: &out)
    case .donation(let body): body.write(to: &out)
    case .allocationSend(let body): body.write(to: &out)
    case .allocationConfirm(let body), .allocationVoid(let body): body.write(to: &out)
    case .reversal(let body): body.write(to: &out)
    case .checkpoint(let body): body.write(to: &out)
    case .checkpointCosign(let body): body.write(to: &out)
    case .policySet(let body): body.write(to: &out)
    case .disbursementRequest(let body): body.write(to: &out)
    case .disbursementApprove(let body), .disbursementPay(let body): body.write(to: &out)
    case .disbursementReject(let body): body.write(to: &out)
    case .disbursementCancel(let body): body.write(to: &out)
    case .fundRelease(let body): body.write(to: &out)
    case .reconciliation(let body): body.write(to: &out)
    case .openingRequest(let body): body.write(to: &out)
    case .erasure(let body): body.write(to: &out)
    case .statementPublish(let body): body.write(to: &out)
    case .audit(let body): body.write(to: &out)
    case .auditNote(let body): body.write(to: &out)
    }
  }

  /// The body's own canonical bytes (as they sit inside the entry's).
  public var canonicalBytes: [UInt8] { Canonical.bytes { write(to: &$0) } }

  /// The body as a generic JSON object, for printing it whole (`--format json`).
  public var json: JSONObject {
    guard case .object(let object)? = try? JSONValue.parse(canonicalBytes) else {
      preconditionFailure("a typed body encodes to a JSON object")
    }
    return object
  }

  /// Reads a body given as a generic JSON object (by another tool, or a
  /// test) as the type of `kind`: refused, naming the field, when it does
  /// not fit that type.
  public init(kind: EntryKind, json: JSONObject) throws(AlmonerError) {
    let bytes = Canonical.encode(.object(json))
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(EntryFormatError) -> EntryBody in
        guard let base = buffer.baseAddress else { throw EntryFormatError(offset: nil, "为空") }
        var reader = EntryReader(bytes: base, count: buffer.count)
        let body = try EntryBody.read(kind, &reader)
        try reader.expectEnd()
        return body
      }
    }
    switch result {
    case .success(let body): self = body
    case .failure(let error):
      var located = error.under(Entry.Key.body.text)
      located.kind = kind
      located.offset = nil
      throw .refused(.entryBodyMalformed(detail: located.message))
    }
  }

  /// Two bodies are equal when their canonical bytes are: text is compared
  /// by its exact UTF-8 bytes, never by Swift's canonical equivalence.
  public static func == (lhs: EntryBody, rhs: EntryBody) -> Bool {
    lhs.canonicalBytes == rhs.canonicalBytes
  }
}
