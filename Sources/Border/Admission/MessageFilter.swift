import SIPMessage

/// What a rate limit counts: every message, requests of one method, or only those of them that start something.
///
/// "Calls per second" (initial INVITEs) and "REGISTERs per second" are the common cases; any other method name works
/// the same way. Responses count only toward `.allMessages`, since a method filter is about the requests a sender
/// starts.
public enum MessageFilter: Hashable, Sendable, CustomStringConvertible {
    case allMessages
    /// Every request of this method, inside a dialog or not.
    case method(SIPMethod)
    /// Requests of this method outside any dialog (no To tag, RFC 3261 §12.1): an INVITE that starts a call, not a
    /// re-INVITE within one.
    case initialRequests(SIPMethod)

    /// Initial INVITEs: new calls. A re-INVITE or a session refresh inside a call is not one.
    public static let calls = MessageFilter.initialRequests(.invite)
    /// Every INVITE request, re-INVITEs included.
    public static let invites = MessageFilter.method(.invite)
    /// REGISTER requests.
    public static let registers = MessageFilter.method(.register)

    /// Whether a message is counted.
    ///
    /// - Parameters:
    ///   - method: a request's method, or a response's CSeq method.
    ///   - isInitialRequest: a request outside any dialog (no To tag).
    public func matches(_ method: SIPMethod, isResponse: Bool, isInitialRequest: Bool) -> Bool {
        switch self {
        case .allMessages: true
        case .method(let counted): !isResponse && counted == method
        case .initialRequests(let counted): !isResponse && isInitialRequest && counted == method
        }
    }

    public var description: String {
        switch self {
        case .allMessages: "all"
        case .method(let method): method.rawValue
        case .initialRequests(let method): "initial-\(method.rawValue)"
        }
    }
}
