-- Almoner ledger schema, migration 0003: the Merkle tree over entry hashes,
-- checkpoints and their cosignatures. Append-only: never edit a shipped
-- migration. (0002 is the disbursement schema.)

-- Complete subtree roots of the RFC 9162 tree over entry hashes, every
-- fourth level (4, 8, 12, ...): node (level, idx) is the root over entries
-- [idx * 2^level, (idx + 1) * 2^level). Level 0 is the entry table's hash
-- column; levels in between are recomputed when a proof needs them.
-- A projection: `verify ledger` rebuilds and compares it.
CREATE TABLE merkle_node (
  level INTEGER NOT NULL CHECK (level > 0 AND level % 4 = 0),
  idx INTEGER NOT NULL CHECK (idx >= 0),
  hash BLOB NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- Checkpoints the ledger signed (projection of `checkpoint` entries): the
-- tree over the tree_size entries before the checkpoint entry itself.
CREATE TABLE checkpoint (
  seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
  root BLOB NOT NULL CHECK (length(root) = 32),
  note TEXT NOT NULL
) STRICT;

-- Supervisors' cosignatures of checkpoints (projection of
-- `checkpoint.cosign` entries): one per checkpoint and key.
CREATE TABLE cosignature (
  seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  checkpoint_seq INTEGER NOT NULL REFERENCES checkpoint (seq),
  key_id TEXT NOT NULL,
  line TEXT NOT NULL,
  UNIQUE (checkpoint_seq, key_id)
) STRICT;
