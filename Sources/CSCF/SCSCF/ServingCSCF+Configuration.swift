extension ServingCSCF {
    /// What the S-CSCF is called and the limits its registrar and authentication keep.
    public struct Configuration: Hashable, Sendable {
        /// The S-CSCF's SIP URI, such as `sip:scscf.ims.gatehouse.test`: its name in Cx requests and, with user
        /// `orig`, the Service-Route it hands out (RFC 3608).
        public var serverName: String
        /// The realm of AKA challenges, such as `ims.gatehouse.test` (digest challenges use the realm the HSS bound
        /// the subscriber's HA1 to).
        public var realm: String
        /// The shortest non-zero registration accepted; shorter ones are answered 423 with Min-Expires. Default 60.
        public var minExpires: Int
        /// The longest registration granted; longer requests are shortened to it. Default 7200.
        public var maxExpires: Int
        /// The registration used when neither the contact nor the request says. Default 3600 (RFC 3261 §10.2.1.1).
        public var defaultExpires: Int
        /// Seconds a challenge's nonce (and AKA vector) may be answered in (timer reg-await-auth). Default 30.
        public var challengeLifetime: Int
        /// Contacts one registration set may hold; past it the set's binding nearest expiry is dropped. Default 10.
        public var maxContactsPerSet: Int
        /// Challenges kept per private identity awaiting an answer; the oldest is dropped past it. Default 4.
        public var maxChallengesPerIdentity: Int
        /// Challenges kept in all awaiting an answer; the oldest is dropped past it. Default 10 000.
        public var maxPendingChallenges: Int

        public init(
            serverName: String, realm: String, minExpires: Int = 60, maxExpires: Int = 7200,
            defaultExpires: Int = 3600, challengeLifetime: Int = 30, maxContactsPerSet: Int = 10,
            maxChallengesPerIdentity: Int = 4, maxPendingChallenges: Int = 10_000
        ) {
            self.serverName = serverName
            self.realm = realm
            self.minExpires = minExpires
            self.maxExpires = maxExpires
            self.defaultExpires = defaultExpires
            self.challengeLifetime = challengeLifetime
            self.maxContactsPerSet = maxContactsPerSet
            self.maxChallengesPerIdentity = maxChallengesPerIdentity
            self.maxPendingChallenges = maxPendingChallenges
        }
    }
}
