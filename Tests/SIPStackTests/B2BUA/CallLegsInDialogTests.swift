import SIPMessage
import Testing

@testable import SIPStack

/// In-dialog requests in both directions: BYE, re-INVITE and ACK, INFO, PRACK; independent CSeq spaces.
@Suite struct CallLegsInDialogTests {
    typealias F = B2BUAFixtures

    @Test func byeFromTheCaller() throws {
        var (legs, generator) = try F.establishedCall()
        let inboundBye = try F.callerRequest("BYE", cseq: 315, legs: legs, extra: ["Reason: Q.850;cause=16"])
        let bye = try F.forwarded(legs.mapRequest(inboundBye, receivedOn: .inbound, generator: &generator))
        F.expectNone(of: F.inboundSecrets + [legs.inbound.localTag], in: bye)
        #expect(bye.requestLine == RequestLine(method: .bye, uri: "sip:callee@uas.b-side.example:5090"))
        #expect(try bye.routes.map(\.uriText) == ["sip:rr.b-side.example;lr"])
        #expect(try bye.callID.value == legs.outbound.callID)
        #expect(try bye.from.tag == legs.outbound.localTag)
        #expect(try bye.to.tag == "btag-9876")
        #expect(try bye.cseq == CSeq(2, .bye))
        #expect(try bye.maxForwards == 69)
        #expect(try bye.vias.count == 1 && bye.topVia.host == .ipv4(IPv4Address(127, 0, 0, 20)))
        #expect(bye.headers.firstString(.reason) == "Q.850;cause=16")
        #expect(legs.inbound.dialog?.state == .terminated)

        let ok = try legs.mapResponse(
            F.calleeResponse(to: bye, 200, "OK"), receivedOn: .outbound, answering: inboundBye)
        F.expectNone(of: F.outboundSecrets + [legs.outbound.localTag, legs.outbound.callID], in: ok)
        #expect(try ok.cseq == CSeq(315, .bye))
        #expect(try ok.topVia.branch == "z9hG4bK-a-bye-315")
        #expect(try ok.contacts.isEmpty)
        #expect(legs.outbound.dialog?.state == .terminated)
    }

    @Test func byeFromTheCallee() throws {
        var (legs, generator) = try F.establishedCall()
        let outboundBye = try F.calleeRequest("BYE", cseq: 9, legs: legs)
        let bye = try F.forwarded(legs.mapRequest(outboundBye, receivedOn: .outbound, generator: &generator))
        F.expectNone(of: F.outboundSecrets + [legs.outbound.localTag, legs.outbound.callID], in: bye)
        #expect(bye.requestLine == RequestLine(method: .bye, uri: "sip:alice@pbx-internal.a-side.example:5071"))
        #expect(try bye.routes.map(\.uriText) == ["sip:rr.a-side.example;lr"])
        #expect(try bye.callID.value == "a-leg-call-7f3e@10.9.8.7")
        #expect(try bye.from.tag == legs.inbound.localTag)
        #expect(try bye.to.tag == "atag-1234")
        #expect(try bye.cseq == CSeq(1, .bye))
        #expect(try bye.topVia.host == .ipv4(IPv4Address(127, 0, 0, 10)))
        #expect(legs.outbound.dialog?.state == .terminated)

        let ok = try legs.mapResponse(
            F.callerResponse(to: bye, 200, "OK"), receivedOn: .inbound, answering: outboundBye)
        F.expectNone(of: F.inboundSecrets + [legs.inbound.localTag], in: ok)
        #expect(try ok.cseq == CSeq(9, .bye))
        #expect(try ok.topVia.branch == "z9hG4bK-b-bye-9")
        #expect(legs.inbound.dialog?.state == .terminated)
    }

    @Test func cseqSpacesAreIndependentAndOrderIsChecked() throws {
        var (legs, generator) = try F.establishedCall()
        let info = try F.forwarded(
            legs.mapRequest(
                F.callerRequest("INFO", cseq: 500, legs: legs, body: "Signal=5\r\n"), receivedOn: .inbound,
                generator: &generator))
        #expect(try info.cseq == CSeq(2, .info))
        #expect(Array(info.body) == Array("Signal=5\r\n".utf8))
        let fromCallee = try F.forwarded(
            legs.mapRequest(F.calleeRequest("INFO", cseq: 77, legs: legs), receivedOn: .outbound, generator: &generator)
        )
        #expect(try fromCallee.cseq == CSeq(1, .info))

        let older = try F.callerRequest("INFO", cseq: 499, legs: legs)
        guard case .respond(let error) = legs.mapRequest(older, receivedOn: .inbound, generator: &generator) else {
            Issue.record("a lower CSeq must be answered")
            return
        }
        #expect(error.status.code == 500)
        #expect(legs.outbound.dialog?.localSequence == 2)
        #expect(legs.inbound.dialog?.remoteSequence == 500)
    }

    @Test func requestsOutsideTheCallAre481AndStrayAcksDropped() throws {
        var (legs, generator) = try F.establishedCall()
        let stray = try F.parse([
            "BYE sip:127.0.0.10:5060 SIP/2.0",
            "Via: SIP/2.0/UDP 10.9.8.7:5077;branch=z9hG4bK-stray",
            "From: <sip:alice@caller.test>;tag=atag-1234",
            "To: <sip:+15551230000@callee.test>;tag=not-ours",
            "Call-ID: a-leg-call-7f3e@10.9.8.7",
            "CSeq: 900 BYE",
        ])
        guard case .respond(let error) = legs.mapRequest(stray, receivedOn: .inbound, generator: &generator) else {
            Issue.record("expected a 481")
            return
        }
        #expect(error.status.code == 481)
        var ack = stray
        ack.startLine = .request(RequestLine(method: .ack, uri: "sip:127.0.0.10:5060"))
        ack.headers.set(.cseq, CSeq(900, .ack))
        guard case .drop = legs.mapRequest(ack, receivedOn: .inbound, generator: &generator) else {
            Issue.record("a stray ACK is dropped, never answered")
            return
        }
        let zeroHops = try F.callerRequest("INFO", cseq: 316, legs: legs)
        var hopless = zeroHops
        hopless.headers.set(.maxForwards, MaxForwards(0))
        guard case .respond(let hops) = legs.mapRequest(hopless, receivedOn: .inbound, generator: &generator) else {
            Issue.record("expected a 483")
            return
        }
        #expect(hops.code == .tooManyHops)
    }

    @Test func reInviteFromTheCallerRefreshesBothTargets() throws {
        var (legs, generator) = try F.establishedCall()
        let inboundReinvite = try F.callerRequest(
            "INVITE", cseq: 316, legs: legs, extra: ["Contact: <sip:alice@moved.a-side.example>"], body: F.sdp)
        let reinvite = try F.forwarded(legs.mapRequest(inboundReinvite, receivedOn: .inbound, generator: &generator))
        F.expectNone(of: F.inboundSecrets + ["moved"], in: reinvite)
        #expect(try reinvite.cseq == CSeq(2, .invite))
        #expect(try reinvite.contacts.map(\.description) == ["<sip:127.0.0.20:5060>"])
        #expect(Array(reinvite.body) == Array(F.sdp.utf8))

        let ok = try legs.mapResponse(
            F.calleeResponse(to: reinvite, 200, "OK", contact: "<sip:callee@moved.b-side.example>", body: F.sdp),
            receivedOn: .outbound, answering: inboundReinvite)
        F.expectNone(of: F.outboundSecrets + ["moved"], in: ok)
        #expect(try ok.contacts.map(\.description) == ["<sip:127.0.0.10:5060>"])
        #expect(try ok.to.tag == legs.inbound.localTag)
        #expect(try ok.recordRoutes.isEmpty)
        #expect(legs.inbound.dialog?.remoteTarget.description == "sip:alice@moved.a-side.example")
        #expect(legs.outbound.dialog?.remoteTarget.description == "sip:callee@moved.b-side.example")

        let ack = try F.forwarded(
            legs.mapRequest(F.callerRequest("ACK", cseq: 316, legs: legs), receivedOn: .inbound, generator: &generator))
        #expect(try ack.cseq == CSeq(2, .ack))
        #expect(ack.requestLine?.uri == Array("sip:callee@moved.b-side.example".utf8))
    }

    @Test func reInviteFromTheCallee() throws {
        var (legs, generator) = try F.establishedCall()
        let outboundReinvite = try F.calleeRequest(
            "INVITE", cseq: 10, legs: legs, extra: ["Contact: <sip:callee@uas.b-side.example:5090>"], body: F.sdp)
        let reinvite = try F.forwarded(legs.mapRequest(outboundReinvite, receivedOn: .outbound, generator: &generator))
        F.expectNone(of: F.outboundSecrets + [legs.outbound.callID, legs.outbound.localTag], in: reinvite)
        #expect(reinvite.requestLine?.uri == Array("sip:alice@pbx-internal.a-side.example:5071".utf8))
        #expect(try reinvite.cseq == CSeq(1, .invite))
        #expect(try reinvite.contacts.map(\.description) == ["<sip:127.0.0.10:5060>"])

        let ok = try legs.mapResponse(
            F.callerResponse(to: reinvite, 200, "OK", contact: "<sip:alice@pbx-internal.a-side.example:5071>"),
            receivedOn: .inbound, answering: outboundReinvite)
        F.expectNone(of: F.inboundSecrets + [legs.inbound.localTag], in: ok)
        #expect(try ok.cseq == CSeq(10, .invite))
        #expect(try ok.contacts.map(\.description) == ["<sip:127.0.0.20:5060>"])

        let ack = try F.forwarded(
            legs.mapRequest(F.calleeRequest("ACK", cseq: 10, legs: legs), receivedOn: .outbound, generator: &generator))
        #expect(try ack.cseq == CSeq(1, .ack))
        F.expectNone(of: F.outboundSecrets + [legs.outbound.callID, legs.outbound.localTag], in: ack)
    }

    @Test func prackCarriesTheOtherLegsInviteNumber() throws {
        var generator = SeededIdentifierGenerator(seed: 9)
        let passList = HeaderPassList(supportedOptionTags: [.reliableProvisional])
        let inbound = try F.inboundInvite()
        var (invite, legs) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, passList: passList,
            generator: &generator)
        let progress = try legs.mapResponseToInbound(
            F.calleeResponse(
                to: invite, 183, "Session Progress", extra: ["Require: 100rel", "RSeq: 4711"], body: F.sdp),
            inboundRequest: inbound)
        #expect(progress.headers.firstString(.require) == "100rel")
        #expect(progress.headers.firstString(.rseq) == "4711")

        let inboundPrack = try F.callerRequest("PRACK", cseq: 315, legs: legs, extra: ["RAck: 4711 314 INVITE"])
        let prack = try F.forwarded(legs.mapRequest(inboundPrack, receivedOn: .inbound, generator: &generator))
        F.expectNone(of: F.inboundSecrets, in: prack)
        #expect(prack.headers.firstString(.rack) == "4711 1 INVITE")
        #expect(try prack.cseq == CSeq(2, .prack))
        #expect(try prack.to.tag == "btag-9876")

        let prackOK = try legs.mapResponse(
            F.calleeResponse(to: prack, 200, "OK"), receivedOn: .outbound, answering: inboundPrack)
        #expect(try prackOK.cseq == CSeq(315, .prack))
        F.expectNone(of: F.outboundSecrets, in: prackOK)

        let wrong = try F.callerRequest("PRACK", cseq: 316, legs: legs, extra: ["RAck: 4711 999 INVITE"])
        guard case .respond(let error) = legs.mapRequest(wrong, receivedOn: .inbound, generator: &generator) else {
            Issue.record("a PRACK for another INVITE is refused")
            return
        }
        #expect(error.code == .badRAck)
        #expect(error.status.code == 481)
    }
}
