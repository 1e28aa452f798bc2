import Foundation
import GatehousePolicy
import HSS
import IMSInterfaces

/// `gatehouse hss …`: the HSS's subscribers, read and changed in the store the policy names (`node.state`), with or
/// without a node running (SQLite in WAL mode lets both at once; a running node reads subscribers from the store at
/// each registration, so changes apply to the next one).
public struct IMSAdministration {
    let store: SQLiteSubscriberStore
    let domain: String

    /// Opens the store of a policy whose IMS core is embedded; `directory` resolves a relative state path.
    public init(policy: Policy, directory: String) throws {
        guard let ims = policy.ims, ims.embedded != nil else {
            throw AdministrationError("the policy does not embed the IMS core (ims.hss: embedded)")
        }
        domain = ims.domain
        store = try IMSStateStore.open(policy.node.state, directory: directory)
    }

    public struct AdministrationError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Adds or replaces subscribers (by private identity); returns their private identities. Registration state
    /// and sequence numbers of subscribers already there are kept.
    @discardableResult
    public func provision(_ subscribers: [ProvisionedSubscriber]) throws -> [String] {
        try SubscriberProvisioning.provision(subscribers, into: store, domain: domain)
    }

    /// Reads a subscriber file (`subscribers: [...]`) and provisions it; a bad file changes nothing.
    public func importFile(_ text: String, file: String) throws -> [String] {
        try provision(PolicyLoader.loadSubscribers(yaml: text, file: file))
    }

    /// Removes a subscriber with its registration state and bindings; false when unknown.
    public func remove(privateIdentity: String) throws -> Bool {
        guard let identity = PrivateIdentity(privateIdentity) else { return false }
        return try store.remove(identity)
    }

    /// One line per subscriber: private identity, public identities, scheme, registration state.
    public func list() throws -> String {
        try store.allSubscribers().map { subscriber in
            let states = try subscriber.publicIdentities.compactMap { entry -> String? in
                guard case .distinct(let identity) = entry.identity else { return nil }
                return try store.registration(of: identity).state == .registered ? identity.value : nil
            }
            let identities = subscriber.publicIdentities.map(\.identity.description).joined(separator: ", ")
            let registered = states.isEmpty ? "not registered" : "registered (\(states.count))"
            return
                "\(subscriber.privateIdentity)  [\(identities)]  \(subscriber.credentials.preferredScheme)  \(registered)"
        }.joined(separator: "\n")
    }

    /// A subscriber in full (no secrets): identities with their registration state and serving S-CSCF, contacts
    /// with expiry and flow, credentials by kind, service profiles.
    public func show(privateIdentity: String) throws -> String {
        guard let identity = PrivateIdentity(privateIdentity), let subscriber = try store.subscriber(identity) else {
            throw AdministrationError("no subscriber \(privateIdentity)")
        }
        let now = Int64(Date().timeIntervalSince1970)
        var lines = ["private identity: \(subscriber.privateIdentity)"]
        let credentials = subscriber.credentials
        lines.append(
            "authentication: \(credentials.preferredScheme)"
                + (credentials.aka != nil ? " (AKA credentials)" : "")
                + (credentials.digest.map { " (digest, realm \($0.realm))" } ?? ""))
        lines.append("public identities:")
        for entry in subscriber.publicIdentities {
            var line = "  \(entry.identity)  set \(entry.implicitSet)"
            if entry.isBarred { line += "  barred" }
            if entry.isServiceIdentity { line += "  service identity" }
            if let profile = entry.serviceProfile { line += "  profile \(profile)" }
            if case .distinct(let distinct) = entry.identity {
                let registration = try store.registration(of: distinct)
                line += "  \(registration.state)"
                if let server = registration.serverName { line += " at \(server)" }
                lines.append(line)
                for binding in try store.bindings(of: distinct) {
                    let left = binding.expiresAt.secondsSince1970 - now
                    var contact = "    contact \(binding.contact)  expires in \(left) s"
                    if let flow = binding.receivedFrom { contact += "  from \(flow)" }
                    if let agent = binding.userAgent { contact += "  (\(agent))" }
                    lines.append(contact)
                }
            } else {
                lines.append(line)
            }
        }
        for profile in subscriber.serviceProfiles {
            lines.append("service profile \(profile.name): \(profile.initialFilterCriteria.count) filter criteria")
        }
        return lines.joined(separator: "\n")
    }
}

extension SubscriberProvisioning {
    /// Puts each subscriber into the store; a new AKA subscriber with a provisioned starting SQN starts there.
    static func provision(
        _ subscribers: [ProvisionedSubscriber], into store: any SubscriberStore, domain: String
    ) throws
        -> [String]
    {
        let mapped = try subscribers.map { try (subscriber($0, domain: domain), $0.aka?.sequenceNumber) }
        for (subscriber, sequenceNumber) in mapped {
            let isNew = try store.subscriber(subscriber.privateIdentity) == nil
            try store.put(subscriber)
            if isNew, let sequenceNumber {
                try store.updateSequenceNumbers(of: subscriber.privateIdentity) { state in
                    state = try SequenceNumberState(
                        sequence: sequenceNumber >> UInt64(SequenceNumberState.indexBitCount),
                        nextIndex: Int(sequenceNumber & UInt64(SequenceNumberState.indexCount - 1)))
                }
            }
        }
        return mapped.map(\.0.privateIdentity.value)
    }
}
