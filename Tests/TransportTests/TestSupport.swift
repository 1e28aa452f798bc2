import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import SIPMessage
import TestSupport
import Testing
import Transport

/// Failures of the test scaffolding itself (a wait that timed out, a tool that failed).
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with a two-thread event loop group, and shuts the group down afterwards whatever happens.
func withGroup<T>(_ body: (MultiThreadedEventLoopGroup) async throws -> T) async throws -> T {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    do {
        let result = try await body(group)
        try await group.shutdownGracefully()
        return result
    } catch {
        try? await group.shutdownGracefully()
        throw error
    }
}

let testLogger = Logger(label: "gatehouse.transport.tests")

/// An OPTIONS request as a small byte string (stream-framable: it has a Content-Length).
func options(branch: String = "z9hG4bK-test-1") -> [UInt8] {
    Array(
        ("OPTIONS sip:gatehouse.test SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=\(branch)\r\n"
            + "From: <sip:tester@example.test>;tag=1\r\nTo: <sip:gatehouse.test>\r\nCall-ID: \(branch)\r\n"
            + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").utf8)
}

let okResponse = Array(
    ("SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-test-1\r\n"
        + "From: <sip:tester@example.test>;tag=1\r\nTo: <sip:gatehouse.test>;tag=2\r\nCall-ID: x\r\n"
        + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").utf8)

/// A `SIPInboundHandler` that records what arrives and answers requests with `okResponse` when asked to.
final class Recorder: SIPInboundHandler {
    struct Received: Sendable {
        var bytes: [UInt8]
        var context: SIPConnectionContext
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    let answers: Bool
    private let box = NIOLockedValueBox<[Received]>([])
    private let failures = NIOLockedValueBox(0)

    init(answers: Bool = false) {
        self.answers = answers
    }

    var messages: [Received] { box.withLockedValue { $0 } }

    func received(_ bytes: [UInt8], context: SIPConnectionContext) {
        box.withLockedValue { $0.append(Received(bytes: bytes, context: context)) }
        if answers && !bytes.starts(with: Array("SIP/2.0".utf8)) { context.send(okResponse) }
    }

    func framingFailed(_ error: any Error, context: SIPConnectionContext) {
        failures.withLockedValue { $0 += 1 }
    }

    /// Waits for the `count`th message.
    func waitFor(_ count: Int, timeout: Duration = .seconds(3)) async throws -> Received {
        guard await eventually(timeout, { self.messages.count >= count }) else {
            throw TestFailure("expected \(count) messages, got \(messages.count)")
        }
        return messages[count - 1]
    }
}

/// Collects the bytes a test client or test server receives on its connections.
final class ByteCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let box = NIOLockedValueBox<[UInt8]>([])
    private let errors = NIOLockedValueBox<[String]>([])

    var bytes: [UInt8] { box.withLockedValue { $0 } }
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var errorDescriptions: [String] { errors.withLockedValue { $0 } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        box.withLockedValue { $0 += Array(buffer.readableBytesView) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        errors.withLockedValue { $0.append("\(error)") }
        context.close(promise: nil)
    }

    /// Waits until the received text contains `needle`.
    func waitFor(_ needle: String, timeout: Duration = .seconds(3)) async -> Bool {
        await eventually(timeout) { self.text.contains(needle) }
    }
}

/// A plain TCP (or, with `tls`, TLS) client of a listener, bound to `source` so that the listener sees that address;
/// with `pinger`, it sends keep-alive pings from the moment it is connected.
func connectClient(
    to address: SocketAddress, from source: String, group: any EventLoopGroup, tls: NIOSSLContext? = nil,
    serverHostname: String? = nil, pinger: CRLFPinger? = nil, collector: ByteCollector
) async throws -> any Channel {
    try await ClientBootstrap(group: group)
        .bind(to: SocketAddress(ipAddress: source, port: 0))
        .connectTimeout(.seconds(3))
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                }
                if let pinger { try channel.pipeline.syncOperations.addHandler(pinger) }
                try channel.pipeline.syncOperations.addHandler(collector)
            }
        }
        .connect(to: address).get()
}

extension Channel {
    func send(_ bytes: [UInt8]) async throws {
        try await writeAndFlush(allocator.buffer(bytes: bytes)).get()
    }
}

extension SIPListeners {
    /// The bound address of the listener with `transport`.
    func address(_ transport: SIPTransport) throws -> SocketAddress {
        guard let address = bound.first(where: { $0.endpoint.transport == transport })?.address else {
            throw TestFailure("no \(transport) listener")
        }
        return address
    }
}

/// A temporary directory with self-signed certificates made by the `openssl` command line.
struct CertificateDirectory {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("gatehouse-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `<name>.crt` and `<name>.key`: an EC P-256 self-signed certificate for `commonName` with the
    /// given subjectAltName (e.g. `DNS:gatehouse.test,IP:127.0.0.150`).
    func make(_ name: String, commonName: String, subjectAltName: String) throws -> (certificate: String, key: String) {
        let certificate = "\(path)/\(name).crt"
        let key = "\(path)/\(name).key"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=\(commonName)",
            "-addext", "subjectAltName=\(subjectAltName)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("openssl req failed (\(process.terminationStatus)); is the openssl package installed?")
        }
        return (certificate, key)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
