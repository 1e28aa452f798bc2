import Border
import GatehousePolicy
import SIPMessage
import SIPStack

/// `gatehouse explain`: what the pipeline would do to one message arriving from one address, step by step,
/// without sending anything or asking DNS.
///
/// It runs the live path's own functions — `BorderPolicy.ingress` (with fresh admission state: one message is
/// never over a limit), the route table, `BorderPolicy.enumRoute` (static table only), `CallLegs` to build the
/// other leg (with a fixed identifier generator, so the output is stable), and `BorderPolicy.egress` — and
/// reports each step and the message that would leave.
public struct MessageExplainer {
    public let policy: Policy
    public let border: BorderPolicy

    public init(policy: Policy) {
        self.policy = policy
        self.border = BorderPolicy(policy: policy)
    }

    /// The explanation of `bytes` received from `source` (port optional) on `realm` (nil: the realm of the peer
    /// that owns the address, or the only realm).
    public func explain(_ bytes: [UInt8], from source: IPAddress, port: Int, realm: String?) -> Explanation {
        var explanation = Explanation()
        guard let realmName = realm ?? inferredRealm(for: source) else {
            explanation.fail(
                "no realm: \(source) belongs to no peer and the policy has several realms; name one with --realm")
            return explanation
        }
        guard let realm = policy.realm(named: realmName), let listener = realm.listeners.first else {
            explanation.fail("realm '\(realmName)' is not defined")
            return explanation
        }
        var message: SIPMessage
        do {
            message = try SIPMessage(parsing: bytes, limits: policy.sipLimits)
            try message.validate(limits: policy.sipLimits)
        } catch {
            explanation.fail(
                "rejected by the parser: \(error.code) → \(error.status.code) \(error.status.reason): \(error.detail)")
            return explanation
        }
        // An IPv6 source is bracketed, as `--from` takes it: `::1:5060` would read as one address.
        let origin = if case .v6 = source { "[\(source)]:\(port)" } else { "\(source):\(port)" }
        explanation.step(
            "parse",
            "\(message.method?.rawValue ?? "response \(message.statusCode ?? 0)") from \(origin) on realm \(realmName)")
        var admission = (try? AdmissionControl(border.admission)) ?? (try! AdmissionControl(AdmissionConfiguration()))
        var trace = PipelineTrace(recording: true)
        let peer: Peer?
        do throws(IngressRejection) {
            peer = try border.ingress(
                &message, arrival: IngressArrival(source: source, realm: realmName, now: .zero),
                admission: &admission, trace: &trace)
            explanation.append(trace)
        } catch {
            explanation.append(trace)
            explanation.refuse(error)
            return explanation
        }
        guard message.isRequest, let method = message.method else {
            explanation.finish(
                "a response is mapped onto its call's other leg, where the peer there gets its outbound rules"
                    + " (not numbering, nor rewrites of From or To)")
            return explanation
        }
        guard border.isInitialRequest(message) else {
            explanation.finish(
                "an in-dialog \(method.rawValue) follows its call: mapped onto the call's other leg, where the peer"
                    + " there gets its outbound rules (not numbering, nor rewrites of the Request-URI, From or To)")
            return explanation
        }
        let requestURI = (try? message.requestURI)?.flatMap(\.sipURI)
        if method == .invite, let domain = policy.mrf?.domain,
            requestURI?.host.description.lowercased() == domain.lowercased()
        {
            explanation.finish("answered by the MRF: \(requestURI.map(\.description) ?? "") is one of its PSIs")
            return explanation
        }
        let query = RouteQuery(request: message, sourceRealm: realmName, sourcePeer: peer?.name, method: method)
        let decision = policy.routes.decide(query)
        explanation.step("routing", "\(decision)")
        if method == .register {
            explainRegister(
                message, decision: decision,
                source: SIPEndpoint(transport: listener.transport, host: source.description, port: port),
                realm: realm, into: &explanation)
            return explanation
        }
        guard method == .invite else {
            explanation.finish(
                "\(method.rawValue) outside a dialog is answered by Gatehouse itself (OPTIONS 200; others 501 until the IMS core)"
            )
            return explanation
        }
        var target = decision.target
        var user = query.user
        if case .enumLookup = target {
            guard let number = border.enumNumber(of: message) else {
                explanation.fail("refused: the Request-URI carries no E.164 number for ENUM")
                return explanation
            }
            var enumTrace = PipelineTrace(recording: true)
            enumTrace.note(.enumLookup, "live traffic would first ask NAPTR \(border.enumDomain(for: number))")
            let route = border.enumRoute(for: number, answer: .notAsked, query: query, trace: &enumTrace)
            explanation.append(enumTrace)
            switch route {
            case .reject(let status, let reason):
                target = .reject(status)
                explanation.step("enum", "refused: \(reason)")
            case .peer(let peer, _):
                target = .peer(peer.name)
                if let enumUser = route.requestUser { user = enumUser }
            }
        }
        switch target {
        case nil:
            explanation.fail("answered 404 Not Found: no route")
        case .reject(let status)?:
            explanation.fail("answered \(status.code) \(status.reason)")
        case .ims?:
            if policy.ims?.embedded != nil {
                explanation.fail(
                    "answered 501 Not Implemented: sessions through the embedded IMS core are not served yet")
            } else {
                explanation.finish(imsVerdict(external: "handed to the IMS core at"))
            }
        case .enumLookup?:
            explanation.fail("ENUM found no route")
        case .mrf(let psi)?:
            explanation.finish("answered by the MRF as \(psi)")
        case .peer(let name)?:
            guard let destinationPeer = policy.peer(named: name) else {
                explanation.finish("answered 503: peer \(name) is not defined")
                return explanation
            }
            forward(
                message, from: peer, ingress: listener, to: destinationPeer, user: user, explanation: &explanation)
        }
        return explanation
    }

    /// Builds the callee's INVITE as the engine would, and shows it.
    private func forward(
        _ invite: SIPMessage, from source: Peer?, ingress: SIPEndpoint, to peer: Peer, user: String?,
        explanation: inout Explanation
    ) {
        // The engine's own next hop and leg settings; a named next hop keeps its name, as it would in the
        // Request-URI (its address comes from DNS, which explain does not ask).
        guard let nextHop = NextHop(peer: peer) else {
            explanation.fail("answered 503: peer \(peer.name) has no signalling address")
            return
        }
        guard
            let egress = policy.realm(named: peer.realm)?.listeners.first(where: { $0.transport == nextHop.transport })
        else {
            explanation.fail("answered 503: realm \(peer.realm) has no \(nextHop.transport) listener")
            return
        }
        let destination: SIPEndpoint =
            switch nextHop {
            case .address(let endpoint): endpoint
            case .name(let uri):
                SIPEndpoint(transport: nextHop.transport, host: "\(uri.host)", port: Int(uri.port ?? 5060))
            }
        let target = nextHop.requestURI(user: user, destination: destination)
        let passList = CallEngine.passList(toward: peer, from: source)
        var generator = SeededIdentifierGenerator(seed: 1)
        do throws(B2BUAError) {
            var (outgoing, _) = try CallLegs.makeOutgoingInvite(
                from: invite, target: .sip(target), ingress: ingress, egress: egress, passList: passList,
                sessionTimers: SessionTimerSettings(policy.timers), generator: &generator)
            explanation.step(
                "b2bua",
                "new leg from \(egress) toward peer \(peer.name): own Call-ID, tags, branch, Via and Contact; headers not passed stay behind"
            )
            var trace = PipelineTrace(recording: true)
            border.egress(&outgoing, toward: peer, from: source, trace: &trace)
            explanation.append(trace)
            explanation.result = outgoing
            explanation.finish("sent to peer \(peer.name)")
        } catch {
            explanation.finish("answered \(error.status.code) \(error.status.reason): \(error.detail)")
        }
    }

    /// Where a REGISTER would be relayed, and what each of its Contacts shows about NAT.
    private func explainRegister(
        _ register: SIPMessage, decision: RouteDecision, source: SIPEndpoint, realm: Realm,
        into explanation: inout Explanation
    ) {
        let topVia = try? register.headers.first(.via, as: Via.self)
        let toEmbeddedCore = decision.target == .ims && policy.ims?.embedded != nil
        for case .address(let contact) in (try? register.contacts) ?? [] {
            let nat = NATDetection.judge(contact: contact.uri, topVia: topVia, source: source)
            let reached =
                toEmbeddedCore
                ? "registered with the S-CSCF as it is; the P-CSCF records the flow \(source.host):\(source.port)"
                : "registered as a binding of Gatehouse's own, reached at "
                    + (realm.nat.fixContact ? "\(source.host):\(source.port)" : "its Contact")
            explanation.step(
                "nat",
                "Contact \(contact.uri): \(nat.isBehindNAT ? "behind NAT" : "not behind NAT") (evidence: \(nat)); \(reached)"
            )
        }
        switch decision.target {
        case nil:
            explanation.fail("answered 404 Not Found: no route")
        case .reject(let status)?:
            explanation.fail("answered \(status.code) \(status.reason)")
        case .enumLookup?:
            explanation.fail("answered 404 Not Found: ENUM routes numbers, not registrations")
        case .mrf?:
            explanation.fail("answered 404 Not Found: the MRF answers calls, not registrations")
        case .ims?:
            explanation.finish(
                imsVerdict(external: "relayed to the registrar at")
                    + (toEmbeddedCore ? ": P-CSCF (Path, flow), I-CSCF (UAR), S-CSCF (challenge or registration)" : ""))
        case .peer(let name)?:
            explanation.finish("relayed to the registrar at peer \(name)")
        }
    }

    /// Where `to: ims` leads: `external` and the external core's next hop, or the core in this process.
    private func imsVerdict(external: String) -> String {
        if policy.ims?.embedded != nil { return "handed to the embedded IMS core" }
        return "\(external) \(policy.ims?.nextHop?.description ?? "?")"
    }

    private func inferredRealm(for source: IPAddress) -> String? {
        if let owner = policy.peers.first(where: { $0.owns(source) }) { return owner.realm }
        return policy.realms.count == 1 ? policy.realms[0].name : nil
    }
}

/// The steps of one explanation, the verdict, and the message that would leave (if any).
public struct Explanation: Sendable {
    public struct Step: Sendable, Hashable, CustomStringConvertible {
        public var stage: String
        public var text: String
        public var description: String { "[\(stage)] \(text)" }
    }

    public private(set) var steps: [Step] = []
    public private(set) var verdict = ""
    /// Whether the message would be refused or dropped (by the parser, a border stage, a route or ENUM).
    public private(set) var isRefusal = false
    /// The message Gatehouse would send on, if it would send one.
    public var result: SIPMessage?

    mutating func step(_ stage: String, _ text: String) { steps.append(Step(stage: stage, text: text)) }

    mutating func append(_ trace: PipelineTrace) {
        for entry in trace.entries { step(entry.stage.rawValue, entry.text) }
    }

    mutating func refuse(_ rejection: IngressRejection) {
        isRefusal = true
        switch rejection.answer {
        case .respond(let status, let headers):
            let extra = headers.map { " (\($0.name): \($0.value))" }.joined()
            finish(
                "answered \(status.code) \(status.reason)\(extra) by \(rejection.stage): \(rejection.code): \(rejection.detail)"
            )
        case .drop:
            finish("dropped by \(rejection.stage): \(rejection.code): \(rejection.detail)")
        }
    }

    mutating func fail(_ text: String) {
        isRefusal = true
        finish(text)
    }

    mutating func finish(_ text: String) { verdict = text }

    /// The whole explanation as printed by the CLI.
    public var text: String {
        var lines = steps.enumerated().map { "\($0.offset + 1). \($0.element)" }
        lines.append("verdict: \(verdict)")
        if let result {
            lines.append("")
            lines.append(
                String(decoding: result.serialize(), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"))
        }
        return lines.joined(separator: "\n")
    }
}
