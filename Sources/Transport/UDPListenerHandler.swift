import NIOCore
import SIPMessage

/// Receives SIP datagrams on a UDP listener and hands each to the inbound handler.
///
/// A datagram of only CRLFs is a keep-alive (RFC 5626 §4.4.1 uses STUN on UDP, but CRLF pings are common in the
/// field): it is absorbed here.
final class UDPListenerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let listener: SIPEndpoint
    private let handler: any SIPInboundHandler

    init(listener: SIPEndpoint, handler: any SIPInboundHandler) {
        self.listener = listener
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let view = envelope.data.readableBytesView
        if view.allSatisfy({ $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) { return }
        let connection = SIPConnectionContext(
            listener: listener, remote: envelope.remoteAddress, channel: context.channel)
        handler.received(Array(view), context: connection)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket error (e.g. ICMP port unreachable surfacing as ECONNREFUSED) must not close the listener.
    }
}
