/// One direction of a TCP connection put back in order (RFC 9293 §3.10.7.4, seen from a passive observer): bytes
/// come out once, in sequence order, whatever order the segments were captured in.
///
/// A retransmission, or the part of a segment that overlaps bytes already delivered, is trimmed (the first copy
/// wins). Segments ahead of the next expected byte wait, up to `maximumBufferedBytes`; when that is exceeded the
/// hole will evidently never be filled (the capture lost it), so the stream skips to the earliest waiting segment
/// and reports a gap: the caller resynchronizes its framing there.
struct TCPStreamReassembler {
    /// What one segment released.
    struct Delivery {
        /// In-order bytes, in pieces.
        var pieces: [ArraySlice<UInt8>] = []
        /// Bytes were lost before (some of) these pieces: framing must start afresh.
        var hadGap = false
    }

    let maximumBufferedBytes: Int
    /// The sequence number of the next byte to deliver; nil until the first SYN or data segment.
    private(set) var nextSequence: UInt32?
    private var waiting: [(sequence: UInt32, bytes: ArraySlice<UInt8>)] = []
    private(set) var bufferedBytes = 0

    init(maximumBufferedBytes: Int) {
        self.maximumBufferedBytes = maximumBufferedBytes
    }

    /// Takes one segment; returns what can now be delivered in order.
    mutating func receive(sequence: UInt32, isSYN: Bool, payload: ArraySlice<UInt8>) -> Delivery {
        var delivery = Delivery()
        // The SYN takes one sequence number; data starts after it (RFC 9293 §3.4).
        let dataSequence = isSYN ? sequence &+ 1 : sequence
        // A connection seen from its SYN starts after it; one joined mid-stream, at its first data.
        if nextSequence == nil, isSYN || !payload.isEmpty { nextSequence = dataSequence }
        guard let next = nextSequence, !payload.isEmpty else { return delivery }
        let offset = Int(Int32(bitPattern: dataSequence &- next))
        if offset + payload.count <= 0 { return delivery }  // all of it delivered already
        if offset > 0 {
            waiting.append((dataSequence, payload))
            bufferedBytes += payload.count
            if bufferedBytes > maximumBufferedBytes { skipToEarliestWaiting(&delivery) }
            drain(into: &delivery)
            return delivery
        }
        let fresh = payload.dropFirst(-offset)
        delivery.pieces.append(fresh)
        nextSequence = next &+ UInt32(truncatingIfNeeded: fresh.count)
        drain(into: &delivery)
        return delivery
    }

    /// Delivers every waiting segment that now starts at or before the next expected byte.
    private mutating func drain(into delivery: inout Delivery) {
        while !waiting.isEmpty, let next = nextSequence {
            guard
                let index = waiting.indices.min(by: {
                    Int32(bitPattern: waiting[$0].sequence &- next) < Int32(bitPattern: waiting[$1].sequence &- next)
                })
            else { return }
            let segment = waiting[index]
            let offset = Int(Int32(bitPattern: segment.sequence &- next))
            guard offset <= 0 else { return }
            waiting.remove(at: index)
            bufferedBytes -= segment.bytes.count
            guard offset + segment.bytes.count > 0 else { continue }
            let fresh = segment.bytes.dropFirst(-offset)
            delivery.pieces.append(fresh)
            nextSequence = next &+ UInt32(truncatingIfNeeded: fresh.count)
        }
    }

    /// Gives up on the hole before the earliest waiting segment.
    private mutating func skipToEarliestWaiting(_ delivery: inout Delivery) {
        guard let next = nextSequence,
            let earliest = waiting.min(by: {
                Int32(bitPattern: $0.sequence &- next) < Int32(bitPattern: $1.sequence &- next)
            })
        else { return }
        nextSequence = earliest.sequence
        delivery.hadGap = true
    }
}
