import SIPMessage

/// One entry of the policy's `routes`: when every condition of `match` holds, the request goes to `target`.
/// Routes are tried in file order and the first one that matches decides (`RouteTable.decide(_:)`).
public struct Route: Sendable, Hashable {
    /// The route's name in decisions and logs: the `id` written in the file, or `route-N` (N counting from 1).
    public var id: String
    public var match: RouteMatch
    public var target: RouteTarget

    public init(id: String, match: RouteMatch, target: RouteTarget) {
        self.id = id
        self.match = match
        self.target = target
    }
}

/// The conditions of a route. Each one present must hold; absent ones match anything. An empty match is a
/// catch-all.
public struct RouteMatch: Sendable, Hashable {
    /// The realm the request arrived on.
    public var fromRealm: String?
    /// The peer the request came from.
    public var fromPeer: String?
    /// The request's method must be one of these (methods are case-sensitive, RFC 3261 §7.1).
    public var methods: [SIPMethod]?
    /// The Request-URI's host (names compare without regard to case, addresses by value).
    public var domain: Host?
    /// A pattern the whole user part must match (as if written `^…$`).
    public var user: UserPattern?
    /// The user part must be a number (`+` and digits, or digits) that starts with these characters.
    public var numberPrefix: String?

    public init(
        fromRealm: String? = nil, fromPeer: String? = nil, methods: [SIPMethod]? = nil, domain: Host? = nil,
        user: UserPattern? = nil, numberPrefix: String? = nil
    ) {
        self.fromRealm = fromRealm
        self.fromPeer = fromPeer
        self.methods = methods
        self.domain = domain
        self.user = user
        self.numberPrefix = numberPrefix
    }

    /// Whether the match has no condition at all (a catch-all).
    public var isEmpty: Bool {
        fromRealm == nil && fromPeer == nil && methods == nil && domain == nil && user == nil && numberPrefix == nil
    }
}

/// Where a matched request goes.
public enum RouteTarget: Sendable, Hashable, CustomStringConvertible {
    /// To the named peer (`peer:NAME`).
    case peer(String)
    /// To the IMS core of the policy's `ims` section (`ims`).
    case ims
    /// Where ENUM says for the Request-URI's number: a NAPTR lookup under the policy's `enum` suffix, then its
    /// static table (`enum`).
    case enumLookup
    /// Answered by the node with this status, 400–699 (`reject:STATUS[ REASON]`).
    case reject(SIPStatus)
    /// Answered by the node's MRF: a PSI in `mrf.domain` (`sip:announce=NAME@DOMAIN`, `conf=`, `tone=`, `menu=`),
    /// written as that URI.
    case mrf(String)

    /// The target as written in a policy file.
    public var description: String {
        switch self {
        case .peer(let name): "peer:\(name)"
        case .ims: "ims"
        case .enumLookup: "enum"
        case .reject(let status): "reject:\(status)"
        case .mrf(let psi): psi
        }
    }

    /// The reason phrase of a `reject:STATUS` written without one: RFC 3261 §21's phrase for the codes a route
    /// commonly rejects with, otherwise a phrase for the status class.
    public static func defaultReason(for code: Int) -> String {
        switch code {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 416: "Unsupported URI Scheme"
        case 480: "Temporarily Unavailable"
        case 484: "Address Incomplete"
        case 486: "Busy Here"
        case 488: "Not Acceptable Here"
        case 500: "Server Internal Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 603: "Decline"
        case 604: "Does Not Exist Anywhere"
        default:
            switch code / 100 {
            case 4: "Request Failure"
            case 5: "Server Failure"
            default: "Global Failure"
            }
        }
    }
}
