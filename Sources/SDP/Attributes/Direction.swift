/// The media direction attributes (RFC 8866 §6.7, RFC 3264 §5.1). They are flags whose name is the value.
///
/// A media-level direction overrides the session-level one; with neither, a stream is `sendrecv`. Use
/// `SessionDescription.effectiveDirection(of:)` for the resolved value.
public enum Direction: String, Hashable, Sendable, CaseIterable {
    case sendrecv
    case sendonly
    case recvonly
    case inactive

    /// The direction an answer takes for this offered direction if the answerer is willing to do everything the
    /// offer allows: `sendonly` ↔ `recvonly` (RFC 3264 §6.1).
    public var reversed: Direction {
        switch self {
        case .sendonly: .recvonly
        case .recvonly: .sendonly
        case .sendrecv, .inactive: self
        }
    }

    public var sends: Bool { self == .sendrecv || self == .sendonly }
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    static let names: Set<String> = Set(allCases.map(\.rawValue))
}

extension SDPAttributes {
    /// The first direction attribute of this section, or nil. Setting it rewrites the first one in place and
    /// removes any others (two directions in one section is an error RFC 3264 does not resolve); nil removes all.
    public var direction: Direction? {
        get { lazy.compactMap { $0.value == nil ? Direction(rawValue: $0.name) : nil }.first }
        set {
            replaceAll(
                where: { Direction.names.contains($0.name) },
                with: newValue.map { [SDPAttribute($0.rawValue)] } ?? [])
        }
    }
}
