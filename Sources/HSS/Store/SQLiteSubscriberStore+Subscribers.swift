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
        if let distinct = try PublicIdentityRecord.filter(StoreColumn.identity == identity.value)
            .filter(StoreColumn.kind == PublicIdentityRecord.distinctKind).fetchOne(db)
        {
            return distinct.privateIdentity
        }
        let wildcards = try PublicIdentityRecord.filter(StoreColumn.kind == PublicIdentityRecord.wildcardedKind)
            .order(StoreColumn.privateIdentity, StoreColumn.position).fetchAll(db)
        for record in wildcards {
            if let wildcard = try? WildcardedIdentity(parsing: record.identity), wildcard.matches(identity) {
                return record.privateIdentity
            }
        }
        return nil
    }
}
