// The transparency-log layer is part of AlmonerKit's interface: its hashes,
// keys, proofs and JSON values appear in the ledger's API.
@_exported import AlmonerLog
