import GRDB
import IMSInterfaces

// The registration state of each public identity (TS 29.228 §6.1.2), written by SAR and MAR, read by UAR and LIR.
extension SQLiteSubscriberStore {
    public func registration(of identity: PublicIdentity) throws -> IdentityRegistration {
        try read("registration of \(identity)") { db in
            guard
                let record = try RegistrationRecord.selectOne(
                    db.cachedStatement(sql: RegistrationQueries.select), arguments: [identity.value])
            else {
                return IdentityRegistration(identity: identity, state: .notRegistered, serverName: nil)
            }
            return try record.model(identity)
        }
    }

    /// A plain not-registered identity without a server is stored as no row at all, so the table holds only the
    /// identities an S-CSCF holds or is about to. Every other registration names an identity some subscriber owns
    /// (`.unknownIdentity` otherwise), whose removal then takes the row with it.
    public func setRegistrations(_ registrations: [IdentityRegistration]) throws {
        try write("set \(registrations.count) registrations") { db in
            for registration in registrations {
                let key = registration.identity.value
                if registration.state == .notRegistered && registration.serverName == nil {
                    try db.cachedStatement(sql: RegistrationQueries.delete).execute(arguments: [key])
                    continue
                }
                guard let owner = try Self.owner(of: registration.identity, db) else {
                    throw HSSStoreError(.unknownIdentity, "no subscriber owns \(key)")
                }
                try db.cachedStatement(sql: RegistrationQueries.upsert).execute(
                    arguments: [key, owner, registration.state.rawValue, registration.serverName])
            }
        }
    }

    /// Raw SQL through the statement cache: every UAR reads a registration and every SAR and MAR writes some, and
    /// building and preparing these through the query interface cost more than running them (see `SelectedRow`).
    /// The select and the delete take the identity; the upsert (insert, or update the row of that identity, as a
    /// record's `save` did) takes the identity, the owner's private identity, the state and the server name.
    private enum RegistrationQueries {
        static let select = "SELECT \(RegistrationRecord.selection) FROM registration WHERE identity = ?"
        static let delete = "DELETE FROM registration WHERE identity = ?"
        static let upsert = """
            INSERT INTO registration (identity, private_identity, state, server_name) VALUES (?, ?, ?, ?)
            ON CONFLICT (identity) DO UPDATE SET private_identity = excluded.private_identity,
                state = excluded.state, server_name = excluded.server_name
            """
    }
}

extension RegistrationRecord {
    func model(_ identity: PublicIdentity) throws(HSSStoreError) -> IdentityRegistration {
        guard let known = RegistrationState(rawValue: state) else {
            throw HSSStoreError(.corrupt, "registration of \(self.identity): unknown state \(state)")
        }
        return IdentityRegistration(identity: identity, state: known, serverName: serverName)
    }
}
