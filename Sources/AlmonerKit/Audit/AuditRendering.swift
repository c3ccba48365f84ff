/// The audit report as a supervisor reads it (grouped by severity, then by
/// unit; Chinese, or English with `--lang en`) and as JSON
/// (Schemas/json/audit.schema.json), whose hash the `audit` entry records.
extension AuditReport {
  /// The report as JSON, without `recorded`: the bytes the `audit` entry's
  /// `report` hash covers (their canonical encoding).
  public var json: JSONValue {
    func text(_ hash: Hash32?) -> JSONValue { hash.map { .string($0.hex) } ?? .null }
    var counts: JSONObject = [:]
    for severity in AuditFinding.Severity.allCases {
      counts[severity.rawValue] = .integer(Int64(findings.filter { $0.severity == severity }.count))
    }
    return .object([
      "ledger": text(ledgerID),
      "origin": .string(origin),
      "unit": .string(unit),
      "wholeLedger": .bool(scope.unit == nil),
      "from": scope.from.map { .string($0.text) } ?? .null,
      "to": scope.to.map { .string($0.text) } ?? .null,
      "asOf": .string(asOf.text),
      "entryCount": .integer(entryCount),
      "headHash": text(headHash),
      "treeRoot": text(treeRoot),
      "rules": .string(rulesHash.hex),
      "clean": .bool(isClean),
      "counts": .object(counts),
      "findings": .array(
        findings.map { finding in
          .object([
            "code": .string(finding.code),
            "severity": .string(finding.severity.rawValue),
            "units": .array(finding.units.map { .string($0) }),
            "seqs": .array(finding.seqs.map { .integer($0) }),
            "table": finding.table.map { .string($0) } ?? .null,
            "message": .string(finding.message),
            "messageEnglish": .string(finding.messageEnglish),
          ])
        }),
    ])
  }

  /// SHA-256 of the canonical JSON report: what `--record` signs into the log.
  public var hash: Hash32 { SHA256.hash(Canonical.encode(json)) }

  /// The report for a supervisor: a heading, then the findings grouped by
  /// severity (most serious first) and, within each, by unit.
  public func text(english: Bool) -> String {
    let unitName = unitNames[unit] ?? unit
    let period: String
    switch (scope.from, scope.to) {
    case (nil, nil): period = english ? "all dates" : "全部期间"
    case (let from?, nil): period = english ? "from \(from)" : "\(from) 起"
    case (nil, let to?): period = english ? "up to \(to)" : "截至 \(to)"
    case (let from?, let to?): period = english ? "\(from) to \(to)" : "\(from) 至 \(to)"
    }
    var out: String
    if english {
      out =
        "Audit of \(scope.unit == nil ? "the whole ledger" : unit), \(period) (\(origin), \(entryCount) entries, as of \(asOf))\n"
    } else {
      out =
        "审计 \(scope.unit == nil ? "全账本" : unitName)，\(period)（账本 \(origin)，共 \(entryCount) 条记录，截至 \(asOf)）\n"
    }
    if findings.isEmpty {
      out += english ? "No findings: the books and the log agree.\n" : "未发现问题：账目与日志一致。\n"
    } else {
      let counts = AuditFinding.Severity.allCases.map { severity in
        let count = findings.filter { $0.severity == severity }.count
        return english ? "\(severity.rawValue) \(count)" : "\(severity.chineseName) \(count)"
      }
      out +=
        english
        ? "\(findings.count) findings: \(counts.joined(separator: ", "))\n"
        : "发现 \(findings.count) 项：\(counts.joined(separator: "、"))\n"
    }
    for severity in AuditFinding.Severity.allCases {
      let group = findings.filter { $0.severity == severity }
      guard !group.isEmpty else { continue }
      out +=
        english
        ? "\n\(severity.rawValue) (\(group.count))\n"
        : "\n\(severity.chineseName)（\(group.count)）\n"
      var units: [String] = []
      for finding in group where !units.contains(finding.units.first ?? "") {
        units.append(finding.units.first ?? "")
      }
      for code in units {
        let heading =
          code.isEmpty
          ? (english ? "whole ledger" : "全账本") : (english ? code : unitNames[code] ?? code)
        out += "  \(heading)\n"
        for finding in group where (finding.units.first ?? "") == code {
          var places: [String] = []
          if !finding.seqs.isEmpty {
            let seqs = finding.seqs.map(String.init).joined(separator: ", ")
            places.append(english ? "entries \(seqs)" : "记录 \(seqs)")
          }
          if let table = finding.table { places.append(english ? "table \(table)" : "表 \(table)") }
          let place =
            places.isEmpty
            ? ""
            : (english
              ? " (\(places.joined(separator: "; ")))" : "（\(places.joined(separator: "；"))）")
          out += "    ✗ [\(finding.code)] \(finding.message(english: english))\(place)\n"
        }
      }
    }
    out += english ? "\nReport hash: \(hash.hex)\n" : "\n报告哈希：\(hash.hex)\n"
    return out
  }
}
