// swift-tools-version:6.0
// Work-safety enforcement planner: classified and graded enforcement (安全生产分类分级执法)
// planned as integer programs solved by GLPK.
import PackageDescription

let package = Package(
    name: "enforcement-planner",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "planner", targets: ["planner"]),
        .library(name: "PlannerCore", targets: ["Ledger", "Policy", "Planning", "Reports", "Synthetic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // MARK: - C libraries from Debian's -dev packages

        /// GLPK 5 (libglpk-dev); Debian ships no glpk.pc, so the module map links "glpk".
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        /// libxlsxwriter (libxlsxwriter-dev): writes the XLSX workbooks.
        .systemLibrary(name: "CXLSXWriter", providers: [.apt(["libxlsxwriter-dev"])]),

        // MARK: - Swift faces of the C libraries

        /// Last-resort guard: GLPK solve/IO/translator calls between setjmp and return.
        .target(name: "CGLPKGuard", dependencies: ["CGLPK"]),
        /// Owns glp_prob; validates every call so GLPK never aborts the process.
        .target(name: "GLPK", dependencies: ["CGLPK", "CGLPKGuard"], exclude: ["README.md"]),
        /// Owns lxw_workbook; a small typed API for sheets, formats and cells.
        .target(name: "XLSX", dependencies: ["CXLSXWriter"], exclude: ["README.md"]),

        // MARK: - Pipeline stages: ledger → policy → planning → reports

        /// Pure data types and all-or-nothing loading of ledgers, staff files and scenarios
        /// (CSV in UTF-8 or GB18030, or the first sheet of an .xlsx: ZIPFoundation + FoundationXML).
        .target(name: "Ledger", dependencies: [
            .product(name: "CSV", package: "CSV.swift"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], exclude: ["README.md"]),
        /// The rules RULES.md names: classification, tiers, the working calendar.
        .target(name: "Policy", dependencies: [
            "Ledger",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["README.md"]),
        /// The integer programs and their decoding.
        .target(name: "Planning", dependencies: ["Policy", "GLPK"], exclude: ["README.md"]),
        /// Views of results: tables, JSON, CSV, XLSX; Chinese by default.
        .target(name: "Reports", dependencies: ["Policy", "Planning", "XLSX"], exclude: ["README.md"]),
        /// Realistic synthetic districts for demos, tests and benchmarks.
        .target(name: "Synthetic", dependencies: ["Ledger", "Policy"], exclude: ["README.md"]),

        // MARK: - Entry points

        /// ArgumentParser commands, thin: parse, call the library, print.
        .target(name: "PlannerCLI", dependencies: [
            "Ledger", "Policy", "Planning", "Reports", "Synthetic",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["README.md"]),
        .executableTarget(name: "planner", dependencies: ["PlannerCLI"]),
        /// Release-build benchmarks; figures go to BENCHMARKS.md.
        .executableTarget(name: "planner-bench", dependencies: ["Ledger", "Policy", "Planning", "Reports", "Synthetic"]),
        /// The loaders' fuzzing harness (Tests/Fuzz): a replay driver, or libFuzzer when built
        /// with `-sanitize=fuzzer -DFUZZING` (Tests/Fuzz/fuzz.sh).
        .executableTarget(name: "planner-fuzz", dependencies: ["Ledger", "Policy", "Planning"]),

        // MARK: - Tests

        .testTarget(name: "GLPKTests", dependencies: ["GLPK"]),
        .testTarget(name: "XLSXTests", dependencies: ["XLSX"]),
        /// XLSX writes the .xlsx twins of CSV fixtures.
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "XLSX",
                                                        .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "Synthetic"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Synthetic"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Synthetic", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "PlannerCLITests", dependencies: ["planner", "PlannerCLI", "planner-fuzz"]),
    ],
    swiftLanguageModes: [.v5]
)
