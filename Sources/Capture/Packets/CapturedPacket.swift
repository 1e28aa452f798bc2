/// One packet as a capture file holds it: when it was seen, what link header it starts with, and its bytes (as
/// captured: a snap length may have cut it short).
public struct CapturedPacket: Sendable {
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var linkType: LinkType
    public var bytes: [UInt8]

    public init(timestamp: Int64, linkType: LinkType, bytes: [UInt8]) {
        self.timestamp = timestamp
        self.linkType = linkType
        self.bytes = bytes
    }
}
