import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// `calls_per_second` counts new calls: initial INVITEs (no To tag). A re-INVITE inside a call, or a session
/// refresh, is not a new call and must not use up, or be refused by, the peer's call rate.
@Suite struct CallRateTests {
    static let pbx = ipv4(127, 0, 0, 2)

    @Test func theCallsFilterCountsOnlyInitialInvites() {
        #expect(MessageFilter.calls.matches(.invite, isResponse: false, isInitialRequest: true))
        #expect(!MessageFilter.calls.matches(.invite, isResponse: false, isInitialRequest: false))
        #expect(!MessageFilter.calls.matches(.invite, isResponse: true, isInitialRequest: false))
        #expect(!MessageFilter.calls.matches(.options, isResponse: false, isInitialRequest: true))
        #expect(!MessageFilter.calls.matches(.cancel, isResponse: false, isInitialRequest: true))
        // Every INVITE, for a limit that means it.
        #expect(MessageFilter.invites.matches(.invite, isResponse: false, isInitialRequest: false))
        #expect(MessageFilter.invites.matches(.invite, isResponse: false, isInitialRequest: true))
        #expect(MessageFilter.allMessages.matches(.invite, isResponse: true, isInitialRequest: false))
        #expect(MessageFilter.calls.description == "initial-INVITE")
        #expect(MessageFilter.invites.description == "INVITE")
    }

    @Test func reInvitesNeitherChargeNorMeetTheCallRate() throws {
        var limiter = try RateLimiter(
            RateLimiter.Configuration(rules: [
                RateLimitRule(id: "calls", scope: .eachPeer, counted: .calls, rate: .perSecond(2), burst: 2)
            ]))
        func admit(initial: Bool, at now: AdmissionInstant) -> RateLimiter.Outcome {
            limiter.admit(
                source: Self.pbx, peer: "pbx", realm: "access", method: .invite, isInitialRequest: initial,
                isResponse: false, at: now)
        }
        #expect(admit(initial: true, at: .zero) == .allowed)
        for _ in 0..<50 { #expect(admit(initial: false, at: .zero) == .allowed) }
        #expect(admit(initial: true, at: .zero) == .allowed)
        guard case .exceeded(let rule, let key, _) = admit(initial: true, at: .zero) else {
            Issue.record("a third new call within the burst of 2 was admitted")
            return
        }
        #expect(rule.id == "calls")
        #expect(key == RateLimitKey(scope: .peer("pbx"), counted: .calls))
        // With the bucket empty, calls in progress can still renegotiate.
        for _ in 0..<50 { #expect(admit(initial: false, at: .zero) == .allowed) }
    }

    /// The policy's `calls_per_second` compiles to the `.calls` filter; `messages_per_second` still counts every
    /// message, re-INVITEs included.
    @Test func thePolicysCallRateCountsNewCallsOnly() throws {
        let policy = try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: t }
                realms:
                  access: { listen: ["udp://127.0.0.10:5060"] }
                peers:
                  pbx:
                    realm: access
                    addresses: [127.0.0.2]
                    limits: { calls_per_second: 1, concurrent_calls: 1 }
                  chatty:
                    realm: access
                    addresses: [127.0.0.4]
                    limits: { messages_per_second: 3 }
                """, file: "test.yaml")
        var control = try AdmissionControl(AdmissionConfiguration(policy: policy))
        let callRate = AdmissionReason(
            .rateLimited, scope: .peer, counted: .calls, rule: "peer.pbx.calls_per_second")

        #expect(control.admit(.message(from: Self.pbx, peer: "pbx", realm: "access", callID: "a", at: .zero)) == .admit)
        for _ in 0..<10 {
            #expect(
                control.admit(
                    .message(from: Self.pbx, peer: "pbx", realm: "access", initial: false, callID: "a", at: .zero))
                    == .admit)
        }
        #expect(
            control.admit(.message(from: Self.pbx, peer: "pbx", realm: "access", callID: "b", at: .zero))
                == .reject(status: .serviceUnavailable, retryAfter: 1, reason: callRate))
        // A re-INVITE takes no call slot either: call a holds the only one.
        #expect(control.calls.total == 1)
        #expect(
            control.admit(.message(from: Self.pbx, peer: "pbx", realm: "access", callID: "c", at: at(1)))
                == .reject(
                    status: .serviceUnavailable, retryAfter: 5, reason: AdmissionReason(.peerCallLimit, scope: .peer)))
        #expect(
            control.admit(
                .message(from: Self.pbx, peer: "pbx", realm: "access", initial: false, callID: "a", at: at(1)))
                == .admit)
        #expect(control.calls.total == 1)

        let chatty = ipv4(127, 0, 0, 4)
        for _ in 0..<3 {
            #expect(
                control.admit(.message(from: chatty, peer: "chatty", realm: "access", initial: false, at: .zero))
                    == .admit)
        }
        #expect(
            control.admit(.message(from: chatty, peer: "chatty", realm: "access", initial: false, at: .zero))
                != .admit)
    }

    /// The whole ingress path: the To tag of a parsed request decides whether it is a new call.
    @Test func ingressTellsReInvitesFromNewCallsByTheToTag() throws {
        let policy = try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: t }
                realms:
                  access: { listen: ["udp://127.0.0.10:5060"] }
                peers:
                  pbx:
                    realm: access
                    addresses: [127.0.0.2]
                    limits: { calls_per_second: 1 }
                """, file: "test.yaml")
        let border = BorderPolicy(policy: policy)
        var admission = try AdmissionControl(border.admission)
        let arrival = IngressArrival(source: Self.pbx, realm: "access", now: .zero)
        func ingress(_ message: SIPMessage) throws(IngressRejection) {
            var message = message
            var trace = PipelineTrace.off
            _ = try border.ingress(&message, arrival: arrival, admission: &admission, trace: &trace)
        }
        let call = try SanityFixtures.message(SanityFixtures.invite)
        let reInvite = try SanityFixtures.message(
            SanityFixtures.invite.setting("To", "<sip:+15551230000@127.0.0.10>;tag=callee-1").setting(
                "CSeq", "2 INVITE"))
        let nextCall = try SanityFixtures.message(SanityFixtures.invite.setting("Call-ID", "sanity-2@127.0.0.2"))

        try ingress(call)
        for _ in 0..<5 { try ingress(reInvite) }
        let refusal = #expect(throws: IngressRejection.self) { try ingress(nextCall) }
        #expect(refusal?.stage == .admission)
        #expect(refusal?.code == "rate-limited")
        #expect(refusal?.status == .serviceUnavailable)
    }
}
