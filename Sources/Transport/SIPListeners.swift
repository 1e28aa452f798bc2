import Logging
import NIOCore
import NIOPosix
import SIPMessage

/// The bound SIP sockets of a running node: one UDP socket or TCP server socket per listener endpoint.
///
/// Binding is all or nothing: if one endpoint cannot be bound (address in use, address not on this host), the
/// ones already bound are closed again and the error names the endpoint.
public final class SIPListeners: Sendable {
    public struct BindError: Error, CustomStringConvertible {
        public var endpoint: SIPEndpoint
        public var underlying: any Error
        public var description: String { "cannot bind \(endpoint): \(underlying)" }
    }

    /// The endpoints and the addresses they were actually bound to (port 0 becomes a real port).
    public let bound: [(endpoint: SIPEndpoint, address: SocketAddress)]
    private let channels: [any Channel]

    private init(bound: [(SIPEndpoint, SocketAddress)], channels: [any Channel]) {
        self.bound = bound.map { (endpoint: $0.0, address: $0.1) }
        self.channels = channels
    }

    /// Binds every endpoint. UDP sockets get a large receive buffer, so that a burst of signalling is queued
    /// rather than dropped by the kernel.
    public static func bind(
        _ endpoints: [SIPEndpoint], group: any EventLoopGroup, handler: any SIPInboundHandler,
        limits: SIPLimits, logger: Logger
    ) async throws -> SIPListeners {
        var channels: [any Channel] = []
        var bound: [(SIPEndpoint, SocketAddress)] = []
        do {
            for endpoint in endpoints {
                let channel: any Channel
                do {
                    channel = try await bindOne(endpoint, group: group, handler: handler, limits: limits)
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
        return SIPListeners(bound: bound, channels: channels)
    }

    private static func bindOne(
        _ endpoint: SIPEndpoint, group: any EventLoopGroup, handler: any SIPInboundHandler, limits: SIPLimits
    ) async throws -> any Channel {
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
        case .tcp:
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            StreamFramingHandler(listener: endpoint, handler: handler, limits: limits))
                    }
                }
                .bind(host: endpoint.host, port: endpoint.port).get()
        case .tls:
            throw TransportError.unsupportedTransport(endpoint.transport)
        }
    }

    /// Closes every listener.
    public func close() async {
        for channel in channels { try? await channel.close() }
    }
}

public enum TransportError: Error, CustomStringConvertible {
    case unsupportedTransport(SIPTransport)

    public var description: String {
        switch self {
        case .unsupportedTransport(let kind): "this build does not serve \(kind) listeners yet"
        }
    }
}
