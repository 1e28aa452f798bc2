import Media
import SIPMessage
import SIPStack
import Transport

/// Requests inside a call, from either leg: mapped onto the other leg by `CallLegs` (its own Call-ID, tags, CSeq,
/// Via and Contact) and carried by a client transaction there; ACK for 2xx end to end, CANCEL toward the callee.
extension CallEngine {
    func handleInDialog(_ request: SIPMessage, context: SIPConnectionContext) {
        guard let (id, side) = callIndex.call(of: request), var call = calls[id] else {
            // RFC 3261 §12.2.2: a request for a dialog that does not exist is answered 481.
            answerStatelessly(request, status: .callDoesNotExist, reason: nil, context: context)
            return
        }
        guard let serverKey = startServerTransaction(request, context: context) else { return }
        switch call.legs.mapRequest(request, receivedOn: side, generator: &generator) {
        case .forward(var outgoing):
            do throws(MediaAnchorError) {
                try anchorMedia(in: &outgoing, from: side, session: call.media, legs: &call.legs)
                calls[id] = call
            } catch {
                calls[id] = call
                respond(
                    serverKey,
                    with: localResponse(
                        to: request, status: SIPStatus(error.status, error.detail), call: call, side: side))
                return
            }
            startClientTransaction(
                outgoing,
                owner: ClientTransactionOwner(
                    callID: id, side: side.other, route: call.route(side.other), serverKey: serverKey,
                    originalRequest: request),
                isReliable: call.isReliable(side.other))
        case .respond(let error):
            calls[id] = call
            var answer = localResponse(to: request, status: error.status, reason: error.detail, call: call, side: side)
            error.decorate(&answer)
            respond(serverKey, with: answer)
        case .drop:
            calls[id] = call
        }
    }

    /// The ACK for a 2xx is its own transaction-less request (RFC 3261 §13.2.2.4, §17.1.1.3): relayed as the
    /// other leg's ACK for its 2xx.
    func forwardACK(_ ack: SIPMessage) {
        guard let (id, side) = callIndex.call(of: ack), var call = calls[id] else {
            counters.countDropped("stray-ack")
            return
        }
        if case .forward(var outgoing) = call.legs.mapRequest(ack, receivedOn: side, generator: &generator) {
            do throws(MediaAnchorError) {
                try anchorMedia(in: &outgoing, from: side, session: call.media, legs: &call.legs)
            } catch {
                calls[id] = call
                mediaFailed(error, call: call)
                return
            }
            calls[id] = call
            sendACK(outgoing, via: call.route(side.other), peers: call.egressPeers(toward: side.other))
            return
        }
        calls[id] = call
    }

    /// CANCEL is answered 200 at once, hop by hop (RFC 3261 §9.2); the pending INVITE toward the callee is
    /// cancelled in turn, and its 487 comes back through the INVITE transactions.
    func handleCancel(_ cancel: SIPMessage, context: SIPConnectionContext) {
        guard let serverKey = startServerTransaction(cancel, context: context) else { return }
        if let inviteKey = transactions.inviteServerKey(cancelledBy: cancel), pendingLookups.remove(inviteKey) != nil,
            case .inviteServer(let invite) = transactions[inviteKey]
        {
            // Cancelled while its next hop was being located: nothing was sent on, so it ends here.
            respond(serverKey, with: responder.response(to: cancel, status: .ok))
            respond(inviteKey, with: responder.response(to: invite.request, status: .requestTerminated))
            return
        }
        guard transactions.inviteServerKey(cancelledBy: cancel) != nil, let callID = try? cancel.callID.value,
            let id = callIndex.call(inboundCallID: callID), var call = calls[id]
        else {
            respond(serverKey, with: responder.response(to: cancel, status: .callDoesNotExist))
            return
        }
        respond(serverKey, with: localResponse(to: cancel, status: .ok, call: call, side: .inbound))
        if cancelFork(call.inboundServerKey) { return }
        switch call.legs.mapRequest(cancel, receivedOn: .inbound, generator: &generator) {
        case .forward(let outgoing):
            startClientTransaction(
                outgoing,
                owner: ClientTransactionOwner(
                    callID: id, side: .outbound, route: call.route(.outbound), serverKey: nil, originalRequest: cancel,
                    purpose: .cancel),
                isReliable: call.isReliable(.outbound))
        case .respond, .drop:
            break
        }
        calls[id] = call
    }

    /// A response Gatehouse itself generates on a leg: To carries that leg's tag, as every response in the call does.
    func localResponse(
        to request: SIPMessage, status: SIPStatus, reason: String? = nil, call: Call, side: CallLegs.Side
    ) -> SIPMessage {
        var response = responder.response(to: request, status: status, reason: reason)
        if var to = try? request.to, to.tag == nil {
            to.tag = call.legs[side].localTag
            response.headers.set(.to, to)
        }
        return response
    }

    /// A response outside any transaction: for requests that cannot start one (malformed, or for no call).
    func answerStatelessly(_ request: SIPMessage, status: SIPStatus, reason: String?, context: SIPConnectionContext) {
        guard request.method != .ack else { return }
        let response = responder.response(to: request, status: status, reason: reason)
        counters.countResponse(status.code)
        sendResponse(response, context: context)
    }
}
