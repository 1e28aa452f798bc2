import NIOCore
import NIOPosix
import SDP

/// One call's anchored media: the SDP rewriting for both legs (`SDPAnchor`), the relayed streams, and the
/// silence watch.
///
/// The engine calls `anchor` and `close` from its own loop (one owner per call); the streams live on the
/// session's relay loop and hear of SDP changes through `loop.execute`, so neither side locks.
public final class MediaSession: @unchecked Sendable {
    private let relay: MediaRelay
    private let realms: [MediaLeg: MediaRealmConfiguration]
    private let onSilence: @Sendable () -> Void
    private let onDTLSFailure: @Sendable (DTLSLegFailure) -> Void
    /// Where this call's streams run.
    public let loop: any EventLoop
    private var sdpAnchor: SDPAnchor
    /// Streams by `m=` index; the objects are the relay loop's, the dictionary the engine's.
    var streams: [Int: RelayStream] = [:]
    /// Each stream's SRTP sessions per leg, as last handed to its stream (the engine's record of them).
    private var srtpContexts: [Int: [MediaLeg: SRTPLegContexts]] = [:]
    /// The DSCP of each stream's legs (`MediaSession+DSCP`), by `m=` index; the engine's.
    var dscpMarks: [Int: [MediaLeg: UInt8]] = [:]
    /// Each stream's DTLS legs, with the setup each was made for (nil: made for Gatehouse's own offer, before the
    /// answer), as handed to its stream.
    private var dtlsLegs: [Int: [MediaLeg: (leg: DTLSLeg, setup: DTLSLegSetup?)]] = [:]
    /// Pairs bound for a stream whose other leg's pair is not bound yet (an exhausted pool mid-way).
    private var unattached: [MediaLeg: [UInt16: BoundMediaPair]] = [:]
    private var isClosed = false
    /// The silence check, and the streams as the relay loop knows them (it runs there).
    private var silenceCheck: RepeatedTask?
    private var loopStreams: [RelayStream] = []

    init(
        relay: MediaRelay, realms: [MediaLeg: MediaRealmConfiguration], codecs: [MediaLeg: Set<String>],
        onDTLSFailure: @escaping @Sendable (DTLSLegFailure) -> Void, onSilence: @escaping @Sendable () -> Void
    ) {
        self.relay = relay
        self.realms = realms
        self.onDTLSFailure = onDTLSFailure
        self.onSilence = onSilence
        self.loop = relay.group.next()
        var srtp: [MediaLeg: SRTPSettings] = [:]
        for (leg, realm) in realms { srtp[leg] = realm.srtp }
        self.sdpAnchor = SDPAnchor(
            inbound: realms[.inbound]?.address ?? "", outbound: realms[.outbound]?.address ?? "",
            allowedCodecs: codecs, srtp: srtp, dtlsFingerprint: relay.dtlsContext?.certificate.fingerprint)
    }

    /// Rewrites a session description from `leg` (an offer or an answer, `role`) for the other leg, setting up
    /// streams for new `m=` lines and telling existing ones where `leg`'s far end now is and which SRTP keys it
    /// uses. Throws when a pool has no pair left (the engine refuses the call or the re-INVITE) or the leg's SRTP
    /// setting refuses the description (488); ports taken by then are released by `close`.
    public func anchor(
        _ description: SessionDescription, from leg: MediaLeg, role: SDPRole
    ) throws(MediaAnchorError)
        -> SessionDescription
    {
        try anchor(description, from: leg, role: role, forwarded: true)
    }

    /// `anchor`, for a description whose rewritten form goes to the other leg (`forwarded`) or stops here.
    private func anchor(
        _ description: SessionDescription, from leg: MediaLeg, role: SDPRole, forwarded: Bool
    ) throws(MediaAnchorError)
        -> SessionDescription
    {
        let (rewritten, signals) = try sdpAnchor.rewrite(
            description, from: leg, role: role, forwarded: forwarded
        ) { side in
            guard let realm = realms[side], let pair = relay.bindPair(realm) else { return nil }
            unattached[side, default: [:]][pair.port] = pair
            return pair.port
        }
        for signal in signals {
            let stream = signal.localPorts.count == 2 ? self.stream(for: signal) : streams[signal.index]
            guard let stream else { continue }
            let contexts = try protection(for: signal)
            let dtls = try dtlsProtection(for: signal)
            let rtp = signal.rtp.flatMap { try? SocketAddress(ipAddress: $0.host, port: Int($0.port)) }
            let rtcp = signal.rtcp.flatMap { try? SocketAddress(ipAddress: $0.host, port: Int($0.port)) }
            stream.loop.execute {
                stream.state.signal(signal.leg, rtp: rtp, rtcp: rtcp, rtcpMux: signal.rtcpMux)
                stream.state.clockRate = signal.clockRate
                stream.state.expectsMedia = signal.expectsMedia
                switch dtls {
                case .none: stream.setProtection(contexts, on: signal.leg)
                case .new(let leg): stream.setDTLS(leg, on: signal.leg)
                case .answered(let setup): stream.expectFingerprints(setup, on: signal.leg)
                case .unchanged: break
                }
                stream.updateRTCPAssociations()
                stream.startDTLSIfReady(on: signal.leg)
            }
        }
        if role == .offer { try awaitDTLSAnswers(toward: leg.other) }
        return rewritten
    }

    /// The answer to Gatehouse's own session refresh on `leg`, which offered `offer` (the description Gatehouse
    /// last sent there) again: a new key of the far end (RFC 4568 §7.1.4) or a new address is taken up as from
    /// any answer; nothing goes to the other leg. Throws as `anchor` does when the answer does not fit.
    public func refreshAnswered(
        _ answer: SessionDescription, to offer: SessionDescription, from leg: MediaLeg
    ) throws(MediaAnchorError) {
        sdpAnchor.reoffer(offer, toward: leg)
        _ = try anchor(answer, from: leg, role: .answer, forwarded: false)
    }

    /// The libsrtp sessions for the signal's leg and stream: kept when the keys did not change, made anew (keeping
    /// the far end's previous key for packets in flight) when they did; nil for plain RTP.
    private func protection(for signal: StreamSignal) throws(MediaAnchorError) -> SRTPLegContexts? {
        let current = srtpContexts[signal.index]?[signal.leg]
        guard let keying = signal.srtp else {
            srtpContexts[signal.index]?[signal.leg] = nil
            return nil
        }
        if let current, current.keying == keying { return current }
        do {
            let contexts = try SRTPLegContexts(keying, replacing: current)
            srtpContexts[signal.index, default: [:]][signal.leg] = contexts
            return contexts
        } catch {
            throw MediaAnchorError(.srtpUnavailable, status: 500, detail: "\(error.code): \(error.detail)")
        }
    }

    /// What a signal does to its leg's DTLS: nothing (the leg does not key by DTLS), a new association, the
    /// fingerprints for the one Gatehouse's offer started, or nothing new (a re-INVITE that kept it).
    private enum DTLSChange: Sendable {
        case none
        case new(DTLSLeg)
        case answered(DTLSLegSetup)
        case unchanged
    }

    private func dtlsProtection(for signal: StreamSignal) throws(MediaAnchorError) -> DTLSChange {
        let current = dtlsLegs[signal.index]?[signal.leg]
        guard let setup = signal.dtls else {
            dtlsLegs[signal.index]?[signal.leg] = nil
            return .none
        }
        if let current {
            if current.setup == setup { return .unchanged }
            if current.setup == nil, current.leg.role == setup.role {
                dtlsLegs[signal.index, default: [:]][signal.leg] = (current.leg, setup)
                return .answered(setup)
            }
        }
        guard let context = relay.dtlsContext else {
            throw MediaAnchorError(.dtlsUnavailable, status: 500, detail: "The node has no DTLS certificate")
        }
        do {
            let leg = try DTLSLeg(context: context, setup: setup)
            dtlsLegs[signal.index, default: [:]][signal.leg] = (leg, setup)
            return .new(leg)
        } catch {
            throw MediaAnchorError(.dtlsUnavailable, status: 500, detail: "\(error.code): \(error.detail)")
        }
    }

    /// Gatehouse offered DTLS toward `leg`: a server association waits on each such stream that has none, so that
    /// the far end's ClientHello, which may come before its answer, is not lost (RFC 5763 §5).
    private func awaitDTLSAnswers(toward leg: MediaLeg) throws(MediaAnchorError) {
        guard let context = relay.dtlsContext else { return }
        for (index, stream) in streams
        where sdpAnchor.offersDTLS(toward: leg, index: index) && dtlsLegs[index]?[leg] == nil {
            let dtls: DTLSLeg
            do {
                dtls = try DTLSLeg(awaitingAnswerOn: context)
            } catch {
                throw MediaAnchorError(.dtlsUnavailable, status: 500, detail: "\(error.code): \(error.detail)")
            }
            dtlsLegs[index, default: [:]][leg] = (dtls, nil)
            stream.loop.execute { stream.setDTLS(dtls, on: leg) }
        }
    }

    /// The stream of `signal.index`, made (and its four sockets handed to NIO) the first time both legs have ports.
    private func stream(for signal: StreamSignal) -> RelayStream? {
        if let stream = streams[signal.index] { return stream }
        guard let inboundPort = signal.localPorts[.inbound], let outboundPort = signal.localPorts[.outbound],
            let inbound = unattached[.inbound]?.removeValue(forKey: inboundPort),
            let outbound = unattached[.outbound]?.removeValue(forKey: outboundPort)
        else { return nil }
        let state = MediaStreamState<SocketAddress>(
            inbound: realms[.inbound]?.latching ?? .anySource, outbound: realms[.outbound]?.latching ?? .anySource,
            createdAt: NIODeadline.now().uptimeNanoseconds)
        let stream = RelayStream(loop: loop, state: state, scratch: relay.scratch(for: loop))
        stream.dscp = dscpMarks[signal.index] ?? [:]
        let onDTLSFailure = self.onDTLSFailure
        stream.onDTLSFailure = { [index = signal.index] leg, error in
            onDTLSFailure(DTLSLegFailure(stream: index, leg: leg, error: error))
        }
        streams[signal.index] = stream
        let configuration = relay.configuration
        for (leg, pair) in [(MediaLeg.inbound, inbound), (.outbound, outbound)] {
            for (socket, bound) in [(MediaSocket.rtp, pair.rtp), (.rtcp, pair.rtcp)] {
                DatagramBootstrap(group: loop)
                    .channelOption(.datagramVectorReadMessageCount, value: configuration.readBatch)
                    .channelOption(
                        .recvAllocator,
                        value: FixedSizeRecvByteBufferAllocator(
                            capacity: configuration.readBatch * configuration.datagramSlot)
                    )
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                RelayHandler(stream: stream, leg: leg, socket: socket))
                        }
                    }
                    .withBoundSocket(bound.descriptor)
                    .whenSuccess { channel in stream.attach(channel, leg: leg, socket: socket) }
            }
        }
        loop.execute { self.loopStreams.append(stream) }
        startSilenceCheck()
        return stream
    }

    /// Checks every `silenceCheckInterval` whether every stream that expects media has been silent for the
    /// call's timeout (the shorter of its realms'); then tells the engine once.
    private func startSilenceCheck() {
        guard silenceCheck == nil else { return }
        let timeouts = realms.values.map(\.timeout)
        let timeout = UInt64((timeouts.min() ?? .seconds(60)).components.seconds) * 1_000_000_000
        let interval = relay.configuration.silenceCheckInterval
        let onSilence = self.onSilence
        silenceCheck = loop.scheduleRepeatedTask(
            initialDelay: .nanoseconds(Int64(interval.components.seconds) * 1_000_000_000),
            delay: .nanoseconds(Int64(interval.components.seconds) * 1_000_000_000)
        ) { [weak self] task in
            guard let self else {
                task.cancel()
                return
            }
            let now = NIODeadline.now().uptimeNanoseconds
            let watched = self.loopStreams.filter { $0.state.expectsMedia }
            guard !watched.isEmpty, watched.allSatisfy({ $0.state.isSilent(at: now, timeout: timeout) }) else {
                return
            }
            task.cancel()
            onSilence()
        }
    }

    /// What each stream carried so far.
    public func reports() -> EventLoopFuture<[StreamReport]> {
        let streams = self.streams
        return loop.submit {
            streams.sorted { $0.key < $1.key }.map { index, stream in
                var report = StreamReport(
                    index: index, inbound: .init(stream.state.inbound, clockRate: stream.state.clockRate),
                    outbound: .init(stream.state.outbound, clockRate: stream.state.clockRate))
                report.inbound.srtpSuite = stream.srtpSuite(on: .inbound)
                report.outbound.srtpSuite = stream.srtpSuite(on: .outbound)
                report.inbound.dtlsFailure = stream.dtlsFailures[.inbound]
                report.outbound.dtlsFailure = stream.dtlsFailures[.outbound]
                return report
            }
        }
    }

    /// Ends the call's media: the streams' sockets close and every port goes back to its pool.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        let streams = Array(self.streams.values)
        let check = silenceCheck
        loop.execute {
            check?.cancel()
            for stream in streams { stream.close() }
        }
        for pair in unattached.values.flatMap(\.values) { pair.close() }
        unattached = [:]
        for (leg, port) in sdpAnchor.allocatedPorts {
            if let realm = realms[leg] { relay.release(port, of: realm) }
        }
    }
}
