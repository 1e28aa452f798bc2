import Border
import Capture
import GatehousePolicy
import NIOCore
import SIPMessage
import SIPStack

/// The replay driver: each SIP message of a capture goes through the live path's own functions, in order, on a
/// virtual clock taken from the packet timestamps, and comes out with a verdict (ARCHITECTURE.md: "one pipeline,
/// two drivers").
///
/// The path, top-down, as `CallEngine.received` runs it: the codec (`InboundMessage`, with the policy's limits)
/// → the top Via stamped with `received`/`rport` → `BorderPolicy.ingress` with one `AdmissionControl` kept across
/// the whole capture (so a flood meets the rate limits and its source the blocklist, as live) → for requests, what
/// the engine does next: the stateless responder, or the route decision and `CallLegs` + `BorderPolicy.egress`
/// for an initial INVITE (`CaptureReplayer+Requests`). Nothing is sent and DNS is not asked (ENUM: the static
/// table only, as `gatehouse explain`).
///
/// What it cannot know, having no transactions or calls: retransmissions are admitted again rather than
/// absorbed; in-dialog requests and responses are taken as belonging to a call; a call slot is given back on a
/// BYE or CANCEL with the caller's Call-ID, or when the INVITE is refused.
public struct CaptureReplayer {
    public struct Options: Sendable {
        /// Record each message's pipeline steps as text, for the per-message report. The summary's rules that
        /// fired and the verdicts do not need it (`PipelineTrace.rules`, `changedOnEgress`); `CaptureReplaySession`
        /// turns it on when it writes a report. Default: false.
        public var recordsTrace = false
        /// Build what Gatehouse would have sent (for `--emit`). Default: false.
        public var buildsEmitted = false
        public init() {}
    }

    public let policy: Policy
    public let border: BorderPolicy
    public let options: Options
    public internal(set) var admission: AdmissionControl
    public internal(set) var summary = ReplaySummary()
    let responder = StatelessResponder(tagSecret: 0x6761_7465_686F_7573)
    /// Each listener's address and port → its realm; an unspecified address (`0.0.0.0`, `::`) matches any.
    let listeners: [(endpoint: SIPEndpoint, address: IPAddress?, realm: String)]
    /// The realms whose `nat.force_rport` is on, read once rather than for every request.
    let forceRportRealms: Set<String>
    var generator = SeededIdentifierGenerator(seed: 1)
    /// The first packet's timestamp: the epoch of admission control's timeline.
    var epoch: Int64?
    var lastSweep = AdmissionInstant.zero
    var nextIndex = 1

    public init(policy: Policy, options: Options = Options()) {
        let border = BorderPolicy(policy: policy)
        self.policy = policy
        self.border = border
        self.options = options
        // The loader validated the policy; as in the live engine, unusable admission settings fall back to none.
        self.admission = (try? AdmissionControl(border.admission)) ?? (try! AdmissionControl(AdmissionConfiguration()))
        var listeners: [(endpoint: SIPEndpoint, address: IPAddress?, realm: String)] = []
        for realm in policy.realms {
            for listener in realm.listeners {
                let address = IPAddress(parsing: listener.host)
                let isUnspecified = listener.host == "0.0.0.0" || listener.host == "::"
                listeners.append((listener, isUnspecified ? nil : address, realm.name))
            }
        }
        self.listeners = listeners
        self.forceRportRealms = Set(policy.realms.filter(\.nat.forceRport).map(\.name))
    }

    /// The ports the policy listens on: what the capture decoder takes for SIP besides 5060 and 5061.
    public var sipPorts: Set<Int> { Set(listeners.map(\.endpoint.port)).union([5060, 5061]) }

    /// Replays one captured message; nil when this node sent it (its own output in a capture taken on it).
    public mutating func replay(_ captured: CapturedMessage) -> ReplayedMessage? {
        if listener(at: captured.flow.source, port: captured.flow.sourcePort, transport: captured.flow.transport) != nil
        {
            summary.sentByNode += 1
            return nil
        }
        let now = instant(of: captured.timestamp)
        sweep(at: now)
        var replayed = ReplayedMessage(
            index: nextIndex, timestamp: captured.timestamp, flow: captured.flow, realm: nil, method: nil,
            statusCode: nil, callID: nil, verdict: ReplayVerdict(.accepted, reason: ""), emitted: [], trace: [])
        nextIndex += 1
        replayed.realm = realm(of: captured.flow)
        replayed.verdict = decide(captured, now: now, into: &replayed)
        summary.record(replayed)
        return replayed
    }

    /// The virtual clock: nanoseconds since the first packet, never running backwards (captures merged from
    /// several interfaces can be slightly out of order).
    mutating func instant(of timestamp: Int64) -> AdmissionInstant {
        let epoch = self.epoch ?? timestamp
        self.epoch = epoch
        return max(AdmissionInstant(nanoseconds: timestamp - epoch), lastSweep)
    }

    /// Admission control's housekeeping once a virtual second, as the live engine runs it on a timer.
    mutating func sweep(at now: AdmissionInstant) {
        guard now - lastSweep >= .seconds(1) else { return }
        lastSweep = now
        admission.sweep(at: now)
    }

    /// The listener at `address`:`port`, if one of the policy's.
    func listener(at address: IPAddress, port: Int, transport: SIPTransport) -> (endpoint: SIPEndpoint, realm: String)?
    {
        for listener in listeners
        where listener.endpoint.port == port && (listener.address == nil || listener.address == address) {
            if listener.endpoint.transport == transport || transport == .tcp && listener.endpoint.transport == .tls {
                return (listener.endpoint, listener.realm)
            }
        }
        return nil
    }

    /// Which realm a message arrived on: the listener it was sent to; else the realm of the peer that owns the
    /// source; else the only realm.
    func realm(of flow: CapturedFlow) -> String? {
        if let listener = listener(at: flow.destination, port: flow.destinationPort, transport: flow.transport) {
            return listener.realm
        }
        if let owner = policy.peers.first(where: { $0.owns(flow.source) }) { return owner.realm }
        return policy.realms.count == 1 ? policy.realms[0].name : nil
    }

    /// The listener a message for `realm` arrived on: the one it was sent to, or the realm's first of its
    /// transport (a capture taken elsewhere).
    func ingressListener(for flow: CapturedFlow, realm: String) -> SIPEndpoint? {
        if let listener = listener(at: flow.destination, port: flow.destinationPort, transport: flow.transport) {
            return listener.endpoint
        }
        let realmListeners = policy.realm(named: realm)?.listeners ?? []
        return realmListeners.first { $0.transport == flow.transport } ?? realmListeners.first
    }
}
