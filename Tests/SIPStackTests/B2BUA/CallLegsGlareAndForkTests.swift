import SIPMessage
import Testing

@testable import SIPStack

/// Crossing re-INVITEs (RFC 3261 §14.2), second answers from other forks (§13.2.2.4), and Gatehouse's own BYE.
@Suite struct CallLegsGlareAndForkTests {
    typealias F = B2BUAFixtures

    @Test func crossingReinvitesAreGlare() throws {
        var (legs, generator) = try F.establishedCall()
        let calleeReinvite = try F.calleeRequest("INVITE", cseq: 9, legs: legs, body: F.sdp)
        let relayed = try F.forwarded(legs.mapRequest(calleeReinvite, receivedOn: .outbound, generator: &generator))

        let callerReinvite = try F.callerRequest("INVITE", cseq: 315, legs: legs, body: F.sdp)
        guard case .respond(let glare) = legs.mapRequest(callerReinvite, receivedOn: .inbound, generator: &generator)
        else {
            Issue.record("the caller's re-INVITE crossing the callee's is glare")
            return
        }
        #expect(glare.status.code == 491)

        let again = try F.calleeRequest("INVITE", cseq: 10, legs: legs, body: F.sdp)
        guard case .respond(let pending) = legs.mapRequest(again, receivedOn: .outbound, generator: &generator) else {
            Issue.record("a second re-INVITE before the first is answered is refused")
            return
        }
        #expect(pending.status.code == 500 && pending.retryAfter == 2)

        _ = try legs.mapResponse(
            F.callerResponse(to: relayed, 200, "OK", contact: "<sip:alice@10.9.8.7:5077>", body: F.sdp),
            receivedOn: .inbound, answering: calleeReinvite)
        let later = try F.callerRequest("INVITE", cseq: 316, legs: legs, body: F.sdp)
        _ = try F.forwarded(legs.mapRequest(later, receivedOn: .inbound, generator: &generator))
    }

    @Test func aSecondForkThatAnswersIsAcknowledgedAndHungUp() throws {
        var generator = SeededIdentifierGenerator(seed: 4)
        let inbound = try F.inboundInvite()
        var (invite, legs) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, generator: &generator)
        let winner = try F.calleeResponse(to: invite, 200, "OK", body: F.sdp)
        #expect(legs.releaseFork(winner, generator: &generator) == nil)
        _ = try legs.mapResponseToInbound(winner, inboundRequest: inbound)
        #expect(legs.releaseFork(winner, generator: &generator) == nil, "a retransmission of the winner is relayed")

        let loser = try F.calleeResponse(
            to: invite, 200, "OK", toTag: "btag-fork2", contact: "<sip:fork2@uas2.b-side.example:5092>", body: F.sdp)
        let (ack, bye) = try #require(legs.releaseFork(loser, generator: &generator))
        #expect(ack.requestLine == RequestLine(method: .ack, uri: "sip:fork2@uas2.b-side.example:5092"))
        #expect(try ack.cseq == CSeq(1, .ack))
        #expect(try ack.to.tag == "btag-fork2")
        let hangUp = try #require(bye)
        #expect(try hangUp.cseq == CSeq(2, .bye))
        #expect(try hangUp.to.tag == "btag-fork2")
        #expect(try hangUp.callID.value == legs.outbound.callID)
        F.expectNone(of: F.inboundSecrets, in: hangUp)

        let (ackAgain, noSecondBye) = try #require(legs.releaseFork(loser, generator: &generator))
        #expect(ackAgain.method == .ack)
        #expect(noSecondBye == nil)
        #expect(legs.outbound.dialog?.id.remoteTag == "btag-9876")
    }

    @Test func gatehouseHangsUpBothLegs() throws {
        var (legs, generator) = try F.establishedCall()
        let toCaller = try #require(
            legs.makeBye(on: .inbound, cause: 408, reason: "Session expired", generator: &generator))
        #expect(toCaller.requestLine == RequestLine(method: .bye, uri: "sip:alice@pbx-internal.a-side.example:5071"))
        #expect(toCaller.headers.firstString(.reason) == "SIP;cause=408;text=\"Session expired\"")
        F.expectNone(of: F.outboundSecrets, in: toCaller)
        let toCallee = try #require(
            legs.makeBye(on: .outbound, cause: 408, reason: "Session expired", generator: &generator))
        #expect(try toCallee.callID.value == legs.outbound.callID)
        F.expectNone(of: F.inboundSecrets, in: toCallee)
        #expect(legs.inbound.dialog?.state == .terminated && legs.outbound.dialog?.state == .terminated)
        #expect(legs.makeBye(on: .inbound, cause: 408, reason: "again", generator: &generator) == nil)
    }
}
