import IMSInterfaces
import SIPMessage

/// The Contact list of a REGISTER, checked against the registrar's rules that need no state (RFC 3261 §10.3 steps
/// 6–7): each contact with the expiry granted, or `*`.
///
/// These checks run before authentication: a REGISTER that would be refused anyway (a `*` with other contacts, an
/// interval below Min-Expires) is refused at once, without spending an AKA vector (and a sequence number at the
/// HSS) on it, and the UE's retry with a longer interval needs only one challenge. They reveal nothing but the
/// configured limits.
enum RequestedContacts: Sendable {
    /// No Contact: the UE asks for the current bindings (RFC 3261 §10.2.3).
    case query
    /// `Contact: *` with `Expires: 0`: remove every binding of the set (§10.2.2).
    case removeAll
    case contacts([RequestedContact])

    init(_ request: RegisterRequest, configuration: ServingCSCF.Configuration) throws(RegisterRefusal) {
        if request.contacts.isEmpty {
            self = .query
            return
        }
        if request.contacts.contains(where: \.isWildcard) {
            guard request.contacts.count == 1 else {
                throw RegisterRefusal(.badWildcard("Contact: * must be the only contact"))
            }
            guard request.expires == 0 else {
                throw RegisterRefusal(.badWildcard("Contact: * needs Expires: 0"))
            }
            self = .removeAll
            return
        }
        var requested: [RequestedContact] = []
        for value in request.contacts {
            guard let address = value.nameAddress else { continue }
            requested.append(
                try RequestedContact(address, headerExpires: request.expires, configuration: configuration))
        }
        self = .contacts(requested)
    }
}

/// One contact of a REGISTER with the expiry the registrar grants it.
struct RequestedContact: Hashable, Sendable {
    /// The Contact value as the UE sent it, without `expires` (the registrar writes its own).
    var address: NameAddress
    /// Seconds asked for: the contact's `expires`, else the Expires header, else the default.
    var requestedExpires: Int
    /// Seconds granted: 0 (remove), or the request capped at the maximum.
    var grantedExpires: Int
    /// RFC 5626 `+sip.instance`, as written (`<urn:uuid:…>`).
    var instanceID: String?
    /// RFC 5626 `reg-id`.
    var registrationID: Int?

    var isRemoval: Bool { grantedExpires == 0 }
    var isShortened: Bool { grantedExpires < requestedExpires }

    init(
        _ contact: NameAddress, headerExpires: Int?, configuration: ServingCSCF.Configuration
    ) throws(RegisterRefusal) {
        guard contact.sipURI != nil else {
            throw RegisterRefusal(.badRegister("Contact \(contact.uriText) is not a SIP or SIPS URI"))
        }
        // RFC 3261 §10.3 step 7: the contact's own expires, else the Expires header, else the registrar's default.
        let requested = contact.expires.map(Int.init) ?? headerExpires ?? configuration.defaultExpires
        if requested > 0, requested < configuration.minExpires {
            throw RegisterRefusal(
                .intervalTooBrief("\(requested) s asked for, at least \(configuration.minExpires) s needed"),
                minExpires: configuration.minExpires)
        }
        requestedExpires = requested
        grantedExpires = min(requested, configuration.maxExpires)
        var address = contact
        address.parameters.remove("expires")
        self.address = address
        instanceID = contact.parameters.value("+sip.instance")
        if let text = contact.parameters.value("reg-id") {
            guard let value = Int(text), value > 0 else {
                throw RegisterRefusal(.badRegister("reg-id \(text) is not a positive number"))
            }
            registrationID = value
        }
    }
}
