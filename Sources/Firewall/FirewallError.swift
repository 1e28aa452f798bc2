import Glibc

/// Why the kernel refused (or could not be asked) to change Gatehouse's nftables table.
///
/// The shape of Gatehouse's other errors (STYLE rule 4): a code callers test, with static lets so new codes never
/// break a `switch`, the errno the kernel answered, and a sentence for the log.
public struct FirewallError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The process lacks CAP_NET_ADMIN (EPERM): Gatehouse keeps its blocklist in user space.
        public static let permissionDenied = Code(rawValue: "permission-denied")
        /// No netlink socket could be opened or bound, or the kernel has no nf_tables.
        public static let unavailable = Code(rawValue: "unavailable")
        /// The kernel refused a batch for another reason (`errno` says which).
        public static let refused = Code(rawValue: "refused")
        /// The kernel did not answer within the socket's receive timeout.
        public static let timedOut = Code(rawValue: "timed-out")
        /// A name or value Gatehouse would send is not one the kernel accepts (too long, empty).
        public static let invalidArgument = Code(rawValue: "invalid-argument")
    }

    public var code: Code
    /// The errno the kernel or libmnl reported; 0 when none applies.
    public var errno: Int32
    public var detail: String

    public init(_ code: Code, errno: Int32 = 0, _ detail: String) {
        self.code = code
        self.errno = errno
        self.detail = detail
    }

    /// The error for an errno from a netlink answer or a socket call.
    static func from(errno: Int32, _ what: String) -> FirewallError {
        switch errno {
        case EPERM, EACCES:
            FirewallError(.permissionDenied, errno: errno, "\(what): not permitted (CAP_NET_ADMIN is needed)")
        case EAGAIN, ETIMEDOUT:
            FirewallError(.timedOut, errno: errno, "\(what): no answer from the kernel")
        case EPROTONOSUPPORT, EAFNOSUPPORT, EOPNOTSUPP:
            FirewallError(.unavailable, errno: errno, "\(what): nf_tables is not available")
        default:
            FirewallError(.refused, errno: errno, "\(what): \(String(cString: strerror(errno)))")
        }
    }

    public var description: String { "firewall \(code): \(detail)" }
}
