import GRDB
import IMSInterfaces

// The S-CSCF registrar's contact bindings (`RegistrarStore`), kept in the same database as the subscribers so that
// removing a subscriber removes its bindings in the same transaction.
extension SQLiteSubscriberStore {
    public func loadBindings() throws -> [ContactBinding] {
        try read("load bindings") { db in
            try ContactBindingRecord.selectAll(db.cachedStatement(sql: BindingQueries.all), arguments: [])
                .map { record throws(HSSStoreError) in try record.model() }
        }
    }

    public func bindings(of identity: PublicIdentity) throws -> [ContactBinding] {
        try read("bindings of \(identity)") { db in
            try ContactBindingRecord.selectAll(
                db.cachedStatement(sql: BindingQueries.ofIdentity), arguments: [identity.value]
            )
            .map { record throws(HSSStoreError) in try record.model() }
        }
    }

    /// `.invalidBinding` when one of `bindings` is for another public identity (nothing is written then).
    public func replaceBindings(of identity: PublicIdentity, with bindings: [ContactBinding]) throws {
        if let stray = bindings.first(where: { $0.publicIdentity != identity }) {
            throw HSSStoreError(.invalidBinding, "a binding of \(stray.publicIdentity) handed in for \(identity)")
        }
        try write("replace bindings of \(identity)") { db in
            try db.cachedStatement(sql: BindingQueries.deleteOfIdentity).execute(arguments: [identity.value])
            for (position, binding) in bindings.enumerated() {
                let record = ContactBindingRecord(binding, position: position)
                try db.cachedStatement(sql: BindingQueries.insert).execute(
                    arguments: [
                        record.publicIdentity, record.position, record.privateIdentity, record.contact,
                        record.instanceID, record.registrationID, record.path, record.callID, record.cseq,
                        record.expiresAt, record.registeredAt, record.receivedFrom, record.userAgent,
                    ])
            }
        }
    }

    /// Raw SQL through the statement cache: every registration replaces its bindings, and building and preparing
    /// these through the query interface (with a schema lookup per inserted record) cost more than running them
    /// (see `SelectedRow`). `ofIdentity` and `deleteOfIdentity` take the public identity; `insert` takes the
    /// columns in `ContactBindingRecord.selection`'s order.
    private enum BindingQueries {
        static let all =
            "SELECT \(ContactBindingRecord.selection) FROM contact_binding ORDER BY public_identity, position"
        static let ofIdentity = """
            SELECT \(ContactBindingRecord.selection) FROM contact_binding WHERE public_identity = ? ORDER BY position
            """
        static let deleteOfIdentity = "DELETE FROM contact_binding WHERE public_identity = ?"
        static let insert = """
            INSERT INTO contact_binding (\(ContactBindingRecord.selection)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
    }
}

extension ContactBindingRecord {
    init(_ binding: ContactBinding, position: Int) {
        self.init(
            publicIdentity: binding.publicIdentity.value, position: position,
            privateIdentity: binding.privateIdentity.value, contact: binding.contact, instanceID: binding.instanceID,
            registrationID: binding.registrationID, path: StoredJSON.encode(binding.path), callID: binding.callID,
            cseq: Int64(binding.cseq), expiresAt: binding.expiresAt.secondsSince1970,
            registeredAt: binding.registeredAt.secondsSince1970, receivedFrom: binding.receivedFrom,
            userAgent: binding.userAgent)
    }

    func model() throws(HSSStoreError) -> ContactBinding {
        let what = "binding \(position) of \(publicIdentity)"
        guard let identity = PublicIdentity(parsing: publicIdentity) else {
            throw HSSStoreError(.corrupt, "\(what): not a public identity")
        }
        guard let owner = PrivateIdentity(privateIdentity) else {
            throw HSSStoreError(.corrupt, "\(what): \(privateIdentity) is not a private identity")
        }
        guard let cseq = UInt32(exactly: cseq) else { throw HSSStoreError(.corrupt, "\(what): CSeq \(cseq)") }
        return ContactBinding(
            publicIdentity: identity, privateIdentity: owner, contact: contact, instanceID: instanceID,
            registrationID: registrationID, path: try StoredJSON.decode([String].self, from: path, what),
            callID: callID, cseq: cseq, expiresAt: Timestamp(secondsSince1970: expiresAt),
            registeredAt: Timestamp(secondsSince1970: registeredAt), receivedFrom: receivedFrom, userAgent: userAgent)
    }
}
