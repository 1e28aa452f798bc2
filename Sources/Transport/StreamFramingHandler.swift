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
    private let handler: any SIPInboundHandler
    private var framer: SIPStreamFramer

    init(listener: SIPEndpoint, handler: any SIPInboundHandler, limits: SIPLimits) {
        self.listener = listener
        self.handler = handler
        self.framer = SIPStreamFramer(limits: limits)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        framer.append(buffer.readableBytesView)
        guard let remote = context.channel.remoteAddress else { return }
        let connection = SIPConnectionContext(listener: listener, remote: remote, channel: context.channel)
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

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
