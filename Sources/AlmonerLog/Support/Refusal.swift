/// Every refusal the program knows by name, one case each, with what its
/// message names as plain values (unit code, seq, file path, amount in fen).
/// Each refusal has a stable kebab-case `code` (scripts read it from
/// `--format json` errors; tests match it instead of prose) and an exit
/// status class (`kind`); a statement's checks and a receipt's steps are one
/// case each with a code per check or step. The text a person reads is
/// rendered in one place, `RefusalText.swift`.
///
/// Codes are stable: a case may be added, never renamed or given another
/// code. Adding a case means adding it to `Code`, `tag`, `sample(_:)` and
/// the renderer; the compiler asks for each.
public enum Refusal: Sendable, Equatable {
  /// `refusal` placed in `field` (an option, a file): `field：message`. Its
  /// code is the inner refusal's.
  indirect case inField(String, Refusal)

  // MARK: Options and arguments

  case keyOptionMissing
  case choiceInvalid(field: String, value: String, allowed: String)
  case channelInvalid(value: String, allowed: String)
  case donorTypeInvalid(field: String, value: String)
  case accountInvalid(value: String)
  case languageInvalid(value: String)
  case statementFormatInvalid(value: String)
  case donorMissing
  case namedNotPerson
  case asOfWithPeriod
  case noBomNotCSV
  case checkpointAndWitness
  case auditRulesNotJSON(path: String, detail: String)
  case fileUnreadable(what: String, path: String)
  case fileNotUTF8(what: String, path: String)
  case inputFileMissing(what: String, path: String)

  // MARK: Amounts, dates, text

  case amountEmpty(text: String)
  case amountNegative(text: String)
  case amountPlusSign(text: String)
  case amountSeparator(text: String)
  case amountPoints(text: String)
  case amountNotDigits(text: String)
  case amountFractionMissing(text: String)
  case amountDecimals(text: String)
  case amountOverLimit(text: String, limitFen: Int64)
  case amountNotPositive(text: String)
  case dateMalformed(text: String)
  case dateNonexistent(text: String)
  case timeZoneUnknown(String)
  case textEmpty(field: String)
  case textTooLong(field: String, max: Int, actual: Int)
  /// `character`: the refused character described (`含有…`), as text.
  case textCharacterRefused(field: String, character: String, invalidUTF8: Bool)
  case originInvalid(String)

  // MARK: Key files and passphrases

  case keyFileExists(path: String)
  case keyFileNotCreatable(path: String, reason: String)
  case keyFileWriteFailed(path: String, reason: String)
  case keyFileMissing(KeyHalf, path: String)
  case keyFileIsDirectory(KeyHalf, path: String)
  case keyFileUnreadable(KeyHalf, path: String)
  case keyFileNotPEM(KeyHalf, path: String)
  case keyFileModeUnreadable(path: String, reason: String)
  /// `mode`: four octal digits (`0644`); `quotedPath`: the path as one shell word.
  case keyFilePermissions(path: String, mode: String, quotedPath: String)
  case passphraseFileMissing(path: String)
  case passphraseFileIsDirectory(path: String)
  case passphraseFileUnreadable(path: String)
  case passphraseEmpty(path: String)
  case passphraseTooLong(path: String, max: Int)

  // MARK: Output files

  case outputNotRegularFile(what: String, path: String)
  case outputIsLedger(what: String, path: String, ledger: String)
  case outputPlaceFailed(what: String, path: String, reason: String, temporaryPath: String)
  case outputDiskFull(what: String, path: String)
  case outputFolderMissing(what: String, path: String, reason: String)
  case outputNotWritable(what: String, path: String, reason: String)
  case outputIsDirectory(what: String, path: String)
  case outputWriteFailed(what: String, path: String, reason: String)

  // MARK: Units, funds, members, persons

  /// `what`: 单位 or 上级单位; `known`: the units there are, listed.
  case unitUnknown(field: String, what: String, text: String, known: String)
  case unitAmbiguous(field: String, text: String, count: Int, codes: String)
  case unitUnderCommunity(parentName: String)
  /// `field`: `--fund`, or `基金` for an imported row.
  case fundUnknown(field: String, unitName: String, unitCode: String, text: String, known: String)
  case donationReferenceRecorded(reference: String, seq: Int64)
  case unitNameLikeCode(name: String)
  case unitNameIsCode(name: String, unitCode: String, unitName: String)
  case unitNameTaken(name: String, unitCode: String, unitName: String)
  case unitCodeIsName(code: String, unitCode: String, unitName: String)
  case fundNameTaken(name: String, unitName: String, fundCode: String, fundName: String)
  case fundNameIsCode(name: String, unitName: String, fundCode: String, fundName: String)
  case fundCodeIsName(code: String, unitName: String, fundName: String)
  /// `action`: 授予/撤销/更换 as the entry kind names it.
  case supervisorAppointedAbove(
    unit: String, appointing: String, action: String, signerName: String, signerKeyID: String)
  case dutiesGrantClash(
    name: String, keyID: String, unit: String, heldRole: String, grantedSeq: Int64, role: String)
  case dutiesApproveClash(name: String, unit: String, grantedSeq: Int64, requestID: Int64)
  case dutiesPayClash(name: String, requestID: Int64, approvalSeq: Int64, unit: String)
  case rotateKeyUnknown(keyID: String)
  case rotateKeyRevoked(keyID: String, name: String, seq: Int64)
  case rotateKeyTaken(keyID: String, holderName: String)
  case rotateKeyWithoutRoles(keyID: String)
  case grantNameMismatch(keyID: String, knownName: String, name: String)
  case grantNameHeld(name: String, holderKeyID: String, roles: String, unitName: String)

  // MARK: Statements and receipts as a resident checks them

  /// A statement fails `check`; `detail` says where and how. Each check has
  /// its own code (`statement-check-signature` …); the exit status is 1.
  case statementCheckFailed(StatementCheck, detail: String)
  /// A receipt fails `step`; `detail` says how. Step 1 (the file is not a
  /// receipt) is bad input; a later step is a failed verification.
  case receiptStepFailed(ReceiptStep, detail: String)

  /// What a statement's verification checks, in the order it checks them.
  public enum StatementCheck: Sendable, Equatable, CaseIterable {
    case ledger, checkpoint, lineOrder, inclusion, entry, unit, totals, balance, reversalMarks,
      hash, signature, publicLog, completeness, relatedEntry, previous, opening, publication
  }

  /// The seven steps of verifying a receipt (`Receipt.Step` in AlmonerKit).
  public enum ReceiptStep: Int, Sendable, Equatable, CaseIterable {
    case file = 1
    case entry, donor, proofFormat, checkpointSignature, cosignatures, inclusion
  }

  // MARK: Statements, receipts, trust files, public logs

  case trustFileMalformed
  case trustFileVkeyMissing(field: String)
  case trustKeyWrongType(vkey: String)
  case trustQuorumInvalid(max: Int)
  case trustFileNotUTF8
  case trustFileWithoutLogKey
  case trustFileWithoutLedgerID
  case witnessQuorumOutOfRange(max: Int, given: Int)
  case witnessQuorumOverWitnesses(witnesses: Int, quorum: Int)
  case ledgerNotInitialised
  case entryMissing(seq: Int64)
  case receiptNotDonation(seq: Int64, kindName: String)
  case receiptDonorErased(seq: Int64, erasureSeq: Int64)
  case receiptDonorMissing(seq: Int64)
  case statementOtherLedger(unitCode: String)
  case statementCosignerNotSupervisor(name: String, keyID: String, unit: String)
  case statementAlreadySigned(name: String)
  case statementSupervisorAfterCheckpoint(name: String)
  case statementWithoutTreasurer(doing: String)
  case statementCheckpointNotInLedger(treeSize: Int64)
  case statementRecomputedDiffers(difference: String, doing: String)
  case statementPublisherNotTreasurer(name: String, keyID: String, unit: String)
  case statementNotCosigned
  case statementAlreadyPublished(seq: Int64)
  case statementPreviousNotNeeded
  case notAStatementFile(format: String)
  /// A statement file's field is malformed (exit 1: the file does not verify).
  case statementFieldInvalid(field: String, detail: String)
  case periodInvalid(text: String)
  case publicLogTooShort(count: Int, needed: Int64)
  case publicLogCheckpointUnreadable(path: String)
  case publicLogBundleMissing(directory: String, bundle: String)
  case publicLogFileUnreadable(path: String)
  case publicLogBundleTruncated(path: String)
  case publicLogBundleEmpty(path: String)
  case publicLogCheckpointInvalid(detail: String)
  case publicLogRootMismatch
  case publicLogOtherLedger
  case publicLogBeforeReceipt(treeSize: Int64, seq: Int64)
  case publicLogEntryDiffers(seq: Int64)

  // MARK: Import and export

  case periodReversed(from: String, to: String)
  /// `rows`: each refused row with its reason, for `--format json`; nil when they were printed one per line.
  case importRowsRefused(file: String, count: Int, rows: String?)
  case importHeaderUnreadable(line: Int, problem: String)
  case importSkipUntilUnmatched(pattern: String)
  case importHeaderMissing
  case importColumnUnknown(line: Int, cell: String)
  case importColumnTwice(line: Int, column: String)
  case importColumnMissing(line: Int, column: String)
  case importIncomeEmpty
  case importAmountEmpty
  case importAmountZero
  case importAmountNegative(amount: String)
  case importDateEmpty
  case importDateInFuture(date: String, today: String)
  case importUnitMissing
  case importChannelInvalid(text: String)
  case importDonorEmpty
  case importNamedInvalid(text: String)
  case importSignerNotTreasurer(unitName: String, unitCode: String)
  case importLedgerChanged
  case billAmountSeparatorMisplaced(text: String)
  /// `format`: the rules file's date format, nil for the automatic one.
  case billDateMalformed(text: String, format: String?)
  case rulesFileTooLarge(source: String, maxKB: Int)
  case rulesFileNotUTF8(source: String)
  case rulesLineInvalid(source: String, line: Int, detail: String)
  case rulesIfWithoutBody(source: String)
  case rulesFieldsUndefined(source: String, fields: String)
  case exportEntryMissing(seq: Int64)
  case exportEntryBroken(seq: Int64, detail: String)
  case exportBalancesDiffer
  case ledgerWithoutGenesis

  // MARK: Checkpoints, cosignatures, proofs, state seal, publication, erasure

  case ledgerWithoutDistrict
  case checkpointSizeWrong(entries: Int64, stated: Int64)
  case checkpointRootWrong
  case checkpointTextDiffers
  case checkpointSignatureWrong(author: String)
  case notACheckpoint(seq: Int64)
  case cosignerSignsLog
  case cosignerSignsLogIndependent
  case cosignerNotWitness(name: String, keyID: String)
  case checkpointAlreadyCosigned(keyID: String, seq: Int64)
  case cosignatureLineWrong(author: String)
  case cosignatureTimestampNotLater(timestamp: UInt64, name: String, last: UInt64)
  case cosignatureTimestampOutOfRange(timestamp: UInt64)
  case checkpointOtherLedger(origin: String, trusted: String)
  case checkpointNotThisLedger(origin: String, ledgerOrigin: String)
  case checkpointLogSignatureInvalid(holder: String)
  case checkpointWithoutTrustedSignature
  case checkpointWithoutLogSignature
  case cosignatureInvalid(holder: String)
  /// `detail`: how many cosignatures the trust file asks for and how many there are.
  case cosignaturesTooFew(detail: String)
  case witnessStateUnreadable(path: String)
  case witnessStateNotObject(path: String)
  case witnessStateEntryBroken(path: String, origin: String)
  case witnessStateTimeBroken(path: String, origin: String)
  case witnessStateSizeInvalid(origin: String, treeSize: Int64)
  /// The ledger fails its check before something is signed; `purpose`: what was refused (签署检查点 …).
  case ledgerCheckFailed(purpose: String, problem: String?)
  case storedTreeDiffers
  case checkpointNotInLedger(treeSize: Int64, rootPrefix: String)
  case checkpointTextNotOriginal(seq: Int64)
  case checkpointOlderThanCosigned(treeSize: Int64, remembered: Int64)
  case historyRewritten(treeSize: Int64, rootPrefix: String, detail: String)
  case rebuiltRootDiffers(treeSize: Int64)
  case treeSizeOutOfRange(size: Int64, count: Int64)
  case entryOutsideTree(seq: Int64, size: Int64)
  case treeSizesReversed(old: Int64, new: Int64)
  case statementPublishedBefore(hash: String, seq: Int64)
  /// `scope`: the unit, 含下属单位 when it is, and the period, as one phrase.
  case statementCorrectsNothing(scope: String, supersedes: String)
  case statementNeedsCorrection(scope: String, seq: Int64, hash: String)
  case statementCorrectsWrong(supersedes: String, scope: String, seq: Int64, hash: String)
  case statementFileHashDiffers
  case erasureTargetMissing(seq: Int64)
  case erasureTargetWithoutPersonalData(seq: Int64, kindName: String)
  case erasureRepeated(seq: Int64, whose: String, erasureSeq: Int64)

  // MARK: Keys and signed notes

  case publicKeyLength(count: Int)
  case publicKeySmallOrder
  case publicKeyNonCanonical
  /// `detail`: OpenSSL's error text.
  case publicKeyInvalid(detail: String)
  case keyNotEd25519(detail: String)
  case publicKeyUnreadable(detail: String)
  case publicKeyNotPEM
  case publicKeyWrongType
  case privateKeyNotPEM
  case privateKeyEncrypted
  case passphraseTooLongForKey
  case passphraseWrong
  case privateKeyWrongType
  case noteTooLarge
  case noteNotUTF8
  case noteControlCharacter
  case noteBlankLineMissing
  case noteFinalNewlineMissing
  case noteSignatureLineMalformed(line: String)
  case noteSignatureCount(max: Int)
  case verifierKeyInvalid(text: String)
  case verifierKeyIDMismatch(text: String)
  case checkpointMalformed

  // MARK: Ledger files, audits, conduct rules

  case ledgerFileExists(path: String)
  case ledgerNotCreatable(path: String, reason: String)
  case ledgerMissing(path: String)
  case ledgerIsDirectory(path: String)
  case ledgerUnreadable(path: String)
  case notALedger(path: String)
  case ledgerUpgradeReadOnly(path: String)
  case ledgerWriteAheadLogPending(path: String, detail: String)
  case disbursementUnknown(id: Int64)
  case auditPeriodInFuture(to: String, date: String)
  case auditNoteTargetNotAudit(seq: Int64, kindName: String)
  case conductRulesNotObject
  case conductRuleUnknown(code: String, known: String)
  case conductRuleNotObject(code: String)
  case conductRuleEnabledNotBool(code: String)
  case conductRuleParameterUnknown(code: String, name: String, known: String)
  case conductRuleParameterNotInteger(code: String, name: String, unit: String)
  case conductRuleParameterOutOfRange(
    code: String, name: String, value: Int64, lower: Int64, upper: Int64, unit: String)

  // MARK: The ledger file checked before a write

  case ledgerSchemaAltered(problems: String)
  case projectionsUnreadable(detail: String)
  case stateSealMismatch(tables: String)
  case ledgerProblemsBeforeWrite(problems: String)
  case erasureCommitmentMismatch(seq: Int64)
  /// A value in an entry's body its type can't refuse (BodyCheck); `field`: its path.
  case entryFieldInvalid(field: String, detail: String)

  // MARK: Openings

  case openingAccountInvalid

  // MARK: Entry rules: units, funds, roles, balances, allocations, reversals

  case unitCodeUnknown(code: String)
  case fundCodeUnknown(unit: String, code: String)
  case roleRequired(name: String, keyID: String, unit: String, roles: String, action: String)
  case balanceOverLimit(unit: String, account: String)
  case districtTotalOverLimit(account: String, limitFen: Int64)
  case balanceInsufficient(unit: String, fund: String, account: String, heldFen: Int64)
  case balanceNegativeOnDay(
    unit: String, fund: String, account: String, day: String, balanceFen: Int64, date: String,
    outflowFen: Int64)
  case balanceReserved(
    unit: String, fund: String, heldFen: Int64, reservedFen: Int64, requests: String,
    availableFen: Int64, outflowFen: Int64)
  case unitCodeTaken(code: String)
  case unitTierMisplaced(tier: String, parentTier: String, parentName: String, childTier: String)
  case grantKeyRevoked(keyID: String, name: String, seq: Int64)
  case roleAlreadyHeld(name: String, keyID: String, unit: String, role: String)
  case memberKeyUnknown(keyID: String)
  case memberKeyRevoked(keyID: String, name: String, seq: Int64)
  case lastDistrictAdmin(name: String)
  case fundPurposeMissing
  case fundPurposeUnrestricted
  case fundCategoryUnrestricted
  case fundCodeTaken(unit: String, code: String)
  case allocationNotAdjacent(from: String, to: String)
  case allocationFundsDiffer(to: String, receivingFund: String, from: String, fund: String)
  case allocationUnknown(id: Int64)
  case allocationSettled(id: Int64, status: String, seq: Int64)
  case allocationDateBeforeSent(confirming: Bool, date: String, id: Int64, sentDate: String)
  case reversalTargetMissing(seq: Int64)
  case reversalRepeated(seq: Int64, by: Int64)
  case reversalNotDonation(seq: Int64, kindName: String, inTransit: Bool)
  case reversalDateBeforeOriginal(date: String, seq: Int64, originalDate: String)
  case unitCodeInvalid(code: String, max: Int)
  case fundCodeInvalid(code: String, max: Int)
  case genesisNotFirst
  case firstNotGenesis
  case signerNotMember(keyID: String)
  case signerRevoked(keyID: String, name: String, seq: Int64)
  case genesisSignerNotAdmin

  // MARK: Supervision rules: policy, disbursements, reconciliation

  case reconciledPeriodClosed(unit: String, account: String, asOf: String, seq: Int64)
  case policyApproverCount(tier: String, max: Int, count: Int64)
  case policyThresholdsReversed(parentFen: Int64, districtFen: Int64)
  case policyUnchanged(policy: String)
  case restrictedFundOffPurpose(
    fund: String, fundCode: String, fundCategory: String, category: String)
  case attachmentRepeated(name: String)
  case releaseFundNotRestricted(fund: String)
  case disbursementClosed(id: Int64, status: String, seq: Int64?)
  case approvalDateBeforeRequest(date: String, id: Int64, requestDate: String)
  case approvalNotNeeded(id: Int64)
  case approvalOwnRequest(id: Int64)
  case approvalRepeated(name: String, id: Int64, seq: Int64, earlierKeyID: String?)
  case approvalTierNotNeeded(id: Int64, missing: String, name: String, tier: String)
  case rejectOwnRequest(id: Int64)
  case cancelNotRequester(requester: String, id: Int64)
  case paymentApprovalsMissing(id: Int64, policy: String, missing: String)
  case paymentDateBeforeRequest(date: String, requestDate: String)
  case reconcileDateNotPast(asOf: String, date: String)
  case reconcileMismatch(
    unit: String, account: String, asOf: String, bookedFen: Int64, statedFen: Int64)

  // MARK: Statements signed and published

  case statementSignerNotTreasurer(name: String, keyID: String, unit: String)
  case statementCorrectionNotNeeded(scope: String)
  case statementCorrectionReasonMissing(scope: String, seq: Int64, hash: String)
  case statementPreviousFileMissing(hash: String)
  case statementOpeningChanged(problem: String, previousPeriod: String, period: String)
  case statementNoCosignedCheckpoint(periodEnd: String)
  case statementCheckpointTooEarly(seq: Int64, signedOn: String, periodEnd: String, period: String)
  case statementTotalOverflow
  case statementRoleAfterCheckpoint(name: String, seq: Int64)
  case statementFileMissing(seq: Int64, hash: String)
  case publishNoCosignedCheckpoint
  case ledgerDiffersFromCheckpoint(size: Int64)
  case ledgerRootDiffers(size: Int64, seq: Int64, publishing: Bool)
  case ledgerEntryMissing(seq: Int64)
  case entryHashMismatch(seq: Int64, publishing: Bool)
  case hashTilesFailed(reason: String)
  case publicLogBundleFailed(start: Int64)
  case publicLogWriteFailed(path: String, reason: String)
  case statementEntryReferenceMissing(seq: Int64, needed: Int64, what: String)
  case ledgerShorterThanCheckpoint(size: Int64)
  case statementPublishRowMalformed(row: Int64, column: String)

  // MARK: The ledger file, its entries and its writes

  case timeZoneInvalid(String)
  case storedHashMalformed(seq: Int64)
  case commitEmpty
  case commitTooLarge(max: Int)
  case clockBehindLedger(time: String, headTime: String)
  case dateInFuture(date: String, today: String)
  case personalDataInvalid(problem: String)
  case writeNotReadBack(subject: String)
  case attachmentsTooMany(max: Int)
  case attachmentUnreadable(path: String)
  case attachmentTooLarge(path: String, bytes: Int, maxMB: Int)
  case attachmentDuplicate(path: String, samePath: String)
  case attachmentFolderNotCreatable(directory: String, reason: String)
  case attachmentNotSaved(name: String, target: String, reason: String)
  case memberKeyPersonMissing(keyID: String)
  case entryUnreadable(seq: Int64, reason: String)
  case entryDiffersFromSealedTree(seq: Int64)
  case entryHashMissing(seq: Int64)
  case ledgerReadOnly(path: String, doing: String, unchanged: Bool)
  case ledgerBusy(path: String, seconds: Int, doing: String, unchanged: Bool)
  case ledgerIOFailed(path: String, doing: String, unchanged: Bool, reason: String)
  case ledgerConnectionClosed
  case journalKindInvalid(text: String, known: String)
  case journalAccountInvalid(text: String)
  case signerUnknown(text: String)
  case entryEmpty
  case entryBytesMalformed(detail: String)
  case entryBodyMalformed(detail: String)
  case entryNotCanonical
  case checkpointEntryWrongKind(kind: String, seq: Int64)
  case payeeCommitmentMismatch(path: String)
  case projectionValueInvalid(table: String, column: String, value: String)
  case consistencyProofFailed(detail: String)
  /// A column of an `entry` row that is NULL or of a type almoner never
  /// writes (the schema was edited); `seq` nil when it is the seq itself.
  case entryRowMalformed(seq: Int64?, column: String)

  /// Which half of a key pair a key file holds.
  public enum KeyHalf: Sendable, Equatable {
    case privateKey, publicKey
  }

  /// The stable codes, one per case (`inField` has none of its own).
  public enum Code: String, CaseIterable, Sendable {
    case keyOptionMissing = "key-option-missing"
    case choiceInvalid = "choice-invalid"
    case channelInvalid = "channel-invalid"
    case donorTypeInvalid = "donor-type-invalid"
    case accountInvalid = "account-invalid"
    case languageInvalid = "language-invalid"
    case statementFormatInvalid = "statement-format-invalid"
    case donorMissing = "donor-missing"
    case namedNotPerson = "named-not-person"
    case asOfWithPeriod = "as-of-with-period"
    case noBomNotCSV = "no-bom-not-csv"
    case checkpointAndWitness = "checkpoint-and-witness"
    case auditRulesNotJSON = "audit-rules-not-json"
    case fileUnreadable = "file-unreadable"
    case fileNotUTF8 = "file-not-utf8"
    case inputFileMissing = "input-file-missing"

    case amountEmpty = "amount-empty"
    case amountNegative = "amount-negative"
    case amountPlusSign = "amount-plus-sign"
    case amountSeparator = "amount-separator"
    case amountPoints = "amount-points"
    case amountNotDigits = "amount-not-digits"
    case amountFractionMissing = "amount-fraction-missing"
    case amountDecimals = "amount-decimals"
    case amountOverLimit = "amount-over-limit"
    case amountNotPositive = "amount-not-positive"
    case dateMalformed = "date-malformed"
    case dateNonexistent = "date-nonexistent"
    case timeZoneUnknown = "time-zone-unknown"
    case textEmpty = "text-empty"
    case textTooLong = "text-too-long"
    case textCharacterRefused = "text-character-refused"
    case originInvalid = "origin-invalid"

    case keyFileExists = "key-file-exists"
    case keyFileNotCreatable = "key-file-not-creatable"
    case keyFileWriteFailed = "key-file-write-failed"
    case keyFileMissing = "key-file-missing"
    case keyFileIsDirectory = "key-file-is-directory"
    case keyFileUnreadable = "key-file-unreadable"
    case keyFileNotPEM = "key-file-not-pem"
    case keyFileModeUnreadable = "key-file-mode-unreadable"
    case keyFilePermissions = "key-file-permissions"
    case passphraseFileMissing = "passphrase-file-missing"
    case passphraseFileIsDirectory = "passphrase-file-is-directory"
    case passphraseFileUnreadable = "passphrase-file-unreadable"
    case passphraseEmpty = "passphrase-empty"
    case passphraseTooLong = "passphrase-too-long"

    case outputNotRegularFile = "output-not-regular-file"
    case outputIsLedger = "output-is-ledger"
    case outputPlaceFailed = "output-place-failed"
    case outputDiskFull = "disk-full"
    case outputFolderMissing = "output-folder-missing"
    case outputNotWritable = "output-not-writable"
    case outputIsDirectory = "output-is-directory"
    case outputWriteFailed = "output-write-failed"

    case unitUnknown = "unit-unknown"
    case unitAmbiguous = "unit-ambiguous"
    case unitUnderCommunity = "unit-under-community"
    case fundUnknown = "fund-unknown"
    case donationReferenceRecorded = "donation-reference-recorded"
    case unitNameLikeCode = "unit-name-like-code"
    case unitNameIsCode = "unit-name-is-code"
    case unitNameTaken = "unit-name-taken"
    case unitCodeIsName = "unit-code-is-name"
    case fundNameTaken = "fund-name-taken"
    case fundNameIsCode = "fund-name-is-code"
    case fundCodeIsName = "fund-code-is-name"
    case supervisorAppointedAbove = "supervisor-appointed-above"
    case dutiesGrantClash = "duties-grant-clash"
    case dutiesApproveClash = "duties-approve-clash"
    case dutiesPayClash = "duties-pay-clash"
    case rotateKeyUnknown = "rotate-key-unknown"
    case rotateKeyRevoked = "rotate-key-revoked"
    case rotateKeyTaken = "rotate-key-taken"
    case rotateKeyWithoutRoles = "rotate-key-without-roles"
    case grantNameMismatch = "grant-name-mismatch"
    case grantNameHeld = "grant-name-held"

    case statementCheckLedger = "statement-check-ledger"
    case statementCheckCheckpoint = "statement-check-checkpoint"
    case statementCheckLineOrder = "statement-check-line-order"
    case statementCheckInclusion = "statement-check-inclusion"
    case statementCheckEntry = "statement-check-entry"
    case statementCheckUnit = "statement-check-unit"
    case statementCheckTotals = "statement-check-totals"
    case statementCheckBalance = "statement-check-balance"
    case statementCheckReversalMarks = "statement-check-reversal-marks"
    case statementCheckHash = "statement-check-hash"
    case statementCheckSignature = "statement-check-signature"
    case statementCheckPublicLog = "statement-check-public-log"
    case statementCheckCompleteness = "statement-check-completeness"
    case statementCheckRelatedEntry = "statement-check-related-entry"
    case statementCheckPrevious = "statement-check-previous"
    case statementCheckOpening = "statement-check-opening"
    case statementCheckPublication = "statement-check-publication"
    case receiptStepFile = "receipt-not-a-receipt"
    case receiptStepEntry = "receipt-check-entry"
    case receiptStepDonor = "receipt-check-donor"
    case receiptStepProofFormat = "receipt-check-proof-format"
    case receiptStepCheckpointSignature = "receipt-check-checkpoint-signature"
    case receiptStepCosignatures = "receipt-check-cosignatures"
    case receiptStepInclusion = "receipt-check-inclusion"

    case trustFileMalformed = "trust-file-malformed"
    case trustFileVkeyMissing = "trust-file-vkey-missing"
    case trustKeyWrongType = "trust-key-wrong-type"
    case trustQuorumInvalid = "trust-quorum-invalid"
    case trustFileNotUTF8 = "trust-file-not-utf8"
    case trustFileWithoutLogKey = "trust-file-without-log-key"
    case trustFileWithoutLedgerID = "trust-file-without-ledger-id"
    case witnessQuorumOutOfRange = "witness-quorum-out-of-range"
    case witnessQuorumOverWitnesses = "witness-quorum-over-witnesses"
    case ledgerNotInitialised = "ledger-not-initialised"
    case entryMissing = "entry-missing"
    case receiptNotDonation = "receipt-not-donation"
    case receiptDonorErased = "receipt-donor-erased"
    case receiptDonorMissing = "receipt-donor-missing"
    case statementOtherLedger = "statement-other-ledger"
    case statementCosignerNotSupervisor = "statement-cosigner-not-supervisor"
    case statementAlreadySigned = "statement-already-signed"
    case statementSupervisorAfterCheckpoint = "statement-supervisor-after-checkpoint"
    case statementWithoutTreasurer = "statement-without-treasurer"
    case statementCheckpointNotInLedger = "statement-checkpoint-not-in-ledger"
    case statementRecomputedDiffers = "statement-recomputed-differs"
    case statementPublisherNotTreasurer = "statement-publisher-not-treasurer"
    case statementNotCosigned = "statement-not-cosigned"
    case statementAlreadyPublished = "statement-already-published"
    case statementPreviousNotNeeded = "statement-previous-not-needed"
    case notAStatementFile = "not-a-statement-file"
    case statementFieldInvalid = "statement-field-invalid"
    case periodInvalid = "period-invalid"
    case publicLogTooShort = "public-log-too-short"
    case publicLogCheckpointUnreadable = "public-log-checkpoint-unreadable"
    case publicLogBundleMissing = "public-log-bundle-missing"
    case publicLogFileUnreadable = "public-log-file-unreadable"
    case publicLogBundleTruncated = "public-log-bundle-truncated"
    case publicLogBundleEmpty = "public-log-bundle-empty"
    case publicLogCheckpointInvalid = "public-log-checkpoint-invalid"
    case publicLogRootMismatch = "public-log-root-mismatch"
    case publicLogOtherLedger = "public-log-other-ledger"
    case publicLogBeforeReceipt = "public-log-before-receipt"
    case publicLogEntryDiffers = "public-log-entry-differs"

    case periodReversed = "period-reversed"
    case importRowsRefused = "import-rows-refused"
    case importHeaderUnreadable = "import-header-unreadable"
    case importSkipUntilUnmatched = "import-skip-until-unmatched"
    case importHeaderMissing = "import-header-missing"
    case importColumnUnknown = "import-column-unknown"
    case importColumnTwice = "import-column-twice"
    case importColumnMissing = "import-column-missing"
    case importIncomeEmpty = "import-income-empty"
    case importAmountEmpty = "import-amount-empty"
    case importAmountZero = "import-amount-zero"
    case importAmountNegative = "import-amount-negative"
    case importDateEmpty = "import-date-empty"
    case importDateInFuture = "import-date-in-future"
    case importUnitMissing = "import-unit-missing"
    case importChannelInvalid = "import-channel-invalid"
    case importDonorEmpty = "import-donor-empty"
    case importNamedInvalid = "import-named-invalid"
    case importSignerNotTreasurer = "import-signer-not-treasurer"
    case importLedgerChanged = "import-ledger-changed"
    case billAmountSeparatorMisplaced = "bill-amount-separator-misplaced"
    case billDateMalformed = "bill-date-malformed"
    case rulesFileTooLarge = "rules-file-too-large"
    case rulesFileNotUTF8 = "rules-file-not-utf8"
    case rulesLineInvalid = "rules-line-invalid"
    case rulesIfWithoutBody = "rules-if-without-body"
    case rulesFieldsUndefined = "rules-fields-undefined"
    case exportEntryMissing = "export-entry-missing"
    case exportEntryBroken = "export-entry-broken"
    case exportBalancesDiffer = "export-balances-differ"
    case ledgerWithoutGenesis = "ledger-without-genesis"

    case ledgerWithoutDistrict = "ledger-without-district"
    case checkpointSizeWrong = "checkpoint-size-wrong"
    case checkpointRootWrong = "checkpoint-root-wrong"
    case checkpointTextDiffers = "checkpoint-text-differs"
    case checkpointSignatureWrong = "checkpoint-signature-wrong"
    case notACheckpoint = "not-a-checkpoint"
    case cosignerSignsLog = "cosigner-signs-log"
    case cosignerSignsLogIndependent = "cosigner-signs-log-independent"
    case cosignerNotWitness = "cosigner-not-witness"
    case checkpointAlreadyCosigned = "checkpoint-already-cosigned"
    case cosignatureLineWrong = "cosignature-line-wrong"
    case cosignatureTimestampNotLater = "cosignature-timestamp-not-later"
    case cosignatureTimestampOutOfRange = "cosignature-timestamp-out-of-range"
    case checkpointOtherLedger = "checkpoint-other-ledger"
    case checkpointNotThisLedger = "checkpoint-not-this-ledger"
    case checkpointLogSignatureInvalid = "checkpoint-log-signature-invalid"
    case checkpointWithoutTrustedSignature = "checkpoint-without-trusted-signature"
    case checkpointWithoutLogSignature = "checkpoint-without-log-signature"
    case cosignatureInvalid = "cosignature-invalid"
    case cosignaturesTooFew = "cosignatures-too-few"
    case witnessStateUnreadable = "witness-state-unreadable"
    case witnessStateNotObject = "witness-state-not-object"
    case witnessStateEntryBroken = "witness-state-entry-broken"
    case witnessStateTimeBroken = "witness-state-time-broken"
    case witnessStateSizeInvalid = "witness-state-size-invalid"
    case ledgerCheckFailed = "ledger-check-failed"
    case storedTreeDiffers = "stored-tree-differs"
    case checkpointNotInLedger = "checkpoint-not-in-ledger"
    case checkpointTextNotOriginal = "checkpoint-text-not-original"
    case checkpointOlderThanCosigned = "checkpoint-older-than-cosigned"
    case historyRewritten = "history-rewritten"
    case rebuiltRootDiffers = "rebuilt-root-differs"
    case treeSizeOutOfRange = "tree-size-out-of-range"
    case entryOutsideTree = "entry-outside-tree"
    case treeSizesReversed = "tree-sizes-reversed"
    case statementPublishedBefore = "statement-published-before"
    case statementCorrectsNothing = "statement-corrects-nothing"
    case statementNeedsCorrection = "statement-needs-correction"
    case statementCorrectsWrong = "statement-corrects-wrong"
    case statementFileHashDiffers = "statement-file-hash-differs"
    case erasureTargetMissing = "erasure-target-missing"
    case erasureTargetWithoutPersonalData = "erasure-target-without-personal-data"
    case erasureRepeated = "erasure-repeated"

    case publicKeyLength = "public-key-length"
    case publicKeySmallOrder = "public-key-small-order"
    case publicKeyNonCanonical = "public-key-non-canonical"
    case publicKeyInvalid = "public-key-invalid"
    case keyNotEd25519 = "key-not-ed25519"
    case publicKeyUnreadable = "public-key-unreadable"
    case publicKeyNotPEM = "public-key-not-pem"
    case publicKeyWrongType = "public-key-wrong-type"
    case privateKeyNotPEM = "private-key-not-pem"
    case privateKeyEncrypted = "private-key-encrypted"
    case passphraseTooLongForKey = "passphrase-too-long-for-key"
    case passphraseWrong = "passphrase-wrong"
    case privateKeyWrongType = "private-key-wrong-type"
    case noteTooLarge = "note-too-large"
    case noteNotUTF8 = "note-not-utf8"
    case noteControlCharacter = "note-control-character"
    case noteBlankLineMissing = "note-blank-line-missing"
    case noteFinalNewlineMissing = "note-final-newline-missing"
    case noteSignatureLineMalformed = "note-signature-line-malformed"
    case noteSignatureCount = "note-signature-count"
    case verifierKeyInvalid = "verifier-key-invalid"
    case verifierKeyIDMismatch = "verifier-key-id-mismatch"
    case checkpointMalformed = "checkpoint-malformed"

    case ledgerFileExists = "ledger-file-exists"
    case ledgerNotCreatable = "ledger-not-creatable"
    case ledgerMissing = "ledger-missing"
    case ledgerIsDirectory = "ledger-is-directory"
    case ledgerUnreadable = "ledger-unreadable"
    case notALedger = "not-a-ledger"
    case ledgerUpgradeReadOnly = "ledger-upgrade-read-only"
    case ledgerWriteAheadLogPending = "ledger-write-ahead-log-pending"
    case disbursementUnknown = "disbursement-unknown"
    case auditPeriodInFuture = "audit-period-in-future"
    case auditNoteTargetNotAudit = "audit-note-target-not-audit"
    case conductRulesNotObject = "conduct-rules-not-object"
    case conductRuleUnknown = "conduct-rule-unknown"
    case conductRuleNotObject = "conduct-rule-not-object"
    case conductRuleEnabledNotBool = "conduct-rule-enabled-not-bool"
    case conductRuleParameterUnknown = "conduct-rule-parameter-unknown"
    case conductRuleParameterNotInteger = "conduct-rule-parameter-not-integer"
    case conductRuleParameterOutOfRange = "conduct-rule-parameter-out-of-range"

    case ledgerSchemaAltered = "ledger-schema-altered"
    case projectionsUnreadable = "projections-unreadable"
    case stateSealMismatch = "state-seal-mismatch"
    case ledgerProblemsBeforeWrite = "ledger-problems-before-write"
    case erasureCommitmentMismatch = "erasure-commitment-mismatch"
    case entryFieldInvalid = "entry-field-invalid"

    case openingAccountInvalid = "opening-account-invalid"

    case unitCodeUnknown = "unit-code-unknown"
    case fundCodeUnknown = "fund-code-unknown"
    case roleRequired = "role-required"
    case balanceOverLimit = "balance-over-limit"
    case districtTotalOverLimit = "district-total-over-limit"
    case balanceInsufficient = "balance-insufficient"
    case balanceNegativeOnDay = "balance-negative-on-day"
    case balanceReserved = "balance-reserved"
    case unitCodeTaken = "unit-code-taken"
    case unitTierMisplaced = "unit-tier-misplaced"
    case grantKeyRevoked = "grant-key-revoked"
    case roleAlreadyHeld = "role-already-held"
    case memberKeyUnknown = "member-key-unknown"
    case memberKeyRevoked = "member-key-revoked"
    case lastDistrictAdmin = "last-district-admin"
    case fundPurposeMissing = "fund-purpose-missing"
    case fundPurposeUnrestricted = "fund-purpose-unrestricted"
    case fundCategoryUnrestricted = "fund-category-unrestricted"
    case fundCodeTaken = "fund-code-taken"
    case allocationNotAdjacent = "allocation-not-adjacent"
    case allocationFundsDiffer = "allocation-funds-differ"
    case allocationUnknown = "allocation-unknown"
    case allocationSettled = "allocation-settled"
    case allocationDateBeforeSent = "allocation-date-before-sent"
    case reversalTargetMissing = "reversal-target-missing"
    case reversalRepeated = "reversal-repeated"
    case reversalNotDonation = "reversal-not-donation"
    case reversalDateBeforeOriginal = "reversal-date-before-original"
    case unitCodeInvalid = "unit-code-invalid"
    case fundCodeInvalid = "fund-code-invalid"
    case genesisNotFirst = "genesis-not-first"
    case firstNotGenesis = "first-not-genesis"
    case signerNotMember = "signer-not-member"
    case signerRevoked = "signer-revoked"
    case genesisSignerNotAdmin = "genesis-signer-not-admin"

    case reconciledPeriodClosed = "reconciled-period-closed"
    case policyApproverCount = "policy-approver-count"
    case policyThresholdsReversed = "policy-thresholds-reversed"
    case policyUnchanged = "policy-unchanged"
    case restrictedFundOffPurpose = "restricted-fund-off-purpose"
    case attachmentRepeated = "attachment-repeated"
    case releaseFundNotRestricted = "release-fund-not-restricted"
    case disbursementClosed = "disbursement-closed"
    case approvalDateBeforeRequest = "approval-date-before-request"
    case approvalNotNeeded = "approval-not-needed"
    case approvalOwnRequest = "approval-own-request"
    case approvalRepeated = "approval-repeated"
    case approvalTierNotNeeded = "approval-tier-not-needed"
    case rejectOwnRequest = "reject-own-request"
    case cancelNotRequester = "cancel-not-requester"
    case paymentApprovalsMissing = "payment-approvals-missing"
    case paymentDateBeforeRequest = "payment-date-before-request"
    case reconcileDateNotPast = "reconcile-date-not-past"
    case reconcileMismatch = "reconcile-mismatch"

    case statementSignerNotTreasurer = "statement-signer-not-treasurer"
    case statementCorrectionNotNeeded = "statement-correction-not-needed"
    case statementCorrectionReasonMissing = "statement-correction-reason-missing"
    case statementPreviousFileMissing = "statement-previous-file-missing"
    case statementOpeningChanged = "statement-opening-changed"
    case statementNoCosignedCheckpoint = "statement-no-cosigned-checkpoint"
    case statementCheckpointTooEarly = "statement-checkpoint-too-early"
    case statementTotalOverflow = "statement-total-overflow"
    case statementRoleAfterCheckpoint = "statement-role-after-checkpoint"
    case statementFileMissing = "statement-file-missing"
    case publishNoCosignedCheckpoint = "publish-no-cosigned-checkpoint"
    case ledgerDiffersFromCheckpoint = "ledger-differs-from-checkpoint"
    case ledgerRootDiffers = "ledger-root-differs"
    case ledgerEntryMissing = "ledger-entry-missing"
    case entryHashMismatch = "entry-hash-mismatch"
    case hashTilesFailed = "hash-tiles-failed"
    case publicLogBundleFailed = "public-log-bundle-failed"
    case publicLogWriteFailed = "public-log-write-failed"
    case statementEntryReferenceMissing = "statement-entry-reference-missing"
    case ledgerShorterThanCheckpoint = "ledger-shorter-than-checkpoint"
    case statementPublishRowMalformed = "statement-publish-row-malformed"

    case timeZoneInvalid = "time-zone-invalid"
    case storedHashMalformed = "stored-hash-malformed"
    case commitEmpty = "commit-empty"
    case commitTooLarge = "commit-too-large"
    case clockBehindLedger = "clock-behind-ledger"
    case dateInFuture = "date-in-future"
    case personalDataInvalid = "personal-data-invalid"
    case writeNotReadBack = "write-not-read-back"
    case attachmentsTooMany = "attachments-too-many"
    case attachmentUnreadable = "attachment-unreadable"
    case attachmentTooLarge = "attachment-too-large"
    case attachmentDuplicate = "attachment-duplicate"
    case attachmentFolderNotCreatable = "attachment-folder-not-creatable"
    case attachmentNotSaved = "attachment-not-saved"
    case memberKeyPersonMissing = "member-key-person-missing"
    case entryUnreadable = "entry-unreadable"
    case entryDiffersFromSealedTree = "entry-differs-from-sealed-tree"
    case entryHashMissing = "entry-hash-missing"
    case ledgerReadOnly = "ledger-read-only"
    case ledgerBusy = "ledger-busy"
    case ledgerIOFailed = "ledger-io-failed"
    case ledgerConnectionClosed = "ledger-connection-closed"
    case journalKindInvalid = "journal-kind-invalid"
    case journalAccountInvalid = "journal-account-invalid"
    case signerUnknown = "signer-unknown"
    case entryEmpty = "entry-empty"
    case entryBytesMalformed = "entry-bytes-malformed"
    case entryBodyMalformed = "entry-body-malformed"
    case entryNotCanonical = "entry-not-canonical"
    case checkpointEntryWrongKind = "checkpoint-entry-wrong-kind"
    case payeeCommitmentMismatch = "payee-commitment-mismatch"
    case projectionValueInvalid = "projection-value-invalid"
    case consistencyProofFailed = "consistency-proof-failed"
    case entryRowMalformed = "entry-row-malformed"
  }

  /// The stable code, for scripts and tests.
  public var code: String { tag.rawValue }

  /// The case without its values; an `inField` refusal has its inner one's.
  public var tag: Code {
    switch self {
    case .inField(_, let inner): inner.tag
    case .keyOptionMissing: .keyOptionMissing
    case .choiceInvalid: .choiceInvalid
    case .channelInvalid: .channelInvalid
    case .donorTypeInvalid: .donorTypeInvalid
    case .accountInvalid: .accountInvalid
    case .languageInvalid: .languageInvalid
    case .statementFormatInvalid: .statementFormatInvalid
    case .donorMissing: .donorMissing
    case .namedNotPerson: .namedNotPerson
    case .asOfWithPeriod: .asOfWithPeriod
    case .noBomNotCSV: .noBomNotCSV
    case .checkpointAndWitness: .checkpointAndWitness
    case .auditRulesNotJSON: .auditRulesNotJSON
    case .fileUnreadable: .fileUnreadable
    case .fileNotUTF8: .fileNotUTF8
    case .inputFileMissing: .inputFileMissing

    case .amountEmpty: .amountEmpty
    case .amountNegative: .amountNegative
    case .amountPlusSign: .amountPlusSign
    case .amountSeparator: .amountSeparator
    case .amountPoints: .amountPoints
    case .amountNotDigits: .amountNotDigits
    case .amountFractionMissing: .amountFractionMissing
    case .amountDecimals: .amountDecimals
    case .amountOverLimit: .amountOverLimit
    case .amountNotPositive: .amountNotPositive
    case .dateMalformed: .dateMalformed
    case .dateNonexistent: .dateNonexistent
    case .timeZoneUnknown: .timeZoneUnknown
    case .textEmpty: .textEmpty
    case .textTooLong: .textTooLong
    case .textCharacterRefused: .textCharacterRefused
    case .originInvalid: .originInvalid

    case .keyFileExists: .keyFileExists
    case .keyFileNotCreatable: .keyFileNotCreatable
    case .keyFileWriteFailed: .keyFileWriteFailed
    case .keyFileMissing: .keyFileMissing
    case .keyFileIsDirectory: .keyFileIsDirectory
    case .keyFileUnreadable: .keyFileUnreadable
    case .keyFileNotPEM: .keyFileNotPEM
    case .keyFileModeUnreadable: .keyFileModeUnreadable
    case .keyFilePermissions: .keyFilePermissions
    case .passphraseFileMissing: .passphraseFileMissing
    case .passphraseFileIsDirectory: .passphraseFileIsDirectory
    case .passphraseFileUnreadable: .passphraseFileUnreadable
    case .passphraseEmpty: .passphraseEmpty
    case .passphraseTooLong: .passphraseTooLong

    case .outputNotRegularFile: .outputNotRegularFile
    case .outputIsLedger: .outputIsLedger
    case .outputPlaceFailed: .outputPlaceFailed
    case .outputDiskFull: .outputDiskFull
    case .outputFolderMissing: .outputFolderMissing
    case .outputNotWritable: .outputNotWritable
    case .outputIsDirectory: .outputIsDirectory
    case .outputWriteFailed: .outputWriteFailed

    case .unitUnknown: .unitUnknown
    case .unitAmbiguous: .unitAmbiguous
    case .unitUnderCommunity: .unitUnderCommunity
    case .fundUnknown: .fundUnknown
    case .donationReferenceRecorded: .donationReferenceRecorded
    case .unitNameLikeCode: .unitNameLikeCode
    case .unitNameIsCode: .unitNameIsCode
    case .unitNameTaken: .unitNameTaken
    case .unitCodeIsName: .unitCodeIsName
    case .fundNameTaken: .fundNameTaken
    case .fundNameIsCode: .fundNameIsCode
    case .fundCodeIsName: .fundCodeIsName
    case .supervisorAppointedAbove: .supervisorAppointedAbove
    case .dutiesGrantClash: .dutiesGrantClash
    case .dutiesApproveClash: .dutiesApproveClash
    case .dutiesPayClash: .dutiesPayClash
    case .rotateKeyUnknown: .rotateKeyUnknown
    case .rotateKeyRevoked: .rotateKeyRevoked
    case .rotateKeyTaken: .rotateKeyTaken
    case .rotateKeyWithoutRoles: .rotateKeyWithoutRoles
    case .grantNameMismatch: .grantNameMismatch
    case .grantNameHeld: .grantNameHeld

    case .statementCheckFailed(let check, _):
      switch check {
      case .ledger: .statementCheckLedger
      case .checkpoint: .statementCheckCheckpoint
      case .lineOrder: .statementCheckLineOrder
      case .inclusion: .statementCheckInclusion
      case .entry: .statementCheckEntry
      case .unit: .statementCheckUnit
      case .totals: .statementCheckTotals
      case .balance: .statementCheckBalance
      case .reversalMarks: .statementCheckReversalMarks
      case .hash: .statementCheckHash
      case .signature: .statementCheckSignature
      case .publicLog: .statementCheckPublicLog
      case .completeness: .statementCheckCompleteness
      case .relatedEntry: .statementCheckRelatedEntry
      case .previous: .statementCheckPrevious
      case .opening: .statementCheckOpening
      case .publication: .statementCheckPublication
      }
    case .receiptStepFailed(let step, _):
      switch step {
      case .file: .receiptStepFile
      case .entry: .receiptStepEntry
      case .donor: .receiptStepDonor
      case .proofFormat: .receiptStepProofFormat
      case .checkpointSignature: .receiptStepCheckpointSignature
      case .cosignatures: .receiptStepCosignatures
      case .inclusion: .receiptStepInclusion
      }

    case .trustFileMalformed: .trustFileMalformed
    case .trustFileVkeyMissing: .trustFileVkeyMissing
    case .trustKeyWrongType: .trustKeyWrongType
    case .trustQuorumInvalid: .trustQuorumInvalid
    case .trustFileNotUTF8: .trustFileNotUTF8
    case .trustFileWithoutLogKey: .trustFileWithoutLogKey
    case .trustFileWithoutLedgerID: .trustFileWithoutLedgerID
    case .witnessQuorumOutOfRange: .witnessQuorumOutOfRange
    case .witnessQuorumOverWitnesses: .witnessQuorumOverWitnesses
    case .ledgerNotInitialised: .ledgerNotInitialised
    case .entryMissing: .entryMissing
    case .receiptNotDonation: .receiptNotDonation
    case .receiptDonorErased: .receiptDonorErased
    case .receiptDonorMissing: .receiptDonorMissing
    case .statementOtherLedger: .statementOtherLedger
    case .statementCosignerNotSupervisor: .statementCosignerNotSupervisor
    case .statementAlreadySigned: .statementAlreadySigned
    case .statementSupervisorAfterCheckpoint: .statementSupervisorAfterCheckpoint
    case .statementWithoutTreasurer: .statementWithoutTreasurer
    case .statementCheckpointNotInLedger: .statementCheckpointNotInLedger
    case .statementRecomputedDiffers: .statementRecomputedDiffers
    case .statementPublisherNotTreasurer: .statementPublisherNotTreasurer
    case .statementNotCosigned: .statementNotCosigned
    case .statementAlreadyPublished: .statementAlreadyPublished
    case .statementPreviousNotNeeded: .statementPreviousNotNeeded
    case .notAStatementFile: .notAStatementFile
    case .statementFieldInvalid: .statementFieldInvalid
    case .periodInvalid: .periodInvalid
    case .publicLogTooShort: .publicLogTooShort
    case .publicLogCheckpointUnreadable: .publicLogCheckpointUnreadable
    case .publicLogBundleMissing: .publicLogBundleMissing
    case .publicLogFileUnreadable: .publicLogFileUnreadable
    case .publicLogBundleTruncated: .publicLogBundleTruncated
    case .publicLogBundleEmpty: .publicLogBundleEmpty
    case .publicLogCheckpointInvalid: .publicLogCheckpointInvalid
    case .publicLogRootMismatch: .publicLogRootMismatch
    case .publicLogOtherLedger: .publicLogOtherLedger
    case .publicLogBeforeReceipt: .publicLogBeforeReceipt
    case .publicLogEntryDiffers: .publicLogEntryDiffers

    case .periodReversed: .periodReversed
    case .importRowsRefused: .importRowsRefused
    case .importHeaderUnreadable: .importHeaderUnreadable
    case .importSkipUntilUnmatched: .importSkipUntilUnmatched
    case .importHeaderMissing: .importHeaderMissing
    case .importColumnUnknown: .importColumnUnknown
    case .importColumnTwice: .importColumnTwice
    case .importColumnMissing: .importColumnMissing
    case .importIncomeEmpty: .importIncomeEmpty
    case .importAmountEmpty: .importAmountEmpty
    case .importAmountZero: .importAmountZero
    case .importAmountNegative: .importAmountNegative
    case .importDateEmpty: .importDateEmpty
    case .importDateInFuture: .importDateInFuture
    case .importUnitMissing: .importUnitMissing
    case .importChannelInvalid: .importChannelInvalid
    case .importDonorEmpty: .importDonorEmpty
    case .importNamedInvalid: .importNamedInvalid
    case .importSignerNotTreasurer: .importSignerNotTreasurer
    case .importLedgerChanged: .importLedgerChanged
    case .billAmountSeparatorMisplaced: .billAmountSeparatorMisplaced
    case .billDateMalformed: .billDateMalformed
    case .rulesFileTooLarge: .rulesFileTooLarge
    case .rulesFileNotUTF8: .rulesFileNotUTF8
    case .rulesLineInvalid: .rulesLineInvalid
    case .rulesIfWithoutBody: .rulesIfWithoutBody
    case .rulesFieldsUndefined: .rulesFieldsUndefined
    case .exportEntryMissing: .exportEntryMissing
    case .exportEntryBroken: .exportEntryBroken
    case .exportBalancesDiffer: .exportBalancesDiffer
    case .ledgerWithoutGenesis: .ledgerWithoutGenesis

    case .ledgerWithoutDistrict: .ledgerWithoutDistrict
    case .checkpointSizeWrong: .checkpointSizeWrong
    case .checkpointRootWrong: .checkpointRootWrong
    case .checkpointTextDiffers: .checkpointTextDiffers
    case .checkpointSignatureWrong: .checkpointSignatureWrong
    case .notACheckpoint: .notACheckpoint
    case .cosignerSignsLog: .cosignerSignsLog
    case .cosignerSignsLogIndependent: .cosignerSignsLogIndependent
    case .cosignerNotWitness: .cosignerNotWitness
    case .checkpointAlreadyCosigned: .checkpointAlreadyCosigned
    case .cosignatureLineWrong: .cosignatureLineWrong
    case .cosignatureTimestampNotLater: .cosignatureTimestampNotLater
    case .cosignatureTimestampOutOfRange: .cosignatureTimestampOutOfRange
    case .checkpointOtherLedger: .checkpointOtherLedger
    case .checkpointNotThisLedger: .checkpointNotThisLedger
    case .checkpointLogSignatureInvalid: .checkpointLogSignatureInvalid
    case .checkpointWithoutTrustedSignature: .checkpointWithoutTrustedSignature
    case .checkpointWithoutLogSignature: .checkpointWithoutLogSignature
    case .cosignatureInvalid: .cosignatureInvalid
    case .cosignaturesTooFew: .cosignaturesTooFew
    case .witnessStateUnreadable: .witnessStateUnreadable
    case .witnessStateNotObject: .witnessStateNotObject
    case .witnessStateEntryBroken: .witnessStateEntryBroken
    case .witnessStateTimeBroken: .witnessStateTimeBroken
    case .witnessStateSizeInvalid: .witnessStateSizeInvalid
    case .ledgerCheckFailed: .ledgerCheckFailed
    case .storedTreeDiffers: .storedTreeDiffers
    case .checkpointNotInLedger: .checkpointNotInLedger
    case .checkpointTextNotOriginal: .checkpointTextNotOriginal
    case .checkpointOlderThanCosigned: .checkpointOlderThanCosigned
    case .historyRewritten: .historyRewritten
    case .rebuiltRootDiffers: .rebuiltRootDiffers
    case .treeSizeOutOfRange: .treeSizeOutOfRange
    case .entryOutsideTree: .entryOutsideTree
    case .treeSizesReversed: .treeSizesReversed
    case .statementPublishedBefore: .statementPublishedBefore
    case .statementCorrectsNothing: .statementCorrectsNothing
    case .statementNeedsCorrection: .statementNeedsCorrection
    case .statementCorrectsWrong: .statementCorrectsWrong
    case .statementFileHashDiffers: .statementFileHashDiffers
    case .erasureTargetMissing: .erasureTargetMissing
    case .erasureTargetWithoutPersonalData: .erasureTargetWithoutPersonalData
    case .erasureRepeated: .erasureRepeated

    case .publicKeyLength: .publicKeyLength
    case .publicKeySmallOrder: .publicKeySmallOrder
    case .publicKeyNonCanonical: .publicKeyNonCanonical
    case .publicKeyInvalid: .publicKeyInvalid
    case .keyNotEd25519: .keyNotEd25519
    case .publicKeyUnreadable: .publicKeyUnreadable
    case .publicKeyNotPEM: .publicKeyNotPEM
    case .publicKeyWrongType: .publicKeyWrongType
    case .privateKeyNotPEM: .privateKeyNotPEM
    case .privateKeyEncrypted: .privateKeyEncrypted
    case .passphraseTooLongForKey: .passphraseTooLongForKey
    case .passphraseWrong: .passphraseWrong
    case .privateKeyWrongType: .privateKeyWrongType
    case .noteTooLarge: .noteTooLarge
    case .noteNotUTF8: .noteNotUTF8
    case .noteControlCharacter: .noteControlCharacter
    case .noteBlankLineMissing: .noteBlankLineMissing
    case .noteFinalNewlineMissing: .noteFinalNewlineMissing
    case .noteSignatureLineMalformed: .noteSignatureLineMalformed
    case .noteSignatureCount: .noteSignatureCount
    case .verifierKeyInvalid: .verifierKeyInvalid
    case .verifierKeyIDMismatch: .verifierKeyIDMismatch
    case .checkpointMalformed: .checkpointMalformed

    case .ledgerFileExists: .ledgerFileExists
    case .ledgerNotCreatable: .ledgerNotCreatable
    case .ledgerMissing: .ledgerMissing
    case .ledgerIsDirectory: .ledgerIsDirectory
    case .ledgerUnreadable: .ledgerUnreadable
    case .notALedger: .notALedger
    case .ledgerUpgradeReadOnly: .ledgerUpgradeReadOnly
    case .ledgerWriteAheadLogPending: .ledgerWriteAheadLogPending
    case .disbursementUnknown: .disbursementUnknown
    case .auditPeriodInFuture: .auditPeriodInFuture
    case .auditNoteTargetNotAudit: .auditNoteTargetNotAudit
    case .conductRulesNotObject: .conductRulesNotObject
    case .conductRuleUnknown: .conductRuleUnknown
    case .conductRuleNotObject: .conductRuleNotObject
    case .conductRuleEnabledNotBool: .conductRuleEnabledNotBool
    case .conductRuleParameterUnknown: .conductRuleParameterUnknown
    case .conductRuleParameterNotInteger: .conductRuleParameterNotInteger
    case .conductRuleParameterOutOfRange: .conductRuleParameterOutOfRange

    case .ledgerSchemaAltered: .ledgerSchemaAltered
    case .projectionsUnreadable: .projectionsUnreadable
    case .stateSealMismatch: .stateSealMismatch
    case .ledgerProblemsBeforeWrite: .ledgerProblemsBeforeWrite
    case .erasureCommitmentMismatch: .erasureCommitmentMismatch
    case .entryFieldInvalid: .entryFieldInvalid

    case .openingAccountInvalid: .openingAccountInvalid

    case .unitCodeUnknown: .unitCodeUnknown
    case .fundCodeUnknown: .fundCodeUnknown
    case .roleRequired: .roleRequired
    case .balanceOverLimit: .balanceOverLimit
    case .districtTotalOverLimit: .districtTotalOverLimit
    case .balanceInsufficient: .balanceInsufficient
    case .balanceNegativeOnDay: .balanceNegativeOnDay
    case .balanceReserved: .balanceReserved
    case .unitCodeTaken: .unitCodeTaken
    case .unitTierMisplaced: .unitTierMisplaced
    case .grantKeyRevoked: .grantKeyRevoked
    case .roleAlreadyHeld: .roleAlreadyHeld
    case .memberKeyUnknown: .memberKeyUnknown
    case .memberKeyRevoked: .memberKeyRevoked
    case .lastDistrictAdmin: .lastDistrictAdmin
    case .fundPurposeMissing: .fundPurposeMissing
    case .fundPurposeUnrestricted: .fundPurposeUnrestricted
    case .fundCategoryUnrestricted: .fundCategoryUnrestricted
    case .fundCodeTaken: .fundCodeTaken
    case .allocationNotAdjacent: .allocationNotAdjacent
    case .allocationFundsDiffer: .allocationFundsDiffer
    case .allocationUnknown: .allocationUnknown
    case .allocationSettled: .allocationSettled
    case .allocationDateBeforeSent: .allocationDateBeforeSent
    case .reversalTargetMissing: .reversalTargetMissing
    case .reversalRepeated: .reversalRepeated
    case .reversalNotDonation: .reversalNotDonation
    case .reversalDateBeforeOriginal: .reversalDateBeforeOriginal
    case .unitCodeInvalid: .unitCodeInvalid
    case .fundCodeInvalid: .fundCodeInvalid
    case .genesisNotFirst: .genesisNotFirst
    case .firstNotGenesis: .firstNotGenesis
    case .signerNotMember: .signerNotMember
    case .signerRevoked: .signerRevoked
    case .genesisSignerNotAdmin: .genesisSignerNotAdmin

    case .reconciledPeriodClosed: .reconciledPeriodClosed
    case .policyApproverCount: .policyApproverCount
    case .policyThresholdsReversed: .policyThresholdsReversed
    case .policyUnchanged: .policyUnchanged
    case .restrictedFundOffPurpose: .restrictedFundOffPurpose
    case .attachmentRepeated: .attachmentRepeated
    case .releaseFundNotRestricted: .releaseFundNotRestricted
    case .disbursementClosed: .disbursementClosed
    case .approvalDateBeforeRequest: .approvalDateBeforeRequest
    case .approvalNotNeeded: .approvalNotNeeded
    case .approvalOwnRequest: .approvalOwnRequest
    case .approvalRepeated: .approvalRepeated
    case .approvalTierNotNeeded: .approvalTierNotNeeded
    case .rejectOwnRequest: .rejectOwnRequest
    case .cancelNotRequester: .cancelNotRequester
    case .paymentApprovalsMissing: .paymentApprovalsMissing
    case .paymentDateBeforeRequest: .paymentDateBeforeRequest
    case .reconcileDateNotPast: .reconcileDateNotPast
    case .reconcileMismatch: .reconcileMismatch

    case .statementSignerNotTreasurer: .statementSignerNotTreasurer
    case .statementCorrectionNotNeeded: .statementCorrectionNotNeeded
    case .statementCorrectionReasonMissing: .statementCorrectionReasonMissing
    case .statementPreviousFileMissing: .statementPreviousFileMissing
    case .statementOpeningChanged: .statementOpeningChanged
    case .statementNoCosignedCheckpoint: .statementNoCosignedCheckpoint
    case .statementCheckpointTooEarly: .statementCheckpointTooEarly
    case .statementTotalOverflow: .statementTotalOverflow
    case .statementRoleAfterCheckpoint: .statementRoleAfterCheckpoint
    case .statementFileMissing: .statementFileMissing
    case .publishNoCosignedCheckpoint: .publishNoCosignedCheckpoint
    case .ledgerDiffersFromCheckpoint: .ledgerDiffersFromCheckpoint
    case .ledgerRootDiffers: .ledgerRootDiffers
    case .ledgerEntryMissing: .ledgerEntryMissing
    case .entryHashMismatch: .entryHashMismatch
    case .hashTilesFailed: .hashTilesFailed
    case .publicLogBundleFailed: .publicLogBundleFailed
    case .publicLogWriteFailed: .publicLogWriteFailed
    case .statementEntryReferenceMissing: .statementEntryReferenceMissing
    case .ledgerShorterThanCheckpoint: .ledgerShorterThanCheckpoint
    case .statementPublishRowMalformed: .statementPublishRowMalformed

    case .timeZoneInvalid: .timeZoneInvalid
    case .storedHashMalformed: .storedHashMalformed
    case .commitEmpty: .commitEmpty
    case .commitTooLarge: .commitTooLarge
    case .clockBehindLedger: .clockBehindLedger
    case .dateInFuture: .dateInFuture
    case .personalDataInvalid: .personalDataInvalid
    case .writeNotReadBack: .writeNotReadBack
    case .attachmentsTooMany: .attachmentsTooMany
    case .attachmentUnreadable: .attachmentUnreadable
    case .attachmentTooLarge: .attachmentTooLarge
    case .attachmentDuplicate: .attachmentDuplicate
    case .attachmentFolderNotCreatable: .attachmentFolderNotCreatable
    case .attachmentNotSaved: .attachmentNotSaved
    case .memberKeyPersonMissing: .memberKeyPersonMissing
    case .entryUnreadable: .entryUnreadable
    case .entryDiffersFromSealedTree: .entryDiffersFromSealedTree
    case .entryHashMissing: .entryHashMissing
    case .ledgerReadOnly: .ledgerReadOnly
    case .ledgerBusy: .ledgerBusy
    case .ledgerIOFailed: .ledgerIOFailed
    case .ledgerConnectionClosed: .ledgerConnectionClosed
    case .journalKindInvalid: .journalKindInvalid
    case .journalAccountInvalid: .journalAccountInvalid
    case .signerUnknown: .signerUnknown
    case .entryEmpty: .entryEmpty
    case .entryBytesMalformed: .entryBytesMalformed
    case .entryBodyMalformed: .entryBodyMalformed
    case .entryNotCanonical: .entryNotCanonical
    case .checkpointEntryWrongKind: .checkpointEntryWrongKind
    case .payeeCommitmentMismatch: .payeeCommitmentMismatch
    case .projectionValueInvalid: .projectionValueInvalid
    case .entryRowMalformed: .entryRowMalformed
    case .consistencyProofFailed: .consistencyProofFailed
    }
  }

  /// The exit status class: bad input (2) unless listed here.
  public var kind: AlmonerError.Kind {
    switch self {
    case .inField(_, let inner): return inner.kind
    case .statementCheckFailed: return .verificationFailed
    case .receiptStepFailed(let step, _): return step == .file ? .badInput : .verificationFailed
    default: break
    }
    return switch tag {
    case .timeZoneUnknown, .keyFileWriteFailed, .outputPlaceFailed, .outputWriteFailed,
      .rotateKeyWithoutRoles:
      .failure
    case .outputDiskFull: .diskFull
    case .ledgerNotInitialised, .ledgerWithoutDistrict, .importLedgerChanged, .ledgerWithoutGenesis,
      .publicKeyUnreadable,
      .ledgerUpgradeReadOnly, .ledgerWriteAheadLogPending:
      .failure
    case .exportEntryMissing, .exportEntryBroken, .exportBalancesDiffer, .checkpointOtherLedger,
      .checkpointLogSignatureInvalid, .checkpointWithoutTrustedSignature,
      .checkpointWithoutLogSignature, .cosignatureInvalid, .cosignaturesTooFew, .ledgerCheckFailed,
      .storedTreeDiffers, .checkpointNotInLedger, .checkpointOlderThanCosigned, .historyRewritten,
      .rebuiltRootDiffers, .ledgerSchemaAltered, .projectionsUnreadable, .stateSealMismatch,
      .ledgerProblemsBeforeWrite, .erasureCommitmentMismatch:
      .verificationFailed
    case .receiptDonorMissing, .statementCheckpointNotInLedger, .statementRecomputedDiffers,
      .statementFieldInvalid, .publicLogBundleTruncated, .publicLogBundleEmpty,
      .publicLogCheckpointInvalid, .publicLogRootMismatch, .publicLogOtherLedger,
      .publicLogEntryDiffers:
      .verificationFailed
    case .statementPreviousFileMissing, .statementFileMissing, .ledgerDiffersFromCheckpoint,
      .ledgerRootDiffers, .ledgerEntryMissing, .entryHashMismatch, .statementEntryReferenceMissing,
      .ledgerShorterThanCheckpoint, .statementPublishRowMalformed, .storedHashMalformed,
      .memberKeyPersonMissing, .entryDiffersFromSealedTree, .entryHashMissing, .entryEmpty,
      .entryBytesMalformed, .entryNotCanonical, .checkpointEntryWrongKind, .projectionValueInvalid,
      .consistencyProofFailed, .entryRowMalformed:
      .verificationFailed
    case .statementTotalOverflow, .hashTilesFailed, .publicLogBundleFailed, .publicLogWriteFailed,
      .clockBehindLedger, .writeNotReadBack, .attachmentFolderNotCreatable, .attachmentNotSaved,
      .entryUnreadable, .ledgerReadOnly, .ledgerBusy, .ledgerIOFailed, .ledgerConnectionClosed:
      .failure
    default: .badInput
    }
  }
}
