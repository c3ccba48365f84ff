-- Almoner ledger schema, migration 0001. Append-only: never edit a shipped
-- migration; add a new file instead.
--
-- The log (ledger_commit, entry) is the source of truth. Every other table
-- except ledger_meta and donor_private is a projection that `almoner verify
-- ledger` rebuilds from the log and compares.

CREATE TABLE ledger_meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;

-- One row per commit: consecutive entries signed together by one author over
-- "almoner-commit/v1\n<ledger id>\n<first seq>\n<last seq>\n<last hash hex>\n".
CREATE TABLE ledger_commit (
  first_seq INTEGER PRIMARY KEY NOT NULL CHECK (first_seq >= 0),
  last_seq INTEGER NOT NULL UNIQUE CHECK (last_seq >= first_seq),
  author TEXT NOT NULL CHECK (author GLOB 'ed25519:[0-9a-f]*' AND length(author) = 24),
  signature BLOB NOT NULL CHECK (length(signature) = 64)
) STRICT;

-- The entries, as the exact canonical bytes that were hashed and signed.
-- hash = SHA-256(0x00 || canonical).
CREATE TABLE entry (
  seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 0),
  hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
  canonical BLOB NOT NULL CHECK (length(canonical) > 0),
  commit_seq INTEGER NOT NULL REFERENCES ledger_commit (first_seq)
    DEFERRABLE INITIALLY DEFERRED CHECK (commit_seq <= seq)
) STRICT;

-- Personal data of donors (DESIGN §6): never hashed, never published.
-- The entry holds SHA-256(salt || personal); erasing a person deletes the row.
CREATE TABLE donor_private (
  seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq),
  salt BLOB NOT NULL CHECK (length(salt) = 32),
  personal BLOB NOT NULL
) STRICT;

-- Projections.

CREATE TABLE unit (
  code TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL CHECK (length(name) > 0),
  tier TEXT NOT NULL CHECK (tier IN ('district', 'street', 'community')),
  parent TEXT REFERENCES unit (code),
  created_seq INTEGER NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK ((tier = 'district') = (parent IS NULL))
) STRICT;

CREATE TABLE member_key (
  key_id TEXT PRIMARY KEY NOT NULL,
  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
  name TEXT NOT NULL,
  revoked_seq INTEGER REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE member_grant (
  key_id TEXT NOT NULL REFERENCES member_key (key_id),
  unit TEXT NOT NULL REFERENCES unit (code),
  role TEXT NOT NULL CHECK (role IN ('admin', 'treasurer', 'approver', 'supervisor')),
  name TEXT NOT NULL,
  granted_seq INTEGER NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  revoked_seq INTEGER REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (key_id, unit, role, granted_seq),
  CHECK (revoked_seq IS NULL OR revoked_seq > granted_seq)
) STRICT;

CREATE TABLE fund (
  unit TEXT NOT NULL REFERENCES unit (code),
  code TEXT NOT NULL,
  name TEXT NOT NULL CHECK (length(name) > 0),
  restricted INTEGER NOT NULL CHECK (restricted IN (0, 1)),
  purpose TEXT,
  opened_seq INTEGER NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (unit, code),
  CHECK ((restricted = 1) = (purpose IS NOT NULL))
) STRICT;

-- Sum of postings (debit positive, fen) per unit, fund, account and
-- accounting date; a balance as of a date is the sum up to it.
CREATE TABLE daily_balance (
  unit TEXT NOT NULL,
  fund TEXT NOT NULL,
  account TEXT NOT NULL,
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  amount_fen INTEGER NOT NULL CHECK (abs(amount_fen) <= 9007199254740991),
  PRIMARY KEY (unit, fund, account, date),
  FOREIGN KEY (unit, fund) REFERENCES fund (unit, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE allocation (
  id INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  from_unit TEXT NOT NULL REFERENCES unit (code),
  to_unit TEXT NOT NULL REFERENCES unit (code),
  fund TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 9007199254740991),
  date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in-transit', 'confirmed', 'voided')),
  settled_seq INTEGER REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK ((status = 'in-transit') = (settled_seq IS NULL)),
  CHECK (from_unit <> to_unit)
) STRICT;

CREATE TABLE reversal (
  reversed_seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  reversing_seq INTEGER NOT NULL UNIQUE REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK (reversing_seq > reversed_seq)
) STRICT;
