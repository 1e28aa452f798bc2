// swift-tools-version: 6.2
//
// libFuzzer harnesses for Gatehouse's decoders, kept out of the main package so that its builds never see them.
// Build and run with ./run.sh (see its header); the flags that work are in ../../shared/NOTES-SWIFT.md.
import PackageDescription

let gatehouse = "Gatehouse"

let package = Package(
    name: "GatehouseFuzz",
    dependencies: [
        .package(name: gatehouse, path: "..")
    ],
    targets: [
        /// SIP message: parse → serialize → parse again; both parses must agree.
        .executableTarget(
            name: "FuzzSIPMessage",
            dependencies: [.product(name: "SIPMessage", package: gatehouse)]),
        /// TCP/TLS framing: the input fed in chunks; every frame parses or throws `SIPParseError`.
        .executableTarget(
            name: "FuzzSIPStream",
            dependencies: [.product(name: "SIPMessage", package: gatehouse)]),
        /// Captures: packets of every link type through IP, fragment and TCP reassembly; nothing traps, all counted.
        .executableTarget(
            name: "FuzzCapture",
            dependencies: [
                .product(name: "Capture", package: gatehouse), .product(name: "SIPMessage", package: gatehouse),
            ]),
        /// SDP: parse → serialize → parse again; both parses must be equal.
        .executableTarget(
            name: "FuzzSDP",
            dependencies: [.product(name: "SDP", package: gatehouse)]),
    ]
)
