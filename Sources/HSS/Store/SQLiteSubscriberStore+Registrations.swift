import GRDB
import IMSInterfaces

// The registration state of each public identity (TS 29.228 §6.1.2), written by SAR and MAR, read by UAR and LIR.
extension SQLiteSubscriberStore {
    public func registration(of identity: PublicIdentity) throws -> IdentityRegistration {
        try read("registration of \(identity)") { db in
            guard let record = try RegistrationRecord.fetchOne(db, key: identity.value) else {
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
                    _ = try RegistrationRecord.deleteOne(db, key: key)
                    continue
                }
                guard let owner = try Self.owner(of: registration.identity, db) else {
                    throw HSSStoreError(.unknownIdentity, "no subscriber owns \(key)")
                }
                try RegistrationRecord(
                    identity: key, privateIdentity: owner, state: registration.state.rawValue,
                    serverName: registration.serverName
                ).save(db)
            }
        }
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
