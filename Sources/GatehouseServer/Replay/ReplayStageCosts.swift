import Border
import GatehousePolicy
import NIOCore
import SIPMessage
import SIPStack

/// What each step of the replay path costs on its own, for one INVITE and one REGISTER: the breakdown behind
/// `gatehouse bench replay --stages`, to see where a message's time goes without a profiler that can walk Swift's
/// stacks. Each step runs `iterations` times on the output of the step before it, exactly as
/// `CaptureReplayer` calls it (traces off, as on the live path).
public struct ReplayStageCosts {
    /// One step and its mean wall time per message.
    public struct Step: Sendable {
        public var name: String
        public var nanoseconds: Double
    }

    public let policy: Policy
    public var iterations = 20_000

    public init(policy: Policy) {
        self.policy = policy
    }

    /// The steps of an initial INVITE from `source` on `realm`, routed to a peer.
    public func invite(_ bytes: [UInt8], from source: IPAddress, realm: String) -> [Step] {
        let border = BorderPolicy(policy: policy)
        var steps: [Step] = []
        steps.append(measure("parse") { _ = InboundMessage(bytes: bytes, limits: policy.sipLimits) })
        guard case .request(var received) = InboundMessage(bytes: bytes, limits: policy.sipLimits),
            let sourceAddress = try? SocketAddress(ipAddress: source.description, port: 5060)
        else { return steps }
        steps.append(measure("stamp top Via") { ViaRouting.stampTopVia(&received, source: sourceAddress) })
        steps.append(sanity(received, border))
        var admission = Self.admission(border)
        var now = AdmissionInstant.zero
        var admitted = received
        var peer: Peer?
        steps.append(
            measure("ingress (all stages)") {
                // A virtual second per message: the source stays within any per-source budget.
                now = now + .seconds(1)
                admitted = received
                var trace = PipelineTrace.off
                peer = try? border.ingress(
                    &admitted, arrival: IngressArrival(source: source, realm: realm, now: now),
                    admission: &admission, trace: &trace)
            })
        let query = RouteQuery(request: admitted, sourceRealm: realm, sourcePeer: peer?.name, method: .invite)
        steps.append(
            measure("route decision") {
                _ = policy.routes.decide(
                    RouteQuery(request: admitted, sourceRealm: realm, sourcePeer: peer?.name, method: .invite))
            })
        let decision = policy.routes.decide(query)
        guard case .peer(let name)? = decision.target, let callee = policy.peer(named: name),
            let nextHop = NextHop(peer: callee), case .address(let destination) = nextHop,
            let egress = policy.realm(named: callee.realm)?.listeners.first,
            let ingress = policy.realm(named: realm)?.listeners.first
        else { return steps }
        let requestURI = nextHop.requestURI(user: query.user, destination: destination)
        var generator = SeededIdentifierGenerator(seed: 1)
        var outgoing = admitted
        steps.append(
            measure("B2BUA: the callee's INVITE") {
                if let (invite, _) = try? CallLegs.makeOutgoingInvite(
                    from: admitted, target: .sip(requestURI), ingress: ingress, egress: egress,
                    passList: CallEngine.passList(toward: callee, from: peer),
                    sessionTimers: SessionTimerSettings(policy.timers), generator: &generator)
                {
                    outgoing = invite
                }
            })
        var sent = outgoing
        steps.append(
            measure("egress") {
                sent = outgoing
                var trace = PipelineTrace.off
                border.egress(&sent, toward: callee, from: peer, trace: &trace)
            })
        steps.append(measure("serialize") { _ = sent.serialize() })
        return steps
    }

    /// The steps of a REGISTER from `source` on `realm`.
    public func register(_ bytes: [UInt8], from source: IPAddress, realm: String) -> [Step] {
        let border = BorderPolicy(policy: policy)
        var steps = [measure("parse") { _ = InboundMessage(bytes: bytes, limits: policy.sipLimits) }]
        guard case .request(let received) = InboundMessage(bytes: bytes, limits: policy.sipLimits) else { return steps }
        steps.append(sanity(received, border))
        var admission = Self.admission(border)
        var now = AdmissionInstant.zero
        steps.append(
            measure("ingress (all stages)") {
                now = now + .seconds(1)
                var admitted = received
                var trace = PipelineTrace.off
                _ = try? border.ingress(
                    &admitted, arrival: IngressArrival(source: source, realm: realm, now: now),
                    admission: &admission, trace: &trace)
            })
        return steps
    }

    /// The sanity stage on its own, with the node's settings (the bench's policy gives no realm or peer its own).
    private func sanity(_ message: SIPMessage, _ border: BorderPolicy) -> Step {
        measure("sanity") {
            var trace = PipelineTrace.off
            try? border.sanity.check(message, trace: &trace)
        }
    }

    /// Admission control as the replayer sets it up (unusable settings fall back to none, as live).
    private static func admission(_ border: BorderPolicy) -> AdmissionControl {
        (try? AdmissionControl(border.admission)) ?? (try! AdmissionControl(AdmissionConfiguration()))
    }

    private func measure(_ name: String, _ step: () -> Void) -> Step {
        let start = ContinuousClock.now
        for _ in 0..<iterations { step() }
        let elapsed = ContinuousClock.now - start
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return Step(name: name, nanoseconds: nanoseconds / Double(iterations))
    }
}
