import SIPMessage
import Testing

@testable import SIPStack

/// Session timers per leg (RFC 4028): each leg negotiates its own interval and refresher, and Gatehouse refreshes
/// where the peer will not.
@Suite struct CallLegsSessionTimerTests {
    typealias F = B2BUAFixtures
    static let settings = SessionTimerSettings(interval: 1800, minimum: 120)

    @Test func outboundInviteAsksForGatehousesOwnInterval() throws {
        var generator = SeededIdentifierGenerator(seed: 1)
        let inbound = try F.inboundInvite(sessionExpires: "600;refresher=uac")
        let (invite, _) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, sessionTimers: Self.settings,
            generator: &generator)
        #expect(invite.headers.firstString(.sessionExpires) == "1800")
        #expect(invite.headers.firstString(.minSE) == "120")
        #expect(try invite.headers.optionTags(.supported) == [.timer])
    }

    @Test func anIntervalBelowMinSEIs422() throws {
        var generator = SeededIdentifierGenerator(seed: 2)
        let inbound = try F.inboundInvite(sessionExpires: "90")
        #expect {
            try CallLegs.makeOutgoingInvite(
                from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, sessionTimers: Self.settings,
                generator: &generator)
        } throws: { error in
            guard let error = error as? B2BUAError else { return false }
            var response = try SIPMessage(parsing: "SIP/2.0 422 Session Interval Too Small\r\n\r\n")
            error.decorate(&response)
            return error.status.code == 422 && response.headers.firstString(.minSE) == "120"
        }
    }

    /// A 422 from the callee: the INVITE again with its Min-SE, the next CSeq and a new branch; only once.
    @Test func aCallees422IsRetriedWithItsMinSE() throws {
        var generator = SeededIdentifierGenerator(seed: 5)
        let inbound = try F.inboundInvite()
        var (invite, legs) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, sessionTimers: Self.settings,
            generator: &generator)
        let tooSmall = try F.calleeResponse(to: invite, 422, "Session Interval Too Small", extra: ["Min-SE: 3600"])
        let retry = try #require(legs.retryOutboundInvite(after: tooSmall, generator: &generator))
        #expect(try retry.cseq == CSeq(2, .invite))
        #expect(try retry.topVia.branch != invite.topVia.branch)
        #expect(try retry.callID.value == invite.callID.value && retry.from.tag == invite.from.tag)
        #expect(retry.headers.firstString(.sessionExpires) == "3600")
        #expect(retry.headers.firstString(.minSE) == "3600")
        #expect(Array(retry.body) == Array(invite.body))
        #expect(legs.outbound.initialInviteSequence == 2)
        #expect(legs.retryOutboundInvite(after: tooSmall, generator: &generator) == nil, "only once")

        let ok = try legs.mapResponseToInbound(
            F.calleeResponse(to: retry, 200, "OK", extra: ["Session-Expires: 3600;refresher=uac"], body: F.sdp),
            inboundRequest: inbound)
        #expect(ok.statusCode == 200)
        #expect(legs.outbound.sessionTimer?.interval == 3600)
    }

    /// The callee refreshes its leg; the caller, which supports timers and named no refresher, refreshes its own.
    @Test func eachLegKeepsItsOwnRefresher() throws {
        var generator = SeededIdentifierGenerator(seed: 3)
        let inbound = try F.inboundInvite(sessionExpires: "900")
        var (invite, legs) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, sessionTimers: Self.settings,
            generator: &generator)
        let ok = try legs.mapResponseToInbound(
            F.calleeResponse(
                to: invite, 200, "OK", extra: ["Require: timer", "Session-Expires: 1800;refresher=uas"], body: F.sdp),
            inboundRequest: inbound)
        #expect(
            legs.outbound.sessionTimer == LegSessionTimer(interval: 1800, refresher: .peer, peerSupportsTimer: true))
        #expect(legs.inbound.sessionTimer == LegSessionTimer(interval: 900, refresher: .peer, peerSupportsTimer: true))
        #expect(ok.headers.firstString(.sessionExpires) == "900;refresher=uac")
        #expect(try ok.headers.optionTags(.require) == [.timer])
        #expect(legs.inbound.sessionTimer?.expiryDelay == .seconds(868))
    }

    /// A caller without session timers and a callee that ignores them: Gatehouse refreshes both legs itself.
    @Test func gatehouseRefreshesLegsWhoseEndpointsWillNot() throws {
        let inbound = try F.inboundInvite(supported: "100rel", sessionExpires: nil)
        var (legs, generator) = try F.establishedCall(sessionTimers: Self.settings, inbound: inbound)
        #expect(legs.inbound.sessionTimer?.refresher == .gatehouse)
        #expect(legs.outbound.sessionTimer?.refresher == .gatehouse)
        #expect(legs.outbound.sessionTimer?.interval == 1800)
        #expect(legs.inbound.sessionTimer?.refreshDelay == .seconds(900))

        // The caller allows UPDATE: a bodiless UPDATE refreshes its leg.
        let update = try #require(legs.makeSessionRefresh(on: .inbound, generator: &generator))
        #expect(update.method == .update)
        #expect(update.body.isEmpty)
        #expect(update.headers.firstString(.sessionExpires) == "1800;refresher=uac")
        #expect(try update.callID.value == legs.inbound.callID)
        F.expectNone(of: F.outboundSecrets, in: update)

        // The callee listed no Allow: a re-INVITE offers the last SDP Gatehouse sent it, and its 2xx is ACKed.
        let reinvite = try #require(legs.makeSessionRefresh(on: .outbound, generator: &generator))
        #expect(reinvite.method == .invite)
        #expect(try reinvite.cseq == CSeq(2, .invite))
        #expect(Array(reinvite.body) == Array(F.sdp.utf8))
        #expect(legs.outbound.hasPendingOutgoingReinvite)
        #expect(legs.makeSessionRefresh(on: .outbound, generator: &generator) == nil)
        let ack = try #require(
            legs.sessionRefreshAnswered(
                F.calleeResponse(to: reinvite, 200, "OK", extra: ["Session-Expires: 1200;refresher=uac"], body: F.sdp),
                on: .outbound, generator: &generator))
        #expect(try ack.cseq == CSeq(2, .ack))
        #expect(!legs.outbound.hasPendingOutgoingReinvite)
        #expect(legs.outbound.sessionTimer?.interval == 1200)
    }

    /// A callee that grants less than Gatehouse's minimum does not make it refresh any faster.
    @Test func aGrantedIntervalBelowTheMinimumIsRaised() throws {
        let (legs, _) = try F.establishedCall(
            sessionTimers: Self.settings, calleeAnswer: ["Session-Expires: 1;refresher=uac"])
        #expect(legs.outbound.sessionTimer?.interval == 120)
        #expect(legs.outbound.sessionTimer?.refreshDelay == .seconds(60))
    }

    /// A refresh relayed from one leg refreshes both, each with its own headers.
    @Test func aRelayedRefreshCarriesEachLegsOwnHeaders() throws {
        var (legs, generator) = try F.establishedCall(
            sessionTimers: Self.settings, calleeAnswer: ["Supported: timer", "Session-Expires: 1800;refresher=uac"])
        let inboundUpdate = try F.callerRequest(
            "UPDATE", cseq: 315, legs: legs, extra: ["Supported: timer", "Session-Expires: 1800;refresher=uac"])
        let update = try F.forwarded(legs.mapRequest(inboundUpdate, receivedOn: .inbound, generator: &generator))
        #expect(update.headers.firstString(.sessionExpires) == "1800;refresher=uac")
        let ok = try legs.mapResponse(
            F.calleeResponse(to: update, 200, "OK", extra: ["Session-Expires: 1800;refresher=uac"]),
            receivedOn: .outbound, answering: inboundUpdate)
        #expect(ok.headers.firstString(.sessionExpires) == "1800;refresher=uac")
        #expect(legs.inbound.sessionTimer?.refresher == .peer)
        #expect(legs.outbound.sessionTimer?.refresher == .gatehouse)
    }
}
