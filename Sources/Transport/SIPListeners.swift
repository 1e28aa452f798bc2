import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import SIPMessage

/// The bound SIP sockets of a running node: one UDP socket or TCP/TLS server socket per listener endpoint, the
/// connections they accept, and the `pool` that sends out of them.
///
/// Binding is all or nothing: if one endpoint cannot be bound (address in use, address not on this host, TLS
/// files unreadable), the ones already bound are closed again and the error names the endpoint. The same holds
/// for `add`, which a policy reload uses to open new listeners next to the running ones; `remove` closes some.
public final class SIPListeners: Sendable {
    public struct BindError: Error, CustomStringConvertible {
        public var endpoint: SIPEndpoint
        public var underlying: any Error
        public var description: String { "cannot bind \(endpoint): \(underlying)" }
    }

    /// One bound listener.
    fileprivate struct Listener {
        var endpoint: SIPEndpoint
        var address: SocketAddress
        var channel: any Channel
    }

    /// The endpoints and the addresses they were actually bound to (port 0 becomes a real port), in bind order.
    public var bound: [(endpoint: SIPEndpoint, address: SocketAddress)] {
        listeners.withLockedValue { $0.map { (endpoint: $0.endpoint, address: $0.address) } }
    }
    /// Outbound sending: UDP from the listeners' sockets, TCP/TLS over reused or new connections.
    public let pool: SIPConnectionPool
    /// Connection counters (open, refused, reaped…), shared with whoever passed them to `bind`.
    public let counters: TransportCounters
    private let listeners: NIOLockedValueBox<[Listener]>
    private let setup: ListenerSetup
    private let table: ConnectionTable

    private init(listeners: [Listener], setup: ListenerSetup, pool: SIPConnectionPool) {
        self.listeners = NIOLockedValueBox(listeners)
        self.setup = setup
        self.pool = pool
        self.table = setup.table
        self.counters = setup.table.counters
    }

    /// Binds every endpoint. UDP sockets get a large receive buffer, so that a burst of signalling is queued
    /// rather than dropped by the kernel. Every `tls://` endpoint needs its `TLSSettings` in `tls`; `tlsClient`
    /// says how outbound TLS connections verify servers. `connectionLimits` bounds and reaps TCP/TLS connections.
    public static func bind(
        _ endpoints: [SIPEndpoint], group: any EventLoopGroup, handler: any SIPInboundHandler,
        limits: SIPLimits, tls: [SIPEndpoint: TLSSettings] = [:],
        connectionLimits: ConnectionLimits = ConnectionLimits(),
        tlsClient: TLSClientSettings = TLSClientSettings(), counters: TransportCounters = TransportCounters(),
        logger: Logger
    ) async throws -> SIPListeners {
        let table = ConnectionTable(limits: connectionLimits, counters: counters)
        let setup = ListenerSetup(
            group: group, handler: handler, limits: limits, connectionLimits: connectionLimits, table: table,
            logger: logger)
        if let roots = tlsClient.trustRootsFile {
            _ = try TLSFiles.certificates(roots, role: "trust roots")
        }
        let bound = try await setup.bindAll(endpoints, tls: tls)
        let pool = SIPConnectionPool(
            group: group, handler: handler, limits: limits, connectionLimits: connectionLimits, table: table,
            udpListeners: Self.udpChannels(bound), streamListeners: bound.map(\.endpoint).filter(\.transport.isStream),
            tls: tls, tlsClient: tlsClient, logger: logger)
        return SIPListeners(listeners: bound, setup: setup, pool: pool)
    }

    /// Binds more endpoints next to the running ones, with the same handler, limits and counters; all or nothing
    /// (on error none of `endpoints` is left bound and the running listeners are untouched). Endpoints already
    /// bound are skipped.
    public func add(_ endpoints: [SIPEndpoint], tls: [SIPEndpoint: TLSSettings] = [:]) async throws {
        let running = Set(listeners.withLockedValue { $0.map(\.endpoint) })
        let new = endpoints.filter { !running.contains($0) }
        guard !new.isEmpty else { return }
        let bound = try await setup.bindAll(new, tls: tls)
        listeners.withLockedValue { $0 += bound }
        pool.addListeners(
            udp: Self.udpChannels(bound), stream: bound.map(\.endpoint).filter(\.transport.isStream),
            tls: tls.filter { entry in new.contains(entry.key) })
    }

    /// Closes the listeners of `endpoints` and every connection accepted on them. Outbound connections from the
    /// same addresses stay open; endpoints not bound are ignored.
    public func remove(_ endpoints: [SIPEndpoint]) async {
        let gone = Set(endpoints)
        let removed: [Listener] = listeners.withLockedValue { listeners in
            defer { listeners.removeAll { gone.contains($0.endpoint) } }
            return listeners.filter { gone.contains($0.endpoint) }
        }
        guard !removed.isEmpty else { return }
        pool.removeListeners(Set(removed.map(\.endpoint)))
        for listener in removed {
            try? await listener.channel.close()
            setup.logger.info("stopped listening", metadata: ["endpoint": "\(listener.endpoint)"])
        }
        for connection in table.closeInbound(on: gone) { try? await connection.close() }
    }

    /// Closes every listener and every TCP/TLS connection, inbound and outbound.
    public func close() async {
        for listener in listeners.withLockedValue({ $0 }) { try? await listener.channel.close() }
        for connection in table.closeAll() { try? await connection.close() }
    }

    private static func udpChannels(_ bound: [Listener]) -> [SIPEndpoint: any Channel] {
        var channels: [SIPEndpoint: any Channel] = [:]
        for listener in bound where listener.endpoint.transport == .udp {
            channels[listener.endpoint] = listener.channel
        }
        return channels
    }
}

/// What binding one endpoint needs.
private struct ListenerSetup: Sendable {
    let group: any EventLoopGroup
    let handler: any SIPInboundHandler
    let limits: SIPLimits
    let connectionLimits: ConnectionLimits
    let table: ConnectionTable
    let logger: Logger

    /// Binds `endpoints` in order; on the first failure closes what it bound and throws a `BindError`.
    func bindAll(
        _ endpoints: [SIPEndpoint], tls: [SIPEndpoint: TLSSettings]
    ) async throws -> [SIPListeners.Listener] {
        var bound: [SIPListeners.Listener] = []
        do {
            for endpoint in endpoints {
                let channel: any Channel
                do {
                    var serverContext: NIOSSLContext?
                    if endpoint.transport == .tls {
                        guard let settings = tls[endpoint] else {
                            throw TransportError(
                                .tlsNotConfigured, endpoint: endpoint, "no certificate and key for this listener")
                        }
                        serverContext = try settings.makeServerContext()
                    }
                    channel = try await bindOne(endpoint, tls: serverContext)
                } catch {
                    throw SIPListeners.BindError(endpoint: endpoint, underlying: error)
                }
                let address = try channel.localAddress ?? SocketAddress(ipAddress: endpoint.host, port: endpoint.port)
                bound.append(SIPListeners.Listener(endpoint: endpoint, address: address, channel: channel))
                logger.info("listening", metadata: ["endpoint": "\(endpoint)", "bound": "\(address)"])
            }
        } catch {
            for listener in bound { try? await listener.channel.close() }
            throw error
        }
        return bound
    }

    func bindOne(_ endpoint: SIPEndpoint, tls: NIOSSLContext?) async throws -> any Channel {
        let handler = self.handler
        let limits = self.limits
        switch endpoint.transport {
        case .udp:
            return try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 * 1024 * 1024)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            UDPListenerHandler(listener: endpoint, handler: handler))
                    }
                }
                .bind(host: endpoint.host, port: endpoint.port).get()
        case .tcp, .tls:
            let table = self.table
            let connectionLimits = self.connectionLimits
            let logger = self.logger
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let admission = table.admitInbound(channel, listener: endpoint)
                        guard admission == .admitted else {
                            if case .refused(let reason, log: true) = admission {
                                logger.warning(
                                    "refusing connections: \(reason)",
                                    metadata: [
                                        "listener": "\(endpoint)", "from": "\(channel.remoteAddress?.ipAddress ?? "?")",
                                    ])
                            }
                            try channel.pipeline.syncOperations.addHandler(RefuseConnectionHandler())
                            return
                        }
                        try StreamPipeline.configure(
                            channel, listener: endpoint, transport: endpoint.transport,
                            tls: tls.map { NIOSSLServerHandler(context: $0) }, handler: handler, limits: limits,
                            connectionLimits: connectionLimits, counters: table.counters)
                    }
                }
                .bind(host: endpoint.host, port: endpoint.port).get()
        }
    }
}
