// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "Orbis",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orbis", targets: ["orbis"]),
        .library(name: "SiteBuild", targets: ["SiteBuild"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .target(name: "SiteModel", dependencies: ["CSHA256"]),
        .target(name: "CFileOps"),
        .target(name: "SiteIO", dependencies: ["SiteModel", "CFileOps"]),
        .target(name: "SiteMarkdown", dependencies: ["SiteModel", "CCmark"]),
        // ICU's collation (Debian libicu-dev), for sorting text in each language's order.
        .target(name: "CCollation", linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]),
        .target(name: "SiteData", dependencies: ["SiteModel", "CCollation"]),
        .target(name: "SiteLoad", dependencies: ["SiteModel", "SiteIO", "SiteData", "SiteMarkdown", "Yams"]),
        .target(name: "SiteRender", dependencies: ["SiteModel", "SiteData", "SiteMarkdown"]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CSHA256"),
        .target(name: "SiteWrite", dependencies: ["SiteModel", "SiteIO", "CZlib"]),
        .target(name: "SiteCheck", dependencies: ["SiteModel"]),
        .target(name: "CText"),
        .target(name: "SiteSearch", dependencies: ["SiteModel", "CText"]),
        .target(name: "SiteBuild", dependencies: ["SiteSearch", 
            "SiteModel", "SiteIO", "SiteLoad", "SiteRender", "SiteCheck", "SiteWrite",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SiteServer", dependencies: [
            "SiteBuild", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            // For one channel handler in front of Hummingbird's HTTP/1 codec (StrictHTTP1Channel).
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // mimalloc (Debian libmimalloc-dev) replaces the C library's malloc for the whole process: a build makes
        // and frees millions of small strings and arrays on every core (see docs/performance.md).
        .executableTarget(name: "orbis", dependencies: [
            "SiteBuild", "SiteServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [.linkedLibrary("mimalloc")]),
        .testTarget(name: "SiteMarkdownTests", dependencies: ["SiteMarkdown"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SiteLoadTests", dependencies: ["SiteLoad", "SiteIO", "SiteData"]),
        // swift-mustache renders the same templates beside Orbis's renderer, which must agree with it byte for byte.
        .testTarget(name: "SiteRenderTests", dependencies: [
            "SiteRender", "SiteLoad", "SiteIO", "SiteWrite", .product(name: "Mustache", package: "swift-mustache"),
        ], resources: [.copy("Fixtures")]),
        .testTarget(name: "SiteBuildTests", dependencies: ["SiteBuild", "SiteIO", "SiteWrite", "FuzzHarness"]),
        // The fuzz harness: a site built in memory from one input (`make fuzz`; its corpus is replayed by a test).
        .target(name: "FuzzHarness", dependencies: ["SiteBuild", .product(name: "Logging", package: "swift-log")],
                path: "Tests/Fuzz/Harness"),
        .testTarget(name: "SiteCheckTests", dependencies: ["SiteCheck"]),
        .testTarget(name: "SiteSearchTests", dependencies: ["SiteSearch", "CText"]),
        .testTarget(name: "SiteServerTests", dependencies: ["SiteServer"]),
        .testTarget(name: "OrbisTests", dependencies: ["orbis"], exclude: ["Fixtures", "Golden"]),
    ],
    swiftLanguageModes: [.v6]
)

// `make fuzz` builds this with `-sanitize=fuzzer`, which only such a build can link.
if ProcessInfo.processInfo.environment["ORBIS_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "orbis-fuzz", dependencies: ["FuzzHarness"], path: "Tests/Fuzz/orbis-fuzz"))
    package.products.append(.executable(name: "orbis-fuzz", targets: ["orbis-fuzz"]))
}

// Search's stages timed in one process, for profiling (see bench/searchbench/main.swift).
if ProcessInfo.processInfo.environment["ORBIS_SEARCHBENCH"] == "1" {
    package.targets.append(.executableTarget(name: "searchbench", dependencies: ["SiteSearch", "SiteModel"], path: "bench/searchbench"))
}
