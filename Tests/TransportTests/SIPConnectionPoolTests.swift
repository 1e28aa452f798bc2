import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPMessage
import TestSupport
import Testing
import Transport

/// A plain TCP server standing in for a peer: counts connections, collects bytes, remembers its channels.
final class PeerServer: Sendable {
    let collector = ByteCollector()
    private let accepted = NIOLockedValueBox<[any Channel]>([])
    private let server: any Channel

    var connections: [any Channel] { accepted.withLockedValue { $0 } }

    init(host: String, group: any EventLoopGroup) async throws {
        let collector = self.collector
        let accepted = self.accepted
        server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.withLockedValue { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .bind(host: host, port: 0).get()
    }

    var endpoint: SIPEndpoint {
        SIPEndpoint(transport: .tcp, host: server.localAddress!.ipAddress!, port: server.localAddress!.port!)
    }

    func close() async {
        for channel in connections { try? await channel.close() }
        try? await server.close()
    }
}

@Suite("Outbound sending")
struct SIPConnectionPoolTests {
    @Test("UDP leaves from the realm listener's own socket")
    func udpFromListenerSocket() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .udp, host: "127.0.0.175", port: 0)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: Recorder(), limits: SIPLimits(), logger: testLogger)
            let received = NIOLockedValueBox<[AddressedEnvelope<ByteBuffer>]>([])
            let peer = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramCollector(box: received))
                    }
                }
                .bind(host: "127.0.0.176", port: 0).get()
            let destination = SIPEndpoint(transport: .udp, host: "127.0.0.176", port: peer.localAddress!.port!)
            try await listeners.pool.send(options(), to: destination, from: endpoint)
            #expect(await eventually { received.withLockedValue { $0.count } == 1 })
            let envelope = try #require(received.withLockedValue { $0.first })
            #expect(envelope.remoteAddress == (try listeners.address(.udp)))
            #expect(envelope.data.readableBytes == options().count)
            try await peer.close()
            await listeners.close()
        }
    }

    @Test("UDP from a realm without a UDP listener fails with no-listener")
    func udpWithoutListener() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.177", port: 0)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: Recorder(), limits: SIPLimits(), logger: testLogger)
            let error = await #expect(throws: TransportError.self) {
                try await listeners.pool.send(
                    options(), to: SIPEndpoint(transport: .udp, host: "127.0.0.176", port: 5060), from: endpoint)
            }
            #expect(error?.code == .noListener)
            await listeners.close()
        }
    }

    @Test("two TCP sends share one connection from the realm address, and the peer's answer comes up")
    func tcpReuse() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.178", port: 0)
            let recorder = Recorder()
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: recorder, limits: SIPLimits(), logger: testLogger)
            let peer = try await PeerServer(host: "127.0.0.179", group: group)
            try await listeners.pool.send(options(branch: "z9hG4bK-a"), to: peer.endpoint, from: endpoint)
            try await listeners.pool.send(options(branch: "z9hG4bK-b"), to: peer.endpoint, from: endpoint)
            #expect(await peer.collector.waitFor("z9hG4bK-b"))
            #expect(peer.collector.text.contains("z9hG4bK-a"))
            #expect(peer.connections.count == 1)
            let connection = try #require(peer.connections.first)
            #expect(connection.remoteAddress?.ipAddress == "127.0.0.178")
            #expect(listeners.counters.snapshot.outboundConnections == 1)
            #expect(listeners.counters.openConnections == 1)

            try await connection.send(okResponse)
            let answer = try await recorder.waitFor(1)
            #expect(answer.text.hasPrefix("SIP/2.0 200 OK"))
            #expect(answer.context.listener == endpoint)
            #expect(answer.context.transport == .tcp)
            await peer.close()
            await listeners.close()
        }
    }

    @Test("two realms sending to one peer use a connection each, from their own addresses")
    func realmsDoNotShareConnections() async throws {
        try await withGroup { group in
            let access = SIPEndpoint(transport: .tcp, host: "127.0.0.189", port: 0)
            let interconnect = SIPEndpoint(transport: .tcp, host: "127.0.0.190", port: 0)
            let listeners = try await SIPListeners.bind(
                [access, interconnect], group: group, handler: Recorder(), limits: SIPLimits(), logger: testLogger)
            let peer = try await PeerServer(host: "127.0.0.191", group: group)
            try await listeners.pool.send(options(branch: "z9hG4bK-access"), to: peer.endpoint, from: access)
            try await listeners.pool.send(options(branch: "z9hG4bK-ic"), to: peer.endpoint, from: interconnect)
            try await listeners.pool.send(options(branch: "z9hG4bK-access2"), to: peer.endpoint, from: access)
            #expect(await peer.collector.waitFor("z9hG4bK-access2"))
            #expect(peer.connections.count == 2)
            let sources = Set(peer.connections.compactMap { $0.remoteAddress?.ipAddress })
            #expect(sources == ["127.0.0.189", "127.0.0.190"])
            await peer.close()
            await listeners.close()
        }
    }

    @Test("concurrent sends to one destination open one connection")
    func concurrentSends() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.180", port: 0)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: Recorder(), limits: SIPLimits(), logger: testLogger)
            let peer = try await PeerServer(host: "127.0.0.181", group: group)
            let destination = peer.endpoint
            let pool = listeners.pool
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for index in 0..<8 {
                    tasks.addTask {
                        try await pool.send(options(branch: "z9hG4bK-c\(index)"), to: destination, from: endpoint)
                    }
                }
                try await tasks.waitForAll()
            }
            #expect(await peer.collector.waitFor("z9hG4bK-c7"))
            #expect(peer.connections.count == 1)
            await peer.close()
            await listeners.close()
        }
    }

    @Test("a send to a peer's source address and port reuses the connection the peer opened")
    func reuseInboundConnection() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.182", port: 0)
            let recorder = Recorder()
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: recorder, limits: SIPLimits(), logger: testLogger)
            let collector = ByteCollector()
            let client = try await connectClient(
                to: listeners.address(.tcp), from: "127.0.0.183", group: group, collector: collector)
            try await client.send(options())
            let request = try await recorder.waitFor(1)
            let source = request.context.remote
            let destination = SIPEndpoint(transport: .tcp, host: source.ipAddress!, port: source.port!)
            try await listeners.pool.send(
                Array("BYE sip:x SIP/2.0\r\nContent-Length: 0\r\n\r\n".utf8), to: destination, from: endpoint)
            #expect(await collector.waitFor("BYE sip:x"))
            #expect(listeners.counters.snapshot.outboundConnections == 0)
            #expect(listeners.counters.openConnections == 1)
            try? await client.close()
            await listeners.close()
        }
    }

    @Test("a refused connection fails the send with connect-failed and 503")
    func connectionRefused() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.184", port: 0)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: Recorder(), limits: SIPLimits(), logger: testLogger)
            // A port that was just free: bind, note it, close.
            let probe = try await ServerBootstrap(group: group).bind(host: "127.0.0.185", port: 0).get()
            let port = probe.localAddress!.port!
            try await probe.close()
            let destination = SIPEndpoint(transport: .tcp, host: "127.0.0.185", port: port)
            let error = await #expect(throws: TransportError.self) {
                try await listeners.pool.send(options(), to: destination, from: endpoint)
            }
            #expect(error?.code == .connectFailed)
            #expect(error?.status.code == 503)
            #expect(error?.endpoint == destination)
            let snapshot = listeners.counters.snapshot
            #expect(snapshot.failedConnections == 1)
            #expect(snapshot.failedSends == 1)
            #expect(snapshot.openConnections == 0)
            await listeners.close()
        }
    }

    @Test("TLS out of one realm into another's TLS listener, verified against a trust root, answered back")
    func tlsOutbound() async throws {
        let certificates = try CertificateDirectory()
        defer { certificates.remove() }
        let a = try certificates.make("a", commonName: "a.test", subjectAltName: "DNS:a.test,IP:127.0.0.186")
        let b = try certificates.make("b", commonName: "b.test", subjectAltName: "DNS:b.test,IP:127.0.0.187")
        try await withGroup { group in
            let endpointA = SIPEndpoint(transport: .tls, host: "127.0.0.186", port: 0)
            let endpointB = SIPEndpoint(transport: .tls, host: "127.0.0.187", port: 0)
            let recorderA = Recorder()
            let recorderB = Recorder(answers: true)
            let listenersA = try await SIPListeners.bind(
                [endpointA], group: group, handler: recorderA, limits: SIPLimits(),
                tls: [endpointA: TLSSettings(certificateChainFile: a.certificate, privateKeyFile: a.key)],
                tlsClient: TLSClientSettings(trustRootsFile: b.certificate), logger: testLogger)
            let listenersB = try await SIPListeners.bind(
                [endpointB], group: group, handler: recorderB, limits: SIPLimits(),
                tls: [
                    endpointB: TLSSettings(
                        certificateChainFile: b.certificate, privateKeyFile: b.key, trustedCAFile: a.certificate,
                        requireClientCertificate: true)
                ], logger: testLogger)
            let addressB = try listenersB.address(.tls)
            let destination = SIPEndpoint(transport: .tls, host: "127.0.0.187", port: addressB.port!)
            try await listenersA.pool.send(options(), to: destination, from: endpointA)
            let atB = try await recorderB.waitFor(1)
            #expect(atB.context.remote.ipAddress == "127.0.0.186")
            let answer = try await recorderA.waitFor(1)
            #expect(answer.text.hasPrefix("SIP/2.0 200 OK"))
            #expect(answer.context.transport == .tls)

            // A realm that does not trust B's certificate (system trust store only) cannot send to it.
            let endpointC = SIPEndpoint(transport: .tcp, host: "127.0.0.188", port: 0)
            let listenersC = try await SIPListeners.bind(
                [endpointC], group: group, handler: Recorder(), limits: SIPLimits(), logger: testLogger)
            let error = await #expect(throws: TransportError.self) {
                try await listenersC.pool.send(options(), to: destination, from: endpointC)
            }
            #expect(error?.status.code == 503)
            #expect(recorderB.messages.count == 1)
            await listenersC.close()
            await listenersA.close()
            await listenersB.close()
        }
    }
}

final class DatagramCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let box: NIOLockedValueBox<[AddressedEnvelope<ByteBuffer>]>

    init(box: NIOLockedValueBox<[AddressedEnvelope<ByteBuffer>]>) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        box.withLockedValue { $0.append(envelope) }
    }
}
