import CPcap
import Foundation
import Testing

/// libpcap writes a capture file with pcap_dump and reads it back with pcap_next_ex.
@Suite("libpcap")
struct PcapLibraryTests {
    struct Record: Equatable {
        var seconds: Int
        var microseconds: Int
        var wireLength: UInt32
        var bytes: [UInt8]
    }

    @Test("pcap_lib_version is non-empty")
    func libraryVersion() throws {
        let version = String(cString: try #require(pcap_lib_version()))
        #expect(version.contains("libpcap"))
    }

    @Test("two packets survive a pcap_dump / pcap_open_offline round trip")
    func dumpAndReadBack() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("gatehouse-pcap-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }

        // A full 64-byte frame, and a frame of 1514 bytes on the wire of which 60 were captured.
        let written = [
            Record(
                seconds: 1_700_000_000, microseconds: 123_456, wireLength: 64,
                bytes: (0..<64).map { UInt8($0) }),
            Record(
                seconds: 1_700_000_001, microseconds: 999_999, wireLength: 1514,
                bytes: (0..<60).map { UInt8(255 - $0) }),
        ]

        let dead = try #require(pcap_open_dead(DLT_EN10MB, 65535))
        defer { pcap_close(dead) }
        let dumper = try #require(pcap_dump_open(dead, path), "pcap_dump_open: \(String(cString: pcap_geterr(dead)))")
        for record in written {
            var header = pcap_pkthdr()
            header.ts.tv_sec = record.seconds
            header.ts.tv_usec = record.microseconds
            header.caplen = UInt32(record.bytes.count)
            header.len = record.wireLength
            record.bytes.withUnsafeBufferPointer { bytes in
                pcap_dump(UnsafeMutablePointer<UInt8>(dumper), &header, bytes.baseAddress)
            }
        }
        pcap_dump_close(dumper)

        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let reader = pcap_open_offline(path, &errbuf)
        let message = String(decoding: errbuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let handle = try #require(reader, "pcap_open_offline: \(message)")
        defer { pcap_close(handle) }
        #expect(pcap_datalink(handle) == DLT_EN10MB)

        var read: [Record] = []
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        var result: Int32 = 0
        while true {
            result = pcap_next_ex(handle, &header, &data)
            guard result == 1, let header, let data else { break }
            let h = header.pointee
            read.append(
                Record(
                    seconds: h.ts.tv_sec, microseconds: h.ts.tv_usec, wireLength: h.len,
                    bytes: Array(UnsafeBufferPointer(start: data, count: Int(h.caplen)))))
        }
        #expect(result == PCAP_ERROR_BREAK, "end of file, not an error")
        #expect(read == written)
    }
}
