import GatehousePolicy

/// One SIP message as a HEPv3 packet (the Homer Encapsulation Protocol, version 3): what a Homer collector (or
/// heplify-server) takes on its UDP port.
///
/// A packet is `HEP3`, its total length, then chunks of vendor 0 (generic), each `vendor(2) type(2) length(2)
/// value`, all big-endian: IP family, transport protocol, source and destination address and port, the time
/// (seconds and microseconds), the payload type (1: SIP), the capture agent's id, an optional password, and the
/// SIP message itself.
public struct HEPPacket: Sendable, Hashable {
    public var source: IPAddress
    public var sourcePort: Int
    public var destination: IPAddress
    public var destinationPort: Int
    /// 17 for UDP, 6 for TCP and TLS (HEP says what carried the message, decrypted).
    public var transportProtocol: UInt8
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var agentID: UInt32
    public var password: String?
    public var payload: [UInt8]

    public init(
        source: IPAddress, sourcePort: Int, destination: IPAddress, destinationPort: Int, transportProtocol: UInt8,
        timestamp: Int64, agentID: UInt32, password: String? = nil, payload: [UInt8]
    ) {
        self.source = source
        self.sourcePort = sourcePort
        self.destination = destination
        self.destinationPort = destinationPort
        self.transportProtocol = transportProtocol
        self.timestamp = timestamp
        self.agentID = agentID
        self.password = password
        self.payload = payload
    }

    /// Chunk types of vendor 0 (HEP3 specification, "generic chunk types").
    enum Chunk: UInt16 {
        case ipFamily = 0x0001
        case ipProtocol = 0x0002
        case ipv4Source = 0x0003
        case ipv4Destination = 0x0004
        case ipv6Source = 0x0005
        case ipv6Destination = 0x0006
        case sourcePort = 0x0007
        case destinationPort = 0x0008
        case timestampSeconds = 0x0009
        case timestampMicroseconds = 0x000A
        case payloadType = 0x000B
        case agentID = 0x000C
        case password = 0x000E
        case payload = 0x000F
    }

    /// The packet's bytes. Mixed address families (IPv4 source, IPv6 destination) are written as IPv6, with the
    /// IPv4 address mapped (`::ffff:a.b.c.d`).
    public var encoded: [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(payload.count + 128)
        let sourceBytes = PacketBuilder.addressBytes(source)
        let destinationBytes = PacketBuilder.addressBytes(destination)
        let isIPv4 = sourceBytes.count == 4 && destinationBytes.count == 4
        Self.append(.ipFamily, [isIPv4 ? 2 : 10], to: &body)
        Self.append(.ipProtocol, [transportProtocol], to: &body)
        if isIPv4 {
            Self.append(.ipv4Source, sourceBytes, to: &body)
            Self.append(.ipv4Destination, destinationBytes, to: &body)
        } else {
            Self.append(.ipv6Source, Self.asIPv6(sourceBytes), to: &body)
            Self.append(.ipv6Destination, Self.asIPv6(destinationBytes), to: &body)
        }
        Self.append(.sourcePort, Self.bigEndian(UInt16(truncatingIfNeeded: sourcePort)), to: &body)
        Self.append(.destinationPort, Self.bigEndian(UInt16(truncatingIfNeeded: destinationPort)), to: &body)
        let microseconds = max(0, timestamp) / 1000
        Self.append(.timestampSeconds, Self.bigEndian(UInt32(truncatingIfNeeded: microseconds / 1_000_000)), to: &body)
        Self.append(
            .timestampMicroseconds, Self.bigEndian(UInt32(truncatingIfNeeded: microseconds % 1_000_000)), to: &body)
        Self.append(.payloadType, [1], to: &body)
        Self.append(.agentID, Self.bigEndian(agentID), to: &body)
        if let password { Self.append(.password, Array(password.utf8), to: &body) }
        Self.append(.payload, payload, to: &body)
        return Array("HEP3".utf8) + Self.bigEndian(UInt16(truncatingIfNeeded: 6 + body.count)) + body
    }

    private static func append(_ chunk: Chunk, _ value: [UInt8], to body: inout [UInt8]) {
        body += [0, 0] + bigEndian(chunk.rawValue) + bigEndian(UInt16(truncatingIfNeeded: 6 + value.count)) + value
    }

    private static func asIPv6(_ bytes: [UInt8]) -> [UInt8] {
        bytes.count == 16 ? bytes : [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + bytes
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
