import Capture
import Foundation
import GatehousePolicy
import Testing

/// HEPv3 packets as a Homer collector reads them: the header, then vendor-0 chunks.
struct HEPPacketTests {
    /// The chunks of a packet by type (vendor 0), after checking its header and lengths.
    static func chunks(_ bytes: [UInt8]) -> [UInt16: [UInt8]]? {
        guard bytes.count >= 6, Array(bytes[0..<4]) == Array("HEP3".utf8),
            Int(bytes[4]) << 8 | Int(bytes[5]) == bytes.count
        else { return nil }
        var chunks: [UInt16: [UInt8]] = [:]
        var offset = 6
        while offset + 6 <= bytes.count {
            let vendor = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let type = UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])
            let length = Int(bytes[offset + 4]) << 8 | Int(bytes[offset + 5])
            guard vendor == 0, length >= 6, offset + length <= bytes.count else { return nil }
            chunks[type] = Array(bytes[(offset + 6)..<(offset + length)])
            offset += length
        }
        return offset == bytes.count ? chunks : nil
    }

    @Test func anIPv4UDPMessageCarriesEveryGenericChunk() throws {
        let payload = Array("OPTIONS sip:x@example.net SIP/2.0\r\n\r\n".utf8)
        let packet = HEPPacket(
            source: try #require(IPAddress(parsing: "192.0.2.1")), sourcePort: 5060,
            destination: try #require(IPAddress(parsing: "198.51.100.7")), destinationPort: 5080, transportProtocol: 17,
            timestamp: 1_700_000_000_123_456_789, agentID: 2001, password: "secret", payload: payload)
        let chunks = try #require(Self.chunks(packet.encoded))
        #expect(chunks[0x0001] == [2])
        #expect(chunks[0x0002] == [17])
        #expect(chunks[0x0003] == [192, 0, 2, 1])
        #expect(chunks[0x0004] == [198, 51, 100, 7])
        #expect(chunks[0x0007] == [0x13, 0xC4])
        #expect(chunks[0x0008] == [0x13, 0xD8])
        #expect(chunks[0x0009] == [0x65, 0x53, 0xF1, 0x00])  // 1,700,000,000 s
        #expect(chunks[0x000A] == [0x00, 0x01, 0xE2, 0x40])  // 123,456 µs
        #expect(chunks[0x000B] == [1])
        #expect(chunks[0x000C] == [0, 0, 0x07, 0xD1])
        #expect(chunks[0x000E] == Array("secret".utf8))
        #expect(chunks[0x000F] == payload)
    }

    @Test func ipv6AndMixedFamiliesAreWrittenAsIPv6() throws {
        let packet = HEPPacket(
            source: try #require(IPAddress(parsing: "2001:db8::1")), sourcePort: 5061,
            destination: try #require(IPAddress(parsing: "192.0.2.9")), destinationPort: 5061, transportProtocol: 6,
            timestamp: 0, agentID: 1, payload: Array("SIP/2.0 200 OK\r\n\r\n".utf8))
        let chunks = try #require(Self.chunks(packet.encoded))
        #expect(chunks[0x0001] == [10] && chunks[0x0002] == [6])
        #expect(chunks[0x0005]?.count == 16 && chunks[0x0005]?.first == 0x20)
        #expect(chunks[0x0006] == [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 192, 0, 2, 9])
        #expect(chunks[0x0003] == nil && chunks[0x000E] == nil)
    }
}
