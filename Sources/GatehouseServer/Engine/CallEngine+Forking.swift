import GatehousePolicy
import SIPMessage
import SIPStack

/// Parallel forking (TS 24.229 §5.4.3.3 step 10, RFC 3261 §16.7): a callee registered from several devices is rung
/// on all of them at once. Each branch is a call of its own (its own legs, media and Call-ID toward its device)
/// answering the one INVITE server transaction of the caller; `ParallelFork` decides what each branch's answers
/// do, and this file performs it: the first 2xx wins and the other branches get CANCEL, failures wait for the
/// last branch (the best of them is relayed), and the caller's CANCEL cancels every branch.
///
/// A branch that loses leaves no trace beyond its CANCEL: no CDR, no admission slot of its own, no answer to the
/// caller. The winner is the call.
extension CallEngine {
    /// Starts one call per route toward the same callee, all answering `inbound`; a single route is a plain call.
    func fork(_ inbound: InboundCall, routes: [(route: OutboundRoute, destination: SIPEndpoint)]) {
        guard routes.count > 1 else {
            if let only = routes.first { startCall(inbound, route: only.route, candidates: [only.destination]) }
            return
        }
        let firstID = nextCallID
        for (route, destination) in routes { startCall(inbound, route: route, candidates: [destination]) }
        let branches = (firstID..<nextCallID).filter { calls[$0]?.inboundServerKey == inbound.serverKey }
        guard branches.count > 1 else { return }
        forks[inbound.serverKey] = CallFork(fork: ParallelFork(branches: branches), branches: Set(branches))
        logger.info("call forked", metadata: ["calls": "\(branches)"])
    }

    /// A response to a branch's INVITE: true when the fork took it (dropped, or answered the caller itself), false
    /// when it goes the ordinary way (relayed to the caller by the branch's call).
    func forkResponded(_ response: SIPMessage, status code: Int, call: Call) -> Bool {
        guard var state = forks[call.inboundServerKey] else { return false }
        if state.fork.state == .cancelled, code >= 300 {
            // The caller cancelled: the last branch's 487 answers it, the others end quietly.
            state.branches.remove(call.id)
            forks[call.inboundServerKey] = state.branches.isEmpty ? nil : state
            guard state.branches.isEmpty else {
                dropBranch(call.id)
                return true
            }
            return false
        }
        let actions = state.fork.received(status: code, from: call.id)
        forks[call.inboundServerKey] = state
        return performFork(actions, current: call, status: code)
    }

    /// A branch whose INVITE can no longer be answered (Timer B, the transport): true when the fork took it.
    func forkBranchFailed(_ call: Call, status: SIPStatus) -> Bool {
        guard var state = forks[call.inboundServerKey] else { return false }
        let actions = state.fork.branchFailed(call.id, status: status.code)
        forks[call.inboundServerKey] = state
        return performFork(actions, current: call, status: status.code)
    }

    /// The caller's CANCEL of a forked INVITE: every ringing branch gets one. False when the INVITE is not forked.
    func cancelFork(_ serverKey: TransactionKey) -> Bool {
        guard var state = forks[serverKey] else { return false }
        let actions = state.fork.cancel()
        forks[serverKey] = state
        for case .cancel(let branch) in actions { cancelBranch(branch) }
        return true
    }

    /// Performs the fork's actions for a response (or failure) of `current`; true when `current`'s response must
    /// not take the ordinary way.
    private func performFork(_ actions: [ParallelFork<Int>.Action], current: Call, status: Int) -> Bool {
        var isRelayed = false
        for action in actions {
            switch action {
            case .relay(let branch, _):
                isRelayed = branch == current.id
            case .cancel(let branch):
                cancelBranch(branch)
                dropBranch(branch)
            case .release:
                // A 2xx from a branch that lost: its call is gone already, and `releaseOrphanAnswer` acknowledges
                // and hangs it up.
                break
            case .relayFinal(let branch, let best):
                if branch == current.id, best == status {
                    isRelayed = true
                } else {
                    // The best failure came from a branch that ended earlier (or a 503 becomes 500): the caller gets
                    // its status through this one.
                    respond(
                        current.inboundServerKey,
                        with: localResponse(
                            to: current.inboundInvite, status: SIPStatus(best, RouteTarget.defaultReason(for: best)),
                            call: current, side: .inbound))
                    forks[current.inboundServerKey] = nil
                    endCall(current.id, reason: "\(best) from the callee's devices", status: best, by: .callee)
                    return true
                }
            }
        }
        switch forks[current.inboundServerKey]?.fork.state {
        case .answered?, .failed?:
            // The fork is decided: the winner (or the relayed failure) is an ordinary call from here on.
            forks[current.inboundServerKey] = nil
            if isRelayed, status < 300 { callIndex.insert(current.legs, call: current.id) }
        case .ringing?, .cancelled?, nil:
            break
        }
        if !isRelayed, status >= 200 {
            dropBranch(current.id)
            return true
        }
        return !isRelayed
    }

    /// Sends a CANCEL on a branch's INVITE, or as soon as the branch sends a provisional response: a branch that
    /// has not rung yet may not be cancelled before (RFC 3261 §9.1), and the device that answers first may well be
    /// faster than the other's 180.
    private func cancelBranch(_ id: Int) {
        guard let call = calls[id], let clientKey = call.outboundInviteKey else { return }
        if !sendCancel(on: clientKey) { deferredCancels.insert(clientKey) }
    }

    /// A response on an INVITE whose CANCEL waits for a provisional one: the CANCEL goes now (a final response
    /// leaves nothing to cancel). The response itself then takes its ordinary way.
    func deferredCancelResponded(_ response: SIPMessage, from clientKey: TransactionKey) {
        guard let code = response.statusCode, deferredCancels.remove(clientKey) != nil, code < 200 else { return }
        _ = sendCancel(on: clientKey)
    }

    /// Starts the CANCEL of an INVITE client transaction; false when it may not be sent yet (or any more).
    private func sendCancel(on clientKey: TransactionKey) -> Bool {
        guard let owner = clientOwners[clientKey], case .inviteClient(let invite) = transactions[clientKey],
            let cancel = try? invite.makeCancel()
        else { return false }
        startClientTransaction(
            cancel,
            owner: ClientTransactionOwner(
                callID: owner.callID, side: .outbound, route: owner.route, serverKey: nil, originalRequest: cancel,
                purpose: .cancel),
            isReliable: owner.route.localEndpoint.transport.isStream)
        return true
    }

    /// Ends a branch that lost without a word to the caller, a CDR or the caller's admission slot (the winner's).
    private func dropBranch(_ id: Int) {
        guard let call = calls.removeValue(forKey: id) else { return }
        forks[call.inboundServerKey]?.branches.remove(id)
        callIndex.remove(call.legs, call: id)
        for task in call.sessionTasks.values { task.cancel() }
        releaseMedia(of: call)
        logger.info("fork branch ended", metadata: ["call": "\(id)"])
    }
}

/// A forked INVITE: the fork's state machine and its branches' calls still alive.
struct CallFork {
    var fork: ParallelFork<Int>
    var branches: Set<Int>
}
