import SIPMessage

/// What a rate limit counts: every message, or requests of one method.
///
/// "INVITEs per second" and "REGISTERs per second" are the common cases; any other method name works the same way.
/// Responses count only toward `.allMessages`, since a method filter is about the requests a sender starts.
public enum MessageFilter: Hashable, Sendable, CustomStringConvertible {
    case allMessages
    case method(SIPMethod)

    /// INVITE requests.
    public static let invites = MessageFilter.method(.invite)
    /// REGISTER requests.
    public static let registers = MessageFilter.method(.register)

    /// Whether a message of `method` (a request's method, or a response's CSeq method) is counted.
    public func matches(_ method: SIPMethod, isResponse: Bool) -> Bool {
        switch self {
        case .allMessages: true
        case .method(let counted): !isResponse && counted == method
        }
    }

    public var description: String {
        switch self {
        case .allMessages: "all"
        case .method(let method): method.rawValue
        }
    }
}
