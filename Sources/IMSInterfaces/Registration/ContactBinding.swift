/// One registered Contact of a public identity, as the S-CSCF's registrar keeps it (RFC 3261 §10.3, TS 24.229
/// §5.4.1.2) and persists it: what a restart needs to keep reaching the UE.
public struct ContactBinding: Hashable, Sendable, Codable {
    /// The public identity registered (the REGISTER's To); the implicit set's other identities share the binding.
    public var publicIdentity: PublicIdentity
    /// Who authenticated.
    public var privateIdentity: PrivateIdentity
    /// The Contact URI as registered, parameters included.
    public var contact: String
    /// The UE's `+sip.instance` (RFC 5626), which identifies the device across Contact changes.
    public var instanceID: String?
    /// RFC 5626 `reg-id`.
    public var registrationID: Int?
    /// The Path the REGISTER carried (RFC 3327), toward the UE: the P-CSCF's URI first.
    public var path: [String]
    /// Call-ID and CSeq of the REGISTER that last refreshed the binding (RFC 3261 §10.3 step 7).
    public var callID: String
    public var cseq: UInt32
    public var expiresAt: Timestamp
    public var registeredAt: Timestamp
    /// The flow the REGISTER arrived on at the P-CSCF, as `transport:address:port` (for `hss show`).
    public var receivedFrom: String?
    public var userAgent: String?

    public init(
        publicIdentity: PublicIdentity, privateIdentity: PrivateIdentity, contact: String, instanceID: String? = nil,
        registrationID: Int? = nil, path: [String] = [], callID: String, cseq: UInt32, expiresAt: Timestamp,
        registeredAt: Timestamp, receivedFrom: String? = nil, userAgent: String? = nil
    ) {
        self.publicIdentity = publicIdentity
        self.privateIdentity = privateIdentity
        self.contact = contact
        self.instanceID = instanceID
        self.registrationID = registrationID
        self.path = path
        self.callID = callID
        self.cseq = cseq
        self.expiresAt = expiresAt
        self.registeredAt = registeredAt
        self.receivedFrom = receivedFrom
        self.userAgent = userAgent
    }
}

/// Where the S-CSCF's registrar keeps its bindings so that a restart loses nothing. The HSS's store implements it
/// (the same database), and the assembly hands it to the S-CSCF.
public protocol RegistrarStore: Sendable {
    /// Every binding written and not removed, expired ones included (the registrar expires them on load).
    func loadBindings() throws -> [ContactBinding]
    /// Replaces the bindings of one public identity with these (none: the identity has no contacts left).
    func replaceBindings(of identity: PublicIdentity, with bindings: [ContactBinding]) throws
}
