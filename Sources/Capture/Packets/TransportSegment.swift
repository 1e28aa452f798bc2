/// A UDP datagram's or TCP segment's ports and payload (RFC 768, RFC 9293 §3.1).
struct TransportSegment {
    struct TCPFields {
        var sequence: UInt32
        var isSYN: Bool
        var isFIN: Bool
        var isRST: Bool
    }

    var sourcePort: Int
    var destinationPort: Int
    var payload: ArraySlice<UInt8>
    /// nil for UDP.
    var tcp: TCPFields?

    static func decodeUDP(_ datagram: ArraySlice<UInt8>) throws(PacketDecodeError) -> TransportSegment {
        let start = datagram.startIndex
        guard datagram.count >= 8 else { throw PacketDecodeError(.truncated, "UDP header") }
        let length = Int(UInt16(datagram[start + 4]) << 8 | UInt16(datagram[start + 5]))
        guard length >= 8 else { throw PacketDecodeError(.malformed, "UDP length \(length)") }
        guard datagram.count >= length else { throw PacketDecodeError(.truncated, "UDP datagram of \(length) bytes") }
        return TransportSegment(
            sourcePort: port(datagram, start), destinationPort: port(datagram, start + 2),
            payload: datagram[(start + 8)..<(start + length)], tcp: nil)
    }

    static func decodeTCP(_ segment: ArraySlice<UInt8>) throws(PacketDecodeError) -> TransportSegment {
        let start = segment.startIndex
        guard segment.count >= 20 else { throw PacketDecodeError(.truncated, "TCP header") }
        let headerLength = Int(segment[start + 12] >> 4) * 4
        guard headerLength >= 20 else { throw PacketDecodeError(.malformed, "TCP data offset \(headerLength)") }
        guard segment.count >= headerLength else { throw PacketDecodeError(.truncated, "TCP options") }
        let flags = segment[start + 13]
        var sequence: UInt32 = 0
        for index in 4..<8 { sequence = sequence << 8 | UInt32(segment[start + index]) }
        return TransportSegment(
            sourcePort: port(segment, start), destinationPort: port(segment, start + 2),
            payload: segment[(start + headerLength)...],
            tcp: TCPFields(
                sequence: sequence, isSYN: flags & 0x02 != 0, isFIN: flags & 0x01 != 0, isRST: flags & 0x04 != 0))
    }

    private static func port(_ bytes: ArraySlice<UInt8>, _ index: Int) -> Int {
        Int(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
    }
}
