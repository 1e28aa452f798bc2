import SIPMessage
import SIPStack
import Transport

/// Ending calls and sessions from Gatehouse's side: a BYE on each answered leg when a session expires or a refresh
/// fails, and an ACK and a BYE for every 2xx no call wants (another fork's, or one for a call already ended).
extension CallEngine {
    /// Ends an answered call on both legs with a BYE carrying `cause` and `reason` (RFC 3326 Reason), and removes it.
    func hangUp(_ id: Int, cause: Int, reason: String) {
        guard var call = calls[id] else { return }
        for side in [CallLegs.Side.inbound, .outbound] {
            guard let bye = call.legs.makeBye(on: side, cause: cause, reason: reason, generator: &generator) else {
                continue
            }
            startClientTransaction(
                bye,
                owner: ClientTransactionOwner(
                    callID: id, side: side, route: call.route(side), serverKey: nil, originalRequest: bye,
                    purpose: .hangUp),
                isReliable: call.isReliable(side))
        }
        calls[id] = call
        endCall(id, reason: reason, cause: cause)
    }

    /// Another fork of the outbound INVITE answered after the call's dialog was settled: its 2xx is acknowledged
    /// and the fork hung up; the caller never hears of it.
    func releaseFork(ack: SIPMessage, bye: SIPMessage?, call: Call) {
        sendACK(ack, via: call.route(.outbound), peers: call.egressPeers(toward: .outbound))
        guard let bye else { return }
        logger.info("hung up a second answer from another fork", metadata: ["call": "\(call.id)"])
        startClientTransaction(
            bye,
            owner: ClientTransactionOwner(
                callID: call.id, side: .outbound, route: call.route(.outbound), serverKey: nil, originalRequest: bye,
                purpose: .hangUp),
            isReliable: call.isReliable(.outbound))
    }

    /// A 2xx to one of Gatehouse's INVITEs after its call ended (the callee answered as the caller's CANCEL or the
    /// no-answer timeout crossed it): acknowledged and hung up, as RFC 3261 §13.2.2.4 requires of a UAC. Other
    /// answers for ended calls are dropped.
    func releaseOrphanAnswer(_ response: SIPMessage, from clientKey: TransactionKey, owner: ClientTransactionOwner) {
        guard let code = response.statusCode, (200...299).contains(code),
            case .inviteClient(let transaction) = transactions[clientKey],
            let (ack, bye) = CallLegs.acknowledgeAndHangUp(
                response, to: transaction.request, endpoint: owner.route.localEndpoint, generator: &generator)
        else { return }
        sendACK(ack, via: owner.route, peers: owner.peers ?? EgressPeers())
        // A retransmitted 2xx needs its ACK again, but one BYE per answering dialog is enough.
        let tag = ((try? response.to.tag) ?? nil) ?? ""
        guard releasedAnswerTags[clientKey, default: []].insert(tag).inserted else { return }
        logger.info("hung up an answer that came after its call ended", metadata: ["call": "\(owner.callID)"])
        startClientTransaction(
            bye,
            owner: ClientTransactionOwner(
                callID: owner.callID, side: owner.side, route: owner.route, serverKey: nil, originalRequest: bye,
                purpose: .hangUp, peers: owner.peers),
            isReliable: owner.route.localEndpoint.transport.isStream)
    }
}
