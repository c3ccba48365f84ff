/// How a donor's or payee's personal data, kept beside the log, must agree
/// with the entry that commits to it (DESIGN §6): checked when it is
/// written, by `verify ledger`, and in a receipt.
extension DonorPrivate {
  /// The `name` in the personal data, or nil when the data is not a JSON
  /// object with a text `name`.
  public var name: String? {
    // `verify ledger` reads one per donation: the form this program writes,
    // `{"name":"…"}` with nothing escaped, is read without a JSON parse.
    let prefix = Array(#"{"name":""#.utf8)
    let suffix = Array(#""}"#.utf8)
    if personal.count >= prefix.count + suffix.count, personal.starts(with: prefix),
      personal.suffix(suffix.count).elementsEqual(suffix)
    {
      let inner = personal[prefix.count..<(personal.count - suffix.count)]
      if !inner.contains(where: {
        $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 < 0x20
      }) {
        return String(validating: inner, as: UTF8.self)
      }
    }
    return (try? JSONValue.parse(personal))?.objectValue?["name"]?.stringValue
  }
}

/// Why the entry's displayed name is not what `name` should show: the
/// mask of the name (张三 → 张*), or the name itself for a donor who agreed to
/// be named. An organisation's entry shows its full name as named, an
/// anonymous gift shows `匿名`, not named (`DonorType`). Names the field,
/// never the private name. Nil when it agrees, or when the entry shows no
/// name.
func displayedNameProblem(_ entry: Entry, name: String, type: DonorType? = .person) -> String? {
  let whose: String
  let display: String
  var named = false
  switch entry.body {
  case .donation(let donation):
    whose = "捐赠人"
    display = donation.donor.display
    named = donation.donor.named
    switch type {
    case nil:
      return "\(whose)私密信息中的捐赠人类型（type）不是 person、organisation 或 anonymous"
    case .organisation:
      guard named, display == name else {
        return "\(whose)是单位，记录应以全称署名（named），但显示名「\(display)」与私密信息中的名称不同或未署名"
      }
      return nil
    case .anonymous:
      guard !named, display == DonorType.anonymousDisplay else {
        return "\(whose)是匿名捐赠，记录应显示「\(DonorType.anonymousDisplay)」且不署名，实为「\(display)」"
      }
      return nil
    case .person:
      break
    }
  case .disbursementRequest(let request):
    whose = "收款人"
    display = request.payee.display
  default:
    return nil
  }
  if named {
    guard display == name else {
      return "\(whose)同意署名（named），但记录中的显示名「\(display)」与私密信息中的姓名不同"
    }
  } else {
    let expected = Text.masked(name)
    guard display == expected else {
      return "\(whose)显示名「\(display)」不是私密信息中姓名的遮蔽形式（应为「\(expected)」）"
    }
  }
  return nil
}

/// Why `donor` does not belong to `entry`: it does not open the entry's
/// commitment, its name is empty or holds a character ledger text may not
/// hold, or the entry does not show the name as it should
/// (`displayedNameProblem`). Nil when it belongs.
package func personalDataProblem(_ entry: Entry, _ donor: DonorPrivate, hasher: SHA256) -> String? {
  guard let (whose, claimed, _) = entry.personalDataCommitment else {
    return "有捐赠人私密信息，但该记录不是捐赠，也不是付给个人的支出申请"
  }
  let opened = donor.salt.withUnsafeBytes { salt in
    donor.personal.withUnsafeBytes { personal in hasher.hash(salt, personal) }
  }
  guard opened.constantTimeEquals(claimed) else {
    return "\(whose)私密信息与记录中的承诺值不符（被改动）"
  }
  guard let name = donor.name else { return "\(whose)私密信息不是含姓名（name）的 JSON 对象" }
  if name.isEmpty { return "\(whose)私密信息中的姓名为空" }
  if let refused = Text.firstRefusedCharacter(in: name) {
    return "\(whose)私密信息中的姓名\(Text.refusalDescription(refused))"
  }
  return displayedNameProblem(entry, name: name, type: donor.donorType)
}
