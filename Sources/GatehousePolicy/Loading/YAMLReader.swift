import Yams

/// Walks a composed YAML tree and collects every problem with its line and column, instead of stopping at the
/// first. Each accessor returns nil after recording a diagnostic, so validation code reads top-down and the
/// caller gets all errors of the file at once.
struct YAMLReader {
    let file: String
    private(set) var diagnostics: [PolicyDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    /// Records a problem at `node`, or `columnOffset` characters to the right of where it starts.
    mutating func report(_ code: PolicyDiagnostic.Code, _ message: String, at node: Node?, columnOffset: Int = 0) {
        let mark = node?.mark
        diagnostics.append(
            PolicyDiagnostic(
                file: file, line: mark?.line ?? 1, column: (mark?.column ?? 1) + columnOffset, code: code,
                message: message))
    }

    /// The entries of a mapping, checking keys against `allowed` and `required`. Unknown and duplicate keys are
    /// errors: a misspelt key silently ignored is a limit that silently does not apply.
    mutating func mapping(
        _ node: Node, _ what: String, allowed: [String], required: [String] = []
    ) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            report(.wrongType, "\(what) must be a mapping", at: node)
            return nil
        }
        var entries: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                report(.wrongType, "keys of \(what) must be plain names", at: keyNode)
                continue
            }
            if entries[key.string] != nil {
                report(.duplicateKey, "'\(key.string)' appears twice in \(what)", at: keyNode)
                continue
            }
            if !allowed.isEmpty && !allowed.contains(key.string) {
                report(
                    .unknownKey,
                    "'\(key.string)' is not a key of \(what) (expected: \(allowed.joined(separator: ", ")))",
                    at: keyNode)
                continue
            }
            entries[key.string] = value
        }
        for key in required where entries[key] == nil {
            report(.missingKey, "\(what) needs '\(key)'", at: node)
        }
        return entries
    }

    /// A mapping whose keys are names chosen by the user (realms, peers), in file order.
    mutating func namedEntries(_ node: Node, _ what: String) -> [(name: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report(.wrongType, "\(what) must be a mapping of names", at: node)
            return nil
        }
        var seen: Set<String> = []
        var result: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                report(.wrongType, "names in \(what) must be plain scalars", at: keyNode)
                continue
            }
            guard seen.insert(key.string).inserted else {
                report(.duplicateKey, "'\(key.string)' is defined twice in \(what)", at: keyNode)
                continue
            }
            result.append((key.string, keyNode, value))
        }
        return result.map { (name: $0.0, keyNode: $0.1, value: $0.2) }
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(.wrongType, "\(what) must be a string", at: node)
            return nil
        }
        return scalar.string
    }

    mutating func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.replacingUnderscores()) else {
            report(.wrongType, "\(what) must be a whole number", at: node)
            return nil
        }
        guard range.contains(value) else {
            report(
                .badValue, "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(value)", at: node
            )
            return nil
        }
        return value
    }

    mutating func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(.wrongType, "\(what) must be a list", at: node)
            return nil
        }
        return Array(sequence)
    }
}

extension StringProtocol {
    /// YAML 1.1 allows `65_535`; so do we.
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}

extension YAMLReader {
    mutating func boolean(_ node: Node, _ what: String) -> Bool? {
        guard case .scalar(let scalar) = node else {
            report(.wrongType, "\(what) must be true or false", at: node)
            return nil
        }
        switch scalar.string {
        case "true": return true
        case "false": return false
        default:
            report(.wrongType, "\(what) must be true or false, not '\(scalar.string)'", at: node)
            return nil
        }
    }

    /// One string or a list of strings (`method: INVITE`, `method: [INVITE, MESSAGE]`), each with its node.
    mutating func stringOrList(_ node: Node, _ what: String) -> [(String, Node)]? {
        if case .sequence(let items) = node {
            if items.isEmpty { report(.missingKey, "\(what) must not be an empty list", at: node) }
            return items.compactMap { item in string(item, what).map { ($0, item) } }
        }
        return string(node, what).map { [($0, node)] }
    }

    /// A duration, `500ms`, `4s`, `3m` or `1h`, within `range`.
    mutating func duration(_ node: Node, _ what: String, in range: ClosedRange<Duration>) -> Duration? {
        guard case .scalar(let scalar) = node else {
            report(.wrongType, "\(what) must be a duration such as 500ms, 4s, 3m or 1h", at: node)
            return nil
        }
        guard let value = Self.parseDuration(scalar.string) else {
            report(
                .badDuration, "\(what) '\(scalar.string)' is not a duration: write a whole number and ms, s, m or h",
                at: node)
            return nil
        }
        guard range.contains(value) else {
            report(
                .badValue,
                "\(what) must be between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)), not \(scalar.string)",
                at: node)
            return nil
        }
        return value
    }

    /// Whole seconds, written as a number (`3600`, as SIP's Expires counts them) or as a duration (`1h`, `90s`),
    /// within `range` seconds.
    mutating func seconds(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Duration? {
        if case .scalar(let scalar) = node, Int(scalar.string.replacingUnderscores()) != nil {
            return integer(node, what, in: range).map { .seconds($0) }
        }
        let bounds = Duration.seconds(range.lowerBound)...Duration.seconds(range.upperBound)
        guard let value = duration(node, what, in: bounds) else { return nil }
        guard value.components.attoseconds == 0 else {
            report(.badValue, "\(what) must be whole seconds, not \(Self.format(value))", at: node)
            return nil
        }
        return value
    }

    /// `500ms`, `4s`, `3m`, `1h`: whole numbers only, no space, no sign; `_` separators allowed.
    static func parseDuration(_ text: String) -> Duration? {
        let digits = text.prefix { ($0 >= "0" && $0 <= "9") || $0 == "_" }
        let unit = text.dropFirst(digits.count)
        guard let first = digits.first, first != "_", let number = Int64(digits.replacingUnderscores()),
            number <= 1_000_000_000
        else { return nil }
        switch unit {
        case "ms": return .milliseconds(number)
        case "s": return .seconds(number)
        case "m": return .seconds(number * 60)
        case "h": return .seconds(number * 3600)
        default: return nil
        }
    }

    /// A duration in the largest unit that writes it exactly (`90s`, `3m`, `500ms`).
    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 3_600_000 == 0 && milliseconds > 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 && milliseconds > 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
