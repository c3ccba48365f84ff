// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Almoner",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "almoner", targets: ["almoner"]),
    .library(name: "AlmonerKit", targets: ["AlmonerKit"]),
    .library(name: "AlmonerLog", targets: ["AlmonerLog"]),
    // The domain without SQLite: an outside verifier of receipts and
    // statements links this and AlmonerLog only.
    .library(name: "AlmonerBooks", targets: ["AlmonerBooks"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    .systemLibrary(
      name: "COpenSSL",
      pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]
    ),
    // The transparency log: SHA-256 and Ed25519 (OpenSSL), RFC 8785 JSON,
    // Merkle trees and proofs (RFC 9162), signed notes, checkpoints and
    // tlog-tiles. Everything an offline verifier needs from cryptography;
    // no SQLite.
    .target(
      name: "AlmonerLog",
      dependencies: ["COpenSSL"]
    ),
    // The domain: typed entries and their reader and writer, money, dates,
    // members, supervision, the ledger state and its pure rules, the state
    // seal, statements and receipts with their offline verifiers, rendering,
    // text policy. Depends on the log only: no GRDB, no SQLite.
    .target(
      name: "AlmonerBooks",
      dependencies: ["AlmonerLog"]
    ),
    // The store: all SQL. Migrations and the schema check, one record type
    // per table, strict reads, entry range queries and the verifier's row
    // reader.
    .target(
      name: "AlmonerStore",
      dependencies: [
        "AlmonerBooks",
        .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's C interface, for the verifier's reading thread
        // (Reads/EntryRowReader.swift); GRDB itself links it.
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]
    ),
    // The ledger facade: `Ledger` and its operations, verification,
    // transparency and publication, reports, statements' creation and
    // publication, audit, import and export. Re-exports AlmonerLog and
    // AlmonerBooks, so `import AlmonerKit` is all a client needs.
    .target(
      name: "AlmonerKit",
      dependencies: [
        "AlmonerLog",
        "AlmonerBooks",
        "AlmonerStore",
        // For the `Database` a read or write runs in; the SQL is the store's.
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .executableTarget(
      name: "almoner",
      dependencies: [
        "AlmonerKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "almoner-bench",
      dependencies: [
        "AlmonerKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Proof that the offline verifiers build and work without GRDB: these
    // tests link only the domain and the log.
    .testTarget(
      name: "AlmonerBooksTests",
      dependencies: ["AlmonerBooks", "AlmonerLog"]
    ),
    .testTarget(
      name: "AlmonerKitTests",
      dependencies: [
        "AlmonerKit",
        "AlmonerLog",
        "AlmonerBooks",
        "AlmonerStore",
        "almoner-bench",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .testTarget(
      name: "AlmonerCLITests",
      dependencies: ["AlmonerKit", "AlmonerLog", "almoner", "almoner-bench"]
    ),
  ]
)
