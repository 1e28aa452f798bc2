import NIOCore
import SIPMessage
import SIPStack

/// Draining: the node stops taking new calls (503 with Retry-After, so callers and upstream proxies try another
/// node) while the calls in progress go on, until the last one ends or the drain timeout passes; calls still up
/// then are ended on both legs (answered: BYE with a Reason; ringing: 503 to the caller, CANCEL to the callee).
/// Requests inside dialogs, CANCELs and registrations are served as usual throughout.
extension CallEngine {
    /// Starts draining (or joins a drain in progress); the future completes when no call is left, with the number
    /// of calls that had to be ended at the deadline. With `deadline` false (an operator's drain through the API)
    /// calls are never ended: the node only stops taking new ones; a stop that joins such a drain brings its own
    /// deadline. `timeout` is also the Retry-After of the 503s.
    func beginDrain(timeout: Duration, deadline: Bool = true) -> EventLoopFuture<Int> {
        loop.flatSubmit { [self] in
            let promise = loop.makePromise(of: Int.self)
            if drain == nil {
                drain = DrainState(retryAfterSeconds: max(1, Int(timeout.components.seconds)))
                logger.notice(
                    "draining: new calls are refused",
                    metadata: [
                        "calls": "\(calls.count + mrf.calls.count)", "timeout": "\(deadline ? "\(timeout)" : "none")",
                    ])
            }
            if deadline, drain?.deadline == nil, !calls.isEmpty || !mrf.calls.isEmpty {
                drain?.deadline = schedule(after: timeout) { [self] in endCallsLeft() }
            }
            drain?.waiters.append(promise)
            drainProgressed()
            return promise.futureResult
        }
    }

    /// Takes new calls again (an operator's `DELETE /api/drain`); waiters of the drain are told 0 calls were ended.
    func endDrain() {
        loop.execute { [self] in
            guard let state = drain else { return }
            drain = nil
            state.deadline?.cancel()
            for waiter in state.waiters { waiter.succeed(0) }
            logger.notice("drain ended: new calls are taken again")
        }
    }

    /// Whether the node is draining (read on the loop).
    func isDraining() async -> Bool {
        (try? await loop.submit { self.drain != nil }.get()) ?? false
    }

    /// A new INVITE while draining: 503 with Retry-After.
    func refuseWhileDraining(_ invite: SIPMessage, _ serverKey: TransactionKey, drain: DrainState) {
        var response = responder.response(to: invite, status: .serviceUnavailable, reason: "Draining")
        response.headers.append(.retryAfter, "\(drain.retryAfterSeconds)")
        counters.countRefused("node.draining")
        if let context = serverContexts[serverKey] {
            recordRefusal(
                invite, context: context, status: 503, reason: "node.draining", detail: "the node is draining")
        }
        logger.info(
            "refused a new call while draining", metadata: ["call-id": "\(invite.headers.firstString(.callID) ?? "-")"])
        respond(serverKey, with: response)
    }

    /// Called whenever a call ends (the MRF's too): the drain's waiters are released once none is left.
    func drainProgressed() {
        guard var state = drain, calls.isEmpty, mrf.calls.isEmpty, !state.waiters.isEmpty else { return }
        let waiters = state.waiters
        state.waiters = []
        state.deadline?.cancel()
        state.deadline = nil
        drain = state
        for waiter in waiters { waiter.succeed(state.endedAtDeadline) }
    }

    /// The drain timeout passed: every call left is ended.
    private func endCallsLeft() {
        let left = Array(calls.values)
        drain?.endedAtDeadline = left.count + mrf.calls.count
        drain?.deadline = nil
        if !left.isEmpty || !mrf.calls.isEmpty {
            logger.warning(
                "drain timeout: ending the calls left", metadata: ["calls": "\(left.count + mrf.calls.count)"])
        }
        endMRFCallsLeft()
        for call in left {
            if call.isAnswered {
                hangUp(call.id, cause: 503, reason: "Node shutting down")
            } else {
                abandon(call, answering: .serviceUnavailable, reason: "node shutting down")
            }
        }
        drainProgressed()
    }
}

/// A drain in progress.
struct DrainState {
    /// The Retry-After of the 503s: the drain timeout, so a retry reaches a node that is up again.
    let retryAfterSeconds: Int
    var deadline: Scheduled<Void>?
    var waiters: [EventLoopPromise<Int>] = []
    /// Calls ended because the timeout passed.
    var endedAtDeadline = 0
}
