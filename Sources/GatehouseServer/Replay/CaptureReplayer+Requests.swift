import Border
import Capture
import GatehousePolicy
import SIPMessage
import SIPStack

/// What the engine does with a request the ingress stages let through (`CallEngine.handleRequest`): the stateless
/// responder's answer for out-of-dialog requests other than INVITE, REGISTER and reg-event SUBSCRIBE; the route
/// decision for an initial INVITE (`CallEngine.handleInitialInvite`) and for a REGISTER; the rest follows its call.
extension CaptureReplayer {
    mutating func handleRequest(
        _ request: SIPMessage, peer: Peer?, flow: CapturedFlow, realm: String, trace: inout PipelineTrace,
        into replayed: inout ReplayedMessage
    ) -> ReplayVerdict {
        guard CallEngine.isForEngine(request), let method = request.method else {
            // The sanity stage validated it, as it does live.
            guard let response = responder.respond(toValid: request),
                let code = response.statusCode
            else { return ReplayVerdict(.accepted, reason: "absorbed") }
            emitResponse(response, to: flow, realm: realm, into: &replayed)
            if code < 300 { return ReplayVerdict(.accepted, reason: "answered \(code) by Gatehouse") }
            return ReplayVerdict(
                .rejected, status: response.statusLine.map { SIPStatus($0.code, $0.reason) }, stage: "responder",
                code: "\(code)", reason: "answered \(code) \(response.statusLine?.reason ?? "") by Gatehouse")
        }
        switch method {
        case .ack:
            return ReplayVerdict(.accepted, reason: "an ACK follows its call")
        case .cancel, .bye:
            if let callID = replayed.callID { admission.release(callID: callID) }
            return ReplayVerdict(.accepted, reason: "\(method.rawValue) follows its call")
        case .register:
            return register(request, peer: peer, realm: realm)
        case .invite where border.isInitialRequest(request):
            return initialInvite(request, peer: peer, flow: flow, realm: realm, trace: &trace, into: &replayed)
        default:
            return ReplayVerdict(.accepted, reason: "\(method.rawValue) follows its dialog")
        }
    }

    /// Where a REGISTER would be relayed (`gatehouse explain`'s reading of `CallEngine+Registrations`).
    private func register(_ request: SIPMessage, peer: Peer?, realm: String) -> ReplayVerdict {
        let uri = (try? request.requestURI)?.flatMap(\.sipURI)
        let decision = policy.routes.decide(
            RouteQuery(
                sourceRealm: realm, sourcePeer: peer?.name, method: .register, requestURIHost: uri?.host,
                user: uri?.user))
        switch decision.target {
        case nil, .enumLookup?, .mrf?:
            return ReplayVerdict(
                .rejected, status: .notFound, stage: "routing", code: "no-route", reason: "no route for REGISTER")
        case .reject(let status)?:
            return ReplayVerdict(
                .rejected, status: status, stage: "routing", code: "route-reject", reason: "\(decision)")
        case .ims?:
            return ReplayVerdict(.accepted, reason: "relayed to the IMS core")
        case .peer(let name)?:
            return ReplayVerdict(.accepted, reason: "relayed to the registrar at peer \(name)")
        }
    }

    /// A new INVITE: validated for forwarding, routed, and — toward a peer — built into the callee's INVITE by
    /// `CallLegs` and the egress stages, exactly as `CallEngine.startCall` does.
    private mutating func initialInvite(
        _ invite: SIPMessage, peer source: Peer?, flow: CapturedFlow, realm: String, trace: inout PipelineTrace,
        into replayed: inout ReplayedMessage
    ) -> ReplayVerdict {
        do {
            try invite.validateForForwarding()
        } catch {
            return refuse(invite, error.status, "validation", error.code.rawValue, error.detail, flow, realm, &replayed)
        }
        if let domain = policy.mrf?.domain, let uri = (try? invite.requestURI)?.flatMap(\.sipURI),
            uri.host.description.lowercased() == domain.lowercased()
        {
            return ReplayVerdict(.accepted, reason: "answered by the MRF (\(uri))")
        }
        let query = RouteQuery(request: invite, sourceRealm: realm, sourcePeer: source?.name, method: .invite)
        let decision = policy.routes.decide(query)
        trace.note(.routing, "\(decision)")
        var user = query.user
        var target = decision.target
        if case .enumLookup? = target {
            guard let number = border.enumNumber(of: invite) else {
                return refuse(
                    invite, .notFound, "enum", "no-number", "No E.164 number for ENUM", flow, realm, &replayed)
            }
            let route = border.enumRoute(for: number, answer: .notAsked, query: query, trace: &trace)
            switch route {
            case .reject(let status, let reason):
                return refuse(invite, status, "enum", "enum-reject", reason, flow, realm, &replayed)
            case .peer(let peer, _):
                target = .peer(peer.name)
                if let enumUser = route.requestUser { user = enumUser }
            }
        }
        switch target {
        case nil, .enumLookup?:
            return refuse(invite, .notFound, "routing", "no-route", "No route", flow, realm, &replayed)
        case .reject(let status)?:
            return refuse(invite, status, "routing", "route-reject", status.reason, flow, realm, &replayed)
        case .mrf(let psi)?:
            return ReplayVerdict(.accepted, reason: "answered by the MRF (\(psi))")
        case .ims?:
            if policy.ims?.embedded != nil {
                return refuse(
                    invite, .notImplemented, "routing", "ims-sessions",
                    "Sessions through the embedded IMS core are not served yet", flow, realm, &replayed)
            }
            return ReplayVerdict(.accepted, reason: "routed to the IMS core")
        case .peer(let name)?:
            guard let peer = policy.peer(named: name), let nextHop = NextHop(peer: peer) else {
                return refuse(
                    invite, .serviceUnavailable, "routing", "no-next-hop", "Peer \(name) has no signalling address",
                    flow, realm, &replayed)
            }
            return forward(
                invite, from: source, to: peer, nextHop: nextHop, user: user, flow: flow, realm: realm, trace: &trace,
                into: &replayed)
        }
    }

    private mutating func forward(
        _ invite: SIPMessage, from source: Peer?, to peer: Peer, nextHop: NextHop, user: String?, flow: CapturedFlow,
        realm: String, trace: inout PipelineTrace, into replayed: inout ReplayedMessage
    ) -> ReplayVerdict {
        guard
            let egress = policy.realm(named: peer.realm)?.listeners.first(where: { $0.transport == nextHop.transport }),
            let ingress = ingressListener(for: flow, realm: realm)
        else {
            return refuse(
                invite, .serviceUnavailable, "routing", "no-listener",
                "Realm \(peer.realm) has no \(nextHop.transport) listener", flow, realm, &replayed)
        }
        let destination: SIPEndpoint =
            switch nextHop {
            case .address(let endpoint): endpoint
            case .name(let uri):
                SIPEndpoint(transport: nextHop.transport, host: "\(uri.host)", port: Int(uri.port ?? 5060))
            }
        if let address = IPAddress(parsing: destination.host),
            listener(at: address, port: destination.port, transport: destination.transport) != nil
        {
            return refuse(
                invite, .loopDetected, "routing", "loop", "The route leads back to this node", flow, realm, &replayed)
        }
        let requestURI = nextHop.requestURI(user: user, destination: destination)
        do throws(B2BUAError) {
            var (outgoing, _) = try CallLegs.makeOutgoingInvite(
                from: invite, target: .sip(requestURI), ingress: ingress, egress: egress,
                passList: CallEngine.passList(toward: peer, from: source),
                sessionTimers: SessionTimerSettings(policy.timers), generator: &generator)
            border.egress(&outgoing, toward: peer, from: source, trace: &trace)
            if options.buildsEmitted, let from = IPAddress(parsing: egress.host),
                let to = IPAddress(parsing: destination.host)
            {
                replayed.emitted.append(
                    EmittedMessage(
                        flow: CapturedFlow(
                            source: from, sourcePort: egress.port, destination: to, destinationPort: destination.port,
                            transport: destination.transport == .udp ? .udp : .tcp),
                        bytes: outgoing.serialize()))
            }
            return ReplayVerdict(.accepted, reason: "forwarded to peer \(peer.name)")
        } catch {
            return refuse(invite, error.status, "b2bua", error.code.rawValue, error.detail, flow, realm, &replayed)
        }
    }

    /// A refusal after admission: answered, and the call slot the INVITE took given back.
    private mutating func refuse(
        _ request: SIPMessage, _ status: SIPStatus, _ stage: String, _ code: String, _ reason: String,
        _ flow: CapturedFlow, _ realm: String, _ replayed: inout ReplayedMessage
    ) -> ReplayVerdict {
        if let callID = replayed.callID { admission.release(callID: callID) }
        emitResponse(
            responder.response(to: request, status: status, reason: reason), to: flow, realm: realm, into: &replayed)
        return ReplayVerdict(.rejected, status: status, stage: stage, code: code, reason: reason)
    }
}
