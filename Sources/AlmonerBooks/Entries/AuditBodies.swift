/// `audit` (监督审计): a supervisor ran `almoner audit` over a unit's
/// subtree and period and signs what it found into the log, so residents
/// can see that an audit happened and what it found. Mirrors `$defs/auditBody`.
///
/// The report itself is not in the log (it quotes names and amounts); its
/// SHA-256 is, with the rules' hash and each finding's code and entries.
public struct AuditBody: Sendable {
  /// Every finding of the report (may be more than `findings` lists).
  public var findingCount: Int64
  /// The findings' codes and entry seqs, in the report's order; nil when
  /// the audit found nothing.
  public var findings: [Finding]?
  /// The first accounting date of the period audited; nil: from the start.
  public var from: AccountingDate?
  /// SHA-256 of the report's canonical JSON (`almoner audit --format json`
  /// without its `recorded` member).
  public var report: Hash32
  /// SHA-256 of the conduct rules' canonical JSON.
  public var rules: Hash32
  /// The last accounting date of the period audited; nil: up to the audit.
  public var to: AccountingDate?
  /// The unit whose subtree was audited (the district: the whole ledger).
  public var unit: String

  /// One finding as the log keeps it: its code and the entries it names.
  public struct Finding: Sendable, Equatable {
    public var code: String
    /// Ascending; nil when the finding names no entry (a table, the schema).
    public var seqs: [Int64]?

    public init(code: String, seqs: [Int64]?) {
      self.code = code
      self.seqs = seqs
    }

    enum Key: Int, EntryFieldKey {
      case code, seqs
      var spelling: StaticString {
        switch self {
        case .code: "code"
        case .seqs: "seqs"
        }
      }
    }
  }

  /// Most findings one audit entry lists; `findingCount` says how many there were.
  public static let findingsMax = 256
  /// Most seqs listed per finding.
  public static let seqsPerFindingMax = 16
  /// Longest finding code.
  public static let codeLengthMax = 64

  public init(
    findingCount: Int64, findings: [Finding]?, from: AccountingDate?, report: Hash32,
    rules: Hash32, to: AccountingDate?, unit: String
  ) {
    self.findingCount = findingCount
    self.findings = findings
    self.from = from
    self.report = report
    self.rules = rules
    self.to = to
    self.unit = unit
  }

  enum Key: Int, EntryFieldKey {
    case findingCount, findings, from, report, rules, to, unit
    var spelling: StaticString {
      switch self {
      case .findingCount: "findingCount"
      case .findings: "findings"
      case .from: "from"
      case .report: "report"
      case .rules: "rules"
      case .to: "to"
      case .unit: "unit"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> AuditBody {
    var findingCount: Int64?
    var findings: [Finding]?
    var from: AccountingDate?
    var report: Hash32?
    var rules: Hash32?
    var to: AccountingDate?
    var unit: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .findingCount: findingCount = try reader.integer()
      case .findings:
        var items: [Finding] = []
        try reader.readArray(countMax: AuditBody.findingsMax) { reader throws(EntryFormatError) in
          var code: String?
          var seqs: [Int64]?
          try reader.readObject(Finding.Key.self) { reader, key throws(EntryFormatError) in
            switch key {
            case .code: code = try reader.string()
            case .seqs:
              var list: [Int64] = []
              try reader.readArray(countMax: AuditBody.seqsPerFindingMax) {
                reader throws(EntryFormatError) in list.append(try reader.integer())
              }
              seqs = list
            }
          }
          items.append(Finding(code: try reader.required(code, Finding.Key.code), seqs: seqs))
        }
        findings = items
      case .from: from = try reader.date()
      case .report: report = try reader.hash()
      case .rules: rules = try reader.hash()
      case .to: to = try reader.date()
      case .unit: unit = try reader.string()
      }
    }
    return AuditBody(
      findingCount: try reader.required(findingCount, Key.findingCount), findings: findings,
      from: from, report: try reader.required(report, Key.report),
      rules: try reader.required(rules, Key.rules), to: to,
      unit: try reader.required(unit, Key.unit))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.findingCount, first: &first)
    out.writeInteger(findingCount)
    if let findings {
      out.key(Key.findings, first: &first)
      out.put(UInt8(ascii: "["))
      for (index, finding) in findings.enumerated() {
        if index > 0 { out.put(UInt8(ascii: ",")) }
        var inner = true
        out.key(Finding.Key.code, first: &inner)
        out.writeString(finding.code)
        if let seqs = finding.seqs {
          out.key(Finding.Key.seqs, first: &inner)
          out.put(UInt8(ascii: "["))
          for (position, seq) in seqs.enumerated() {
            if position > 0 { out.put(UInt8(ascii: ",")) }
            out.writeInteger(seq)
          }
          out.put(UInt8(ascii: "]"))
        }
        out.endObject(first: inner)
      }
      out.put(UInt8(ascii: "]"))
    }
    if let from {
      out.key(Key.from, first: &first)
      out.writeString(from.text)
    }
    out.key(Key.report, first: &first)
    out.writeHash(report)
    out.key(Key.rules, first: &first)
    out.writeHash(rules)
    if let to {
      out.key(Key.to, first: &first)
      out.writeString(to.text)
    }
    out.key(Key.unit, first: &first)
    out.writeString(unit)
    out.endObject(first: first)
  }

  /// The checks the types can't express; `seq` is the audit entry's own.
  func validate(seq: Int64) throws(AlmonerError) {
    let path = EntryKind.audit.rawValue
    let listed = findings ?? []
    guard findingCount >= Int64(listed.count) else {
      throw BodyCheck.fail("\(path).\(Key.findingCount.text)", "不能少于列出的发现数 \(listed.count)")
    }
    if let from, let to, from > to {
      throw BodyCheck.fail("\(path).\(Key.from.text)", "晚于 \(Key.to.text)（\(to)）")
    }
    for (index, finding) in listed.enumerated() {
      let item = "\(path).\(Key.findings.text)[\(index)]"
      let code = finding.code
      guard !code.isEmpty, code.utf8.count <= AuditBody.codeLengthMax,
        code.utf8.allSatisfy({
          ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D
        })
      else {
        throw BodyCheck.fail(
          "\(item).\(Finding.Key.code.text)", "应为小写字母、数字和连字符（最多 \(AuditBody.codeLengthMax) 个）")
      }
      let seqs = finding.seqs ?? []
      for (position, value) in seqs.enumerated() {
        guard value >= 0, value < seq, position == 0 || seqs[position - 1] < value else {
          throw BodyCheck.fail(
            "\(item).\(Finding.Key.seqs.text)", "应为本记录之前的序号，从小到大、不重复")
        }
      }
    }
  }
}

/// `audit.note` (审计说明): a supervisor answers what an audit found — a
/// finding explained, followed up or closed. Mirrors `$defs/auditNoteBody`.
public struct AuditNoteBody: Sendable {
  /// The seq of the `audit` entry answered.
  public var audit: Int64
  /// The answer, in the supervisor's words.
  public var text: String

  public init(audit: Int64, text: String) {
    self.audit = audit
    self.text = text
  }

  enum Key: Int, EntryFieldKey {
    case audit, text
    var spelling: StaticString {
      switch self {
      case .audit: "audit"
      case .text: "text"
      }
    }
  }

  static func read(_ reader: inout EntryReader) throws(EntryFormatError) -> AuditNoteBody {
    var audit: Int64?
    var text: String?
    try reader.readObject(Key.self) { reader, key throws(EntryFormatError) in
      switch key {
      case .audit: audit = try reader.integer()
      case .text: text = try reader.string()
      }
    }
    return AuditNoteBody(
      audit: try reader.required(audit, Key.audit), text: try reader.required(text, Key.text))
  }

  func write(to out: inout CanonicalWriter) {
    var first = true
    out.key(Key.audit, first: &first)
    out.writeInteger(audit)
    out.key(Key.text, first: &first)
    out.writeString(text)
    out.endObject(first: first)
  }

  func validate() throws(AlmonerError) {
    try BodyCheck.seq(audit, "\(EntryKind.auditNote.rawValue).\(Key.audit.text)")
    try BodyCheck.displayText(text, "\(EntryKind.auditNote.rawValue).\(Key.text.text)")
  }
}
