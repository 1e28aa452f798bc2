/// DiffServ marking of what Gatehouse relays (policy control's DSCP, RFC 2474): each leg of a stream may carry its
/// own code point, since the legs may face networks that honour different markings.
extension MediaSession {
    /// Marks the packets (RTP and RTCP) Gatehouse sends on `leg` of stream `index` (the `m=` line) with `dscp`
    /// (0–63). A stream not relayed yet takes the marking when its sockets open; one already relayed changes on
    /// its loop.
    public func markDSCP(_ dscp: UInt8, stream index: Int, leg: MediaLeg) {
        let dscp = min(dscp, 63)
        guard dscpMarks[index, default: [:]][leg] != dscp else { return }
        dscpMarks[index, default: [:]][leg] = dscp
        guard let stream = streams[index] else { return }
        stream.loop.execute { stream.mark(dscp: dscp, leg: leg) }
    }
}
