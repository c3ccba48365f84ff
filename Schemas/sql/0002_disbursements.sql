-- Almoner ledger schema, migration 0002: three-tier supervision — the
-- approval policy, disbursement requests, releases of restricted money and
-- reconciliations. Append-only: never edit a shipped migration.
--
-- Every table here is a projection that `almoner verify ledger` rebuilds from
-- the log and compares.

-- What a restricted fund pays for (fund.open body `category`). NULL for a
-- general fund, and for a restricted fund opened without one: its category
-- is then derived from its purpose text.
ALTER TABLE fund ADD COLUMN category TEXT CHECK (category IS NULL OR restricted = 1);

-- Every version of the approval policy, one row per policy.set entry. No row:
-- the default policy is in force (see README).
CREATE TABLE approval_policy (
  seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  community_parent_above_fen INTEGER NOT NULL
    CHECK (community_parent_above_fen BETWEEN 0 AND 9007199254740991),
  community_district_above_fen INTEGER NOT NULL
    CHECK (community_district_above_fen BETWEEN 0 AND 9007199254740991),
  street_district_above_fen INTEGER NOT NULL
    CHECK (street_district_above_fen BETWEEN 0 AND 9007199254740991),
  community_approvals INTEGER NOT NULL CHECK (community_approvals BETWEEN 1 AND 5),
  street_approvals INTEGER NOT NULL CHECK (street_approvals BETWEEN 1 AND 5),
  district_approvals INTEGER NOT NULL CHECK (district_approvals BETWEEN 1 AND 5),
  CHECK (community_parent_above_fen <= community_district_above_fen)
) STRICT;

-- Disbursement requests (kind 'payment') and requests to release restricted
-- money to the unit's general fund (kind 'release'). id = seq of the request.
-- required_* are the approvers each tier must give, fixed by the policy in
-- force at the request (policy_seq; NULL = the default policy).
CREATE TABLE disbursement (
  id INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  kind TEXT NOT NULL CHECK (kind IN ('payment', 'release')),
  unit TEXT NOT NULL REFERENCES unit (code),
  fund TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 9007199254740991),
  category TEXT,
  purpose TEXT NOT NULL CHECK (length(purpose) > 0),
  payee TEXT,
  payee_person INTEGER NOT NULL CHECK (payee_person IN (0, 1)),
  requester TEXT NOT NULL REFERENCES member_key (key_id),
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  policy_seq INTEGER REFERENCES approval_policy (seq),
  required_community INTEGER NOT NULL CHECK (required_community >= 0),
  required_street INTEGER NOT NULL CHECK (required_street >= 0),
  required_district INTEGER NOT NULL CHECK (required_district >= 0),
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'paid', 'rejected', 'cancelled')),
  approved_seq INTEGER REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  settled_seq INTEGER REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  reason TEXT,
  FOREIGN KEY (unit, fund) REFERENCES fund (unit, code),
  CHECK ((kind = 'payment') = (payee IS NOT NULL AND category IS NOT NULL)),
  CHECK ((status IN ('pending', 'approved')) = (settled_seq IS NULL)),
  CHECK (status NOT IN ('approved', 'paid') OR approved_seq IS NOT NULL),
  CHECK (status <> 'pending' OR approved_seq IS NULL)
) STRICT;

CREATE INDEX disbursement_by_unit ON disbursement (unit, status);

-- One row per approval; tier is where it counts (the approver's highest
-- grant among the paying unit and its ancestors).
CREATE TABLE disbursement_approval (
  seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  request_id INTEGER NOT NULL REFERENCES disbursement (id),
  key_id TEXT NOT NULL REFERENCES member_key (key_id),
  tier TEXT NOT NULL CHECK (tier IN ('district', 'street', 'community')),
  UNIQUE (request_id, key_id)
) STRICT;

-- Files attached to a request. The file itself is kept, named by its
-- SHA-256, in the folder `<ledger file>.attachments/` beside the ledger.
CREATE TABLE disbursement_attachment (
  request_id INTEGER NOT NULL REFERENCES disbursement (id),
  position INTEGER NOT NULL CHECK (position >= 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  name TEXT NOT NULL CHECK (length(name) > 0),
  byte_count INTEGER NOT NULL CHECK (byte_count >= 0),
  PRIMARY KEY (request_id, position)
) STRICT;

-- Balance assertions: the unit's bank (or cash) balance across its funds at
-- the end of as_of agreed with the statement. Nothing may be posted to the
-- account on or before the latest as_of afterwards.
CREATE TABLE reconciliation (
  seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED,
  unit TEXT NOT NULL REFERENCES unit (code),
  account TEXT NOT NULL CHECK (account IN ('assets:bank', 'assets:cash')),
  as_of TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  balance_fen INTEGER NOT NULL CHECK (balance_fen BETWEEN 0 AND 9007199254740991)
) STRICT;
