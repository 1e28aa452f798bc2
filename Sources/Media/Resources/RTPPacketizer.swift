/// Builds the RTP packets an MRF sends (RFC 3550 §5.1): a 12-byte header, no CSRCs or extensions, then the payload.
/// The sequence number and timestamp start where the caller says (random, per RFC 3550 §5.1, from an injected
/// generator) and advance by one and by 160 per 20 ms G.711 frame. The first packet of a talkspurt carries the marker
/// bit (RFC 3551 §4.1); so does the first after `startTalkspurt()`.
public struct RTPPacketizer: Sendable, Hashable {
    /// 20 ms at 8 kHz: the G.711 frame (RFC 3551 §4.5 recommends 20 ms packets).
    public static let samplesPerFrame = 160

    public var payloadType: UInt8
    public let ssrc: UInt32
    public private(set) var nextSequenceNumber: UInt16
    public private(set) var nextTimestamp: UInt32
    private var markNext = true

    public init(payloadType: UInt8, ssrc: UInt32, firstSequenceNumber: UInt16, firstTimestamp: UInt32) {
        self.payloadType = payloadType
        self.ssrc = ssrc
        self.nextSequenceNumber = firstSequenceNumber
        self.nextTimestamp = firstTimestamp
    }

    /// Marks the next packet as the start of a talkspurt (after a pause in sending, e.g. between announcements).
    public mutating func startTalkspurt() { markNext = true }

    /// Skips the timestamp ahead by `samples` without sending (silence suppressed), keeping the RTP clock honest.
    public mutating func skip(samples: Int) {
        nextTimestamp &+= UInt32(truncatingIfNeeded: samples)
    }

    /// One packet carrying `payload`, which covers `samples` sampling instants (160 for a G.711 frame).
    public mutating func packet(payload: some Collection<UInt8>, samples: Int = samplesPerFrame) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(12 + payload.count)
        bytes.append(0x80)
        bytes.append(payloadType & 0x7F | (markNext ? 0x80 : 0))
        bytes.append(UInt8(nextSequenceNumber >> 8))
        bytes.append(UInt8(nextSequenceNumber & 0xFF))
        for word in [nextTimestamp, ssrc] {
            bytes.append(UInt8(word >> 24))
            bytes.append(UInt8((word >> 16) & 0xFF))
            bytes.append(UInt8((word >> 8) & 0xFF))
            bytes.append(UInt8(word & 0xFF))
        }
        bytes.append(contentsOf: payload)
        markNext = false
        nextSequenceNumber &+= 1
        nextTimestamp &+= UInt32(truncatingIfNeeded: samples)
        return bytes
    }

    /// Cuts G.711 bytes into 20 ms packets; a short last frame is padded with `law`'s silence.
    public mutating func packets(g711 bytes: [UInt8], law: G711Law) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: Self.samplesPerFrame).map { start in
            let frame = bytes[start..<min(start + Self.samplesPerFrame, bytes.count)]
            let padding = [UInt8](repeating: law.silence, count: Self.samplesPerFrame - frame.count)
            return packet(payload: Array(frame) + padding)
        }
    }
}
