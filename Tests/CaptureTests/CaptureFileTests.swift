import Capture
import Foundation
import GatehousePolicy
import Testing

/// Files: what `PcapFileWriter` writes, libpcap reads back (pcap), and libpcap reads pcapng too.
struct CaptureFileTests {
    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "gatehouse-capture-\(getpid())-\(name)"
    }

    @Test func aWrittenPcapReadsBackWithNanosecondTimestamps() throws {
        let path = Self.temporaryPath("roundtrip.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = Crafted.udp(Crafted.options(callID: "a"), at: 1_700_000_000_123_456_789)
        let second = Crafted.udp(Crafted.options(callID: "b"), at: 1_700_000_001_000_000_001)
        do {
            let writer = try PcapFileWriter(path: path)
            try writer.write(first.bytes, timestamp: first.timestamp)
            try writer.write(second.bytes, timestamp: second.timestamp)
            try writer.flush()
        }
        let reader = try PcapFileReader(path: path)
        #expect(reader.linkType == .ethernet)
        let packets = [try reader.next(), try reader.next(), try reader.next()]
        #expect(packets[0]?.bytes == first.bytes)
        #expect(packets[0]?.timestamp == first.timestamp)
        #expect(packets[1]?.timestamp == second.timestamp)
        #expect(packets[2] == nil)
    }

    @Test func pcapngIsReadThroughLibpcap() throws {
        let path = Self.temporaryPath("capture.pcapng")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let packet = Crafted.udp(Crafted.options(callID: "ng"), link: .linuxSLL2, at: 1_700_000_000_000_001_000)
        try Data(Self.pcapng(packet.bytes, linkType: 276, microseconds: UInt64(packet.timestamp / 1_000)))
            .write(to: URL(fileURLWithPath: path))
        let reader = try PcapFileReader(path: path)
        #expect(reader.linkType == .linuxSLL2)
        let read = try #require(try reader.next())
        #expect(read.bytes == packet.bytes)
        #expect(read.timestamp == packet.timestamp)
        var decoder = CaptureDecoder()
        var messages: [CapturedMessage] = []
        decoder.decode(read, into: &messages)
        #expect(messages.count == 1)
    }

    @Test func anUnreadableFileIsAnErrorWithLibpcapsWords() {
        #expect(throws: CaptureFileError.self) { try PcapFileReader(path: "/nonexistent/capture.pcap") }
        let path = Self.temporaryPath("garbage.pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data("not a capture".utf8))
        #expect(throws: CaptureFileError.self) { try PcapFileReader(path: path) }
    }

    /// A pcapng file (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html): a section header block,
    /// one interface description block (microsecond timestamps, the default), one enhanced packet block.
    static func pcapng(_ packet: [UInt8], linkType: UInt16, microseconds: UInt64) -> [UInt8] {
        func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        func le16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
            let length = UInt32(12 + body.count)
            return le32(type) + le32(length) + body + le32(length)
        }
        let section = block(
            0x0A0D_0D0A, le32(0x1A2B_3C4D) + le16(1) + le16(0) + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        let interface = block(1, le16(linkType) + le16(0) + le32(262_144))
        let padding = [UInt8](repeating: 0, count: (4 - packet.count % 4) % 4)
        let enhanced = block(
            6,
            le32(0) + le32(UInt32(microseconds >> 32)) + le32(UInt32(microseconds & 0xFFFF_FFFF))
                + le32(UInt32(packet.count)) + le32(UInt32(packet.count)) + packet + padding)
        return section + interface + enhanced
    }
}
