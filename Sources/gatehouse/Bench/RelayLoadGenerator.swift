import CDatagramBatch
import Foundation
import Glibc
import Synchronization

/// The relay benchmark's load: one thread and one socket send every stream's RTP packets, many at a time in one
/// sendmmsg, each to its stream's port on the relay. Per packet it costs the kernel's send and a few stores, so on
/// a 2-core machine the relay under test gets most of the CPU the load does not need; a load generator with a
/// socket per stream on an event loop paid a system call and NIO's write path per packet and ran out before the
/// relays did at 100 and 1000 streams.
///
/// Two loads:
/// - **paced** at `rate` packets/s in all, split evenly over the streams and spread over time, the way calls send (a
///   G.711 call is 50 packets/s; 1000 calls are 50,000/s). Every `tick` the packets due since the start
///   (rate × elapsed time) leave, one per stream in turn, so each stream gets the same share and none gets a burst
///   larger than rate × tick ÷ streams. When the thread falls behind by more than `maximumLag` (the machine is
///   busy), what cannot be sent on time is counted in `skipped` rather than sent in one burst later;
/// - **flood**: packets for each stream in turn, in batches as large as sendmmsg takes, as fast as the thread can
///   send them.
///
/// Each stream's packets carry rising sequence numbers (65,536, then round again): SRTP refuses to protect a packet
/// twice, and rtpengine stops forwarding a stream that repeats one at a high rate.
final class RelayLoadGenerator: Sendable {
    enum Load: Equatable, Sendable {
        case paced(rate: Int)
        case flood
    }

    /// How often due packets leave: 250 µs.
    static let tick = Duration.microseconds(250)
    /// How far behind the load may fall before it gives up on the packets it is late with: 10 ms.
    static let maximumLag = 0.010

    private let socket: BenchDatagramSocket
    private let packets: PacketTable
    private let destinations: [sockaddr_in]
    /// What the thread does now (nil: nothing), with a generation that tells it a new load started.
    private let command = Mutex<(load: Load?, generation: Int, exit: Bool)>((nil, 0, false))
    private let counters = Mutex<(sent: Int, skipped: Int)>((0, 0))
    private let exited = Mutex(false)

    /// The socket a generator sends from: bound before the streams are set up, whose SDP names its port.
    static func socket(host: String) throws -> BenchDatagramSocket {
        try BenchDatagramSocket(host: host, sendBuffer: 4 << 20)
    }

    /// A generator sending from `socket` to `destinations` (one per stream); idle until `start`.
    init(socket: BenchDatagramSocket, destinations: [sockaddr_in], packetSize: Int) {
        self.socket = socket
        packets = PacketTable(size: packetSize)
        self.destinations = destinations
        Thread { [self] in
            // Named from the thread itself, in at most 15 characters: otherwise `ps -T` and perf do not show it.
            Thread.current.name = "bench-load"
            run()
        }.start()
    }

    /// Starts `load`, or restarts it (a paced load's clock starts again).
    func start(_ load: Load) {
        command.withLock { $0 = (load, $0.generation + 1, false) }
    }

    func stop() {
        command.withLock { $0.load = nil }
    }

    /// Packets sent so far, and packets a paced load could not send on time.
    var counts: (sent: Int, skipped: Int) { counters.withLock { $0 } }

    /// Ends the thread and closes the socket.
    func shutdown() async {
        command.withLock { $0.exit = true }
        while !exited.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(1)) }
        socket.close()
    }

    private func run() {
        var batch = Batch(streams: destinations.count, packetSize: packets.size)
        var generation = 0
        var startedAt = ContinuousClock.now
        var accounted = 0
        while true {
            let (load, current, exit) = command.withLock { ($0.load, $0.generation, $0.exit) }
            if exit { break }
            switch load {
            case nil:
                Thread.sleep(forTimeInterval: 0.001)
            case .flood:
                let sent = send(count: Int(GH_DATAGRAM_BATCH_MAX), batch: &batch)
                counters.withLock { $0.sent += sent }
            case .paced(let rate):
                if current != generation {
                    generation = current
                    startedAt = .now
                    accounted = 0
                }
                let elapsed = (ContinuousClock.now - startedAt).inSeconds
                var owed = Int(elapsed * Double(rate)) - accounted
                let limit = Int(Double(rate) * Self.maximumLag) + 1
                var late = 0
                if owed > limit {
                    late = owed - limit
                    owed = limit
                }
                accounted += owed + late
                let sent = owed > 0 ? send(count: owed, batch: &batch) : 0
                counters.withLock {
                    $0.sent += sent
                    $0.skipped += late + owed - sent
                }
                // The next tick, counted from the start so that the time sending took is not added to it.
                let ticks = (elapsed / Self.tick.inSeconds).rounded(.down) + 1
                let wait = startedAt + Self.tick * ticks - .now
                if wait > .zero { Thread.sleep(forTimeInterval: wait.inSeconds) }
            }
        }
        exited.withLock { $0 = true }
    }

    /// Sends `count` packets, one per stream in turn from where the last call stopped; returns how many the kernel
    /// took (all of them unless a send failed).
    private func send(count: Int, batch: inout Batch) -> Int {
        var sent = 0
        while sent < count {
            let size = min(count - sent, Int(GH_DATAGRAM_BATCH_MAX))
            for index in 0..<size {
                let stream = batch.cursor
                batch.cursor = stream + 1 == destinations.count ? 0 : stream + 1
                batch.payloads[index] = UnsafePointer(packets.packet(batch.nextPacket[stream]))
                batch.nextPacket[stream] = batch.nextPacket[stream] &+ 1
                batch.destinations[index] = destinations[stream]
            }
            let taken = batch.payloads.withUnsafeBufferPointer { payloads in
                batch.lengths.withUnsafeBufferPointer { lengths in
                    batch.destinations.withUnsafeBufferPointer { destinations in
                        gh_send_batch(
                            socket.descriptor, payloads.baseAddress, lengths.baseAddress, destinations.baseAddress,
                            UInt32(size))
                    }
                }
            }
            guard taken > 0 else { break }
            sent += Int(taken)
            if Int(taken) < size { break }
        }
        return sent
    }

    /// The thread's own arrays, filled per sendmmsg (allocated once).
    private struct Batch {
        var payloads: [UnsafePointer<UInt8>?]
        var lengths: [Int]
        var destinations: [sockaddr_in]
        /// Each stream's next sequence number, and the stream the next packet goes to.
        var nextPacket: [UInt16]
        var cursor = 0

        init(streams: Int, packetSize: Int) {
            let size = Int(GH_DATAGRAM_BATCH_MAX)
            payloads = Array(repeating: nil, count: size)
            lengths = Array(repeating: packetSize, count: size)
            destinations = Array(repeating: sockaddr_in(), count: size)
            nextPacket = Array(repeating: 0, count: streams)
        }
    }
}

/// The 65,536 packets of a stream, one per sequence number, side by side in one allocation.
private final class PacketTable: Sendable {
    let size: Int
    private nonisolated(unsafe) let bytes: UnsafeMutableRawBufferPointer

    init(size: Int) {
        self.size = size
        bytes = .allocate(byteCount: size * 65_536, alignment: 16)
        for sequence in 0...Int(UInt16.max) {
            let packet = RelayBenchmark.packet(sequence: UInt16(sequence), size: size)
            packet.withUnsafeReadableBytes {
                UnsafeMutableRawBufferPointer(rebasing: bytes[(sequence * size)..<((sequence + 1) * size)])
                    .copyMemory(from: $0)
            }
        }
    }

    func packet(_ sequence: UInt16) -> UnsafeMutablePointer<UInt8> {
        (bytes.baseAddress! + Int(sequence) * size).assumingMemoryBound(to: UInt8.self)
    }

    deinit { bytes.deallocate() }
}
