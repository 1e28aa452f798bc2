/// A SIP response status: the three-digit code and its default reason phrase.
///
/// Statuses are values, not an enum, so that any code a peer sends (even one this file does not name) can be
/// carried, and so that new names can be added without breaking a `switch` somewhere else.
public struct SIPStatus: Hashable, Sendable, CustomStringConvertible {
    /// The status code, 100–699.
    public var code: Int
    /// The reason phrase Gatehouse writes when it generates this status.
    public var reason: String

    public init(_ code: Int, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The class of the status: 1 for provisional, 2 for success, … 6 for global failure.
    public var statusClass: Int { code / 100 }

    public var description: String { "\(code) \(reason)" }

    // RFC 3261 §21 and the extensions Gatehouse answers with.
    public static let trying = SIPStatus(100, "Trying")
    public static let ok = SIPStatus(200, "OK")
    public static let badRequest = SIPStatus(400, "Bad Request")
    public static let unauthorized = SIPStatus(401, "Unauthorized")
    public static let forbidden = SIPStatus(403, "Forbidden")
    public static let notFound = SIPStatus(404, "Not Found")
    public static let requestTimeout = SIPStatus(408, "Request Timeout")
    public static let methodNotAllowed = SIPStatus(405, "Method Not Allowed")
    public static let requestEntityTooLarge = SIPStatus(413, "Request Entity Too Large")
    public static let requestURITooLong = SIPStatus(414, "Request-URI Too Long")
    public static let unsupportedMediaType = SIPStatus(415, "Unsupported Media Type")
    public static let unsupportedURIScheme = SIPStatus(416, "Unsupported URI Scheme")
    public static let badExtension = SIPStatus(420, "Bad Extension")
    /// RFC 4028 §6: the Session-Expires of a request is below the Min-SE the answering side accepts.
    public static let sessionIntervalTooSmall = SIPStatus(422, "Session Interval Too Small")
    public static let intervalTooBrief = SIPStatus(423, "Interval Too Brief")
    public static let temporarilyUnavailable = SIPStatus(480, "Temporarily Unavailable")
    public static let callDoesNotExist = SIPStatus(481, "Call/Transaction Does Not Exist")
    public static let loopDetected = SIPStatus(482, "Loop Detected")
    public static let tooManyHops = SIPStatus(483, "Too Many Hops")
    public static let addressIncomplete = SIPStatus(484, "Address Incomplete")
    public static let requestTerminated = SIPStatus(487, "Request Terminated")
    public static let notAcceptableHere = SIPStatus(488, "Not Acceptable Here")
    /// RFC 6665 §8.3.2: the notifier does not know the event package the SUBSCRIBE names.
    public static let badEvent = SIPStatus(489, "Bad Event")
    /// RFC 3261 §14.2: a re-INVITE crossed one the receiver has pending on the same dialog (glare).
    public static let requestPending = SIPStatus(491, "Request Pending")
    public static let serverInternalError = SIPStatus(500, "Server Internal Error")
    public static let notImplemented = SIPStatus(501, "Not Implemented")
    public static let serviceUnavailable = SIPStatus(503, "Service Unavailable")
    public static let versionNotSupported = SIPStatus(505, "Version Not Supported")
    /// RFC 3261 §21.6.1: the callee (here: the I-CSCF finding no capable S-CSCF, TS 24.229 §5.3.1.2) is busy
    /// everywhere.
    public static let busyEverywhere = SIPStatus(600, "Busy Everywhere")
    public static let messageTooLarge = SIPStatus(513, "Message Too Large")
    /// RFC 3261 §21.6.3: the number or user exists nowhere (numbering answers it for unassigned numbers).
    public static let doesNotExistAnywhere = SIPStatus(604, "Does Not Exist Anywhere")
}
