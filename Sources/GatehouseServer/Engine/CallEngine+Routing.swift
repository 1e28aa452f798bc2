import Border
import GatehousePolicy
import Media
import NIOCore
import SIPMessage
import SIPStack
import Transport

/// A new INVITE: who sent it, where the policy routes it, and the outbound leg that carries it there.
extension CallEngine {
    func handleInitialInvite(_ invite: SIPMessage, context: SIPConnectionContext, peer sourcePeer: Peer?) {
        guard let serverKey = startServerTransaction(invite, context: context) else {
            releaseCallSlot(callID: invite.headers.firstString(.callID) ?? "")
            return
        }
        if let drain {
            refuseWhileDraining(invite, serverKey, drain: drain)
            return
        }
        let realm = realms[context.listener] ?? "?"
        do {
            try invite.validateForForwarding()
        } catch {
            reject(invite, serverKey, error.status, error.detail)
            return
        }
        let requestURI = (try? invite.requestURI)?.flatMap(\.sipURI)
        // The MRF's domain is the node's own: its PSIs are answered here, whatever the routes say.
        if let requestURI, isForMRF(.sip(requestURI)) {
            answerMRF(
                InboundCall(invite: invite, serverKey: serverKey, context: context, requestURI: requestURI),
                psi: .sip(requestURI))
            return
        }
        // A request for a UA registered through Gatehouse names the token of its binding (`CallEngine+Registrations`).
        if let binding = registeredBinding(addressedBy: requestURI) {
            routeToRegisteredUA(
                InboundCall(invite: invite, serverKey: serverKey, context: context, requestURI: requestURI),
                binding: binding)
            return
        }
        let query = RouteQuery(request: invite, sourceRealm: realm, sourcePeer: sourcePeer?.name, method: .invite)
        let decision = policy.routes.decide(query)
        guard let target = decision.target else {
            refuseInitialInvite(invite, serverKey, .notFound, "No route")
            return
        }
        let inbound = InboundCall(invite: invite, serverKey: serverKey, context: context, requestURI: requestURI)
        switch target {
        case .reject(let status):
            refuseInitialInvite(invite, serverKey, status, status.reason)
        case .mrf(let psi):
            guard let uri = try? URI(parsing: psi) else {
                reject(invite, serverKey, .serverInternalError, "Unreadable MRF target \(psi)")
                return
            }
            answerMRF(inbound, psi: uri)
        case .peer(let name):
            guard let peer = policy.peer(named: name) else {
                reject(invite, serverKey, .serviceUnavailable, "Peer \(name) is not defined")
                return
            }
            route(inbound, toPeer: peer, decision: decision, user: nil)
        case .enumLookup:
            routeByENUM(inbound, decision: decision, query: query)
        case .ims:
            if let core = imsCore {
                // Sessions through the embedded core's CSCFs (`CallEngine+IMSSessions`).
                routeIMSSession(inbound, peer: sourcePeer, decision: decision, core: core)
                return
            }
            guard let route = imsRoute(decision: decision) else {
                reject(invite, serverKey, .serviceUnavailable, "No IMS next hop")
                return
            }
            proceed(inbound, route: route)
        }
    }

    /// The route to the IMS core's next hop, from the first realm that can reach it; nil without one.
    func imsRoute(decision: RouteDecision) -> OutboundRoute? {
        guard let uri = policy.ims?.nextHop,
            let imsRealm = policy.realms.first(where: { realm in
                realm.listeners.contains { $0.transport == NextHop.name(uri).transport }
            })
        else { return nil }
        return OutboundRoute(
            nextHop: NextHop(uri: uri), realm: imsRealm.name, peer: nil, reason: .route(decision))
    }

    /// A call for a peer: to its next hop, with `user` as the callee's user part when ENUM gave one.
    func route(_ inbound: InboundCall, toPeer peer: Peer, decision: RouteDecision, user: String?) {
        guard let nextHop = NextHop(peer: peer) else {
            reject(
                inbound.invite, inbound.serverKey, .serviceUnavailable, "Peer \(peer.name) has no signalling address")
            return
        }
        proceed(
            inbound,
            route: OutboundRoute(
                nextHop: nextHop, realm: peer.realm, peer: peer, reason: .route(decision), user: user))
    }

    /// Starts the call toward an address, or locates a named next hop first.
    func proceed(_ inbound: InboundCall, route: OutboundRoute) {
        switch route.nextHop {
        case .address(let endpoint):
            startCall(inbound, route: route, candidates: [endpoint])
        case .name(let uri):
            locate(uri, for: inbound, route: route)
        }
    }

    /// Locates a named next hop for a call, then starts it.
    private func locate(_ uri: SIPURI, for inbound: InboundCall, route: OutboundRoute) {
        locate(uri, realm: route.realm, for: inbound.invite, serverKey: inbound.serverKey) { [self] endpoints in
            startCall(inbound, route: route, candidates: endpoints)
        }
    }

    /// Resolves a named next hop (RFC 3263) off the loop, then comes back to `proceed` under the same policy
    /// snapshot; a failure answers `request` with the lookup's status. A CANCEL that arrives meanwhile ends an
    /// INVITE at once (`pendingLookups`).
    func locate(
        _ uri: SIPURI, realm: String, for request: SIPMessage, serverKey: TransactionKey,
        proceed: @escaping @Sendable ([SIPEndpoint]) -> Void
    ) {
        let transports = Set(policy.realm(named: realm)?.listeners.map(\.transport) ?? [])
        let settings = policy.dns
        let snapshot = snapshot
        pendingLookups.insert(serverKey)
        Task { [self] in
            let outcome: Result<[SIPEndpoint], SIPLocationError>
            do throws(SIPLocationError) {
                outcome = .success(try await locator.locate(uri, supporting: transports, settings: settings))
            } catch {
                outcome = .failure(error)
            }
            loop.execute { [self] in
                guard pendingLookups.remove(serverKey) != nil else { return }
                self.snapshot = snapshot
                switch outcome {
                case .success(let endpoints):
                    logger.debug("located \(uri)", metadata: ["endpoints": "\(endpoints)"])
                    proceed(endpoints)
                case .failure(let error):
                    logger.warning("cannot locate \(uri)", metadata: ["error": "\(error)"])
                    reject(request, serverKey, error.status, "Next hop \(uri.host) not found")
                }
            }
        }
    }

    /// The first of `candidates` that `realm` has a listener for, that listener, and the other reachable
    /// candidates; nil when none is reachable.
    func egress(
        toward candidates: [SIPEndpoint], realm: String
    ) -> (
        destination: SIPEndpoint, egress: SIPEndpoint, reachable: [SIPEndpoint]
    )? {
        let listeners = policy.realm(named: realm)?.listeners ?? []
        let reachable = candidates.filter { candidate in listeners.contains { $0.transport == candidate.transport } }
        guard let destination = reachable.first,
            let egress = listeners.first(where: { $0.transport == destination.transport })
        else { return nil }
        return (destination, egress, reachable)
    }

    /// Whether `destination` is one of this node's own listeners: a route there would loop through Gatehouse
    /// until Max-Forwards runs out, one call per hop (the concern of RFC 3261 §16.3 step 4).
    func isOwnListener(_ destination: SIPEndpoint) -> Bool {
        realms.keys.contains { $0.host == destination.host && $0.port == destination.port }
    }

    /// Starts the call toward the first of `candidates` the egress realm can reach; the others stay for
    /// failover (`CallEngine+Failover`).
    func startCall(_ inbound: InboundCall, route: OutboundRoute, candidates: [SIPEndpoint]) {
        guard let (destination, realmEgress, reachable) = egress(toward: candidates, realm: route.realm) else {
            let wanted = candidates.map(\.transport.rawValue).joined(separator: ", ")
            reject(
                inbound.invite, inbound.serverKey, .serviceUnavailable,
                "Realm \(route.realm) has no listener for \(wanted)")
            return
        }
        if isOwnListener(destination) {
            reject(inbound.invite, inbound.serverKey, .loopDetected, "The route leads back to this node")
            return
        }
        let egress = route.egress ?? realmEgress
        // The callee's Request-URI: the dialled user at the next hop (its name when it has one, so that the far
        // side sees the domain it serves); the caller's URI parameters stay behind. A dialled tel URI gives its
        // number and parameters as the user (RFC 3261 §19.1.6). A registered UA gets the Contact it registered.
        let dialledUser = ((try? inbound.invite.requestURI) ?? nil).flatMap(TelephoneURIConversion.sipUser(of:))
        let target =
            route.requestURI
            ?? .sip(route.nextHop.requestURI(user: route.user ?? dialledUser, destination: destination))
        let sourcePeer = inbound.context.remote.ipAddress.flatMap {
            policy.peer(for: $0, realm: realms[inbound.context.listener] ?? "?")
        }
        let passList = Self.passList(toward: route.peer, from: sourcePeer)
        do throws(B2BUAError) {
            var (outgoing, legs) = try CallLegs.makeOutgoingInvite(
                from: inbound.invite, target: target, ingress: inbound.context.listener, egress: egress,
                passList: passList, sessionTimers: sessionTimerSettings, generator: &generator)
            for (name, value) in route.addedHeaders { outgoing.headers.append(name, value) }
            if let vector = inbound.imsSession?.chargingVector, Self.carriesChargingVector(toward: route) {
                outgoing.headers.remove(.pChargingVector)
                outgoing.headers.append(.pChargingVector, vector.serializedString)
            }
            var trace = PipelineTrace(recording: false)
            snapshot.border.egress(&outgoing, toward: route.peer, from: sourcePeer, trace: &trace)
            let id = nextCallID
            nextCallID += 1
            let media = makeMediaSession(
                call: id, inboundRealm: realms[inbound.context.listener] ?? "?", outboundRealm: route.realm,
                caller: sourcePeer, callee: route.peer)
            beginAccounting(
                legs: legs, outgoing: outgoing, inboundRealm: realms[inbound.context.listener] ?? "?",
                outboundRealm: route.realm, caller: sourcePeer, callee: route.peer, imsSession: inbound.imsSession)
            do throws(MediaAnchorError) {
                try anchorMedia(in: &outgoing, from: .inbound, session: media, legs: &legs)
            } catch {
                media?.close()
                reject(inbound.invite, inbound.serverKey, SIPStatus(error.status, error.detail), error.detail)
                return
            }
            legs.outboundInviteSent(outgoing)
            var call = Call(
                id: id, legs: legs, inboundInvite: inbound.invite, inboundServerKey: inbound.serverKey,
                inboundContext: inbound.context, outboundDestination: destination, outboundLocal: egress,
                outboundPeer: route.peer, reason: route.reason)
            // Failover stays on the transport (and so the egress listener) the call started with.
            call.alternativeDestinations = reachable.dropFirst().filter { $0.transport == destination.transport }
            call.sourcePeer = sourcePeer
            call.media = media
            callsStarted += 1
            metrics.callAttempted(from: call.sourcePeerName, to: call.destinationPeerName)
            callIndex.insert(legs, call: id)
            logger.info(
                "call routed",
                metadata: [
                    "call": "\(id)", "route": "\(route.reason)", "to": "\(destination)",
                    "from": "\(inbound.context.remote)", "from-peer": "\(call.sourcePeerName)",
                    "to-peer": "\(call.destinationPeerName)",
                ])
            call.outboundInviteKey = startClientTransaction(
                outgoing,
                owner: ClientTransactionOwner(
                    callID: id, side: .outbound, route: call.route(.outbound), serverKey: inbound.serverKey,
                    originalRequest: inbound.invite, peers: call.egressPeers(toward: .outbound)),
                isReliable: destination.transport.isStream, egressApplied: true)
            calls[id] = call
            scheduleNoAnswerTimeout(call: id)
        } catch {
            var answer = responder.response(to: inbound.invite, status: error.status, reason: error.detail)
            error.decorate(&answer)
            respond(inbound.serverKey, with: answer)
        }
    }

    /// Whether an IMS session's charging vector goes on the INVITE of this route: toward a peer only when the
    /// peer is trusted with it (its `topology.pass_headers` lists P-Charging-Vector, as for any P- header that
    /// crosses a border); the IMS core's own hops add it themselves where it belongs (an AS gets it, a UE never
    /// does: TS 24.229 §5.2.6.3.3).
    static func carriesChargingVector(toward route: OutboundRoute) -> Bool {
        route.peer?.topology.passHeaders.contains { $0.matches(.pChargingVector) } ?? false
    }

    /// What crosses from one leg to the other: the end-to-end headers, and the option tags the engine relays.
    /// 100rel: reliable provisionals and PRACK are mapped leg to leg (RAck renumbered). timer: session timers
    /// are Gatehouse's on each leg (`CallEngine+SessionTimers`), so the tag is accepted but never crosses.
    static let passList = HeaderPassList(supportedOptionTags: ["100rel"], terminatedOptionTags: ["timer"])

    /// `passList` plus what each side's peer may see of the other (`topology.pass_headers`).
    static func passList(toward callee: Peer?, from caller: Peer?) -> HeaderPassList {
        var list = passList
        list.extraToward = [
            .outbound: callee?.topology.passHeaders ?? [], .inbound: caller?.topology.passHeaders ?? [],
        ]
        return list
    }

    /// RFC 3261 Timer C's purpose, with the policy's `invite_timeout`: a call the callee neither answers nor
    /// declines in time is cancelled toward the callee and answered 408 to the caller.
    func scheduleNoAnswerTimeout(call id: Int) {
        _ = schedule(after: policy.timers.inviteTimeout) { [self] in
            guard let call = calls[id], !call.isAnswered else { return }
            logger.notice("call not answered in time", metadata: ["call": "\(id)"])
            abandon(call, answering: .requestTimeout, reason: "not answered in time")
        }
    }

    /// Gives up on an unanswered call: the caller gets `status`, the callee a CANCEL, and the call ends.
    func abandon(_ call: Call, answering status: SIPStatus, reason: String) {
        respond(
            call.inboundServerKey,
            with: localResponse(to: call.inboundInvite, status: status, call: call, side: .inbound))
        if let clientKey = call.outboundInviteKey, case .inviteClient(let invite) = transactions[clientKey],
            let cancel = try? invite.makeCancel()
        {
            startClientTransaction(
                cancel,
                owner: ClientTransactionOwner(
                    callID: call.id, side: .outbound, route: call.route(.outbound), serverKey: nil,
                    originalRequest: cancel, purpose: .cancel),
                isReliable: call.isReliable(.outbound))
        }
        endCall(call.id, reason: reason, status: status.code)
    }

    func reject(_ request: SIPMessage, _ serverKey: TransactionKey, _ status: SIPStatus, _ reason: String) {
        logger.notice(
            "rejected \(request.method?.rawValue ?? "?")",
            metadata: ["status": "\(status.code)", "reason": "\(reason)"])
        if let context = serverContexts[serverKey] {
            recordRefusal(request, context: context, status: status.code, reason: "routing", detail: reason)
        }
        respond(serverKey, with: responder.response(to: request, status: status, reason: reason))
    }

}
