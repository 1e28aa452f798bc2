import GatehousePolicy

/// Puts fragmented IP datagrams back together (RFC 791 §3.2, RFC 8200 §4.5), with bounded memory: at most
/// `maximumDatagrams` in progress (the oldest is given up first), none larger than `maximumDatagramSize`, and
/// each given up `timeout` after its first fragment, on the capture's own clock (packet timestamps), as a host's
/// reassembly timer would.
///
/// Overlapping fragments keep the bytes that arrived first (what Linux does since it refuses overlaps of
/// different content silently; a capture of an evasion attempt then shows what a host would most likely have
/// seen).
struct FragmentReassembler {
    struct Configuration {
        /// Datagrams in progress at once. Default: 1,024.
        var maximumDatagrams = 1_024
        /// The largest datagram put together. Default: 65,535 bytes (the IPv4 maximum; IPv6 without jumbograms).
        var maximumDatagramSize = 65_535
        /// How long the fragments of one datagram may take to arrive. Default: 30 s (Linux's ipfrag_time).
        var timeout: Int64 = 30_000_000_000
    }

    struct Key: Hashable {
        var source: IPAddress
        var destination: IPAddress
        var transportProtocol: UInt8
        var identification: UInt32
    }

    private struct Partial {
        var firstSeen: Int64
        var pieces: [(offset: Int, bytes: ArraySlice<UInt8>)] = []
        /// Known once the fragment without "more fragments" arrived.
        var totalLength: Int?
        var bufferedBytes = 0
    }

    let configuration: Configuration
    private var partials: [Key: Partial] = [:]
    /// Datagrams given up (timed out, too large, evicted).
    private(set) var abandoned = 0
    private(set) var reassembled = 0

    init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Datagrams in progress.
    var pendingCount: Int { partials.count }

    /// Adds one fragment; returns the whole datagram's payload once every byte of it has arrived.
    mutating func add(
        _ fragment: IPPacket.Fragment, payload: ArraySlice<UInt8>, key: Key, at now: Int64
    ) -> [UInt8]? {
        let end = fragment.offset + payload.count
        guard end <= configuration.maximumDatagramSize else {
            if partials.removeValue(forKey: key) != nil { abandoned += 1 }
            abandoned += 1
            return nil
        }
        if partials[key] == nil {
            if partials.count >= configuration.maximumDatagrams { evictOldest() }
            partials[key] = Partial(firstSeen: now)
        }
        var partial = partials[key]!
        if partial.bufferedBytes + payload.count > 2 * configuration.maximumDatagramSize {
            // Endless overlapping retransmissions of the same pieces: give the datagram up.
            partials.removeValue(forKey: key)
            abandoned += 1
            return nil
        }
        partial.pieces.append((fragment.offset, payload))
        partial.bufferedBytes += payload.count
        if !fragment.hasMoreFragments { partial.totalLength = end }
        guard let total = partial.totalLength, let datagram = Self.assemble(partial.pieces, total: total) else {
            partials[key] = partial
            return nil
        }
        partials.removeValue(forKey: key)
        reassembled += 1
        return datagram
    }

    /// Gives up the datagrams whose first fragment is older than the timeout.
    mutating func expire(at now: Int64) {
        let before = partials.count
        partials = partials.filter { now - $0.value.firstSeen < configuration.timeout }
        abandoned += before - partials.count
    }

    private mutating func evictOldest() {
        guard let oldest = partials.min(by: { $0.value.firstSeen < $1.value.firstSeen })?.key else { return }
        partials.removeValue(forKey: oldest)
        abandoned += 1
    }

    /// The datagram, if the pieces cover 0..<total without a hole; earlier pieces win where they overlap.
    private static func assemble(_ pieces: [(offset: Int, bytes: ArraySlice<UInt8>)], total: Int) -> [UInt8]? {
        let ordered = pieces.enumerated().sorted {
            $0.element.offset != $1.element.offset ? $0.element.offset < $1.element.offset : $0.offset < $1.offset
        }
        var covered = 0
        for (_, piece) in ordered {
            if piece.offset > covered { return nil }
            covered = max(covered, piece.offset + piece.bytes.count)
        }
        guard covered >= total else { return nil }
        var datagram = [UInt8](repeating: 0, count: total)
        var written = [Bool](repeating: false, count: total)
        for piece in pieces {
            for (index, byte) in piece.bytes.enumerated() where piece.offset + index < total {
                let position = piece.offset + index
                if !written[position] {
                    datagram[position] = byte
                    written[position] = true
                }
            }
        }
        return datagram
    }
}
