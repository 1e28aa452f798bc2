import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

@Suite struct AdmissionControlTests {
    static let carrier = ipv4(127, 0, 0, 3)
    static let pbx = ipv4(127, 0, 0, 2)
    static let attacker = ipv4(203, 0, 113, 66)

    static let peerInvites = RateLimitRule(
        id: "peer-invites", scope: .eachPeer, counted: .invites, rate: .perSecond(20), burst: 20)
    static let sourceMessages = RateLimitRule(
        id: "source-messages", scope: .eachIPAddress, counted: .allMessages, rate: .perSecond(50), burst: 50,
        action: .drop)

    static func control(
        rules: [RateLimitRule] = [peerInvites, sourceMessages],
        calls: ConcurrencyLimiter.Configuration = ConcurrencyLimiter.Configuration(perPeer: 100),
        overload: OverloadGuard.Configuration? = OverloadGuard.Configuration(highWatermark: 1_000, lowWatermark: 800),
        offenders: OffenderTracker.Configuration? = OffenderTracker.Configuration(threshold: 10, window: .seconds(5))
    ) throws -> AdmissionControl {
        try AdmissionControl(
            AdmissionConfiguration(
                rateLimits: RateLimiter.Configuration(rules: rules), calls: calls, overload: overload,
                blocklist: Blocklist.Configuration(allowlist: [IPPrefix(parsing: "127.0.0.0/29")!]),
                offenders: offenders))
    }

    static let peerInviteLimit = AdmissionReason(
        .rateLimited, scope: .peer, counted: .invites, rule: "peer-invites")
    static let sourceLimit = AdmissionReason(
        .rateLimited, scope: .sourceAddress, counted: .allMessages, rule: "source-messages")

    @Test func aPeerAboveItsLimitGets503sInProportionAndOthersAreUntouched() throws {
        // What the SIPp test will do: lab-carrier offers 40 calls per second for 10 s against a limit of 20.
        var control = try Self.control()
        var time = FakeTime()
        var carrierRejects = 0
        var pbxRejects = 0
        for index in 0..<400 {
            time.advance(by: .milliseconds(25))
            let carrierCall = control.admit(
                .message(from: Self.carrier, peer: "lab-carrier", callID: "c\(index)", at: time.now))
            if case .reject(let status, let retryAfter, let reason) = carrierCall {
                #expect(status == .serviceUnavailable)
                #expect(retryAfter == 1)
                #expect(reason == Self.peerInviteLimit)
                carrierRejects += 1
            } else {
                #expect(carrierCall == .admit)
                control.release(callID: "c\(index)")
            }
            if index % 4 == 0 {
                let pbxCall = control.admit(
                    .message(from: Self.pbx, peer: "lab-pbx", realm: "access", callID: "p\(index)", at: time.now))
                if pbxCall != .admit { pbxRejects += 1 }
                control.release(callID: "p\(index)")
            }
        }
        // The burst of 20, then a token every 50 ms over the 9.975 s from the first INVITE to the last (199): 219
        // admitted, 181 of 400 (45 %) rejected; and none of lab-pbx's 10 calls per second.
        #expect(carrierRejects == 181)
        #expect(pbxRejects == 0)
        #expect(control.counters[.rejected, Self.peerInviteLimit] == 181)
        #expect(control.counters.total(.admitted) == 219 + 100)
        #expect(control.counters.decisions == 500)
    }

    @Test func theBlocklistComesFirstAndChargesNothing() throws {
        var control = try Self.control(overload: OverloadGuard.Configuration(highWatermark: 1, lowWatermark: 0))
        control.updateLoad(5, at: .zero)
        control.block(Self.attacker, for: .seconds(30), at: .zero)
        let decision = control.admit(.message(from: Self.attacker, at: at(1)))
        let reason = AdmissionReason(.blockedByOperator, scope: .sourceAddress)
        #expect(decision == .blocked(until: at(30), reason: reason))
        #expect(control.rateLimiter.sourceBucketCount == 0)
        #expect(control.counters[.blocked, reason] == 1)
        #expect(control.counters[.blocklistAdded, reason] == 1)
        #expect(control.counters[.overloadEntered, AdmissionReason(.overloaded, scope: .global)] == 1)
        control.unblock(Self.attacker)
        #expect(control.admit(.message(from: Self.attacker, method: .options, at: at(2))) == .admit)
    }

    @Test func overloadRefusesNewInvitesBeforeRateLimitsAndLetsDialogsThrough() throws {
        var control = try Self.control(
            overload: OverloadGuard.Configuration(
                highWatermark: 100, lowWatermark: 50, action: .reject503(retryAfter: .fixed(seconds: 30))))
        #expect(control.updateLoad(120, at: .zero) == .enteredOverload)
        let overloaded = AdmissionReason(.overloaded, scope: .global)
        #expect(
            control.admit(.message(from: Self.carrier, peer: "lab-carrier", at: .zero))
                == .reject(status: .serviceUnavailable, retryAfter: 30, reason: overloaded))
        #expect(control.rateLimiter.sharedBucketCount == 0)
        #expect(control.calls.total == 0)
        #expect(
            control.admit(.message(from: Self.carrier, peer: "lab-carrier", method: .bye, initial: false, at: .zero))
                == .admit)
        #expect(control.admit(.message(from: Self.carrier, peer: "lab-carrier", initial: false, at: .zero)) == .admit)
        #expect(control.admit(.message(from: Self.pbx, method: .register, at: .zero)) == .admit)
        #expect(control.updateLoad(70, at: at(1)) == nil)
        #expect(control.admit(.message(from: Self.carrier, peer: "lab-carrier", at: at(1))) != .admit)
        #expect(control.updateLoad(50, at: at(2)) == .leftOverload)
        #expect(control.admit(.message(from: Self.carrier, peer: "lab-carrier", at: at(2))) == .admit)
        #expect(control.counters[.rejected, overloaded] == 2)
        #expect(control.counters[.overloadLeft, overloaded] == 1)
    }

    @Test func actionsComputedRetryAfterAndUnanswerableMessages() throws {
        let slow = RateLimitRule(
            id: "slow", scope: .eachIPAddress, counted: .allMessages, rate: TokenRate(tokens: 1, per: .seconds(7)),
            burst: 1)
        var control = try Self.control(rules: [slow], offenders: nil)
        let reason = AdmissionReason(.rateLimited, scope: .sourceAddress, counted: .allMessages, rule: "slow")
        #expect(control.admit(.message(from: Self.attacker, method: .options, at: .zero)) == .admit)
        #expect(
            control.admit(.message(from: Self.attacker, method: .options, at: atMilliseconds(2_500)))
                == .reject(status: .serviceUnavailable, retryAfter: 5, reason: reason))
        // An ACK or a response cannot be answered: the 503 becomes a drop.
        #expect(
            control.admit(.message(from: Self.attacker, method: .ack, initial: false, at: at(3)))
                == .drop(reason: reason))
        #expect(control.admit(.message(from: Self.attacker, response: true, at: at(3))) == .drop(reason: reason))
        #expect(control.counters[.rejected, reason] == 1)
        #expect(control.counters[.dropped, reason] == 2)
    }

    @Test func aCallTakesASlotOnlyWhenAdmitted() throws {
        let invites = RateLimitRule(id: "invites", scope: .eachPeer, counted: .invites, rate: .perSecond(1), burst: 1)
        var control = try Self.control(
            rules: [invites], calls: ConcurrencyLimiter.Configuration(total: 1, perPeer: 1))
        #expect(control.admit(.message(from: Self.carrier, peer: "lab-carrier", callID: "a", at: .zero)) == .admit)
        // Rate-limited: no slot.
        #expect(control.admit(.message(from: Self.carrier, peer: "lab-carrier", callID: "b", at: .zero)) != .admit)
        #expect(control.calls.total == 1)
        #expect(!control.calls.holds("b"))
        // Within the rate but over the call limit.
        let peerLimit = AdmissionReason(.peerCallLimit, scope: .peer)
        #expect(
            control.admit(.message(from: Self.carrier, peer: "lab-carrier", callID: "c", at: at(1)))
                == .reject(status: .serviceUnavailable, retryAfter: 5, reason: peerLimit))
        let released = control.release(callID: "a")
        let releasedAgain = control.release(callID: "a")
        #expect(released && !releasedAgain)
        #expect(control.admit(.message(from: Self.carrier, peer: "lab-carrier", callID: "d", at: at(2))) == .admit)
        let totalLimit = AdmissionReason(.totalCallLimit, scope: .global)
        #expect(
            control.admit(.message(from: Self.pbx, peer: "lab-pbx", callID: "e", at: at(2)))
                == .reject(status: .serviceUnavailable, retryAfter: 5, reason: totalLimit))
        // In-dialog INVITEs and other requests never take a slot.
        #expect(
            control.admit(.message(from: Self.pbx, peer: "lab-pbx", method: .bye, initial: false, at: at(2))) == .admit)
        #expect(control.counters[.rejected, peerLimit] == 1)
        #expect(control.counters[.rejected, totalLimit] == 1)
    }

    @Test func aFloodingSourceIsBlockedAndTheBlockExpires() throws {
        var control = try Self.control()
        var enforcer = RecordingEnforcer()
        var decisions: [AdmissionDecision] = []
        // 200 OPTIONS at once against a burst of 50: 10 drops, the 10th of which blocks the source.
        for _ in 0..<200 {
            decisions.append(
                control.admit(.message(from: Self.attacker, method: .options, at: at(1)), enforcer: &enforcer))
        }
        #expect(decisions.prefix(50).allSatisfy { $0 == .admit })
        #expect(decisions[50..<60].allSatisfy { $0 == .drop(reason: Self.sourceLimit) })
        let blockedReason = AdmissionReason(.repeatedOffender, scope: .sourceAddress)
        let until = at(61)
        #expect(decisions[60...].allSatisfy { $0 == .blocked(until: until, reason: blockedReason) })
        #expect(enforcer.entries[Self.attacker]?.until == until)
        #expect(control.blocklist.list(at: at(1)).map(\.address) == [Self.attacker])
        #expect(control.counters[.blocklistAdded, blockedReason] == 1)
        #expect(control.counters[.blocked, blockedReason] == 140)
        #expect(control.counters.decisions == 200)
        // Another source is not affected.
        #expect(control.admit(.message(from: ipv4(203, 0, 113, 67), method: .options, at: at(1))) == .admit)
        control.sweep(at: until - .nanoseconds(1), enforcer: &enforcer)
        #expect(enforcer.removed.isEmpty)
        // The block expires; the sweep lifts it in the enforcer too.
        control.sweep(at: until, enforcer: &enforcer)
        #expect(enforcer.removed == [Self.attacker])
        #expect(control.counters[.blocklistExpired, blockedReason] == 1)
        #expect(control.admit(.message(from: Self.attacker, method: .options, at: until)) == .admit)
    }

    @Test func aRepeatOffenderIsBlockedForLonger() throws {
        var control = try Self.control(
            rules: [
                RateLimitRule(
                    id: "source", scope: .eachIPAddress, counted: .allMessages, rate: .perSecond(1), burst: 1)
            ],
            offenders: OffenderTracker.Configuration(threshold: 2, window: .seconds(5), blockDuration: .seconds(10)))
        // Each round: one message admitted, two rejected; the second rejection reaches the threshold.
        func offend(at start: AdmissionInstant) -> BlocklistEntry? {
            for offset in 0..<3 {
                _ = control.admit(.message(from: Self.attacker, method: .options, at: start + .milliseconds(offset)))
            }
            return control.blocklist.entry(for: Self.attacker, at: start + .milliseconds(2))
        }
        let rounds = [offend(at: .zero), offend(at: at(11)), offend(at: at(32))]
        #expect(rounds.map { $0?.duration } == [.seconds(10), .seconds(20), .seconds(40)])
        #expect(rounds.map { $0?.escalation } == [0, 1, 2])
        #expect(control.counters.total(.blocklistAdded) == 3)
    }

    @Test func allowlistedPeersAreLimitedButNeverBlocked() throws {
        let tight = RateLimitRule(
            id: "source", scope: .eachIPAddress, counted: .allMessages, rate: .perSecond(1), burst: 1)
        var control = try Self.control(
            rules: [tight], offenders: OffenderTracker.Configuration(threshold: 1, window: .seconds(5)))
        for offset in 0..<100 {
            let decision = control.admit(
                .message(from: Self.carrier, method: .options, at: atMilliseconds(Int64(offset))))
            if case .blocked = decision { Issue.record("an allowlisted peer was blocked") }
        }
        #expect(control.blocklist.list(at: .zero).isEmpty)
        #expect(control.counters.total(.blocklistAdded) == 0)
        #expect(control.counters.total(.rejected, code: .rateLimited) == 99)
    }

    @Test func configurationIsValidatedAsAWhole() {
        #expect(throws: AdmissionConfigurationError.self) {
            try AdmissionControl(
                AdmissionConfiguration(
                    overload: OverloadGuard.Configuration(
                        highWatermark: 10, lowWatermark: 5, action: .reject503(retryAfter: .computed))))
        }
        #expect(throws: AdmissionConfigurationError.self) {
            try AdmissionControl(AdmissionConfiguration(offenders: OffenderTracker.Configuration(threshold: 0)))
        }
    }
}
