-- Almoner ledger schema, migration 0009: the entry table without the unique
-- index on `hash`. Append-only: never edit a shipped migration.
--
-- Nothing looks an entry up by its hash, and a hash is unique anyway (each
-- covers the one before it). The index cost more than anything else in an
-- append: its keys are random, so every commit of a thousand entries
-- dirtied about a thousand of its pages all over the file, each written
-- to the write-ahead log and synced. `verify ledger` still recomputes every
-- hash from the entry's bytes and checks every link.
--
-- SQLite can't drop a UNIQUE constraint, so the table is rebuilt (the rows
-- are copied unchanged; the migrator turns foreign keys off meanwhile and
-- checks them afterwards).
CREATE TABLE entry_rebuilt (
  seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 0),
  hash BLOB NOT NULL CHECK (length(hash) = 32),
  canonical BLOB NOT NULL CHECK (length(canonical) > 0),
  commit_seq INTEGER NOT NULL REFERENCES ledger_commit (first_seq)
    DEFERRABLE INITIALLY DEFERRED CHECK (commit_seq <= seq)
) STRICT;

INSERT INTO entry_rebuilt (seq, hash, canonical, commit_seq)
  SELECT seq, hash, canonical, commit_seq FROM entry ORDER BY seq;

DROP TABLE entry;

ALTER TABLE entry_rebuilt RENAME TO entry;
