import Foundation
import Testing

@testable import AlmonerBooks
@testable import AlmonerKit
@testable import AlmonerStore

@Suite("Audit: the conduct rules file")
struct ConductRulesTests {
  @Test("the canonical JSON names every rule and parameter and reads back equal")
  func roundTrip() throws {
    let json = ConductRules.defaults.json
    guard case .object(let object) = json else {
      Issue.record("not an object")
      return
    }
    #expect(object.keys == ConductCode.all)
    #expect(try ConductRules(json: json) == .defaults)
    let changed = try ConductRules(
      json: [
        "split-request": ["windowDays": 14, "similarPurposePercent": 90],
        "round-number-cluster": ["enabled": false],
      ])
    #expect(changed != .defaults)
    #expect(!changed.isEnabled("round-number-cluster"))
    #expect(changed.isEnabled("split-request"))
    #expect(try ConductRules(json: changed.json) == changed)
    #expect(
      changed.json.objectValue?["split-request"]
        == ["enabled": true, "windowDays": 14, "similarPurposePercent": 90])
    #expect(
      Canonical.encode(changed.json) == Canonical.encode(try ConductRules(json: changed.json).json))
    #expect(try ConductRules(json: [:]) == .defaults)
  }

  @Test(
    "an unknown rule, an unknown parameter, a wrong type or a value out of range is refused, named",
    arguments: [
      (
        ["split-requests": ["windowDays": 3]] as JSONValue,
        "规则文件中的「split-requests」不是已知的规则；已知的规则有：split-request、"
      ),
      (
        ["split-request": ["window": 3]] as JSONValue,
        "规则文件中「split-request」没有参数「window」；它的参数有：enabled、windowDays、similarPurposePercent"
      ),
      (["split-request": ["windowDays": "7"]] as JSONValue, "「split-request.windowDays」应是整数（天）"),
      (
        ["split-request": ["windowDays": 0]] as JSONValue,
        "「split-request.windowDays」为 0，超出范围：应在 1 至 366 之间（天）"
      ),
      (["late-entry": ["enabled": 1]] as JSONValue, "「late-entry」的 enabled 应是 true 或 false"),
      (["late-entry": 5] as JSONValue, "「late-entry」的值应是一个 JSON 对象"),
      ([1, 2] as JSONValue, "规则文件应是一个 JSON 对象"),
    ])
  func refused(json: JSONValue, message: String) {
    #expect {
      _ = try ConductRules(json: json)
    } throws: { error in
      guard let error = error as? AlmonerError else { return false }
      return error.kind == .badInput && error.message.contains(message)
    }
  }

  @Test("describe names each rule, its parameters, values and defaults, in Chinese and English")
  func describe() throws {
    let rules = try ConductRules(
      json: ["split-request": ["windowDays": 14], "late-entry": ["enabled": false]])
    let chinese = rules.describe(english: false)
    for code in ConductCode.all { #expect(chinese.contains(code)) }
    #expect(chinese.hasPrefix("行为规范规则及其参数"))
    #expect(chinese.contains("split-request  拆分申请规避审批（开启）"))
    #expect(chinese.contains("    windowDays = 14（天；默认 7）：相隔不超过这么多天的申请算作一组"))
    #expect(chinese.contains("late-entry  补记过久（关闭）"))
    #expect(chinese.contains("admin-cost-share  管理费用占比过高（开启）"))
    #expect(chinese.contains("sharePercentMax = 10（百分比；默认 10）"))
    let english = rules.describe(english: true)
    #expect(
      english.contains("split-request  requests split to stay under an approval threshold (on)"))
    #expect(
      english.contains(
        "    windowDays = 14 (days; default 7): requests at most this many days apart form one group"
      ))
    #expect(english.contains("late-entry  entries dated long before they were recorded (off)"))
  }
}

@Suite("Audit: purpose words")
struct PurposeWordsTests {
  @Test("Chinese runs give adjacent pairs, Latin runs words; shared words and similarity")
  func words() {
    let fund = PurposeWords("社区老年人助餐", "Meals").words
    #expect(fund == ["社区", "区老", "老年", "年人", "人助", "助餐", "meals"])
    #expect(PurposeWords("书").words == ["书"])
    #expect(PurposeWords("老年食堂采购食材").shared(with: PurposeWords("社区老年人助餐")) == ["老年"])
    #expect(PurposeWords("采购办公电脑").shared(with: PurposeWords("老年关爱 老年人助餐和探访 助老")) == [])
    #expect(PurposeWords("重阳节慰问老人物资").similarityPercent(to: PurposeWords("重阳节慰问老人物资采购")) == 88)
    #expect(PurposeWords("ＡＢＣ").similarityPercent(to: PurposeWords("abc")) == 100)
  }
}

@Suite("Audit: the conduct rules schema")
struct ConductRulesSchemaTests {
  let schemaPath = packageRoot.appendingPathComponent("Schemas/json/conduct-rules.schema.json").path

  @Test("Schemas/json/conduct-rules.schema.json names the rules, parameters, ranges and defaults")
  func matchesCatalog() throws {
    let schema = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: schemaPath)))
    let properties = try #require(schema.objectValue?["properties"]?.objectValue)
    #expect(properties.keys == ConductCode.all)
    for rule in ConductRuleCatalog.rules {
      let parameters = try #require(
        properties[rule.code]?.objectValue?["properties"]?.objectValue, "\(rule.code)")
      #expect(parameters.keys == ["enabled"] + rule.parameters.map(\.key), "\(rule.code)")
      for parameter in rule.parameters {
        let declared = try #require(parameters[parameter.key]?.objectValue)
        #expect(declared["minimum"]?.integerValue == parameter.range.lowerBound)
        #expect(declared["maximum"]?.integerValue == parameter.range.upperBound)
        #expect(
          declared["default"]?.integerValue
            == ConductRules.defaults[keyPath: parameter.keyPath], "\(rule.code).\(parameter.key)")
      }
    }
  }

  @Test(
    "the canonical rules validate against the schema with Python's jsonschema; an unknown key does not",
    .enabled(if: pythonHasJSONSchema, "needs python3 with jsonschema"))
  func validates() throws {
    let directory = try TemporaryDirectory()
    let changed = try ConductRules(
      json: ["late-entry": ["enabled": false, "daysMax": 60], "split-request": ["windowDays": 3]])
    let documents: [(JSONValue, Bool)] = [
      (ConductRules.defaults.json, true), (changed.json, true), ([:], true),
      (["split-request": ["window": 3]], false), (["no-such-rule": [:]], false),
      (["late-entry": ["daysMax": 0]], false),
    ]
    for (index, (document, valid)) in documents.enumerated() {
      let file = directory.path("rules-\(index).json")
      try Data(Canonical.encode(document)).write(to: URL(fileURLWithPath: file))
      let result = try run(
        which("python3")!,
        [
          "-c",
          "import json,sys,jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2]))); print('valid')",
          schemaPath, file,
        ])
      #expect((result.status == 0) == valid, "\(index): \(result.stderr)")
    }
  }
}
