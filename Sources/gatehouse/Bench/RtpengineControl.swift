import Foundation
import NIOCore
import NIOPosix

/// An rtpengine daemon the relay benchmark starts for itself (userspace forwarding only: `--table=-1`), and the
/// "ng" control protocol it is driven by: offer and answer, as a SIP proxy would send them for each call.
///
/// The daemon gets as many worker threads as Gatehouse's relay has event loops, so that both are measured with the
/// same share of the machine. It is stopped by its pid when the benchmark ends.
final class Rtpengine: @unchecked Sendable {
    let address: String
    let controlPort: Int
    private let process: Process
    /// The control socket's own loop, so that stopping the daemon never depends on the benchmark's loops.
    private let group: MultiThreadedEventLoopGroup
    private let control: Channel
    private let responses: ResponseHandler

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `executable` on `address` with media ports `ports`, and waits until it answers a ping.
    static func start(
        executable: String, address: String, controlPort: Int = 22_222, ports: ClosedRange<Int>, threads: Int
    ) async throws -> Rtpengine {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--foreground", "--log-stderr", "--log-level=3", "--table=-1", "--interface=\(address)",
            "--listen-ng=\(address):\(controlPort)", "--port-min=\(ports.lowerBound)",
            "--port-max=\(ports.upperBound)", "--num-threads=\(threads)", "--timeout=3600",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start \(executable): \(error) (apt-get install -y rtpengine-daemon)")
        }
        let responses = ResponseHandler()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let control = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(responses) }
            }
            .bind(host: address, port: 0).get()
        let engine = Rtpengine(
            address: address, controlPort: controlPort, process: process, group: group, control: control,
            responses: responses)
        for _ in 0..<10 {
            if (try? await engine.command(.dictionary([("command", .text("ping"))]))) != nil { return engine }
            guard process.isRunning else { break }
        }
        engine.stop()
        throw Failure(description: "rtpengine did not answer on \(address):\(controlPort)")
    }

    private init(
        address: String, controlPort: Int, process: Process, group: MultiThreadedEventLoopGroup, control: Channel,
        responses: ResponseHandler
    ) {
        self.address = address
        self.controlPort = controlPort
        self.process = process
        self.group = group
        self.control = control
        self.responses = responses
    }

    /// One call with one audio stream: `caller` offers, `callee` answers; returns where the caller's packets must go
    /// (the port in the SDP rtpengine gave the caller with the answer). `calleeProtocol` "RTP/SAVP" makes rtpengine
    /// protect the callee's leg with SDES SRTP.
    func openStream(
        call: Int, caller: (host: String, port: Int), callee: (host: String, port: Int), calleeProtocol: String? = nil
    ) async throws -> SocketAddress {
        var offer: [(key: String, value: Bencode)] = [
            ("command", .text("offer")), ("call-id", .text("bench-\(call)")), ("from-tag", .text("caller")),
            ("sdp", .text(Self.sdp(caller.host, caller.port, "RTP/AVP"))),
        ]
        if let calleeProtocol { offer.append(("transport-protocol", .text(calleeProtocol))) }
        let offered = try await command(.dictionary(offer))["sdp"]?.text ?? ""
        // An SDES answer picks one of the offer's crypto lines by its tag.
        let tag =
            offered.split(whereSeparator: \.isNewline)
            .first { $0.hasPrefix("a=crypto:") && $0.contains(" AES_CM_128_HMAC_SHA1_80 ") }
            .flatMap { $0.dropFirst("a=crypto:".count).split(separator: " ").first } ?? "1"
        let answer = try await command(
            .dictionary([
                ("command", .text("answer")), ("call-id", .text("bench-\(call)")), ("from-tag", .text("caller")),
                ("to-tag", .text("callee")),
                ("sdp", .text(Self.sdp(callee.host, callee.port, calleeProtocol ?? "RTP/AVP", cryptoTag: tag))),
            ]))
        guard let sdp = answer["sdp"]?.text,
            let line = sdp.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("m=audio ") }),
            let port = Int(line.split(separator: " ")[1])
        else { throw Failure(description: "rtpengine's answer has no audio port") }
        return try SocketAddress(ipAddress: address, port: port)
    }

    /// Sends one command and waits (up to a second: rtpengine answers slowly on a busy machine) for its response; an
    /// error response throws.
    func command(_ message: Bencode) async throws -> Bencode {
        let cookie = "c\(UInt32.random(in: 0...UInt32.max))"
        let promise = control.eventLoop.makePromise(of: Bencode.self)
        let target = try SocketAddress(ipAddress: address, port: controlPort)
        let datagram = ByteBuffer(bytes: Array((cookie + " ").utf8) + message.encoded)
        let responses = responses
        try await control.eventLoop.submit {
            responses.pending[cookie] = promise
            self.control.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: datagram), promise: nil)
            self.control.eventLoop.scheduleTask(in: .seconds(1)) {
                responses.pending.removeValue(forKey: cookie)?.fail(Failure(description: "no answer to \(cookie)"))
            }
        }.get()
        let response = try await promise.futureResult.get()
        guard response["result"]?.text == "ok" || response["result"]?.text == "pong" else {
            throw Failure(description: "rtpengine: \(response["error-reason"]?.text ?? "error")")
        }
        return response
    }

    /// Stops the daemon (by its pid) and the control socket's loop.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        group.shutdownGracefully { _ in }
    }

    /// An SDP with one PCMA stream; an SRTP one carries a key of its own (the sink never decrypts, but rtpengine
    /// wants a complete answer).
    private static func sdp(_ host: String, _ port: Int, _ transport: String, cryptoTag: Substring = "1") -> String {
        var sdp =
            "v=0\r\no=- 1 1 IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
            + "m=audio \(port) \(transport) 8\r\na=rtpmap:8 PCMA/8000\r\n"
        if transport == "RTP/SAVP" {
            let key = Data((0..<30).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            sdp += "a=crypto:\(cryptoTag) AES_CM_128_HMAC_SHA1_80 inline:\(key)\r\n"
        }
        return sdp
    }

    /// Matches responses to their commands by cookie, on the control channel's loop.
    final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        var pending: [String: EventLoopPromise<Bencode>] = [:]

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = ArraySlice(Self.unwrapInboundIn(data).data.readableBytesView)
            guard let space = bytes.firstIndex(of: UInt8(ascii: " ")),
                let promise = pending.removeValue(forKey: String(decoding: bytes[..<space], as: UTF8.self))
            else { return }
            do {
                promise.succeed(try Bencode(decoding: bytes[(space + 1)...]))
            } catch {
                promise.fail(error)
            }
        }
    }
}
