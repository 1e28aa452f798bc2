import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SIPMessage

/// The bound SIP sockets of a running node: one UDP socket or TCP/TLS server socket per listener endpoint, the
/// connections they accept, and the `pool` that sends out of them.
///
/// Binding is all or nothing: if one endpoint cannot be bound (address in use, address not on this host, TLS
/// files unreadable), the ones already bound are closed again and the error names the endpoint.
public final class SIPListeners: Sendable {
    public struct BindError: Error, CustomStringConvertible {
        public var endpoint: SIPEndpoint
        public var underlying: any Error
        public var description: String { "cannot bind \(endpoint): \(underlying)" }
    }

    /// The endpoints and the addresses they were actually bound to (port 0 becomes a real port).
    public let bound: [(endpoint: SIPEndpoint, address: SocketAddress)]
    /// Outbound sending: UDP from the listeners' sockets, TCP/TLS over reused or new connections.
    public let pool: SIPConnectionPool
    /// Connection counters (open, refused, reaped…), shared with whoever passed them to `bind`.
    public let counters: TransportCounters
    private let channels: [any Channel]
    private let table: ConnectionTable

    private init(
        bound: [(SIPEndpoint, SocketAddress)], channels: [any Channel], pool: SIPConnectionPool, table: ConnectionTable
    ) {
        self.bound = bound.map { (endpoint: $0.0, address: $0.1) }
        self.channels = channels
        self.pool = pool
        self.table = table
        self.counters = table.counters
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
        var channels: [any Channel] = []
        var bound: [(SIPEndpoint, SocketAddress)] = []
        do {
            if let roots = tlsClient.trustRootsFile {
                _ = try TLSFiles.certificates(roots, role: "trust roots")
            }
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
                    channel = try await setup.bindOne(endpoint, tls: serverContext)
                } catch {
                    throw BindError(endpoint: endpoint, underlying: error)
                }
                channels.append(channel)
                let address = try channel.localAddress ?? SocketAddress(ipAddress: endpoint.host, port: endpoint.port)
                bound.append((endpoint, address))
                logger.info("listening", metadata: ["endpoint": "\(endpoint)", "bound": "\(address)"])
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        var udpListeners: [SIPEndpoint: any Channel] = [:]
        for (index, (endpoint, _)) in bound.enumerated() where endpoint.transport == .udp {
            udpListeners[endpoint] = channels[index]
        }
        let pool = SIPConnectionPool(
            group: group, handler: handler, limits: limits, connectionLimits: connectionLimits, table: table,
            udpListeners: udpListeners, streamListeners: bound.map(\.0).filter(\.transport.isStream), tls: tls,
            tlsClient: tlsClient, logger: logger)
        return SIPListeners(bound: bound, channels: channels, pool: pool, table: table)
    }

    /// Closes every listener and every TCP/TLS connection, inbound and outbound.
    public func close() async {
        for channel in channels { try? await channel.close() }
        for connection in table.closeAll() { try? await connection.close() }
    }
}

/// What binding one endpoint needs.
private struct ListenerSetup {
    let group: any EventLoopGroup
    let handler: any SIPInboundHandler
    let limits: SIPLimits
    let connectionLimits: ConnectionLimits
    let table: ConnectionTable
    let logger: Logger

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
