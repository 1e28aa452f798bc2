import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The operators' HTTP/1.1 listener (`admin.listen`): the admin API, `/metrics` and the status page.
///
/// Each request is read whole (bodies up to `maxBodySize`), answered by the `AdminRouter`, and the connection is
/// closed after the answer: the clients are scrapers, the CLI and a page polling once a second, for whom a
/// kept-alive connection would save nothing worth its state.
public final class AdminHTTPServer: Sendable {
    public static let maxBodySize = 64 * 1024
    let channel: any Channel

    /// The address the listener was bound to (port 0 in a policy picks a free one).
    public var boundAddress: SocketAddress? { channel.localAddress }

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Binds `host:port` and serves `router` until `close()`.
    public static func bind(
        host: String, port: Int, router: AdminRouter, group: any EventLoopGroup, logger: Logger
    ) async throws -> AdminHTTPServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(AdminHTTPHandler(router: router, logger: logger))
                }
            }
            .bind(host: host, port: port).get()
        logger.notice("admin listener bound", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        return AdminHTTPServer(channel: channel)
    }

    public func close() async {
        try? await channel.close()
    }
}

/// One connection: collects a request, hands it to the router, writes the answer and closes.
final class AdminHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: AdminRouter
    private let logger: Logger
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(router: AdminRouter, logger: Logger) {
        self.router = router
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            tooLarge = false
        case .body(var buffer):
            if body.count + buffer.readableBytes > AdminHTTPServer.maxBodySize {
                tooLarge = true
            } else {
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
        case .end:
            guard let head else { return }
            self.head = nil
            if tooLarge {
                write(.problem(413, "the body is larger than \(AdminHTTPServer.maxBodySize) bytes"), head, context)
                return
            }
            let request = AdminRequest(method: head.method.rawValue, target: head.uri, body: body)
            let router = self.router
            let promise = context.eventLoop.makePromise(of: AdminResponse.self)
            promise.completeWithTask { await router.handle(request) }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { response in
                let (handler, context) = bound.value
                handler.write(response, head, context)
            }
        }
    }

    private func write(_ response: AdminResponse, _ request: HTTPRequestHead, _ context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: "\(response.body.count)")
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Cache-Control", value: "no-store")
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        let head = HTTPResponseHead(
            version: request.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        if response.status >= 500, response.status != 503 {  // 503 is /ready's normal answer while draining
            logger.warning(
                "admin request failed", metadata: ["path": "\(request.uri)", "status": "\(response.status)"])
        }
    }
}
