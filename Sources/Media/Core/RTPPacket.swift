/// What a datagram on a media socket is, read from its first bytes without copying them: an RTP packet (with the
/// header fields the counters need) or an RTCP packet. Anything else is not relayed.
///
/// RFC 3550 §5.1: version 2, CSRC count, extension and padding must fit in the datagram. RFC 5761 §4: on a shared
/// (rtcp-mux) port, a second byte of 192–223 (payload types 64–95 with the marker bit) is RTCP.
public enum MediaPacket: Sendable, Hashable {
    case rtp(RTPHeader)
    case rtcp

    /// Classifies a datagram; nil when it is neither valid RTP nor valid RTCP.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 8, bytes[0] >> 6 == 2 else { return nil }
        let second = bytes[1]
        if (192...223).contains(second) {
            // RFC 3550 §6.4.1: the RTCP length field counts 32-bit words minus one.
            let words = Int(bytes[2]) << 8 | Int(bytes[3])
            guard (words + 1) * 4 <= bytes.count else { return nil }
            self = .rtcp
            return
        }
        guard let header = RTPHeader(bytes: bytes) else { return nil }
        self = .rtp(header)
    }
}

/// The fixed RTP header (RFC 3550 §5.1) fields the relay reads.
public struct RTPHeader: Sendable, Hashable {
    public var payloadType: UInt8
    public var marker: Bool
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32

    public init(payloadType: UInt8, marker: Bool = false, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32) {
        self.payloadType = payloadType
        self.marker = marker
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
    }

    /// Reads and checks the header: version 2, and the CSRC list, header extension and padding within the datagram.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard Self.payloadRange(in: bytes) != nil else { return nil }
        self.payloadType = bytes[1] & 0x7F
        self.marker = bytes[1] & 0x80 != 0
        self.sequenceNumber = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        self.timestamp = Self.word(bytes, at: 4)
        self.ssrc = Self.word(bytes, at: 8)
    }

    /// Where an RTP packet's payload lies: after the CSRC list and the header extension, before the padding (RFC
    /// 3550 §5.1, §5.3.1); nil when the datagram is not version 2 or those parts do not fit in it.
    public static func payloadRange(in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        guard bytes.count >= 12, bytes[0] >> 6 == 2 else { return nil }
        let first = bytes[0]
        var headerLength = 12 + 4 * Int(first & 0x0F)
        guard headerLength <= bytes.count else { return nil }
        if first & 0x10 != 0 {
            // A 4-byte extension header whose second half counts 32-bit words.
            guard headerLength + 4 <= bytes.count else { return nil }
            let words = Int(bytes[headerLength + 2]) << 8 | Int(bytes[headerLength + 3])
            headerLength += 4 + 4 * words
            guard headerLength <= bytes.count else { return nil }
        }
        var end = bytes.count
        if first & 0x20 != 0 {
            let padding = Int(bytes[bytes.count - 1])
            guard padding > 0, headerLength + padding <= bytes.count else { return nil }
            end -= padding
        }
        return headerLength..<end
    }

    private static func word(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }
}
