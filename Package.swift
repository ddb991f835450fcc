// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "capplan",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "capplan", targets: ["capplan"]),
    .library(name: "LinearProgramming", targets: ["LinearProgramming"]),
    .library(name: "GLPK", targets: ["GLPK"]),
    .library(name: "CapacityModel", targets: ["CapacityModel"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // 1.16: the LogEvent handler API (the JSON log handler).
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    // Operations: counters and histograms through swift-metrics; the executable exposes them
    // in Prometheus's text format.
    .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
  ],
  targets: [
    // Layer 1: GLPK's C API. Debian ships no glpk.pc, so the module map links it by name.
    .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
    // zlib, for .gz model files whose text capplan adjusts (GLPK's own .gz support is read-as-is).
    // Not named CZlib: ZIPFoundation (the xlsx export) has a module of that name.
    .systemLibrary(name: "CSystemZlib", path: "Sources/CSystemZlib"),
    // GLPK calls abort() on a fatal error; these wrappers turn that into a return code.
    .target(
      name: "CGLPKGuard", dependencies: ["CGLPK"], path: "Sources/CGLPKGuard",
      linkerSettings: [.linkedLibrary("glpk")]),
    // Layer 2: the solver-independent model, its solution and the solver protocol.
    .target(name: "LinearProgramming"),
    // Layer 2, GLPK: the solver protocol's implementation, model files and MathProg.
    .target(
      name: "GLPK",
      dependencies: [
        "LinearProgramming", "CGLPK", "CGLPKGuard", "CSystemZlib",
        .product(name: "Logging", package: "swift-log"),
      ]),
    // Layer 3: scenarios, validation, formulation, plans.
    .target(
      name: "CapacityModel",
      dependencies: ["LinearProgramming", "GLPK", .product(name: "Yams", package: "Yams")]),
    // Layer 4: the job queue. Jobs, plans and schedules behind one store protocol, the
    // job state machine, the worker and the scheduler. No database library here.
    .target(
      name: "JobQueue",
      dependencies: [
        "CapacityModel",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    // Layer 4, one machine: the store protocol over SQLite, through GRDB.
    .target(
      name: "SQLiteBackend",
      dependencies: [
        "JobQueue", "CapacityModel",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    // Layer 4, many machines: the same store protocol over PostgreSQL.
    .target(
      name: "PostgresBackend",
      dependencies: [
        "JobQueue", "CapacityModel",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    // Layer 5: the command-line tool.
    .executableTarget(
      name: "capplan",
      dependencies: [
        "LinearProgramming", "GLPK", "CapacityModel", "JobQueue", "SQLiteBackend", "PostgresBackend",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        // plans export --format xlsx: the workbook's zip container.
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        // serve --http: the JSON API (Sources/capplan/HTTP).
        .product(name: "Hummingbird", package: "hummingbird"),
        // The served openapi.yaml, read for the query parameters each route takes.
        .product(name: "Yams", package: "Yams"),
        // serve --idle-timeout: HTTP1Channel's configuration.
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        // A client's malformed chunked body is a 400, told apart by NIO's parser error.
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        // Token hashes; the web console's signed session cookies and CSRF tokens (HMAC-SHA256).
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // Benchmarks: the Swift layer and a plain C program over the same generated LP.
    .executableTarget(
      name: "lp-load-bench", dependencies: ["LinearProgramming", "GLPK"], path: "Benchmarks/lp-load-bench"),
    .executableTarget(
      name: "lp-load-bench-c", dependencies: ["CGLPK"], path: "Benchmarks/lp-load-bench-c",
      linkerSettings: [.linkedLibrary("glpk")]),
    .executableTarget(
      name: "replan-bench", dependencies: ["CapacityModel", "LinearProgramming"],
      path: "Benchmarks/replan-bench"),
    .executableTarget(
      name: "queue-bench",
      dependencies: [
        "JobQueue", "SQLiteBackend", "PostgresBackend", "CapacityModel",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      path: "Benchmarks/queue-bench"),
    .executableTarget(
      name: "capacity-bench", dependencies: ["CapacityModel", "LinearProgramming", "GLPK"],
      path: "Benchmarks/capacity-bench"),
    .testTarget(
      name: "LinearProgrammingTests", dependencies: ["LinearProgramming", "GLPK", "CGLPK", "CGLPKGuard"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "CapacityModelTests",
      dependencies: [
        "CapacityModel", "GLPK", .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "JobQueueTests",
      dependencies: [
        "JobQueue", "SQLiteBackend", "PostgresBackend",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "CapplanCLITests",
      dependencies: [
        "capplan", "JobQueue", "SQLiteBackend", "PostgresBackend", "LinearProgramming", "GLPK",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        // The console's key derivation, recomputed independently in its tests.
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
