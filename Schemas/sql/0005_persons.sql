-- Almoner ledger schema, migration 0005: the person behind each key, and
-- approvals that stopped counting. Append-only: never edit a shipped
-- migration.
--
-- Both columns are projections that `almoner verify ledger` rebuilds from
-- the log and compares.

-- The person holding a key: the key id of the first key that person was
-- granted with. A `member.rotate` entry gives the new key the old key's
-- person. Every key written before this migration is its person's first.
-- Never NULL once written (the program refuses to read a NULL).
ALTER TABLE member_key ADD COLUMN person_id TEXT
  REFERENCES member_key (key_id) DEFERRABLE INITIALLY DEFERRED;
UPDATE member_key SET person_id = key_id;

-- Seq of the member.revoke (or member.rotate marked compromised) that took
-- the approver's key away before the request was paid: the approval no
-- longer counts from then on. NULL while it counts.
ALTER TABLE disbursement_approval ADD COLUMN voided_seq INTEGER
  REFERENCES entry (seq) DEFERRABLE INITIALLY DEFERRED
  CHECK (voided_seq IS NULL OR voided_seq > seq);
