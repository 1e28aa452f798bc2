import Border
import CSCF
import GatehousePolicy
import IMSInterfaces
import SIPMessage
import SIPStack
import Transport

/// IMS sessions through the embedded core: an INVITE the route table sends `to: ims` is decided by the core's CSCFs
/// (`EmbeddedIMSCore+Sessions`) off the loop, then performed here with the B2BUA — every hop the core names is a
/// call with its own legs, media anchored and topology hidden like any other.
///
/// Where the INVITE enters: back from an application server when its top Route names an original dialog
/// identifier of this node (`sip:odi-TOKEN@<listener>;lr`); from an interconnect peer (the terminating case through
/// the I-CSCF); otherwise from a UE, whose flow the P-CSCF must know (the originating case).
///
/// What the core decides becomes: a call to the AS (Route: the AS, then this node with the ODI; the asserted
/// identity and the charging vector go along), a call to the callee's registered contact over the flow it
/// registered on (P-Asserted-Identity and P-Called-Party-ID; the charging vector stays inside), the BGCF's breakout
/// through ENUM to an interconnect peer, or a refusal with the CSCF's status.
extension CallEngine {
    /// The user part that marks an S-CSCF Route entry carrying an original dialog identifier.
    static let originalDialogPrefix = "odi-"

    func routeIMSSession(
        _ inbound: InboundCall, peer sourcePeer: Peer?, decision: RouteDecision, core: EmbeddedIMSCore
    ) {
        let entry: IMSSessionEntry
        if let token = originalDialog(of: inbound.invite) {
            entry = .applicationServer(originalDialog: token)
        } else if sourcePeer != nil {
            entry = .peer
        } else if let flow = UEFlow(inbound.context) {
            entry = .userEquipment(flow)
        } else {
            reject(inbound.invite, inbound.serverKey, .badRequest, "Unusable source address")
            return
        }
        var request = inbound.invite
        if case .peer = entry, let sourcePeer {
            // A peer's identity and charging headers count only from a peer the policy trusts with them (its
            // `topology.pass_headers` lists them); otherwise the core asserts nothing and starts its own ICID.
            for name in [HeaderName.pAssertedIdentity, .pChargingVector]
            where !sourcePeer.topology.passHeaders.contains(where: { $0.matches(name) }) {
                request.headers.remove(name)
            }
        }
        let snapshot = snapshot
        // A CANCEL while the core decides ends the INVITE at once, as during a DNS lookup (`CallEngine+Dialogs`).
        pendingLookups.insert(inbound.serverKey)
        core.routeSession(request, entry: entry) { [self] session in
            loop.execute { [self] in
                guard pendingLookups.remove(inbound.serverKey) != nil else { return }
                self.snapshot = snapshot
                perform(session, for: inbound, decision: decision)
            }
        }
    }

    /// The ODI of the INVITE's top Route when that entry names this node; nil otherwise.
    func originalDialog(of invite: SIPMessage) -> String? {
        guard let top = (try? invite.routes)?.first, let uri = top.sipURI, let user = uri.user,
            user.hasPrefix(Self.originalDialogPrefix), user.count > Self.originalDialogPrefix.count,
            realms.keys.contains(where: { $0.host == uri.host.description && $0.port == Int(uri.port ?? 5060) })
        else { return nil }
        return String(user.dropFirst(Self.originalDialogPrefix.count))
    }

    private func perform(_ session: IMSSessionDecision, for received: InboundCall, decision: RouteDecision) {
        // What the caller's UE wrote about itself stays behind; what the network asserts goes on (TS 24.229
        // §5.2.6.3.1).
        var invite = received.invite
        for name in ProxyCSCF.headersRemovedFromUERequests { invite.headers.remove(name) }
        if let asserted = session.assertedIdentity { invite.headers.append(.pAssertedIdentity, asserted) }
        let inbound = InboundCall(
            invite: invite, serverKey: received.serverKey, context: received.context,
            requestURI: received.requestURI,
            imsSession: IMSSessionLeg(
                chargingVector: session.chargingVector, caller: session.assertedIdentity?.uri))
        logger.info(
            "IMS session",
            metadata: [
                "case": "\(session.sessionCase?.rawValue ?? "-")", "target": "\(session.target)",
                "icid": "\(session.chargingVector?.icidValue ?? "-")",
                "asserted": "\(session.assertedIdentity?.description ?? "-")",
            ])
        switch session.target {
        case .refused(let rejection):
            refuseInitialInvite(inbound.invite, inbound.serverKey, rejection.status, rejection.detail)
        case .applicationServer(let hop, let uri):
            routeToApplicationServer(inbound, hop: hop, uri: uri, session: session, decision: decision)
        case .contacts(let identity, let contacts):
            routeToContact(inbound, identity: identity, contacts: contacts, session: session, decision: decision)
        case .breakout:
            // The BGCF: ENUM names the peer (or its static table does); the peer's policy normalizes the number.
            // A ported number's routing number is routed as the routes say for a call from this realm.
            let realm = realms[inbound.context.listener] ?? "?"
            let caller = inbound.context.remote.ipAddress.flatMap { policy.peer(for: $0, realm: realm) }
            routeByENUM(
                inbound, decision: decision,
                query: RouteQuery(
                    request: inbound.invite, sourceRealm: realm, sourcePeer: caller?.name, method: .invite))
        case .emergency(let service):
            routeEmergency(inbound, service: service, decision: decision)
        }
    }

    /// A call to the AS: Route `<AS;lr>, <sip:odi-TOKEN@this-listener;lr>`, the caller's asserted identity and the
    /// charging vector; the AS is reached from the realm the INVITE came in on.
    private func routeToApplicationServer(
        _ inbound: InboundCall, hop: ApplicationServerHop, uri: SIPURI, session: IMSSessionDecision,
        decision: RouteDecision
    ) {
        // A criterion whose AS is a PSI of this node's MRF (an announcement for an unreachable user): it answers.
        if isForMRF(.sip(uri)) {
            answerMRF(inbound, psi: .sip(uri))
            return
        }
        let nextHop = NextHop(uri: uri)
        let realm = realms[inbound.context.listener] ?? "?"
        guard let egress = policy.realm(named: realm)?.listeners.first(where: { $0.transport == nextHop.transport })
        else {
            reject(inbound.invite, inbound.serverKey, .serviceUnavailable, "No listener toward the AS \(uri)")
            return
        }
        var serverRoute = uri
        serverRoute.lr = true
        var ownRoute = SIPURI(
            user: Self.originalDialogPrefix + hop.originalDialog, host: egress.uriHost, port: UInt16(egress.port))
        if egress.transport != .udp { ownRoute.transport = egress.transport.rawValue }
        ownRoute.lr = true
        // One Route field with both entries: an AS that reads only the first field still finds the ODI.
        var headers: [(HeaderName, String)] = [
            (
                .route,
                NameAddress(uri: .sip(serverRoute)).serializedString + ", "
                    + NameAddress(uri: .sip(ownRoute)).serializedString
            )
        ]
        if let vector = session.chargingVector { headers.append((.pChargingVector, vector.serializedString)) }
        applicationServerCalls[inbound.serverKey] = ApplicationServerCall(
            originalDialog: hop.originalDialog, inbound: inbound, decision: decision)
        proceed(
            inbound,
            route: OutboundRoute(
                nextHop: nextHop, realm: realm, peer: nil, reason: .route(decision),
                requestURI: (try? inbound.invite.requestURI) ?? nil, egress: egress,
                addedHeaders: headers + Self.assertedIdentityHeaders(session)))
    }

    /// Calls to every registered contact of the callee, each over the flow it registered on: one contact is a
    /// plain call, several ring at once (`CallEngine+Forking`).
    private func routeToContact(
        _ inbound: InboundCall, identity: PublicIdentity, contacts: [IMSContact], session: IMSSessionDecision,
        decision: RouteDecision
    ) {
        var headers = Self.assertedIdentityHeaders(session)
        if let called = identity.uri { headers.append((.pCalledPartyID, NameAddress(uri: called).serializedString)) }
        var inbound = inbound
        inbound.imsSession?.callee = identity.uri
        var routes: [(route: OutboundRoute, destination: SIPEndpoint)] = []
        var flows: Set<UEFlow> = []
        for contact in contacts {
            // Two contacts over one flow (a UE that registered twice) ring that device once.
            guard let flow = contact.flow, let destination = SIPEndpoint(flow), flows.insert(flow).inserted else {
                continue
            }
            let egress =
                imsFlows[flow]
                ?? snapshot.realmByListener.keys.sorted { $0.description < $1.description }
                .first { $0.transport == destination.transport }
            guard let egress, let realm = realms[egress] else { continue }
            routes.append(
                (
                    OutboundRoute(
                        nextHop: .address(destination), realm: realm, peer: nil, reason: .route(decision),
                        requestURI: contact.uri, egress: egress, addedHeaders: headers), destination
                ))
        }
        guard !routes.isEmpty else {
            refuseInitialInvite(
                inbound.invite, inbound.serverKey, .temporarilyUnavailable, "No reachable contact of \(identity)")
            return
        }
        fork(inbound, routes: routes)
    }

    /// An emergency call, as the policy's `ims.emergency` says: to its peer with the service URN kept as the
    /// Request-URI, refused with its status, or 503 when the policy names no route.
    private func routeEmergency(_ inbound: InboundCall, service: String, decision: RouteDecision) {
        let urn = "urn:service:sos" + (service.isEmpty ? "" : ".\(service)")
        switch policy.ims?.embedded?.emergency {
        case .peer(let name)?:
            guard let peer = policy.peer(named: name), let nextHop = NextHop(peer: peer) else {
                reject(inbound.invite, inbound.serverKey, .serviceUnavailable, "Emergency peer \(name) is unusable")
                return
            }
            proceed(
                inbound,
                route: OutboundRoute(
                    nextHop: nextHop, realm: peer.realm, peer: peer, reason: .route(decision),
                    requestURI: (try? inbound.invite.requestURI) ?? nil))
        case .reject(let status)?:
            reject(inbound.invite, inbound.serverKey, status, "Emergency calls (\(urn)) are refused by the policy")
        case .ims?, .enumLookup?, .mrf?, nil:
            reject(inbound.invite, inbound.serverKey, .serviceUnavailable, "No emergency route for \(urn)")
        }
    }

    private static func assertedIdentityHeaders(_ session: IMSSessionDecision) -> [(HeaderName, String)] {
        session.assertedIdentity.map { [(.pAssertedIdentity, $0.serializedString)] } ?? []
    }

    // MARK: Default handling

    /// The AS of `call` failed before answering (no answer, 408, 5xx: TS 24.229 §5.4.3.2 step 4 note): the call
    /// toward it goes, and the S-CSCF's default handling continues the session with the next criterion or
    /// terminates it. False when the call is not toward an AS (or it answered already).
    func applicationServerFailed(_ call: Call, status: SIPStatus) -> Bool {
        guard !call.isAnswered, let waiting = applicationServerCalls.removeValue(forKey: call.inboundServerKey),
            let core = imsCore
        else { return false }
        logger.notice(
            "application server failed",
            metadata: ["call": "\(call.id)", "status": "\(status.code)", "odi": "\(waiting.originalDialog)"])
        // The call toward the AS ends without a word to the caller: the INVITE's server transaction stays open
        // for what the default handling decides.
        calls.removeValue(forKey: call.id)
        callIndex.remove(call.legs, call: call.id)
        for task in call.sessionTasks.values { task.cancel() }
        releaseMedia(of: call)
        let inbound = waiting.inbound
        let snapshot = snapshot
        pendingLookups.insert(inbound.serverKey)
        core.applicationServerFailed(inbound.invite, originalDialog: waiting.originalDialog) { [self] session in
            loop.execute { [self] in
                guard pendingLookups.remove(inbound.serverKey) != nil else { return }
                self.snapshot = snapshot
                guard let session else {
                    reject(inbound.invite, inbound.serverKey, status, "The application server did not answer")
                    return
                }
                perform(session, for: inbound, decision: waiting.decision)
            }
        }
        return true
    }
}

/// A call toward an application server, remembered until it ends: its ODI, and the caller's INVITE as the core
/// saw it, to route again when the AS fails and its default handling continues the session.
struct ApplicationServerCall {
    let originalDialog: String
    let inbound: InboundCall
    let decision: RouteDecision
}
