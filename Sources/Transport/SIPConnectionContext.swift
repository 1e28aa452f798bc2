import NIOCore
import SIPMessage

/// Where a message came from and how to answer it: the listener, the remote address and the channel it arrived on.
///
/// Handlers above the transport never touch NIO pipelines: they read the addresses from here and call `send`.
public struct SIPConnectionContext: Sendable {
    /// The listener that received the message (its realm is known to whoever created the listener).
    public let listener: SIPEndpoint
    /// The source address of the packet or connection.
    public let remote: SocketAddress
    /// The transport the message arrived over (the listener's, except on an outbound connection opened from a
    /// realm endpoint of another transport).
    public let transport: SIPTransport
    let channel: any Channel

    init(listener: SIPEndpoint, transport: SIPTransport? = nil, remote: SocketAddress, channel: any Channel) {
        self.listener = listener
        self.transport = transport ?? listener.transport
        self.remote = remote
        self.channel = channel
    }

    /// Sends bytes back: on a stream, over the same connection; on UDP, to `destination` (by default the source
    /// of the request), from the listener's own socket so that the reply leaves from the address it was sent to.
    public func send(_ bytes: [UInt8], to destination: SocketAddress? = nil) {
        let channel = self.channel
        let buffer = channel.allocator.buffer(bytes: bytes)
        if transport.isStream {
            channel.writeAndFlush(buffer, promise: nil)
        } else {
            let envelope = AddressedEnvelope(remoteAddress: destination ?? remote, data: buffer)
            channel.writeAndFlush(envelope, promise: nil)
        }
    }

    /// Closes a stream connection (after a framing error); no-op for UDP.
    public func closeConnection() {
        guard transport.isStream else { return }
        channel.close(promise: nil)
    }
}

/// What the transport hands upward.
public protocol SIPInboundHandler: Sendable {
    /// One complete message (a datagram, or a frame cut from a stream).
    func received(_ bytes: [UInt8], context: SIPConnectionContext)
    /// A stream could not be framed (no Content-Length, oversized headers…); the connection is closed after this.
    func framingFailed(_ error: any Error, context: SIPConnectionContext)
}
