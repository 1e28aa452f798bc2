import NIOCore
import SIPMessage

/// Cuts a TCP (or TLS) connection's bytes into SIP messages with `SIPStreamFramer` and hands each upward.
///
/// Keep-alive pings (CRLFCRLF) are answered with a CRLF pong right here (RFC 5626 §3.5.1). A framing error (no
/// Content-Length, headers that never end) leaves the stream impossible to resynchronise: the handler is told,
/// then the connection is closed.
final class StreamFramingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let listener: SIPEndpoint
    private let transport: SIPTransport
    private let handler: any SIPInboundHandler
    private var framer: SIPStreamFramer

    /// `transport` is the connection's own (`listener` may be a realm endpoint of another transport when an
    /// outbound connection leaves a realm that has no listener of that transport).
    init(listener: SIPEndpoint, transport: SIPTransport, handler: any SIPInboundHandler, limits: SIPLimits) {
        self.listener = listener
        self.transport = transport
        self.handler = handler
        self.framer = SIPStreamFramer(limits: limits)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        framer.append(buffer.readableBytesView)
        guard let remote = context.channel.remoteAddress else { return }
        let connection = SIPConnectionContext(
            listener: listener, transport: transport, remote: remote, channel: context.channel)
        do {
            while let frame = try framer.next() {
                switch frame {
                case .message(let bytes):
                    handler.received(bytes, context: connection)
                case .ping:
                    context.writeAndFlush(
                        wrapOutboundOut(context.channel.allocator.buffer(string: "\r\n")), promise: nil)
                case .pong:
                    break
                }
            }
        } catch {
            handler.framingFailed(error, context: connection)
            context.close(promise: nil)
        }
    }

    /// A read error, a reset, or a failed TLS handshake: the connection is gone.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
