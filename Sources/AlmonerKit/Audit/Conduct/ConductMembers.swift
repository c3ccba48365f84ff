/// Members as the conduct rules see them: persons (a rotated key stays the
/// same person), their roles with the date each was given, and
/// `same-name-separate-roles`.
extension ConductAuditor {
  mutating func visitGrant(_ entry: Entry, _ body: MemberGrantBody) {
    if personOfKey[body.keyID] == nil {
      personOfKey[body.keyID] = body.keyID
      let key = LedgerState.nameComparisonKey(body.name)
      persons[body.keyID] = ConductPerson(name: body.name, nameKey: key)
      personsByName[key, default: []].append(body.keyID)
    }
    guard let person = personOfKey[body.keyID] else { return }
    let grant = ConductGrant(unit: body.unit, role: body.role, date: entry.date, seq: entry.seq)
    persons[person]?.grants.append(grant)
    if body.role == .treasurer || body.role == .approver {
      checkSameName(person: person, grant: grant)
    }
  }

  mutating func visitRevoke(_ body: MemberRevokeBody) {
    guard let person = personOfKey[body.keyID] else { return }
    // A person holds one usable key at a time: revoking it ends their roles.
    persons[person]?.grants.removeAll()
    voidApprovals(by: body.keyID)
  }

  mutating func visitRotate(_ body: MemberRotateBody) {
    guard let person = personOfKey[body.keyID] else { return }
    personOfKey[body.newKeyID] = person
    if body.compromised { voidApprovals(by: body.keyID) }
  }

  /// The approver grants of `person` that cover `unit` (on it or a unit
  /// above), earliest first.
  func approverGrants(of person: String, covering unit: String) -> [ConductGrant] {
    let lineage = Set(lineage(of: unit).map { units[$0].code })
    return (persons[person]?.grants ?? []).filter {
      $0.role == .approver && lineage.contains($0.unit)
    }.sorted { ($0.date, $0.seq) < ($1.date, $1.seq) }
  }

  /// The tier at which `person`'s approval of a request by `unit` counts:
  /// the highest unit among `unit` and those above where they approve.
  func approverTier(of person: String, for unit: String) -> Tier? {
    approverGrants(of: person, covering: unit).compactMap { grant in
      unitIndex[grant.unit].map { units[$0].tier }
    }.min()
  }

  /// Reports a person given treasurer (or approver) duties that another
  /// person of the same name holds the other side of: treasurer of a unit
  /// and approver of it or of a unit above.
  private mutating func checkSameName(person: String, grant: ConductGrant) {
    guard let me = persons[person], let namesakes = personsByName[me.nameKey],
      namesakes.count > 1
    else { return }
    for other in namesakes where other != person {
      for theirs in persons[other]?.grants ?? [] {
        let pair: (treasurer: ConductGrant, approver: ConductGrant)
        let people: (treasurer: String, approver: String)
        if grant.role == .treasurer, theirs.role == .approver {
          (pair, people) = ((grant, theirs), (person, other))
        } else if grant.role == .approver, theirs.role == .treasurer {
          (pair, people) = ((theirs, grant), (other, person))
        } else {
          continue
        }
        let covered = lineage(of: pair.treasurer.unit).contains {
          units[$0].code == pair.approver.unit
        }
        guard covered else { continue }
        let mark = "\(people.treasurer)|\(people.approver)|\(pair.treasurer.unit)"
        guard !reportedNamePairs.contains(mark) else { continue }
        reportedNamePairs.insert(mark)
        guard inScope([pair.treasurer.unit, pair.approver.unit]), judged(grant.date) else {
          continue
        }
        let treasurerName = persons[people.treasurer]?.name ?? people.treasurer
        let approverName = persons[people.approver]?.name ?? people.approver
        report(
          ConductCode.sameNameSeparateRoles, .warning,
          units: [pair.treasurer.unit, pair.approver.unit].uniqued(),
          seqs: [pair.treasurer.seq, pair.approver.seq],
          "\(unitLabel(pair.treasurer.unit))的记账员「\(treasurerName)」（\(people.treasurer)，记录 #\(pair.treasurer.seq) 任命）与\(unitLabel(pair.approver.unit))的审批人「\(approverName)」（\(people.approver)，记录 #\(pair.approver.seq) 任命）姓名相同：记账和审批是不相容职务，须由两个人担任；请核实二人确非同一人",
          "The treasurer of \(unitLabelEnglish(pair.treasurer.unit)), \(treasurerName) (\(people.treasurer), appointed in entry #\(pair.treasurer.seq)), and the approver of \(unitLabelEnglish(pair.approver.unit)), \(approverName) (\(people.approver), appointed in entry #\(pair.approver.seq)), have the same name: keeping the books and approving are duties two people must hold; check that they are not one person"
        )
      }
    }
  }
}

extension Array where Element: Hashable {
  /// The elements in order, each once.
  func uniqued() -> [Element] {
    var seen: Set<Element> = []
    return filter { seen.insert($0).inserted }
  }
}
