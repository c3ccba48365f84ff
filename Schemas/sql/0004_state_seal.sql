-- Almoner ledger schema, migration 0004: the state seal. Append-only: never
-- edit a shipped migration.
--
-- The projection tables can be edited by anyone who can write the file, and
-- a write that trusted an edited table would get an honest key holder to
-- sign a bad entry. So each commit's author also signs, over
--   "almoner-state/v1\n<ledger id>\n<last seq>\n<last entry hash hex>\n
--    <Merkle root hex>\n<state digest hex>\n",
-- a digest of the projection state after the commit and the Merkle root over
-- every entry; before the next write relies on the tables, the ledger checks
-- them against this seal. One row: the seal of the last commit. It is not
-- part of the published format (outside verifiers read the log itself).
CREATE TABLE state_seal (
  last_seq INTEGER PRIMARY KEY NOT NULL REFERENCES ledger_commit (last_seq),
  version INTEGER NOT NULL,
  tree_root BLOB NOT NULL CHECK (length(tree_root) = 32),
  digest BLOB NOT NULL CHECK (length(digest) = 32),
  -- The digest of each projection table, in a fixed order, so that a
  -- mismatch names the table that differs. Their hash is `digest`.
  components BLOB NOT NULL,
  author TEXT NOT NULL,
  signature BLOB NOT NULL CHECK (length(signature) = 64)
) STRICT;
