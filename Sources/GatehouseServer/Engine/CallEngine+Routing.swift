import GatehousePolicy
import NIOCore
import SIPMessage
import SIPStack
import Transport

/// A new INVITE: who sent it, where the policy routes it, and the outbound leg that carries it there.
extension CallEngine {
    func handleInitialInvite(_ invite: SIPMessage, context: SIPConnectionContext) {
        guard let serverKey = startServerTransaction(invite, context: context) else { return }
        let realm = realms[context.listener] ?? "?"
        guard calls.count < policy.limits.maxCalls else {
            reject(invite, serverKey, .serviceUnavailable, "Call limit reached")
            return
        }
        do {
            try invite.validateForForwarding()
        } catch {
            reject(invite, serverKey, error.status, error.detail)
            return
        }
        let sourcePeer = context.remote.ipAddress.flatMap { policy.peer(for: $0, realm: realm) }
        let requestURI = (try? invite.requestURI)?.flatMap(\.sipURI)
        let decision = policy.routes.decide(
            RouteQuery(
                sourceRealm: realm, sourcePeer: sourcePeer?.name, method: .invite, requestURIHost: requestURI?.host,
                user: requestURI?.user))
        guard let target = decision.target else {
            reject(invite, serverKey, .notFound, "No route")
            return
        }
        let destination: (endpoint: SIPEndpoint, realm: String, peer: Peer?)
        switch target {
        case .reject(let status):
            reject(invite, serverKey, status, status.reason)
            return
        case .peer(let name):
            guard let peer = policy.peer(named: name), let endpoint = peer.destination else {
                reject(invite, serverKey, .serviceUnavailable, "Peer \(name) has no signalling address")
                return
            }
            destination = (endpoint, peer.realm, peer)
        case .ims:
            guard let nextHop = policy.ims?.nextHop, let endpoint = SIPEndpoint(nextHop: nextHop),
                let imsRealm = policy.realms.first(where: {
                    $0.listeners.contains { $0.transport == endpoint.transport }
                })
            else {
                reject(invite, serverKey, .serviceUnavailable, "No IMS next hop")
                return
            }
            destination = (endpoint, imsRealm.name, nil)
        }
        guard
            let egress = policy.realm(named: destination.realm)?.listeners.first(where: {
                $0.transport == destination.endpoint.transport
            })
        else {
            reject(
                invite, serverKey, .serviceUnavailable,
                "Realm \(destination.realm) has no \(destination.endpoint.transport) listener")
            return
        }
        // A route that leads back to one of this node's own listeners would loop through Gatehouse until
        // Max-Forwards runs out, one call per hop (the concern of RFC 3261 §16.3 step 4): refuse it at once.
        if realms.keys.contains(where: { $0.host == destination.endpoint.host && $0.port == destination.endpoint.port })
        {
            reject(invite, serverKey, .loopDetected, "The route leads back to this node")
            return
        }
        startCall(
            invite, serverKey: serverKey, context: context, to: destination.endpoint, peer: destination.peer,
            from: egress, decision: decision, requestURI: requestURI)
    }

    private func startCall(
        _ invite: SIPMessage, serverKey: TransactionKey, context: SIPConnectionContext, to destination: SIPEndpoint,
        peer: Peer?, from egress: SIPEndpoint, decision: RouteDecision, requestURI: SIPURI?
    ) {
        // The callee's Request-URI: the dialled user at the destination; the caller's URI parameters stay behind.
        var target = SIPURI(user: requestURI?.user, host: Self.host(destination.host), port: UInt16(destination.port))
        if destination.transport != .udp { target.transport = destination.transport.rawValue }
        do throws(B2BUAError) {
            let (outgoing, legs) = try CallLegs.makeOutgoingInvite(
                from: invite, target: .sip(target), ingress: context.listener, egress: egress,
                passList: Self.passList, sessionTimers: sessionTimerSettings, generator: &generator)
            let id = nextCallID
            nextCallID += 1
            var call = Call(
                id: id, legs: legs, inboundInvite: invite, inboundServerKey: serverKey, inboundContext: context,
                outboundDestination: destination, outboundLocal: egress, outboundPeer: peer, decision: decision)
            calls[id] = call
            callsByCallID[legs.inbound.callID] = id
            callsByCallID[legs.outbound.callID] = id
            logger.info(
                "call routed",
                metadata: [
                    "call": "\(id)", "route": "\(decision)", "to": "\(destination)", "from": "\(context.remote)",
                ])
            let clientKey = startClientTransaction(
                outgoing,
                owner: ClientTransactionOwner(
                    callID: id, side: .outbound, route: call.route(.outbound), serverKey: serverKey,
                    originalRequest: invite),
                isReliable: destination.transport.isStream)
            call.outboundInviteKey = clientKey
            calls[id] = call
            scheduleNoAnswerTimeout(call: id)
        } catch {
            var answer = responder.response(to: invite, status: error.status, reason: error.detail)
            error.decorate(&answer)
            respond(serverKey, with: answer)
        }
    }

    /// What crosses from one leg to the other: the end-to-end headers, and the option tags the engine relays.
    /// 100rel: reliable provisionals and PRACK are mapped leg to leg (RAck renumbered). timer: session timers
    /// are Gatehouse's on each leg (`CallEngine+SessionTimers`), so the tag is accepted but never crosses.
    static let passList = HeaderPassList(supportedOptionTags: ["100rel"], terminatedOptionTags: ["timer"])

    /// RFC 3261 Timer C's purpose, with the policy's `invite_timeout`: a call the callee neither answers nor
    /// declines in time is cancelled toward the callee and answered 408 to the caller.
    func scheduleNoAnswerTimeout(call id: Int) {
        _ = schedule(after: policy.timers.inviteTimeout) { [self] in
            guard let call = calls[id], !call.isAnswered else { return }
            logger.notice("call not answered in time", metadata: ["call": "\(id)"])
            respond(
                call.inboundServerKey,
                with: localResponse(to: call.inboundInvite, status: .requestTimeout, call: call, side: .inbound))
            if let clientKey = call.outboundInviteKey, case .inviteClient(let invite) = transactions[clientKey],
                let cancel = try? invite.makeCancel()
            {
                startClientTransaction(
                    cancel,
                    owner: ClientTransactionOwner(
                        callID: id, side: .outbound, route: call.route(.outbound), serverKey: nil,
                        originalRequest: cancel, purpose: .cancel),
                    isReliable: call.isReliable(.outbound))
            }
            endCall(id, reason: "not answered in time")
        }
    }

    func reject(_ request: SIPMessage, _ serverKey: TransactionKey, _ status: SIPStatus, _ reason: String) {
        logger.notice(
            "rejected \(request.method?.rawValue ?? "?")",
            metadata: ["status": "\(status.code)", "reason": "\(reason)"])
        respond(serverKey, with: responder.response(to: request, status: status, reason: reason))
    }

    static func host(_ literal: String) -> Host {
        (try? Host(parsing: literal.contains(":") ? "[\(literal)]" : literal)) ?? .name(literal)
    }
}
