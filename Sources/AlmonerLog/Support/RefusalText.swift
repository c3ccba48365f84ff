/// The one place a `Refusal` becomes text a person reads. Each message
/// names what was wrong, where (option, file, entry seq) and what to do.
extension Refusal {
  /// The languages a refusal can be read in: Chinese (the default), and
  /// English (`RefusalEnglish.swift`), one switch each.
  public enum Language: Sendable, Equatable {
    case chinese
    case english
  }

  /// The refusal as text in `language`.
  public func message(_ language: Language = .chinese) -> String {
    switch language {
    case .chinese: chinese
    case .english: english
    }
  }

  /// `1234.50`: fen as yuan, exactly (the same text as `Money.yuanText`).
  static func yuan(_ fen: Int64) -> String {
    let magnitude = fen.magnitude
    let cents = magnitude % 100
    return (fen < 0 ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
  }

  /// `¥1,234.50`: fen grouped for reading (the same text as `Money.displayText`).
  static func money(_ fen: Int64) -> String {
    let magnitude = fen.magnitude
    var digits = Array(String(magnitude / 100))
    var grouped: [Character] = []
    while digits.count > 3 {
      grouped.insert(contentsOf: [","] + digits.suffix(3), at: 0)
      digits.removeLast(3)
    }
    grouped.insert(contentsOf: digits, at: 0)
    let cents = magnitude % 100
    return (fen < 0 ? "-¥" : "¥") + String(grouped) + "." + (cents < 10 ? "0" : "") + "\(cents)"
  }

  private var chinese: String {
    switch self {
    case .inField(let field, let inner): "\(field)：\(inner.chinese)"

    // Options and arguments
    case .keyOptionMissing: "缺少 --key：请指定签名私钥文件（或设置环境变量 ALMONER_KEY）"
    case .choiceInvalid(let field, let value, let allowed): "\(field) \"\(value)\" 无效：应为 \(allowed)"
    case .channelInvalid(let value, let allowed):
      "--channel \"\(value)\" 无效：应为 \(allowed)，或 微信支付、银行转账 等账单里的写法"
    case .donorTypeInvalid(let field, let value):
      "\(field) \"\(value)\" 无效：应为 person（个人）、organisation（单位/机构/组织）或 anonymous（匿名）"
    case .accountInvalid(let value): "--account \"\(value)\" 无效：应为 bank（银行存款）或 cash（库存现金）"
    case .languageInvalid(let value): "--lang \"\(value)\" 无效：应为 zh 或 en"
    case .statementFormatInvalid(let value): "--format \"\(value)\" 无效：应为 text、md 或 html"
    case .donorMissing: "缺少 --donor：请写捐赠人姓名或单位名称（匿名捐赠用 --donor-type anonymous）"
    case .namedNotPerson: "--named 只用于个人捐赠人：单位总是以全称公示，匿名捐赠不署名"
    case .asOfWithPeriod: "--as-of 不能与 --from/--to 同用：查看期间用 --from/--to，查看某日余额用 --as-of"
    case .noBomNotCSV: "--no-bom 只用于 csv 导出"
    case .checkpointAndWitness: "--checkpoint 和 --witness 都给了监督员联署记录：一次只核对一个"
    case .auditRulesNotJSON(let path, let detail): "审计规则文件 \(path) 不是有效的 JSON：\(detail)"
    case .fileUnreadable(let what, let path): "无法读取\(what)文件 \(path)"
    case .fileNotUTF8(let what, let path): "\(what)文件 \(path) 不是有效的 UTF-8 文本"
    case .inputFileMissing(let what, let path): "\(what) \(path) 不存在或无法读取"

    // Amounts, dates, text
    case .amountEmpty(let text): "金额 \"\(text)\" 无效：不能为空"
    case .amountNegative(let text): "金额 \"\(text)\" 无效：不能为负数"
    case .amountPlusSign(let text): "金额 \"\(text)\" 无效：请直接写数字，不要加正号"
    case .amountSeparator(let text): "金额 \"\(text)\" 无效：请去掉千位分隔符（逗号），例如 1000.00"
    case .amountPoints(let text): "金额 \"\(text)\" 无效：小数点只能有一个"
    case .amountNotDigits(let text): "金额 \"\(text)\" 无效：只能包含数字和小数点，例如 500 或 500.50（以元为单位）"
    case .amountFractionMissing(let text): "金额 \"\(text)\" 无效：小数点后缺少数字"
    case .amountDecimals(let text): "金额 \"\(text)\" 无效：最多两位小数（精确到分）"
    case .amountOverLimit(let text, let limitFen):
      "金额 \"\(text)\" 无效：超出账本上限 \(Refusal.yuan(limitFen)) 元"
    case .amountNotPositive(let text): "金额 \"\(text)\" 无效：必须大于零"
    case .dateMalformed(let text): "日期 \"\(text)\" 无效：应写成 年-月-日，例如 2026-07-03"
    case .dateNonexistent(let text): "日期 \"\(text)\" 不存在"
    case .timeZoneUnknown(let zone): "未知的时区 \(zone)"
    case .textEmpty(let field): "\(field) 不能为空"
    case .textTooLong(let field, let max, let actual): "\(field) 过长：最多 \(max) 个字，实有 \(actual) 个"
    case .textCharacterRefused(let field, let character, let invalidUTF8):
      "\(field) \(character)"
        + (invalidUTF8
          ? "：输入不是有效的 UTF-8（或含有替换字符），请改用 UTF-8 编码重新输入"
          : "：名称、用途、理由等只能是一行可见文字，请删去该字符后重新输入")
    case .originInvalid(let origin):
      "--origin \"\(origin)\" 无效：只能用可见 ASCII 字符（不含空格和 +），例如 almoner.example/GA"

    // Key files and passphrases
    case .keyFileExists(let path): "\(path) 已存在；为免覆盖已有密钥，请换一个文件名"
    case .keyFileNotCreatable(let path, let reason): "无法写入 \(path)：\(reason)"
    case .keyFileWriteFailed(let path, let reason): "写入 \(path) 失败：\(reason)"
    case .keyFileMissing(let half, let path): "找不到\(half.chinese)文件 \(path)"
    case .keyFileIsDirectory(let half, let path): "\(path) 是目录，不是\(half.chinese)文件"
    case .keyFileUnreadable(let half, let path): "无法读取\(half.chinese)文件 \(path)：没有读取权限"
    case .keyFileNotPEM(let half, let path): "\(path) 不是\(half.chinese)文件（PEM 文本）"
    case .keyFileModeUnreadable(let path, let reason): "无法读取私钥文件 \(path) 的权限：\(reason)"
    case .keyFilePermissions(let path, let mode, let quotedPath):
      "私钥文件 \(path) 的权限是 \(mode)，同组或其他用户也有权限；"
        + "私钥必须只有本人可读，请先运行：chmod 600 \(quotedPath)"
    case .passphraseFileMissing(let path): "找不到口令文件 \(path)"
    case .passphraseFileIsDirectory(let path): "\(path) 是目录，不是口令文件"
    case .passphraseFileUnreadable(let path): "无法读取口令文件 \(path)：没有读取权限"
    case .passphraseEmpty(let path): "口令文件 \(path) 的第一行是空的：请把口令写在第一行"
    case .passphraseTooLong(let path, let max): "口令文件 \(path) 中的口令过长（最多 \(max) 字节）"

    // Output files
    case .outputNotRegularFile(let what, let path):
      "无法写入\(what) \(path)：它不是普通文件（是目录或设备）；请换一个路径"
    case .outputIsLedger(let what, let path, let ledger):
      "\(what) \(path) 就是账本文件 \(ledger)：写入会毁掉账本，请换一个路径"
    case .outputPlaceFailed(let what, let path, let reason, let temporaryPath):
      "无法把\(what)放到 \(path)（\(reason)）；内容已保存在 \(temporaryPath)，请手动改名"
    case .outputDiskFull(let what, let path): "磁盘已满：无法写入\(what) \(path)，账本未做任何改动；请腾出磁盘空间后重试"
    case .outputFolderMissing(let what, let path, let reason):
      "无法写入\(what) \(path)：所在目录不存在（\(reason)），账本未做任何改动；请换一个路径"
    case .outputNotWritable(let what, let path, let reason):
      "无法写入\(what) \(path)：没有写入权限（文件或目录只读、不可更改，或磁盘只读挂载：\(reason)），账本未做任何改动；请换一个路径或修改权限"
    case .outputIsDirectory(let what, let path): "无法写入\(what) \(path)：它是目录，账本未做任何改动；请换一个路径"
    case .outputWriteFailed(let what, let path, let reason):
      "无法写入\(what) \(path)（\(reason)），账本未做任何改动"

    // Units, funds, members, persons
    case .unitUnknown(let field, let what, let text, let known):
      "\(field)：\(what) \"\(text)\" 不存在。已有单位：\(known)"
    case .unitAmbiguous(let field, let text, let count, let codes):
      "\(field)：有 \(count) 个单位名为「\(text)」：\(codes)；请改用单位代码"
    case .unitUnderCommunity(let parentName): "社区之下不能再设单位（\(parentName) 是社区）"
    case .fundUnknown(let field, let unitName, let unitCode, let text, let known):
      "\(field)：\(unitName)（\(unitCode)）没有基金 \"\(text)\"。已有基金：\(known)"
    case .donationReferenceRecorded(let reference, let seq):
      "--ref：流水号 \(reference) 已于记录 #\(seq) 入账，不再重复记录；确属另一笔捐赠时加 --allow-duplicate-ref"
    case .unitNameLikeCode(let name):
      "单位名称「\(name)」像单位代码（只有大写字母、数字和连字符），会与单位代码混淆：请用单位的中文全称，例如「北城街道」"
    case .unitNameIsCode(let name, let unitCode, let unitName):
      "单位名称「\(name)」与单位 \(unitCode)（\(unitName)）的代码相同：请用单位的中文全称"
    case .unitNameTaken(let name, let unitCode, let unitName):
      "已有单位「\(unitName)」（\(unitCode)），与「\(name)」视为同名（不分全角半角、大小写比较）：请用能区分的名称"
    case .unitCodeIsName(let code, let unitCode, let unitName):
      "单位代码 \(code) 与单位「\(unitName)」（\(unitCode)）的名称相同：请换一个代码"
    case .fundNameTaken(let name, let unitName, let fundCode, let fundName):
      "\(unitName)已有名为「\(fundName)」的基金（代码 \(fundCode)），与「\(name)」视为同名（不分全角半角、大小写比较）：请用能区分的名称"
    case .fundNameIsCode(let name, let unitName, let fundCode, let fundName):
      "基金名称「\(name)」与\(unitName)基金 \(fundCode)（\(fundName)）的代码相同：请换一个名称"
    case .fundCodeIsName(let code, let unitName, let fundName):
      "基金代码 \(code) 与\(unitName)的基金「\(fundName)」的名称相同：请换一个代码"
    case .supervisorAppointedAbove(
      let unit, let appointing, let action, let signerName, let signerKeyID):
      "监督员由上一级任命：\(unit)的监督员须由\(appointing)或更上级的管理员\(action)，\(signerName)（\(signerKeyID)）无权\(action)；请由上一级管理员签署"
    case .dutiesGrantClash(let name, let keyID, let unit, let heldRole, let grantedSeq, let role):
      "不相容职务须分离：\(name)（\(keyID)）已是\(unit)的\(heldRole)（记录 #\(grantedSeq) 授予），不能再任\(role)：同一人不能既记账又审批同一单位的支出；请另选他人"
    case .dutiesApproveClash(let name, let unit, let grantedSeq, let requestID):
      "不相容职务须分离：\(name)是\(unit)的记账员（记录 #\(grantedSeq) 授予），不能批准该单位的支出申请 #\(requestID)；请由其他审批人批准"
    case .dutiesPayClash(let name, let requestID, let approvalSeq, let unit):
      "不相容职务须分离：\(name)批准过申请 #\(requestID)（记录 #\(approvalSeq)），不能再为其付款；请由\(unit)的另一名记账员付款"
    case .rotateKeyUnknown(let keyID): "密钥 \(keyID) 不是本账本的成员；可用 `almoner member list` 查看成员的密钥 ID"
    case .rotateKeyRevoked(let keyID, let name, let seq):
      "密钥 \(keyID)（\(name)）已于记录 #\(seq) 撤销或更换，不能再更换；若此人仍在任，请更换其现用的密钥"
    case .rotateKeyTaken(let keyID, let holderName):
      "新公钥（\(keyID)）已是本账本中\(holderName)的密钥，不能再用：请用 `almoner key new` 生成一把新密钥"
    case .rotateKeyWithoutRoles(let keyID): "密钥 \(keyID) 未被撤销，却没有有效的角色"
    case .grantNameMismatch(let keyID, let knownName, let name):
      "密钥 \(keyID) 属于「\(knownName)」，再授予角色时 --name 也应是「\(knownName)」，不能是「\(name)」"
    case .grantNameHeld(let name, let holderKeyID, let roles, let unitName):
      "「\(name)」已是在任成员的姓名（\(holderKeyID)，\(roles)）：同一人换用新密钥请用 `almoner member rotate \(holderKeyID) --public-key 新公钥.pub`（旧密钥作废，角色随人转移），不能再用 member add 授予第二把密钥；若确是同名的另一人，请在姓名中加注以示区别，例如「\(name)（\(unitName)）」"

    // Statements and receipts as a resident checks them
    case .statementCheckFailed(let check, let detail): "报表核验未通过（\(check.chinese)）：\(detail)"
    case .receiptStepFailed(let step, let detail): "\(step.title)失败：\(detail)"

    // Statements, receipts, trust files, public logs
    case .trustFileMalformed: "信任公钥文件格式不对（应由 almoner keys export 生成）"
    case .trustFileVkeyMissing(let field): "信任公钥文件中 \(field) 缺少 vkey"
    case .trustKeyWrongType(let vkey): "信任公钥 \(vkey) 的类型不对"
    case .trustQuorumInvalid(let max): "信任公钥文件中的 witnessQuorum 应为 1 至 \(max) 的整数（需要几名监督员联署）"
    case .trustFileNotUTF8: "信任公钥文件不是有效的 UTF-8 文本"
    case .trustFileWithoutLogKey: "信任公钥文件中没有账本签名公钥"
    case .trustFileWithoutLedgerID:
      "信任文件没有账本 ID（.vkeys 格式不含账本 ID）：请用 almoner keys export 导出的 JSON 信任文件核验"
    case .witnessQuorumOutOfRange(let max, let given): "联署人数要求应为 1 至 \(max) 名监督员，不能是 \(given)"
    case .witnessQuorumOverWitnesses(let witnesses, let quorum):
      "账本只有 \(witnesses) 名街道或区级监督员，不能要求 \(quorum) 名联署：请先添加监督员，或降低人数要求"
    case .ledgerNotInitialised: "账本尚未建立"
    case .entryMissing(let seq): "记录 #\(seq) 不存在"
    case .receiptNotDonation(let seq, let kindName): "记录 #\(seq) 是「\(kindName)」，只有捐赠才有收据"
    case .receiptDonorErased(let seq, let erasureSeq):
      "记录 #\(seq) 的捐赠人个人信息已于记录 #\(erasureSeq) 删除（erasure），无法再开具收据；捐赠人此前领取的收据仍可用 almoner verify receipt 核验"
    case .receiptDonorMissing(let seq):
      "记录 #\(seq) 的捐赠人个人信息缺失，而账本中没有删除它的记录：信息被私自删除或丢失；请运行 almoner verify ledger"
    case .statementOtherLedger(let unitCode): "这份报表不是本账本的（单位 \(unitCode) 或账本 ID 不符）"
    case .statementCosignerNotSupervisor(let name, let keyID, let unit):
      "\(name)（\(keyID)）不是\(unit)或其上级的监督员，不能会签它的公示报表"
    case .statementAlreadySigned(let name): "\(name) 已签过这份报表"
    case .statementSupervisorAfterCheckpoint(let name):
      "\(name) 的监督员角色是在报表所绑定的检查点之后才授予的：请记账员按新检查点重新签发报表"
    case .statementWithoutTreasurer(let doing): "报表还没有记账员的签名，不能\(doing)"
    case .statementCheckpointNotInLedger(let treeSize): "账本中没有报表所绑定的前 \(treeSize) 条记录的检查点"
    case .statementRecomputedDiffers(let difference, let doing):
      "按账本重算的报表与这份报表不符（\(difference)），拒绝\(doing)：请记账员重新签发"
    case .statementPublisherNotTreasurer(let name, let keyID, let unit):
      "\(name)（\(keyID)）不是\(unit)的记账员或管理员，不能发布它的公示报表"
    case .statementNotCosigned: "报表还没有监督员会签，不能发布：请先请监督员 `almoner statement cosign`"
    case .statementAlreadyPublished(let seq): "这份报表已于记录 #\(seq) 发布过"
    case .statementPreviousNotNeeded: "这份报表没有上一期报表（previous 为 null），不需要 --previous"
    case .notAStatementFile(let format):
      "不是公示报表文件（应由 almoner statement create 生成，format 为 \(format)）"
    case .statementFieldInvalid(let field, let detail): "报表格式不对：字段 \(field) \(detail)"
    case .periodInvalid(let text): "--period \"\(text)\" 无效：应写成月份 2026-11、季度 2026-Q4 或年份 2026"
    case .publicLogTooShort(let count, let needed):
      "公开日志只有 \(count) 条记录，少于报表检查点的 \(needed) 条：请用更新的公开日志"
    case .publicLogCheckpointUnreadable(let path):
      "找不到或无法读取公开日志的检查点 \(path)：请确认 --log 指向 almoner publish 写出的目录"
    case .publicLogBundleMissing(let directory, let bundle):
      "公开日志 \(directory) 缺少记录包 \(bundle)：请确认 --log 指向 almoner publish 写出的目录"
    case .publicLogFileUnreadable(let path): "无法读取公开日志文件 \(path)"
    case .publicLogBundleTruncated(let path): "公开日志记录包 \(path) 被截断"
    case .publicLogBundleEmpty(let path): "公开日志记录包 \(path) 是空的"
    case .publicLogCheckpointInvalid(let detail): "公开日志的检查点核验未通过：\(detail)"
    case .publicLogRootMismatch: "公开日志的记录与其检查点的默克尔根不符：日志文件被改动过"
    case .publicLogOtherLedger: "公开日志属于另一本账：它的记录 #0 不是信任文件中的账本 ID"
    case .publicLogBeforeReceipt(let treeSize, let seq):
      "公开日志的检查点只覆盖前 \(treeSize) 条记录，还不含这张收据的记录 #\(seq)：请用更新的公开日志"
    case .publicLogEntryDiffers(let seq): "公开日志中的记录 #\(seq) 与收据中的不同：两者不是同一本账"

    // Import and export
    case .periodReversed(let from, let to): "--from \(from) 晚于 --to \(to)：请让起始日期不晚于截止日期"
    case .importRowsRefused(let file, let count, let rows):
      "\(file) 有 \(count) 行不能导入，没有记录任何一笔，账本未改动；请改正这些行（或在规则文件里用 if … skip 跳过它们）后重新导入"
        + (rows.map { "：" + $0 } ?? "")
    case .importHeaderUnreadable(let line, let problem): "第 \(line) 行（表头）：\(problem)"
    case .importSkipUntilUnmatched(let pattern): "文件里没有与规则 skip-until 相符的行（\(pattern)）：是这种账单吗？"
    case .importHeaderMissing: "文件里没有表头行：默认格式的第一行应为 date,unit,fund,amount,donor,channel,reference"
    case .importColumnUnknown(let line, let cell):
      "第 \(line) 行（表头）：不认识的列名「\(cell)」；默认格式的列为 date,unit,fund,amount,donor,channel,reference（可另加 donor-type、named），其他格式请用 --rules 规则文件"
    case .importColumnTwice(let line, let column): "第 \(line) 行（表头）：列「\(column)」出现了两次"
    case .importColumnMissing(let line, let column):
      "第 \(line) 行（表头）：缺少列 \(column)；默认格式的列为 date,unit,fund,amount,donor,channel,reference"
    case .importIncomeEmpty: "收入金额为空或为零"
    case .importAmountEmpty: "金额为空"
    case .importAmountZero: "金额为零"
    case .importAmountNegative(let amount): "金额 \(amount) 为负数：退款或支出不是捐赠；用规则文件的 if … skip 跳过这类行"
    case .importDateEmpty: "日期为空"
    case .importDateInFuture(let date, let today): "日期 \(date) 晚于今天（\(today)），不能预先记账"
    case .importUnitMissing: "没有单位：在文件中加 unit 列，或用 --unit 指定，或在规则文件里写 unit 单位代码"
    case .importChannelInvalid(let text): "渠道「\(text)」无效：应为 微信（微信支付）、支付宝、银行转账、现金 或 其他"
    case .importDonorEmpty: "捐赠人为空：写上姓名或单位名称，或把捐赠人类型写为 anonymous（匿名）"
    case .importNamedInvalid(let text): "署名「\(text)」无效：应为 是/否（yes/no）"
    case .importSignerNotTreasurer(let unitName, let unitCode):
      "签名密钥不是\(unitName)（\(unitCode)）的记账员：只有本单位记账员能记录它的捐赠；请用该单位记账员的密钥导入"
    case .importLedgerChanged: "导入期间账本有了新的记录，已取消导入，账本未改动；请重新运行同一命令（已入账的流水号会自动跳过）"
    case .billAmountSeparatorMisplaced(let text): "金额 \"\(text)\" 无效：千位分隔符位置不对"
    case .billDateMalformed(let text, let format):
      "日期 \"\(text)\" 无效：应为" + (format.map { "格式 \($0)" } ?? "年-月-日（可带时间，如 2026-11-01 08:49:12）")
    case .rulesFileTooLarge(let source, let maxKB): "规则文件 \(source) 过大（最多 \(maxKB) KB）"
    case .rulesFileNotUTF8(let source):
      "规则文件 \(source) 不是有效的 UTF-8 文本（规则文件本身须为 UTF-8；账单的编码用 encoding 指令说明）"
    case .rulesLineInvalid(let source, let line, let detail): "规则文件 \(source) 第 \(line) 行：\(detail)"
    case .rulesIfWithoutBody(let source): "规则文件 \(source) 末尾的 if 之后没有缩进的行"
    case .rulesFieldsUndefined(let source, let fields): "规则文件 \(source) 用到了 fields 里没有的字段：\(fields)"
    case .exportEntryMissing(let seq): "记录 #\(seq) 缺失或序号错乱：无法导出；请运行 `almoner verify ledger`"
    case .exportEntryBroken(let seq, let detail):
      "记录 #\(seq) 不符合账本规则（\(detail)）：无法导出；请运行 `almoner verify ledger`"
    case .exportBalancesDiffer:
      "账本的余额与日志重算的结果不符：文件在 almoner 之外被改动过，无法导出；请运行 `almoner verify ledger`"
    case .ledgerWithoutGenesis: "账本没有建账记录"

    // Checkpoints, cosignatures, proofs, state seal, publication, erasure
    case .ledgerWithoutDistrict: "账本没有区级单位"
    case .checkpointSizeWrong(let entries, let stated):
      "检查点应覆盖它之前的全部 \(entries) 条记录，却写的是 \(stated) 条"
    case .checkpointRootWrong: "检查点的根哈希与账本的默克尔树不符：账本与已签发的内容不一致，拒绝签署"
    case .checkpointTextDiffers: "检查点文本与记录中的 origin、记录数或根哈希不符"
    case .checkpointSignatureWrong(let author): "检查点文本应恰有签署人 \(author) 的一个有效签名"
    case .notACheckpoint(let seq): "记录 #\(seq) 不是检查点"
    case .cosignerSignsLog: "签发检查点的区级管理员或记账员不能同时联署检查点"
    case .cosignerSignsLogIndependent: "签发检查点的区级管理员或记账员不能同时联署检查点：联署须由独立的监督员完成"
    case .cosignerNotWitness(let name, let keyID): "\(name)（\(keyID)）不是街道或区级的监督员，不能联署检查点"
    case .checkpointAlreadyCosigned(let keyID, let seq): "\(keyID) 已联署过记录 #\(seq) 的检查点"
    case .cosignatureLineWrong(let author): "联署应恰为签署人 \(author) 的一行有效联署签名"
    case .cosignatureTimestampNotLater(let timestamp, let name, let last):
      "联署时间戳 \(timestamp) 不晚于 \(name) 上一次联署的 \(last)：同一监督员的联署时间戳必须严格递增"
    case .cosignatureTimestampOutOfRange(let timestamp): "联署时间戳 \(timestamp) 超出范围（最大 2^63−1）"
    case .checkpointOtherLedger(let origin, let trusted): "检查点来自另一本账（\(origin)），不是您信任的 \(trusted)"
    case .checkpointNotThisLedger(let origin, let ledgerOrigin):
      "检查点属于另一本账（origin \(origin)，本账本是 \(ledgerOrigin)）"
    case .checkpointLogSignatureInvalid(let holder): "\(holder) 的检查点签名无效"
    case .checkpointWithoutTrustedSignature: "检查点没有任何受信任的账本签名"
    case .checkpointWithoutLogSignature: "检查点没有区级管理员或记账员的有效签名"
    case .cosignatureInvalid(let holder): "监督员 \(holder) 的联署签名无效"
    case .cosignaturesTooFew(let detail): detail
    case .witnessStateUnreadable(let path): "无法读取监督记录 \(path)"
    case .witnessStateNotObject(let path): "监督记录 \(path) 已损坏（不是 JSON 对象）"
    case .witnessStateEntryBroken(let path, let origin): "监督记录 \(path) 中 \(origin) 的内容已损坏"
    case .witnessStateTimeBroken(let path, let origin): "监督记录 \(path) 中 \(origin) 的联署时间戳（time）已损坏"
    case .witnessStateSizeInvalid(let origin, let treeSize): "监督记录中 \(origin) 的记录数 \(treeSize) 无效"
    case .ledgerCheckFailed(let purpose, let problem):
      "账本核验未通过，拒绝\(purpose)\(problem.map { "：" + $0 } ?? "")（详见 almoner verify ledger）"
    case .storedTreeDiffers: "账本存储的默克尔树与按记录内容重建的不一致：数据被改动，拒绝签署"
    case .checkpointNotInLedger(let treeSize, let rootPrefix):
      "本账本中没有这个检查点（\(treeSize) 条记录，根 \(rootPrefix)…）"
    case .checkpointTextNotOriginal(let seq): "检查点文本与账本记录的记录 #\(seq) 的检查点不同（多了扩展行或被改动），请联署账本签发的原文"
    case .checkpointOlderThanCosigned(let treeSize, let remembered):
      "这个检查点（\(treeSize) 条）比您上次联署的（\(remembered) 条）还旧，拒绝联署"
    case .historyRewritten(let treeSize, let rootPrefix, let detail):
      "账本与您上次联署的检查点（前 \(treeSize) 条记录，根 \(rootPrefix)…）不一致：历史被改写，拒绝联署（\(detail)）"
    case .rebuiltRootDiffers(let treeSize): "按记录内容重建的前 \(treeSize) 条记录的默克尔根与这个检查点不符：数据被改动，拒绝联署"
    case .treeSizeOutOfRange(let size, let count): "记录数 \(size) 超出范围：账本共有 \(count) 条记录"
    case .entryOutsideTree(let seq, let size): "记录 #\(seq) 不在前 \(size) 条记录之内"
    case .treeSizesReversed(let old, let new): "旧记录数 \(old) 不能大于新记录数 \(new)"
    case .statementPublishedBefore(let hash, let seq): "报表 \(hash) 已于记录 #\(seq) 发布过，不能重复发布"
    case .statementCorrectsNothing(let scope, let supersedes):
      "\(scope)还没有发布过报表，没有可更正的（supersedes \(supersedes)）：首份报表不写更正原因"
    case .statementNeedsCorrection(let scope, let seq, let hash):
      "\(scope)的报表已于记录 #\(seq) 发布（哈希 \(hash)）：再发布须是更正报表，用 `almoner statement create … --correction-reason 原因` 重新签发"
    case .statementCorrectsWrong(let supersedes, let scope, let seq, let hash):
      "更正报表所更正的 \(supersedes) 不是\(scope)现行的报表（记录 #\(seq) 发布的 \(hash)）：请按现行报表重新签发更正报表"
    case .statementFileHashDiffers: "报表文件与发布记录中的报表哈希不符：没有发布"
    case .erasureTargetMissing(let seq): "要删除个人信息的记录 #\(seq) 不存在"
    case .erasureTargetWithoutPersonalData(let seq, let kindName):
      "记录 #\(seq) 是「\(kindName)」，不含个人信息：只有捐赠和付给个人的支出申请另存了个人信息"
    case .erasureRepeated(let seq, let whose, let erasureSeq):
      "记录 #\(seq) 的\(whose)个人信息已于记录 #\(erasureSeq) 删除，不能重复删除"

    // Keys and signed notes
    case .publicKeyLength(let count): "Ed25519 公钥应为 32 字节，实际为 \(count) 字节"
    case .publicKeySmallOrder:
      "这个 Ed25519 公钥是小阶点（弱密钥）：不需要私钥就能伪造它的签名，不能使用；请让持有人用 `almoner key new` 重新生成密钥"
    case .publicKeyNonCanonical:
      "这个 Ed25519 公钥的编码不规范（y ≥ 2^255−19，或 x 为 0 却带负号），同一个点有多种写法，不能使用；请让持有人用 `almoner key new` 重新生成密钥"
    case .publicKeyInvalid(let detail): "不是有效的 Ed25519 公钥（OpenSSL: \(detail)）"
    case .keyNotEd25519(let detail): "密钥不是 Ed25519 密钥（OpenSSL: \(detail)）"
    case .publicKeyUnreadable(let detail): "读取公钥失败（OpenSSL: \(detail)）"
    case .publicKeyNotPEM: "不是 PEM 格式的公钥（应以 -----BEGIN PUBLIC KEY----- 开头）"
    case .publicKeyWrongType: "公钥不是 Ed25519 类型；请用 `almoner key new` 生成密钥"
    case .privateKeyNotPEM: "不是 PEM 格式的私钥（应以 -----BEGIN PRIVATE KEY----- 开头）"
    case .privateKeyEncrypted: "私钥已用口令加密：请用 --passphrase-file 指定口令文件，或设置环境变量 ALMONER_KEY_PASSPHRASE"
    case .passphraseTooLongForKey: "口令过长，无法解开私钥"
    case .passphraseWrong: "口令不对：无法用所给口令解开私钥；请检查 --passphrase-file 或 ALMONER_KEY_PASSPHRASE"
    case .privateKeyWrongType: "私钥不是 Ed25519 类型；请用 `almoner key new` 生成密钥"
    case .noteTooLarge: "签名文本过大"
    case .noteNotUTF8: "签名文本不是有效的 UTF-8"
    case .noteControlCharacter: "签名文本含有控制字符"
    case .noteBlankLineMissing: "签名文本缺少正文与签名之间的空行"
    case .noteFinalNewlineMissing: "签名文本应以换行结尾"
    case .noteSignatureLineMalformed(let line):
      "签名行格式不对（应为「— 密钥名 base64签名」）：\(line.debugDescription)"
    case .noteSignatureCount(let max): "签名文本应有 1 至 \(max) 个签名"
    case .verifierKeyInvalid(let text): "公钥 \"\(text)\" 不是有效的签名文本验证公钥（vkey）"
    case .verifierKeyIDMismatch(let text): "公钥 \"\(text)\" 的密钥编号与公钥不符"
    case .checkpointMalformed: "不是有效的检查点（应为 origin、记录数、base64 根哈希三行，其后可有非空的扩展行）"

    // Ledger files, audits, conduct rules
    case .ledgerFileExists(let path): "\(path) 已存在；建账不会覆盖已有文件，请换一个路径"
    case .ledgerNotCreatable(let path, let reason): "无法创建账本 \(path)：\(reason)"
    case .ledgerMissing(let path): "找不到账本 \(path)；请用 --ledger 指定路径，或先用 `almoner init` 建账"
    case .ledgerIsDirectory(let path): "\(path) 是目录，不是善款账本文件"
    case .ledgerUnreadable(let path): "无法读取账本 \(path)：没有读取权限"
    case .notALedger(let path): "\(path) 不是善款账本（不是 almoner 建立的 SQLite 文件）"
    case .ledgerUpgradeReadOnly(let path): "账本 \(path) 由旧版本建立，需要先升级数据库结构，但它是只读的：请在有写入权限的位置复制一份再查看"
    case .ledgerWriteAheadLogPending(let path, let detail):
      "无法只读打开账本 \(path)：所在目录不可写，而它还有未合并的写前日志 \(path)-wal；请把账本连同 -wal 文件复制到可写的目录再查看（\(detail)）"
    case .disbursementUnknown(let id): "支出申请 #\(id) 不存在；可用 `almoner disburse list` 查看"
    case .auditPeriodInFuture(let to, let date): "审计期间的结束日 \(to) 晚于记账日期 \(date)：不能审计尚未到来的日子"
    case .auditNoteTargetNotAudit(let seq, let kindName):
      "记录 #\(seq) 是「\(kindName)」，不是审计记录：审计说明只能针对 almoner audit --record 记下的审计"
    case .conductRulesNotObject:
      "规则文件应是一个 JSON 对象，以规则代码为键，例如 {\"split-request\": {\"windowDays\": 14}}"
    case .conductRuleUnknown(let code, let known): "规则文件中的「\(code)」不是已知的规则；已知的规则有：\(known)"
    case .conductRuleNotObject(let code): "规则文件中「\(code)」的值应是一个 JSON 对象，例如 {\"enabled\": false}"
    case .conductRuleEnabledNotBool(let code): "规则文件中「\(code)」的 enabled 应是 true 或 false"
    case .conductRuleParameterUnknown(let code, let name, let known):
      "规则文件中「\(code)」没有参数「\(name)」；它的参数有：\(known)"
    case .conductRuleParameterNotInteger(let code, let name, let unit):
      "规则文件中「\(code).\(name)」应是整数（\(unit)）"
    case .conductRuleParameterOutOfRange(
      let code, let name, let value, let lower, let upper, let unit):
      "规则文件中「\(code).\(name)」为 \(value)，超出范围：应在 \(lower) 至 \(upper) 之间（\(unit)）"

    // The ledger file checked before a write
    case .ledgerSchemaAltered(let problems):
      "账本文件的数据库结构被改动（\(problems)）。为安全起见，没有写入、也没有签署任何记录。请运行 `almoner verify ledger` 查明"
    case .projectionsUnreadable(let detail):
      "账本的投影表读不出来（\(detail)）：文件在 almoner 之外被改动过。为安全起见，没有写入、也没有签署任何记录。请运行 `almoner verify ledger` 查明"
    case .stateSealMismatch(let tables):
      "账本文件中的 \(tables) 与最后一次提交签封的状态不符：文件在 almoner 之外被改动过。为安全起见，没有写入、也没有签署任何记录。请运行 `almoner verify ledger` 查明哪里被改动"
    case .ledgerProblemsBeforeWrite(let problems):
      "写入前核验账本发现问题：\(problems)。为安全起见，没有写入、也没有签署任何记录。请运行 `almoner verify ledger` 查看全部问题"
    case .erasureCommitmentMismatch(let seq):
      "记录 #\(seq) 在 donor_private 中的个人信息与记录中的承诺值不符：文件在 almoner 之外被改动过（可能与别的记录对调），删除它会删掉别人的信息、留下本人的。没有删除、也没有签署任何记录；请运行 `almoner verify ledger` 查明"
    case .entryFieldInvalid(let field, let detail): "记录内容 \(field) \(detail)"

    // Openings
    case .openingAccountInvalid: "--account 应为 bank（银行存款）或 cash（库存现金）"

    // Entry rules: units, funds, roles, balances, allocations, reversals
    case .unitCodeUnknown(let code): "单位 \(code) 不存在"
    case .fundCodeUnknown(let unit, let code): "单位 \(unit) 没有基金 \(code)"
    case .roleRequired(let name, let keyID, let unit, let roles, let action):
      "\(name)（\(keyID)）不是\(unit)的\(roles)，无权\(action)"
    case .balanceOverLimit(let unit, let account): "\(unit) 的 \(account) 余额将超出账本上限"
    case .districtTotalOverLimit(let account, let limitFen):
      "全区\(account)合计将超出账本上限 \(Refusal.money(limitFen))"
    case .balanceInsufficient(let unit, let fund, let account, let heldFen):
      "余额不足：\(unit)\(fund)的\(account)只有 \(Refusal.money(heldFen))"
    case .balanceNegativeOnDay(
      let unit, let fund, let account, let day, let balanceFen, let date, let outflowFen):
      "余额不足：\(unit)\(fund)的\(account)在 \(day) 日终只有 \(Refusal.money(balanceFen))，记在 \(date) 的这笔 \(Refusal.money(outflowFen)) 流出会使该日余额为负；请把日期记在余额足够的日子，或先补记该日之前的收入"
    case .balanceReserved(
      let unit, let fund, let heldFen, let reservedFen, let requests, let availableFen,
      let outflowFen):
      "余额不足：\(unit)\(fund)的银行存款为 \(Refusal.money(heldFen))，其中 \(Refusal.money(reservedFen)) 已为已批准待付款的申请 \(requests) 预留，可用 \(Refusal.money(availableFen))，不够支出 \(Refusal.money(outflowFen))"
    case .unitCodeTaken(let code): "单位代码 \(code) 已被使用"
    case .unitTierMisplaced(let tier, let parentTier, let parentName, let childTier):
      "\(tier)不能直接设在\(parentTier)「\(parentName)」之下：\(parentTier)之下只能设\(childTier)"
    case .grantKeyRevoked(let keyID, let name, let seq):
      "密钥 \(keyID)（\(name)）已于记录 #\(seq) 被撤销，不能再授予角色；请生成新密钥"
    case .roleAlreadyHeld(let name, let keyID, let unit, let role):
      "\(name)（\(keyID)）已是\(unit)的\(role)"
    case .memberKeyUnknown(let keyID): "密钥 \(keyID) 不是本账本的成员"
    case .memberKeyRevoked(let keyID, let name, let seq): "密钥 \(keyID)（\(name)）已于记录 #\(seq) 被撤销"
    case .lastDistrictAdmin(let name): "不能撤销区级最后一名管理员（\(name)）；请先授予另一名区级管理员"
    case .fundPurposeMissing: "定向基金必须写明用途（--purpose）"
    case .fundPurposeUnrestricted: "只有定向基金才写用途；请加 --restricted"
    case .fundCategoryUnrestricted: "只有定向基金才有用途类别（--category）"
    case .fundCodeTaken(let unit, let code): "\(unit)已有代码为 \(code) 的基金"
    case .allocationNotAdjacent(let from, let to): "划拨只能在上下级之间进行：\(from)与\(to)不是直接上下级"
    case .allocationFundsDiffer(let to, let receivingFund, let from, let fund):
      "\(to)的基金「\(receivingFund)」与\(from)的「\(fund)」性质不同（定向与否或用途类别不一致），不能划拨"
    case .allocationUnknown(let id): "划拨 \(id) 不存在"
    case .allocationSettled(let id, let status, let seq): "划拨 \(id) \(status)（记录 #\(seq)），不能再处理"
    case .allocationDateBeforeSent(let confirming, let date, let id, let sentDate):
      "\(confirming ? "确认" : "撤回")日期 \(date) 早于划拨 \(id) 的发出日期 \(sentDate)；请用 --date 指定 \(sentDate) 或之后的日期"
    case .reversalTargetMissing(let seq): "要冲销的记录 #\(seq) 不存在"
    case .reversalRepeated(let seq, let by): "记录 #\(seq) 已被记录 #\(by) 冲销，不能重复冲销"
    case .reversalNotDonation(let seq, let kindName, let inTransit):
      "记录 #\(seq) 是「\(kindName)」，只能冲销捐赠" + (inTransit ? "；在途划拨请用 `almoner allocate void` 撤回" : "")
    case .reversalDateBeforeOriginal(let date, let seq, let originalDate):
      "冲销日期 \(date) 早于记录 #\(seq)（捐赠）的日期 \(originalDate)：冲销不能记在原记录之前；请用 --date 指定 \(originalDate) 或之后的日期"
    case .unitCodeInvalid(let code, let max):
      "单位代码 \"\(code)\" 无效：只能用大写字母、数字和连字符，最长 \(max) 位，例如 GA-BC-JSL"
    case .fundCodeInvalid(let code, let max):
      "基金代码 \"\(code)\" 无效：只能用小写字母、数字和连字符，最长 \(max) 位，例如 elderly-canteen"
    case .genesisNotFirst: "建账记录只能是记录 #0"
    case .firstNotGenesis: "记录 #0 必须是建账记录"
    case .signerNotMember(let keyID): "签名密钥 \(keyID) 不是本账本的成员；请先由管理员用 `almoner member add` 添加"
    case .signerRevoked(let keyID, let name, let seq):
      "签名密钥 \(keyID)（\(name)）已于记录 #\(seq) 被撤销，不能再签署"
    case .genesisSignerNotAdmin: "建账记录应由其中的管理员密钥签署"

    // Supervision rules: policy, disbursements, reconciliation
    case .reconciledPeriodClosed(let unit, let account, let asOf, let seq):
      "\(unit)的\(account)已对账至 \(asOf)（记录 #\(seq)），不能再记入该日及之前的收支；请把日期记在 \(asOf) 之后"
    case .policyApproverCount(let tier, let max, let count):
      "\(tier)审批人数应为 1 至 \(max) 人，不能是 \(count)"
    case .policyThresholdsReversed(let parentFen, let districtFen):
      "社区支出须街道审批的起点（\(Refusal.money(parentFen))）不能高于须区级审批的起点（\(Refusal.money(districtFen))）"
    case .policyUnchanged(let policy): "新规则与现行的\(policy)完全相同，无需重新设定"
    case .restrictedFundOffPurpose(let fund, let fundCode, let fundCategory, let category):
      "定向基金「\(fund)」（\(fundCode)）只能用于「\(fundCategory)」类支出，本申请的用途类别是「\(category)」；请改用非定向基金或用途相符的定向基金（用途类别可用 --category 指定）"
    case .attachmentRepeated(let name): "附件「\(name)」与前面的附件内容相同，不必重复附上"
    case .releaseFundNotRestricted(let fund): "「\(fund)」不是定向基金：只有定向基金的资金需要释放到非定向基金"
    case .disbursementClosed(let id, let status, let seq):
      "申请 #\(id) \(status)\(seq.map { "（记录 #\($0)）" } ?? "")，不能再处理"
    case .approvalDateBeforeRequest(let date, let id, let requestDate):
      "批准日期 \(date) 早于申请 #\(id) 的申请日期 \(requestDate)；请用 --date 指定 \(requestDate) 或之后的日期"
    case .approvalNotNeeded(let id): "申请 #\(id) 已获得审批规则要求的全部批准，无需再批准；可由记账员付款"
    case .approvalOwnRequest(let id): "不能批准自己提出的申请 #\(id)：须由其他审批人批准"
    case .approvalRepeated(let name, let id, let seq, let earlierKeyID):
      "\(name)已批准过申请 #\(id)（记录 #\(seq)\(earlierKeyID.map { "，用其此前的密钥 \($0)" } ?? "")），同一人只算一次，换用新密钥也一样"
    case .approvalTierNotNeeded(let id, let missing, let name, let tier):
      "申请 #\(id) 还缺\(missing)；\(name)是\(tier)审批人，其批准补不上所缺的审批"
    case .rejectOwnRequest(let id): "申请 #\(id) 是您自己提出的：请用 `almoner disburse cancel \(id)` 撤销"
    case .cancelNotRequester(let requester, let id):
      "只有申请人\(requester)可以撤销申请 #\(id)；审批人可用 `almoner disburse reject` 驳回"
    case .paymentApprovalsMissing(let id, let policy, let missing):
      "申请 #\(id) 尚未满足\(policy)，不能付款：还缺\(missing)"
    case .paymentDateBeforeRequest(let date, let requestDate): "付款日期 \(date) 早于申请日期 \(requestDate)"
    case .reconcileDateNotPast(let asOf, let date):
      "对账日期 \(asOf) 须早于记账日期 \(date)：只能核对已经结束的日子（对账后该日及之前不能再补记收支）"
    case .reconcileMismatch(let unit, let account, let asOf, let bookedFen, let statedFen):
      "对账不符：\(unit)\(account)截至 \(asOf) 日终，账面余额 \(Refusal.money(bookedFen))，对账单余额 \(Refusal.money(statedFen))，差额 \(Refusal.money(statedFen - bookedFen))（\(statedFen > bookedFen ? "对账单比账面多" : "账面比对账单多") \(Refusal.money(abs(statedFen - bookedFen)))）；请查明差异、补记或更正后再对账"

    // Statements signed and published
    case .statementSignerNotTreasurer(let name, let keyID, let unit):
      "\(name)（\(keyID)）不是\(unit)的记账员或管理员，不能签发它的公示报表"
    case .statementCorrectionNotNeeded(let scope):
      "\(scope)还没有发布过报表，没有可更正的：首份报表不加 --correction-reason"
    case .statementCorrectionReasonMissing(let scope, let seq, let hash):
      "\(scope)的报表已于记录 #\(seq) 发布（哈希 \(hash)）：新报表是它的更正，请加 --correction-reason 写明更正原因"
    case .statementPreviousFileMissing(let hash):
      "上一期报表 \(hash) 的文件不在账本中：请运行 `almoner verify ledger`"
    case .statementOpeningChanged(let problem, let previousPeriod, let period):
      "\(problem)：上一期报表发布后，又有日期在上一期内的记录入账。请先为 \(previousPeriod) 签发并发布更正报表（--correction-reason），再签发 \(period) 的报表"
    case .statementNoCosignedCheckpoint(let periodEnd):
      "还没有监督员联署过的检查点，不能签发公示报表：请在 \(periodEnd) 之后 `almoner checkpoint create`，再请街道或区级监督员 `almoner checkpoint cosign`"
    case .statementCheckpointTooEarly(let seq, let signedOn, let periodEnd, let period):
      "最新的监督员联署检查点（记录 #\(seq)，\(signedOn) 签发）不晚于报表期末 \(periodEnd)，不能证明期内记录已全部入账：请在 \(periodEnd) 之后签发检查点并请监督员联署，再签发 \(period) 的报表"
    case .statementTotalOverflow: "报表金额合计超出上限"
    case .statementRoleAfterCheckpoint(let name, let seq):
      "\(name) 的角色是在记录 #\(seq) 的检查点之后才授予的：请先签发新检查点并请监督员联署"
    case .statementFileMissing(let seq, let hash):
      "记录 #\(seq) 发布的报表 \(hash) 的文件缺失或与哈希不符：没有发布它。请运行 `almoner verify ledger`"
    case .publishNoCosignedCheckpoint:
      "还没有监督员联署过的检查点，不能发布：请先 `almoner checkpoint create`，再请街道或区级监督员 `almoner checkpoint cosign`"
    case .ledgerDiffersFromCheckpoint(let size):
      "账本的记录数或记录哈希与检查点（\(size) 条）不符：请先运行 `almoner verify ledger`"
    case .ledgerRootDiffers(let size, let seq, let publishing):
      "账本前 \(size) 条记录的默克尔根与记录 #\(seq) 的检查点不符：数据被改动\(publishing ? "，没有发布任何文件" : "")。请运行 `almoner verify ledger`"
    case .ledgerEntryMissing(let seq): "账本缺少记录 #\(seq)：请运行 `almoner verify ledger`"
    case .entryHashMismatch(let seq, let publishing):
      "记录 #\(seq) 与其哈希不符：数据被改动\(publishing ? "，没有发布" : "")。请运行 `almoner verify ledger`"
    case .hashTilesFailed(let reason): "写入哈希瓦片失败：\(reason)"
    case .publicLogBundleFailed(let start): "记录 #\(start) 起的记录无法打包（缺失，或单条超过 65,535 字节）"
    case .publicLogWriteFailed(let path, let reason): "无法写入公开日志文件 \(path)：\(reason)"
    case .statementEntryReferenceMissing(let seq, let needed, let what):
      "记录 #\(seq) 引用的记录 #\(needed)（\(what)）不存在：请运行 `almoner verify ledger`"
    case .ledgerShorterThanCheckpoint(let size): "账本记录数少于检查点的 \(size) 条：请运行 `almoner verify ledger`"
    case .statementPublishRowMalformed(let row, let column):
      "statement_publish 表第 \(row) 行的\(column == "hash" ? "哈希" : " \(column) ")格式不对"

    // The ledger file, its entries and its writes
    case .timeZoneInvalid(let zone): "未知的时区 \(zone)：请用 IANA 时区名，例如 Asia/Shanghai"
    case .storedHashMalformed(let seq): "记录 #\(seq) 存储的哈希长度不对"
    case .commitEmpty: "没有要写入的记录"
    case .commitTooLarge(let max): "一次提交最多 \(max) 条记录"
    case .clockBehindLedger(let time, let headTime):
      "本机时钟（\(time)）早于账本最后一条记录的时间（\(headTime)）；请先校正系统时间，再记账"
    case .dateInFuture(let date, let today): "记账日期（--date）\(date) 晚于今天（\(today)），不能预先记账"
    case .personalDataInvalid(let problem): problem
    case .writeNotReadBack(let subject): "\(subject)写入后未能读回"
    case .attachmentsTooMany(let max): "一笔申请最多 \(max) 个附件"
    case .attachmentUnreadable(let path): "无法读取文件 \(path)（不存在、是目录或没有读取权限）"
    case .attachmentTooLarge(let path, let bytes, let maxMB):
      "文件 \(path) 过大（\(bytes) 字节，最多 \(maxMB) MB）"
    case .attachmentDuplicate(let path, let samePath): "文件 \(path) 与 \(samePath) 内容相同，只需附一次"
    case .attachmentFolderNotCreatable(let directory, let reason): "无法创建附件目录 \(directory)：\(reason)"
    case .attachmentNotSaved(let name, let target, let reason):
      "无法保存附件 \(name) 到 \(target)：\(reason)"
    case .memberKeyPersonMissing(let keyID): "投影表 member_key 中密钥 \(keyID) 缺少 person_id"
    case .entryUnreadable(let seq, let reason): "读取记录 #\(seq) 失败：\(reason)"
    case .entryDiffersFromSealedTree(let seq):
      "记录 #\(seq) 的内容与账本签封的默克尔树不符：文件在 almoner 之外被改动过。没有写入任何记录；请运行 `almoner verify ledger`"
    case .entryHashMissing(let seq): "记录 #\(seq) 缺失或其哈希损坏"
    case .ledgerReadOnly(let path, let doing, let unchanged):
      "账本 \(path) 是只读的（文件或所在目录没有写入权限，或磁盘以只读方式挂载）：\(doing)失败\(unchanged ? "，账本未做任何改动" : "")；查看类命令（verify、balance、journal 等）仍可使用，要写入请在有写入权限的位置操作"
    case .ledgerBusy(let path, let seconds, let doing, let unchanged):
      "账本 \(path) 正被另一个程序占用，等待 \(seconds) 秒后仍未释放：\(doing)失败\(unchanged ? "，账本未做任何改动" : "")；请稍后重试"
    case .ledgerIOFailed(let path, let doing, let unchanged, let reason):
      "\(doing)失败（账本 \(path)）\(unchanged ? "，账本未做任何改动" : "")：\(reason)"
    case .ledgerConnectionClosed: "账本连接已关闭"
    case .journalKindInvalid(let text, let known): "--kind \"\(text)\" 不是记录类型：应为 \(known)"
    case .journalAccountInvalid(let text):
      "--account \"\(text)\" 不是账户：可写 bank、cash、in-transit、income、expenses、assets:bank 或 银行存款 等"
    case .signerUnknown(let text): "--signer：没有密钥 ID 或姓名为「\(text)」的成员；可用 `almoner member list` 查看"
    case .entryEmpty: "记录为空"
    case .entryBytesMalformed(let detail): detail
    case .entryBodyMalformed(let detail): detail
    case .entryNotCanonical: "记录不是规范 JSON 编码"
    case .checkpointEntryWrongKind(let kind, let seq): "不是检查点记录（是 \(kind)，序号 \(seq)）"
    case .payeeCommitmentMismatch(let path):
      "记录内容 \(path)：收款人是个人时须有 commitment（承诺值），不是个人时不应有"
    case .projectionValueInvalid(let table, let column, let value):
      "投影表 \(table) 的 \(column) 列有 almoner 不会写入的值“\(value)”：账本文件在 almoner 之外被改动过。请运行 `almoner verify ledger` 查明"
    case .consistencyProofFailed(let detail): "无法生成一致性证明：\(detail)"
    case .entryRowMalformed(let seq, let column):
      "记录表 entry 中\(seq.map { "记录 #\($0) 的" } ?? "有一行的") \(column) 列为空或类型不对：账本文件在 almoner 之外被改动过。请运行 `almoner verify ledger` 查明"
    }
  }
}

extension Refusal.KeyHalf {
  fileprivate var chinese: String {
    switch self {
    case .privateKey: "私钥"
    case .publicKey: "公钥"
    }
  }
}

extension Refusal.StatementCheck {
  /// `签名`, `公开日志` …: the check's name in a statement refusal.
  public var chinese: String {
    switch self {
    case .ledger: "账本"
    case .checkpoint: "检查点"
    case .lineOrder: "行序"
    case .inclusion: "包含证明"
    case .entry: "记录内容"
    case .unit: "单位"
    case .totals: "合计"
    case .balance: "余额"
    case .reversalMarks: "冲销标记"
    case .hash: "哈希"
    case .signature: "签名"
    case .publicLog: "公开日志"
    case .completeness: "完整性"
    case .relatedEntry: "关联记录"
    case .previous: "上一期报表"
    case .opening: "期初余额"
    case .publication: "发布"
    }
  }
}

extension Refusal.ReceiptStep {
  /// `第 2 步（记录内容与哈希）`: the step as `verify receipt` names it.
  public var title: String {
    switch self {
    case .file: "第 1 步（读取收据）"
    case .entry: "第 2 步（记录内容与哈希）"
    case .donor: "第 3 步（捐赠人信息与承诺值）"
    case .proofFormat: "第 4 步（证明格式）"
    case .checkpointSignature: "第 5 步（检查点签名）"
    case .cosignatures: "第 6 步（监督员联署）"
    case .inclusion: "第 7 步（包含证明）"
    }
  }
}
