import IMSInterfaces
import SIPMessage

/// The registrar's processing of one REGISTER's contacts against the bindings a set holds (RFC 3261 §10.3 steps
/// 6–8, RFC 5626 §6), as a value: the bindings after it and what happened to each.
///
/// ```
/// for each Contact:                           binding found (same +sip.instance and reg-id, else same URI)?
///   found, same Call-ID, CSeq not higher  ─►  500, nothing changes (step 7: "the update MUST be aborted")
///   found, expires 0                      ─►  terminated, unregistered
///   found, instance's URI changed         ─►  old one terminated (unregistered), new one registered (RFC 5626 §6)
///   found                                 ─►  refreshed (or shortened, when capped at maxExpires)
///   not found, expires 0                  ─►  nothing
///   not found                             ─►  registered
/// Contact: *                              ─►  every binding terminated, unregistered (the same CSeq rule applies)
/// more than maxContacts                   ─►  the untouched binding nearest expiry terminated, deactivated;
///                                             403 when this REGISTER alone names too many
/// ```
///
/// Bindings already past their expiry when the REGISTER arrives are reported terminated (expired) and not matched.
/// Dropping the binding nearest expiry rather than refusing the REGISTER keeps a UE registrable when its contact
/// changes on every refresh (a NAT rebinding, no `+sip.instance`), at the cost of its stale contacts.
struct BindingUpdate: Sendable {
    private(set) var entries: [ContactChange]

    init(current: [ContactBinding], now: Timestamp) {
        entries = current.map { binding in
            binding.expiresAt > now
                ? ContactChange(binding: binding, state: .active, event: nil)
                : ContactChange(binding: binding, state: .terminated, event: .expired)
        }
    }

    /// The active bindings after the update, in the order they were first registered.
    var bindings: [ContactBinding] { entries.filter { $0.state == .active }.map(\.binding) }

    /// True when some binding was added, refreshed or removed.
    var hasChanges: Bool { entries.contains { $0.event != nil } }

    mutating func apply(
        _ requested: RequestedContacts, of request: RegisterRequest, registeredIdentity: PublicIdentity,
        now: Timestamp, maxContacts: Int
    ) throws(RegisterRefusal) {
        switch requested {
        case .query:
            return
        case .removeAll:
            for index in entries.indices where entries[index].state == .active {
                try Self.checkOrder(entries[index].binding, request)
                terminate(index, .unregistered)
            }
        case .contacts(let contacts):
            var touched: Set<Int> = []
            for contact in contacts {
                try apply(contact, of: request, registeredIdentity: registeredIdentity, now: now, touched: &touched)
            }
            try enforceLimit(maxContacts, sparing: touched)
        }
    }

    private mutating func apply(
        _ contact: RequestedContact, of request: RegisterRequest, registeredIdentity: PublicIdentity,
        now: Timestamp, touched: inout Set<Int>
    ) throws(RegisterRefusal) {
        guard
            let index = entries.indices.first(where: {
                entries[$0].state == .active && Self.matches(entries[$0].binding, contact)
            })
        else {
            guard !contact.isRemoval else { return }
            let binding = Self.binding(for: contact, of: request, registeredIdentity: registeredIdentity, now: now)
            entries.append(ContactChange(binding: binding, state: .active, event: .registered))
            touched.insert(entries.count - 1)
            return
        }
        let earlierInThisRequest = touched.contains(index)
        if !earlierInThisRequest { try Self.checkOrder(entries[index].binding, request) }
        if contact.isRemoval {
            terminate(index, .unregistered)
            return
        }
        if !earlierInThisRequest, !Self.sameURI(entries[index].binding.contact, contact.address) {
            // RFC 5626 §6: the instance registered a new contact; it replaces the old one.
            terminate(index, .unregistered)
            let binding = Self.binding(for: contact, of: request, registeredIdentity: registeredIdentity, now: now)
            entries.append(ContactChange(binding: binding, state: .active, event: .registered))
            touched.insert(entries.count - 1)
            return
        }
        var binding = Self.binding(for: contact, of: request, registeredIdentity: registeredIdentity, now: now)
        binding.registeredAt = entries[index].binding.registeredAt
        entries[index].binding = binding
        if !earlierInThisRequest { entries[index].event = contact.isShortened ? .shortened : .refreshed }
        touched.insert(index)
    }

    private mutating func terminate(_ index: Int, _ event: ContactChange.Event) {
        entries[index].state = .terminated
        entries[index].event = event
    }

    /// Drops untouched bindings, nearest expiry first, until at most `maxContacts` are active.
    private mutating func enforceLimit(_ maxContacts: Int, sparing touched: Set<Int>) throws(RegisterRefusal) {
        while entries.count(where: { $0.state == .active }) > maxContacts {
            let candidates = entries.indices.filter { entries[$0].state == .active && !touched.contains($0) }
            guard let victim = candidates.min(by: { entries[$0].binding.expiresAt < entries[$1].binding.expiresAt })
            else {
                throw RegisterRefusal(.tooManyContacts("the REGISTER names more than \(maxContacts) contacts"))
            }
            terminate(victim, .deactivated)
        }
    }

    /// RFC 3261 §10.3 step 7: a binding last written by this Call-ID may only be changed by a higher CSeq.
    private static func checkOrder(_ binding: ContactBinding, _ request: RegisterRequest) throws(RegisterRefusal) {
        guard binding.callID == request.callID, request.cseq <= binding.cseq else { return }
        throw RegisterRefusal(
            .outOfOrder("CSeq \(request.cseq) is not above \(binding.cseq) for \(binding.contact) of this Call-ID"))
    }

    /// RFC 5626 §6: with `+sip.instance` a binding is the instance's (and reg-id's), whatever its URI; without,
    /// RFC 3261 §10.3 step 7 matches by URI (§19.1.4 equivalence).
    private static func matches(_ binding: ContactBinding, _ contact: RequestedContact) -> Bool {
        if let instance = contact.instanceID {
            return binding.instanceID == instance && binding.registrationID == contact.registrationID
        }
        return sameURI(binding.contact, contact.address)
    }

    private static func sameURI(_ stored: String, _ address: NameAddress) -> Bool {
        guard let binding = try? NameAddress(parsing: stored) else { return false }
        return binding.uri.isEquivalent(to: address.uri)
    }

    private static func binding(
        for contact: RequestedContact, of request: RegisterRequest, registeredIdentity: PublicIdentity,
        now: Timestamp
    ) -> ContactBinding {
        ContactBinding(
            publicIdentity: registeredIdentity, privateIdentity: request.privateIdentity,
            contact: contact.address.serializedString, instanceID: contact.instanceID,
            registrationID: contact.registrationID, path: request.path.map(\.serializedString), callID: request.callID,
            cseq: request.cseq, expiresAt: now + Int64(contact.grantedExpires), registeredAt: now,
            receivedFrom: request.flow, userAgent: request.userAgent)
    }
}
