/// Taking a node out of service without dropping calls (`CallEngine+Drain`): SIGTERM drains before stopping, and
/// an operator can drain a node that keeps running (`POST /api/drain`) to move traffic elsewhere first.
extension GatehouseNode {
    /// Refuses new calls from now on; returns when no call is left, or when the policy's `node.drain_timeout` has
    /// passed and the calls left were ended. Returns how many had to be ended.
    @discardableResult
    public func drain() async -> Int {
        await drain(timeout: policy.node.drainTimeout)
    }

    /// `drain()` with its own timeout.
    @discardableResult
    public func drain(timeout: Duration) async -> Int {
        (try? await engine.beginDrain(timeout: timeout).get()) ?? 0
    }

    /// Starts refusing new calls and returns at once; the calls in progress are left to end on their own (an
    /// operator moving traffic off the node). `DELETE /api/drain` takes calls again.
    public func beginDrain() {
        _ = engine.beginDrain(timeout: policy.node.drainTimeout, deadline: false)
    }

    /// Whether the listeners are bound (between `start` and `stop`).
    public var isListening: Bool { listeners.withLockedValue { $0 != nil } }
}
