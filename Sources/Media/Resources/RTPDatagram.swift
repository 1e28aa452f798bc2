/// A received RTP packet split into its header and its payload: the part an MRF decodes (audio) or reads (telephone
/// events). The header checks are `RTPHeader`'s; this adds where the payload starts and ends (after CSRCs and a header
/// extension, before padding; RFC 3550 §5.1, §5.3.1).
public struct RTPDatagram: Sendable, Hashable {
    public var header: RTPHeader
    public var payload: [UInt8]

    public init(header: RTPHeader, payload: [UInt8]) {
        self.header = header
        self.payload = payload
    }

    /// Nil when the bytes are not a valid RTP packet.
    public init?(bytes: [UInt8]) {
        let parsed = bytes.withUnsafeBytes { RTPHeader(bytes: $0) }
        guard let header = parsed else { return nil }
        var start = 12 + 4 * Int(bytes[0] & 0x0F)
        if bytes[0] & 0x10 != 0 {
            start += 4 + 4 * (Int(bytes[start + 2]) << 8 | Int(bytes[start + 3]))
        }
        let end = bytes[0] & 0x20 != 0 ? bytes.count - Int(bytes[bytes.count - 1]) : bytes.count
        self.header = header
        self.payload = Array(bytes[start..<end])
    }
}
