import SIPMessage
import SIPStack
import Transport

/// RFC 3263 §4.3: when the server a named next hop resolved to cannot be reached — the connection fails, or the
/// INVITE gets no answer at all (Timer B) — the INVITE goes to the next server on the list, as a new transaction.
/// The caller hears nothing of it until the list runs out.
extension CallEngine {
    /// Sends the call's INVITE to its next alternative destination; false when there is none left (or the call
    /// was answered, or the failed transaction is not the call's current INVITE).
    func failOver(_ id: Int, from clientKey: TransactionKey, status: SIPStatus) -> Bool {
        guard var call = calls[id], !call.isAnswered, call.outboundInviteKey == clientKey,
            let owner = clientOwners[clientKey], !call.alternativeDestinations.isEmpty
        else { return false }
        let failed = call.outboundDestination
        call.outboundDestination = call.alternativeDestinations.removeFirst()
        let invite = call.legs.resendOutboundInvite(generator: &generator)
        logger.notice(
            "next hop unreachable, trying the next server",
            metadata: [
                "call": "\(id)", "failed": "\(failed)", "status": "\(status.code)",
                "next": "\(call.outboundDestination)",
            ])
        call.outboundInviteKey = startClientTransaction(
            invite,
            owner: ClientTransactionOwner(
                callID: id, side: .outbound, route: call.route(.outbound), serverKey: owner.serverKey,
                originalRequest: owner.originalRequest),
            isReliable: call.isReliable(.outbound), egressApplied: true)
        calls[id] = call
        return true
    }
}
