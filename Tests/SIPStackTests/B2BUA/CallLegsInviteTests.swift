import SIPMessage
import Testing

@testable import SIPStack

/// The initial INVITE, its responses and CANCEL across the two legs.
@Suite struct CallLegsInviteTests {
    typealias F = B2BUAFixtures

    @Test func outgoingInviteIsNewAndHidesTheInboundSide() throws {
        var generator = SeededIdentifierGenerator(seed: 1)
        let inbound = try F.inboundInvite()
        let (invite, legs) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, generator: &generator)
        F.expectNone(of: F.inboundSecrets, in: invite)
        #expect(F.text(invite).contains("Via: SIP/2.0/UDP 127.0.0.20:5060;branch=z9hG4bK"))

        #expect(invite.requestLine?.uri == Array("sip:+15551230000@127.0.0.3:5060".utf8))
        let vias = try invite.vias
        #expect(vias.count == 1)
        #expect(vias[0].host == .ipv4(IPv4Address(127, 0, 0, 20)))
        #expect(vias[0].port == 5060)
        #expect(vias[0].isRFC3261Branch)
        #expect(try invite.maxForwards == 41)
        #expect(try invite.cseq == CSeq(1, .invite))
        #expect(try invite.callID.value == legs.outbound.callID)
        #expect(legs.outbound.callID != legs.inbound.callID)
        let from = try invite.from
        #expect(from.displayName == "Alice")
        // The user stays; the host is Gatehouse's egress address, not the caller's.
        #expect(from.uri.description == "sip:alice@127.0.0.20")
        #expect(from.tag == legs.outbound.localTag)
        let to = try invite.to
        #expect(to.tag == nil)
        // To is the callee as routed: the new Request-URI, with no host of the inbound side.
        #expect(to.uri.description == "sip:+15551230000@127.0.0.3:5060")
        #expect(try invite.contacts.map(\.description) == ["<sip:127.0.0.20:5060>"])
        #expect(invite.headers.firstString(.allow) == "INVITE, ACK, BYE, CANCEL, PRACK, UPDATE, INFO")
        // The caller's Session-Expires is its own leg's; without session-timer settings nothing is asked here.
        #expect(!invite.headers.contains(.sessionExpires))
        #expect(invite.headers.firstString(.subject) == "hello")
        #expect(!invite.headers.contains(.supported))  // no option tag is relayed by default
        #expect(!invite.headers.contains(.userAgent))
        #expect(!invite.headers.contains(.recordRoute))
        #expect(!invite.headers.contains(.route))
        #expect(try invite.contentType == .sdp)
        #expect(Array(invite.body) == Array(F.sdp.utf8))

        #expect(legs.inbound.callID == "a-leg-call-7f3e@10.9.8.7")
        #expect(legs.inbound.initialInviteSequence == 314)
        #expect(legs.inbound.localTag != legs.outbound.localTag)
        #expect(legs.inbound.dialog == nil && legs.outbound.dialog == nil)
    }

    /// A policy lets a trusted peer see P-Asserted-Identity: the identity crosses, the caller's address does not.
    /// Each value is written on its own; a SIP URI with an address host takes the egress address (port, maddr and
    /// transport go, `user=phone` stays), a domain and a tel URI cross as they are, an unparseable one not at all.
    @Test func passedIdentitiesKeepTheIdentityButNotTheCallersAddress() throws {
        var generator = SeededIdentifierGenerator(seed: 4)
        let passList = HeaderPassList(extraToward: [.outbound: [try HeaderPattern(parsing: "P-Asserted-Identity")]])
        var inbound = try F.inboundInvite()
        _ = inbound.headers.remove(.pAssertedIdentity)
        inbound.headers.append(
            .pAssertedIdentity,
            "\"Alice\" <sip:+15550100@10.9.8.7:5077;user=phone;maddr=10.9.8.8;transport=udp>, <tel:+15550100>")
        inbound.headers.append(.pAssertedIdentity, "<sip:alice@caller.test>")
        let (invite, _) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, passList: passList,
            generator: &generator)
        #expect(
            invite.headers.fieldValues(.pAssertedIdentity).map { String(decoding: $0, as: UTF8.self) } == [
                "\"Alice\" <sip:+15550100@127.0.0.20;user=phone>", "<tel:+15550100>", "<sip:alice@caller.test>",
            ])
        #expect(!F.text(invite).contains("10.9.8"))

        _ = inbound.headers.remove(.pAssertedIdentity)
        inbound.headers.append(.pAssertedIdentity, "<sip:alice@10.9.8.7")
        let (unparseable, _) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, passList: passList,
            generator: &generator)
        #expect(!unparseable.headers.contains(.pAssertedIdentity))
    }

    @Test func optionTagsAreFilteredAndUnsupportedRequireIs420() throws {
        var generator = SeededIdentifierGenerator(seed: 2)
        let passList = HeaderPassList(supportedOptionTags: [.reliableProvisional])
        let (invite, _) = try CallLegs.makeOutgoingInvite(
            from: F.inboundInvite(require: "100rel"), target: F.target, ingress: F.ingress, egress: F.egress,
            passList: passList, generator: &generator)
        #expect(invite.headers.firstString(.supported) == "100rel")
        #expect(invite.headers.firstString(.require) == "100rel")

        #expect {
            try CallLegs.makeOutgoingInvite(
                from: F.inboundInvite(require: "100rel, precondition"), target: F.target, ingress: F.ingress,
                egress: F.egress, passList: passList, generator: &generator)
        } throws: { error in
            let error = error as? B2BUAError
            return error?.code == .badExtension && error?.status.code == 420
                && error?.unsupported == [.precondition]
        }
    }

    @Test func maxForwardsIsDecrementedAndZeroIs483() throws {
        var generator = SeededIdentifierGenerator(seed: 3)
        #expect {
            try CallLegs.makeOutgoingInvite(
                from: F.inboundInvite(maxForwards: "0"), target: F.target, ingress: F.ingress, egress: F.egress,
                generator: &generator)
        } throws: { error in
            (error as? B2BUAError)?.code == .tooManyHops && (error as? B2BUAError)?.status.code == 483
        }
        let (one, _) = try CallLegs.makeOutgoingInvite(
            from: F.inboundInvite(maxForwards: "1"), target: F.target, ingress: F.ingress, egress: F.egress,
            generator: &generator)
        #expect(try one.maxForwards == 0)
        let (absent, _) = try CallLegs.makeOutgoingInvite(
            from: F.inboundInvite(maxForwards: nil), target: F.target, ingress: F.ingress, egress: F.egress,
            generator: &generator)
        #expect(try absent.maxForwards == 70)
    }

    @Test func responsesHideTheOutboundSideAndCarryOneTag() throws {
        var generator = SeededIdentifierGenerator(seed: 4)
        let inbound = try F.inboundInvite()
        var (invite, legs) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, generator: &generator)
        let outboundSecrets =
            F.outboundSecrets + [
                legs.outbound.callID, legs.outbound.localTag, try invite.topVia.branch ?? "-",
            ]

        let ringing = try legs.mapResponseToInbound(
            F.calleeResponse(to: invite, 180, "Ringing"), inboundRequest: inbound)
        let otherFork = try legs.mapResponseToInbound(
            F.calleeResponse(to: invite, 183, "Session Progress", toTag: "btag-fork2", body: F.sdp),
            inboundRequest: inbound)
        let ok = try legs.mapResponseToInbound(
            F.calleeResponse(to: invite, 200, "OK", body: F.sdp), inboundRequest: inbound)

        for response in [ringing, otherFork, ok] {
            F.expectNone(of: outboundSecrets, in: response)
            #expect(F.text(response).contains("Contact: <sip:127.0.0.10:5060>"))
            #expect(try response.to.tag == legs.inbound.localTag)
            #expect(
                response.headers.fieldValues(.via).map { String(decoding: $0, as: UTF8.self) } == [
                    "SIP/2.0/UDP 10.9.8.7:5077;branch=z9hG4bK-a-branch-5551;rport",
                    "SIP/2.0/TCP proxy.a-side.example:5999;branch=z9hG4bK-a-proxy-77",
                ])
            #expect(try response.callID.value == "a-leg-call-7f3e@10.9.8.7")
            #expect(try response.cseq == CSeq(314, .invite))
            #expect(try response.from.tag == "atag-1234")
            #expect(try response.recordRoutes.map(\.uriText) == ["sip:rr.a-side.example;lr"])
            #expect(try response.contacts.map(\.description) == ["<sip:127.0.0.10:5060>"])
            #expect(!response.headers.contains(.server))
        }
        #expect(ringing.statusLine == StatusLine(code: 180, reason: "Ringing"))
        #expect(Array(ok.body) == Array(F.sdp.utf8))
        #expect(try ok.contentType == .sdp)

        #expect(legs.inbound.dialog?.state == .confirmed)
        #expect(legs.inbound.dialog?.id.localTag == legs.inbound.localTag)
        #expect(legs.inbound.dialog?.remoteTarget.description == "sip:alice@pbx-internal.a-side.example:5071")
        #expect(legs.outbound.dialog?.state == .confirmed)
        #expect(legs.outbound.dialog?.id.remoteTag == "btag-9876")
        #expect(legs.outbound.dialog?.routeSet.map(\.uriText) == ["sip:rr.b-side.example;lr"])
        #expect(legs.outbound.isInviteAnswered && legs.inbound.isInviteAnswered)
    }

    @Test func failureResponseEndsBothEarlyDialogs() throws {
        var generator = SeededIdentifierGenerator(seed: 5)
        let inbound = try F.inboundInvite()
        var (invite, legs) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, generator: &generator)
        _ = try legs.mapResponseToInbound(F.calleeResponse(to: invite, 180, "Ringing"), inboundRequest: inbound)
        #expect(legs.inbound.dialog?.state == .early && legs.outbound.dialog?.state == .early)
        let busy = try legs.mapResponseToInbound(
            F.calleeResponse(to: invite, 486, "Busy Here"), inboundRequest: inbound)
        F.expectNone(of: F.outboundSecrets, in: busy)
        #expect(try busy.contacts.isEmpty)
        #expect(try busy.recordRoutes.isEmpty)
        #expect(legs.inbound.dialog?.state == .terminated && legs.outbound.dialog?.state == .terminated)
    }

    @Test func cancelOfThePendingInviteIsMappedOnce() throws {
        var generator = SeededIdentifierGenerator(seed: 6)
        let inbound = try F.inboundInvite()
        var (invite, legs) = try CallLegs.makeOutgoingInvite(
            from: inbound, target: F.target, ingress: F.ingress, egress: F.egress, generator: &generator)
        _ = try legs.mapResponseToInbound(F.calleeResponse(to: invite, 180, "Ringing"), inboundRequest: inbound)
        let inboundCancel = try F.parse([
            "CANCEL sip:+15551230000@127.0.0.10 SIP/2.0",
            "Via: SIP/2.0/UDP 10.9.8.7:5077;branch=z9hG4bK-a-branch-5551;rport",
            "Via: SIP/2.0/TCP proxy.a-side.example:5999;branch=z9hG4bK-a-proxy-77",
            "Max-Forwards: 42",
            "From: \"Alice\" <sip:alice@caller.test>;tag=atag-1234",
            "To: <sip:+15551230000@callee.test>",
            "Call-ID: a-leg-call-7f3e@10.9.8.7",
            "CSeq: 314 CANCEL",
            "Reason: Q.850;cause=16",
            "X-Internal-Trace: trace-secret-42",
        ])
        let cancel = try F.forwarded(legs.mapRequest(inboundCancel, receivedOn: .inbound, generator: &generator))
        F.expectNone(of: F.inboundSecrets, in: cancel)
        #expect(cancel.requestLine == RequestLine(method: .cancel, uri: "sip:+15551230000@127.0.0.3:5060"))
        #expect(try cancel.topVia == invite.topVia)
        #expect(try cancel.cseq == CSeq(1, .cancel))
        #expect(try cancel.callID == invite.callID)
        #expect(try cancel.from == invite.from)
        #expect(try cancel.to == invite.to)
        #expect(cancel.headers.firstString(.reason) == "Q.850;cause=16")

        let terminated = try legs.mapResponseToInbound(
            F.calleeResponse(to: invite, 487, "Request Terminated"), inboundRequest: inbound)
        #expect(try terminated.to.tag == legs.inbound.localTag)
        guard case .drop(let error) = legs.mapRequest(inboundCancel, receivedOn: .inbound, generator: &generator)
        else {
            Issue.record("a CANCEL after the final response must not be forwarded")
            return
        }
        #expect(error.code == .nothingToCancel)
    }
}
