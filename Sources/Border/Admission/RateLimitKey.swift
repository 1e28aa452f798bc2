import GatehousePolicy

/// The bucket a message is charged to: whose budget (one source address, one peer, one realm, or everything) and
/// what is counted.
public struct RateLimitKey: Hashable, Sendable, CustomStringConvertible {
    public enum Scope: Hashable, Sendable {
        case sourceAddress(IPAddress)
        case peer(String)
        case realm(String)
        case global

        public var kind: AdmissionScope {
            switch self {
            case .sourceAddress: .sourceAddress
            case .peer: .peer
            case .realm: .realm
            case .global: .global
            }
        }
    }

    public var scope: Scope
    public var counted: MessageFilter

    public init(scope: Scope, counted: MessageFilter) {
        self.scope = scope
        self.counted = counted
    }

    public var description: String {
        switch scope {
        case .sourceAddress(let address): "source \(address) \(counted)"
        case .peer(let name): "peer \(name) \(counted)"
        case .realm(let name): "realm \(name) \(counted)"
        case .global: "global \(counted)"
        }
    }
}
