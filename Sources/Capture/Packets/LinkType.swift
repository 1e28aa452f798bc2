/// The link-layer header of a capture's packets, as libpcap names it (`pcap_datalink`'s DLT_ values; the file
/// formats' LINKTYPE_ values where they differ, so a header read by hand is understood too).
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// BSD loopback: a 4-byte address family in the byte order of the machine that wrote the file.
    public static let null = LinkType(rawValue: 0)
    /// Ethernet II, possibly with 802.1Q / 802.1ad (QinQ) tags.
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IP, no link header (DLT_RAW on Linux).
    public static let raw = LinkType(rawValue: 12)
    /// Raw IP as OpenBSD numbers DLT_RAW.
    public static let rawOpenBSD = LinkType(rawValue: 14)
    /// Raw IP as the file formats number it (LINKTYPE_RAW).
    public static let linktypeRaw = LinkType(rawValue: 101)
    /// OpenBSD loopback: like `null`, in network byte order.
    public static let loop = LinkType(rawValue: 108)
    /// Linux cooked capture v1 (`tcpdump -i any` before libpcap 1.10).
    public static let linuxSLL = LinkType(rawValue: 113)
    /// Raw IPv4 only.
    public static let ipv4 = LinkType(rawValue: 228)
    /// Raw IPv6 only.
    public static let ipv6 = LinkType(rawValue: 229)
    /// Linux cooked capture v2 (`tcpdump -i any` since libpcap 1.10).
    public static let linuxSLL2 = LinkType(rawValue: 276)

    public var description: String {
        switch self {
        case .null: "null"
        case .ethernet: "ethernet"
        case .raw, .rawOpenBSD, .linktypeRaw: "raw"
        case .loop: "loop"
        case .linuxSLL: "linux-sll"
        case .ipv4: "ipv4"
        case .ipv6: "ipv6"
        case .linuxSLL2: "linux-sll2"
        default: "linktype-\(rawValue)"
        }
    }
}
