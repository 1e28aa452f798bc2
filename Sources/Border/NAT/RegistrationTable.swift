import SIPMessage

/// The registrations relayed through the node and their bindings: who a token stands for, and when each
/// binding expires or needs a keepalive.
///
/// A value (STYLE rule 4): the engine feeds it events (a REGISTER going out, the registrar's answer, a sweep
/// of the clock, a keepalive's outcome) and performs what it returns. Times are durations since the node's
/// epoch; identifiers come from the caller, so tests are deterministic.
public struct RegistrationTable: Sendable {
    public private(set) var registrations: [RegistrationKey: RelayedRegistration] = [:]
    public private(set) var bindings: [String: RegistrationBinding] = [:]
    /// How long a binding the registrar has not confirmed yet is kept: long enough for a challenge and the
    /// REGISTER that answers it (RFC 3261 Timer F is 32 s).
    public static let unconfirmedLifetime: Duration = .seconds(64)

    public init() {}

    /// Identifiers for a new relayed registration.
    public struct Identifiers: Sendable {
        public var callID: String
        public var fromTag: String
        public var toTag: String

        public init(callID: String, fromTag: String, toTag: String) {
            self.callID = callID
            self.fromTag = fromTag
            self.toTag = toTag
        }
    }

    /// The registration a REGISTER belongs to: the existing one for its Call-ID and flow, or a new one with
    /// `fresh()`'s identifiers.
    public mutating func registration(
        for key: RegistrationKey, addressOfRecord: String, realm: String, fresh: () -> Identifiers
    ) -> RelayedRegistration {
        if let existing = registrations[key] { return existing }
        let identifiers = fresh()
        let registration = RelayedRegistration(
            key: key, addressOfRecord: addressOfRecord, realm: realm, outboundCallID: identifiers.callID,
            outboundFromTag: identifiers.fromTag, inboundToTag: identifiers.toTag)
        registrations[key] = registration
        return registration
    }

    /// The binding for one Contact of a REGISTER: the registration's binding for the same URI, refreshed, or a
    /// new unconfirmed one under `freshToken()`.
    public mutating func bind(
        _ contact: URI, of key: RegistrationKey, nat: NATDetection, at now: Duration, freshToken: () -> String
    ) -> RegistrationBinding {
        guard let registration = registrations[key] else {
            preconditionFailure("bind(_:of:) before registration(for:)")
        }
        if let token = registration.tokens.first(where: { bindings[$0]?.contact == contact }),
            var binding = bindings[token]
        {
            binding.nat = nat
            binding.refreshedAt = now
            // A REGISTER from the UA is as good an answer as any keepalive's.
            binding.unansweredKeepalives = 0
            bindings[token] = binding
            return binding
        }
        var token = freshToken()
        while bindings[token] != nil { token = freshToken() }
        let binding = RegistrationBinding(
            token: token, registration: key, contact: contact, addressOfRecord: registration.addressOfRecord,
            flow: key.flow, realm: registration.realm, nat: nat, expiresAt: nil, refreshedAt: now,
            lastKeepalive: now)
        bindings[token] = binding
        registrations[key]?.tokens.insert(token)
        return binding
    }

    public func binding(token: String) -> RegistrationBinding? { bindings[token] }

    /// The registrar granted the binding for `expires` (RFC 3261 §10.3 step 8: its 2xx lists each binding with
    /// its expiration); 0 removes it.
    public mutating func confirm(token: String, expires: Duration, at now: Duration) {
        guard expires > .zero else {
            remove(token: token)
            return
        }
        guard var binding = bindings[token] else { return }
        if binding.expiresAt == nil { binding.lastKeepalive = now }
        binding.expiresAt = now + expires
        bindings[token] = binding
    }

    /// The registrar's 2xx to a REGISTER of `key` did not list these bindings: it holds them no more.
    public mutating func forgetUnlisted(of key: RegistrationKey, listed: Set<String>) {
        for token in registrations[key]?.tokens ?? [] where !listed.contains(token) {
            remove(token: token)
        }
    }

    /// A REGISTER of `key` was refused: the bindings it created and the registrar never confirmed go.
    public mutating func dropUnconfirmed(of key: RegistrationKey) {
        for token in registrations[key]?.tokens ?? [] where bindings[token]?.isConfirmed == false {
            remove(token: token)
        }
    }

    /// `Contact: *` succeeded: the registrar removed every binding of the address-of-record (RFC 3261 §10.2.2).
    public mutating func removeAll(addressOfRecord: String) {
        for (token, binding) in bindings where binding.addressOfRecord == addressOfRecord {
            remove(token: token)
        }
    }

    /// Removes a binding, and its registration once it has none.
    @discardableResult
    public mutating func remove(token: String) -> RegistrationBinding? {
        guard let binding = bindings.removeValue(forKey: token) else { return nil }
        registrations[binding.registration]?.tokens.remove(token)
        if registrations[binding.registration]?.tokens.isEmpty == true {
            registrations.removeValue(forKey: binding.registration)
        }
        return binding
    }

    /// Removes the bindings whose grant ran out, and unconfirmed ones older than `unconfirmedLifetime`; returns
    /// them. Registrations without bindings (a REGISTER that only asked for the list, RFC 3261 §10.2.3) go too.
    public mutating func expire(at now: Duration) -> [RegistrationBinding] {
        let expired = bindings.values.filter { binding in
            if let expiresAt = binding.expiresAt { return expiresAt <= now }
            return binding.refreshedAt + Self.unconfirmedLifetime <= now
        }
        for binding in expired { remove(token: binding.token) }
        registrations = registrations.filter { !$0.value.tokens.isEmpty }
        return expired.sorted { $0.token < $1.token }
    }

    /// The confirmed bindings due a keepalive at `now` under their realm's settings (`settings` returns nil for
    /// a realm without keepalives); each is marked as pinged now.
    public mutating func dueKeepalives(
        at now: Duration, settings: (String) -> (interval: Duration, nattedOnly: Bool)?
    ) -> [RegistrationBinding] {
        var due: [RegistrationBinding] = []
        for (token, binding) in bindings where binding.isConfirmed {
            guard let realm = settings(binding.realm), !realm.nattedOnly || binding.nat.isBehindNAT,
                binding.lastKeepalive + realm.interval <= now
            else { continue }
            bindings[token]?.lastKeepalive = now
            due.append(binding)
        }
        return due.sorted { $0.token < $1.token }
    }

    /// The UA answered a keepalive (any response: it is there).
    public mutating func keepaliveAnswered(token: String) {
        bindings[token]?.unansweredKeepalives = 0
    }

    /// A keepalive went unanswered; after `limit` in a row the binding is removed and returned.
    public mutating func keepaliveUnanswered(token: String, limit: Int) -> RegistrationBinding? {
        guard var binding = bindings[token] else { return nil }
        binding.unansweredKeepalives += 1
        bindings[token] = binding
        return binding.unansweredKeepalives >= limit ? remove(token: token) : nil
    }
}
