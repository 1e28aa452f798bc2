import IMSInterfaces
import SIPMessage

/// A session's trip through the application servers its served user's filter criteria name (TS 23.218 §6.4,
/// TS 24.229 §5.4.3.2 and §5.4.3.3): which user the S-CSCF serves it for, in which session case, and how far down
/// the criteria it got. The S-CSCF keeps it under the original dialog identifier while an AS has the request.
public struct ServiceChain: Hashable, Sendable {
    public var sessionCase: SessionCase
    /// The user whose criteria apply: the caller (originating) or the callee (terminating).
    public var servedIdentity: PublicIdentity
    /// Whether the served user was registered when the chain started (profile parts and session case).
    public var isRegistered: Bool
    /// The priority of the last criterion that sent the request to an AS; nil before the first.
    public var lastPriority: Int?
    /// What the default handling of the AS that has the request says when it does not answer.
    public var defaultHandling: ApplicationServer.DefaultHandling
    /// The identity the network asserted for the caller, re-applied when the AS returns the request.
    public var assertedIdentity: NameAddress?
    /// The session's charging vector: its ICID stays the same through every AS and leg.
    public var chargingVector: PChargingVector

    public init(
        sessionCase: SessionCase, servedIdentity: PublicIdentity, isRegistered: Bool, lastPriority: Int? = nil,
        defaultHandling: ApplicationServer.DefaultHandling = .sessionContinued, assertedIdentity: NameAddress?,
        chargingVector: PChargingVector
    ) {
        self.sessionCase = sessionCase
        self.servedIdentity = servedIdentity
        self.isRegistered = isRegistered
        self.lastPriority = lastPriority
        self.defaultHandling = defaultHandling
        self.assertedIdentity = assertedIdentity
        self.chargingVector = chargingVector
    }
}

/// The next application server of a chain: where the request goes, and the original dialog identifier (ODI) the
/// S-CSCF puts in its own Route entry below the AS's, by which it recognises the request when the AS sends it back
/// (TS 24.229 §5.4.3.3 step 4, §5.4.3.4).
public struct ApplicationServerHop: Hashable, Sendable {
    public var server: ApplicationServer
    /// The criterion that chose it.
    public var priority: Int
    /// The original dialog identifier: a token of the S-CSCF's, meaningless to anyone else.
    public var originalDialog: String

    public init(server: ApplicationServer, priority: Int, originalDialog: String) {
        self.server = server
        self.priority = priority
        self.originalDialog = originalDialog
    }
}

/// The chains whose request is at an AS, by original dialog identifier: a value with a `mutating func` per event
/// (sent to an AS, back from it, time passing). An AS that never sends the request back leaves an entry that the
/// next `expire` removes after `lifetime` seconds; the table never holds more than `capacity` (the oldest goes).
public struct OriginalDialogTable: Hashable, Sendable {
    struct Entry: Hashable, Sendable {
        var chain: ServiceChain
        var createdAt: Timestamp
    }

    /// Seconds an ODI stays valid. Default 180: an AS that returns the request later than an unanswered INVITE
    /// lives (Timer C's three minutes, RFC 3261 §16.6 step 11) is returning a call nobody waits for.
    public let lifetime: Int64
    /// Chains kept at most. Default 10 000.
    public let capacity: Int
    var entries: [String: Entry] = [:]

    public init(lifetime: Int64 = 180, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    public var count: Int { entries.count }

    /// Keeps `chain` under `token` while its request is at an AS.
    public mutating func insert(_ chain: ServiceChain, token: String, now: Timestamp) {
        if entries.count >= capacity, entries[token] == nil,
            let oldest = entries.min(by: { $0.value.createdAt < $1.value.createdAt })?.key
        {
            entries[oldest] = nil
        }
        entries[token] = Entry(chain: chain, createdAt: now)
    }

    /// The chain of `token`, removed (each ODI brings one request back); nil when unknown or lapsed.
    public mutating func take(_ token: String, now: Timestamp) -> ServiceChain? {
        guard let entry = entries.removeValue(forKey: token) else { return nil }
        return now.secondsSince1970 - entry.createdAt.secondsSince1970 <= lifetime ? entry.chain : nil
    }

    /// The chain of `token` without removing it (the AS did not answer: its default handling decides).
    public func peek(_ token: String) -> ServiceChain? { entries[token]?.chain }

    /// Forgets the chain of `token` (its AS answered finally, or failed and the default handling ran).
    public mutating func remove(_ token: String) { entries[token] = nil }

    /// Forgets chains older than `lifetime`.
    public mutating func expire(now: Timestamp) {
        entries = entries.filter { now.secondsSince1970 - $0.value.createdAt.secondsSince1970 <= lifetime }
    }
}
