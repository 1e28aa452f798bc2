/// One message of the sd_notify protocol: what the node tells systemd about its state.
///
/// A `Type=notify` unit waits for `READY=1` before it counts the service as started (units ordered after it, and
/// `systemctl start`, wait for that), shows `STATUS=` in `systemctl status`, holds `systemctl reload` until the
/// `READY=1` that follows `RELOADING=1`, and restarts the service when `WATCHDOG=1` stops arriving. Each message is
/// one datagram of newline-separated `KEY=VALUE` assignments (sd_notify(3)); rendering it is pure, sending it is
/// `SystemdNotifier`'s job.
public enum ServiceManagerNotification: Sendable, Hashable {
    /// Start-up finished (every listener is bound) or a reload finished: `READY=1`, with a status line and the
    /// main process id (`MAINPID=`, so that systemd tracks the right process whoever sends it).
    case ready(status: String, mainPID: Int32)
    /// A reload begins: `RELOADING=1` with `MONOTONIC_USEC=`, the CLOCK_MONOTONIC time in microseconds at which it
    /// began (systemd 253+ requires it to match the reload to the request; older ones ignore it).
    case reloading(monotonicMicroseconds: UInt64)
    /// Stopping begins (draining, then closing the listeners): `STOPPING=1`.
    case stopping(status: String)
    /// The node is alive: `WATCHDOG=1`, at least once per `WATCHDOG_USEC`.
    case watchdog
    /// A free-form status line alone, for `systemctl status`.
    case status(String)

    /// The datagram's text.
    public var datagram: String {
        switch self {
        case .ready(let status, let mainPID):
            return "READY=1\nSTATUS=\(Self.oneLine(status))\nMAINPID=\(mainPID)"
        case .reloading(let microseconds):
            return "RELOADING=1\nMONOTONIC_USEC=\(microseconds)"
        case .stopping(let status):
            return "STOPPING=1\nSTATUS=\(Self.oneLine(status))"
        case .watchdog:
            return "WATCHDOG=1"
        case .status(let status):
            return "STATUS=\(Self.oneLine(status))"
        }
    }

    /// A value ends at a newline (the next assignment starts there), so line breaks in a status become spaces.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
