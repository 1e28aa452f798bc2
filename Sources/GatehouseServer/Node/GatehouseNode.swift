import GatehousePolicy
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPMessage
import Transport

/// A running Gatehouse: the policy in force, the event loops, and every realm's listeners.
///
/// Until the signalling engine lands, the node answers requests itself (`StatelessResponder`): OPTIONS with 200,
/// anything else with 501, malformed requests with the status their error carries. Everything it receives is
/// logged and counted.
public final class GatehouseNode: Sendable {
    public let policy: Policy
    public let counters: NodeCounters
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup

    /// One event loop per core.
    public static var defaultThreadCount: Int { System.coreCount }

    public init(policy: Policy, logger: Logger, threads: Int = GatehouseNode.defaultThreadCount) {
        self.policy = policy
        self.logger = logger
        self.counters = NodeCounters()
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
    }

    /// The listeners of a started node, and how to stop it.
    public struct Running: Sendable {
        public let listeners: SIPListeners

        /// The address a listener of `realm` with `transport` was bound to (useful when the policy asked for
        /// port 0).
        public func boundAddress(realm: String, transport: SIPTransport, in policy: Policy) -> SocketAddress? {
            guard let realm = policy.realm(named: realm) else { return nil }
            return listeners.bound.first { bound in
                bound.endpoint.transport == transport
                    && realm.listeners.contains { $0.host == bound.endpoint.host && $0.port == bound.endpoint.port }
            }?.address
        }
    }

    /// Binds every listener of every realm; throws (having bound nothing) if any cannot be bound.
    public func start() async throws -> Running {
        let endpoints = policy.realms.flatMap(\.listeners)
        if let tls = endpoints.first(where: { $0.transport == .tls }) {
            throw NodeError.unsupportedListener(tls.description)
        }
        var realmByEndpoint: [SIPEndpoint: String] = [:]
        for realm in policy.realms {
            for listener in realm.listeners { realmByEndpoint[listener] = realm.name }
        }
        let entry = SignallingEntry(
            realms: realmByEndpoint, limits: policy.sipLimits, responder: StatelessResponder(),
            counters: counters, logger: logger)
        let listeners = try await SIPListeners.bind(
            endpoints, group: group, handler: entry, limits: policy.sipLimits, logger: logger)
        logger.notice(
            "gatehouse started",
            metadata: [
                "node": "\(policy.node.name)", "version": "\(GatehouseVersion.current)",
                "realms": "\(policy.realms.map(\.name).joined(separator: ","))",
            ])
        return Running(listeners: listeners)
    }

    /// Stops a started node: closes its listeners.
    public func stop(_ running: Running) async {
        await running.listeners.close()
        logger.notice("gatehouse stopped", metadata: ["node": "\(policy.node.name)"])
    }

    /// Starts, then serves until SIGINT or SIGTERM, then stops.
    public func run(untilSignal: Bool) async throws {
        let running = try await start()
        if untilSignal {
            let signal = await Self.waitForTerminationSignal()
            logger.notice("received \(signal), stopping")
        }
        await stop(running)
        try await group.shutdownGracefully()
    }

    /// Waits for SIGINT or SIGTERM.
    static func waitForTerminationSignal() async -> String {
        let signals = TerminationSignals()
        return await signals.wait()
    }

    deinit {
        try? group.syncShutdownGracefully()
    }
}

public enum NodeError: Error, CustomStringConvertible {
    case unsupportedListener(String)

    public var description: String {
        switch self {
        case .unsupportedListener(let listener):
            "\(listener): TLS listeners are not served by this build yet (they arrive with the signalling engine)"
        }
    }
}
