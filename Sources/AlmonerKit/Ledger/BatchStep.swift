/// What comes next in a run of commits in one transaction
/// (`Ledger.commitBatches`): a commit's drafts, the end, or the end with
/// nothing to land after all.
enum BatchStep {
  /// The next commit's drafts (never none).
  case commit([EntryDraft])
  /// No more: seal the state after the last commit and commit the
  /// transaction.
  case finish
  /// No more, and roll back every commit made so far.
  case rollBack
}
