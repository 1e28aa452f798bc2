import Media

/// A loopback-free address for the pure tests: a host and a port.
struct TestAddress: MediaAddress, CustomStringConvertible {
    var host: String
    var port: Int

    init(_ host: String, _ port: Int) {
        self.host = host
        self.port = port
    }

    func hasSameHost(as other: TestAddress) -> Bool { host == other.host }
    var isAnswerable: Bool { port != 0 }
    var description: String { "\(host):\(port)" }
}

/// Builds RTP and RTCP datagrams.
enum TestPackets {
    /// A 12-byte RTP header and `payload` bytes.
    static func rtp(
        sequence: UInt16, timestamp: UInt32, ssrc: UInt32 = 0x1234_5678, payloadType: UInt8 = 8, payload: Int = 160
    ) -> [UInt8] {
        var bytes: [UInt8] = [0x80, payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        for word in [timestamp, ssrc] {
            bytes += [UInt8(word >> 24), UInt8((word >> 16) & 0xFF), UInt8((word >> 8) & 0xFF), UInt8(word & 0xFF)]
        }
        return bytes + [UInt8](repeating: 0xD5, count: payload)
    }

    /// An RTCP receiver report with no report blocks (8 bytes, length field 1).
    static let rtcpReceiverReport: [UInt8] = [0x80, 201, 0, 1, 0x12, 0x34, 0x56, 0x78]

    static func parse(_ bytes: [UInt8]) -> MediaPacket? {
        bytes.withUnsafeBytes { MediaPacket(bytes: $0) }
    }

    static func header(sequence: UInt16, timestamp: UInt32, ssrc: UInt32 = 1) -> RTPHeader {
        RTPHeader(payloadType: 0, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc)
    }
}
