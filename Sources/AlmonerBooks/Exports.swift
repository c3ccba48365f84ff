// The transparency-log layer is part of the domain's interface: its hashes,
// keys, proofs and JSON values appear in entries, receipts and statements.
@_exported import AlmonerLog
