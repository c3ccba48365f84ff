-- Almoner ledger schema, migration 0010: indexes that let reports read only
-- the entries they need. Append-only: never edit a shipped migration.
--
-- Both are indexes on the entries' own canonical bytes, not tables: SQLite
-- derives every key from `canonical` and keeps it in step with each insert,
-- so nothing here can say anything the signed bytes don't. A report uses
-- them only to skip entries; it still decodes, and where it publishes, checks
-- against its hash, every entry it reads. Bytes that are not JSON (a file
-- edited outside almoner) index as NULL instead of failing the write, and
-- such an entry is among the "other" entries with no date, which reports
-- still read, so that decoding it names it.
--
-- Donations (nearly every entry of a real ledger) by unit, in seq order (the
-- rowid every index ends with): a community's month, or all of a unit's
-- gifts up to a statement's end, is a run of this index, its dates checked
-- as it is read. Keyed by unit alone, each insert lands at the end of its
-- unit's run, whatever the gift's date: keyed by unit and date, gifts
-- entered out of date order made inserts land all over the index, and
-- appending a million entries took twice as long.
CREATE INDEX entry_donation_by_unit
ON entry (
  CASE WHEN json_valid(CAST(canonical AS TEXT))
    THEN json_extract(CAST(canonical AS TEXT), '$.body.unit') END
)
WHERE CASE WHEN json_valid(CAST(canonical AS TEXT))
    THEN json_extract(CAST(canonical AS TEXT), '$.kind') END = 'donation';

-- Every other entry (and any that is not JSON) by accounting date: the few
-- entries whose units can
-- only be told by reading them (allocations, disbursement steps,
-- reversals, grants) are read by date, never the donations of other units.
CREATE INDEX entry_other_by_date
ON entry (CASE WHEN json_valid(CAST(canonical AS TEXT))
    THEN json_extract(CAST(canonical AS TEXT), '$.date') END)
WHERE CASE WHEN json_valid(CAST(canonical AS TEXT))
    THEN json_extract(CAST(canonical AS TEXT), '$.kind') END IS NOT 'donation';
