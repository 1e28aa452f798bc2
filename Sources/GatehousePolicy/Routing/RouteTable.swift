import SIPMessage

/// What the route table needs to know about an initial request: where it came from and what it asks for.
public struct RouteQuery: Sendable, Hashable {
    /// The realm the request arrived on.
    public var sourceRealm: String
    /// The peer it came from (`Policy.peer(for:realm:)`), nil for a party that is not a configured peer.
    public var sourcePeer: String?
    public var method: SIPMethod
    /// The Request-URI's host; nil for a URI without one (a `tel:` URI).
    public var requestURIHost: Host?
    /// The Request-URI's user part (or a `tel:` URI's number), unescaped; nil when there is none.
    public var user: String?
    /// The number routing steers by when it is not the dialled one: a ported number's routing number (RFC 4694
    /// `rn`, `+CC…`), from the Request-URI or from an ENUM answer. `number_prefix` matches it instead of `user`;
    /// `user` patterns still match the dialled user.
    public var routingNumber: String?

    public init(
        sourceRealm: String, sourcePeer: String? = nil, method: SIPMethod, requestURIHost: Host? = nil,
        user: String? = nil, routingNumber: String? = nil
    ) {
        self.sourceRealm = sourceRealm
        self.sourcePeer = sourcePeer
        self.method = method
        self.requestURIHost = requestURIHost
        self.user = user
        self.routingNumber = routingNumber
    }
}

/// The outcome of `RouteTable.decide(_:)`, able to explain itself: which route decided and what of the request
/// matched each of its conditions.
public struct RouteDecision: Sendable, Hashable, CustomStringConvertible {
    /// Where the request goes; nil when no route matched (the signalling engine then answers 404 Not Found).
    public var target: RouteTarget?
    /// The id of the route that matched.
    public var routeID: String?
    /// Each condition of that route with the value that satisfied it, in the order of the file's keys
    /// (`from_peer lab-pbx`, `number_prefix +1 (user +15551230000)`); empty for a catch-all. Written when read
    /// (traces, `gatehouse explain`), not when the route is decided.
    public var matched: [String] { reason.flatMap { RouteTable.explainMatch($0.match, $0.query) } ?? [] }
    /// How many routes were tried, the deciding one included.
    public var routesTried: Int
    /// The deciding route's conditions and the question they answered, for `matched`.
    private let reason: Reason?

    private struct Reason: Sendable, Hashable {
        var match: RouteMatch
        var query: RouteQuery
    }

    init(route: Route?, query: RouteQuery, routesTried: Int) {
        self.target = route?.target
        self.routeID = route?.id
        self.routesTried = routesTried
        self.reason = route.map { Reason(match: $0.match, query: query) }
    }

    /// `route 'pbx-e164': from_peer lab-pbx, number_prefix +1 (user +15551230000) → peer:lab-carrier`.
    public var description: String {
        guard let target, let routeID else { return "no route matched (\(routesTried) tried)" }
        let why = matched.isEmpty ? "catch-all" : matched.joined(separator: ", ")
        return "route '\(routeID)': \(why) → \(target)"
    }
}

/// The policy's routes, compiled and in file order. The first route whose conditions all hold decides.
public struct RouteTable: Sendable, Hashable {
    public var routes: [Route]

    public init(routes: [Route] = []) {
        self.routes = routes
    }

    /// Finds the first route that matches `query`. Pure: the same query always gets the same decision.
    public func decide(_ query: RouteQuery) -> RouteDecision {
        for (index, route) in routes.enumerated() where Self.conditions(route.match, query, explaining: false) != nil {
            return RouteDecision(route: route, query: query, routesTried: index + 1)
        }
        return RouteDecision(route: nil, query: query, routesTried: routes.count)
    }

    /// The conditions of `match` with the values that satisfied them, or nil if one of them does not hold.
    static func explainMatch(_ match: RouteMatch, _ query: RouteQuery) -> [String]? {
        conditions(match, query, explaining: true)
    }

    /// Whether every condition of `match` holds (nil when one does not); with `explaining`, each written with the
    /// value that satisfied it. Deciding a route writes nothing: it runs for every route tried of every request.
    private static func conditions(_ match: RouteMatch, _ query: RouteQuery, explaining: Bool) -> [String]? {
        var matched: [String] = []
        if let realm = match.fromRealm {
            guard query.sourceRealm == realm else { return nil }
            if explaining { matched.append("from_realm \(realm)") }
        }
        if let peer = match.fromPeer {
            guard query.sourcePeer == peer else { return nil }
            if explaining { matched.append("from_peer \(peer)") }
        }
        if let methods = match.methods {
            guard methods.contains(query.method) else { return nil }
            if explaining { matched.append("method \(query.method)") }
        }
        if let domain = match.domain {
            guard let host = query.requestURIHost, host == domain else { return nil }
            if explaining { matched.append("domain \(domain)") }
        }
        let user = query.user.map(userWithoutParameters)
        if let pattern = match.user {
            guard let user, pattern.matches(user) else { return nil }
            if explaining { matched.append("user /\(pattern)/ (user \(user))") }
        }
        if let prefix = match.numberPrefix {
            if let routingNumber = query.routingNumber {
                // RFC 4694 §5: a ported number is routed toward the network its routing number names.
                let number = Substring(routingNumber)
                guard isNumber(number), hasNumberPrefix(number, prefix) else { return nil }
                if explaining { matched.append("number_prefix \(prefix) (rn \(number), dialled \(user ?? "-"))") }
            } else {
                guard let user, isNumber(user), hasNumberPrefix(user, prefix) else { return nil }
                if explaining { matched.append("number_prefix \(prefix) (user \(user))") }
            }
        }
        return matched
    }

    /// The user part without `;parameters` (a telephone-subscriber's `;npdi`, `;rn=…`, RFC 3261 §19.1.6).
    static func userWithoutParameters(_ user: String) -> Substring {
        user.utf8.firstIndex(of: UInt8(ascii: ";")).map { user[..<$0] } ?? user[...]
    }

    /// `+` and digits, or digits: what `number_prefix` looks at. No visual separators (numbering issue's work).
    static func isNumber(_ user: Substring) -> Bool {
        var digits = user.utf8[...]
        if digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `number.hasPrefix(prefix)` over bytes: both are `+` and digits by then (`isNumber`), where characters are
    /// bytes, and comparing characters costs a grapheme walk per route tried.
    static func hasNumberPrefix(_ number: Substring, _ prefix: String) -> Bool {
        number.utf8.starts(with: prefix.utf8)
    }
}
