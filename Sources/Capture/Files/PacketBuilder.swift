import GatehousePolicy

/// Builds packets: link, IP and transport headers around a payload. Replay's `--emit` writes what Gatehouse would
/// have sent with these; the benchmark and the tests make their captures with them (fragments, TCP segments, VLAN
/// tags, cooked headers: each shape the decoder reads).
public enum PacketBuilder {
    /// The link-layer header to put in front of an IP packet.
    public enum Link: Sendable, Hashable {
        /// Ethernet II, with these VLAN tags (outermost first: an 802.1ad tag then an 802.1Q one for QinQ).
        case ethernet(vlanTags: [UInt16] = [])
        case linuxSLL
        case linuxSLL2
        /// BSD loopback with the family in little-endian order (as Linux and macOS write DLT_NULL).
        case null
        case raw

        /// The link type of a file holding such packets.
        public var linkType: LinkType {
            switch self {
            case .ethernet: .ethernet
            case .linuxSLL: .linuxSLL
            case .linuxSLL2: .linuxSLL2
            case .null: .null
            case .raw: .raw
            }
        }
    }

    /// A fragment header for `ip`: this piece of datagram `identification` at `offset` bytes (a multiple of 8 but
    /// for the last).
    public struct Fragment: Sendable, Hashable {
        public var identification: UInt32
        public var offset: Int
        public var hasMoreFragments: Bool
        public init(identification: UInt32, offset: Int, hasMoreFragments: Bool) {
            self.identification = identification
            self.offset = offset
            self.hasMoreFragments = hasMoreFragments
        }
    }

    /// A UDP datagram from `source`:`sourcePort` to `destination`:`destinationPort` in an Ethernet frame: what
    /// `--emit` writes.
    public static func udpFrame(
        from source: IPAddress, _ sourcePort: Int, to destination: IPAddress, _ destinationPort: Int,
        payload: [UInt8], link: Link = .ethernet()
    ) -> [UInt8] {
        let segment = udp(
            sourcePort: sourcePort, destinationPort: destinationPort, payload: payload, source: source,
            destination: destination)
        return frame(ip(from: source, to: destination, protocol: 17, payload: segment), link: link, source: source)
    }

    /// A UDP header and payload, with its checksum over the pseudo-header (RFC 768; mandatory for IPv6, RFC 8200 §8.1).
    public static func udp(
        sourcePort: Int, destinationPort: Int, payload: [UInt8], source: IPAddress, destination: IPAddress
    ) -> [UInt8] {
        var segment: [UInt8] = []
        segment.reserveCapacity(8 + payload.count)
        segment +=
            bigEndian(UInt16(truncatingIfNeeded: sourcePort)) + bigEndian(UInt16(truncatingIfNeeded: destinationPort))
        segment += bigEndian(UInt16(truncatingIfNeeded: 8 + payload.count)) + [0, 0]
        segment += payload
        var checksum = transportChecksum(segment, protocol: 17, source: source, destination: destination)
        if checksum == 0 { checksum = 0xFFFF }
        segment[6] = UInt8(checksum >> 8)
        segment[7] = UInt8(checksum & 0xFF)
        return segment
    }

    /// A TCP header (no options, ACK set, window 65535) and payload. `flags`: 0x01 FIN, 0x02 SYN, 0x04 RST,
    /// 0x08 PSH, 0x10 ACK.
    public static func tcp(
        sourcePort: Int, destinationPort: Int, sequence: UInt32, acknowledgment: UInt32 = 0, flags: UInt8 = 0x18,
        payload: [UInt8], source: IPAddress, destination: IPAddress
    ) -> [UInt8] {
        var segment: [UInt8] = []
        segment +=
            bigEndian(UInt16(truncatingIfNeeded: sourcePort)) + bigEndian(UInt16(truncatingIfNeeded: destinationPort))
        segment += bigEndian(sequence) + bigEndian(acknowledgment)
        segment += [0x50, flags] + bigEndian(UInt16(65_535)) + [0, 0, 0, 0]
        segment += payload
        let checksum = transportChecksum(segment, protocol: 6, source: source, destination: destination)
        segment[16] = UInt8(checksum >> 8)
        segment[17] = UInt8(checksum & 0xFF)
        return segment
    }

    /// An IPv4 or IPv6 packet (TTL/hop limit 64) around `payload`, optionally as one fragment of a larger datagram
    /// (IPv6: with a fragment header).
    public static func ip(
        from source: IPAddress, to destination: IPAddress, protocol transportProtocol: UInt8, payload: [UInt8],
        fragment: Fragment? = nil
    ) -> [UInt8] {
        switch (source, destination) {
        case (.v4(let source), .v4(let destination)):
            var header: [UInt8] = [0x45, 0]
            header += bigEndian(UInt16(truncatingIfNeeded: 20 + payload.count))
            header += bigEndian(UInt16(truncatingIfNeeded: fragment?.identification ?? 0))
            let flags: UInt16 = fragment.map { UInt16($0.offset / 8) | ($0.hasMoreFragments ? 0x2000 : 0) } ?? 0x4000
            header += bigEndian(flags) + [64, transportProtocol, 0, 0]
            header += bigEndian(source.value) + bigEndian(destination.value)
            let checksum = onesComplement(sum(header))
            header[10] = UInt8(checksum >> 8)
            header[11] = UInt8(checksum & 0xFF)
            return header + payload
        default:
            var extensionHeader: [UInt8] = []
            var nextHeader = transportProtocol
            if let fragment {
                extensionHeader = [transportProtocol, 0]
                extensionHeader += bigEndian(UInt16(fragment.offset) & 0xFFF8 | (fragment.hasMoreFragments ? 1 : 0))
                extensionHeader += bigEndian(fragment.identification)
                nextHeader = 44
            }
            var header: [UInt8] = [0x60, 0, 0, 0]
            header += bigEndian(UInt16(truncatingIfNeeded: extensionHeader.count + payload.count))
            header += [nextHeader, 64]
            header += addressBytes(source) + addressBytes(destination)
            return header + extensionHeader + payload
        }
    }

    /// `ip` behind the link header `link` (Ethernet addresses are made up; cooked headers say "sent by us").
    public static func frame(_ ip: [UInt8], link: Link, source: IPAddress? = nil) -> [UInt8] {
        let isIPv6 = (ip.first ?? 0) >> 4 == 6
        let etherType: UInt16 = isIPv6 ? 0x86DD : 0x0800
        switch link {
        case .ethernet(let tags):
            var header: [UInt8] = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]
            for (index, tag) in tags.enumerated() {
                header += bigEndian(UInt16(index == 0 && tags.count > 1 ? 0x88A8 : 0x8100)) + bigEndian(tag & 0x0FFF)
            }
            return header + bigEndian(etherType) + ip
        case .linuxSLL:
            return bigEndian(UInt16(4)) + bigEndian(UInt16(772)) + bigEndian(UInt16(6)) + [0, 0, 0, 0, 0, 0, 0, 0]
                + bigEndian(etherType) + ip
        case .linuxSLL2:
            return bigEndian(etherType) + [0, 0] + bigEndian(UInt32(1)) + bigEndian(UInt16(772)) + [4, 6]
                + [0, 0, 0, 0, 0, 0, 0, 0] + ip
        case .null:
            return [isIPv6 ? 10 : 2, 0, 0, 0] + ip
        case .raw:
            return ip
        }
    }

    // MARK: Checksums and bytes

    static func transportChecksum(
        _ segment: [UInt8], protocol transportProtocol: UInt8, source: IPAddress, destination: IPAddress
    ) -> UInt16 {
        var pseudo = addressBytes(source) + addressBytes(destination)
        if case .v4 = source {
            pseudo += [0, transportProtocol] + bigEndian(UInt16(truncatingIfNeeded: segment.count))
        } else {
            pseudo += bigEndian(UInt32(segment.count)) + [0, 0, 0, transportProtocol]
        }
        return onesComplement(sum(pseudo) + sum(segment))
    }

    private static func sum(_ bytes: [UInt8]) -> UInt32 {
        var total: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            total &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { total &+= UInt32(bytes[index]) << 8 }
        return total
    }

    private static func onesComplement(_ sum: UInt32) -> UInt16 {
        var folded = sum
        while folded > 0xFFFF { folded = (folded & 0xFFFF) + (folded >> 16) }
        return ~UInt16(folded)
    }

    public static func addressBytes(_ address: IPAddress) -> [UInt8] {
        switch address {
        case .v4(let v4): bigEndian(v4.value)
        case .v6(let v6): bigEndian(v6.high) + bigEndian(v6.low)
        }
    }

    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
