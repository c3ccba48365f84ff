/// The English text of every refusal, case for case beside the Chinese one
/// in `RefusalText.swift` (`almoner --lang en`, or `ALMONER_LANG=en`).
/// Values the ledger holds in Chinese — unit and fund names, role and entry
/// kind names, and the details another check wrote — are quoted as they are.
extension Refusal {
  /// The English for a step or a thing a refusal names in Chinese (`doing`,
  /// `purpose`, `what`): those the library names; other text is kept as it is.
  static func englishStep(_ step: String) -> String {
    switch step {
    case "写入账本": "writing the ledger"
    case "创建账本": "creating the ledger"
    case "打开账本": "opening the ledger"
    case "读取账本": "reading the ledger"
    case "核验账本": "verifying the ledger"
    case "查找流水号": "looking up the reference"
    case "签发检查点": "signing a checkpoint"
    case "联署": "cosigning"
    case "会签": "cosign"
    case "发布": "publish"
    case "检查点": "checkpoint"
    case "检查点文件": "checkpoint file"
    case "报表": "statement"
    case "报表文件": "statement file"
    case "上一期报表": "previous statement"
    case "账单文件": "bill file"
    case "监督记录": "supervisor's record"
    case "监督员联署记录": "supervisor's cosigning record"
    case "单位": "unit"
    case "上级单位": "parent unit"
    case "信任公钥": "trust"
    case "信任公钥文件": "trust file"
    case "规则文件": "rules file"
    case "审计规则": "audit rules"
    case "收据": "receipt"
    case "收据文件": "receipt file"
    case "导出文件": "export file"
    case "支出申请": "request"
    case "所确认的划拨": "the allocation confirmed"
    case "所冲销的捐赠": "the donation reversed"
    case "所付款的申请": "the request paid"
    default: step
    }
  }

  var english: String {
    switch self {
    case .inField(let field, let inner): "\(field): \(inner.english)"

    // Options and arguments
    case .keyOptionMissing:
      "--key is missing: name the signer's private key file (or set ALMONER_KEY)"
    case .choiceInvalid(let field, let value, let allowed):
      "\(field) \"\(value)\" is not valid: use \(allowed)"
    case .channelInvalid(let value, let allowed):
      "--channel \"\(value)\" is not valid: use \(allowed), or the name a bill uses (微信支付, 银行转账 …)"
    case .donorTypeInvalid(let field, let value):
      "\(field) \"\(value)\" is not valid: use person, organisation or anonymous"
    case .accountInvalid(let value): "--account \"\(value)\" is not valid: use bank or cash"
    case .languageInvalid(let value): "--lang \"\(value)\" is not valid: use zh or en"
    case .statementFormatInvalid(let value):
      "--format \"\(value)\" is not valid: use text, md or html"
    case .donorMissing:
      "--donor is missing: give the donor's name or organisation (an anonymous gift: --donor-type anonymous)"
    case .namedNotPerson:
      "--named is for a person only: an organisation is always shown in full, an anonymous gift never names anyone"
    case .asOfWithPeriod:
      "--as-of can't be used with --from/--to: use --from/--to for a period, --as-of for the balance on a day"
    case .noBomNotCSV: "--no-bom is for the csv export only"
    case .checkpointAndWitness:
      "--checkpoint and --witness both give a supervisor's cosigning record: check one at a time"
    case .auditRulesNotJSON(let path, let detail):
      "the audit rules file \(path) is not valid JSON: \(detail)"
    case .fileUnreadable(let what, let path):
      "can't read the \(Refusal.englishStep(what)) file \(path)"
    case .fileNotUTF8(let what, let path):
      "the \(Refusal.englishStep(what)) file \(path) is not valid UTF-8 text"
    case .inputFileMissing(let what, let path):
      "\(Refusal.englishStep(what)) \(path) does not exist or can't be read"

    // Amounts, dates, text
    case .amountEmpty(let text): "amount \"\(text)\" is not valid: it is empty"
    case .amountNegative(let text): "amount \"\(text)\" is not valid: it can't be negative"
    case .amountPlusSign(let text):
      "amount \"\(text)\" is not valid: write the number without a plus sign"
    case .amountSeparator(let text):
      "amount \"\(text)\" is not valid: leave out the thousands separators (commas), e.g. 1000.00"
    case .amountPoints(let text): "amount \"\(text)\" is not valid: only one decimal point"
    case .amountNotDigits(let text):
      "amount \"\(text)\" is not valid: only digits and a decimal point, e.g. 500 or 500.50 (in yuan)"
    case .amountFractionMissing(let text):
      "amount \"\(text)\" is not valid: digits are missing after the point"
    case .amountDecimals(let text): "amount \"\(text)\" is not valid: at most two decimals (fen)"
    case .amountOverLimit(let text, let limitFen):
      "amount \"\(text)\" is not valid: over the ledger's limit of \(Refusal.yuan(limitFen)) yuan"
    case .amountNotPositive(let text): "amount \"\(text)\" is not valid: it must be more than zero"
    case .dateMalformed(let text):
      "date \"\(text)\" is not valid: write year-month-day, e.g. 2026-07-03"
    case .dateNonexistent(let text): "date \"\(text)\" does not exist"
    case .timeZoneUnknown(let zone): "unknown time zone \(zone)"
    case .textEmpty(let field): "\(field) can't be empty"
    case .textTooLong(let field, let max, let actual):
      "\(field) is too long: at most \(max) characters, it has \(actual)"
    case .textCharacterRefused(let field, let character, let invalidUTF8):
      "\(field) \(character)"
        + (invalidUTF8
          ? ": the input is not valid UTF-8 (or holds a replacement character); enter it again as UTF-8"
          : ": names, purposes and reasons are one line of visible text; delete the character and enter it again")
    case .originInvalid(let origin):
      "--origin \"\(origin)\" is not valid: visible ASCII only (no space, no +), e.g. almoner.example/GA"

    // Key files and passphrases
    case .keyFileExists(let path):
      "\(path) already exists; choose another file name so no key is overwritten"
    case .keyFileNotCreatable(let path, let reason): "can't write \(path): \(reason)"
    case .keyFileWriteFailed(let path, let reason): "writing \(path) failed: \(reason)"
    case .keyFileMissing(let half, let path): "the \(half.english) file \(path) does not exist"
    case .keyFileIsDirectory(let half, let path): "\(path) is a folder, not a \(half.english) file"
    case .keyFileUnreadable(let half, let path):
      "can't read the \(half.english) file \(path): no permission to read it"
    case .keyFileNotPEM(let half, let path): "\(path) is not a \(half.english) file (PEM text)"
    case .keyFileModeUnreadable(let path, let reason):
      "can't read the permissions of the private key file \(path): \(reason)"
    case .keyFilePermissions(let path, let mode, let quotedPath):
      "the private key file \(path) has mode \(mode): its group or others have access; "
        + "a private key must be readable by its owner only, run first: chmod 600 \(quotedPath)"
    case .passphraseFileMissing(let path): "the passphrase file \(path) does not exist"
    case .passphraseFileIsDirectory(let path): "\(path) is a folder, not a passphrase file"
    case .passphraseFileUnreadable(let path):
      "can't read the passphrase file \(path): no permission to read it"
    case .passphraseEmpty(let path):
      "the first line of the passphrase file \(path) is empty: put the passphrase on the first line"
    case .passphraseTooLong(let path, let max):
      "the passphrase in \(path) is too long (at most \(max) bytes)"

    // Output files
    case .outputNotRegularFile(let what, let path):
      "can't write the \(Refusal.englishStep(what)) \(path): it is not a regular file (a folder or a device); choose another path"
    case .outputIsLedger(let what, let path, let ledger):
      "the \(Refusal.englishStep(what)) \(path) is the ledger file \(ledger): writing it would destroy the ledger; choose another path"
    case .outputPlaceFailed(let what, let path, let reason, let temporaryPath):
      "can't move the \(Refusal.englishStep(what)) to \(path) (\(reason)); the content is saved in \(temporaryPath), rename it by hand"
    case .outputDiskFull(let what, let path):
      "the disk is full: can't write the \(Refusal.englishStep(what)) \(path), the ledger is unchanged; free some disk space and try again"
    case .outputFolderMissing(let what, let path, let reason):
      "can't write the \(Refusal.englishStep(what)) \(path): its folder does not exist (\(reason)), the ledger is unchanged; choose another path"
    case .outputNotWritable(let what, let path, let reason):
      "can't write the \(Refusal.englishStep(what)) \(path): no permission to write (a read-only or immutable file or folder, or a read-only disk: \(reason)), the ledger is unchanged; choose another path or change the permissions"
    case .outputIsDirectory(let what, let path):
      "can't write the \(Refusal.englishStep(what)) \(path): it is a folder, the ledger is unchanged; choose another path"
    case .outputWriteFailed(let what, let path, let reason):
      "can't write the \(Refusal.englishStep(what)) \(path) (\(reason)), the ledger is unchanged"

    // Units, funds, members, persons
    case .unitUnknown(let field, let what, let text, let known):
      "\(field): \(Refusal.englishStep(what)) \"\(text)\" does not exist. Units: \(known)"
    case .unitAmbiguous(let field, let text, let count, let codes):
      "\(field): \(count) units are named \"\(text)\": \(codes); use the unit's code"
    case .unitUnderCommunity(let parentName):
      "no unit can be set up under a community (\(parentName) is a community)"
    case .fundUnknown(let field, let unitName, let unitCode, let text, let known):
      "\(field): \(unitName) (\(unitCode)) has no fund \"\(text)\". Funds: \(known)"
    case .donationReferenceRecorded(let reference, let seq):
      "--ref: reference \(reference) was recorded in entry #\(seq) and is not recorded twice; if it is really another gift, add --allow-duplicate-ref"
    case .unitNameLikeCode(let name):
      "the unit name \"\(name)\" looks like a unit code (capitals, digits and hyphens only): use the unit's full Chinese name, e.g. 北城街道"
    case .unitNameIsCode(let name, let unitCode, let unitName):
      "the unit name \"\(name)\" is the code of unit \(unitCode) (\(unitName)): use the unit's full Chinese name"
    case .unitNameTaken(let name, let unitCode, let unitName):
      "unit \"\(unitName)\" (\(unitCode)) already has the name \"\(name)\" (compared without width or case): choose a name that tells them apart"
    case .unitCodeIsName(let code, let unitCode, let unitName):
      "the unit code \(code) is the name of unit \"\(unitName)\" (\(unitCode)): choose another code"
    case .fundNameTaken(let name, let unitName, let fundCode, let fundName):
      "\(unitName) already has a fund named \"\(fundName)\" (code \(fundCode)), the same as \"\(name)\" (compared without width or case): choose a name that tells them apart"
    case .fundNameIsCode(let name, let unitName, let fundCode, let fundName):
      "the fund name \"\(name)\" is the code of \(unitName)'s fund \(fundCode) (\(fundName)): choose another name"
    case .fundCodeIsName(let code, let unitName, let fundName):
      "the fund code \(code) is the name of \(unitName)'s fund \"\(fundName)\": choose another code"
    case .supervisorAppointedAbove(
      let unit, let appointing, let action, let signerName, let signerKeyID):
      "supervisors are appointed by the tier above: \(unit)'s supervisors are appointed (\(action)) by an admin of \(appointing) or higher, \(signerName) (\(signerKeyID)) may not; have an admin of the tier above sign"
    case .dutiesGrantClash(let name, let keyID, let unit, let heldRole, let grantedSeq, let role):
      "incompatible duties stay apart: \(name) (\(keyID)) is already \(heldRole) of \(unit) (granted in entry #\(grantedSeq)) and can't also be \(role): no one both keeps and approves the same unit's spending; choose someone else"
    case .dutiesApproveClash(let name, let unit, let grantedSeq, let requestID):
      "incompatible duties stay apart: \(name) is a treasurer of \(unit) (granted in entry #\(grantedSeq)) and can't approve its request #\(requestID); have another approver approve it"
    case .dutiesPayClash(let name, let requestID, let approvalSeq, let unit):
      "incompatible duties stay apart: \(name) approved request #\(requestID) (entry #\(approvalSeq)) and can't also pay it; have another treasurer of \(unit) pay"
    case .rotateKeyUnknown(let keyID):
      "key \(keyID) is not a member of this ledger; `almoner member list` shows the members' key ids"
    case .rotateKeyRevoked(let keyID, let name, let seq):
      "key \(keyID) (\(name)) was revoked or replaced in entry #\(seq) and can't be replaced again; if the person is still in office, replace the key they use now"
    case .rotateKeyTaken(let keyID, let holderName):
      "the new public key (\(keyID)) is already \(holderName)'s key in this ledger: make a new key with `almoner key new`"
    case .rotateKeyWithoutRoles(let keyID): "key \(keyID) is not revoked but holds no role"
    case .grantNameMismatch(let keyID, let knownName, let name):
      "key \(keyID) belongs to \"\(knownName)\": a further role for it needs --name \"\(knownName)\", not \"\(name)\""
    case .grantNameHeld(let name, let holderKeyID, let roles, let unitName):
      "\"\(name)\" is the name of a member in office (\(holderKeyID), \(roles)): the same person with a new key is `almoner member rotate \(holderKeyID) --public-key NEW.pub` (the old key is void, the roles move), not a second key by member add; if it really is another person of the same name, add a note to the name, e.g. \"\(name)（\(unitName)）\""

    // Statements and receipts as a resident checks them
    case .statementCheckFailed(let check, let detail):
      "the statement does not verify (\(check.english)): \(detail)"
    case .receiptStepFailed(let step, let detail): "\(step.englishTitle) failed: \(detail)"

    // Statements, receipts, trust files, public logs
    case .trustFileMalformed: "the trust file is malformed (it is made by almoner keys export)"
    case .trustFileVkeyMissing(let field): "\(field) in the trust file has no vkey"
    case .trustKeyWrongType(let vkey): "the trusted key \(vkey) is of the wrong type"
    case .trustQuorumInvalid(let max):
      "witnessQuorum in the trust file must be a whole number from 1 to \(max) (how many supervisors cosign)"
    case .trustFileNotUTF8: "the trust file is not valid UTF-8 text"
    case .trustFileWithoutLogKey: "the trust file has no key of the ledger's signers"
    case .trustFileWithoutLedgerID:
      "the trust file has no ledger id (the .vkeys form has none): verify with the JSON trust file almoner keys export writes"
    case .witnessQuorumOutOfRange(let max, let given):
      "the number of cosigning supervisors must be from 1 to \(max), not \(given)"
    case .witnessQuorumOverWitnesses(let witnesses, let quorum):
      "the ledger has only \(witnesses) street or district supervisors and can't require \(quorum) cosignatures: add supervisors first, or require fewer"
    case .ledgerNotInitialised: "the ledger is not set up yet"
    case .entryMissing(let seq): "entry #\(seq) does not exist"
    case .receiptNotDonation(let seq, let kindName):
      "entry #\(seq) is \"\(kindName)\": only a donation has a receipt"
    case .receiptDonorErased(let seq, let erasureSeq):
      "the donor's personal data of entry #\(seq) was erased in entry #\(erasureSeq): no new receipt can be issued; a receipt the donor already holds still verifies with almoner verify receipt"
    case .receiptDonorMissing(let seq):
      "the donor's personal data of entry #\(seq) is missing and no entry erased it: it was deleted or lost outside almoner; run almoner verify ledger"
    case .statementOtherLedger(let unitCode):
      "this statement is not of this ledger (unit \(unitCode) or the ledger id differs)"
    case .statementCosignerNotSupervisor(let name, let keyID, let unit):
      "\(name) (\(keyID)) is not a supervisor of \(unit) or above and can't cosign its statement"
    case .statementAlreadySigned(let name): "\(name) has already signed this statement"
    case .statementSupervisorAfterCheckpoint(let name):
      "\(name)'s supervisor role was granted after the checkpoint the statement is bound to: have the treasurer issue the statement again on a newer checkpoint"
    case .statementWithoutTreasurer(let doing):
      "the statement has no treasurer's signature yet: refused to \(Refusal.englishStep(doing))"
    case .statementCheckpointNotInLedger(let treeSize):
      "the ledger has no checkpoint of the first \(treeSize) entries the statement is bound to"
    case .statementRecomputedDiffers(let difference, let doing):
      "the statement recomputed from the ledger differs from this one (\(difference)); refused to \(Refusal.englishStep(doing)): have the treasurer issue it again"
    case .statementPublisherNotTreasurer(let name, let keyID, let unit):
      "\(name) (\(keyID)) is not a treasurer or admin of \(unit) and can't publish its statement"
    case .statementNotCosigned:
      "no supervisor has cosigned the statement, so it can't be published: ask a supervisor to run `almoner statement cosign`"
    case .statementAlreadyPublished(let seq): "this statement was published in entry #\(seq)"
    case .statementPreviousNotNeeded:
      "this statement has no previous statement (previous is null): --previous is not needed"
    case .notAStatementFile(let format):
      "not a statement file (one is made by almoner statement create, format \(format))"
    case .statementFieldInvalid(let field, let detail):
      "the statement is malformed: field \(field) \(detail)"
    case .periodInvalid(let text):
      "--period \"\(text)\" is not valid: write a month 2026-11, a quarter 2026-Q4 or a year 2026"
    case .publicLogTooShort(let count, let needed):
      "the public log has only \(count) entries, fewer than the \(needed) of the statement's checkpoint: use a newer public log"
    case .publicLogCheckpointUnreadable(let path):
      "the public log's checkpoint \(path) is missing or unreadable: check that --log names the folder almoner publish wrote"
    case .publicLogBundleMissing(let directory, let bundle):
      "the public log \(directory) lacks the entry bundle \(bundle): check that --log names the folder almoner publish wrote"
    case .publicLogFileUnreadable(let path): "can't read the public log file \(path)"
    case .publicLogBundleTruncated(let path): "the public log's entry bundle \(path) is truncated"
    case .publicLogBundleEmpty(let path): "the public log's entry bundle \(path) is empty"
    case .publicLogCheckpointInvalid(let detail):
      "the public log's checkpoint does not verify: \(detail)"
    case .publicLogRootMismatch:
      "the public log's entries don't match the Merkle root of its checkpoint: the log files were changed"
    case .publicLogOtherLedger:
      "the public log is of another ledger: its entry #0 is not the ledger id in the trust file"
    case .publicLogBeforeReceipt(let treeSize, let seq):
      "the public log's checkpoint covers only the first \(treeSize) entries, not this receipt's entry #\(seq): use a newer public log"
    case .publicLogEntryDiffers(let seq):
      "entry #\(seq) in the public log differs from the one in the receipt: they are not the same ledger"

    // Import and export
    case .periodReversed(let from, let to):
      "--from \(from) is after --to \(to): the start can't be after the end"
    case .importRowsRefused(let file, let count, let rows):
      "\(file) has \(count) rows that can't be imported; nothing was recorded, the ledger is unchanged; correct these rows (or skip them with if … skip in the rules file) and import again"
        + (rows.map { ": " + $0 } ?? "")
    case .importHeaderUnreadable(let line, let problem): "line \(line) (header): \(problem)"
    case .importSkipUntilUnmatched(let pattern):
      "no line of the file matches the rule skip-until (\(pattern)): is this that kind of bill?"
    case .importHeaderMissing:
      "the file has no header line: the default layout's first line is date,unit,fund,amount,donor,channel,reference"
    case .importColumnUnknown(let line, let cell):
      "line \(line) (header): unknown column \"\(cell)\"; the default layout's columns are date,unit,fund,amount,donor,channel,reference (with optional donor-type, named); other layouts need a --rules file"
    case .importColumnTwice(let line, let column):
      "line \(line) (header): column \"\(column)\" appears twice"
    case .importColumnMissing(let line, let column):
      "line \(line) (header): column \(column) is missing; the default layout's columns are date,unit,fund,amount,donor,channel,reference"
    case .importIncomeEmpty: "the income amount is empty or zero"
    case .importAmountEmpty: "the amount is empty"
    case .importAmountZero: "the amount is zero"
    case .importAmountNegative(let amount):
      "the amount \(amount) is negative: a refund or a payment is not a donation; skip such rows with if … skip in the rules file"
    case .importDateEmpty: "the date is empty"
    case .importDateInFuture(let date, let today):
      "the date \(date) is after today (\(today)): nothing is recorded in advance"
    case .importUnitMissing:
      "no unit: add a unit column to the file, give --unit, or write unit CODE in the rules file"
    case .importChannelInvalid(let text):
      "channel \"\(text)\" is not valid: use 微信 (WeChat Pay), 支付宝 (Alipay), 银行转账 (bank), 现金 (cash) or 其他 (other)"
    case .importDonorEmpty:
      "the donor is empty: write a name or an organisation, or make the donor type anonymous"
    case .importNamedInvalid(let text): "named \"\(text)\" is not valid: use yes or no (是/否)"
    case .importSignerNotTreasurer(let unitName, let unitCode):
      "the signing key is not a treasurer of \(unitName) (\(unitCode)): only its own treasurers record its donations; import with that unit's treasurer's key"
    case .importLedgerChanged:
      "the ledger got new entries during the import, so the import was cancelled and the ledger is unchanged; run the same command again (references already recorded are skipped)"
    case .billAmountSeparatorMisplaced(let text):
      "amount \"\(text)\" is not valid: a thousands separator is misplaced"
    case .billDateMalformed(let text, let format):
      "date \"\(text)\" is not valid: use "
        + (format.map { "the format \($0)" }
          ?? "year-month-day (a time may follow, as in 2026-11-01 08:49:12)")
    case .rulesFileTooLarge(let source, let maxKB):
      "the rules file \(source) is too large (at most \(maxKB) KB)"
    case .rulesFileNotUTF8(let source):
      "the rules file \(source) is not valid UTF-8 text (rules files are UTF-8; the encoding directive names the bill's encoding)"
    case .rulesLineInvalid(let source, let line, let detail):
      "rules file \(source) line \(line): \(detail)"
    case .rulesIfWithoutBody(let source):
      "the if at the end of the rules file \(source) has no indented line after it"
    case .rulesFieldsUndefined(let source, let fields):
      "the rules file \(source) uses fields its fields line does not define: \(fields)"
    case .exportEntryMissing(let seq):
      "entry #\(seq) is missing or out of order: nothing can be exported; run `almoner verify ledger`"
    case .exportEntryBroken(let seq, let detail):
      "entry #\(seq) breaks the ledger's rules (\(detail)): nothing can be exported; run `almoner verify ledger`"
    case .exportBalancesDiffer:
      "the ledger's balances differ from those recomputed from the log: the file was changed outside almoner and can't be exported; run `almoner verify ledger`"
    case .ledgerWithoutGenesis: "the ledger has no genesis entry"

    // Checkpoints, cosignatures, proofs, state seal, publication, erasure
    case .ledgerWithoutDistrict: "the ledger has no district unit"
    case .checkpointSizeWrong(let entries, let stated):
      "a checkpoint covers all \(entries) entries before it, this one says \(stated)"
    case .checkpointRootWrong:
      "the checkpoint's root hash does not match the ledger's Merkle tree: the ledger differs from what was signed; refused to sign"
    case .checkpointTextDiffers:
      "the checkpoint text does not match the entry's origin, entry count or root hash"
    case .checkpointSignatureWrong(let author):
      "the checkpoint text must carry exactly one valid signature, by \(author)"
    case .notACheckpoint(let seq): "entry #\(seq) is not a checkpoint"
    case .cosignerSignsLog:
      "the district admin or treasurer who signs checkpoints can't also cosign them"
    case .cosignerSignsLogIndependent:
      "the district admin or treasurer who signs checkpoints can't also cosign them: cosigning is for independent supervisors"
    case .cosignerNotWitness(let name, let keyID):
      "\(name) (\(keyID)) is not a street or district supervisor and can't cosign checkpoints"
    case .checkpointAlreadyCosigned(let keyID, let seq):
      "\(keyID) has already cosigned the checkpoint of entry #\(seq)"
    case .cosignatureLineWrong(let author):
      "a cosignature must be exactly one valid cosignature line by \(author)"
    case .cosignatureTimestampNotLater(let timestamp, let name, let last):
      "cosignature timestamp \(timestamp) is not after \(name)'s last one, \(last): one supervisor's timestamps must strictly increase"
    case .cosignatureTimestampOutOfRange(let timestamp):
      "cosignature timestamp \(timestamp) is out of range (at most 2^63−1)"
    case .checkpointOtherLedger(let origin, let trusted):
      "the checkpoint is of another ledger (\(origin)), not the one you trust, \(trusted)"
    case .checkpointNotThisLedger(let origin, let ledgerOrigin):
      "the checkpoint is of another ledger (origin \(origin); this ledger is \(ledgerOrigin))"
    case .checkpointLogSignatureInvalid(let holder): "\(holder)'s checkpoint signature is not valid"
    case .checkpointWithoutTrustedSignature:
      "the checkpoint has no signature by a trusted ledger key"
    case .checkpointWithoutLogSignature:
      "the checkpoint has no valid signature by a district admin or treasurer"
    case .cosignatureInvalid(let holder): "supervisor \(holder)'s cosignature is not valid"
    case .cosignaturesTooFew(let detail): "too few cosignatures: \(detail)"
    case .witnessStateUnreadable(let path): "can't read the supervisor's record \(path)"
    case .witnessStateNotObject(let path):
      "the supervisor's record \(path) is damaged (not a JSON object)"
    case .witnessStateEntryBroken(let path, let origin):
      "the supervisor's record \(path) is damaged at \(origin)"
    case .witnessStateTimeBroken(let path, let origin):
      "the cosignature timestamp (time) of \(origin) in the supervisor's record \(path) is damaged"
    case .witnessStateSizeInvalid(let origin, let treeSize):
      "the entry count \(treeSize) of \(origin) in the supervisor's record is not valid"
    case .ledgerCheckFailed(let purpose, let problem):
      "the ledger does not verify; refused \(Refusal.englishStep(purpose))\(problem.map { ": " + $0 } ?? "") (see almoner verify ledger)"
    case .storedTreeDiffers:
      "the Merkle tree stored in the ledger differs from the one rebuilt from the entries: the data was changed; refused to sign"
    case .checkpointNotInLedger(let treeSize, let rootPrefix):
      "this ledger has no such checkpoint (\(treeSize) entries, root \(rootPrefix)…)"
    case .checkpointTextNotOriginal(let seq):
      "the checkpoint text differs from the checkpoint of entry #\(seq) (extra lines or changed): cosign the text the ledger signed"
    case .checkpointOlderThanCosigned(let treeSize, let remembered):
      "this checkpoint (\(treeSize) entries) is older than the one you last cosigned (\(remembered) entries); refused to cosign"
    case .historyRewritten(let treeSize, let rootPrefix, let detail):
      "the ledger disagrees with the checkpoint you last cosigned (first \(treeSize) entries, root \(rootPrefix)…): history was rewritten; refused to cosign (\(detail))"
    case .rebuiltRootDiffers(let treeSize):
      "the Merkle root of the first \(treeSize) entries rebuilt from their content differs from this checkpoint: the data was changed; refused to cosign"
    case .treeSizeOutOfRange(let size, let count):
      "entry count \(size) is out of range: the ledger has \(count) entries"
    case .entryOutsideTree(let seq, let size):
      "entry #\(seq) is not among the first \(size) entries"
    case .treeSizesReversed(let old, let new):
      "the old entry count \(old) can't be larger than the new one, \(new)"
    case .statementPublishedBefore(let hash, let seq):
      "statement \(hash) was published in entry #\(seq) and is not published twice"
    case .statementCorrectsNothing(let scope, let supersedes):
      "no statement of \(scope) has been published, so there is nothing to correct (supersedes \(supersedes)): a first statement has no correction reason"
    case .statementNeedsCorrection(let scope, let seq, let hash):
      "a statement of \(scope) was published in entry #\(seq) (hash \(hash)): another one must be a correction; issue it with `almoner statement create … --correction-reason REASON`"
    case .statementCorrectsWrong(let supersedes, let scope, let seq, let hash):
      "the correction supersedes \(supersedes), which is not the current statement of \(scope) (\(hash), published in entry #\(seq)): issue the correction again against the current statement"
    case .statementFileHashDiffers:
      "the statement file does not match the statement hash in the publication entry: not published"
    case .erasureTargetMissing(let seq):
      "entry #\(seq), whose personal data is to be erased, does not exist"
    case .erasureTargetWithoutPersonalData(let seq, let kindName):
      "entry #\(seq) is \"\(kindName)\" and holds no personal data: only donations and requests paying a person keep personal data apart"
    case .erasureRepeated(let seq, let whose, let erasureSeq):
      "the personal data (\(whose)) of entry #\(seq) was erased in entry #\(erasureSeq) and can't be erased twice"

    // Keys and signed notes
    case .publicKeyLength(let count): "an Ed25519 public key is 32 bytes, this one is \(count)"
    case .publicKeySmallOrder:
      "this Ed25519 public key is a small-order point (a weak key): its signatures can be forged without the private key, so it can't be used; ask its holder to make a new key with `almoner key new`"
    case .publicKeyNonCanonical:
      "this Ed25519 public key is not canonically encoded (y ≥ 2^255−19, or x = 0 with the sign bit set), so one point has several encodings and it can't be used; ask its holder to make a new key with `almoner key new`"
    case .publicKeyInvalid(let detail): "not a valid Ed25519 public key (OpenSSL: \(detail))"
    case .keyNotEd25519(let detail): "the key is not an Ed25519 key (OpenSSL: \(detail))"
    case .publicKeyUnreadable(let detail): "reading the public key failed (OpenSSL: \(detail))"
    case .publicKeyNotPEM: "not a PEM public key (it starts with -----BEGIN PUBLIC KEY-----)"
    case .publicKeyWrongType:
      "the public key is not an Ed25519 key; make keys with `almoner key new`"
    case .privateKeyNotPEM: "not a PEM private key (it starts with -----BEGIN PRIVATE KEY-----)"
    case .privateKeyEncrypted:
      "the private key is encrypted with a passphrase: give a passphrase file with --passphrase-file, or set ALMONER_KEY_PASSPHRASE"
    case .passphraseTooLongForKey: "the passphrase is too long to open the private key"
    case .passphraseWrong:
      "wrong passphrase: it does not open the private key; check --passphrase-file or ALMONER_KEY_PASSPHRASE"
    case .privateKeyWrongType:
      "the private key is not an Ed25519 key; make keys with `almoner key new`"
    case .noteTooLarge: "the signed note is too large"
    case .noteNotUTF8: "the signed note is not valid UTF-8"
    case .noteControlCharacter: "the signed note holds a control character"
    case .noteBlankLineMissing: "the signed note lacks the blank line between text and signatures"
    case .noteFinalNewlineMissing: "the signed note must end with a newline"
    case .noteSignatureLineMalformed(let line):
      "a signature line is malformed (it is \"— NAME BASE64SIGNATURE\"): \(line.debugDescription)"
    case .noteSignatureCount(let max): "a signed note has 1 to \(max) signatures"
    case .verifierKeyInvalid(let text): "key \"\(text)\" is not a valid note verifier key (vkey)"
    case .verifierKeyIDMismatch(let text): "the key id of \"\(text)\" does not match its key"
    case .checkpointMalformed:
      "not a valid checkpoint (three lines: origin, entry count, base64 root hash, then optional non-empty extension lines)"

    // Ledger files, audits, conduct rules
    case .ledgerFileExists(let path):
      "\(path) already exists; init never overwrites a file, choose another path"
    case .ledgerNotCreatable(let path, let reason): "can't create the ledger \(path): \(reason)"
    case .ledgerMissing(let path):
      "no ledger at \(path); name it with --ledger, or set one up first with `almoner init`"
    case .ledgerIsDirectory(let path): "\(path) is a folder, not a ledger file"
    case .ledgerUnreadable(let path): "can't read the ledger \(path): no permission to read it"
    case .notALedger(let path): "\(path) is not a ledger (not an SQLite file made by almoner)"
    case .ledgerUpgradeReadOnly(let path):
      "the ledger \(path) was made by an earlier version and its database must be upgraded first, but it is read-only: copy it somewhere writable to look at it"
    case .ledgerWriteAheadLogPending(let path, let detail):
      "can't open the ledger \(path) read-only: its folder is not writable and its write-ahead log \(path)-wal is not merged yet; copy the ledger with its -wal file to a writable folder to look at it (\(detail))"
    case .disbursementUnknown(let id):
      "request #\(id) does not exist; `almoner disburse list` shows them"
    case .auditPeriodInFuture(let to, let date):
      "the audit period ends on \(to), after the accounting date \(date): days still to come can't be audited"
    case .auditNoteTargetNotAudit(let seq, let kindName):
      "entry #\(seq) is \"\(kindName)\", not an audit: an audit note answers an audit recorded by almoner audit --record"
    case .conductRulesNotObject:
      "the rules file must be one JSON object keyed by rule code, e.g. {\"split-request\": {\"windowDays\": 14}}"
    case .conductRuleUnknown(let code, let known):
      "\"\(code)\" in the rules file is not a known rule; the rules are: \(known)"
    case .conductRuleNotObject(let code):
      "the value of \"\(code)\" in the rules file must be a JSON object, e.g. {\"enabled\": false}"
    case .conductRuleEnabledNotBool(let code):
      "enabled of \"\(code)\" in the rules file must be true or false"
    case .conductRuleParameterUnknown(let code, let name, let known):
      "\"\(code)\" in the rules file has no parameter \"\(name)\"; its parameters are: \(known)"
    case .conductRuleParameterNotInteger(let code, let name, let unit):
      "\"\(code).\(name)\" in the rules file must be a whole number (\(unit))"
    case .conductRuleParameterOutOfRange(
      let code, let name, let value, let lower, let upper, let unit):
      "\"\(code).\(name)\" in the rules file is \(value), out of range: from \(lower) to \(upper) (\(unit))"

    // The ledger file checked before a write
    case .ledgerSchemaAltered(let problems):
      "the ledger file's database schema was changed (\(problems)). To be safe nothing was written or signed. Run `almoner verify ledger` to find out"
    case .projectionsUnreadable(let detail):
      "the ledger's projection tables can't be read (\(detail)): the file was changed outside almoner. To be safe nothing was written or signed. Run `almoner verify ledger` to find out"
    case .stateSealMismatch(let tables):
      "\(tables) in the ledger file differ from the state sealed by the last commit: the file was changed outside almoner. To be safe nothing was written or signed. Run `almoner verify ledger` to find what changed"
    case .ledgerProblemsBeforeWrite(let problems):
      "checking the ledger before writing found problems: \(problems). To be safe nothing was written or signed. Run `almoner verify ledger` to see them all"
    case .erasureCommitmentMismatch(let seq):
      "the personal data of entry #\(seq) in donor_private does not match the entry's commitment: the file was changed outside almoner (perhaps swapped with another entry's), and erasing it would delete someone else's data and keep this person's. Nothing was erased or signed; run `almoner verify ledger` to find out"
    case .entryFieldInvalid(let field, let detail): "entry field \(field) \(detail)"

    // Openings
    case .openingAccountInvalid: "--account must be bank or cash"

    // Entry rules: units, funds, roles, balances, allocations, reversals
    case .unitCodeUnknown(let code): "unit \(code) does not exist"
    case .fundCodeUnknown(let unit, let code): "unit \(unit) has no fund \(code)"
    case .roleRequired(let name, let keyID, let unit, let roles, let action):
      "\(name) (\(keyID)) is not \(roles) of \(unit) and may not do this (\(action))"
    case .balanceOverLimit(let unit, let account):
      "the \(account) balance of \(unit) would exceed the ledger's limit"
    case .districtTotalOverLimit(let account, let limitFen):
      "the district's total \(account) would exceed the ledger's limit of \(Refusal.money(limitFen))"
    case .balanceInsufficient(let unit, let fund, let account, let heldFen):
      "not enough money: \(unit) \(fund) holds only \(Refusal.money(heldFen)) in \(account)"
    case .balanceNegativeOnDay(
      let unit, let fund, let account, let day, let balanceFen, let date, let outflowFen):
      "not enough money: \(unit) \(fund) held only \(Refusal.money(balanceFen)) in \(account) at the end of \(day); this outflow of \(Refusal.money(outflowFen)) dated \(date) would make that day's balance negative; date it on a day with enough money, or record the earlier income first"
    case .balanceReserved(
      let unit, let fund, let heldFen, let reservedFen, let requests, let availableFen,
      let outflowFen):
      "not enough money: \(unit) \(fund) holds \(Refusal.money(heldFen)) in the bank, of which \(Refusal.money(reservedFen)) is reserved for approved requests \(requests) awaiting payment; \(Refusal.money(availableFen)) is available, not enough for \(Refusal.money(outflowFen))"
    case .unitCodeTaken(let code): "unit code \(code) is already in use"
    case .unitTierMisplaced(let tier, let parentTier, let parentName, let childTier):
      "a \(tier) unit can't be set up directly under the \(parentTier) unit \"\(parentName)\": under a \(parentTier) unit only \(childTier) units go"
    case .grantKeyRevoked(let keyID, let name, let seq):
      "key \(keyID) (\(name)) was revoked in entry #\(seq) and can't be granted roles again; make a new key"
    case .roleAlreadyHeld(let name, let keyID, let unit, let role):
      "\(name) (\(keyID)) is already \(role) of \(unit)"
    case .memberKeyUnknown(let keyID): "key \(keyID) is not a member of this ledger"
    case .memberKeyRevoked(let keyID, let name, let seq):
      "key \(keyID) (\(name)) was revoked in entry #\(seq)"
    case .lastDistrictAdmin(let name):
      "the district's last admin (\(name)) can't be revoked; grant another district admin first"
    case .fundPurposeMissing: "a restricted fund needs its purpose (--purpose)"
    case .fundPurposeUnrestricted: "only a restricted fund has a purpose; add --restricted"
    case .fundCategoryUnrestricted: "only a restricted fund has a purpose category (--category)"
    case .fundCodeTaken(let unit, let code): "\(unit) already has a fund with code \(code)"
    case .allocationNotAdjacent(let from, let to):
      "allocations go only between a unit and the tier right above or below it: \(from) and \(to) are not"
    case .allocationFundsDiffer(let to, let receivingFund, let from, let fund):
      "\(to)'s fund \"\(receivingFund)\" is not of the same nature as \(from)'s \"\(fund)\" (restricted or not, or purpose category): no allocation between them"
    case .allocationUnknown(let id): "allocation \(id) does not exist"
    case .allocationSettled(let id, let status, let seq):
      "allocation \(id) is settled (\(status), entry #\(seq)) and can't be acted on again"
    case .allocationDateBeforeSent(let confirming, let date, let id, let sentDate):
      "the \(confirming ? "confirmation" : "void") date \(date) is before allocation \(id) was sent, \(sentDate); give --date \(sentDate) or later"
    case .reversalTargetMissing(let seq): "entry #\(seq), to be reversed, does not exist"
    case .reversalRepeated(let seq, let by):
      "entry #\(seq) was reversed by entry #\(by) and can't be reversed twice"
    case .reversalNotDonation(let seq, let kindName, let inTransit):
      "entry #\(seq) is \"\(kindName)\": only donations are reversed"
        + (inTransit ? "; an allocation in transit is withdrawn with `almoner allocate void`" : "")
    case .reversalDateBeforeOriginal(let date, let seq, let originalDate):
      "the reversal date \(date) is before the date of entry #\(seq) (the donation), \(originalDate): a reversal can't precede what it reverses; give --date \(originalDate) or later"
    case .unitCodeInvalid(let code, let max):
      "unit code \"\(code)\" is not valid: capitals, digits and hyphens only, at most \(max) characters, e.g. GA-BC-JSL"
    case .fundCodeInvalid(let code, let max):
      "fund code \"\(code)\" is not valid: lower-case letters, digits and hyphens only, at most \(max) characters, e.g. elderly-canteen"
    case .genesisNotFirst: "a genesis entry can only be entry #0"
    case .firstNotGenesis: "entry #0 must be the genesis entry"
    case .signerNotMember(let keyID):
      "the signing key \(keyID) is not a member of this ledger; have an admin add it with `almoner member add` first"
    case .signerRevoked(let keyID, let name, let seq):
      "the signing key \(keyID) (\(name)) was revoked in entry #\(seq) and signs nothing more"
    case .genesisSignerNotAdmin: "the genesis entry must be signed by the admin key it names"

    // Supervision rules: policy, disbursements, reconciliation
    case .reconciledPeriodClosed(let unit, let account, let asOf, let seq):
      "\(unit)'s \(account) is reconciled up to \(asOf) (entry #\(seq)): nothing more can be booked on or before that day; date it after \(asOf)"
    case .policyApproverCount(let tier, let max, let count):
      "the number of \(tier) approvers must be from 1 to \(max), not \(count)"
    case .policyThresholdsReversed(let parentFen, let districtFen):
      "the amount from which a community's spending needs the street's approval (\(Refusal.money(parentFen))) can't be above the one from which it needs the district's (\(Refusal.money(districtFen)))"
    case .policyUnchanged(let policy):
      "the new policy is the same as the one in force (\(policy)): nothing to set"
    case .restrictedFundOffPurpose(let fund, let fundCode, let fundCategory, let category):
      "the restricted fund \"\(fund)\" (\(fundCode)) pays only for \"\(fundCategory)\", this request's category is \"\(category)\"; use the general fund or a restricted fund of that purpose (the category is set with --category)"
    case .attachmentRepeated(let name):
      "attachment \"\(name)\" has the same content as an earlier one: attach it once"
    case .releaseFundNotRestricted(let fund):
      "\"\(fund)\" is not a restricted fund: only restricted money is released to the general fund"
    case .disbursementClosed(let id, let status, let seq):
      "request #\(id) is closed (\(status)\(seq.map { ", entry #\($0)" } ?? "")) and can't be acted on again"
    case .approvalDateBeforeRequest(let date, let id, let requestDate):
      "the approval date \(date) is before request #\(id) was made, \(requestDate); give --date \(requestDate) or later"
    case .approvalNotNeeded(let id):
      "request #\(id) already has every approval the policy requires; a treasurer can pay it"
    case .approvalOwnRequest(let id):
      "you can't approve your own request #\(id): another approver must"
    case .approvalRepeated(let name, let id, let seq, let earlierKeyID):
      "\(name) already approved request #\(id) (entry #\(seq)\(earlierKeyID.map { ", with their earlier key \($0)" } ?? "")); one person counts once, with a new key too"
    case .approvalTierNotNeeded(let id, let missing, let name, let tier):
      "request #\(id) still needs \(missing); \(name) is a \(tier) approver, whose approval is not among those missing"
    case .rejectOwnRequest(let id):
      "request #\(id) is your own: withdraw it with `almoner disburse cancel \(id)`"
    case .cancelNotRequester(let requester, let id):
      "only the requester, \(requester), can cancel request #\(id); an approver rejects it with `almoner disburse reject`"
    case .paymentApprovalsMissing(let id, let policy, let missing):
      "request #\(id) does not yet meet \(policy) and can't be paid: it still needs \(missing)"
    case .paymentDateBeforeRequest(let date, let requestDate):
      "the payment date \(date) is before the request date \(requestDate)"
    case .reconcileDateNotPast(let asOf, let date):
      "the reconciliation date \(asOf) must be before the accounting date \(date): only days that are over are reconciled (nothing more is booked on or before them afterwards)"
    case .reconcileMismatch(let unit, let account, let asOf, let bookedFen, let statedFen):
      "the reconciliation does not match: \(unit) \(account) at the end of \(asOf) is \(Refusal.money(bookedFen)) in the books and \(Refusal.money(statedFen)) on the statement, a difference of \(Refusal.money(statedFen - bookedFen)); find the difference, record or correct it, then reconcile"

    // Statements signed and published
    case .statementSignerNotTreasurer(let name, let keyID, let unit):
      "\(name) (\(keyID)) is not a treasurer or admin of \(unit) and can't issue its statement"
    case .statementCorrectionNotNeeded(let scope):
      "no statement of \(scope) has been published, so there is nothing to correct: a first statement takes no --correction-reason"
    case .statementCorrectionReasonMissing(let scope, let seq, let hash):
      "the statement of \(scope) was published in entry #\(seq) (hash \(hash)): a new one corrects it, so add --correction-reason with the reason"
    case .statementPreviousFileMissing(let hash):
      "the file of the previous statement \(hash) is not in the ledger: run `almoner verify ledger`"
    case .statementOpeningChanged(let problem, let previousPeriod, let period):
      "\(problem): entries dated in the previous period were recorded after its statement was published. Issue and publish a correction for \(previousPeriod) first (--correction-reason), then the statement of \(period)"
    case .statementNoCosignedCheckpoint(let periodEnd):
      "no checkpoint has been cosigned by a supervisor, so no statement can be issued: after \(periodEnd) run `almoner checkpoint create`, then ask a street or district supervisor to run `almoner checkpoint cosign`"
    case .statementCheckpointTooEarly(let seq, let signedOn, let periodEnd, let period):
      "the newest cosigned checkpoint (entry #\(seq), signed \(signedOn)) is not after the period's end \(periodEnd), so it can't show every entry of the period is in: sign a checkpoint after \(periodEnd), have a supervisor cosign it, then issue the statement of \(period)"
    case .statementTotalOverflow: "a statement total exceeds the limit"
    case .statementRoleAfterCheckpoint(let name, let seq):
      "\(name)'s role was granted after the checkpoint of entry #\(seq): sign a new checkpoint and have a supervisor cosign it first"
    case .statementFileMissing(let seq, let hash):
      "the file of statement \(hash), published in entry #\(seq), is missing or does not match its hash: it was not published. Run `almoner verify ledger`"
    case .publishNoCosignedCheckpoint:
      "no checkpoint has been cosigned by a supervisor, so nothing can be published: run `almoner checkpoint create` first, then ask a street or district supervisor to run `almoner checkpoint cosign`"
    case .ledgerDiffersFromCheckpoint(let size):
      "the ledger's entry count or entry hashes don't match the checkpoint (\(size) entries): run `almoner verify ledger` first"
    case .ledgerRootDiffers(let size, let seq, let publishing):
      "the Merkle root of the ledger's first \(size) entries does not match the checkpoint of entry #\(seq): the data was changed\(publishing ? ", nothing was published" : ""). Run `almoner verify ledger`"
    case .ledgerEntryMissing(let seq): "the ledger lacks entry #\(seq): run `almoner verify ledger`"
    case .entryHashMismatch(let seq, let publishing):
      "entry #\(seq) does not match its hash: the data was changed\(publishing ? ", nothing was published" : ""). Run `almoner verify ledger`"
    case .hashTilesFailed(let reason): "writing the hash tiles failed: \(reason)"
    case .publicLogBundleFailed(let start):
      "the entries from #\(start) can't be bundled (missing, or one is over 65,535 bytes)"
    case .publicLogWriteFailed(let path, let reason):
      "can't write the public log file \(path): \(reason)"
    case .statementEntryReferenceMissing(let seq, let needed, let what):
      "entry #\(needed) (\(Refusal.englishStep(what))), which entry #\(seq) refers to, does not exist: run `almoner verify ledger`"
    case .ledgerShorterThanCheckpoint(let size):
      "the ledger has fewer entries than the checkpoint's \(size): run `almoner verify ledger`"
    case .statementPublishRowMalformed(let row, let column):
      "row \(row) of table statement_publish has a malformed \(column)"

    // The ledger file, its entries and its writes
    case .timeZoneInvalid(let zone):
      "unknown time zone \(zone): use an IANA name, e.g. Asia/Shanghai"
    case .storedHashMalformed(let seq): "the stored hash of entry #\(seq) has the wrong length"
    case .commitEmpty: "there are no entries to write"
    case .commitTooLarge(let max): "one commit holds at most \(max) entries"
    case .clockBehindLedger(let time, let headTime):
      "this computer's clock (\(time)) is behind the ledger's last entry (\(headTime)); set the system time right, then record"
    case .dateInFuture(let date, let today):
      "the accounting date (--date) \(date) is after today (\(today)): nothing is recorded in advance"
    case .personalDataInvalid(let problem): "the personal data does not fit the entry: \(problem)"
    case .writeNotReadBack(let subject): "\(subject) could not be read back after it was written"
    case .attachmentsTooMany(let max): "a request has at most \(max) attachments"
    case .attachmentUnreadable(let path):
      "can't read the file \(path) (missing, a folder, or no permission to read)"
    case .attachmentTooLarge(let path, let bytes, let maxMB):
      "the file \(path) is too large (\(bytes) bytes, at most \(maxMB) MB)"
    case .attachmentDuplicate(let path, let samePath):
      "the file \(path) has the same content as \(samePath): attach it once"
    case .attachmentFolderNotCreatable(let directory, let reason):
      "can't create the attachments folder \(directory): \(reason)"
    case .attachmentNotSaved(let name, let target, let reason):
      "can't save the attachment \(name) to \(target): \(reason)"
    case .memberKeyPersonMissing(let keyID):
      "key \(keyID) in the projection table member_key has no person_id"
    case .entryUnreadable(let seq, let reason): "reading entry #\(seq) failed: \(reason)"
    case .entryDiffersFromSealedTree(let seq):
      "entry #\(seq) does not match the Merkle tree the ledger sealed: the file was changed outside almoner. Nothing was written; run `almoner verify ledger`"
    case .entryHashMissing(let seq): "entry #\(seq) is missing or its hash is damaged"
    case .ledgerReadOnly(let path, let doing, let unchanged):
      "the ledger \(path) is read-only (no write permission on the file or its folder, or a read-only disk): \(Refusal.englishStep(doing)) failed\(unchanged ? ", the ledger is unchanged" : ""); commands that only read (verify, balance, journal …) still work, to write work where you have write permission"
    case .ledgerBusy(let path, let seconds, let doing, let unchanged):
      "the ledger \(path) is in use by another program and was not released after \(seconds) seconds: \(Refusal.englishStep(doing)) failed\(unchanged ? ", the ledger is unchanged" : ""); try again later"
    case .ledgerIOFailed(let path, let doing, let unchanged, let reason):
      "\(Refusal.englishStep(doing)) failed (ledger \(path))\(unchanged ? ", the ledger is unchanged" : ""): \(reason)"
    case .ledgerConnectionClosed: "the ledger's connection is closed"
    case .journalKindInvalid(let text, let known):
      "--kind \"\(text)\" is not an entry kind: use \(known)"
    case .journalAccountInvalid(let text):
      "--account \"\(text)\" is not an account: write bank, cash, in-transit, income, expenses, assets:bank or 银行存款 …"
    case .signerUnknown(let text):
      "--signer: no member has the key id or name \"\(text)\"; `almoner member list` shows them"
    case .entryEmpty: "the entry is empty"
    case .entryBytesMalformed(let detail): "the entry is not in canonical form: \(detail)"
    case .entryBodyMalformed(let detail): "the entry's body does not fit its kind: \(detail)"
    case .entryNotCanonical: "the entry is not canonical JSON"
    case .checkpointEntryWrongKind(let kind, let seq):
      "not a checkpoint entry (it is \(kind), seq \(seq))"
    case .payeeCommitmentMismatch(let path):
      "entry field \(path): a payee who is a person has a commitment, any other payee has none"
    case .projectionValueInvalid(let table, let column, let value):
      "column \(column) of the projection table \(table) holds \"\(value)\", a value almoner never writes: the ledger file was changed outside almoner. Run `almoner verify ledger` to find out"
    case .consistencyProofFailed(let detail): "can't make the consistency proof: \(detail)"
    case .entryRowMalformed(let seq, let column):
      "column \(column) of \(seq.map { "entry #\($0)" } ?? "a row") in the entry table is NULL or of the wrong type: the ledger file was changed outside almoner. Run `almoner verify ledger` to find out"
    }
  }
}

extension Refusal.KeyHalf {
  fileprivate var english: String {
    switch self {
    case .privateKey: "private key"
    case .publicKey: "public key"
    }
  }
}

extension Refusal.StatementCheck {
  /// `signature`, `public log` …: the check's name in an English statement refusal.
  public var english: String {
    switch self {
    case .ledger: "ledger"
    case .checkpoint: "checkpoint"
    case .lineOrder: "line order"
    case .inclusion: "inclusion proof"
    case .entry: "entry content"
    case .unit: "unit"
    case .totals: "totals"
    case .balance: "balance"
    case .reversalMarks: "reversal marks"
    case .hash: "hash"
    case .signature: "signature"
    case .publicLog: "public log"
    case .completeness: "completeness"
    case .relatedEntry: "related entry"
    case .previous: "previous statement"
    case .opening: "opening balance"
    case .publication: "publication"
    }
  }
}

extension Refusal.ReceiptStep {
  /// `step 2 (entry and hash)`: the step as an English refusal names it.
  public var englishTitle: String {
    switch self {
    case .file: "step 1 (reading the receipt)"
    case .entry: "step 2 (entry and hash)"
    case .donor: "step 3 (donor data and commitment)"
    case .proofFormat: "step 4 (proof format)"
    case .checkpointSignature: "step 5 (checkpoint signature)"
    case .cosignatures: "step 6 (supervisors' cosignatures)"
    case .inclusion: "step 7 (inclusion proof)"
    }
  }
}
