@_exported import AlmonerBooks
// The transparency-log layer and the domain are part of AlmonerKit's
// interface: their hashes, keys, proofs, JSON values, entries, money and
// statements appear in the ledger's API. The store is not: its
// declarations are `package`, for the facade alone.
@_exported import AlmonerLog

/// GRDB names a `Statement` and Foundation a `Unit`; in this module the
/// names mean the ledger's.
public typealias Statement = AlmonerBooks.Statement
public typealias Unit = AlmonerBooks.Unit
