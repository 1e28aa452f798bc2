import GRDB
import IMSInterfaces

// Provisioning and lookups: whole subscribers in, whole subscribers out.
extension SQLiteSubscriberStore {
    public func subscriber(_ privateIdentity: PrivateIdentity) throws -> Subscriber? {
        try read("subscriber \(privateIdentity)") { db in
            try SubscriberRows.fetch(db, privateIdentity.value)?.model()
        }
    }

    public func subscriber(owning identity: PublicIdentity) throws -> Subscriber? {
        try read("owner of \(identity)") { db in
            guard let owner = try Self.owner(of: identity, db) else { return nil }
            return try SubscriberRows.fetch(db, owner)?.model()
        }
    }

    public func allSubscribers() throws -> [Subscriber] {
        try read("all subscribers") { db in
            try SubscriberRows.fetchAll(db).map { rows throws(HSSStoreError) in try rows.model() }
        }
    }

    public func put(_ subscriber: Subscriber) throws {
        try subscriber.validateForStorage()
        let rows = SubscriberRows(subscriber)
        let key = subscriber.privateIdentity.value
        try write("put \(key)") { db in
            let others = StoreColumn.privateIdentity != key
            if let taken = try PublicIdentityRecord.filter(rows.identityTexts.contains(StoreColumn.identity))
                .filter(others).fetchOne(db)
            {
                throw HSSStoreError(
                    .identityTaken, "\(taken.identity) belongs to \(taken.privateIdentity), not \(key)")
            }
            // Replace everything provisioned; the SQN and registration rows hang off the subscriber row, which
            // `save` updates in place rather than deleting.
            let owned = StoreColumn.privateIdentity == key
            try PublicIdentityRecord.filter(owned).deleteAll(db)
            try AKACredentialsRecord.filter(owned).deleteAll(db)
            try DigestCredentialsRecord.filter(owned).deleteAll(db)
            try ServiceProfileRecord.filter(owned).deleteAll(db)
            try rows.insert(db)
            if try !SequenceNumberRecord.exists(db, key: key) {
                try SequenceNumberRecord(SequenceNumberState(), privateIdentity: key).insert(db)
            }
            // A registration survives only for an identity the subscriber still has; one kept for a (wildcard
            // of) another subscriber under an identity this one now owns outright describes someone else.
            for registration in try RegistrationRecord.filter(owned).fetchAll(db) {
                if let identity = PublicIdentity(parsing: registration.identity),
                    subscriber.entry(for: identity) != nil
                {
                    continue
                }
                try registration.delete(db)
            }
            try RegistrationRecord.filter(others).filter(rows.identityTexts.contains(StoreColumn.identity))
                .deleteAll(db)
        }
    }

    public func remove(_ privateIdentity: PrivateIdentity) throws -> Bool {
        let key = privateIdentity.value
        return try write("remove \(key)") { db in
            guard let record = try SubscriberRecord.fetchOne(db, key: key) else { return false }
            let identities = try PublicIdentityRecord.filter(StoreColumn.privateIdentity == key).fetchAll(db)
                .map(\.identity)
            try ContactBindingRecord.filter(
                StoreColumn.privateIdentity == key || identities.contains(StoreColumn.publicIdentity)
            ).deleteAll(db)
            // The foreign keys cascade to identities, credentials, profiles, the SQN and registrations.
            try record.delete(db)
            return true
        }
    }

    /// The private identity owning `identity`: the subscriber with that distinct identity, else the first (by
    /// private identity, then provisioning order) with a wildcard it falls under. Regular expressions are not
    /// portable SQL, so wildcards are matched here, over the wildcard rows only.
    static func owner(of identity: PublicIdentity, _ db: Database) throws -> String? {
        if let distinct = try String.fetchOne(
            db.cachedStatement(sql: OwnerQueries.distinct),
            arguments: [identity.value, PublicIdentityRecord.distinctKind])
        {
            return distinct
        }
        let wildcards = try Row.fetchCursor(
            db.cachedStatement(sql: OwnerQueries.wildcards), arguments: [PublicIdentityRecord.wildcardedKind])
        while let row = try wildcards.next() {
            let pattern: String = try row.decode(atIndex: 1)
            if let wildcard = try? WildcardedIdentity(parsing: pattern), wildcard.matches(identity) {
                return try row.decode(atIndex: 0)
            }
        }
        return nil
    }

    /// The statements of `owner(of:)`, raw SQL through the statement cache: every UAR, SAR and LIR asks for an
    /// owner, and building and preparing these through the query interface cost more than running them (see
    /// `SelectedRow`). Arguments: the identity and the distinct kind; the wildcarded kind.
    private enum OwnerQueries {
        static let distinct = "SELECT private_identity FROM public_identity WHERE identity = ? AND kind = ? LIMIT 1"
        static let wildcards = """
            SELECT private_identity, identity FROM public_identity WHERE kind = ? ORDER BY private_identity, position
            """
    }
}
