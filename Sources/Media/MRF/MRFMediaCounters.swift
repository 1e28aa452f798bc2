/// What one MRF call's media sent and received, for its CDR: the MRF relays nothing, so these are the only media
/// counters its calls have. Counted by `MRFMediaStream` (announcements, tones, menus) and by
/// `MRFConferenceBridge` (each participant), and kept by both past the socket's close.
public struct MRFMediaCounters: Sendable, Equatable {
    public var sentPackets: UInt64 = 0
    public var sentBytes: UInt64 = 0
    /// RTP from the caller (media and RFC 4733 events).
    public var receivedPackets: UInt64 = 0
    public var receivedBytes: UInt64 = 0
    /// RTCP from the caller (multiplexed on the RTP port, RFC 5761).
    public var receivedRTCPPackets: UInt64 = 0

    public init() {}

    mutating func countSent(_ packet: [UInt8]) {
        sentPackets += 1
        sentBytes += UInt64(packet.count)
    }

    /// Counts a datagram from the caller; false for RTCP, which carries no media.
    mutating func countReceived(_ datagram: [UInt8]) -> Bool {
        // RFC 5761 §4: payload types 72–76 with the marker bit (second byte 200–204) are RTCP.
        if datagram.count >= 2, (200...204).contains(datagram[1]) {
            receivedRTCPPackets += 1
            return false
        }
        receivedPackets += 1
        receivedBytes += UInt64(datagram.count)
        return true
    }
}
