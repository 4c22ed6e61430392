// swift-tools-version:6.0
// Work-safety enforcement planner: classified and graded enforcement (安全生产分类分级执法)
// planned as integer programs solved by GLPK.
import PackageDescription

let package = Package(
    name: "enforcement-planner",
    // macOS 14: Hummingbird 2 (the web application) needs it.
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "planner", targets: ["planner"]),
        // The engine a front end builds on. The synthetic-district generator (Synthetic) is not
        // part of it: it serves the CLI's `generate`, the tests and the benchmarks.
        .library(name: "PlannerCore", targets: ["PlannerResources", "Ledger", "LedgerStore", "Accounts", "Output", "Policy", "Planning", "Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
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

        // MARK: - Child processes

        /// Child processes through posix_spawn with only the descriptors they are given, waited
        /// for with waitpid (Foundation's `Process` hangs on a child whose helpers keep a copy of
        /// an inherited descriptor): Chromium for the PDF, pg_ctl for the test cluster.
        .target(name: "ChildProcess", exclude: ["README.md"]),

        // MARK: - Files the planner reads at run time

        /// The MathProg models (`models/`) and the focus-item catalogue
        /// (`scenarios/focus-items.yaml`) as a resource bundle copied next to the built binary
        /// (`enforcement-planner_PlannerResources.resources`), and its lookup. The files stay
        /// where users and glpsol read them; SwiftPM (tools 5.11+) copies resources outside the
        /// target's folder.
        .target(name: "PlannerResources", exclude: ["README.md"],
                resources: [.copy("../../models"), .copy("../../scenarios/focus-items.yaml"), .copy("templates")]),

        // MARK: - Pipeline stages: ledger → policy → planning → reports

        /// Pure data types and all-or-nothing loading of ledgers, staff files and scenarios
        /// (CSV in UTF-8 or GB18030, or the first sheet of an .xlsx: ZIPFoundation + FoundationXML).
        .target(name: "Ledger", dependencies: [
            .product(name: "CSV", package: "CSV.swift"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], exclude: ["README.md"]),
        /// Output files and folders written all or nothing (`OutputFolder`, `FileOutput`,
        /// `CSVOutput`); failures are `OutputError`, never an input error. `PDFPrinter` prints
        /// HTML to PDF with headless Chromium (a child process, over the DevTools pipe).
        .target(name: "Output", dependencies: [
            "ChildProcess", "Ledger",
            .product(name: "CSV", package: "CSV.swift"),
        ], exclude: ["README.md"]),
        /// The rules RULES.md names: classification, tiers, the working calendar; `Lang`.
        .target(name: "Policy", dependencies: [
            "Ledger", "PlannerResources",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["README.md"]),
        /// The integer programs and their decoding.
        .target(name: "Planning", dependencies: ["Ledger", "Output", "Policy", "GLPK", "PlannerResources"], exclude: ["README.md"]),
        /// Views of results: tables, JSON, CSV, XLSX, the printable HTML plan (Mustache templates);
        /// Chinese by default.
        .target(name: "Reports", dependencies: [
            "Ledger", "Output", "PlannerResources", "Policy", "Planning", "XLSX",
            .product(name: "Mustache", package: "swift-mustache"),
        ], exclude: ["README.md"]),
        /// The living ledger (DATA.md §8): one `LedgerDatabase` protocol, an SQLite back end
        /// (GRDB, the default) and a PostgreSQL one (postgres-nio); import, as-of export, history,
        /// stored plans and rosters.
        .target(name: "LedgerStore", dependencies: [
            "Ledger", "Policy",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"]),
        /// Who may sign in to the web application and what each account may see (DATA.md §9):
        /// bcrypt password hashes, session tokens stored as SHA-256 hashes, plans scoped by
        /// authority; over `LedgerStore`, no HTTP.
        .target(name: "Accounts", dependencies: [
            "Ledger", "LedgerStore", "Policy",
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["README.md"]),
        /// The web application (DATA.md §9): Hummingbird 2 routes, thin wiring over `Accounts`
        /// and `LedgerStore`; JSON errors, the OpenAPI document. Started by `planner serve` or
        /// in-process by a test.
        .target(name: "WebApp", dependencies: [
            "Accounts", "Ledger", "LedgerStore", "Planning", "PlannerResources", "Policy", "Reports",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"]),
        /// A throwaway PostgreSQL cluster (initdb + pg_ctl in a temporary folder) for the tests and
        /// the benchmarks of the PostgreSQL back end; not part of the engine.
        .target(name: "PostgresHarness", dependencies: ["ChildProcess"], exclude: ["README.md"]),
        /// Realistic synthetic districts for demos, tests and benchmarks.
        .target(name: "Synthetic", dependencies: ["Ledger", "Output"], exclude: ["README.md"]),

        // MARK: - Entry points

        /// ArgumentParser commands, thin: parse, call the library, print.
        .target(name: "PlannerCLI", dependencies: [
            "Accounts", "GLPK", "Ledger", "LedgerStore", "Output", "PlannerResources", "Policy", "Planning", "Reports", "Synthetic", "WebApp",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["README.md"]),
        .executableTarget(name: "planner", dependencies: ["PlannerCLI"]),
        /// Release-build benchmarks; figures go to BENCHMARKS.md.
        .executableTarget(name: "planner-bench", dependencies: ["Accounts", "ChildProcess", "Ledger", "LedgerStore", "Output", "Policy", "Planning", "PostgresHarness", "Reports", "Synthetic"]),
        /// The loaders' fuzzing harness (Tests/Fuzz): a replay driver, or libFuzzer when built
        /// with `-sanitize=fuzzer -DFUZZING` (Tests/Fuzz/fuzz.sh).
        .executableTarget(name: "planner-fuzz", dependencies: ["Ledger", "Policy", "Planning"]),

        // MARK: - Tests

        .testTarget(name: "GLPKTests", dependencies: ["GLPK"]),
        .testTarget(name: "XLSXTests", dependencies: ["XLSX"]),
        /// XLSX writes the .xlsx twins of CSV fixtures.
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "XLSX",
                                                        .product(name: "CSV", package: "CSV.swift"),
                                                        .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "OutputTests", dependencies: ["ChildProcess", "Output"]),
        .testTarget(name: "PolicyTests", dependencies: ["Ledger", "Policy", "PlannerResources", "Synthetic",
                                                        .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "PlanningTests", dependencies: ["GLPK", "Ledger", "Policy", "Planning", "PlannerResources", "Synthetic"]),
        /// Golden/: the printable plan of a small solved plan (UPDATE_GOLDEN=1 rewrites it).
        .testTarget(name: "ReportsTests", dependencies: ["Ledger", "Policy", "Planning", "Reports", "Synthetic",
                                                         .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                                                         .product(name: "CSV", package: "CSV.swift")],
                    exclude: ["Golden"]),
        /// LedgerStore and PostgresHarness: the ledger database tests read the database a run left
        /// and run one throwaway PostgreSQL cluster.
        .testTarget(name: "PlannerCLITests", dependencies: ["planner", "PlannerCLI", "planner-fuzz", "LedgerStore", "Output", "PostgresHarness"]),
        .testTarget(name: "LedgerStoreTests", dependencies: ["Ledger", "LedgerStore", "Policy", "PostgresHarness", "Synthetic"]),
        /// The web application on a real loopback port (HummingbirdTesting's live client) over a
        /// real SQLite file, and one PostgreSQL run.
        .testTarget(name: "WebAppTests", dependencies: [
            "Accounts", "Ledger", "LedgerStore", "PostgresHarness", "WebApp",
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
