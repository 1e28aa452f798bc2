import Capture
import GatehousePolicy
import SIPMessage

/// The addresses, messages and packet shapes the capture tests build.
enum Crafted {
    static let phone = IPAddress(parsing: "127.0.0.231")!
    static let node = IPAddress(parsing: "127.0.0.232")!
    static let phone6 = IPAddress(parsing: "2001:db8::231")!
    static let node6 = IPAddress(parsing: "2001:db8::232")!

    /// An OPTIONS request of about `size` bytes (padded with a header), with the given Call-ID.
    static func options(callID: String, size: Int = 0) -> [UInt8] {
        var lines = [
            "OPTIONS sip:node@127.0.0.232 SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.231:5062;branch=z9hG4bK-\(callID)",
            "Max-Forwards: 70",
            "From: <sip:phone@127.0.0.231>;tag=1",
            "To: <sip:node@127.0.0.232>",
            "Call-ID: \(callID)",
            "CSeq: 1 OPTIONS",
        ]
        let base = lines.joined(separator: "\r\n").utf8.count + 40
        if size > base { lines.append("X-Padding: " + String(repeating: "p", count: size - base)) }
        return Array((lines.joined(separator: "\r\n") + "\r\nContent-Length: 0\r\n\r\n").utf8)
    }

    static func udp(
        _ payload: [UInt8], from source: IPAddress = phone, _ sourcePort: Int = 5062, to destination: IPAddress = node,
        _ destinationPort: Int = 5060, link: PacketBuilder.Link = .ethernet(), at timestamp: Int64 = 1_000_000_000
    ) -> CapturedPacket {
        CapturedPacket(
            timestamp: timestamp, linkType: link.linkType,
            bytes: PacketBuilder.udpFrame(
                from: source, sourcePort, to: destination, destinationPort, payload: payload, link: link))
    }

    /// The IP fragments of one UDP datagram, `pieceSize` bytes of IP payload each (a multiple of 8).
    static func fragments(
        _ payload: [UInt8], from source: IPAddress = phone, to destination: IPAddress = node, pieceSize: Int,
        identification: UInt32 = 7
    ) -> [[UInt8]] {
        let datagram = PacketBuilder.udp(
            sourcePort: 5062, destinationPort: 5060, payload: payload, source: source, destination: destination)
        return stride(from: 0, to: datagram.count, by: pieceSize).map { offset in
            let piece = Array(datagram[offset..<min(offset + pieceSize, datagram.count)])
            let fragment = PacketBuilder.Fragment(
                identification: identification, offset: offset, hasMoreFragments: offset + pieceSize < datagram.count)
            return PacketBuilder.frame(
                PacketBuilder.ip(from: source, to: destination, protocol: 17, payload: piece, fragment: fragment),
                link: .ethernet())
        }
    }

    /// A TCP segment from the phone to the node carrying `payload` at `sequence`.
    static func tcp(
        _ payload: [UInt8], sequence: UInt32, flags: UInt8 = 0x18, from source: IPAddress = phone,
        to destination: IPAddress = node, at timestamp: Int64 = 1_000_000_000
    ) -> CapturedPacket {
        let segment = PacketBuilder.tcp(
            sourcePort: 40_000, destinationPort: 5060, sequence: sequence, flags: flags, payload: payload,
            source: source, destination: destination)
        return CapturedPacket(
            timestamp: timestamp, linkType: .ethernet,
            bytes: PacketBuilder.frame(
                PacketBuilder.ip(from: source, to: destination, protocol: 6, payload: segment), link: .ethernet()))
    }

    static func decode(
        _ packets: [CapturedPacket], configuration: CaptureDecoder.Configuration = .init()
    )
        -> (messages: [CapturedMessage], statistics: CaptureStatistics)
    {
        var decoder = CaptureDecoder(configuration)
        var messages: [CapturedMessage] = []
        for packet in packets { decoder.decode(packet, into: &messages) }
        return (messages, decoder.statistics)
    }

    static func bytes(of message: CapturedMessage) -> [UInt8]? {
        if case .message(let bytes) = message.content { return bytes }
        return nil
    }
}
