-- External references of donations (the payment's order or serial number),
-- so that `donate` and `import donations` find a reference already recorded
-- through an index, not by reading every entry. Written with the donation's
-- entry, in the same transaction; rebuilt from the log by the backfill below
-- for ledgers made before this table.
CREATE TABLE donation_ref (
  seq INTEGER PRIMARY KEY NOT NULL REFERENCES entry (seq),
  ref TEXT NOT NULL CHECK (length(ref) > 0)
) STRICT;

CREATE INDEX donation_ref_by_ref ON donation_ref (ref);

INSERT INTO donation_ref (seq, ref)
SELECT seq, json_extract(CAST(canonical AS TEXT), '$.body.ref')
FROM entry
WHERE json_extract(CAST(canonical AS TEXT), '$.kind') = 'donation'
  AND json_extract(CAST(canonical AS TEXT), '$.body.ref') IS NOT NULL;

-- Opening balances (opening.request): money a unit already holds, brought in
-- without its history after approvals like a disbursement's. A request is a
-- row of `disbursement` with kind 'release' (that table's CHECK predates
-- openings) and a row here, with the asset account it brings money into.
CREATE TABLE opening_request (
  id INTEGER PRIMARY KEY NOT NULL REFERENCES disbursement (id),
  account TEXT NOT NULL CHECK (account IN ('assets:bank', 'assets:cash'))
) STRICT;
