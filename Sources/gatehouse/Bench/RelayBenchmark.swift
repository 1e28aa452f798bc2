import Media
import NIOCore
import NIOPosix
import SDP

/// What carries the bench's packets from senders to sinks.
enum RelayUnderTest: String, CaseIterable, Sendable {
    /// Gatehouse's media relay, in this process, on `relayThreads` event loops.
    case gatehouse
    /// An rtpengine daemon in userspace mode (`--table=-1`) with `relayThreads` worker threads, set up per stream
    /// through its ng control protocol as Kamailio would.
    case rtpengine
    /// Nothing: the load goes straight to the sink. The loopback limit of this machine with this load generator.
    case loopback
}

/// Relay throughput: `streams` anchored streams fed with 172-byte RTP packets (a 20 ms G.711 frame) by one load
/// generator (`RelayLoadGenerator`: one socket and thread, sendmmsg) and drained by one sink (`RelayBenchSink`:
/// one socket and thread, recvmmsg) that counts what arrived. The same load generator measures Gatehouse,
/// rtpengine and bare loopback, in three ways: a flood (`run()`: the load as fast as its thread sends), a paced
/// load at a set rate (`run(rate:)`), and a search for the highest paced rate carried with less than 1 % loss
/// (`search`, `RelayRateSearch`). The rig underneath is `RelayBenchRig`.
///
/// With `protection: .srtp` the sink's leg is SDES SRTP (AES_CM_128_HMAC_SHA1_80) and the sink answers with a key
/// of its own (it never decrypts), so the relay protects every packet.
///
/// The figure is packets delivered to the sink per second of the measured window. On a 2-core machine the load,
/// the sink and the relay share the CPU, so the figure is a floor for any relay, not its ceiling.
struct RelayBenchmark {
    enum Protection: String, CaseIterable {
        case rtp
        case srtp
    }

    var streams: Int
    var seconds: Int
    var through: RelayUnderTest = .gatehouse
    var protection = Protection.rtp
    /// Event loops of Gatehouse's relay, or worker threads of rtpengine.
    var relayThreads = 1
    var rtpengineExecutable = "/usr/bin/rtpengine"
    var packetSize = 172
    /// Loopback addresses of the bench: the relay's two realms, the senders, the sinks, rtpengine.
    var relayInbound = "127.0.0.70"
    var relayOutbound = "127.0.0.71"
    var senderHost = "127.0.0.72"
    var sinkHost = "127.0.0.73"
    var rtpengineHost = "127.0.0.90"

    struct Result {
        var sent: Int
        var delivered: Int
        var seconds: Double
        /// The size of the last datagram a sink received (packetSize + 10 when SRTP added its tag).
        var deliveredSize: Int
        /// The paced load's rate (nil for the flood), and the packets it could not send on time.
        var offeredRate: Int? = nil
        var skipped = 0
        var perSecond: Double { seconds > 0 ? Double(delivered) / seconds : 0 }
        var sentPerSecond: Double { seconds > 0 ? Double(sent) / seconds : 0 }
        /// The share of the packets sent in the window that did not arrive.
        var loss: Double { sent > 0 ? 1 - Double(delivered) / Double(sent) : 1 }
    }

    /// The flood: the load as fast as its thread sends, for `seconds`.
    func run() async throws -> Result {
        try await onRig { try await $0.flood(seconds: seconds) }
    }

    /// The paced load at `rate` packets/s in all, measured for `seconds`.
    func run(rate: Int) async throws -> Result {
        try await onRig { try await $0.paced(rate: rate, seconds: Double(seconds)) }
    }

    /// The highest rate carried with less than 1 % loss (`RelayRateSearch`).
    func search(
        _ search: RelayRateSearch, report: (Result) -> Void
    ) async throws -> RelayRateSearch.Outcome {
        try await search.run(makeRig: { try await startRigAgain() }, report: report)
    }

    /// A rig right after another was taken down: at 1000 streams the bench's port ranges are full, and a port the
    /// last rig's sockets still held, or an rtpengine slow to answer under load, fails the set-up; it is tried once
    /// more a second later.
    private func startRigAgain() async throws -> RelayBenchRig {
        do {
            return try await RelayBenchRig.start(self)
        } catch {
            try await Task.sleep(for: .seconds(1))
            return try await RelayBenchRig.start(self)
        }
    }

    /// Sets up the rig, runs `body` on it, and takes it down again whatever happened.
    private func onRig<T>(_ body: (RelayBenchRig) async throws -> T) async throws -> T {
        let rig = try await RelayBenchRig.start(self)
        do {
            let result = try await body(rig)
            try await rig.stop()
            return result
        } catch {
            try? await rig.stop()
            throw error
        }
    }

    /// A PCMA packet of `size` bytes with sequence number `sequence`.
    static func packet(sequence: UInt16, size: Int) -> ByteBuffer {
        var packet = ByteBuffer(bytes: [0x80, 8])
        packet.writeInteger(sequence)
        packet.writeInteger(UInt32(sequence) &* 160)
        packet.writeBytes([0x47, 0x41, 0x54, 0x45])
        packet.writeBytes([UInt8](repeating: 0xD5, count: size - 12))
        return packet
    }

    static func description(_ host: String, _ port: Int) throws -> SessionDescription {
        try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                + "m=audio \(port) RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
    }
}
