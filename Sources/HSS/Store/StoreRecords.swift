import GRDB

// One row type per table of `SQLiteSchema`, with the columns' names spelled out: the schema and these keys are
// the whole contract with the database file. Each is plain data; `SubscriberRows` and the `model()` functions
// turn them into the IMSInterfaces model and back.

/// A row type whose coding keys are its column names.
protocol StoredRow: Codable, FetchableRecord, PersistableRecord, Sendable {}

struct SubscriberRecord: StoredRow {
    static let databaseTableName = "subscriber"
    var privateIdentity: String
    var preferredScheme: String
    /// JSON: `StoredCapabilities`.
    var capabilities: String

    enum CodingKeys: String, CodingKey {
        case privateIdentity = "private_identity"
        case preferredScheme = "preferred_scheme"
        case capabilities
    }
}

struct PublicIdentityRecord: StoredRow {
    static let databaseTableName = "public_identity"
    static let distinctKind = "distinct"
    static let wildcardedKind = "wildcarded"

    var privateIdentity: String
    var position: Int
    /// The canonical identity, or the wildcard's pattern.
    var identity: String
    var kind: String
    var implicitSet: String
    var barred: Bool
    var serviceProfile: String?
    var serviceIdentity: Bool

    enum CodingKeys: String, CodingKey {
        case privateIdentity = "private_identity"
        case position, identity, kind
        case implicitSet = "implicit_set"
        case barred
        case serviceProfile = "service_profile"
        case serviceIdentity = "service_identity"
    }
}

struct AKACredentialsRecord: StoredRow {
    static let databaseTableName = "aka_credentials"
    var privateIdentity: String
    var keyHex: String
    var opHex: String?
    var opcHex: String?
    var amfHex: String

    enum CodingKeys: String, CodingKey {
        case privateIdentity = "private_identity"
        case keyHex = "key_hex"
        case opHex = "op_hex"
        case opcHex = "opc_hex"
        case amfHex = "amf_hex"
    }
}

struct DigestCredentialsRecord: StoredRow {
    static let databaseTableName = "digest_credentials"
    var privateIdentity: String
    var realm: String
    /// The password's UTF-8 bytes in hex.
    var passwordHex: String?
    var ha1MD5: String?
    var ha1SHA256: String?

    enum CodingKeys: String, CodingKey {
        case privateIdentity = "private_identity"
        case realm
        case passwordHex = "password_hex"
        case ha1MD5 = "ha1_md5"
        case ha1SHA256 = "ha1_sha256"
    }
}

struct ServiceProfileRecord: StoredRow {
    static let databaseTableName = "service_profile"
    var privateIdentity: String
    var name: String
    var position: Int
    /// JSON: `[StoredFilterCriterion]`.
    var filterCriteria: String

    enum CodingKeys: String, CodingKey {
        case privateIdentity = "private_identity"
        case name, position
        case filterCriteria = "filter_criteria"
    }
}

struct SequenceNumberRecord: StoredRow {
    static let databaseTableName = "sequence_number"
    var privateIdentity: String
    var sequenceHE: Int64
    var nextIndex: Int

    enum CodingKeys: String, CodingKey {
        case privateIdentity = "private_identity"
        case sequenceHE = "sequence_he"
        case nextIndex = "next_index"
    }
}

struct RegistrationRecord: StoredRow {
    static let databaseTableName = "registration"
    var identity: String
    var privateIdentity: String
    var state: String
    var serverName: String?

    enum CodingKeys: String, CodingKey {
        case identity
        case privateIdentity = "private_identity"
        case state
        case serverName = "server_name"
    }
}

struct ContactBindingRecord: StoredRow {
    static let databaseTableName = "contact_binding"
    var publicIdentity: String
    var position: Int
    var privateIdentity: String
    var contact: String
    var instanceID: String?
    var registrationID: Int?
    /// JSON: an array of URIs.
    var path: String
    var callID: String
    var cseq: Int64
    var expiresAt: Int64
    var registeredAt: Int64
    var receivedFrom: String?
    var userAgent: String?

    enum CodingKeys: String, CodingKey {
        case publicIdentity = "public_identity"
        case position
        case privateIdentity = "private_identity"
        case contact
        case instanceID = "instance_id"
        case registrationID = "registration_id"
        case path
        case callID = "call_id"
        case cseq
        case expiresAt = "expires_at"
        case registeredAt = "registered_at"
        case receivedFrom = "received_from"
        case userAgent = "user_agent"
    }
}

/// The columns the store filters and orders by.
enum StoreColumn {
    static let privateIdentity = Column("private_identity")
    static let publicIdentity = Column("public_identity")
    static let identity = Column("identity")
    static let kind = Column("kind")
    static let position = Column("position")
}
