/// Receive statistics of one RTP source on one leg: packets, bytes, loss from sequence numbers (RFC 3550 A.1, A.3)
/// and interarrival jitter (RFC 3550 A.8).
///
/// Loss is what the sequence numbers say was expected less what arrived, so duplicates can make it negative for a
/// while (A.3 clamps it in RTCP; `lost` clamps it at zero). A new SSRC starts the sequence over.
public struct RTPStatistics: Sendable, Hashable {
    /// Every RTP packet accepted from this leg, and their bytes (header included).
    public private(set) var packets: UInt64 = 0
    public private(set) var bytes: UInt64 = 0
    /// Interarrival jitter in RTP timestamp units (RFC 3550 §6.4.1: J += (|D| − J) / 16).
    public private(set) var jitter: Double = 0

    private var ssrc: UInt32?
    /// RFC 3550 A.1 `max_seq`, `cycles`, `base_seq`, `bad_seq`, `received`.
    private var maxSequence: UInt16 = 0
    private var cycles: UInt64 = 0
    private var baseSequence: UInt64 = 0
    private var badSequence: UInt32 = Self.sequenceModulus + 1
    private var received: UInt64 = 0
    /// The last packet's relative transit time, in timestamp units (A.8 `transit`).
    private var lastTransit: Int32?

    /// RFC 3550 A.1 constants.
    static let maxDropout: UInt16 = 3000
    static let maxMisorder: UInt16 = 100
    static let sequenceModulus: UInt32 = 1 << 16

    public init() {}

    /// The highest extended sequence number less the first, plus one (A.3 `expected`).
    public var expected: UInt64 {
        guard ssrc != nil else { return 0 }
        return cycles + UInt64(maxSequence) - baseSequence + 1
    }

    /// Packets the sequence numbers say were sent and never arrived.
    public var lost: UInt64 { expected > received ? expected - received : 0 }

    /// Jitter in milliseconds for a payload clocked at `clockRate` Hz.
    public func jitterMilliseconds(clockRate: UInt32) -> Double {
        clockRate == 0 ? 0 : jitter * 1000 / Double(clockRate)
    }

    /// Counts a packet that arrived at `arrival` (nanoseconds on a monotonic clock); `clockRate` is its payload
    /// type's RTP clock (8000 for G.711).
    public mutating func record(_ header: RTPHeader, size: Int, arrival: UInt64, clockRate: UInt32) {
        packets += 1
        bytes += UInt64(size)
        if ssrc != header.ssrc {
            ssrc = header.ssrc
            restart(at: header.sequenceNumber)
            lastTransit = nil
            jitter = 0
        } else if !updateSequence(header.sequenceNumber) {
            return
        }
        received += 1
        updateJitter(timestamp: header.timestamp, arrival: arrival, clockRate: clockRate)
    }

    /// RFC 3550 A.1 `init_seq`.
    private mutating func restart(at sequence: UInt16) {
        baseSequence = UInt64(sequence)
        maxSequence = sequence
        badSequence = Self.sequenceModulus + 1
        cycles = 0
        received = 0
    }

    /// RFC 3550 A.1 `update_seq` (without the probation of a new source, which the SSRC change covers): false for a
    /// packet far out of order that does not count until the next one confirms the jump.
    private mutating func updateSequence(_ sequence: UInt16) -> Bool {
        let delta = sequence &- maxSequence
        if delta < Self.maxDropout {
            // In order, with a permissible gap; a wrap of the 16-bit space counts another cycle.
            if sequence < maxSequence { cycles += UInt64(Self.sequenceModulus) }
            maxSequence = sequence
        } else if delta <= UInt16(Self.sequenceModulus - UInt32(Self.maxMisorder)) {
            // A very large jump: two sequential packets in a row mean the source restarted.
            if UInt32(sequence) == badSequence {
                restart(at: sequence)
            } else {
                badSequence = (UInt32(sequence) + 1) & (Self.sequenceModulus - 1)
                return false
            }
        }
        // Otherwise a duplicate or a packet out of order: counted, the highest sequence number stays.
        return true
    }

    /// RFC 3550 A.8: the arrival time in timestamp units less the RTP timestamp is the relative transit time; the
    /// jitter follows its changes with gain 1/16.
    private mutating func updateJitter(timestamp: UInt32, arrival: UInt64, clockRate: UInt32) {
        let arrivalUnits = UInt32(truncatingIfNeeded: arrival / 1000 * UInt64(clockRate) / 1_000_000)
        let transit = Int32(bitPattern: arrivalUnits &- timestamp)
        defer { lastTransit = transit }
        guard let lastTransit else { return }
        let difference = Double((transit &- lastTransit).magnitude)
        jitter += (difference - jitter) / 16
    }
}
