/// Where a limit sits, from the most specific to the least: the order in which admission checks rate limits, and a
/// dimension of every counter (bounded: source addresses themselves never become counter keys).
public enum AdmissionScope: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case sourceAddress
    case peer
    case realm
    case global

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .sourceAddress: "source-address"
        case .peer: "peer"
        case .realm: "realm"
        case .global: "global"
        }
    }
}
