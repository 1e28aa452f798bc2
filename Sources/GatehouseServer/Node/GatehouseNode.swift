import Foundation
import GatehousePolicy
import Logging
import Media
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPMessage
import Transport

/// A running Gatehouse: the policy in force, the event loops, and every realm's listeners.
///
/// INVITE dialogs go through the B2BUA (`CallEngine`): routed by the policy, each call two legs with nothing of
/// one side visible on the other. Other out-of-dialog requests are answered by the node itself
/// (`StatelessResponder`): OPTIONS with 200, anything else with 501, malformed requests with the status their
/// error carries. Everything it receives is logged and counted. The policy can be replaced while it runs (`reload(from:)`, SIGHUP).
public final class GatehouseNode: Sendable {
    /// The policy in force, swapped whole by a reload; read one `snapshot` per message.
    public let policyInForce: ActivePolicy
    /// What the node has seen, by outcome, and its reloads.
    public let counters: NodeCounters
    /// The listeners' connections: open, accepted, refused, reaped…
    public let transportCounters: TransportCounters
    /// The Prometheus registry behind `/metrics` (`GatehouseNode+Metrics`).
    public let metrics: NodeMetrics
    /// Recent refusals and the one-second history behind the status page.
    public let activity: NodeActivity
    /// When the node was made, for its uptime.
    let createdAt = NIODeadline.now()
    /// The process's log level, which the policy's `node.log_level` sets at start and at each reload (nil: the
    /// loggers keep their own levels, as in tests).
    let logLevels: LogLevelControl?
    /// Live SIP capture (`capture:`), installed at start and replaced by a reload that changes it.
    let tap = SignallingTapSlot()
    /// The peers `gatehouse_calls_active` has a series for (a peer whose calls all ended loses its series).
    let exportedCallPeers = NIOLockedValueBox<Set<String>>([])
    let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    /// What the listeners call; a reload installs the handler made for the new policy.
    let inbound: InboundHandlerSlot
    /// The B2BUA: one for the node's lifetime, so a reload never drops a call (it reads the policy in force for
    /// each new message).
    let engine: CallEngine
    /// The listeners while the node is started.
    let listeners = NIOLockedValueBox<SIPListeners?>(nil)
    /// Reloads run one at a time, in the order they were asked for.
    let reloads = SerialQueue()
    /// systemd's notification socket, when it started the node (`GatehouseNode+Systemd.swift`).
    let systemd = SystemdNotifier.forThisProcess()
    /// The kernel blocklist while the node runs with `firewall.kernel_blocklist` (and CAP_NET_ADMIN).
    let kernelBlocklist = NIOLockedValueBox<KernelBlocklistMirror?>(nil)

    /// The policy in force now.
    public var policy: Policy { policyInForce.policy }

    /// One event loop per core.
    public static var defaultThreadCount: Int { System.coreCount }

    /// `policyDirectory` is where relative certificate, key and CA paths in `policy` are resolved: the directory
    /// of the policy file (default: the current directory). `keepsState` makes the node keep its DTLS-SRTP
    /// certificate in the directory of `node.state` (`gatehouse serve`); without it (tests, benchmarks) the node
    /// makes one in memory.
    public init(
        policy: Policy, logger: Logger, threads: Int = GatehouseNode.defaultThreadCount,
        policyDirectory: String = FileManager.default.currentDirectoryPath, logLevels: LogLevelControl? = nil,
        keepsState: Bool = false
    ) {
        self.logLevels = logLevels
        logLevels?.apply(policy.node.logLevel)
        self.policyInForce = ActivePolicy(policy, directory: policyDirectory)
        self.logger = logger
        self.counters = NodeCounters()
        self.transportCounters = TransportCounters()
        self.metrics = NodeMetrics()
        self.activity = NodeActivity()
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        self.inbound = InboundHandlerSlot(NullInboundHandler(), tap: tap)
        self.engine = CallEngine(
            activePolicy: policyInForce, responder: StatelessResponder(), counters: counters, metrics: metrics,
            activity: activity, tap: tap, logger: logger, loop: group.next(),
            locator: NextHopLocator(group: group, logger: logger),
            mediaRelay: MediaRelay(
                group: group,
                dtlsContext: NodeDTLSContext.make(
                    directory: keepsState
                        ? NodeDTLSContext.stateDirectory(of: policy.node, policyDirectory: policyDirectory) : nil,
                    logger: logger)))
        inbound.replace(with: makeInboundHandler(for: policyInForce.snapshot))
    }

    /// The handler that answers what arrives on the listeners under `snapshot`'s policy (made at start and at
    /// each reload).
    func makeInboundHandler(for snapshot: ActivePolicy.Snapshot) -> any SIPInboundHandler {
        engine
    }

    /// Calls in progress.
    public func activeCallCount() async -> Int {
        await engine.activeCallCount()
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

    /// Binds every listener of every realm, `tls://` ones with their realm's certificate; throws (having bound
    /// nothing) if any cannot be bound, naming the endpoint and, for TLS, the file.
    public func start() async throws -> Running {
        let snapshot = policyInForce.snapshot
        let policy = snapshot.policy
        let settings = NodeListenerSettings(policy, directory: snapshot.directory)
        try await startIMSCore(snapshot)
        installMRF(try Self.mrfResources(of: policy, directory: snapshot.directory))
        let bound = try await SIPListeners.bind(
            policy.realms.flatMap(\.listeners), group: group, handler: inbound, limits: policy.sipLimits,
            tls: settings.tls, connectionLimits: settings.connectionLimits, counters: transportCounters,
            logger: logger)
        listeners.withLockedValue { $0 = bound }
        engine.attach(pool: bound.pool)
        await startKernelBlocklist(policy)
        startCapture(snapshot)
        logger.notice(
            "gatehouse started",
            metadata: [
                "node": "\(policy.node.name)", "version": "\(GatehouseVersion.current)",
                "realms": "\(policy.realms.map(\.name).joined(separator: ","))",
            ])
        return Running(listeners: bound)
    }

    /// Stops a started node: closes its listeners.
    public func stop(_ running: Running) async {
        listeners.withLockedValue { if $0 === running.listeners { $0 = nil } }
        await running.listeners.close()
        await stopKernelBlocklist()
        stopCapture()
        engine.stopAdmissionSweep()
        engine.locator.shutdown()
        await flushIMSState()
        logger.notice("gatehouse stopped", metadata: ["node": "\(policy.node.name)"])
    }

    /// Shuts the node's event loops down; the node cannot be started again.
    public func shutdownEventLoops() async throws {
        try await group.shutdownGracefully()
    }

    /// The last reference may go on an event loop (an admin connection's handler holding the router that holds
    /// the node), where a blocking shutdown would deadlock: the loops are told to stop and left to do so.
    deinit {
        group.shutdownGracefully { _ in }
    }
}

/// Drops everything; the slot holds it only until the node's own handler is made.
private struct NullInboundHandler: SIPInboundHandler {
    func received(_ bytes: [UInt8], context: SIPConnectionContext) {}
    func framingFailed(_ error: any Error, context: SIPConnectionContext) {}
}
