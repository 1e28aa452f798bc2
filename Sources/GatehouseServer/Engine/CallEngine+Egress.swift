import Border
import GatehousePolicy
import SIPMessage
import SIPStack
import Transport

/// The two peers the egress stage asks about: the one a message goes to (whose outbound rules run) and the one on
/// the call's other leg (for rules with `when: {peer: …}`). Nil for a side that is no peer (a UA, the IMS core).
struct EgressPeers {
    var toward: Peer?
    var from: Peer?
}

/// The border's egress stage on the live path, for every message toward a peer and not only the call's INVITE.
///
/// Three places send what Gatehouse builds, and each passes the stage once, before anything is serialized:
/// `startClientTransaction` (every request with a transaction: in-dialog requests, CANCEL, Gatehouse's own BYE
/// and refreshes, the MRF's requests, relayed REGISTERs through `startRegistrationTransaction`), `respond` (every
/// response of a server transaction, relayed or Gatehouse's own) and `sendACK` (the ACK for a 2xx, which has no
/// transaction). The message the transaction keeps is then the one on the wire, so retransmissions are identical
/// and the stage runs once per message, not per retransmission.
///
/// Not covered, by design: the call's INVITE passes `BorderPolicy.egress` in `startCall` (with numbering, before
/// media anchoring and the CDR), and its resends (failover, a 422) are that INVITE again; the transaction layer's
/// own messages (100 Trying, the ACK for a non-2xx final response, built from the INVITE as sent); stateless
/// answers outside any transaction (`answerStatelessly`, the signalling entry's OPTIONS and refusals of what does
/// not parse).
extension CallEngine {
    /// Runs `BorderPolicy.egress` on a message toward `peers.toward`; nothing when that is no peer or no peer
    /// normalizes outbound.
    func applyEgress(_ message: inout SIPMessage, peers: EgressPeers) {
        guard snapshot.border.normalizesOutbound, let peer = peers.toward else { return }
        var trace = PipelineTrace(recording: logger.logLevel <= .debug)
        snapshot.border.egress(&message, toward: peer, from: peers.from, trace: &trace)
        if trace.isRecording, !trace.entries.isEmpty {
            logger.debug("egress", metadata: ["peer": "\(peer.name)", "steps": "\(trace.entries.map(\.description))"])
        }
    }

    /// The peers of a request a client transaction carries: the call's on the owner's side, or, for a request
    /// toward a caller outside a B2BUA call (the MRF's), whoever the caller's address belongs to.
    func egressPeers(for owner: ClientTransactionOwner) -> EgressPeers {
        if let peers = owner.peers { return peers }
        if let call = calls[owner.callID] { return call.egressPeers(toward: owner.side) }
        guard case .towardCaller(let context) = owner.route else { return EgressPeers() }
        return EgressPeers(toward: peer(at: context), from: nil)
    }

    /// The peers of a response: the call's on the leg its request arrived on (found by Gatehouse's tag in To, or by
    /// the caller's Call-ID before that tag is known), else the peer the request came from, identified by its
    /// address as ingress did.
    func egressPeers(forResponse response: SIPMessage, serverKey: TransactionKey) -> EgressPeers {
        if let (id, side) = callIndex.call(of: response), let call = calls[id] {
            return call.egressPeers(toward: side)
        }
        if let callID = response.headers.firstString(.callID), let id = callIndex.call(inboundCallID: callID),
            let call = calls[id]
        {
            return call.egressPeers(toward: .inbound)
        }
        return EgressPeers(toward: serverContexts[serverKey].flatMap(peer(at:)), from: nil)
    }

    /// The ACK for a 2xx on the wire (it has no transaction, RFC 3261 §17.1.1.3), after the egress stage.
    func sendACK(_ ack: SIPMessage, via route: LegRoute, peers: EgressPeers) {
        var ack = ack
        applyEgress(&ack, peers: peers)
        sendRequest(ack.serialize(), via: route, failing: nil)
    }

    /// The peer whose address a connection's far end is, on the connection's realm.
    private func peer(at context: SIPConnectionContext) -> Peer? {
        guard snapshot.border.normalizesOutbound, let address = context.remote.ipAddress else { return nil }
        return policy.peer(for: address, realm: realms[context.listener] ?? "?")
    }
}

extension Call {
    /// The peers of a message sent on `side`: that side's peer, and the other side's.
    func egressPeers(toward side: CallLegs.Side) -> EgressPeers {
        switch side {
        case .inbound: EgressPeers(toward: sourcePeer, from: outboundPeer)
        case .outbound: EgressPeers(toward: outboundPeer, from: sourcePeer)
        }
    }
}
