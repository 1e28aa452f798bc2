import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Sends `ServiceManagerNotification`s to systemd over the `NOTIFY_SOCKET` datagram socket, without libsystemd.
///
/// Without `NOTIFY_SOCKET` (not started by systemd, or by a unit that is not `Type=notify`) it does nothing, so the
/// node calls it unconditionally. The watchdog is pinged from an event loop the caller names (the signalling
/// engine's): a loop that is stuck stops the pings, and systemd restarts a node that no longer handles messages
/// instead of one whose timer thread alone is still alive.
public final class SystemdNotifier: Sendable {
    /// Why a notification did not reach systemd.
    public struct SendError: Error, Hashable, CustomStringConvertible {
        public var errno: Int32
        public var description: String { "cannot notify systemd: \(String(cString: strerror(errno)))" }
    }

    /// What the environment asked for.
    public let environment: ServiceManagerEnvironment
    /// The datagram socket, or -1 when there is nothing to notify (or it could not be opened).
    private let descriptor: Int32
    /// Why the socket could not be opened, when `NOTIFY_SOCKET` is set and it could not.
    public let openError: SendError?

    /// A notifier for what `environment` asks (`forThisProcess()` reads the process's own).
    public init(environment: ServiceManagerEnvironment) {
        self.environment = environment
        guard environment.socket != nil else {
            descriptor = -1
            openError = nil
            return
        }
        // CLOEXEC: a process the node might start must not notify in its name.
        let opened = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        descriptor = opened
        openError = opened < 0 ? SendError(errno: errno) : nil
    }

    /// A notifier for this process, as its environment (`NOTIFY_SOCKET`, `WATCHDOG_USEC`, `WATCHDOG_PID`) says.
    public static func forThisProcess() -> SystemdNotifier {
        SystemdNotifier(
            environment: ServiceManagerEnvironment(ProcessInfo.processInfo.environment, processID: getpid()))
    }

    /// Whether notifications go anywhere.
    public var isEnabled: Bool { descriptor >= 0 }

    /// Sends one notification; does nothing when not enabled.
    public func send(_ notification: ServiceManagerNotification) throws(SendError) {
        guard descriptor >= 0, let socket = environment.socket else { return }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let name: [UInt8]
        switch socket {
        case .path(let path): name = Array(path.utf8) + [0]
        case .abstract(let abstract): name = [0] + Array(abstract.utf8)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: name.prefix(buffer.count))
        }
        // An abstract name is exactly as long as given (no terminating NUL); the length says where it ends.
        let length = socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + name.count)
        let bytes = Array(notification.datagram.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { buffer in
                    sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                }
            }
        }
        if sent < 0 { throw SendError(errno: errno) }
    }

    /// Pings the watchdog on `loop` every half `WATCHDOG_USEC`, starting now, until the returned task is cancelled
    /// (or the loop shuts down); nil when systemd runs no watchdog for this process. `failed` hears of pings that
    /// could not be sent.
    public func startWatchdog(
        on loop: any EventLoop, failed: @escaping @Sendable (SendError) -> Void = { _ in }
    ) -> RepeatedTask? {
        guard isEnabled, let interval = environment.watchdogInterval else { return nil }
        return loop.scheduleRepeatedTask(initialDelay: .zero, delay: TimeAmount(interval)) { _ in
            do throws(SendError) {
                try self.send(.watchdog)
            } catch {
                failed(error)
            }
        }
    }

    /// CLOCK_MONOTONIC now, in microseconds: the clock systemd compares `MONOTONIC_USEC` with.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
