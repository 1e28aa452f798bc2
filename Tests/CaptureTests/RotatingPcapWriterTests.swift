import Capture
import Foundation
import GatehousePolicy
import Testing

/// Rotating capture files: each closed at its size, at most `files` kept, readable by libpcap.
struct RotatingPcapWriterTests {
    @Test func filesRotateAtTheirSizeAndTheOldestGo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-rotate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try RotatingPcapWriter(directory: directory.path, prefix: "sip-t", fileSize: 4096, files: 3)
        let from = try #require(IPAddress(parsing: "192.0.2.1"))
        let to = try #require(IPAddress(parsing: "192.0.2.2"))
        let frame = PacketBuilder.udpFrame(
            from: from, 5060, to: to, 5060, payload: Array(repeating: UInt8(ascii: "x"), count: 900))
        for index in 0..<40 { try writer.write(frame, timestamp: 1_700_000_000_000_000_000 + Int64(index) * 1000) }
        try writer.flush()
        let files = writer.existingFiles()
        #expect(files.count == 3, "\(files)")
        #expect(files.allSatisfy { $0.hasPrefix("sip-t-20231114-") })
        // 40 frames of ~958 bytes at 4 per file: files 1…10 were written, 8, 9 and 10 remain.
        #expect(files.map { $0.split(separator: "-").last } == ["8.pcap", "9.pcap", "10.pcap"])
        var frames = 0
        for name in files {
            let reader = try PcapFileReader(path: directory.path + "/" + name)
            while let packet = try reader.next() {
                #expect(packet.bytes == frame)
                frames += 1
            }
            let size = try FileManager.default.attributesOfItem(atPath: directory.path + "/" + name)[.size] as? Int
            #expect((size ?? 0) <= 4096)
        }
        #expect(frames == 12)

        // A new writer on the same directory continues the count and keeps the limit.
        let next = try RotatingPcapWriter(directory: directory.path, prefix: "sip-t", fileSize: 4096, files: 3)
        try next.write(frame, timestamp: 1_700_000_100_000_000_000)
        try next.flush()
        #expect(next.existingFiles().map { $0.split(separator: "-").last } == ["9.pcap", "10.pcap", "11.pcap"])
    }
}
