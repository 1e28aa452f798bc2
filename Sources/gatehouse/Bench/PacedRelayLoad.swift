import NIOCore

/// The paced load generator of the relay benchmark: `rate` packets per second in all, split evenly over the
/// streams and spread over time, the way calls send (a G.711 call is 50 packets/s; 1000 calls are 50,000/s).
///
/// Every `tick` the load works out how many packets are due since it started (rate × elapsed time) and sends that
/// many, one per stream in turn, so each stream gets the same share and no stream gets a burst larger than
/// rate × tick ÷ streams (25 packets at 100,000/s on one stream). A flood, where one socket is refilled as fast as
/// it drains, is not what a relay meets; rtpengine even stops reading a socket that holds more than 50 packets.
///
/// When the loop falls behind by more than `maximumLag` (the machine is busy), what cannot be sent on time is
/// counted in `skipped` rather than sent in one burst later: the rate actually offered is `sent` over the window,
/// and a run whose load fell short says so. Runs on `loop` only (hence `@unchecked Sendable`).
final class PacedRelayLoad: @unchecked Sendable {
    /// How often due packets leave: 250 µs.
    static let tick = TimeAmount.microseconds(250)
    /// How far behind the load may fall before it gives up on the packets it is late with: 10 ms.
    static let maximumLag = 0.010

    private let loop: any EventLoop
    private let channels: [Channel]
    private let targets: [SocketAddress]
    private let packets: [ByteBuffer]
    /// Each stream's next packet (sequence numbers rise per stream, never repeat within 65,536).
    private var nextPacket: [Int]
    /// The stream the next due packet goes to.
    private var cursor = 0
    private var rate = 0.0
    private var startedAt = NIODeadline.now()
    /// Packets due since `startedAt` that were sent or skipped.
    private var accounted = 0
    private var task: RepeatedTask?
    /// Packets written, and packets not sent because the load was late or a socket was full.
    private(set) var sent = 0
    private(set) var skipped = 0

    init(loop: any EventLoop, streams: [(channel: Channel, target: SocketAddress)], packets: [ByteBuffer]) {
        self.loop = loop
        channels = streams.map(\.channel)
        targets = streams.map(\.target)
        self.packets = packets
        nextPacket = Array(repeating: 0, count: streams.count)
    }

    /// Starts (or restarts at a new rate) the load.
    func start(rate: Int) {
        stop()
        self.rate = Double(rate)
        startedAt = .now()
        accounted = 0
        task = loop.scheduleRepeatedTask(initialDelay: Self.tick, delay: Self.tick) { [weak self] _ in
            self?.sendDue()
        }
    }

    func stop() {
        task?.cancel()
        task = nil
    }

    private func sendDue() {
        guard !channels.isEmpty else { return }
        let elapsed = Double((NIODeadline.now() - startedAt).nanoseconds) / 1e9
        var owed = Int(elapsed * rate) - accounted
        let limit = Int(rate * Self.maximumLag) + 1
        if owed > limit {
            skipped += owed - limit
            accounted += owed - limit
            owed = limit
        }
        guard owed > 0 else { return }
        accounted += owed
        let first = cursor
        for _ in 0..<owed {
            let stream = cursor
            cursor = cursor + 1 == channels.count ? 0 : cursor + 1
            guard channels[stream].isWritable else {
                skipped += 1
                continue
            }
            let packet = packets[nextPacket[stream]]
            nextPacket[stream] = nextPacket[stream] + 1 == packets.count ? 0 : nextPacket[stream] + 1
            channels[stream].write(AddressedEnvelope(remoteAddress: targets[stream], data: packet), promise: nil)
            sent += 1
        }
        // The streams written to are the `owed` that follow `first` (all of them when owed ≥ streams): one flush
        // each, so a stream's packets of this tick leave in one sendmmsg.
        var stream = first
        for _ in 0..<min(owed, channels.count) {
            channels[stream].flush()
            stream = stream + 1 == channels.count ? 0 : stream + 1
        }
    }
}
