import IMSInterfaces
import SIPMessage

/// The S-CSCF's part in a session (TS 24.229 §5.4.3.2 originating, §5.4.3.3 terminating): the served user's
/// initial filter criteria send the request through application servers one at a time, each return resuming after
/// the criterion that sent it; when none applies any more the assembly carries on (to the callee's S-CSCF through
/// the I-CSCF, or to the callee's contacts).
///
/// ```
///   request ─► nextService(chain) ─┬─ a criterion above chain.lastPriority matches ─► .applicationServer(hop)
///                                  │     (the chain kept under hop.originalDialog)
///                                  └─ none ─► .proceed(chain)
///   request back from the AS, top Route naming the ODI ─► resume(originalDialog:) ─► nextService(chain) …
/// ```
extension ServingCSCF {
    /// What the S-CSCF does with a request next.
    public enum ServiceStep: Hashable, Sendable {
        /// Through this application server; the chain waits under its ODI.
        case applicationServer(ApplicationServerHop)
        /// No criterion (left) applies: on to the next step of the session case.
        case proceed(ServiceChain)
    }

    /// Whether `identity` has a registered contact here.
    public func isRegistered(_ identity: PublicIdentity) -> Bool {
        !bindings(of: identity).isEmpty
    }

    /// The service profile of `identity` from its registration's user profile; nil when it is not registered here
    /// or has none.
    public func serviceProfile(of identity: PublicIdentity) -> ServiceProfile? {
        profile(of: identity)?.implicitSet.first { $0.identity == identity }?.serviceProfile
    }

    /// Evaluates the served user's criteria after `chain.lastPriority` (TS 24.229 §5.4.3.2 step 4, §5.4.3.3
    /// step 2). `profile` defaults to the one the user registered with; the assembly passes the one the HSS gave for
    /// an unregistered user.
    public mutating func nextService(
        for request: SIPMessage, chain: ServiceChain, profile: ServiceProfile? = nil, now: Timestamp
    ) -> ServiceStep {
        guard let profile = profile ?? serviceProfile(of: chain.servedIdentity),
            let evaluated = FilterCriteriaRequest(request, sessionCase: chain.sessionCase),
            let criterion = profile.nextCriterion(
                for: evaluated, isRegistered: chain.isRegistered, after: chain.lastPriority)
        else { return .proceed(chain) }
        var waiting = chain
        waiting.lastPriority = criterion.priority
        waiting.defaultHandling = criterion.applicationServer.defaultHandling
        let token = randomHex(12)
        originalDialogs.expire(now: now)
        originalDialogs.insert(waiting, token: token, now: now)
        return .applicationServer(
            ApplicationServerHop(
                server: criterion.applicationServer, priority: criterion.priority, originalDialog: token))
    }

    /// The chain of a request an AS sent back, by the ODI of the S-CSCF's Route entry; nil when unknown or lapsed
    /// (the request is then a new one, TS 24.229 §5.4.3.3 step 1 note).
    public mutating func resume(originalDialog token: String, now: Timestamp) -> ServiceChain? {
        originalDialogs.take(token, now: now)
    }

    /// The AS that has the request of `token` failed (no answer, 408, 5xx): by its default handling the session
    /// continues with the next criterion (the chain), or is terminated (nil). TS 24.229 §5.4.3.3 step 4 notes,
    /// TS 29.228 B.2.2 `DefaultHandling`.
    public mutating func applicationServerFailed(originalDialog token: String) -> ServiceChain? {
        guard let chain = originalDialogs.peek(token) else { return nil }
        originalDialogs.remove(token)
        return chain.defaultHandling == .sessionContinued ? chain : nil
    }

    /// The unexpired contacts of `identity`, the most recently registered first (the order a single-target
    /// delivery tries them in; a fork rings them all).
    public func contacts(of identity: PublicIdentity, now: Timestamp) -> [ContactBinding] {
        bindings(of: identity).filter { now < $0.expiresAt }.sorted { $0.registeredAt > $1.registeredAt }
    }

    /// Chains waiting at application servers.
    public var waitingChainCount: Int { originalDialogs.count }
}

extension ServingCSCF {
    /// Whether a chain waits under `token` here.
    public func hasWaitingChain(_ token: String) -> Bool { originalDialogs.peek(token) != nil }
}

extension ServingCSCF {
    /// The service profile of a callee that is not registered, from the HSS (SAR unregistered-user,
    /// TS 24.229 §5.4.3.3 step 1, TS 29.228 §6.1.2): its terminating-unregistered criteria send the call to a
    /// voicemail or announcement AS. Nil when the HSS has none or does not answer (the call then gets 480).
    public func unregisteredServiceProfile(of identity: PublicIdentity) -> ServiceProfile? {
        let request = ServerAssignmentRequest(
            publicIdentity: identity, privateIdentity: nil, serverName: configuration.serverName,
            type: .unregisteredUser)
        guard let answer = try? cx.serverAssignment(request), answer.result.isSuccess else { return nil }
        return answer.profile?.implicitSet.first { $0.identity == identity }?.serviceProfile
    }
}
