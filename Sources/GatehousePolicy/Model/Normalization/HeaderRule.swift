import SIPMessage

/// One step of a peer's `inbound` or `outbound` list: an action, run when its condition holds (always, without one).
public struct HeaderRule: Hashable, Sendable, CustomStringConvertible {
    public var action: HeaderAction
    /// All of its parts must hold for the action to run; nil runs it on every message.
    public var condition: RuleCondition?

    public init(_ action: HeaderAction, when condition: RuleCondition? = nil) {
        self.action = action
        self.condition = condition
    }

    /// The action, for traces: `remove X-*`, `rewrite From user`.
    public var description: String { action.description }
}

/// What a rule does to a message.
public enum HeaderAction: Hashable, Sendable, CustomStringConvertible {
    /// Removes every field whose name matches one of the patterns (protected headers excepted).
    case remove([HeaderPattern])
    /// Appends a field. A header that allows one field only (`User-Agent`) is not added when already present.
    case add(HeaderName, value: String)
    /// Replaces every field of the name by one with this value, or appends it when there is none.
    case set(HeaderName, value: String)
    /// Replaces the first match of a pattern in a header value or a part of its URI.
    case rewrite(HeaderRewrite)

    public var description: String {
        switch self {
        case .remove(let patterns): "remove \(patterns.map(\.description).joined(separator: ", "))"
        case .add(let name, _): "add \(name)"
        case .set(let name, _): "set \(name)"
        case .rewrite(let rewrite): "rewrite \(rewrite.target) \(rewrite.part)"
        }
    }
}
