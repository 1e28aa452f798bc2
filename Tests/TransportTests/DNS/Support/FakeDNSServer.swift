import NIOCore
import NIOPosix
import Synchronization

@testable import Transport

/// A scripted DNS server on 127.0.0.197 (an ephemeral port), for what dnsmasq will not do: answer with an SOA,
/// fail, send malformed or spoofed packets. A second socket on another port sends the "spoofed" replies.
final class FakeDNSServer: Sendable {
    enum Reply: Sendable {
        /// Sent from the server's own address and port.
        case fromServer([UInt8])
        /// Sent from another port of the same host: a spoofed source.
        case fromElsewhere([UInt8])
    }

    /// Gives the replies for a query (its ID and question parsed, and how many queries came before it).
    typealias Script = @Sendable (_ query: DNSQuery, _ index: Int) -> [Reply]

    let server: DNSResolverConfiguration.Server
    private let channel: any Channel
    private let spoofer: any Channel
    private let log: Log

    /// The questions received so far.
    var questions: [DNSQuestion] { log.questions.withLock { $0 } }

    private init(channel: any Channel, spoofer: any Channel, log: Log) {
        self.channel = channel
        self.spoofer = spoofer
        self.log = log
        self.server = DNSResolverConfiguration.Server(host: "127.0.0.197", port: channel.localAddress?.port ?? 0)
    }

    static func start(group: any EventLoopGroup, script: @escaping Script) async throws -> FakeDNSServer {
        // Both sockets on one loop: a write from the handler then leaves at once, in the order of the script.
        let loop = group.next()
        let spoofer = try await DatagramBootstrap(group: loop).bind(host: "127.0.0.197", port: 0).get()
        let log = Log()
        let channel = try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptHandler(script: script, spoofer: spoofer, log: log))
                }
            }
            .bind(host: "127.0.0.197", port: 0).get()
        return FakeDNSServer(channel: channel, spoofer: spoofer, log: log)
    }

    func stop() async {
        try? await channel.close()
        try? await spoofer.close()
    }

    /// The questions received, shared by the server and its handler.
    private final class Log: Sendable {
        let questions = Mutex<[DNSQuestion]>([])

        func record(_ question: DNSQuestion) -> Int {
            questions.withLock {
                $0.append(question)
                return $0.count - 1
            }
        }
    }

    private final class ScriptHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>

        let script: Script
        let spoofer: any Channel
        let log: Log

        init(script: @escaping Script, spoofer: any Channel, log: Log) {
            self.script = script
            self.spoofer = spoofer
            self.log = log
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let message = try? DNSMessage(parsing: Array(envelope.data.readableBytesView)),
                let question = message.questions.first
            else { return }
            let index = log.record(question)
            let query = DNSQuery(id: message.header.id, question: question)
            for reply in script(query, index) {
                switch reply {
                case .fromServer(let bytes):
                    let buffer = context.channel.allocator.buffer(bytes: bytes)
                    context.writeAndFlush(
                        wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)),
                        promise: nil)
                case .fromElsewhere(let bytes):
                    let buffer = spoofer.allocator.buffer(bytes: bytes)
                    spoofer.writeAndFlush(
                        AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer), promise: nil)
                }
            }
        }
    }
}
