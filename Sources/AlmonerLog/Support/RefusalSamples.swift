/// One example of every refusal, for the tests that hold the codes unique
/// and every message rendered. The switch is over `Code`, so a case added
/// without a sample does not compile.
extension Refusal {
  /// Every refusal, one example each, in `Code` order.
  public static var samples: [Refusal] { Code.allCases.map(sample) }

  /// An example of the refusal with `code`.
  public static func sample(_ code: Code) -> Refusal {
    switch code {
    case .keyOptionMissing: .keyOptionMissing
    case .choiceInvalid: .choiceInvalid(field: "--role", value: "boss", allowed: "admin（管理员）")
    case .channelInvalid: .channelInvalid(value: "cheque", allowed: "wechat（微信）")
    case .donorTypeInvalid: .donorTypeInvalid(field: "--donor-type", value: "robot")
    case .accountInvalid: .accountInvalid(value: "safe")
    case .languageInvalid: .languageInvalid(value: "fr")
    case .statementFormatInvalid: .statementFormatInvalid(value: "pdf")
    case .donorMissing: .donorMissing
    case .namedNotPerson: .namedNotPerson
    case .asOfWithPeriod: .asOfWithPeriod
    case .noBomNotCSV: .noBomNotCSV
    case .checkpointAndWitness: .checkpointAndWitness
    case .auditRulesNotJSON: .auditRulesNotJSON(path: "rules.json", detail: "第 1 行")
    case .fileUnreadable: .fileUnreadable(what: "检查点", path: "cp.txt")
    case .fileNotUTF8: .fileNotUTF8(what: "检查点", path: "cp.txt")
    case .inputFileMissing: .inputFileMissing(what: "账单文件", path: "bill.csv")

    case .amountEmpty: .amountEmpty(text: "")
    case .amountNegative: .amountNegative(text: "-1")
    case .amountPlusSign: .amountPlusSign(text: "+1")
    case .amountSeparator: .amountSeparator(text: "1,000")
    case .amountPoints: .amountPoints(text: "1.2.3")
    case .amountNotDigits: .amountNotDigits(text: "1e3")
    case .amountFractionMissing: .amountFractionMissing(text: "1.")
    case .amountDecimals: .amountDecimals(text: "12.345")
    case .amountOverLimit: .amountOverLimit(text: "1e20", limitFen: 9_007_199_254_740_991)
    case .amountNotPositive: .amountNotPositive(text: "0")
    case .dateMalformed: .dateMalformed(text: "2026/07/03")
    case .dateNonexistent: .dateNonexistent(text: "2026-02-30")
    case .timeZoneUnknown: .timeZoneUnknown("Mars/Olympus")
    case .textEmpty: .textEmpty(field: "--name")
    case .textTooLong: .textTooLong(field: "--purpose", max: 200, actual: 201)
    case .textCharacterRefused:
      .textCharacterRefused(field: "--name", character: "含有控制字符：第 1 个字符 U+001B", invalidUTF8: false)
    case .originInvalid: .originInvalid("a b")

    case .keyFileExists: .keyFileExists(path: "a.pem")
    case .keyFileNotCreatable: .keyFileNotCreatable(path: "a.pem", reason: "Permission denied")
    case .keyFileWriteFailed: .keyFileWriteFailed(path: "a.pem", reason: "I/O error")
    case .keyFileMissing: .keyFileMissing(.privateKey, path: "a.pem")
    case .keyFileIsDirectory: .keyFileIsDirectory(.publicKey, path: "keys")
    case .keyFileUnreadable: .keyFileUnreadable(.privateKey, path: "a.pem")
    case .keyFileNotPEM: .keyFileNotPEM(.publicKey, path: "a.pub")
    case .keyFileModeUnreadable: .keyFileModeUnreadable(path: "a.pem", reason: "I/O error")
    case .keyFilePermissions: .keyFilePermissions(path: "a.pem", mode: "0644", quotedPath: "a.pem")
    case .passphraseFileMissing: .passphraseFileMissing(path: "pass.txt")
    case .passphraseFileIsDirectory: .passphraseFileIsDirectory(path: "pass")
    case .passphraseFileUnreadable: .passphraseFileUnreadable(path: "pass.txt")
    case .passphraseEmpty: .passphraseEmpty(path: "pass.txt")
    case .passphraseTooLong: .passphraseTooLong(path: "pass.txt", max: 1_000)

    case .outputNotRegularFile: .outputNotRegularFile(what: "检查点", path: "/dev/null")
    case .outputIsLedger: .outputIsLedger(what: "检查点", path: "a.db", ledger: "a.db")
    case .outputPlaceFailed:
      .outputPlaceFailed(
        what: "检查点", path: "cp.txt", reason: "I/O error", temporaryPath: "cp.txt.tmp")
    case .outputDiskFull: .outputDiskFull(what: "检查点", path: "cp.txt")
    case .outputFolderMissing:
      .outputFolderMissing(what: "检查点", path: "x/cp.txt", reason: "No such file")
    case .outputNotWritable: .outputNotWritable(what: "检查点", path: "cp.txt", reason: "Read-only")
    case .outputIsDirectory: .outputIsDirectory(what: "检查点", path: "out")
    case .outputWriteFailed: .outputWriteFailed(what: "检查点", path: "cp.txt", reason: "I/O error")

    case .unitUnknown: .unitUnknown(field: "--unit", what: "单位", text: "NOPE", known: "GA（广安区）")
    case .unitAmbiguous:
      .unitAmbiguous(field: "--unit", text: "新村", count: 2, codes: "GA-A（甲下）、GA-B（乙下）")
    case .unitUnderCommunity: .unitUnderCommunity(parentName: "建设路社区")
    case .fundUnknown:
      .fundUnknown(
        field: "--fund", unitName: "广安区", unitCode: "GA", text: "x", known: "general（非限定基金）")
    case .donationReferenceRecorded: .donationReferenceRecorded(reference: "WX1", seq: 7)
    case .unitNameLikeCode: .unitNameLikeCode(name: "GA-X")
    case .unitNameIsCode: .unitNameIsCode(name: "ga", unitCode: "GA", unitName: "广安区")
    case .unitNameTaken: .unitNameTaken(name: "广安区", unitCode: "GA", unitName: "广安区")
    case .unitCodeIsName: .unitCodeIsName(code: "GA-X", unitCode: "GA", unitName: "GA-X")
    case .fundNameTaken:
      .fundNameTaken(name: "食堂", unitName: "广安区", fundCode: "canteen", fundName: "食堂")
    case .fundNameIsCode:
      .fundNameIsCode(name: "canteen", unitName: "广安区", fundCode: "canteen", fundName: "食堂")
    case .fundCodeIsName: .fundCodeIsName(code: "canteen", unitName: "广安区", fundName: "canteen")
    case .supervisorAppointedAbove:
      .supervisorAppointedAbove(
        unit: "北城街道（GA-BC）", appointing: "广安区（GA）", action: "授予角色", signerName: "王芳",
        signerKeyID: "ed25519:0123456789abcdef")
    case .dutiesGrantClash:
      .dutiesGrantClash(
        name: "王芳", keyID: "ed25519:0123456789abcdef", unit: "建设路社区", heldRole: "记账员",
        grantedSeq: 4,
        role: "审批人")
    case .dutiesApproveClash:
      .dutiesApproveClash(name: "王芳", unit: "建设路社区", grantedSeq: 4, requestID: 9)
    case .dutiesPayClash: .dutiesPayClash(name: "王芳", requestID: 9, approvalSeq: 10, unit: "建设路社区")
    case .rotateKeyUnknown: .rotateKeyUnknown(keyID: "ed25519:0123456789abcdef")
    case .rotateKeyRevoked: .rotateKeyRevoked(keyID: "ed25519:0123456789abcdef", name: "王芳", seq: 5)
    case .rotateKeyTaken: .rotateKeyTaken(keyID: "ed25519:0123456789abcdef", holderName: "王芳")
    case .rotateKeyWithoutRoles: .rotateKeyWithoutRoles(keyID: "ed25519:0123456789abcdef")
    case .grantNameMismatch:
      .grantNameMismatch(keyID: "ed25519:0123456789abcdef", knownName: "王芳", name: "李明")
    case .grantNameHeld:
      .grantNameHeld(
        name: "王芳", holderKeyID: "ed25519:0123456789abcdef", roles: "建设路社区记账员", unitName: "北城街道")

    case .statementCheckLedger: .statementCheckFailed(.ledger, detail: "第 3 行：不符")
    case .statementCheckCheckpoint: .statementCheckFailed(.checkpoint, detail: "第 3 行：不符")
    case .statementCheckLineOrder: .statementCheckFailed(.lineOrder, detail: "第 3 行：不符")
    case .statementCheckInclusion: .statementCheckFailed(.inclusion, detail: "第 3 行：不符")
    case .statementCheckEntry: .statementCheckFailed(.entry, detail: "第 3 行：不符")
    case .statementCheckUnit: .statementCheckFailed(.unit, detail: "第 3 行：不符")
    case .statementCheckTotals: .statementCheckFailed(.totals, detail: "第 3 行：不符")
    case .statementCheckBalance: .statementCheckFailed(.balance, detail: "第 3 行：不符")
    case .statementCheckReversalMarks: .statementCheckFailed(.reversalMarks, detail: "第 3 行：不符")
    case .statementCheckHash: .statementCheckFailed(.hash, detail: "第 3 行：不符")
    case .statementCheckSignature: .statementCheckFailed(.signature, detail: "第 3 行：不符")
    case .statementCheckPublicLog: .statementCheckFailed(.publicLog, detail: "第 3 行：不符")
    case .statementCheckCompleteness: .statementCheckFailed(.completeness, detail: "第 3 行：不符")
    case .statementCheckRelatedEntry: .statementCheckFailed(.relatedEntry, detail: "第 3 行：不符")
    case .statementCheckPrevious: .statementCheckFailed(.previous, detail: "第 3 行：不符")
    case .statementCheckOpening: .statementCheckFailed(.opening, detail: "第 3 行：不符")
    case .statementCheckPublication: .statementCheckFailed(.publication, detail: "第 3 行：不符")
    case .receiptStepFile: .receiptStepFailed(.file, detail: "不符")
    case .receiptStepEntry: .receiptStepFailed(.entry, detail: "不符")
    case .receiptStepDonor: .receiptStepFailed(.donor, detail: "不符")
    case .receiptStepProofFormat: .receiptStepFailed(.proofFormat, detail: "不符")
    case .receiptStepCheckpointSignature: .receiptStepFailed(.checkpointSignature, detail: "不符")
    case .receiptStepCosignatures: .receiptStepFailed(.cosignatures, detail: "不符")
    case .receiptStepInclusion: .receiptStepFailed(.inclusion, detail: "不符")

    case .trustFileMalformed: .trustFileMalformed
    case .trustFileVkeyMissing: .trustFileVkeyMissing(field: "witnesses")
    case .trustKeyWrongType: .trustKeyWrongType(vkey: "GA+1234+AAAA")
    case .trustQuorumInvalid: .trustQuorumInvalid(max: 9)
    case .trustFileNotUTF8: .trustFileNotUTF8
    case .trustFileWithoutLogKey: .trustFileWithoutLogKey
    case .trustFileWithoutLedgerID: .trustFileWithoutLedgerID
    case .witnessQuorumOutOfRange: .witnessQuorumOutOfRange(max: 9, given: 0)
    case .witnessQuorumOverWitnesses: .witnessQuorumOverWitnesses(witnesses: 1, quorum: 2)
    case .ledgerNotInitialised: .ledgerNotInitialised
    case .entryMissing: .entryMissing(seq: 99)
    case .receiptNotDonation: .receiptNotDonation(seq: 3, kindName: "设立基金")
    case .receiptDonorErased: .receiptDonorErased(seq: 9, erasureSeq: 12)
    case .receiptDonorMissing: .receiptDonorMissing(seq: 9)
    case .statementOtherLedger: .statementOtherLedger(unitCode: "GA-BC")
    case .statementCosignerNotSupervisor:
      .statementCosignerNotSupervisor(
        name: "赵磊", keyID: "ed25519:0123456789abcdef", unit: "北城街道（GA-BC）")
    case .statementAlreadySigned: .statementAlreadySigned(name: "赵磊")
    case .statementSupervisorAfterCheckpoint: .statementSupervisorAfterCheckpoint(name: "赵磊")
    case .statementWithoutTreasurer: .statementWithoutTreasurer(doing: "会签")
    case .statementCheckpointNotInLedger: .statementCheckpointNotInLedger(treeSize: 40)
    case .statementRecomputedDiffers: .statementRecomputedDiffers(difference: "期末余额不同", doing: "发布")
    case .statementPublisherNotTreasurer:
      .statementPublisherNotTreasurer(
        name: "王芳", keyID: "ed25519:0123456789abcdef", unit: "建设路社区（GA-BC-JSL）")
    case .statementNotCosigned: .statementNotCosigned
    case .statementAlreadyPublished: .statementAlreadyPublished(seq: 40)
    case .statementPreviousNotNeeded: .statementPreviousNotNeeded
    case .notAStatementFile: .notAStatementFile(format: "almoner-statement/v1")
    case .statementFieldInvalid: .statementFieldInvalid(field: "statement.lines", detail: "应为数组")
    case .periodInvalid: .periodInvalid(text: "2026-13")
    case .publicLogTooShort: .publicLogTooShort(count: 10, needed: 40)
    case .publicLogCheckpointUnreadable: .publicLogCheckpointUnreadable(path: "log/checkpoint")
    case .publicLogBundleMissing:
      .publicLogBundleMissing(directory: "log", bundle: "tile/entries/000")
    case .publicLogFileUnreadable: .publicLogFileUnreadable(path: "log/tile/entries/000")
    case .publicLogBundleTruncated: .publicLogBundleTruncated(path: "log/tile/entries/000")
    case .publicLogBundleEmpty: .publicLogBundleEmpty(path: "log/tile/entries/000")
    case .publicLogCheckpointInvalid: .publicLogCheckpointInvalid(detail: "签名无效")
    case .publicLogRootMismatch: .publicLogRootMismatch
    case .publicLogOtherLedger: .publicLogOtherLedger
    case .publicLogBeforeReceipt: .publicLogBeforeReceipt(treeSize: 10, seq: 12)
    case .publicLogEntryDiffers: .publicLogEntryDiffers(seq: 12)

    case .periodReversed: .periodReversed(from: "2026-11-30", to: "2026-11-01")
    case .importRowsRefused: .importRowsRefused(file: "bill.csv", count: 2, rows: "第 3 行：金额为空")
    case .importHeaderUnreadable: .importHeaderUnreadable(line: 1, problem: "引号未闭合")
    case .importSkipUntilUnmatched: .importSkipUntilUnmatched(pattern: "交易时间")
    case .importHeaderMissing: .importHeaderMissing
    case .importColumnUnknown: .importColumnUnknown(line: 1, cell: "备注")
    case .importColumnTwice: .importColumnTwice(line: 1, column: "amount")
    case .importColumnMissing: .importColumnMissing(line: 1, column: "date")
    case .importIncomeEmpty: .importIncomeEmpty
    case .importAmountEmpty: .importAmountEmpty
    case .importAmountZero: .importAmountZero
    case .importAmountNegative: .importAmountNegative(amount: "-20.00")
    case .importDateEmpty: .importDateEmpty
    case .importDateInFuture: .importDateInFuture(date: "2026-12-31", today: "2026-12-03")
    case .importUnitMissing: .importUnitMissing
    case .importChannelInvalid: .importChannelInvalid(text: "支票")
    case .importDonorEmpty: .importDonorEmpty
    case .importNamedInvalid: .importNamedInvalid(text: "也许")
    case .importSignerNotTreasurer:
      .importSignerNotTreasurer(unitName: "建设路社区", unitCode: "GA-BC-JSL")
    case .importLedgerChanged: .importLedgerChanged
    case .billAmountSeparatorMisplaced: .billAmountSeparatorMisplaced(text: "1,00")
    case .billDateMalformed: .billDateMalformed(text: "11月1日", format: nil)
    case .rulesFileTooLarge: .rulesFileTooLarge(source: "wechat.rules", maxKB: 64)
    case .rulesFileNotUTF8: .rulesFileNotUTF8(source: "wechat.rules")
    case .rulesLineInvalid:
      .rulesLineInvalid(source: "wechat.rules", line: 3, detail: "缩进的行只能跟在 if 之后")
    case .rulesIfWithoutBody: .rulesIfWithoutBody(source: "wechat.rules")
    case .rulesFieldsUndefined: .rulesFieldsUndefined(source: "wechat.rules", fields: "%备注")
    case .exportEntryMissing: .exportEntryMissing(seq: 5)
    case .exportEntryBroken: .exportEntryBroken(seq: 5, detail: "借贷不平")
    case .exportBalancesDiffer: .exportBalancesDiffer
    case .ledgerWithoutGenesis: .ledgerWithoutGenesis

    case .ledgerWithoutDistrict: .ledgerWithoutDistrict
    case .checkpointSizeWrong: .checkpointSizeWrong(entries: 12, stated: 10)
    case .checkpointRootWrong: .checkpointRootWrong
    case .checkpointTextDiffers: .checkpointTextDiffers
    case .checkpointSignatureWrong: .checkpointSignatureWrong(author: "ed25519:0123456789abcdef")
    case .notACheckpoint: .notACheckpoint(seq: 7)
    case .cosignerSignsLog: .cosignerSignsLog
    case .cosignerSignsLogIndependent: .cosignerSignsLogIndependent
    case .cosignerNotWitness: .cosignerNotWitness(name: "赵磊", keyID: "ed25519:0123456789abcdef")
    case .checkpointAlreadyCosigned:
      .checkpointAlreadyCosigned(keyID: "ed25519:0123456789abcdef", seq: 7)
    case .cosignatureLineWrong: .cosignatureLineWrong(author: "ed25519:0123456789abcdef")
    case .cosignatureTimestampNotLater:
      .cosignatureTimestampNotLater(timestamp: 100, name: "赵磊", last: 120)
    case .cosignatureTimestampOutOfRange: .cosignatureTimestampOutOfRange(timestamp: 1 << 63)
    case .checkpointOtherLedger:
      .checkpointOtherLedger(origin: "almoner/XX/1", trusted: "almoner/GA/2")
    case .checkpointNotThisLedger:
      .checkpointNotThisLedger(origin: "almoner/XX/1", ledgerOrigin: "almoner/GA/2")
    case .checkpointLogSignatureInvalid: .checkpointLogSignatureInvalid(holder: "李明")
    case .checkpointWithoutTrustedSignature: .checkpointWithoutTrustedSignature
    case .checkpointWithoutLogSignature: .checkpointWithoutLogSignature
    case .cosignatureInvalid: .cosignatureInvalid(holder: "赵磊")
    case .cosignaturesTooFew: .cosignaturesTooFew(detail: "需要 2 名监督员联署，只有 1 名")
    case .witnessStateUnreadable: .witnessStateUnreadable(path: "zhao.state")
    case .witnessStateNotObject: .witnessStateNotObject(path: "zhao.state")
    case .witnessStateEntryBroken:
      .witnessStateEntryBroken(path: "zhao.state", origin: "almoner/GA/1")
    case .witnessStateTimeBroken:
      .witnessStateTimeBroken(path: "zhao.state", origin: "almoner/GA/1")
    case .witnessStateSizeInvalid: .witnessStateSizeInvalid(origin: "almoner/GA/1", treeSize: 99)
    case .ledgerCheckFailed: .ledgerCheckFailed(purpose: "签署检查点", problem: "记录 #9：哈希不符")
    case .storedTreeDiffers: .storedTreeDiffers
    case .checkpointNotInLedger:
      .checkpointNotInLedger(treeSize: 12, rootPrefix: "0123456789abcdef")
    case .checkpointTextNotOriginal: .checkpointTextNotOriginal(seq: 12)
    case .checkpointOlderThanCosigned: .checkpointOlderThanCosigned(treeSize: 10, remembered: 12)
    case .historyRewritten:
      .historyRewritten(treeSize: 10, rootPrefix: "0123456789abcdef", detail: "根不符")
    case .rebuiltRootDiffers: .rebuiltRootDiffers(treeSize: 12)
    case .treeSizeOutOfRange: .treeSizeOutOfRange(size: 20, count: 12)
    case .entryOutsideTree: .entryOutsideTree(seq: 20, size: 12)
    case .treeSizesReversed: .treeSizesReversed(old: 20, new: 12)
    case .statementPublishedBefore: .statementPublishedBefore(hash: "ab12", seq: 30)
    case .statementCorrectsNothing:
      .statementCorrectsNothing(scope: "建设路社区2026年11月", supersedes: "ab12")
    case .statementNeedsCorrection:
      .statementNeedsCorrection(scope: "建设路社区2026年11月", seq: 30, hash: "ab12")
    case .statementCorrectsWrong:
      .statementCorrectsWrong(supersedes: "cd34", scope: "建设路社区2026年11月", seq: 30, hash: "ab12")
    case .statementFileHashDiffers: .statementFileHashDiffers
    case .erasureTargetMissing: .erasureTargetMissing(seq: 40)
    case .erasureTargetWithoutPersonalData:
      .erasureTargetWithoutPersonalData(seq: 3, kindName: "设立基金")
    case .erasureRepeated: .erasureRepeated(seq: 9, whose: "捐赠人", erasureSeq: 12)

    case .publicKeyLength: .publicKeyLength(count: 31)
    case .publicKeySmallOrder: .publicKeySmallOrder
    case .publicKeyNonCanonical: .publicKeyNonCanonical
    case .publicKeyInvalid: .publicKeyInvalid(detail: "bad encoding")
    case .keyNotEd25519: .keyNotEd25519(detail: "unsupported")
    case .publicKeyUnreadable: .publicKeyUnreadable(detail: "internal error")
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
    case .noteSignatureLineMalformed: .noteSignatureLineMalformed(line: "— x")
    case .noteSignatureCount: .noteSignatureCount(max: 16)
    case .verifierKeyInvalid: .verifierKeyInvalid(text: "GA+x")
    case .verifierKeyIDMismatch: .verifierKeyIDMismatch(text: "GA+12345678+AAAA")
    case .checkpointMalformed: .checkpointMalformed

    case .ledgerFileExists: .ledgerFileExists(path: "a.db")
    case .ledgerNotCreatable: .ledgerNotCreatable(path: "a.db", reason: "Permission denied")
    case .ledgerMissing: .ledgerMissing(path: "a.db")
    case .ledgerIsDirectory: .ledgerIsDirectory(path: "books")
    case .ledgerUnreadable: .ledgerUnreadable(path: "a.db")
    case .notALedger: .notALedger(path: "a.txt")
    case .ledgerUpgradeReadOnly: .ledgerUpgradeReadOnly(path: "a.db")
    case .ledgerWriteAheadLogPending:
      .ledgerWriteAheadLogPending(path: "a.db", detail: "SQLite error 14")
    case .disbursementUnknown: .disbursementUnknown(id: 43)
    case .auditPeriodInFuture: .auditPeriodInFuture(to: "2026-12-31", date: "2026-12-03")
    case .auditNoteTargetNotAudit: .auditNoteTargetNotAudit(seq: 3, kindName: "记录捐赠")
    case .conductRulesNotObject: .conductRulesNotObject
    case .conductRuleUnknown: .conductRuleUnknown(code: "x", known: "split-request")
    case .conductRuleNotObject: .conductRuleNotObject(code: "split-request")
    case .conductRuleEnabledNotBool: .conductRuleEnabledNotBool(code: "split-request")
    case .conductRuleParameterUnknown:
      .conductRuleParameterUnknown(code: "split-request", name: "x", known: "windowDays")
    case .conductRuleParameterNotInteger:
      .conductRuleParameterNotInteger(code: "split-request", name: "windowDays", unit: "天")
    case .conductRuleParameterOutOfRange:
      .conductRuleParameterOutOfRange(
        code: "split-request", name: "windowDays", value: 0, lower: 1, upper: 366, unit: "天")

    case .ledgerSchemaAltered: .ledgerSchemaAltered(problems: "多了触发器 t")
    case .projectionsUnreadable: .projectionsUnreadable(detail: "SQLite error")
    case .stateSealMismatch: .stateSealMismatch(tables: "unit、fund")
    case .ledgerProblemsBeforeWrite: .ledgerProblemsBeforeWrite(problems: "记录 #9：哈希不符")
    case .erasureCommitmentMismatch: .erasureCommitmentMismatch(seq: 9)
    case .entryFieldInvalid: .entryFieldInvalid(field: "donation.amountFen", detail: "应大于零")

    case .openingAccountInvalid: .openingAccountInvalid

    case .unitCodeUnknown: .unitCodeUnknown(code: "GA-X")
    case .fundCodeUnknown: .fundCodeUnknown(unit: "GA", code: "canteen")
    case .roleRequired:
      .roleRequired(
        name: "王芳", keyID: "ed25519:0123456789abcdef", unit: "建设路社区（GA-BC-JSL）", roles: "记账员",
        action: "记录捐赠")
    case .balanceOverLimit: .balanceOverLimit(unit: "GA", account: "银行存款")
    case .districtTotalOverLimit:
      .districtTotalOverLimit(account: "银行存款", limitFen: 9_007_199_254_740_991)
    case .balanceInsufficient:
      .balanceInsufficient(unit: "建设路社区（GA-BC-JSL）", fund: "非定向基金", account: "银行存款", heldFen: 8_880)
    case .balanceNegativeOnDay:
      .balanceNegativeOnDay(
        unit: "建设路社区（GA-BC-JSL）", fund: "非定向基金", account: "银行存款", day: "2026-10-10", balanceFen: 0,
        date: "2026-10-10", outflowFen: 25_000)
    case .balanceReserved:
      .balanceReserved(
        unit: "建设路社区（GA-BC-JSL）", fund: "非定向基金", heldFen: 100_000, reservedFen: 80_000,
        requests: "#9", availableFen: 20_000, outflowFen: 30_000)
    case .unitCodeTaken: .unitCodeTaken(code: "GA-BC")
    case .unitTierMisplaced:
      .unitTierMisplaced(tier: "社区", parentTier: "区", parentName: "广安区", childTier: "街道")
    case .grantKeyRevoked: .grantKeyRevoked(keyID: "ed25519:0123456789abcdef", name: "王芳", seq: 5)
    case .roleAlreadyHeld:
      .roleAlreadyHeld(name: "王芳", keyID: "ed25519:0123456789abcdef", unit: "建设路社区", role: "记账员")
    case .memberKeyUnknown: .memberKeyUnknown(keyID: "ed25519:0123456789abcdef")
    case .memberKeyRevoked: .memberKeyRevoked(keyID: "ed25519:0123456789abcdef", name: "王芳", seq: 5)
    case .lastDistrictAdmin: .lastDistrictAdmin(name: "李明")
    case .fundPurposeMissing: .fundPurposeMissing
    case .fundPurposeUnrestricted: .fundPurposeUnrestricted
    case .fundCategoryUnrestricted: .fundCategoryUnrestricted
    case .fundCodeTaken: .fundCodeTaken(unit: "广安区", code: "canteen")
    case .allocationNotAdjacent: .allocationNotAdjacent(from: "广安区", to: "建设路社区")
    case .allocationFundsDiffer:
      .allocationFundsDiffer(to: "北城街道", receivingFund: "食堂", from: "广安区", fund: "老龄食堂")
    case .allocationUnknown: .allocationUnknown(id: 42)
    case .allocationSettled: .allocationSettled(id: 42, status: "已确认", seq: 44)
    case .allocationDateBeforeSent:
      .allocationDateBeforeSent(
        confirming: true, date: "2026-11-01", id: 42, sentDate: "2026-11-03")
    case .reversalTargetMissing: .reversalTargetMissing(seq: 99)
    case .reversalRepeated: .reversalRepeated(seq: 17, by: 20)
    case .reversalNotDonation: .reversalNotDonation(seq: 17, kindName: "发出划拨", inTransit: true)
    case .reversalDateBeforeOriginal:
      .reversalDateBeforeOriginal(date: "2026-11-01", seq: 17, originalDate: "2026-11-03")
    case .unitCodeInvalid: .unitCodeInvalid(code: "ga bc", max: 32)
    case .fundCodeInvalid: .fundCodeInvalid(code: "Canteen", max: 32)
    case .genesisNotFirst: .genesisNotFirst
    case .firstNotGenesis: .firstNotGenesis
    case .signerNotMember: .signerNotMember(keyID: "ed25519:0123456789abcdef")
    case .signerRevoked: .signerRevoked(keyID: "ed25519:0123456789abcdef", name: "王芳", seq: 5)
    case .genesisSignerNotAdmin: .genesisSignerNotAdmin

    case .reconciledPeriodClosed:
      .reconciledPeriodClosed(
        unit: "建设路社区（GA-BC-JSL）", account: "银行存款", asOf: "2026-10-31", seq: 30)
    case .policyApproverCount: .policyApproverCount(tier: "街道", max: 5, count: 0)
    case .policyThresholdsReversed:
      .policyThresholdsReversed(parentFen: 500_000, districtFen: 100_000)
    case .policyUnchanged: .policyUnchanged(policy: "审批规则（记录 #3）")
    case .restrictedFundOffPurpose:
      .restrictedFundOffPurpose(
        fund: "老龄食堂", fundCode: "elderly-canteen", fundCategory: "助老", category: "助学")
    case .attachmentRepeated: .attachmentRepeated(name: "发票.jpg")
    case .releaseFundNotRestricted: .releaseFundNotRestricted(fund: "非定向基金")
    case .disbursementClosed: .disbursementClosed(id: 43, status: "已付款", seq: 45)
    case .approvalDateBeforeRequest:
      .approvalDateBeforeRequest(date: "2026-11-01", id: 43, requestDate: "2026-11-03")
    case .approvalNotNeeded: .approvalNotNeeded(id: 43)
    case .approvalOwnRequest: .approvalOwnRequest(id: 43)
    case .approvalRepeated:
      .approvalRepeated(name: "赵磊", id: 43, seq: 44, earlierKeyID: "ed25519:0123456789abcdef")
    case .approvalTierNotNeeded:
      .approvalTierNotNeeded(id: 43, missing: "区级审批人 1 人的批准", name: "赵磊", tier: "街道")
    case .rejectOwnRequest: .rejectOwnRequest(id: 43)
    case .cancelNotRequester: .cancelNotRequester(requester: "王芳", id: 43)
    case .paymentApprovalsMissing:
      .paymentApprovalsMissing(id: 43, policy: "审批规则（记录 #3）", missing: "街道审批人 1 人的批准")
    case .paymentDateBeforeRequest:
      .paymentDateBeforeRequest(date: "2026-11-01", requestDate: "2026-11-03")
    case .reconcileDateNotPast: .reconcileDateNotPast(asOf: "2026-11-03", date: "2026-11-03")
    case .reconcileMismatch:
      .reconcileMismatch(
        unit: "建设路社区（GA-BC-JSL）", account: "银行存款", asOf: "2026-10-31", bookedFen: 1_234_560,
        statedFen: 1_234_500)

    case .statementSignerNotTreasurer:
      .statementSignerNotTreasurer(
        name: "赵磊", keyID: "ed25519:0123456789abcdef", unit: "建设路社区（GA-BC-JSL）")
    case .statementCorrectionNotNeeded:
      .statementCorrectionNotNeeded(scope: "建设路社区（GA-BC-JSL）2026年11月")
    case .statementCorrectionReasonMissing:
      .statementCorrectionReasonMissing(scope: "建设路社区（GA-BC-JSL）2026年11月", seq: 30, hash: "ab12")
    case .statementPreviousFileMissing: .statementPreviousFileMissing(hash: "ab12")
    case .statementOpeningChanged:
      .statementOpeningChanged(
        problem: "非定向基金的期初余额与上一期的期末余额不同", previousPeriod: "2026-10", period: "2026-11")
    case .statementNoCosignedCheckpoint: .statementNoCosignedCheckpoint(periodEnd: "2026-11-30")
    case .statementCheckpointTooEarly:
      .statementCheckpointTooEarly(
        seq: 30, signedOn: "2026-11-20", periodEnd: "2026-11-30", period: "2026-11")
    case .statementTotalOverflow: .statementTotalOverflow
    case .statementRoleAfterCheckpoint: .statementRoleAfterCheckpoint(name: "王芳", seq: 30)
    case .statementFileMissing: .statementFileMissing(seq: 30, hash: "ab12")
    case .publishNoCosignedCheckpoint: .publishNoCosignedCheckpoint
    case .ledgerDiffersFromCheckpoint: .ledgerDiffersFromCheckpoint(size: 40)
    case .ledgerRootDiffers: .ledgerRootDiffers(size: 40, seq: 40, publishing: true)
    case .ledgerEntryMissing: .ledgerEntryMissing(seq: 9)
    case .entryHashMismatch: .entryHashMismatch(seq: 9, publishing: false)
    case .hashTilesFailed: .hashTilesFailed(reason: "I/O error")
    case .publicLogBundleFailed: .publicLogBundleFailed(start: 256)
    case .publicLogWriteFailed:
      .publicLogWriteFailed(path: "log/checkpoint", reason: "Permission denied")
    case .statementEntryReferenceMissing:
      .statementEntryReferenceMissing(seq: 12, needed: 9, what: "支出申请")
    case .ledgerShorterThanCheckpoint: .ledgerShorterThanCheckpoint(size: 40)
    case .statementPublishRowMalformed: .statementPublishRowMalformed(row: 2, column: "supersedes")

    case .timeZoneInvalid: .timeZoneInvalid("Mars/Olympus")
    case .storedHashMalformed: .storedHashMalformed(seq: 9)
    case .commitEmpty: .commitEmpty
    case .commitTooLarge: .commitTooLarge(max: 10_000)
    case .clockBehindLedger:
      .clockBehindLedger(time: "2026-11-01T00:00:00Z", headTime: "2026-11-03T08:00:00Z")
    case .dateInFuture: .dateInFuture(date: "2026-12-31", today: "2026-12-03")
    case .personalDataInvalid: .personalDataInvalid(problem: "捐赠人私密信息中的姓名为空")
    case .writeNotReadBack: .writeNotReadBack(subject: "支出申请 #43 ")
    case .attachmentsTooMany: .attachmentsTooMany(max: 20)
    case .attachmentUnreadable: .attachmentUnreadable(path: "发票.jpg")
    case .attachmentTooLarge: .attachmentTooLarge(path: "发票.jpg", bytes: 30_000_000, maxMB: 20)
    case .attachmentDuplicate: .attachmentDuplicate(path: "b.jpg", samePath: "a.jpg")
    case .attachmentFolderNotCreatable:
      .attachmentFolderNotCreatable(directory: "a.db.attachments", reason: "Permission denied")
    case .attachmentNotSaved:
      .attachmentNotSaved(name: "发票.jpg", target: "a.db.attachments/ab12", reason: "I/O error")
    case .memberKeyPersonMissing: .memberKeyPersonMissing(keyID: "ed25519:0123456789abcdef")
    case .entryUnreadable: .entryUnreadable(seq: 9, reason: "SQLite error 11")
    case .entryDiffersFromSealedTree: .entryDiffersFromSealedTree(seq: 9)
    case .entryHashMissing: .entryHashMissing(seq: 9)
    case .ledgerReadOnly: .ledgerReadOnly(path: "a.db", doing: "写入账本", unchanged: true)
    case .ledgerBusy: .ledgerBusy(path: "a.db", seconds: 60, doing: "写入账本", unchanged: true)
    case .ledgerIOFailed:
      .ledgerIOFailed(path: "a.db", doing: "写入账本", unchanged: true, reason: "SQLite error 10")
    case .ledgerConnectionClosed: .ledgerConnectionClosed
    case .journalKindInvalid: .journalKindInvalid(text: "gift", known: "donation（记录捐赠）")
    case .journalAccountInvalid: .journalAccountInvalid(text: "safe")
    case .signerUnknown: .signerUnknown(text: "王五")
    case .entryEmpty: .entryEmpty
    case .entryBytesMalformed: .entryBytesMalformed(detail: "字段 seq 应为非负整数（第 9 字节）")
    case .entryBodyMalformed: .entryBodyMalformed(detail: "记录内容 donation.amountFen 应为整数")
    case .entryNotCanonical: .entryNotCanonical
    case .checkpointEntryWrongKind: .checkpointEntryWrongKind(kind: "donation", seq: 9)
    case .payeeCommitmentMismatch: .payeeCommitmentMismatch(path: "disbursement.request.payee")
    case .projectionValueInvalid:
      .projectionValueInvalid(table: "unit", column: "tier", value: "city")
    case .consistencyProofFailed: .consistencyProofFailed(detail: "tree size out of range")
    case .entryRowMalformed: .entryRowMalformed(seq: 9, column: "canonical")
    }
  }
}
