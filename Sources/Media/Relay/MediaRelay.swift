import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The node's media relay: the realms' port pools and the event loops streams run on. The engine asks it for a
/// `MediaSession` per anchored call; the session does the rest.
///
/// Pools are keyed by address and range, so a policy reload that keeps a realm's `media:` keeps its pool (and the
/// ports calls in progress hold), and one that changes it starts a new one.
public final class MediaRelay: Sendable {
    let group: any EventLoopGroup
    let configuration: MediaRelayConfiguration
    let pools = NIOLockedValueBox<[PoolKey: PortPool]>([:])
    /// Each event loop's buffers for packets SRTP changes, by loop.
    private let scratches: [ObjectIdentifier: PacketScratch]
    /// The node's DTLS context (its certificate) for DTLS-SRTP legs; nil when none could be made, and then no leg
    /// offers or takes DTLS.
    public let dtlsContext: DTLSContext?

    struct PoolKey: Hashable {
        var address: String
        var ports: ClosedRange<Int>
    }

    /// `dtlsContext` carries the node's certificate (`DTLSCertificate.loadOrCreate` in its state directory); a
    /// relay given none makes one with a certificate of its own, in memory, that lasts as long as the relay.
    public init(
        group: any EventLoopGroup, configuration: MediaRelayConfiguration = MediaRelayConfiguration(),
        dtlsContext: DTLSContext? = nil
    ) {
        self.group = group
        self.configuration = configuration
        self.dtlsContext = dtlsContext ?? (try? DTLSContext(certificate: DTLSCertificate.generate()))
        var scratches: [ObjectIdentifier: PacketScratch] = [:]
        for loop in group.makeIterator() {
            // Four read batches: what one socket's batch holds until its flush, with room to spare.
            scratches[ObjectIdentifier(loop)] = PacketScratch(
                slots: 4 * configuration.readBatch, datagramSize: configuration.datagramSlot)
        }
        self.scratches = scratches
    }

    /// The buffers SRTP uses on `loop`.
    func scratch(for loop: any EventLoop) -> PacketScratch? {
        scratches[ObjectIdentifier(loop)]
    }

    /// A session for a call between two realms with media; `codecs` limits the payload formats per leg (see
    /// `SDPAnchor.allowedCodecs`); `onDTLSFailure` runs (on the session's loop) once for each DTLS-SRTP
    /// association that fails; `onSilence` runs (on the session's loop) once, when the call's media has been
    /// silent for the shorter of the two realms' timeouts.
    public func makeSession(
        inbound: MediaRealmConfiguration, outbound: MediaRealmConfiguration, codecs: [MediaLeg: Set<String>] = [:],
        onDTLSFailure: @escaping @Sendable (DTLSLegFailure) -> Void = { _ in },
        onSilence: @escaping @Sendable () -> Void
    ) -> MediaSession {
        MediaSession(
            relay: self, realms: [.inbound: inbound, .outbound: outbound], codecs: codecs,
            onDTLSFailure: onDTLSFailure, onSilence: onSilence)
    }

    /// Pairs in use in the pool of `realm` (for tests and status).
    public func allocatedPairs(_ realm: MediaRealmConfiguration) -> Int {
        pools.withLockedValue { $0[PoolKey(address: realm.address, ports: realm.ports)]?.allocatedCount ?? 0 }
    }

    /// A bound RTP/RTCP pair from `realm`'s pool: ports that something else holds are skipped (and given back
    /// to the pool, to be tried again on a later turn); nil when no pair in the range can be bound.
    func bindPair(_ realm: MediaRealmConfiguration) -> BoundMediaPair? {
        let key = PoolKey(address: realm.address, ports: realm.ports)
        var busy: [UInt16] = []
        defer { pools.withLockedValue { pools in for port in busy { pools[key]?.release(port) } } }
        while true {
            let port = pools.withLockedValue { pools -> UInt16? in
                if pools[key] == nil { pools[key] = PortPool(ports: realm.ports) }
                return pools[key]?.allocate()
            }
            guard let port else { return nil }
            if let pair = BoundMediaPair(
                host: realm.address, port: port, receiveBuffer: configuration.receiveBuffer)
            {
                return pair
            }
            busy.append(port)
        }
    }

    /// Gives a pair's ports back to `realm`'s pool.
    func release(_ port: UInt16, of realm: MediaRealmConfiguration) {
        pools.withLockedValue { $0[PoolKey(address: realm.address, ports: realm.ports)]?.release(port) }
    }
}
