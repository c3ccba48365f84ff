// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Almoner",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "almoner", targets: ["almoner"]),
    .library(name: "AlmonerKit", targets: ["AlmonerKit"]),
    .library(name: "AlmonerLog", targets: ["AlmonerLog"]),
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
    // The ledger: entries, rules, the SQLite store (GRDB), reports,
    // statements, receipts.
    .target(
      name: "AlmonerKit",
      dependencies: [
        "AlmonerLog",
        .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's C interface, for the verifier's reading thread
        // (Ledger/EntryRowReader.swift); GRDB itself links it.
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
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
    .testTarget(
      name: "AlmonerKitTests",
      dependencies: [
        "AlmonerKit",
        "AlmonerLog",
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
