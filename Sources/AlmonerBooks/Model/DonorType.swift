/// Who gave: a person, an organisation, or someone who gave anonymously
/// (DESIGN §6). The type is part of the donor's committed personal data
/// (`{"name":…,"type":…}`), never a field of the published donation body, so
/// donation entries keep the format of version 1:
///
/// | type | `display` | `named` | personal data |
/// | --- | --- | --- | --- |
/// | person | the mask (张*), or the name with `--named` | as given | `{"name":"张三"}` |
/// | organisation | the full name | true | `{"name":"…","type":"organisation"}` |
/// | anonymous | `匿名` | false | `{"name":"…","type":"anonymous"}` |
///
/// A person's personal data stays `{"name":…}` as before, so old ledgers and
/// receipts verify unchanged.
public enum DonorType: String, Sendable, CaseIterable {
  case person
  case organisation
  case anonymous

  /// What an anonymous gift shows instead of a name.
  public static let anonymousDisplay = "匿名"

  public var displayName: String {
    switch self {
    case .person: "个人"
    case .organisation: "单位"
    case .anonymous: "匿名"
    }
  }

  /// Reads a type from its code or a Chinese word for it: 个人; 单位, 机构,
  /// 组织, 企业, 公司; 匿名. Nil when it is none of them.
  public init?(label: String) {
    let wanted = Text.nfc(label.trimmingWhitespace()).lowercased()
    switch wanted {
    case "person", "individual", "个人", "自然人": self = .person
    case "organisation", "organization", "org", "company", "单位", "机构", "组织", "企业", "公司", "法人":
      self = .organisation
    case "anonymous", "匿名", "匿名捐赠": self = .anonymous
    default: return nil
    }
  }

  /// `init(label:)`, or a message naming `field` and what is allowed.
  public static func parse(_ text: String, field: String) throws(AlmonerError) -> DonorType {
    guard let type = DonorType(label: text) else {
      throw .refused(.donorTypeInvalid(field: field, value: text))
    }
    return type
  }
}

extension DonorPrivate {
  /// Fresh salt for a donor of `type`. A person's data is `{"name":…}`, as
  /// it always was; the other types say what they are.
  public init(name: String, type: DonorType) {
    guard type != .person else {
      self.init(name: name)
      return
    }
    self.init(
      salt: SecureRandom.bytes(count: DonorPrivate.saltByteCount),
      personal: Canonical.encode(.object(["name": .string(name), "type": .string(type.rawValue)])))
  }

  /// The donor type the personal data states: `person` when it states none
  /// (data written before types existed), nil when it states one this
  /// program does not know.
  public var donorType: DonorType? {
    // The common case, a person's `{"name":"…"}` with nothing escaped, needs
    // no JSON parse (`verify ledger` reads one per donation).
    let prefix = Array(#"{"name":""#.utf8)
    if personal.count > prefix.count + 1, personal.starts(with: prefix),
      personal.suffix(2).elementsEqual(#""}"#.utf8),
      !personal[prefix.count..<(personal.count - 2)].contains(where: {
        $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"")
      })
    {
      return .person
    }
    guard let object = (try? JSONValue.parse(personal))?.objectValue else { return nil }
    guard let type = object["type"] else { return .person }
    guard let text = type.stringValue else { return nil }
    return DonorType(rawValue: text)
  }
}
