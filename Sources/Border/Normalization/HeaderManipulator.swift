import GatehousePolicy
import SIPMessage

/// Applies one rule's action to a message and says what it did. Pure; `NormalizationStage` decides which rules
/// run and writes the trace.
///
/// Protected headers (`ProtectedHeaders`) are refused here too, for models built in code rather than loaded from a
/// policy (which refuses them with `protected-header`): a wildcard passes over them, an exact name is not touched.
enum HeaderManipulator {
    /// What an action did, for the trace.
    enum Outcome: Hashable, Sendable, CustomStringConvertible {
        case removed([String])
        case added(HeaderName, String)
        /// `add` of a single-valued header that is already there.
        case alreadyPresent(HeaderName)
        case set(HeaderName, String, replaced: Int)
        case rewrote(RewriteReport)
        case protected(HeaderName)

        var description: String {
            switch self {
            case .removed(let names) where names.isEmpty: "nothing to remove"
            case .removed(let names): "removed \(names.joined(separator: ", "))"
            case .added(let name, let value): "added \(name): \(value)"
            case .alreadyPresent(let name): "not added: \(name) allows one field and has one (use set)"
            case .set(let name, let value, 0): "added \(name): \(value)"
            case .set(let name, let value, let replaced):
                "set \(name): \(value) (replacing \(replaced == 1 ? "1 field" : "\(replaced) fields"))"
            case .rewrote(let report): report.description
            case .protected(let name): "not applied: \(name) is protected"
            }
        }
    }

    static func apply(_ action: HeaderAction, to message: inout SIPMessage) -> Outcome {
        switch action {
        case .remove(let patterns):
            return .removed(remove(patterns, from: &message.headers))
        case .add(let name, let value):
            if ProtectedHeaders.isProtected(name) { return .protected(name) }
            // A header RFC 3261 allows once (User-Agent, Subject) must not appear twice; extension headers may.
            if name.isRegistered, !name.isList, message.headers.contains(name) { return .alreadyPresent(name) }
            message.headers.append(name, value)
            return .added(name, value)
        case .set(let name, let value):
            if ProtectedHeaders.isProtected(name) { return .protected(name) }
            let replaced = message.headers.indices(of: name).count
            message.headers.set(name, value)
            return .set(name, value, replaced: replaced)
        case .rewrite(let rewrite):
            if case .header(let name) = rewrite.target, ProtectedHeaders.isProtected(name),
                !(rewrite.part.isURIPart && ProtectedHeaders.uriRewritable.contains(name))
            {
                return .protected(name)
            }
            return .rewrote(HeaderRewriter.apply(rewrite, to: &message))
        }
    }

    /// Removes every field whose name matches a pattern, protected headers excepted; returns the names removed,
    /// in message order.
    static func remove(_ patterns: [HeaderPattern], from headers: inout SIPHeaders) -> [String] {
        var removed: [String] = []
        var index = headers.count - 1
        while index >= 0 {
            let name = headers.name(at: index)
            if !ProtectedHeaders.isProtected(name), patterns.contains(where: { $0.matches(name) }) {
                headers.remove(at: index)
                removed.append(name.canonical)
            }
            index -= 1
        }
        return removed.reversed()
    }
}
