import IMSInterfaces

/// Where the HSS keeps its subscribers and what it learns about them: the provisioned subscriptions, each
/// subscriber's SQN counter, the registration state of each public identity, and (as the `RegistrarStore` the
/// S-CSCF's registrar persists to) the contact bindings.
///
/// The protocol speaks only in the model's values and whole operations, never in rows or SQL: SQLite is the embedded
/// default (`SQLiteSubscriberStore`), and a PostgreSQL store for several nodes sharing state implements the same
/// calls. Every method may block on I/O; errors are `HSSStoreError`s.
public protocol SubscriberStore: RegistrarStore {
    func subscriber(_ privateIdentity: PrivateIdentity) throws -> Subscriber?
    /// The subscriber owning a public identity: a distinct identity equal to it first, else a wildcard matching it.
    func subscriber(owning identity: PublicIdentity) throws -> Subscriber?
    /// Every subscriber, sorted by private identity.
    func allSubscribers() throws -> [Subscriber]
    /// Inserts or replaces (by private identity). Keeps the SQN state and registration state of identities that remain.
    /// Throws HSSStoreError.identityTaken when a distinct public identity belongs to another subscriber.
    func put(_ subscriber: Subscriber) throws
    /// Removes the subscriber, its SQN state, registration states and bindings; false when unknown.
    func remove(_ privateIdentity: PrivateIdentity) throws -> Bool
    /// Runs `body` on the subscriber's SQN state in one transaction and stores what it leaves (atomic: two
    /// concurrent vector requests never get the same SQN).
    func updateSequenceNumbers<T>(
        of privateIdentity: PrivateIdentity, _ body: (inout SequenceNumberState) throws -> T
    ) throws -> T
    /// The stored registration of an identity; `.notRegistered` without a server when none is stored.
    func registration(of identity: PublicIdentity) throws -> IdentityRegistration
    /// Stores these registrations in one transaction (an implicit registration set changes state as one).
    func setRegistrations(_ registrations: [IdentityRegistration]) throws
    /// The bindings of one public identity, in the order they were written.
    func bindings(of identity: PublicIdentity) throws -> [ContactBinding]
    /// Makes everything written so far durable on its own, without a log to replay (a stopping node calls it, so
    /// that a copy of the state file taken after the stop is complete).
    func flush() throws
}
