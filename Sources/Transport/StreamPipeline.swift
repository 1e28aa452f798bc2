import NIOCore
import NIOSSL
import SIPMessage

/// The handlers of every TCP/TLS connection, inbound or outbound, in pipeline order:
///
///     IdleStateHandler → IdleCloseHandler → [NIOSSLServerHandler | NIOSSLClientHandler] → StreamFramingHandler
///
/// The idle handlers sit next to the socket, so that they see every byte either way (TLS records included) and
/// reap a connection whose peer never finishes its handshake as well.
enum StreamPipeline {
    static func configure(
        _ channel: any Channel, listener: SIPEndpoint, transport: SIPTransport, tls: (any ChannelHandler)?,
        handler: any SIPInboundHandler, limits: SIPLimits, connectionLimits: ConnectionLimits,
        counters: TransportCounters
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(IdleStateHandler(allTimeout: connectionLimits.idleTimeout))
        try pipeline.addHandler(IdleCloseHandler(counters: counters))
        if let tls { try pipeline.addHandler(tls) }
        try pipeline.addHandler(
            StreamFramingHandler(listener: listener, transport: transport, handler: handler, limits: limits))
    }
}

/// Closes a connection on which nothing was read or written for the idle timeout (`IdleStateEvent.all`).
final class IdleCloseHandler: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let counters: TransportCounters

    init(counters: TransportCounters) {
        self.counters = counters
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            counters.update { $0.reapedConnections += 1 }
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Closes a connection refused by a limit as soon as it is active, before anything is read from it.
final class RefuseConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { context.close(promise: nil) }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }
}
