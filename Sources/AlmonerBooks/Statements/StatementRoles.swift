import Foundation

/// Which roles let a key sign a statement of a unit.
package enum StatementRoles {
  /// The role proofs among `proofs` that let their key sign as `role` a
  /// statement of `unit` (whose lineage, nearest first, is `lineage`): a
  /// treasurer of the unit or an admin of it or above; a supervisor of it
  /// or above.
  package static func proofs(
    _ proofs: [StatementCatalogue.RoleProof], role: Statement.Signature.Role, unit: String,
    lineage: [String]
  ) -> [StatementCatalogue.RoleProof] {
    proofs.filter { proof in
      switch role {
      case .treasurer:
        (proof.role == .treasurer && proof.unit == unit)
          || (proof.role == .admin && lineage.contains(proof.unit))
      case .supervisor:
        proof.role == .supervisor && lineage.contains(proof.unit)
      }
    }
  }
}
