/// A realm's media ports: even RTP ports with RTCP on the odd port above (RFC 3550 §11), handed out in turn and
/// given back when a call ends.
///
/// Allocation walks the range from where the last one stopped, so a port just released is the last to be reused
/// (late packets of an ended call do not land in a new one). A port the edge could not bind (something else holds
/// it) is returned with `release` and simply tried again on a later turn.
public struct PortPool: Sendable, Hashable {
    /// The even RTP ports of the range whose RTCP port (+1) is in it too.
    public let range: ClosedRange<Int>
    private var inUse: Set<UInt16> = []
    private var next: Int

    public init(ports: ClosedRange<Int>) {
        let low = ports.lowerBound + ports.lowerBound % 2
        let high = ports.upperBound - 1
        self.range = low...max(low, high)
        self.next = low
    }

    /// How many RTP/RTCP pairs the range holds.
    public var capacity: Int {
        range.upperBound >= range.lowerBound + 1 ? (range.upperBound - range.lowerBound) / 2 + 1 : 0
    }
    /// Pairs handed out and not released.
    public var allocatedCount: Int { inUse.count }

    /// The next free RTP port (even; its RTCP port is +1), or nil when the pool is exhausted.
    public mutating func allocate() -> UInt16? {
        guard inUse.count < capacity else { return nil }
        for _ in 0..<capacity {
            let port = UInt16(next)
            next = next + 2 > range.upperBound ? range.lowerBound : next + 2
            if inUse.insert(port).inserted { return port }
        }
        return nil
    }

    /// Gives an RTP port (and its RTCP port) back.
    public mutating func release(_ port: UInt16) {
        inUse.remove(port)
    }
}
