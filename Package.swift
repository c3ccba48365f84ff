// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Almoner",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "almoner", targets: ["almoner"]),
    .library(name: "AlmonerKit", targets: ["AlmonerKit"]),
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
    .target(
      name: "AlmonerKit",
      dependencies: [
        "COpenSSL",
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
    .testTarget(
      name: "AlmonerKitTests",
      dependencies: [
        "AlmonerKit",
        "almoner-bench",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .testTarget(
      name: "AlmonerCLITests",
      dependencies: ["AlmonerKit", "almoner", "almoner-bench"]
    ),
  ]
)
