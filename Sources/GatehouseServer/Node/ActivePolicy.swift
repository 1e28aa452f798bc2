import Border
import GatehousePolicy
import NIOConcurrencyHelpers
import SIPMessage

/// The routing policy in force on a node, swapped whole by a reload.
///
/// Readers take one `snapshot` per message and use it to the end of that message, so a reload never shows a
/// message half the old policy and half the new one. A swap replaces the snapshot under a lock; nothing else is
/// shared, so reading costs one uncontended lock and a few reference-count increments.
public final class ActivePolicy: Sendable {
    /// A policy and what the node derived from it.
    public struct Snapshot: Sendable {
        public let policy: Policy
        /// 1 for the policy the node started with, one more for each reload swapped in.
        public let generation: Int
        /// The directory relative certificate, key and CA paths of the policy are resolved against (the directory
        /// of the policy file).
        public let directory: String
        /// The realm each listener endpoint belongs to.
        public let realmByListener: [SIPEndpoint: String]
        /// The border functions compiled from the policy (numbering, ENUM table, admission configuration).
        public let border: BorderPolicy
        /// The listeners whose realm answers UDP requests at their source port (`nat.force_rport`).
        public let forcedRportListeners: Set<SIPEndpoint>

        init(policy: Policy, generation: Int, directory: String) {
            self.policy = policy
            self.border = BorderPolicy(policy: policy)
            self.generation = generation
            self.directory = directory
            var realms: [SIPEndpoint: String] = [:]
            for realm in policy.realms {
                for listener in realm.listeners { realms[listener] = realm.name }
            }
            self.realmByListener = realms
            self.forcedRportListeners = Set(policy.realms.filter(\.nat.forceRport).flatMap(\.listeners))
        }

        /// The realm a message received on `listener` belongs to.
        public func realm(for listener: SIPEndpoint) -> Realm? {
            realmByListener[listener].flatMap { policy.realm(named: $0) }
        }
    }

    private let box: NIOLockedValueBox<Snapshot>

    init(_ policy: Policy, directory: String) {
        box = NIOLockedValueBox(Snapshot(policy: policy, generation: 1, directory: directory))
    }

    /// The policy in force now, with its generation; take one per message.
    public var snapshot: Snapshot { box.withLockedValue { $0 } }

    /// The policy in force now.
    public var policy: Policy { snapshot.policy }

    /// Swaps in a validated policy; returns the new snapshot.
    @discardableResult
    func replace(with policy: Policy, directory: String) -> Snapshot {
        box.withLockedValue { current in
            current = Snapshot(policy: policy, generation: current.generation + 1, directory: directory)
            return current
        }
    }
}
