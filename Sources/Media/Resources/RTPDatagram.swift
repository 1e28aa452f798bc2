/// A received RTP packet split into its header and its payload: the part an MRF decodes (audio) or reads (telephone
/// events). The header and where the payload lies are `RTPHeader`'s.
public struct RTPDatagram: Sendable, Hashable {
    public var header: RTPHeader
    public var payload: [UInt8]

    public init(header: RTPHeader, payload: [UInt8]) {
        self.header = header
        self.payload = payload
    }

    /// Nil when the bytes are not a valid RTP packet.
    public init?(bytes: [UInt8]) {
        let read = bytes.withUnsafeBytes { (header: RTPHeader(bytes: $0), payload: RTPHeader.payloadRange(in: $0)) }
        guard let header = read.header, let range = read.payload else { return nil }
        self.header = header
        self.payload = Array(bytes[range])
    }
}
