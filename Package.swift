// swift-tools-version: 6.2
//
// Gatehouse: a session border controller with an embedded IMS core.
// The module map and the direction of dependencies are in ../shared/ARCHITECTURE.md;
// this manifest follows it: pure modules first, then the edge, the assembly and the CLI.
import PackageDescription

/// CI builds (and anyone who sets GATEHOUSE_WERROR=1) treat every warning in our own targets as an error.
let warningsAreErrors = Context.environment["CI"] != nil || Context.environment["GATEHOUSE_WERROR"] == "1"
let strictSettings: [SwiftSetting] = warningsAreErrors ? [.treatAllWarnings(as: .error)] : []

let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioConcurrency = Target.Dependency.product(name: "NIOConcurrencyHelpers", package: "swift-nio")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")

let package = Package(
    name: "Gatehouse",
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
        .library(name: "SIPMessage", targets: ["SIPMessage"]),
        .library(name: "SDP", targets: ["SDP"]),
        .library(name: "Capture", targets: ["Capture"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // MARK: System libraries (module maps over Debian's -dev packages)
        .systemLibrary(
            name: "CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(
            name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(
            name: "CNftnl", pkgConfig: "libnftnl", providers: [.apt(["libnftnl-dev", "libmnl-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // libsrtp's AES-CM and HMAC-SHA1 on OpenSSL: Debian builds libsrtp2 on NSS, which opens a PKCS#11 session
        // per packet (see its header).
        .target(
            name: "CSRTPOpenSSL", dependencies: ["CSRTP", "COpenSSL"],
            cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Werror"])]),
        // sendmmsg/recvmmsg for the relay benchmark's load generator and sink (Glibc does not import mmsghdr).
        .target(name: "CDatagramBatch", cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Werror"])]),

        // MARK: Pure modules
        .target(name: "SIPMessage", swiftSettings: strictSettings),
        .target(name: "SDP", swiftSettings: strictSettings),
        .target(name: "SIPStack", dependencies: ["SIPMessage", "SDP"], swiftSettings: strictSettings),
        .target(
            name: "GatehousePolicy",
            dependencies: ["SIPMessage", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings),

        .target(name: "Border", dependencies: ["SIPMessage", "GatehousePolicy"], swiftSettings: strictSettings),
        // The seams between IMS functions. OpenSSL provides the digest hashes (MD5, SHA-256) both sides compute.
        .target(name: "IMSInterfaces", dependencies: ["SIPMessage", "COpenSSL"], swiftSettings: strictSettings),
        // Mostly pure: OpenSSL provides the AES-128 block cipher for Milenage; GRDB (over the system SQLite) holds the
        // subscriber store.
        .target(
            name: "HSS",
            dependencies: ["IMSInterfaces", "COpenSSL", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings),
        .target(
            name: "CSCF", dependencies: ["IMSInterfaces", "SIPStack", "SIPMessage", "GatehousePolicy"],
            swiftSettings: strictSettings),

        // Media resource control (announcements, tones, DTMF menus, conference rooms) for calls to the MRF's PSIs; the
        // media itself runs in Media (Resources/), and the assembly wires the two.
        .target(
            name: "MRF", dependencies: ["IMSInterfaces", "SIPMessage", "SDP"], swiftSettings: strictSettings),
        // Policy control: a session's media description → a QoS decision (5QI, GBR/MBR, ARP, DSCP) by the policy's
        // `pcf:` rules.
        .target(name: "PCF", dependencies: ["SDP", "GatehousePolicy"], swiftSettings: strictSettings),

        // MARK: Edge
        .target(
            name: "Transport",
            dependencies: [
                "SIPMessage", nioCore, nioPosix, nioConcurrency, logging,
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),

        // nftables through libnftnl + libmnl: Gatehouse's own table, the kernel blocklist.
        .target(name: "Firewall", dependencies: ["CNftnl"], swiftSettings: strictSettings),
        // Reading and writing captures: libpcap at the file edge, the packet decoding and reassembly pure.
        .target(
            name: "Capture", dependencies: ["SIPMessage", "GatehousePolicy", "CPcap"], swiftSettings: strictSettings),
        // The media relay: port pools, SDP anchoring and RTP/RTCP relaying (a pure core under Core/ and
        // Anchoring/, the NIO edge under Relay/); DTLS-SRTP key exchange through OpenSSL under DTLS/.
        .target(
            name: "Media",
            dependencies: ["SDP", "CSRTP", "CSRTPOpenSSL", "COpenSSL", nioCore, nioPosix, nioConcurrency],
            swiftSettings: strictSettings),

        // MARK: Assembly and CLI
        .target(
            name: "GatehouseServer",
            dependencies: [
                "SIPMessage", "SDP", "SIPStack", "GatehousePolicy", "Border", "Transport", "IMSInterfaces", "HSS",
                "CSCF", "MRF", "PCF", "Firewall", "Capture", "Media", nioCore, nioPosix, nioConcurrency, logging,
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "gatehouse",
            dependencies: [
                "GatehouseServer", "GatehousePolicy", "Border", "SIPMessage", "SDP", "SIPStack", "Capture", "Media",
                "CDatagramBatch", nioCore,
                nioPosix, logging,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),

        // MARK: Tests
        // Shared by the test targets: real peers (SIPp, dnsmasq, socat) started and stopped by pid, a seeded
        // random generator.
        .target(name: "CSpawn", path: "Tests/CSpawn"),
        .target(
            name: "TestSupport", dependencies: ["CSpawn"], path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "SIPMessageTests", dependencies: ["SIPMessage", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSettings),
        .testTarget(name: "SDPTests", dependencies: ["SDP", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "MediaTests", dependencies: ["Media", "SDP", "TestSupport", nioCore, nioPosix, nioConcurrency],
            swiftSettings: strictSettings),
        .testTarget(name: "SIPStackTests", dependencies: ["SIPStack", "SIPMessage"], swiftSettings: strictSettings),
        .testTarget(
            name: "TransportTests",
            dependencies: [
                "Transport", "SIPMessage", "TestSupport", nioCore, nioPosix,
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "BorderTests", dependencies: ["Border", "SIPMessage", "GatehousePolicy"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "GatehousePolicyTests", dependencies: ["GatehousePolicy"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "IMSInterfacesTests", dependencies: ["IMSInterfaces", "SIPMessage"], swiftSettings: strictSettings),
        .testTarget(
            name: "PCFTests", dependencies: ["PCF", "SDP", "GatehousePolicy"], swiftSettings: strictSettings),
        .testTarget(name: "HSSTests", dependencies: ["HSS", "IMSInterfaces"], swiftSettings: strictSettings),
        .testTarget(
            name: "CSCFTests", dependencies: ["CSCF", "IMSInterfaces", "SIPMessage"], swiftSettings: strictSettings),
        .testTarget(
            name: "MRFTests", dependencies: ["MRF", "IMSInterfaces", "SIPMessage", "SDP"], swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FirewallTests", dependencies: ["Firewall", "CNftnl", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "CLibraryTests", dependencies: ["CSRTP", "CPcap", "CNftnl", "COpenSSL"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CaptureTests", dependencies: ["Capture", "SIPMessage", "GatehousePolicy", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "GatehouseServerTests",
            dependencies: [
                "GatehouseServer", "GatehousePolicy", "SIPMessage", "Transport", "TestSupport", "HSS", "IMSInterfaces",
                "Capture",
                "MRF", "PCF", "Media", "SDP", nioCore, nioPosix,
            ],
            exclude: ["scenarios"], swiftSettings: strictSettings),
    ]
)
