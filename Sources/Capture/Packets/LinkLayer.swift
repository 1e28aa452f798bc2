/// Strips the link-layer header: where the IP packet in a captured frame starts.
///
/// Ethernet frames may carry 802.1Q and 802.1ad tags (any number, QinQ included); Linux cooked captures (SLL
/// and SLL2, what `tcpdump -i any` writes) name the protocol themselves; BSD loopback names an address family;
/// raw IP has no header at all.
enum LinkLayer {
    static let etherTypeIPv4: UInt16 = 0x0800
    static let etherTypeIPv6: UInt16 = 0x86DD
    /// 802.1Q, 802.1ad, and the pre-standard QinQ tag.
    @inline(__always)
    static func isVLANTag(_ etherType: UInt16) -> Bool {
        etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100
    }

    /// The offset of the IP header in `bytes`.
    static func ipOffset(in bytes: [UInt8], linkType: LinkType) throws(PacketDecodeError) -> Int {
        switch linkType {
        case .ethernet:
            guard bytes.count >= 14 else { throw PacketDecodeError(.truncated, "Ethernet header") }
            var offset = 12
            var etherType = bytes.uint16(at: offset)
            while isVLANTag(etherType) {
                offset += 4
                guard bytes.count >= offset + 2 else { throw PacketDecodeError(.truncated, "VLAN tag") }
                etherType = bytes.uint16(at: offset)
            }
            try requireIP(etherType)
            return offset + 2
        case .linuxSLL:
            guard bytes.count >= 16 else { throw PacketDecodeError(.truncated, "Linux cooked header") }
            try requireIP(bytes.uint16(at: 14))
            return 16
        case .linuxSLL2:
            guard bytes.count >= 20 else { throw PacketDecodeError(.truncated, "Linux cooked v2 header") }
            try requireIP(bytes.uint16(at: 0))
            return 20
        case .null, .loop:
            guard bytes.count >= 4 else { throw PacketDecodeError(.truncated, "loopback header") }
            // The family is in the writer's byte order (null) or network order (loop): either way one of the two
            // readings is a small number. AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30 by system.
            let big = bytes.uint32(at: 0)
            let family = big > 0xFFFF ? big.byteSwapped : big
            guard [2, 10, 24, 28, 30].contains(family) else {
                throw PacketDecodeError(.notIP, "loopback family \(family)")
            }
            return 4
        case .raw, .rawOpenBSD, .linktypeRaw, .ipv4, .ipv6:
            return 0
        default:
            throw PacketDecodeError(.unsupportedLinkType, "\(linkType)")
        }
    }

    private static func requireIP(_ etherType: UInt16) throws(PacketDecodeError) {
        guard etherType == etherTypeIPv4 || etherType == etherTypeIPv6 else {
            throw PacketDecodeError(.notIP, "EtherType 0x\(String(etherType, radix: 16))")
        }
    }
}
