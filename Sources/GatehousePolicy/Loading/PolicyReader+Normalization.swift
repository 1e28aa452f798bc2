import SIPMessage
import Yams

// `peers.NAME.normalize`: a peer's header manipulation rules and built-in fixes. `policies/README.md` documents the
// syntax; the model is in Model/Normalization.

extension PolicyReader {
    static let normalizationKeys = [
        "inbound", "outbound", "long_header_names", "strip_unsupported_requires", "max_forwards", "private_headers",
    ]
    static let ruleActionKeys = ["remove", "add", "set", "rewrite"]
    static let ruleConditionKeys = ["method", "peer", "has_header", "header"]

    /// A peer's `normalize` mapping. Rules and fixes that read cleanly are kept even when others do not (the
    /// diagnostics already make the policy unusable), so one mistake is not reported again elsewhere.
    static func readNormalization(_ yaml: Node, peer: String, reader: inout YAMLReader) -> PeerNormalization? {
        let what = "peer '\(peer)' normalize"
        guard let entries = reader.mapping(yaml, what, allowed: normalizationKeys) else { return nil }
        var normalization = PeerNormalization()
        if let node = entries["inbound"] {
            normalization.inbound = readRules(node, "\(what) inbound", reader: &reader)
        }
        if let node = entries["outbound"] {
            normalization.outbound = readRules(node, "\(what) outbound", reader: &reader)
        }
        if let node = entries["long_header_names"], let value = reader.boolean(node, "\(what) long_header_names") {
            normalization.longHeaderNames = value
        }
        if let node = entries["strip_unsupported_requires"],
            let value = reader.boolean(node, "\(what) strip_unsupported_requires")
        {
            normalization.stripUnsupportedRequires = value
        }
        if let node = entries["max_forwards"] {
            normalization.maxForwards = reader.integer(node, "\(what) max_forwards", in: 1...255)
        }
        if let node = entries["private_headers"] {
            normalization.privateHeaders = readRemovedHeaders(node, "\(what) private_headers", reader: &reader)
        }
        return normalization
    }

    // MARK: Rules

    static func readRules(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> [HeaderRule] {
        guard let items = reader.sequence(yaml, what) else { return [] }
        return items.enumerated().compactMap { index, item in
            readRule(item, "\(what) rule \(index + 1)", reader: &reader)
        }
    }

    /// `{ ACTION: …, when: … }` with exactly one of remove, add, set, rewrite.
    static func readRule(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> HeaderRule? {
        guard let entries = reader.mapping(yaml, what, allowed: ruleActionKeys + ["when"]) else { return nil }
        let actions = ruleActionKeys.filter { entries[$0] != nil }
        guard let actionKey = actions.first, let actionNode = entries[actionKey] else {
            reader.report(.badRule, "\(what) needs one action: remove, add, set or rewrite", at: yaml)
            return nil
        }
        if actions.count > 1 {
            reader.report(
                .badRule,
                "\(what) has \(actions.count) actions (\(actions.joined(separator: ", "))): write one rule per action",
                at: entries[actions[1]])
            return nil
        }
        var condition: RuleCondition?
        if let node = entries["when"] {
            guard let read = readCondition(node, "\(what) when", reader: &reader) else { return nil }
            condition = read
        }
        let action: HeaderAction?
        switch actionKey {
        case "remove":
            let patterns = readRemovedHeaders(actionNode, "\(what) remove", reader: &reader)
            action = patterns.isEmpty ? nil : .remove(patterns)
        case "add":
            action = readFieldValue(actionNode, "\(what) add", reader: &reader).map { .add($0.name, value: $0.value) }
        case "set":
            action = readFieldValue(actionNode, "\(what) set", reader: &reader).map { .set($0.name, value: $0.value) }
        default:
            action = readRewrite(actionNode, "\(what) rewrite", reader: &reader).map { .rewrite($0) }
        }
        return action.map { HeaderRule($0, when: condition) }
    }

    /// `remove` and `private_headers`: one name or wildcard, or a list of them. A protected header named exactly is
    /// refused; a wildcard is accepted and passes over protected headers when applied.
    static func readRemovedHeaders(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> [HeaderPattern] {
        guard let items = reader.stringOrList(yaml, what) else { return [] }
        var patterns: [HeaderPattern] = []
        for (text, node) in items {
            guard let pattern = readHeaderPattern(text, node, what, reader: &reader) else { continue }
            if case .name(let name) = pattern.kind, ProtectedHeaders.isProtected(name) {
                reader.report(.protectedHeader, "\(what): \(protectionReason(name))", at: node)
                continue
            }
            patterns.append(pattern)
        }
        return patterns
    }

    /// `{ header: NAME, value: TEXT }` of `add` and `set`.
    static func readFieldValue(
        _ yaml: Node, _ what: String, reader: inout YAMLReader
    ) -> (name: HeaderName, value: String)? {
        guard let entries = reader.mapping(yaml, what, allowed: ["header", "value"], required: ["header", "value"])
        else { return nil }
        var name: HeaderName?
        if let node = entries["header"], let target = readHeaderTarget(node, "\(what) header", reader: &reader) {
            switch target {
            case .requestURI:
                reader.report(
                    .badHeaderName, "\(what): request_uri is not a header field; only rewrite may change it", at: node)
            case .header(let header) where ProtectedHeaders.isProtected(header):
                reader.report(.protectedHeader, "\(what): \(protectionReason(header))", at: node)
            case .header(let header):
                name = header
            }
        }
        var value: String?
        if let node = entries["value"], let text = reader.string(node, "\(what) value") {
            if containsControlCharacter(text) {
                reader.report(
                    .badValue, "\(what) value holds a control character (a line break?), which no header may carry",
                    at: node)
            } else {
                value = text
            }
        }
        guard let name, let value else { return nil }
        return (name, value)
    }

    /// `{ header: NAME | request_uri, part: value | user | host | params, pattern: REGEX, replacement: TEXT }`.
    static func readRewrite(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> HeaderRewrite? {
        guard
            let entries = reader.mapping(
                yaml, what, allowed: ["header", "part", "pattern", "replacement"],
                required: ["header", "pattern", "replacement"])
        else { return nil }
        var part: URIPart? = .value
        if let node = entries["part"], let text = reader.string(node, "\(what) part") {
            part = URIPart(rawValue: text)
            if part == nil {
                reader.report(.badValue, "\(what) part '\(text)' is not one of value, user, host, params", at: node)
            }
        }
        var target: HeaderTarget?
        if let node = entries["header"], let read = readHeaderTarget(node, "\(what) header", reader: &reader),
            let part
        {
            target = read
            if case .header(let name) = read {
                if ProtectedHeaders.isProtected(name)
                    && !(part.isURIPart && ProtectedHeaders.uriRewritable.contains(name))
                {
                    let allowed =
                        ProtectedHeaders.uriRewritable.contains(name)
                        ? "; its URI may be rewritten with part: user, host or params" : ""
                    reader.report(.protectedHeader, "\(what): \(protectionReason(name))\(allowed)", at: node)
                    target = nil
                } else if part.isURIPart && !ProtectedHeaders.carriesURI(name) {
                    reader.report(
                        .badValue,
                        "\(what): \(name) does not hold a name-addr, so it has no URI \(part); use part: value",
                        at: entries["part"])
                    target = nil
                }
            }
        }
        var pattern: RewritePattern?
        if let node = entries["pattern"], let text = reader.string(node, "\(what) pattern") {
            pattern = readPattern(text, node, what, reader: &reader)
        }
        var replacement: RewriteReplacement?
        if let node = entries["replacement"], let text = reader.string(node, "\(what) replacement") {
            do {
                replacement = try RewriteReplacement(parsing: text)
            } catch {
                reader.report(
                    .badReplacement,
                    "\(what) replacement '\(text)', character \(error.offset + 1): \(error.message)", at: node,
                    columnOffset: columnOffset(of: error.offset, in: text, node: node) ?? 0)
            }
            if let pattern, let highest = replacement?.highestGroup, highest > pattern.captureGroupLimit {
                let groups = pattern.captureGroupLimit == 1 ? "1 group" : "\(pattern.captureGroupLimit) groups"
                reader.report(
                    .badReplacement,
                    "\(what) replacement '\(text)' inserts $\(highest), but the pattern '\(pattern.pattern)' has \(groups)",
                    at: node)
                replacement = nil
            }
        }
        guard let target, let part, let pattern, let replacement else { return nil }
        return HeaderRewrite(target: target, part: part, pattern: pattern, replacement: replacement)
    }

    // MARK: Conditions

    /// `{ method: M | [M…], peer: P | [P…], has_header: NAME, header: { name: NAME, matches: REGEX } }`.
    static func readCondition(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> RuleCondition? {
        guard let entries = reader.mapping(yaml, what, allowed: ruleConditionKeys) else { return nil }
        var condition = RuleCondition()
        var valid = true
        if let node = entries["method"], let methods = reader.stringOrList(node, "\(what) method") {
            for (method, methodNode) in methods {
                if let problem = methodProblem(method) {
                    reader.report(.badMethod, "\(what): method '\(method)' \(problem)", at: methodNode)
                    valid = false
                } else {
                    condition.methods.append(SIPMethod(method))
                }
            }
        } else if entries["method"] != nil {
            valid = false
        }
        if let node = entries["peer"], let peers = reader.stringOrList(node, "\(what) peer") {
            for (peer, peerNode) in peers {
                if isValidName(peer) {
                    condition.peers.append(peer)
                } else {
                    reader.report(
                        .badName, "\(what): peer name '\(peer)' must be letters, digits, '-' and '_'", at: peerNode)
                    valid = false
                }
            }
        } else if entries["peer"] != nil {
            valid = false
        }
        if let node = entries["has_header"] {
            if let text = reader.string(node, "\(what) has_header"),
                let pattern = readHeaderPattern(text, node, "\(what) has_header", reader: &reader)
            {
                condition.hasHeader = pattern
            } else {
                valid = false
            }
        }
        if let node = entries["header"] {
            if let match = readHeaderMatch(node, "\(what) header", reader: &reader) {
                condition.header = match
            } else {
                valid = false
            }
        }
        return valid ? condition : nil
    }

    /// `{ name: NAME | request_uri, matches: REGEX }`.
    static func readHeaderMatch(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> HeaderValueMatch? {
        guard let entries = reader.mapping(yaml, what, allowed: ["name", "matches"], required: ["name", "matches"])
        else { return nil }
        let target = entries["name"].flatMap { readHeaderTarget($0, "\(what) name", reader: &reader) }
        var pattern: RewritePattern?
        if let node = entries["matches"], let text = reader.string(node, "\(what) matches") {
            pattern = readPattern(text, node, what, reader: &reader)
        }
        guard let target, let pattern else { return nil }
        return HeaderValueMatch(target: target, pattern: pattern)
    }

    // MARK: Names, patterns

    /// A header name (long or compact, any case), or `request_uri`; no wildcard.
    static func readHeaderTarget(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> HeaderTarget? {
        guard let text = reader.string(yaml, what) else { return nil }
        if text == HeaderTarget.requestURIName { return .requestURI }
        guard let pattern = readHeaderPattern(text, yaml, what, reader: &reader) else { return nil }
        guard case .name(let name) = pattern.kind else {
            reader.report(.badHeaderName, "\(what) '\(text)' must name one header, not a wildcard", at: yaml)
            return nil
        }
        return .header(name)
    }

    /// A header name or a `PREFIX*` wildcard.
    static func readHeaderPattern(
        _ text: String, _ node: Node, _ what: String, reader: inout YAMLReader
    ) -> HeaderPattern? {
        if text == HeaderTarget.requestURIName {
            reader.report(
                .badHeaderName, "\(what): request_uri is not a header field (only rewrite and header: may name it)",
                at: node)
            return nil
        }
        do {
            return try HeaderPattern(parsing: text)
        } catch {
            reader.report(.badHeaderName, "\(what): \(error.message)", at: node)
            return nil
        }
    }

    static func readPattern(_ text: String, _ node: Node, _ what: String, reader: inout YAMLReader) -> RewritePattern? {
        do {
            return try RewritePattern(text)
        } catch {
            reportBadPattern(text, error, what: what, node: node, reader: &reader, label: "pattern")
            return nil
        }
    }

    /// Why a rule may not touch a protected header.
    static func protectionReason(_ name: HeaderName) -> String {
        switch name {
        case .maxForwards: "Max-Forwards is protected: bound it with max_forwards"
        case .contentLength: "Content-Length is protected: Gatehouse always writes the true length"
        case .from, .to: "\(name) is protected: it carries the dialog's tag"
        default: "\(name) is protected: Gatehouse writes it for each leg"
        }
    }

    /// Whether the text holds a control character other than a tab (a header value may hold tabs, never CR or LF).
    static func containsControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
    }

    // MARK: Cross-peer checks

    /// A `when: { peer: … }` must name a peer of the policy. Run after every peer's name is known; walks the
    /// `peers` mapping again, quietly skipping what the first pass already reported as malformed.
    static func checkNormalizationPeers(_ peers: Node, known: Set<String>, reader: inout YAMLReader) {
        guard case .mapping(let peerMapping) = peers else { return }
        for (peerKey, peerNode) in peerMapping {
            guard case .mapping(let peerEntries) = peerNode,
                let normalize = value(of: "normalize", in: peerEntries), case .mapping(let lists) = normalize
            else { continue }
            for direction in ["inbound", "outbound"] {
                guard let list = value(of: direction, in: lists), case .sequence(let rules) = list else { continue }
                for (index, rule) in rules.enumerated() {
                    guard case .mapping(let ruleEntries) = rule, let when = value(of: "when", in: ruleEntries),
                        case .mapping(let conditions) = when, let peer = value(of: "peer", in: conditions)
                    else { continue }
                    let names: [Node] = if case .sequence(let items) = peer { Array(items) } else { [peer] }
                    for name in names {
                        guard case .scalar(let scalar) = name, isValidName(scalar.string),
                            !known.contains(scalar.string)
                        else { continue }
                        let owner = peerKey.scalar?.string ?? "?"
                        reader.report(
                            .unknownPeer,
                            "peer '\(owner)' normalize \(direction) rule \(index + 1) when: peer '\(scalar.string)' is not defined",
                            at: name)
                    }
                }
            }
        }
    }

    private static func value(of key: String, in mapping: Node.Mapping) -> Node? {
        mapping.first { $0.key.scalar?.string == key }?.value
    }
}
