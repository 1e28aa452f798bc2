import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client for the admin listener: what `gatehouse status`, `calls`, `registrations` and
/// `reload` use (and the tests). One request per connection, as the listener closes after each answer.
public struct AdminClient: Sendable {
    public struct Reply: Sendable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public struct ClientError: Error, CustomStringConvertible {
        public var description: String
    }

    public let host: String
    public let port: Int
    public let timeout: TimeAmount

    public init(host: String, port: Int, timeout: TimeAmount = .seconds(10)) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    /// `HOST:PORT` or `[IPv6]:PORT`.
    public init?(address: String) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    public func request(_ method: HTTPMethod, _ path: String, body: [UInt8] = []) async throws -> Reply {
        let promise = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Reply.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ReplyCollector(promise: promise))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            promise.fail(error)
            throw ClientError(description: "cannot reach the admin listener at \(host):\(port): \(error)")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        if !body.isEmpty { headers.add(name: "Content-Type", value: "application/json") }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        // Closing fails the promise through the collector (once: it tracks whether the answer came).
        let timeout = channel.eventLoop.scheduleTask(in: self.timeout) { channel.close(promise: nil) }
        defer { timeout.cancel() }
        return try await promise.futureResult.get()
    }
}

/// Collects one response and completes the promise when it ends (or the connection closes first).
private final class ReplyCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<AdminClient.Reply>
    private var reply = AdminClient.Reply(status: 0, contentType: "", body: [])
    private var done = false

    init(promise: EventLoopPromise<AdminClient.Reply>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            reply.status = Int(head.status.code)
            reply.contentType = head.headers.first(name: "Content-Type") ?? ""
        case .body(var buffer):
            reply.body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            done = true
            promise.succeed(reply)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            promise.fail(AdminClient.ClientError(description: "the connection closed before an answer came"))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            promise.fail(error)
        }
        context.close(promise: nil)
    }
}
