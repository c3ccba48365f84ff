-- Almoner ledger schema, migration 0006: erasures of personal data.
-- Append-only: never edit a shipped migration.

-- Personal data erased on request (projection of `erasure` entries): the
-- entry whose donor_private row was deleted, and the erasure entry that
-- deleted it in the same transaction. `verify ledger` accepts a missing
-- donor_private row only where this table (rebuilt from the log) names it.
CREATE TABLE erasure (
  erased_seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  erasure_seq INTEGER NOT NULL UNIQUE REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK (erasure_seq > erased_seq)
) STRICT;
