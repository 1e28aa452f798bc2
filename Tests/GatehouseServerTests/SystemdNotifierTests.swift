import Dispatch
import GatehouseServer
import NIOCore
import NIOPosix
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The notifier on a real Unix datagram socket, as systemd's end: a socket file, an abstract name, the watchdog
/// pinged from an event loop, and nothing at all without NOTIFY_SOCKET.
struct SystemdNotifierTests {
    private func notifier(_ receiver: NotifySocketReceiver, watchdogUSec: String? = nil) -> SystemdNotifier {
        var variables = ["NOTIFY_SOCKET": receiver.notifySocket]
        variables["WATCHDOG_USEC"] = watchdogUSec
        return SystemdNotifier(environment: ServiceManagerEnvironment(variables, processID: getpid()))
    }

    @Test func sendsToASocketFile() async throws {
        let receiver = try NotifySocketReceiver()
        let notifier = notifier(receiver)
        #expect(notifier.isEnabled)
        try notifier.send(.ready(status: "serving t", mainPID: 99))
        try notifier.send(.stopping(status: "stopping t"))
        #expect(await receiver.next() == "READY=1\nSTATUS=serving t\nMAINPID=99")
        #expect(await receiver.next() == "STOPPING=1\nSTATUS=stopping t")
    }

    @Test func sendsToAnAbstractName() async throws {
        let receiver = try NotifySocketReceiver(abstract: true)
        try notifier(receiver).send(.reloading(monotonicMicroseconds: 5))
        #expect(await receiver.next() == "RELOADING=1\nMONOTONIC_USEC=5")
    }

    /// A socket nobody listens on is an error the node can log, not a crash.
    @Test func aMissingSocketIsAnError() throws {
        let notifier = SystemdNotifier(
            environment: ServiceManagerEnvironment(["NOTIFY_SOCKET": "/tmp/gh-no-such-notify.sock"], processID: 1))
        let error = #expect(throws: SystemdNotifier.SendError.self) { try notifier.send(.watchdog) }
        #expect(error?.errno == ENOENT)
    }

    @Test func withoutNotifySocketNothingIsSent() throws {
        let notifier = SystemdNotifier(environment: ServiceManagerEnvironment([:], processID: getpid()))
        #expect(!notifier.isEnabled)
        try notifier.send(.ready(status: "x", mainPID: 1))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        #expect(notifier.startWatchdog(on: group.next()) == nil)
    }

    @Test func theWatchdogPingsFromTheLoopUntilCancelled() async throws {
        let receiver = try NotifySocketReceiver()
        let notifier = notifier(receiver, watchdogUSec: "100000")  // a ping every 50 ms
        try await withLoop { loop in
            let task = try #require(notifier.startWatchdog(on: loop))
            for _ in 0..<3 { #expect(await receiver.next() == "WATCHDOG=1") }
            let cancelled = loop.makePromise(of: Void.self)
            task.cancel(promise: cancelled)
            try await cancelled.futureResult.get()
            while await receiver.next(within: .milliseconds(20)) != nil {}  // what was sent before the cancel
            #expect(await receiver.next(within: .milliseconds(300)) == nil)
        }
    }

    /// No ping while the loop is busy: the watchdog hears of a stuck loop, not of a timer thread that is alive.
    @Test func aBlockedLoopSendsNoPings() async throws {
        let receiver = try NotifySocketReceiver()
        let notifier = notifier(receiver, watchdogUSec: "100000")
        try await withLoop { loop in
            let task = try #require(notifier.startWatchdog(on: loop))
            defer { task.cancel() }
            #expect(await receiver.next() == "WATCHDOG=1")
            // The loop is held until the test has seen the silence (a fixed sleep on it could end before the test
            // task, on a busy machine, even starts listening).
            let release = DispatchSemaphore(value: 0)
            let blocked = loop.submit { release.wait() }
            try await Task.sleep(for: .milliseconds(50))
            while await receiver.next(within: .milliseconds(20)) != nil {}  // a ping already on its way
            #expect(await receiver.next(within: .milliseconds(400)) == nil)
            release.signal()
            try await blocked.get()
            #expect(await receiver.next() == "WATCHDOG=1")
        }
    }

    /// A one-thread event loop for `body`, shut down after it.
    private func withLoop(_ body: (any EventLoop) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await body(group.next())
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }
}
