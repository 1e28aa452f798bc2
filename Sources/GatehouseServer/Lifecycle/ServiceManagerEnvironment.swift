/// What systemd tells a service about notifications, read from its environment (sd_notify(3), sd_watchdog_enabled(3)).
///
/// `NOTIFY_SOCKET` names the datagram socket to notify: an absolute path, or `@name` for a socket in the abstract
/// namespace. `WATCHDOG_USEC` is the watchdog timeout in microseconds; `WATCHDOG_PID`, when set, is the process it is
/// meant for (a child that inherited the environment must not ping for its parent). Nothing here opens a socket or
/// reads the process's environment, so every case is testable with a dictionary.
public struct ServiceManagerEnvironment: Sendable, Hashable {
    /// Where notifications go.
    public enum SocketAddress: Sendable, Hashable {
        /// A socket file.
        case path(String)
        /// A socket in the abstract namespace, by its name (without the leading `@`, which stands for a NUL byte).
        case abstract(String)
    }

    /// The longest socket name `sockaddr_un` holds: 108 bytes, less the terminating NUL of a path (or the leading
    /// NUL of an abstract name).
    public static let maximumSocketNameLength = 107

    /// Where to send notifications; nil when the service manager asked for none (or named a socket unusable).
    public var socket: SocketAddress?
    /// The watchdog timeout, when systemd runs a watchdog for this process.
    public var watchdogTimeout: Duration?
    /// Values that were set but could not be used, one sentence each (for the log).
    public var ignored: [String]

    /// How often to ping the watchdog: every half timeout, as sd_watchdog_enabled(3) recommends, so that one late
    /// ping is not yet fatal.
    public var watchdogInterval: Duration? { watchdogTimeout.map { $0 / 2 } }

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`, for the process `processID`.
    public init(_ environment: [String: String], processID: Int32) {
        ignored = []
        socket = nil
        watchdogTimeout = nil
        if let name = environment["NOTIFY_SOCKET"], !name.isEmpty {
            socket = Self.socketAddress(name)
            if socket == nil {
                ignored.append(
                    "NOTIFY_SOCKET '\(name)' is neither an absolute path nor an @abstract name of at most "
                        + "\(Self.maximumSocketNameLength) bytes")
            }
        }
        guard let text = environment["WATCHDOG_USEC"] else { return }
        guard let microseconds = UInt64(text), microseconds > 0 else {
            ignored.append("WATCHDOG_USEC '\(text)' is not a positive number of microseconds")
            return
        }
        if let owner = environment["WATCHDOG_PID"] {
            guard let pid = Int32(owner) else {
                ignored.append("WATCHDOG_PID '\(owner)' is not a process id")
                return
            }
            // Not ours: the watchdog belongs to the process that started this one.
            guard pid == processID else { return }
        }
        watchdogTimeout = .microseconds(Int64(clamping: microseconds))
    }

    private static func socketAddress(_ name: String) -> SocketAddress? {
        if name.hasPrefix("@") {
            let abstract = String(name.dropFirst())
            guard !abstract.isEmpty, abstract.utf8.count <= maximumSocketNameLength else { return nil }
            return .abstract(abstract)
        }
        guard name.hasPrefix("/"), name.utf8.count <= maximumSocketNameLength else { return nil }
        return .path(name)
    }
}
