import GRDB
import IMSInterfaces

/// One subscriber as the rows that hold it, and the mapping both ways: what `put` writes and what the lookups read
/// back. Reading checks every value (hex, scheme names, identities, JSON) and turns anything the model would not
/// accept into `.corrupt`, naming the subscriber and the field.
struct SubscriberRows {
    var subscriber: SubscriberRecord
    var identities: [PublicIdentityRecord]
    var aka: AKACredentialsRecord?
    var digest: DigestCredentialsRecord?
    var profiles: [ServiceProfileRecord]
}

// MARK: Model → rows

extension SubscriberRows {
    init(_ model: Subscriber) {
        let key = model.privateIdentity.value
        subscriber = SubscriberRecord(
            privateIdentity: key, preferredScheme: model.credentials.preferredScheme.rawValue,
            capabilities: StoredJSON.encode(StoredCapabilities(model.capabilities)))
        identities = model.publicIdentities.enumerated().map { position, entry in
            let (text, kind) =
                switch entry.identity {
                case .distinct(let identity): (identity.value, PublicIdentityRecord.distinctKind)
                case .wildcarded(let wildcard): (wildcard.pattern, PublicIdentityRecord.wildcardedKind)
                }
            return PublicIdentityRecord(
                privateIdentity: key, position: position, identity: text, kind: kind, implicitSet: entry.implicitSet,
                barred: entry.isBarred, serviceProfile: entry.serviceProfile, serviceIdentity: entry.isServiceIdentity)
        }
        aka = model.credentials.aka.map { aka in
            var record = AKACredentialsRecord(
                privateIdentity: key, keyHex: Hex.encode(aka.key), amfHex: Hex.encode(aka.amf))
            switch aka.operatorKey {
            case .op(let op): record.opHex = Hex.encode(op)
            case .opc(let opc): record.opcHex = Hex.encode(opc)
            }
            return record
        }
        digest = model.credentials.digest.map { digest in
            var record = DigestCredentialsRecord(privateIdentity: key, realm: digest.realm)
            switch digest.secret {
            case .password(let password): record.passwordHex = Hex.encode(password.utf8)
            case .ha1(let values):
                record.ha1MD5 = values[.md5]
                record.ha1SHA256 = values[.sha256]
            }
            return record
        }
        profiles = model.serviceProfiles.enumerated().map { position, profile in
            ServiceProfileRecord(
                privateIdentity: key, name: profile.name, position: position,
                filterCriteria: StoredJSON.encode(profile.initialFilterCriteria.map(StoredFilterCriterion.init)))
        }
    }

    /// The distinct identities' canonical texts and the wildcards' patterns, as the unique index sees them.
    var identityTexts: [String] { identities.map(\.identity) }

    func insert(_ db: Database) throws {
        try subscriber.save(db)
        for identity in identities { try identity.insert(db) }
        try aka?.insert(db)
        try digest?.insert(db)
        for profile in profiles { try profile.insert(db) }
    }

}

// MARK: Rows → model

extension SubscriberRows {
    /// The rows of one subscriber; nil when there is no such subscriber. Raw SQL through the statement cache, as
    /// every UAR, MAR and SAR reads a subscriber (see `SelectedRow` for the measured cost of the query interface).
    static func fetch(_ db: Database, _ privateIdentity: String) throws -> SubscriberRows? {
        let arguments: StatementArguments = [privateIdentity]
        guard
            let subscriber = try SubscriberRecord.selectOne(
                db.cachedStatement(sql: Queries.subscriber), arguments: arguments)
        else { return nil }
        return SubscriberRows(
            subscriber: subscriber,
            identities: try PublicIdentityRecord.selectAll(
                db.cachedStatement(sql: Queries.identities), arguments: arguments),
            aka: try AKACredentialsRecord.selectOne(db.cachedStatement(sql: Queries.aka), arguments: arguments),
            digest: try DigestCredentialsRecord.selectOne(
                db.cachedStatement(sql: Queries.digest), arguments: arguments),
            profiles: try ServiceProfileRecord.selectAll(
                db.cachedStatement(sql: Queries.profiles), arguments: arguments)
        )
    }

    /// The statements of `fetch`, each with the one argument of the private identity.
    private enum Queries {
        static let subscriber = "SELECT \(SubscriberRecord.selection) FROM subscriber WHERE private_identity = ?"
        static let identities = """
            SELECT \(PublicIdentityRecord.selection) FROM public_identity WHERE private_identity = ? ORDER BY position
            """
        static let aka = "SELECT \(AKACredentialsRecord.selection) FROM aka_credentials WHERE private_identity = ?"
        static let digest = """
            SELECT \(DigestCredentialsRecord.selection) FROM digest_credentials WHERE private_identity = ?
            """
        static let profiles = """
            SELECT \(ServiceProfileRecord.selection) FROM service_profile WHERE private_identity = ? ORDER BY position
            """
    }

    /// Every subscriber's rows, sorted by private identity: one query per table, grouped in memory.
    static func fetchAll(_ db: Database) throws -> [SubscriberRows] {
        let subscribers = try SubscriberRecord.order(StoreColumn.privateIdentity).fetchAll(db)
        let identities = Dictionary(
            grouping: try PublicIdentityRecord.order(StoreColumn.position).fetchAll(db), by: \.privateIdentity)
        let aka = Dictionary(
            try AKACredentialsRecord.fetchAll(db).map { ($0.privateIdentity, $0) }, uniquingKeysWith: { a, _ in a })
        let digest = Dictionary(
            try DigestCredentialsRecord.fetchAll(db).map { ($0.privateIdentity, $0) }, uniquingKeysWith: { a, _ in a })
        let profiles = Dictionary(
            grouping: try ServiceProfileRecord.order(StoreColumn.position).fetchAll(db), by: \.privateIdentity)
        return subscribers.map { subscriber in
            let key = subscriber.privateIdentity
            return SubscriberRows(
                subscriber: subscriber, identities: identities[key] ?? [], aka: aka[key], digest: digest[key],
                profiles: profiles[key] ?? [])
        }
    }

    func model() throws(HSSStoreError) -> Subscriber {
        let key = subscriber.privateIdentity
        func corrupt(_ detail: String) -> HSSStoreError { HSSStoreError(.corrupt, "subscriber \(key): \(detail)") }

        guard let privateIdentity = PrivateIdentity(key) else { throw corrupt("not a private identity") }
        guard let preferred = AuthenticationScheme(rawValue: subscriber.preferredScheme) else {
            throw corrupt("unknown authentication scheme \(subscriber.preferredScheme)")
        }
        let capabilities = try StoredJSON.decode(
            StoredCapabilities.self, from: subscriber.capabilities, "subscriber \(key) capabilities")

        var entries: [PublicIdentityEntry] = []
        for record in identities {
            entries.append(try record.model(subscriber: key))
        }
        var serviceProfiles: [ServiceProfile] = []
        for record in profiles {
            let what = "subscriber \(key) service profile \(record.name)"
            let stored = try StoredJSON.decode([StoredFilterCriterion].self, from: record.filterCriteria, what)
            var criteria: [InitialFilterCriterion] = []
            for criterion in stored { criteria.append(try criterion.model(what)) }
            serviceProfiles.append(ServiceProfile(name: record.name, initialFilterCriteria: criteria))
        }
        let credentials = SubscriberCredentials(
            aka: try aka?.model(subscriber: key), digest: try digest?.model(subscriber: key),
            preferredScheme: preferred)
        return Subscriber(
            privateIdentity: privateIdentity, publicIdentities: entries, credentials: credentials,
            serviceProfiles: serviceProfiles, capabilities: capabilities.model)
    }
}

extension PublicIdentityRecord {
    func model(subscriber key: String) throws(HSSStoreError) -> PublicIdentityEntry {
        let identity: PublicIdentityEntry.Identity
        switch kind {
        case Self.distinctKind:
            guard let distinct = PublicIdentity(parsing: self.identity), distinct.value == self.identity else {
                throw HSSStoreError(.corrupt, "subscriber \(key): \(self.identity) is not a canonical public identity")
            }
            identity = .distinct(distinct)
        case Self.wildcardedKind:
            do {
                identity = .wildcarded(try WildcardedIdentity(parsing: self.identity))
            } catch {
                throw HSSStoreError(.corrupt, "subscriber \(key): wildcard \(self.identity): \(error)")
            }
        default:
            throw HSSStoreError(.corrupt, "subscriber \(key): unknown identity kind \(kind)")
        }
        return PublicIdentityEntry(
            identity, implicitSet: implicitSet, isBarred: barred, serviceProfile: serviceProfile,
            isServiceIdentity: serviceIdentity)
    }
}

extension AKACredentialsRecord {
    func model(subscriber key: String) throws(HSSStoreError) -> AKACredentials {
        let operatorKey: AKACredentials.OperatorKey
        if let opHex {
            operatorKey = .op(try StoredHex.decode(opHex, count: OP.byteCount, "subscriber \(key) OP"))
        } else if let opcHex {
            operatorKey = .opc(try StoredHex.decode(opcHex, count: OPc.byteCount, "subscriber \(key) OPc"))
        } else {
            throw HSSStoreError(.corrupt, "subscriber \(key): neither OP nor OPc stored")
        }
        return AKACredentials(
            key: try StoredHex.decode(keyHex, count: AKAKey.byteCount, "subscriber \(key) K"),
            operatorKey: operatorKey,
            amf: try StoredHex.decode(amfHex, count: AMF.byteCount, "subscriber \(key) AMF"))
    }
}

extension DigestCredentialsRecord {
    func model(subscriber key: String) throws(HSSStoreError) -> DigestCredentials {
        if let passwordHex {
            let bytes = try StoredHex.decode(
                passwordHex, count: passwordHex.utf8.count / 2, "subscriber \(key) password")
            guard let password = String(validating: bytes, as: UTF8.self) else {
                throw HSSStoreError(.corrupt, "subscriber \(key): the digest password is not UTF-8")
            }
            return DigestCredentials(realm: realm, secret: .password(password))
        }
        var values: [DigestHash: String] = [:]
        values[.md5] = ha1MD5
        values[.sha256] = ha1SHA256
        return DigestCredentials(realm: realm, secret: .ha1(values))
    }
}

/// Hex columns back to bytes.
enum StoredHex {
    /// `.corrupt` unless `text` is exactly `count` bytes of hex.
    static func decode(_ text: String, count: Int, _ what: String) throws(HSSStoreError) -> [UInt8] {
        do {
            return try Hex.decode(text, byteCount: count, name: what)
        } catch {
            throw HSSStoreError(.corrupt, "\(what): \(error.detail)")
        }
    }
}
