import Logging
import ServiceLifecycle

/// The node as a service of the process's `ServiceGroup`: starts it, serves until a graceful shutdown (SIGTERM,
/// SIGINT), drains, stops.
///
/// ```
///  start (listeners, IMS core) ─► pid file ─► READY=1 to systemd, watchdog pings ─► serve; SIGHUP reloads
///    ─► SIGTERM: STOPPING=1, drain (new calls 503, calls in progress go on up to node.drain_timeout, then ended)
///    ─► stop (listeners closed, state flushed) ─► pid file removed ─► exit 0
/// ```
public struct NodeService: Service {
    let node: GatehouseNode
    let policyFile: String?
    let pidFile: String?

    public init(node: GatehouseNode, policyFile: String?, pidFile: String?) {
        self.node = node
        self.policyFile = policyFile
        self.pidFile = pidFile
    }

    public func run() async throws {
        let hangups = policyFile.map { node.reloadOnSIGHUP(from: $0) }
        defer { hangups?.cancel() }
        let running = try await node.start()
        if let pidFile {
            do {
                try PidFile.write(pidFile)
            } catch {
                await node.stop(running)
                throw error
            }
        }
        let watchdog = node.notifyServiceManagerReady()
        // Cancellation (a second signal, or another service failing) skips the drain: stop at once.
        let shutDownGracefully = (try? await gracefulShutdown()) != nil
        node.notifyServiceManagerStopping()
        if shutDownGracefully {
            let calls = await node.activeCallCount()
            node.logger.notice(
                "stopping: draining", metadata: ["calls": "\(calls)", "timeout": "\(node.policy.node.drainTimeout)"])
            let ended = await node.drain()
            node.logger.notice("drained", metadata: ["ended-at-timeout": "\(ended)"])
        }
        await node.stop(running)
        watchdog?.cancel()
        if let pidFile { PidFile.remove(pidFile) }
        try await node.shutdownEventLoops()
    }
}

/// The admin listener as a service: bound at start, closed after the node has drained (it is listed before the
/// node in the group, and a group shuts its services down in reverse order), so `/ready` reports the drain.
public struct AdminService: Service {
    let host: String
    let port: Int
    let router: AdminRouter
    let logger: Logger

    public init(host: String, port: Int, router: AdminRouter, logger: Logger) {
        self.host = host
        self.port = port
        self.router = router
        self.logger = logger
    }

    public func run() async throws {
        let server = try await AdminHTTPServer.bind(
            host: host, port: port, router: router, group: .singletonMultiThreadedEventLoopGroup, logger: logger)
        try? await gracefulShutdown()
        await server.close()
    }
}
