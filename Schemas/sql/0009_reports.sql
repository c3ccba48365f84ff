-- Almoner ledger schema, migration 0009: indexes that let reports read only
-- the entries they need. Append-only: never edit a shipped migration.
--
-- Both are indexes on the entries' own canonical bytes, not tables: SQLite
-- derives every key from `canonical` and keeps it in step with each insert,
-- so nothing here can say anything the signed bytes don't. A report uses
-- them only to skip entries; it still decodes, and where it publishes, checks
-- against its hash, every entry it reads.
--
-- Donations (nearly every entry of a real ledger) by unit and accounting
-- date: a community's month, or all of a unit's gifts up to a statement's
-- end, is a range of this index.
CREATE INDEX entry_donation_by_unit_date
ON entry (
  json_extract(CAST(canonical AS TEXT), '$.body.unit'),
  json_extract(CAST(canonical AS TEXT), '$.date')
)
WHERE json_extract(CAST(canonical AS TEXT), '$.kind') = 'donation';

-- Every other entry by accounting date: the few entries whose units can
-- only be told by reading them (allocations, disbursement steps, reversals,
-- grants) are read by date, never the donations of other units.
CREATE INDEX entry_other_by_date
ON entry (json_extract(CAST(canonical AS TEXT), '$.date'))
WHERE json_extract(CAST(canonical AS TEXT), '$.kind') <> 'donation';
