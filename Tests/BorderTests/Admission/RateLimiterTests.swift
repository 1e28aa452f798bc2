import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

@Suite struct RateLimiterTests {
    static let carrier = ipv4(127, 0, 0, 3)
    static let pbx = ipv4(127, 0, 0, 2)

    static func limiter(_ rules: [RateLimitRule]) throws -> RateLimiter {
        try RateLimiter(RateLimiter.Configuration(rules: rules))
    }

    static func admit(
        _ limiter: inout RateLimiter, from source: IPAddress = carrier, peer: String? = "lab-carrier",
        realm: String = "interconnect", method: SIPMethod = .invite, initial: Bool = true, response: Bool = false,
        at now: AdmissionInstant
    ) -> RateLimiter.Outcome {
        limiter.admit(
            source: source, peer: peer, realm: realm, method: method, isInitialRequest: initial, isResponse: response,
            at: now)
    }

    @Test func onePeersLimitDoesNotAffectAnother() throws {
        var limiter = try Self.limiter([
            RateLimitRule(id: "peer-invites", scope: .eachPeer, counted: .invites, rate: .perSecond(20), burst: 20)
        ])
        for _ in 0..<20 { #expect(Self.admit(&limiter, at: .zero) == .allowed) }
        guard case .exceeded(let rule, let key, let wait) = Self.admit(&limiter, at: .zero) else {
            Issue.record("the 21st INVITE of the second was admitted")
            return
        }
        #expect(rule.id == "peer-invites")
        #expect(key == RateLimitKey(scope: .peer("lab-carrier"), counted: .invites))
        #expect(wait == .milliseconds(50))
        // lab-pbx has its own bucket, full.
        for _ in 0..<20 {
            #expect(Self.admit(&limiter, from: Self.pbx, peer: "lab-pbx", realm: "access", at: .zero) == .allowed)
        }
    }

    @Test func methodFiltersCountOnlyTheirMethod() throws {
        var limiter = try Self.limiter([
            RateLimitRule(id: "register", scope: .eachIPAddress, counted: .registers, rate: .perSecond(1), burst: 1)
        ])
        #expect(Self.admit(&limiter, method: .register, at: .zero) == .allowed)
        #expect(Self.admit(&limiter, method: .register, at: .zero) != .allowed)
        for _ in 0..<100 {
            #expect(Self.admit(&limiter, method: .invite, at: .zero) == .allowed)
            #expect(Self.admit(&limiter, method: .register, response: true, at: .zero) == .allowed)
        }
        #expect(Self.admit(&limiter, method: .register, at: at(1)) == .allowed)
    }

    @Test func allMessagesCountsResponsesToo() throws {
        var limiter = try Self.limiter([
            RateLimitRule(id: "all", scope: .eachIPAddress, counted: .allMessages, rate: .perSecond(2), burst: 2)
        ])
        #expect(Self.admit(&limiter, method: .options, at: .zero) == .allowed)
        #expect(Self.admit(&limiter, method: .invite, response: true, at: .zero) == .allowed)
        #expect(Self.admit(&limiter, method: .bye, at: .zero) != .allowed)
    }

    @Test func mostSpecificScopeDecidesAndARejectedMessageChargesNothing() throws {
        var limiter = try Self.limiter([
            RateLimitRule(id: "global", scope: .global, counted: .allMessages, rate: .perSecond(10), burst: 10),
            RateLimitRule(
                id: "source", scope: .eachIPAddress, counted: .allMessages, rate: .perSecond(2), burst: 2),
        ])
        #expect(Self.admit(&limiter, at: .zero) == .allowed)
        #expect(Self.admit(&limiter, at: .zero) == .allowed)
        for _ in 0..<50 {
            guard case .exceeded(let rule, _, _) = Self.admit(&limiter, at: .zero) else {
                Issue.record("a flood over the source limit was admitted")
                return
            }
            #expect(rule.id == "source")
        }
        // The flood used 2 of the 10 global tokens; eight other sources still get in.
        for last in 10..<18 { #expect(Self.admit(&limiter, from: ipv4(192, 0, 2, UInt8(last)), at: .zero) == .allowed) }
        guard case .exceeded(let rule, _, _) = Self.admit(&limiter, from: ipv4(192, 0, 2, 99), at: .zero) else {
            Issue.record("the global limit did not hold")
            return
        }
        #expect(rule.id == "global")
    }

    @Test func aNamedPeerRuleReplacesTheDefaultForThatPeer() throws {
        var limiter = try Self.limiter([
            RateLimitRule(id: "default", scope: .eachPeer, counted: .invites, rate: .perSecond(2), burst: 2),
            RateLimitRule(id: "carrier", scope: .peer("lab-carrier"), counted: .invites, rate: .perSecond(5), burst: 5),
        ])
        for _ in 0..<5 { #expect(Self.admit(&limiter, at: .zero) == .allowed) }
        guard case .exceeded(let rule, _, _) = Self.admit(&limiter, at: .zero) else {
            Issue.record("lab-carrier went over its own limit")
            return
        }
        #expect(rule.id == "carrier")
        #expect(Self.admit(&limiter, from: Self.pbx, peer: "lab-pbx", at: .zero) == .allowed)
        #expect(Self.admit(&limiter, from: Self.pbx, peer: "lab-pbx", at: .zero) == .allowed)
        guard case .exceeded(let other, _, _) = Self.admit(&limiter, from: Self.pbx, peer: "lab-pbx", at: .zero) else {
            Issue.record("lab-pbx went over the default limit")
            return
        }
        #expect(other.id == "default")
        // Messages from no known peer are not counted per peer.
        for _ in 0..<10 { #expect(Self.admit(&limiter, from: ipv4(192, 0, 2, 1), peer: nil, at: .zero) == .allowed) }
    }

    @Test func realmLimitsApplyPerRealm() throws {
        var limiter = try Self.limiter([
            RateLimitRule(id: "realm", scope: .eachRealm, counted: .allMessages, rate: .perSecond(1), burst: 1),
            RateLimitRule(id: "access", scope: .realm("access"), counted: .allMessages, rate: .perSecond(3), burst: 3),
        ])
        #expect(Self.admit(&limiter, realm: "interconnect", at: .zero) == .allowed)
        #expect(Self.admit(&limiter, realm: "interconnect", at: .zero) != .allowed)
        for _ in 0..<3 { #expect(Self.admit(&limiter, realm: "access", at: .zero) == .allowed) }
        #expect(Self.admit(&limiter, realm: "access", at: .zero) != .allowed)
    }

    @Test func configurationErrorsCarryCodes() {
        func code(_ rules: [RateLimitRule], capacity: Int = 10) -> AdmissionConfigurationError.Code? {
            do {
                _ = try RateLimiter(RateLimiter.Configuration(rules: rules, sourceCapacity: capacity))
                return nil
            } catch {
                return error.code
            }
        }
        let good = RateLimitRule(id: "a", scope: .global, counted: .invites, rate: .perSecond(1), burst: 1)
        var zeroRate = good
        zeroRate.rate = .perSecond(0)
        var zeroBurst = good
        zeroBurst.burst = 0
        var sameTarget = good
        sameTarget.id = "b"
        var sameID = good
        sameID.counted = .registers
        #expect(code([good]) == nil)
        #expect(code([zeroRate]) == .invalidRate)
        #expect(code([zeroBurst]) == .invalidBurst)
        #expect(code([good, sameTarget]) == .duplicateRule)
        #expect(code([good, sameID]) == .duplicateRule)
        #expect(code([good], capacity: 0) == .invalidLimit)
    }

    @Test func sweepForgetsOnlyRefilledBuckets() throws {
        var limiter = try Self.limiter([
            RateLimitRule(id: "source", scope: .eachIPAddress, counted: .allMessages, rate: .perSecond(1), burst: 4)
        ])
        _ = Self.admit(&limiter, from: ipv4(192, 0, 2, 1), at: .zero)
        _ = Self.admit(&limiter, from: ipv4(192, 0, 2, 2), at: at(3))
        #expect(limiter.sourceBucketCount == 2)
        #expect(limiter.sweep(at: at(2)) == 1)
        #expect(
            limiter.bucket(for: RateLimitKey(scope: .sourceAddress(ipv4(192, 0, 2, 2)), counted: .allMessages)) != nil)
        #expect(limiter.sweep(at: at(4)) == 1)
        #expect(limiter.sourceBucketCount == 0)
    }
}
