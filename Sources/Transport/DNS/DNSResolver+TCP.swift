import Logging
import NIOCore
import NIOPosix

extension DNSResolver {
    /// Sends `query` to `server` over a new TCP connection, each message framed by a two-byte length (RFC 1035
    /// §4.2.2), and waits for its answer. The connection is closed afterwards (no pipelining or reuse).
    func exchangeTCP(_ query: DNSQuery, with server: SocketAddress) async throws(DNSError) -> DNSMessage {
        let loop = group.next()
        let promise = loop.makePromise(of: DNSMessage.self)
        let logger = self.logger
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(TimeAmount(configuration.timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSStreamFrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(
                            DNSStreamHandler(query: query, promise: promise, logger: logger))
                    }
                }
                .connect(to: server).get()
        } catch {
            promise.fail(error)
            throw DNSError(.network, question: query.question, "cannot connect to \(server): \(error)")
        }
        let bytes = query.bytes
        return try await awaitAnswer(promise, on: channel, question: query.question) { channel in
            var buffer = channel.allocator.buffer(capacity: bytes.count + 2)
            buffer.writeInteger(UInt16(bytes.count))
            buffer.writeBytes(bytes)
            return channel.writeAndFlush(buffer)
        }
    }
}

/// Splits a DNS-over-TCP byte stream into messages: a two-byte length, then that many bytes (RFC 1035 §4.2.2).
struct DNSStreamFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            buffer.readableBytes >= 2 + Int(length)
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }
}

/// Completes the promise of one TCP attempt with the message that answers its query (same ID and question; the
/// connection already fixes the source). Other messages are dropped.
final class DNSStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let query: DNSQuery
    private let promise: EventLoopPromise<DNSMessage>
    private let logger: Logger

    init(query: DNSQuery, promise: EventLoopPromise<DNSMessage>, logger: Logger) {
        self.query = query
        self.promise = promise
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        switch query.answer(in: Array(buffer.readableBytesView)[...]) {
        case nil:
            logger.debug(
                "ignored a TCP message that does not answer the query", metadata: ["question": "\(query.question)"])
        case .success(let message):
            promise.succeed(message)
        case .failure(let error):
            promise.fail(DNSError(.malformed, question: query.question, "the TCP answer is malformed: \(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(DNSError(.network, question: query.question, "the server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(DNSError(.network, question: query.question, "the connection failed: \(error)"))
        context.close(promise: nil)
    }
}
