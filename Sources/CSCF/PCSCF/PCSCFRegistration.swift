import IMSInterfaces
import SIPMessage

/// What the P-CSCF knows of the UE registered over one flow, learnt from the 200 (OK) to its REGISTER
/// (TS 24.229 §5.2.2.1) and kept up to date by the registrar's changes: which identities the UE may use, the route
/// its requests take to the S-CSCF, and until when.
public struct PCSCFRegistration: Hashable, Sendable {
    public var flow: UEFlow
    /// The `username` of the REGISTER's Authorization, when it had one.
    public var privateIdentity: PrivateIdentity?
    /// The identities the UE may assert, in P-Associated-URI order; the first is the default public user identity
    /// (TS 24.229 §5.2.2.1, RFC 7315 §4.1).
    public var associatedIdentities: [PublicIdentity]
    /// The Service-Route of the 200, in order, each a name-addr as written (`<sip:orig@scscf.example;lr>`): the
    /// Route values the P-CSCF puts in the UE's requests (RFC 3608 §6, TS 24.229 §5.2.6.3).
    public var serviceRoute: [String]
    /// The UE's registered Contact URIs, as the 200 listed them.
    public var contacts: [String]
    /// When the last of the contacts expires.
    public var expiresAt: Timestamp

    public init(
        flow: UEFlow, privateIdentity: PrivateIdentity?, associatedIdentities: [PublicIdentity],
        serviceRoute: [String], contacts: [String], expiresAt: Timestamp
    ) {
        self.flow = flow
        self.privateIdentity = privateIdentity
        self.associatedIdentities = associatedIdentities
        self.serviceRoute = serviceRoute
        self.contacts = contacts
        self.expiresAt = expiresAt
    }

    /// The default public user identity: what the P-CSCF asserts when the UE names none (TS 24.229 §5.2.6.3.1).
    public var defaultIdentity: PublicIdentity? { associatedIdentities.first }

    /// Whether the UE may use this identity (TS 24.229 §5.2.6.3.1: only those of P-Associated-URI).
    public func mayAssert(_ identity: PublicIdentity) -> Bool { associatedIdentities.contains(identity) }
}

/// The P-CSCF's own record of one flow's registration: the public view plus each contact's expiry, which the
/// registrar's changes and the expiry sweep update one contact at a time.
struct FlowRegistration: Hashable, Sendable {
    struct Contact: Hashable, Sendable {
        /// The Contact URI as the 200 wrote it.
        var uri: String
        var parsed: URI?
        var expiresAt: Timestamp

        init(uri: String, expiresAt: Timestamp) {
            self.uri = uri
            self.parsed = try? URI(parsing: uri)
            self.expiresAt = expiresAt
        }

        /// RFC 3261 §10.3 step 6 compares contacts as URIs; text that does not parse compares as text.
        func matches(_ other: String) -> Bool {
            if let parsed, let otherURI = try? URI(parsing: Self.addressURI(other)) {
                return parsed.isEquivalent(to: otherURI)
            }
            return uri == other
        }

        /// The URI of a contact written as a name-addr (`<sip:…>;expires=…`), or the text itself (a bare URI,
        /// whose parameters are URI parameters).
        static func addressURI(_ text: String) -> String {
            let isNameAddress = text.first == "\"" || text.prefix { $0 != ":" }.contains("<")
            guard isNameAddress, let address = try? NameAddress(parsing: text) else { return text }
            return address.uriText
        }
    }

    var flow: UEFlow
    var privateIdentity: PrivateIdentity?
    var associatedIdentities: [PublicIdentity]
    var serviceRoute: [String]
    var contacts: [Contact]

    var expiresAt: Timestamp {
        contacts.map(\.expiresAt).max() ?? Timestamp(secondsSince1970: 0)
    }

    var snapshot: PCSCFRegistration {
        PCSCFRegistration(
            flow: flow, privateIdentity: privateIdentity, associatedIdentities: associatedIdentities,
            serviceRoute: serviceRoute, contacts: contacts.map(\.uri), expiresAt: expiresAt)
    }
}
