/// One caller's INVITE rung at several targets at once (a callee registered from several devices, TS 24.229
/// §5.4.3.3 step 10, RFC 3261 §16.7): a value with a `mutating func` per event that says what to do with each
/// branch's answers.
///
/// ```
///            ┌─ 1xx from a branch ──► relay it (the caller hears ringing)
///  ringing ──┼─ 2xx from a branch ──► answered(that branch): relay it, CANCEL every branch still ringing
///            ├─ 6xx from a branch ──► declined: relay it, CANCEL the others (RFC 3261 §16.7 step 5)
///            ├─ other final ────────► that branch is done; when none is left, relay the best final answer
///            └─ caller's CANCEL ────► cancelled: CANCEL every branch still ringing
///  answered / declined / cancelled ── a 2xx from another branch ──► release it (ACK and BYE: §13.2.2.4)
/// ```
///
/// The best final answer when every branch failed (RFC 3261 §16.7 step 6): the lowest class, the first received
/// within it; a 503 is relayed as 500, since the caller would otherwise take it for the proxy's own overload.
/// `Branch` is whatever identifies an outbound leg to the owner (a call id, a transaction key).
public struct ParallelFork<Branch: Hashable & Sendable>: Sendable {
    public enum State: Hashable, Sendable {
        case ringing
        case answered(Branch)
        /// A 6xx ended the fork, or every branch failed: the answer relayed.
        case failed(status: Int)
        case cancelled
    }

    public enum Action: Hashable, Sendable {
        /// Relay this branch's provisional (or final) response to the caller.
        case relay(Branch, status: Int)
        /// Send a CANCEL on this branch.
        case cancel(Branch)
        /// Acknowledge and hang up this branch's 2xx: the call went elsewhere.
        case release(Branch)
        /// Answer the caller with this branch's final response (the best of all failed branches); 503 becomes 500.
        case relayFinal(Branch, status: Int)
    }

    public private(set) var state: State = .ringing
    /// Branches with no final answer yet, in the order they started.
    public private(set) var pending: [Branch]
    /// The best final failure so far, and its branch.
    private var best: (branch: Branch, status: Int)?

    public init(branches: [Branch]) {
        pending = branches
    }

    /// A response on `branch` (provisional or final).
    public mutating func received(status: Int, from branch: Branch) -> [Action] {
        let isPending = pending.contains(branch)
        if status < 200 {
            return state == .ringing && isPending ? [.relay(branch, status: status)] : []
        }
        if isPending { pending.removeAll { $0 == branch } }
        switch state {
        case .ringing:
            break
        case .answered(let winner):
            // RFC 3261 §13.2.2.4: every other 2xx is acknowledged and ended.
            return (200..<300).contains(status) && winner != branch ? [.release(branch)] : []
        case .failed, .cancelled:
            return (200..<300).contains(status) ? [.release(branch)] : []
        }
        guard isPending else { return [] }
        if (200..<300).contains(status) {
            state = .answered(branch)
            let others = pending.map(Action.cancel)
            pending = []
            return [.relay(branch, status: status)] + others
        }
        if status >= 600 {
            state = .failed(status: status)
            let others = pending.map(Action.cancel)
            pending = []
            return [.relayFinal(branch, status: status)] + others
        }
        if best == nil || status / 100 < best!.status / 100 { best = (branch, status) }
        return finishIfDone()
    }

    /// A branch that can no longer answer (Timer B, a transport failure): `status` is what it counts as (408,
    /// 503).
    public mutating func branchFailed(_ branch: Branch, status: Int) -> [Action] {
        guard state == .ringing, pending.contains(branch) else { return [] }
        pending.removeAll { $0 == branch }
        if best == nil || status / 100 < best!.status / 100 { best = (branch, status) }
        return finishIfDone()
    }

    /// The caller cancelled (or Gatehouse gave up): CANCEL every branch still ringing. Their 487s then change
    /// nothing; the caller's 487 is the owner's to send.
    public mutating func cancel() -> [Action] {
        guard state == .ringing else { return [] }
        state = .cancelled
        let actions = pending.map(Action.cancel)
        pending = []
        return actions
    }

    private mutating func finishIfDone() -> [Action] {
        guard pending.isEmpty, let best else { return [] }
        let status = best.status == 503 ? 500 : best.status
        state = .failed(status: status)
        return [.relayFinal(best.branch, status: status)]
    }
}
