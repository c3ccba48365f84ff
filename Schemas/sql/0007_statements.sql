-- Almoner ledger schema, migration 0007: published statements (公示报表).
-- Append-only: never edit a shipped migration.

-- Statements published (projection of `statement.publish` entries): the
-- statement's hash, unit, period and scope, and the published statement a
-- correction supersedes, with the reason. A statement is superseded when a
-- later row names it in `supersedes`.
CREATE TABLE statement_publish (
  seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
  unit TEXT NOT NULL REFERENCES unit (code),
  period TEXT NOT NULL CHECK (length(period) BETWEEN 4 AND 7),
  subtree INTEGER NOT NULL CHECK (subtree IN (0, 1)),
  supersedes BLOB UNIQUE REFERENCES statement_publish (hash),
  reason TEXT,
  CHECK ((supersedes IS NULL) = (reason IS NULL))
) STRICT;

-- The files of the statements published, byte for byte as the publisher
-- gave them (the entry holds only the hash of the statement's body), so
-- that `almoner publish DIR` can put them in the public log. Not part of
-- the log: `verify ledger` checks each row against its entry's hash.
CREATE TABLE statement_file (
  hash BLOB PRIMARY KEY NOT NULL
    REFERENCES statement_publish (hash) DEFERRABLE INITIALLY DEFERRED,
  bytes BLOB NOT NULL
) STRICT;
