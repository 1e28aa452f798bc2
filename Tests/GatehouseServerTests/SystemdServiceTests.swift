import Foundation
import GatehouseServer
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `gatehouse serve` started the way systemd starts a `Type=notify` unit with a watchdog: NOTIFY_SOCKET and
/// WATCHDOG_USEC in its environment, the test's own datagram socket standing in for systemd, SIGHUP for
/// `systemctl reload` and SIGTERM for `systemctl stop`. The node listens on 127.0.0.251 (no other test uses it).
struct SystemdServiceTests {
    private static let address = "127.0.0.251"

    @Test func readyReloadingWatchdogAndStopping() async throws {
        let binary = try BuiltProducts.gatehouse().get()
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let policy = try workspace.writePolicy(
            listeners: ["udp://\(Self.address):5060", "tcp://\(Self.address):5060"])
        let receiver = try NotifySocketReceiver()
        let node = try ExternalProcess.start(
            binary, ["serve", "--policy", policy, "--threads", "1", "--log-level", "warning"],
            environment: ["NOTIFY_SOCKET": receiver.notifySocket, "WATCHDOG_USEC": "400000"])
        defer { node.stop() }
        var skipped: [String] = []

        // Ready once the listeners are bound, naming the main process.
        let firstReady = await receiver.next(within: .seconds(30), skipping: &skipped) { $0.hasPrefix("READY=1") }
        let ready = try #require(firstReady, "no READY=1")
        #expect(skipped.isEmpty, "before READY=1: \(skipped)")
        #expect(ready.notifyAssignments["MAINPID"] == "\(node.processID)")
        #expect(ready.notifyAssignments["STATUS"] == "serving reload-test, policy generation 1")
        #expect(BoundSocket.udp(Self.address, 5060).isBound)
        #expect(BoundSocket.tcpListener(Self.address, 5060).isBound)

        // The watchdog, every 200 ms.
        for _ in 0..<3 {
            #expect(await receiver.next(within: .seconds(5)) == "WATCHDOG=1")
        }

        // SIGHUP: RELOADING=1 stamped with the monotonic time it began, then READY=1 with the new generation.
        let beforeReload = SystemdNotifier.monotonicMicroseconds()
        node.send(signal: SIGHUP)
        skipped = []
        let reloadBegan = await receiver.next(skipping: &skipped) { $0.hasPrefix("RELOADING=1") }
        let reloading = try #require(reloadBegan, "no RELOADING=1")
        let stamp = try #require(reloading.notifyAssignments["MONOTONIC_USEC"].flatMap { UInt64($0) })
        #expect(stamp >= beforeReload && stamp <= SystemdNotifier.monotonicMicroseconds())
        let readyAgain = await receiver.next(skipping: &skipped) { $0.hasPrefix("READY=1") }
        let reloaded = try #require(readyAgain, "no READY=1 after the reload")
        #expect(reloaded.notifyAssignments["STATUS"] == "serving reload-test, policy generation 2")
        #expect(skipped.allSatisfy { $0 == "WATCHDOG=1" }, "\(skipped)")

        // SIGTERM: STOPPING=1, then a clean exit.
        node.send(signal: SIGTERM)
        skipped = []
        let stopping = await receiver.next(skipping: &skipped) { $0.hasPrefix("STOPPING=1") }
        #expect(stopping == "STOPPING=1\nSTATUS=stopping reload-test")
        #expect(skipped.allSatisfy { $0 == "WATCHDOG=1" }, "\(skipped)")
        let outcome = try await node.finish(within: .seconds(20))
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(!BoundSocket.udp(Self.address, 5060).isBound)
    }

    /// Outside systemd (no NOTIFY_SOCKET) the node serves as before: nothing to notify is not an error.
    @Test func withoutNotifySocketTheNodeServesAndStops() async throws {
        let binary = try BuiltProducts.gatehouse().get()
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let policy = try workspace.writePolicy(listeners: ["udp://127.0.0.252:5060"])
        let node = try ExternalProcess.start(
            binary, ["serve", "--policy", policy, "--threads", "1"], environment: ["NOTIFY_SOCKET": ""])
        defer { node.stop() }
        #expect(await eventually(.seconds(20)) { BoundSocket.udp("127.0.0.252", 5060).isBound })
        node.send(signal: SIGTERM)
        let outcome = try await node.finish(within: .seconds(20))
        // The service group traps SIGTERM before the node starts, so even a SIGTERM right after the bind drains.
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(!outcome.output.contains("systemd"), "\(outcome.output)")
    }
}
