/// The settings of the conduct rules a supervisor runs in `almoner audit`:
/// per rule, whether it runs and its parameters (days, yuan in fen,
/// percentages, counts — all integers, as everything near money is). The
/// defaults follow DESIGN §7; a supervising tier may set its own in a rules
/// file (JSON), and the audit records the rules it ran with (`json`) in its
/// entry.
///
/// A rules file names rules by their finding codes, each an object of
/// parameters; anything left out keeps its default:
///
/// ```json
/// {"split-request": {"windowDays": 14}, "round-number-cluster": {"enabled": false}}
/// ```
public struct ConductRules: Sendable, Equatable {
  /// Whether each rule runs, by code; a rule missing here runs.
  var disabled: Set<String> = []

  // split-request
  var splitWindowDays: Int64 = 7
  var splitSimilarPurposePercent: Int64 = 80
  // duplicate-reference has no parameter.
  // allocation-in-transit
  var inTransitDaysMax: Int64 = 30
  // approved-unpaid
  var approvedUnpaidDaysMax: Int64 = 30
  // restricted-purpose-mismatch
  var purposeSharedWordsMin: Int64 = 1
  // unusual-amount
  var unusualFactor: Int64 = 10
  var unusualCountMin: Int64 = 20
  // round-number-cluster
  var roundAmountFen: Int64 = 100_000
  var roundCountMin: Int64 = 5
  var roundSharePercent: Int64 = 80
  // late-entry
  var lateEntryDaysMax: Int64 = 30
  // statement-missing
  var statementGraceDays: Int64 = 30
  // admin-cost-share
  var adminSharePercentMax: Int64 = 10
  // charitable-spending-share
  var charitableSharePercentMin: Int64 = 70
  // restricted-fund-unused
  var unusedMonths: Int64 = 12
  var unusedSharePercentMax: Int64 = 50

  /// The rules with every default: what `almoner audit` runs without a
  /// rules file.
  public static let defaults = ConductRules()

  init() {}

  /// Whether the rule with finding code `code` runs.
  public func isEnabled(_ code: String) -> Bool { !disabled.contains(code) }

  /// Reads a supervisor's rules file. Unknown rules and parameters, values
  /// of the wrong type and values out of range are refused, naming them.
  public init(json: JSONValue) throws(AlmonerError) {
    self.init()
    guard case .object(let object) = json else {
      throw .refused(.conductRulesNotObject)
    }
    for (code, value) in object.members {
      guard let rule = ConductRuleCatalog.rules.first(where: { $0.code == code }) else {
        let known = ConductRuleCatalog.rules.map(\.code).joined(separator: "、")
        throw .refused(.conductRuleUnknown(code: code, known: known))
      }
      guard case .object(let parameters) = value else {
        throw .refused(.conductRuleNotObject(code: code))
      }
      for (name, parameterValue) in parameters.members {
        if name == ConductRuleCatalog.enabledKey {
          guard case .bool(let enabled) = parameterValue else {
            throw .refused(.conductRuleEnabledNotBool(code: code))
          }
          if enabled { disabled.remove(code) } else { disabled.insert(code) }
          continue
        }
        guard let parameter = rule.parameters.first(where: { $0.key == name }) else {
          let known = ([ConductRuleCatalog.enabledKey] + rule.parameters.map(\.key))
            .joined(separator: "、")
          throw .refused(.conductRuleParameterUnknown(code: code, name: name, known: known))
        }
        guard case .integer(let number) = parameterValue else {
          throw .refused(
            .conductRuleParameterNotInteger(code: code, name: name, unit: parameter.unitChinese))
        }
        guard parameter.range.contains(number) else {
          throw .refused(
            .conductRuleParameterOutOfRange(
              code: code, name: name, value: number, lower: parameter.range.lowerBound,
              upper: parameter.range.upperBound, unit: parameter.unitChinese))
        }
        self[keyPath: parameter.keyPath] = number
      }
    }
  }

  /// Every rule with every parameter, in the catalog's order: the canonical
  /// form recorded in the audit entry (its canonical bytes are what is
  /// hashed). Reading it back gives equal rules.
  public var json: JSONValue {
    .object(
      JSONObject(
        ConductRuleCatalog.rules.map { rule in
          let members: [(String, JSONValue)] =
            [(ConductRuleCatalog.enabledKey, .bool(isEnabled(rule.code)))]
            + rule.parameters.map { ($0.key, .integer(self[keyPath: $0.keyPath])) }
          return (rule.code, .object(JSONObject(members)))
        }))
  }

  /// For `almoner audit --rules`: each rule, what it looks for, and each
  /// parameter with its value and default, in Chinese (or English).
  public func describe(english: Bool) -> String {
    var lines = [
      english
        ? "Conduct rules, each with its parameters (value, unit, default). A rules file (JSON) changes them by finding code, e.g. {\"split-request\": {\"windowDays\": 14}, \"late-entry\": {\"enabled\": false}}."
        : "行为规范规则及其参数（当前值、单位、默认值）。规则文件（JSON）按规则代码修改，例如 {\"split-request\": {\"windowDays\": 14}, \"late-entry\": {\"enabled\": false}}。"
    ]
    for rule in ConductRuleCatalog.rules {
      let state =
        english
        ? (isEnabled(rule.code) ? "on" : "off") : (isEnabled(rule.code) ? "开启" : "关闭")
      let title = english ? rule.titleEnglish : rule.titleChinese
      lines.append(
        english ? "\(rule.code)  \(title) (\(state))" : "\(rule.code)  \(title)（\(state)）")
      lines.append("    " + (english ? rule.explanationEnglish : rule.explanationChinese))
      for parameter in rule.parameters {
        let value = self[keyPath: parameter.keyPath]
        let fallback = ConductRules.defaults[keyPath: parameter.keyPath]
        if english {
          lines.append(
            "    \(parameter.key) = \(value) (\(parameter.unitEnglish); default \(fallback)): \(parameter.explanationEnglish)"
          )
        } else {
          lines.append(
            "    \(parameter.key) = \(value)（\(parameter.unitChinese)；默认 \(fallback)）：\(parameter.explanationChinese)"
          )
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// What each conduct rule is called, explained and parameterised by: the one
/// table `ConductRules` reads, writes and describes from.
enum ConductRuleCatalog {
  static let enabledKey = "enabled"

  struct Parameter: @unchecked Sendable {
    var key: String
    var keyPath: WritableKeyPath<ConductRules, Int64>
    var range: ClosedRange<Int64>
    var unitChinese: String
    var unitEnglish: String
    var explanationChinese: String
    var explanationEnglish: String
  }

  struct Rule: Sendable {
    var code: String
    var titleChinese: String
    var titleEnglish: String
    var explanationChinese: String
    var explanationEnglish: String
    var parameters: [Parameter] = []
  }

  static let rules: [Rule] = [
    Rule(
      code: ConductCode.splitRequest, titleChinese: "拆分申请规避审批",
      titleEnglish: "requests split to stay under an approval threshold",
      explanationChinese: "同一单位在若干天内向同一收款方（或用途几乎相同）提出多笔支出申请，每笔都不超过须上级审批的金额，合计却超过",
      explanationEnglish:
        "one unit makes several requests to one payee (or for a near-identical purpose) within a few days, each at or under an amount that needs the tier above, together over it",
      parameters: [
        Parameter(
          key: "windowDays", keyPath: \.splitWindowDays, range: 1...366, unitChinese: "天",
          unitEnglish: "days", explanationChinese: "相隔不超过这么多天的申请算作一组",
          explanationEnglish: "requests at most this many days apart form one group"),
        Parameter(
          key: "similarPurposePercent", keyPath: \.splitSimilarPurposePercent, range: 1...100,
          unitChinese: "百分比", unitEnglish: "percent",
          explanationChinese: "收款方不同时，两段用途文字的相邻两字（英文按词）重合达到这个比例（Dice 系数）算作用途几乎相同",
          explanationEnglish:
            "for different payees, two purposes whose adjacent-character pairs (words for Latin text) overlap this much (Dice coefficient) count as near-identical"
        ),
      ]),
    Rule(
      code: ConductCode.duplicateReference, titleChinese: "外部流水号重复",
      titleEnglish: "duplicate external references",
      explanationChinese: "同一个微信、支付宝或银行流水号记了两笔及以上捐赠（已冲销的不算）",
      explanationEnglish:
        "the same WeChat, Alipay or bank order number on two or more donations (reversed ones excepted)"
    ),
    Rule(
      code: ConductCode.allocationInTransit, titleChinese: "划拨长期在途",
      titleEnglish: "allocations in transit too long",
      explanationChinese: "划拨发出后迟迟没有确认或撤回",
      explanationEnglish: "an allocation neither confirmed nor voided for too long",
      parameters: [
        Parameter(
          key: "daysMax", keyPath: \.inTransitDaysMax, range: 1...3660, unitChinese: "天",
          unitEnglish: "days", explanationChinese: "在途超过这么多天即报告",
          explanationEnglish: "reported once in transit longer than this")
      ]),
    Rule(
      code: ConductCode.approvedUnpaid, titleChinese: "已批准长期未付款",
      titleEnglish: "approved requests unpaid too long",
      explanationChinese: "支出申请获得全部批准后迟迟没有付款",
      explanationEnglish: "a request fully approved but not paid for too long",
      parameters: [
        Parameter(
          key: "daysMax", keyPath: \.approvedUnpaidDaysMax, range: 1...3660, unitChinese: "天",
          unitEnglish: "days", explanationChinese: "批准后超过这么多天未付款即报告",
          explanationEnglish: "reported once unpaid longer than this after approval")
      ]),
    Rule(
      code: ConductCode.paymentBeforeApproval, titleChinese: "付款日期早于批准日期",
      titleEnglish: "payment dated before its last approval",
      explanationChinese: "付款记录的日期早于该申请最后一次批准的日期",
      explanationEnglish: "a payment whose date is before the date of the request's last approval"),
    Rule(
      code: ConductCode.approverNotInOffice, titleChinese: "批准人当时不是审批人",
      titleEnglish: "approval by someone not an approver at the time",
      explanationChinese: "批准人在申请日期（或批准日期）时还没有被任命为该单位或其上级单位的审批人",
      explanationEnglish:
        "the approver was appointed approver of the unit (or a unit above) only after the request's date (or the approval's date)"
    ),
    Rule(
      code: ConductCode.restrictedPurposeMismatch, titleChinese: "定向资金用途不符（待核实）",
      titleEnglish: "restricted money on a purpose that does not match (for review)",
      explanationChinese:
        "从定向基金付款的申请，其用途文字与基金的名称、用途和类别名称比较：把中文拆成相邻两字、英文按词，共同的词少于下限即提请核实（只是提示，不作判断）",
      explanationEnglish:
        "a payment from a restricted fund whose purpose text shares too few words with the fund's name, purpose and category name (Chinese split into adjacent-character pairs, Latin into words): flagged for review, not judged",
      parameters: [
        Parameter(
          key: "sharedWordsMin", keyPath: \.purposeSharedWordsMin, range: 1...20,
          unitChinese: "个", unitEnglish: "words",
          explanationChinese: "共同的词少于这么多个即提请核实",
          explanationEnglish: "flagged when fewer words than this are shared")
      ]),
    Rule(
      code: ConductCode.sameNameSeparateRoles, titleChinese: "同名者担任不相容职务",
      titleEnglish: "two members with one name in duties that must be separate",
      explanationChinese: "两名成员姓名相同（按 NFKC 规范化、忽略空白和大小写比较），一人是某单位的记账员，另一人是该单位或其上级的审批人",
      explanationEnglish:
        "two members whose names are equal (after NFKC, ignoring white space and case), one treasurer of a unit, the other approver of it or a unit above"
    ),
    Rule(
      code: ConductCode.unusualAmount, titleChinese: "金额远超常见规模",
      titleEnglish: "amounts far outside a unit's usual size",
      explanationChinese: "一笔捐赠或付款超过该单位此前同类记录平均金额的若干倍",
      explanationEnglish:
        "a donation or payment many times the unit's mean of earlier ones of its kind",
      parameters: [
        Parameter(
          key: "factor", keyPath: \.unusualFactor, range: 2...1000, unitChinese: "倍",
          unitEnglish: "times", explanationChinese: "超过平均金额的这么多倍即报告",
          explanationEnglish: "reported above this multiple of the mean"),
        Parameter(
          key: "countMin", keyPath: \.unusualCountMin, range: 1...100_000, unitChinese: "笔",
          unitEnglish: "entries", explanationChinese: "该单位此前至少有这么多笔同类记录才比较",
          explanationEnglish: "compared only once the unit has this many earlier ones"),
      ]),
    Rule(
      code: ConductCode.roundNumberCluster, titleChinese: "整数金额扎堆",
      titleEnglish: "round-number clusters",
      explanationChinese: "同一单位同一个月的支出申请大多是整数金额（如整千元）",
      explanationEnglish:
        "most of a unit's requests in one month are round amounts (such as whole thousands)",
      parameters: [
        Parameter(
          key: "roundFen", keyPath: \.roundAmountFen, range: 100...100_000_000, unitChinese: "分",
          unitEnglish: "fen", explanationChinese: "金额是它的整数倍算作整数金额（100000 分即整千元）",
          explanationEnglish:
            "an amount that is a multiple of this is round (100000 fen is a thousand yuan)"),
        Parameter(
          key: "countMin", keyPath: \.roundCountMin, range: 2...10_000, unitChinese: "笔",
          unitEnglish: "requests", explanationChinese: "一个月至少有这么多笔整数金额才报告",
          explanationEnglish: "reported only with at least this many round amounts in a month"),
        Parameter(
          key: "sharePercent", keyPath: \.roundSharePercent, range: 1...100, unitChinese: "百分比",
          unitEnglish: "percent", explanationChinese: "整数金额占当月申请笔数达到这个比例才报告",
          explanationEnglish: "and when they are at least this share of the month's requests"),
      ]),
    Rule(
      code: ConductCode.lateEntry, titleChinese: "补记过久",
      titleEnglish: "entries dated long before they were recorded",
      explanationChinese: "资金记录的记账日期比实际记入账本的日期早很多天",
      explanationEnglish:
        "a money entry whose accounting date is long before the day it was written",
      parameters: [
        Parameter(
          key: "daysMax", keyPath: \.lateEntryDaysMax, range: 1...3660, unitChinese: "天",
          unitEnglish: "days", explanationChinese: "早于记入日期超过这么多天即报告",
          explanationEnglish: "reported when dated more than this before it was written")
      ]),
    Rule(
      code: ConductCode.statementMissing, titleChinese: "季度未公示",
      titleEnglish: "no statement published for a finished quarter",
      explanationChinese: "单位在某季度有资金往来，季度结束后过了宽限期仍没有发布该季度的公示",
      explanationEnglish:
        "a unit with money in a quarter has published no statement for it once the quarter and a grace period are over",
      parameters: [
        Parameter(
          key: "graceDays", keyPath: \.statementGraceDays, range: 0...366, unitChinese: "天",
          unitEnglish: "days", explanationChinese: "季度结束后给这么多天发布公示",
          explanationEnglish: "days allowed after the quarter's end to publish")
      ]),
    Rule(
      code: ConductCode.adminCostShare, titleChinese: "管理费用占比过高",
      titleEnglish: "administrative cost share too high",
      explanationChinese: "单位一年的支出中「行政管理」类所占比例（民政部规定：管理费用不超过当年总支出的 10%）",
      explanationEnglish:
        "the share of a unit's spending in a year that is in the administration category (the Ministry of Civil Affairs' rule: at most 10 % of the year's spending)",
      parameters: [
        Parameter(
          key: "sharePercentMax", keyPath: \.adminSharePercentMax, range: 0...100,
          unitChinese: "百分比", unitEnglish: "percent",
          explanationChinese: "超过这个比例即报告",
          explanationEnglish: "reported above this share")
      ]),
    Rule(
      code: ConductCode.charitableSpendingShare, titleChinese: "年度慈善支出不足",
      titleEnglish: "charitable spending below the yearly line",
      explanationChinese:
        "单位一年的慈善活动支出（行政管理类以外的付款和向下级的划拨）占上一年收入（捐赠和上级划入）的比例（民政部规定：不低于 70%）；只看已经结束的年度",
      explanationEnglish:
        "a unit's charitable spending in a year (payments outside administration, and allocations to units below) as a share of the previous year's income (donations and allocations in) (the Ministry of Civil Affairs' line: at least 70 %); finished years only",
      parameters: [
        Parameter(
          key: "sharePercentMin", keyPath: \.charitableSharePercentMin, range: 0...100,
          unitChinese: "百分比", unitEnglish: "percent",
          explanationChinese: "低于这个比例即报告",
          explanationEnglish: "reported below this share")
      ]),
    Rule(
      code: ConductCode.restrictedFundUnused, titleChinese: "定向资金长期未使用",
      titleEnglish: "restricted money unused for long",
      explanationChinese: "定向基金若干个月以前收到的钱，至今仍有较大比例没有用出去",
      explanationEnglish:
        "a large share of the money a restricted fund received some months ago is still unspent",
      parameters: [
        Parameter(
          key: "months", keyPath: \.unusedMonths, range: 1...120, unitChinese: "个月",
          unitEnglish: "months", explanationChinese: "看这么多个月以前收到的钱",
          explanationEnglish: "looks at money received this many months ago or earlier"),
        Parameter(
          key: "sharePercentMax", keyPath: \.unusedSharePercentMax, range: 0...100,
          unitChinese: "百分比", unitEnglish: "percent",
          explanationChinese: "其中未使用的超过这个比例即报告",
          explanationEnglish: "reported when more than this share of it is unspent"),
      ]),
  ]
}

/// The stable codes of conduct findings (`AuditFinding.code`).
public enum ConductCode {
  public static let splitRequest = "split-request"
  public static let duplicateReference = "duplicate-reference"
  public static let allocationInTransit = "allocation-in-transit"
  public static let approvedUnpaid = "approved-unpaid"
  public static let paymentBeforeApproval = "payment-before-approval"
  public static let approverNotInOffice = "approver-not-in-office"
  public static let restrictedPurposeMismatch = "restricted-purpose-mismatch"
  public static let sameNameSeparateRoles = "same-name-separate-roles"
  public static let unusualAmount = "unusual-amount"
  public static let roundNumberCluster = "round-number-cluster"
  public static let lateEntry = "late-entry"
  public static let statementMissing = "statement-missing"
  public static let adminCostShare = "admin-cost-share"
  public static let charitableSpendingShare = "charitable-spending-share"
  public static let restrictedFundUnused = "restricted-fund-unused"

  /// Every conduct code, in the order the rules are described.
  public static var all: [String] { ConductRuleCatalog.rules.map(\.code) }
}
