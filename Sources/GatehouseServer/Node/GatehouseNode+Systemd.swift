import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Telling systemd what the node is doing (`systemd/gatehouse.service` is `Type=notify` with a watchdog): ready once
/// every listener is bound, reloading around each policy reload, stopping when it stops, and alive every half
/// watchdog timeout while the signalling engine's event loop runs. Each is a no-op outside systemd.
extension GatehouseNode {
    /// READY=1 for a started node, and the watchdog pings from the engine's event loop; returns the ping task, to
    /// cancel at stop.
    func notifyServiceManagerReady() -> RepeatedTask? {
        for problem in systemd.environment.ignored { logger.warning("systemd: \(problem)") }
        if let error = systemd.openError { logger.warning("systemd: \(error)") }
        notifyServiceManager(.ready(status: servingStatus, mainPID: getpid()))
        return systemd.startWatchdog(on: engine.loop) { [logger] error in
            logger.warning("systemd watchdog: \(error)")
        }
    }

    /// RELOADING=1 with the time it began, before a reload reads anything.
    func notifyServiceManagerReloading() {
        notifyServiceManager(.reloading(monotonicMicroseconds: SystemdNotifier.monotonicMicroseconds()))
    }

    /// READY=1 again after a reload, whether it was applied or refused (the policy in force serves either way).
    func notifyServiceManagerReloaded() {
        notifyServiceManager(.ready(status: servingStatus, mainPID: getpid()))
    }

    /// STOPPING=1, as stopping begins.
    func notifyServiceManagerStopping() {
        notifyServiceManager(.stopping(status: "stopping \(policy.node.name)"))
    }

    /// What `systemctl status` shows while the node serves.
    private var servingStatus: String {
        let snapshot = policyInForce.snapshot
        return "serving \(snapshot.policy.node.name), policy generation \(snapshot.generation)"
    }

    private func notifyServiceManager(_ notification: ServiceManagerNotification) {
        do {
            try systemd.send(notification)
        } catch {
            logger.warning("systemd: \(error)", metadata: ["notification": "\(notification.datagram)"])
        }
    }
}
