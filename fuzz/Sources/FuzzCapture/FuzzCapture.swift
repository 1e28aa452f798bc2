/// libFuzzer harness for `CaptureDecoder`: packets of any link type, as a hostile capture holds them.
///
/// Input layout: byte 0 picks the link type (of those the decoder reads, and one it does not); then packets, each a
/// 2-byte big-endian length and that many bytes (a short last packet takes what is left). Each packet is stamped
/// 100 ms after the previous one, so fragment and TCP timeouts come into play over long inputs.
///
/// Checked: no crash; the decoder counts every packet; no UDP payload it yields is larger than a datagram can
/// carry, whatever the fragments claimed; every message parses or throws `SIPParseError`.
import Capture
import SIPMessage

private let linkTypes: [LinkType] = [
    .ethernet, .linuxSLL, .linuxSLL2, .null, .loop, .raw, .ipv4, .ipv6, LinkType(rawValue: 147),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let selector = input.first else { return 0 }
    let linkType = linkTypes[Int(selector) % linkTypes.count]
    var decoder = CaptureDecoder()
    var messages: [CapturedMessage] = []
    var offset = 1
    var packets = 0
    var timestamp: Int64 = 0
    while offset + 2 <= input.count {
        let length = Int(input[offset]) << 8 | Int(input[offset + 1])
        let end = min(input.count, offset + 2 + length)
        let bytes = Array(input[(offset + 2)..<end])
        offset = end
        timestamp += 100_000_000
        decoder.decode(CapturedPacket(timestamp: timestamp, linkType: linkType, bytes: bytes), into: &messages)
        packets += 1
    }
    precondition(decoder.statistics.packets == packets, "a packet was not counted")
    let limits = decoder.configuration.limits
    for message in messages {
        guard case .message(let bytes) = message.content else { continue }
        if message.flow.transport == .udp {
            precondition(bytes.count <= 65_535, "a UDP payload larger than a datagram")
        }
        _ = try? SIPMessage(parsing: bytes, limits: limits)
    }
    return 0
}
