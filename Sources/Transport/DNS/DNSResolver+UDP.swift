import Logging
import NIOCore
import NIOPosix

extension DNSResolver {
    /// Sends `query` to `server` from a new UDP socket on an ephemeral port and waits for its answer.
    func exchangeUDP(_ query: DNSQuery, with server: SocketAddress) async throws(DNSError) -> DNSMessage {
        let loop = group.next()
        let promise = loop.makePromise(of: DNSMessage.self)
        let logger = self.logger
        // Room for what was advertised and then some: a datagram longer than the read buffer would be cut short
        // without notice and then fail to parse.
        let readSize = max(4096, Int(query.udpPayloadSize ?? 512))
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: loop)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: readSize))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            DNSDatagramHandler(query: query, server: server, promise: promise, logger: logger))
                    }
                }
                .bind(host: server.protocol == .inet6 ? "::" : "0.0.0.0", port: 0).get()
        } catch {
            promise.fail(error)
            throw DNSError(.network, question: query.question, "cannot open a UDP socket: \(error)")
        }
        let bytes = query.bytes
        return try await awaitAnswer(promise, on: channel, question: query.question) { channel in
            channel.writeAndFlush(
                AddressedEnvelope(remoteAddress: server, data: channel.allocator.buffer(bytes: bytes)))
        }
    }
}

/// Completes the promise of one UDP attempt with the first datagram that answers its query (RFC 5452 §9.1: from
/// the server's address and port, with the query's ID and question). Other datagrams are dropped.
final class DNSDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let query: DNSQuery
    private let server: SocketAddress
    private let promise: EventLoopPromise<DNSMessage>
    private let logger: Logger

    init(query: DNSQuery, server: SocketAddress, promise: EventLoopPromise<DNSMessage>, logger: Logger) {
        self.query = query
        self.server = server
        self.promise = promise
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == server,
            let answer = query.answer(in: Array(envelope.data.readableBytesView)[...])
        else {
            logger.debug(
                "ignored a datagram that does not answer the query",
                metadata: ["from": "\(envelope.remoteAddress)", "question": "\(query.question)"])
            return
        }
        switch answer {
        case .success(let message):
            promise.succeed(message)
        case .failure(let error):
            promise.fail(
                DNSError(.malformed, question: query.question, "the answer from \(server) is malformed: \(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(DNSError(.shutdown, question: query.question, "the socket was closed"))
        context.fireChannelInactive()
    }

    /// A read error on an unconnected UDP socket says nothing about this query: keep waiting for the answer.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("UDP socket error", metadata: ["error": "\(error)", "question": "\(query.question)"])
    }
}
