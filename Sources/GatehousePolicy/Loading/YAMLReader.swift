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

    mutating func report(_ code: PolicyDiagnostic.Code, _ message: String, at node: Node?) {
        let mark = node?.mark
        diagnostics.append(
            PolicyDiagnostic(
                file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, code: code, message: message))
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

extension String {
    /// YAML 1.1 allows `65_535`; so do we.
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
