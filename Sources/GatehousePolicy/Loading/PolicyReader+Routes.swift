import SIPMessage
import Yams

extension PolicyReader {
    static let routeKeys = ["id", "match", "to"]
    static let matchKeys = ["from_realm", "from_peer", "method", "domain", "user", "number_prefix"]

    /// What a route may refer to.
    struct RouteContext {
        var realms: Set<String>
        var peers: [ReadPeer]
        var hasIMS: Bool
        /// The MRF whose PSIs a route may name (`sip:announce=NAME@DOMAIN`); nil without an `mrf` section.
        var mrf: MRFSettings?

        func peer(named name: String) -> Peer? { peers.first { $0.peer.name == name }?.peer }
    }

    static func readRoutes(_ yaml: Node, context: RouteContext, reader: inout YAMLReader) -> [Route]? {
        guard let items = reader.sequence(yaml, "routes") else { return nil }
        var routes: [Route] = []
        var ids: Set<String> = []
        var catchAll: (id: String, node: Node)?
        for (index, item) in items.enumerated() {
            guard
                let entries = reader.mapping(item, "route \(index + 1)", allowed: routeKeys, required: ["match", "to"])
            else { continue }
            var id = "route-\(index + 1)"
            if let node = entries["id"], let text = reader.string(node, "route id") {
                if isValidName(text) {
                    id = text
                } else {
                    reader.report(.badName, "route id '\(text)' must be letters, digits, '-' and '_'", at: node)
                }
            }
            if !ids.insert(id).inserted {
                reader.report(
                    .duplicateRoute, "route id '\(id)' is used by an earlier route", at: entries["id"] ?? item)
            }
            if let previous = catchAll {
                reader.report(
                    .unreachableRoute,
                    "route '\(id)' can never match: route '\(previous.id)' before it matches every request (a catch-all must be last)",
                    at: item)
            }
            let match = entries["match"].flatMap { readMatch($0, route: id, context: context, reader: &reader) }
            let target = entries["to"].flatMap { readTarget($0, route: id, context: context, reader: &reader) }
            guard let match, let target else { continue }
            if match.isEmpty && catchAll == nil { catchAll = (id, item) }
            routes.append(Route(id: id, match: match, target: target))
        }
        return routes
    }

    static func readMatch(_ yaml: Node, route: String, context: RouteContext, reader: inout YAMLReader) -> RouteMatch? {
        let what = "route '\(route)' match"
        guard let entries = reader.mapping(yaml, what, allowed: matchKeys) else { return nil }
        var match = RouteMatch()
        var valid = true

        if let node = entries["from_realm"], let realm = reader.string(node, "\(what) from_realm") {
            if context.realms.contains(realm) {
                match.fromRealm = realm
            } else {
                reader.report(.unknownRealm, "\(what): realm '\(realm)' is not defined", at: node)
                valid = false
            }
        }
        if let node = entries["from_peer"], let name = reader.string(node, "\(what) from_peer") {
            if let peer = context.peer(named: name) {
                match.fromPeer = name
                if let realm = match.fromRealm, peer.realm != realm {
                    reader.report(
                        .conflictingMatch,
                        "\(what): peer '\(name)' talks to realm '\(peer.realm)', so from_realm '\(realm)' never holds with it",
                        at: node)
                    valid = false
                }
            } else {
                reader.report(.unknownPeer, "\(what): peer '\(name)' is not defined", at: node)
                valid = false
            }
        }
        if let node = entries["method"], let methods = reader.stringOrList(node, "\(what) method") {
            var list: [SIPMethod] = []
            for (method, methodNode) in methods {
                if let problem = methodProblem(method) {
                    reader.report(.badMethod, "\(what): method '\(method)' \(problem)", at: methodNode)
                    valid = false
                } else {
                    list.append(SIPMethod(method))
                }
            }
            match.methods = list
        }
        if let node = entries["domain"], let text = reader.string(node, "\(what) domain") {
            do {
                match.domain = try Host(parsing: text)
            } catch {
                reader.report(
                    .badValue, "\(what): domain '\(text)' is not a host name or address: \(error.detail)", at: node)
                valid = false
            }
        }
        if let node = entries["user"], let pattern = reader.string(node, "\(what) user") {
            do {
                match.user = try UserPattern(pattern)
            } catch {
                reportBadPattern(pattern, error, what: what, node: node, reader: &reader)
                valid = false
            }
        }
        if let node = entries["number_prefix"], let prefix = reader.string(node, "\(what) number_prefix") {
            if RouteTable.isNumber(prefix[...]) {
                match.numberPrefix = prefix
            } else {
                reader.report(
                    .badNumberPrefix,
                    "\(what): number_prefix '\(prefix)' must be digits with an optional leading '+' (quote it: \"+1\")",
                    at: node)
                valid = false
            }
        }
        return valid ? match : nil
    }

    /// A bad `user` pattern (or another regular expression, named by `label`), located at the problem inside the
    /// pattern when the scalar's column can be worked out.
    static func reportBadPattern(
        _ pattern: String, _ error: UserPattern.SyntaxError, what: String, node: Node, reader: inout YAMLReader,
        label: String = "user pattern"
    ) {
        let position = error.offset.map { " at character \($0 + 1) of the pattern" } ?? ""
        let message = "\(what): \(label) '\(pattern)' does not compile\(position): \(error.message)"
        let column = error.offset.flatMap { columnOffset(of: $0, in: pattern, node: node) }
        reader.report(.badRegex, message, at: node, columnOffset: column ?? 0)
    }

    /// How many columns to the right of where `node` starts the character at `offset` of its text `text` is, or nil
    /// when that cannot be worked out (a block scalar, several lines, escapes that change the width).
    static func columnOffset(of offset: Int, in text: String, node: Node) -> Int? {
        guard case .scalar(let scalar) = node, !text.contains("\n") else { return nil }
        let before = text.prefix(offset)
        switch scalar.style {
        case .plain: return offset
        case .singleQuoted: return text.contains("'") ? nil : 1 + offset
        // In double quotes a backslash or a quote takes two characters (`\\`, `\"`).
        case .doubleQuoted: return 1 + offset + before.filter { $0 == "\\" || $0 == "\"" }.count
        default: return nil
        }
    }

    /// Nil for a valid method token (RFC 3261 §25.1), otherwise what is wrong with it.
    static func methodProblem(_ method: String) -> String? {
        let tokenPunctuation = Set("-.!%*_+`'~".utf8)
        guard !method.isEmpty,
            method.utf8.allSatisfy({
                ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || tokenPunctuation.contains($0)
            })
        else { return "is not a SIP method token" }
        let upper = method.uppercased()
        if upper != method, SIPMethod.known.contains(SIPMethod(upper)) {
            return "never matches: methods are case-sensitive (did you mean \(upper)?)"
        }
        return nil
    }

    /// `peer:NAME`, `ims`, `enum`, `reject:STATUS` or `reject:STATUS REASON`, or a PSI of the MRF.
    static func readTarget(
        _ yaml: Node, route: String, context: RouteContext, reader: inout YAMLReader
    )
        -> RouteTarget?
    {
        let what = "route '\(route)' to"
        guard let text = reader.string(yaml, what) else { return nil }
        if text == "ims" {
            guard context.hasIMS else {
                reader.report(.missingIMS, "\(what) ims, but the policy has no valid 'ims' section", at: yaml)
                return nil
            }
            return .ims
        }
        if text == "enum" { return .enumLookup }
        if text.hasPrefix("peer:") {
            let name = String(text.dropFirst("peer:".count))
            guard let peer = context.peer(named: name) else {
                reader.report(.unknownPeer, "\(what): peer '\(name)' is not defined", at: yaml)
                return nil
            }
            guard hasDestination(peer) else {
                reader.report(
                    .noDestination,
                    "\(what): peer '\(name)' has no single address, next_hop or credentials, so there is nowhere to send to",
                    at: yaml)
                return nil
            }
            return .peer(name)
        }
        if text.hasPrefix("reject:") {
            let rest = text.dropFirst("reject:".count)
            let codeText = rest.prefix { $0 != " " }
            let reason = rest.dropFirst(codeText.count).trimmingSpaces()
            guard codeText.count == 3, let code = Int(codeText), (400...699).contains(code) else {
                reader.report(.badStatus, "\(what): reject status '\(codeText)' must be 400 to 699", at: yaml)
                return nil
            }
            return .reject(SIPStatus(code, reason.isEmpty ? RouteTarget.defaultReason(for: code) : String(reason)))
        }
        if text.hasPrefix("sip:") { return readMRFTarget(text, yaml, what: what, context: context, reader: &reader) }
        reader.report(
            .badTarget, "\(what) '\(text)' is not peer:NAME, ims, enum, reject:STATUS[ REASON] or an MRF PSI",
            at: yaml)
        return nil
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        guard let first = firstIndex(where: { $0 != " " }), let last = lastIndex(where: { $0 != " " }) else {
            return ""
        }
        return self[first...last]
    }
}
