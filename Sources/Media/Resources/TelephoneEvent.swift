/// One RFC 4733 telephone-event payload (§2.3): which event, whether it has ended, its volume and how long it has
/// lasted so far. The same event is sent repeatedly while it lasts, all packets sharing the RTP timestamp of its
/// start (§2.5.1.2), and its end packet is sent three times (§2.5.1.4).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     event     |E|R| volume    |          duration             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct TelephoneEvent: Sendable, Hashable {
    public var event: UInt8
    public var isEnd: Bool
    /// Power level in -dBm0 (0…63).
    public var volume: UInt8
    /// In RTP timestamp units (samples at 8 kHz).
    public var duration: UInt16

    public init(event: UInt8, isEnd: Bool, volume: UInt8, duration: UInt16) {
        self.event = event
        self.isEnd = isEnd
        self.volume = volume
        self.duration = duration
    }

    /// Reads the first event of a payload (a sender may append redundant older events, §2.6, which add nothing here);
    /// nil when shorter than 4 bytes.
    public init?(payload: some Collection<UInt8>) {
        guard payload.count >= 4 else { return nil }
        let bytes = Array(payload.prefix(4))
        event = bytes[0]
        isEnd = bytes[1] & 0x80 != 0
        volume = bytes[1] & 0x3F
        duration = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
    }

    /// The DTMF digit (RFC 4733 §3.2, events 0–15: 0–9, *, #, A–D), or nil for other events.
    public var digit: Character? {
        event < 16 ? Self.digits[Int(event)] : nil
    }

    private static let digits: [Character] = Array("0123456789*#ABCD")

    /// The four payload bytes.
    public var bytes: [UInt8] {
        [event, (isEnd ? 0x80 : 0) | volume & 0x3F, UInt8(duration >> 8), UInt8(duration & 0xFF)]
    }
}
