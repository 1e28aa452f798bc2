import GatehousePolicy
import SIPMessage

/// An IP packet's addresses, upper-layer protocol and payload; for a fragment, which piece of which datagram.
struct IPPacket {
    /// Where a fragment belongs: RFC 791 §3.2 (IPv4: source, destination, protocol, identification) and RFC 8200
    /// §4.5 (IPv6: source, destination, identification).
    struct Fragment {
        var identification: UInt32
        /// The payload's offset in the datagram, in bytes.
        var offset: Int
        var hasMoreFragments: Bool
    }

    var source: IPAddress
    var destination: IPAddress
    /// 17 UDP, 6 TCP.
    var transportProtocol: UInt8
    var payload: ArraySlice<UInt8>
    var fragment: Fragment?

    static let udp: UInt8 = 17
    static let tcp: UInt8 = 6

    /// Decodes the IPv4 or IPv6 header at `offset`.
    static func decode(_ bytes: [UInt8], at offset: Int) throws(PacketDecodeError) -> IPPacket {
        guard offset < bytes.count else { throw PacketDecodeError(.truncated, "no IP header") }
        switch bytes[offset] >> 4 {
        case 4: return try decodeIPv4(bytes, at: offset)
        case 6: return try decodeIPv6(bytes, at: offset)
        default: throw PacketDecodeError(.notIP, "IP version \(bytes[offset] >> 4)")
        }
    }

    /// RFC 791 §3.1.
    private static func decodeIPv4(_ bytes: [UInt8], at offset: Int) throws(PacketDecodeError) -> IPPacket {
        guard bytes.count >= offset + 20 else { throw PacketDecodeError(.truncated, "IPv4 header") }
        let headerLength = Int(bytes[offset] & 0x0F) * 4
        let totalLength = Int(bytes.uint16(at: offset + 2))
        guard headerLength >= 20, totalLength >= headerLength else {
            throw PacketDecodeError(.malformed, "IPv4 header length \(headerLength), total length \(totalLength)")
        }
        guard bytes.count >= offset + totalLength else {
            throw PacketDecodeError(.truncated, "IPv4 packet of \(totalLength) bytes, \(bytes.count - offset) captured")
        }
        let flagsAndOffset = bytes.uint16(at: offset + 6)
        let fragmentOffset = Int(flagsAndOffset & 0x1FFF) * 8
        let moreFragments = flagsAndOffset & 0x2000 != 0
        return IPPacket(
            source: .v4(IPv4Address(value: bytes.uint32(at: offset + 12))),
            destination: .v4(IPv4Address(value: bytes.uint32(at: offset + 16))),
            transportProtocol: bytes[offset + 9],
            payload: bytes[(offset + headerLength)..<(offset + totalLength)],
            fragment: fragmentOffset != 0 || moreFragments
                ? Fragment(
                    identification: UInt32(bytes.uint16(at: offset + 4)), offset: fragmentOffset,
                    hasMoreFragments: moreFragments)
                : nil)
    }

    /// RFC 8200 §3 and §4: the fixed header, then extension headers up to the upper-layer header.
    private static func decodeIPv6(_ bytes: [UInt8], at offset: Int) throws(PacketDecodeError) -> IPPacket {
        guard bytes.count >= offset + 40 else { throw PacketDecodeError(.truncated, "IPv6 header") }
        let payloadLength = Int(bytes.uint16(at: offset + 4))
        guard payloadLength > 0 else { throw PacketDecodeError(.malformed, "IPv6 jumbogram or empty payload") }
        let end = offset + 40 + payloadLength
        guard bytes.count >= end else {
            throw PacketDecodeError(.truncated, "IPv6 packet of \(40 + payloadLength) bytes")
        }
        var nextHeader = bytes[offset + 6]
        var cursor = offset + 40
        var fragment: Fragment?
        // Hop-by-hop (0), routing (43), destination options (60), fragment (44), authentication (51).
        for _ in 0..<16 {
            switch nextHeader {
            case 0, 43, 60:
                guard cursor + 2 <= end else { throw PacketDecodeError(.truncated, "IPv6 extension header") }
                let length = (Int(bytes[cursor + 1]) + 1) * 8
                nextHeader = bytes[cursor]
                cursor += length
            case 51:
                guard cursor + 2 <= end else { throw PacketDecodeError(.truncated, "IPv6 authentication header") }
                let length = (Int(bytes[cursor + 1]) + 2) * 4
                nextHeader = bytes[cursor]
                cursor += length
            case 44:
                guard cursor + 8 <= end else { throw PacketDecodeError(.truncated, "IPv6 fragment header") }
                let offsetAndFlags = bytes.uint16(at: cursor + 2)
                fragment = Fragment(
                    identification: bytes.uint32(at: cursor + 4), offset: Int(offsetAndFlags & 0xFFF8),
                    hasMoreFragments: offsetAndFlags & 1 != 0)
                nextHeader = bytes[cursor]
                cursor += 8
                // A later fragment holds only data: what follows is not a header.
                if fragment?.offset != 0 { return packet(nextHeader, cursor) }
            default:
                return packet(nextHeader, cursor)
            }
        }
        throw PacketDecodeError(.malformed, "more than 16 IPv6 extension headers")

        func packet(_ upperLayer: UInt8, _ start: Int) -> IPPacket {
            IPPacket(
                source: .v6(IPv6Address(high: bytes.uint64(at: offset + 8), low: bytes.uint64(at: offset + 16))),
                destination: .v6(
                    IPv6Address(high: bytes.uint64(at: offset + 24), low: bytes.uint64(at: offset + 32))),
                transportProtocol: upperLayer, payload: bytes[min(start, end)..<end],
                fragment: fragment.flatMap { $0.offset == 0 && !$0.hasMoreFragments ? nil : $0 })
        }
    }
}
