import NIOConcurrencyHelpers

/// What the transport counts about its connections; the node reads these for metrics and the status page.
///
/// Thread-safe: every event loop updates one shared value under a lock (connection events are rare next to
/// messages, so the lock is not on the message path).
public final class TransportCounters: Sendable {
    public struct Snapshot: Sendable, Hashable {
        /// TCP and TLS connections open now, inbound and outbound.
        public var openConnections = 0
        /// Inbound connections accepted (and admitted) since start.
        public var acceptedConnections = 0
        /// Inbound connections closed on accept because a `ConnectionLimits` limit was reached.
        public var refusedConnections = 0
        /// Connections closed because they were idle for `ConnectionLimits.idleTimeout`.
        public var reapedConnections = 0
        /// Outbound connections opened.
        public var outboundConnections = 0
        /// Outbound connection attempts that failed.
        public var failedConnections = 0
        /// Messages that could not be sent (including those whose connection failed).
        public var failedSends = 0

        public init() {}
    }

    private let box = NIOLockedValueBox(Snapshot())

    public init() {}

    /// A consistent copy of every counter.
    public var snapshot: Snapshot { box.withLockedValue { $0 } }

    public var openConnections: Int { snapshot.openConnections }
    public var refusedConnections: Int { snapshot.refusedConnections }
    public var reapedConnections: Int { snapshot.reapedConnections }

    func update(_ body: (inout Snapshot) -> Void) {
        box.withLockedValue { body(&$0) }
    }
}
