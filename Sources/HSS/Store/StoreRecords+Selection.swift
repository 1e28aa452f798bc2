import GRDB

// The hot paths (UAR, MAR, SAR and the registrar, once per registration each) read rows through raw SQL in GRDB's
// per-connection statement cache instead of the query interface: stack samples of the node at about 190
// registrations/s spent nearly all of their time in GRDB generating and preparing SQL (the query generator,
// `sqlite3_prepare_v3`, the authorizer, unique-key lookups in the schema) for each request, and Codable row
// decoding by column name. Each record here names its columns once, in one order, and decodes them by index from a
// row selected with exactly that list. GRDB's throwing `decode` keeps a NULL or mistyped value an error, as the
// Codable path made it, rather than a trap.

/// A record that raw SQL selects as `selection` and decodes by position.
protocol SelectedRow {
    /// The record's columns, comma-separated, in the order `init(selected:)` reads them.
    static var selection: String { get }
    init(selected row: Row) throws
}

extension SelectedRow {
    /// Every row `statement` yields with `arguments`, in its order, decoded by position (named apart from
    /// `FetchableRecord.fetchAll`, which would decode through `Codable`).
    static func selectAll(_ statement: Statement, arguments: StatementArguments) throws -> [Self] {
        try Array(Row.fetchCursor(statement, arguments: arguments).map { row in try Self(selected: row) })
    }

    /// The first row `statement` yields with `arguments`, decoded by position; nil when there is none.
    static func selectOne(_ statement: Statement, arguments: StatementArguments) throws -> Self? {
        try Row.fetchOne(statement, arguments: arguments).map { row in try Self(selected: row) }
    }
}

extension SubscriberRecord: SelectedRow {
    static let selection = "private_identity, preferred_scheme, capabilities"

    init(selected row: Row) throws {
        self.init(
            privateIdentity: try row.decode(atIndex: 0), preferredScheme: try row.decode(atIndex: 1),
            capabilities: try row.decode(atIndex: 2))
    }
}

extension PublicIdentityRecord: SelectedRow {
    static let selection =
        "private_identity, position, identity, kind, implicit_set, barred, service_profile, service_identity"

    init(selected row: Row) throws {
        self.init(
            privateIdentity: try row.decode(atIndex: 0), position: try row.decode(atIndex: 1),
            identity: try row.decode(atIndex: 2), kind: try row.decode(atIndex: 3),
            implicitSet: try row.decode(atIndex: 4), barred: try row.decode(atIndex: 5),
            serviceProfile: try row.decode(atIndex: 6), serviceIdentity: try row.decode(atIndex: 7))
    }
}

extension AKACredentialsRecord: SelectedRow {
    static let selection = "private_identity, key_hex, op_hex, opc_hex, amf_hex"

    init(selected row: Row) throws {
        self.init(
            privateIdentity: try row.decode(atIndex: 0), keyHex: try row.decode(atIndex: 1),
            opHex: try row.decode(atIndex: 2), opcHex: try row.decode(atIndex: 3), amfHex: try row.decode(atIndex: 4))
    }
}

extension DigestCredentialsRecord: SelectedRow {
    static let selection = "private_identity, realm, password_hex, ha1_md5, ha1_sha256"

    init(selected row: Row) throws {
        self.init(
            privateIdentity: try row.decode(atIndex: 0), realm: try row.decode(atIndex: 1),
            passwordHex: try row.decode(atIndex: 2), ha1MD5: try row.decode(atIndex: 3),
            ha1SHA256: try row.decode(atIndex: 4))
    }
}

extension ServiceProfileRecord: SelectedRow {
    static let selection = "private_identity, name, position, filter_criteria"

    init(selected row: Row) throws {
        self.init(
            privateIdentity: try row.decode(atIndex: 0), name: try row.decode(atIndex: 1),
            position: try row.decode(atIndex: 2), filterCriteria: try row.decode(atIndex: 3))
    }
}

extension SequenceNumberRecord: SelectedRow {
    static let selection = "private_identity, sequence_he, next_index"

    init(selected row: Row) throws {
        self.init(
            privateIdentity: try row.decode(atIndex: 0), sequenceHE: try row.decode(atIndex: 1),
            nextIndex: try row.decode(atIndex: 2))
    }
}

extension RegistrationRecord: SelectedRow {
    static let selection = "identity, private_identity, state, server_name"

    init(selected row: Row) throws {
        self.init(
            identity: try row.decode(atIndex: 0), privateIdentity: try row.decode(atIndex: 1),
            state: try row.decode(atIndex: 2), serverName: try row.decode(atIndex: 3))
    }
}

extension ContactBindingRecord: SelectedRow {
    static let selection = """
        public_identity, position, private_identity, contact, instance_id, registration_id, path, call_id, cseq, \
        expires_at, registered_at, received_from, user_agent
        """

    init(selected row: Row) throws {
        self.init(
            publicIdentity: try row.decode(atIndex: 0), position: try row.decode(atIndex: 1),
            privateIdentity: try row.decode(atIndex: 2), contact: try row.decode(atIndex: 3),
            instanceID: try row.decode(atIndex: 4), registrationID: try row.decode(atIndex: 5),
            path: try row.decode(atIndex: 6), callID: try row.decode(atIndex: 7), cseq: try row.decode(atIndex: 8),
            expiresAt: try row.decode(atIndex: 9), registeredAt: try row.decode(atIndex: 10),
            receivedFrom: try row.decode(atIndex: 11), userAgent: try row.decode(atIndex: 12))
    }
}
