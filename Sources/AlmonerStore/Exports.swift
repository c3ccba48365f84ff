// The store reads and writes the domain's types.
@_exported import AlmonerBooks
