import GatehousePolicy
import SIPMessage

/// Why a rule's `when` did not hold, for the trace.
enum ConditionFailure: Hashable, Sendable, CustomStringConvertible {
    case method(SIPMethod, expected: [SIPMethod])
    case peer(String?, expected: [String])
    case missingHeader(HeaderPattern)
    case headerValue(HeaderValueMatch)

    var description: String {
        switch self {
        case .method(let method, let expected):
            "method \(method) is not \(expected.map(\.rawValue).joined(separator: " or "))"
        case .peer(let peer, let expected):
            "\(peer.map { "peer '\($0)'" } ?? "no peer") is not \(expected.map { "'\($0)'" }.joined(separator: " or "))"
        case .missingHeader(let pattern):
            "no \(pattern) header"
        case .headerValue(let match):
            "no \(match.target) value matches '\(match.pattern)'"
        }
    }
}

extension RuleCondition {
    /// The first part of the condition that does not hold for this message, or nil when all do.
    func failure(in message: SIPMessage, context: RuleContext) -> ConditionFailure? {
        if !methods.isEmpty, !methods.contains(context.method) {
            return .method(context.method, expected: methods)
        }
        if !peers.isEmpty, !(context.peer.map(peers.contains) ?? false) {
            return .peer(context.peer, expected: peers)
        }
        if let hasHeader, !message.headers.contains(matching: hasHeader) {
            return .missingHeader(hasHeader)
        }
        if let header, !header.isFound(in: message) {
            return .headerValue(header)
        }
        return nil
    }
}

extension HeaderValueMatch {
    /// Whether the pattern is found in some field of the header, or in the Request-URI.
    func isFound(in message: SIPMessage) -> Bool {
        switch target {
        case .requestURI:
            guard let uri = message.requestLine?.uri else { return false }
            return pattern.isFound(in: String(decoding: uri, as: UTF8.self))
        case .header(let name):
            return message.headers.fieldValues(name).contains {
                pattern.isFound(in: String(decoding: $0, as: UTF8.self))
            }
        }
    }
}

extension SIPHeaders {
    /// Whether some field's name matches the pattern.
    func contains(matching pattern: HeaderPattern) -> Bool {
        if case .name(let name) = pattern.kind { return contains(name) }
        return (0..<count).contains { pattern.matches(name(at: $0)) }
    }
}
