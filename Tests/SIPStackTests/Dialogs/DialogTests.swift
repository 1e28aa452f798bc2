import SIPMessage
import Testing

@testable import SIPStack

/// The dialog model of RFC 3261 §12, driven by parsed messages; no I/O.
@Suite struct DialogTests {
    typealias F = DialogFixtures

    // MARK: Creation

    @Test func uasDialogTakesRouteSetInOrderAndTargetFromRequest() throws {
        let dialog = try Dialog(uas: F.invite(), response: F.response(180, "Ringing"))
        #expect(dialog.role == .uas)
        #expect(dialog.state == .early)
        #expect(
            dialog.id
                == DialogID(
                    callID: "a84b4c76e66710@pc33.atlanta.example.com", localTag: "a6c85cf", remoteTag: "1928301774"))
        #expect(dialog.routeSet.map(\.uriText) == ["sip:p2.biloxi.example.com;lr", "sip:p1.atlanta.example.com;lr"])
        #expect(dialog.remoteTarget.description == "sip:alice@pc33.atlanta.example.com")
        #expect(dialog.remoteSequence == 314_159)
        #expect(dialog.remoteInviteSequence == 314_159)
        #expect(dialog.localSequence == nil)
        #expect(dialog.localURI.description == "sip:bob@biloxi.example.com")
        #expect(dialog.remoteURI.description == "sip:alice@atlanta.example.com")
        #expect(dialog.remoteAddress.displayName == "Alice")
        #expect(dialog.localContact.uriText == "sip:bob@192.0.2.4")
        #expect(!dialog.isSecure)
    }

    @Test func uacDialogReversesRecordRouteAndTakesTargetFromResponse() throws {
        let dialog = try Dialog(uac: F.invite(), response: F.response(200, "OK"))
        #expect(dialog.role == .uac)
        #expect(dialog.state == .confirmed)
        #expect(dialog.id.localTag == "1928301774")
        #expect(dialog.id.remoteTag == "a6c85cf")
        #expect(dialog.routeSet.map(\.uriText) == ["sip:p1.atlanta.example.com;lr", "sip:p2.biloxi.example.com;lr"])
        #expect(dialog.remoteTarget.description == "sip:bob@192.0.2.4")
        #expect(dialog.localSequence == 314_159)
        #expect(dialog.localInviteSequence == 314_159)
        #expect(dialog.remoteSequence == nil)
        #expect(dialog.localContact.uriText == "sip:alice@pc33.atlanta.example.com")
    }

    @Test func secureOnlyWithSIPSOverTLS() throws {
        let sips = try F.invite(requestURI: "sips:bob@biloxi.example.com")
        #expect(try Dialog(uas: sips, response: F.response(200, "OK"), overTLS: true).isSecure)
        #expect(try !Dialog(uas: sips, response: F.response(200, "OK"), overTLS: false).isSecure)
        #expect(try !Dialog(uac: F.invite(), response: F.response(200, "OK"), overTLS: true).isSecure)
    }

    @Test func responsesThatCreateNoDialog() throws {
        for (code, tag) in [(100, "x"), (486, "x"), (180, nil)] as [(Int, String?)] {
            #expect {
                try Dialog(uac: F.invite(), response: F.response(code, "Whatever", toTag: tag))
            } throws: { ($0 as? DialogError)?.code == .notDialogCreating }
        }
        #expect {
            try Dialog(uas: F.invite(), response: F.response(200, "OK", toTag: nil))
        } throws: { ($0 as? DialogError)?.code == .missingTag }
        #expect {
            try Dialog(uac: F.invite(), response: F.response(200, "OK", contact: nil))
        } throws: { ($0 as? DialogError)?.code == .missingContact }
        // RFC 2543: a 2xx without To tag makes a dialog with an empty remote tag.
        #expect(try Dialog(uac: F.invite(), response: F.response(200, "OK", toTag: nil)).id.remoteTag == "")
    }

    // MARK: Building requests (§12.2.1.1)

    @Test func requestsWithLooseRoutingAndCSeqRules() throws {
        var dialog = try Dialog(uac: F.invite(), response: F.response(200, "OK"))
        let ack = dialog.makeRequest(.ack, via: F.via)
        #expect(try ack.cseq == CSeq(314_159, .ack))
        #expect(ack.requestLine?.uri == Array("sip:bob@192.0.2.4".utf8))
        #expect(try ack.routes.map(\.uriText) == ["sip:p1.atlanta.example.com;lr", "sip:p2.biloxi.example.com;lr"])

        let bye = dialog.makeRequest(.bye, via: F.via)
        #expect(try bye.cseq == CSeq(314_160, .bye))
        #expect(try bye.from.tag == "1928301774")
        #expect(try bye.to.tag == "a6c85cf")
        #expect(try bye.to.displayName == "Bob")
        #expect(try bye.callID.value == "a84b4c76e66710@pc33.atlanta.example.com")
        #expect(try bye.maxForwards == 70)
        #expect(try bye.topVia.branch == "z9hG4bKtest")
        #expect(try bye.contacts.isEmpty)

        let reinvite = dialog.makeRequest(
            .invite, via: F.via, body: Array("v=0\r\n".utf8), contentType: .sdp)
        #expect(try reinvite.cseq == CSeq(314_161, .invite))
        #expect(try reinvite.contacts.first?.uri?.description == "sip:alice@pc33.atlanta.example.com")
        #expect(try reinvite.contentType == .sdp)
        #expect(F.text(reinvite).hasSuffix("Content-Length: 5\r\n\r\nv=0\r\n"))
        let cancel = dialog.makeRequest(.cancel, via: F.via)
        #expect(try cancel.cseq == CSeq(314_161, .cancel))
        #expect(dialog.localSequence == 314_161)
        #expect(dialog.localInviteSequence == 314_161)
    }

    @Test func strictRouterGoesInTheRequestURI() throws {
        let response = try F.response(
            200, "OK",
            recordRoute: ["<sip:strict.biloxi.example.com;method=INVITE>", "<sip:p1.atlanta.example.com;lr>"]
        )
        var dialog = try Dialog(uac: F.invite(), response: response)
        // Route set (reversed): p1 (loose) first, so Request-URI is the remote target.
        #expect(dialog.makeRequest(.bye, via: F.via).requestLine?.uri == Array("sip:bob@192.0.2.4".utf8))

        let strictFirst = try F.invite(
            recordRoute: response.headers.fieldValues(.recordRoute).map {
                String(decoding: $0, as: UTF8.self)
            })
        var uas = try Dialog(uas: strictFirst, response: response)
        // Route set (in order): the strict router first.
        let bye = uas.makeRequest(.bye, via: F.via)
        #expect(bye.requestLine?.uri == Array("sip:strict.biloxi.example.com".utf8))
        #expect(
            try bye.routes.map(\.uriText) == ["sip:p1.atlanta.example.com;lr", "sip:alice@pc33.atlanta.example.com"])
    }

    @Test func uasStartsItsLocalSequenceAtOne() throws {
        var dialog = try Dialog(uas: F.invite(), response: F.response(200, "OK"))
        let bye = dialog.makeRequest(.bye, via: F.via)
        #expect(try bye.cseq == CSeq(1, .bye))
        #expect(try bye.from.tag == "a6c85cf")
        #expect(try bye.to.tag == "1928301774")
        #expect(bye.requestLine?.uri == Array("sip:alice@pc33.atlanta.example.com".utf8))
    }

    // MARK: Receiving requests (§12.2.2)

    @Test func lowerCSeqIsRejectedWith500() throws {
        var dialog = try Dialog(uas: F.invite(), response: F.response(200, "OK"))
        try dialog.receiveRequest(F.inDialogRequest("ACK", cseq: 314_159))
        try dialog.receiveRequest(F.inDialogRequest("INFO", cseq: 314_160))
        #expect(dialog.remoteSequence == 314_160)
        #expect {
            try dialog.receiveRequest(F.inDialogRequest("INFO", cseq: 314_158))
        } throws: {
            ($0 as? DialogError)?.code == .cseqOutOfOrder && ($0 as? DialogError)?.status.code == 500
        }
        #expect(dialog.remoteSequence == 314_160)
        // Gaps are fine (RFC 3261 §12.2.2: not necessarily one higher).
        try dialog.receiveRequest(F.inDialogRequest("INFO", cseq: 400_000))
        #expect(dialog.remoteSequence == 400_000)
    }

    @Test func foreignTagsAre481AndByeTerminates() throws {
        var dialog = try Dialog(uas: F.invite(), response: F.response(200, "OK"))
        #expect {
            try dialog.receiveRequest(F.inDialogRequest("BYE", cseq: 314_160, toTag: "other"))
        } throws: { ($0 as? DialogError)?.status.code == 481 }
        try dialog.receiveRequest(F.inDialogRequest("BYE", cseq: 314_160))
        #expect(dialog.state == .terminated)
        #expect {
            try dialog.receiveRequest(F.inDialogRequest("INFO", cseq: 314_161))
        } throws: { ($0 as? DialogError)?.code == .dialogTerminated }
    }

    @Test func uasTargetRefreshOnlyOn2xx() throws {
        var dialog = try Dialog(uas: F.invite(), response: F.response(200, "OK"))
        let reinvite = try F.inDialogRequest("INVITE", cseq: 314_160, contact: "<sip:alice@198.51.100.9>")
        try dialog.receiveRequest(reinvite)
        try dialog.willSendResponse(F.response(488, "Not Acceptable Here", cseq: 314_160), to: reinvite)
        #expect(dialog.remoteTarget.description == "sip:alice@pc33.atlanta.example.com")
        let update = try F.inDialogRequest("UPDATE", cseq: 314_161, contact: "<sip:alice@198.51.100.10>")
        try dialog.receiveRequest(update)
        try dialog.willSendResponse(F.response(200, "OK", cseq: 314_161, method: "UPDATE"), to: update)
        #expect(dialog.remoteTarget.description == "sip:alice@198.51.100.10")
        #expect(dialog.remoteInviteSequence == 314_160)
        // INFO is no target refresh.
        let info = try F.inDialogRequest("INFO", cseq: 314_162, contact: "<sip:alice@198.51.100.11>")
        try dialog.receiveRequest(info)
        try dialog.willSendResponse(F.response(200, "OK", cseq: 314_162, method: "INFO"), to: info)
        #expect(dialog.remoteTarget.description == "sip:alice@198.51.100.10")
    }

    @Test func uasEarlyDialogConfirmedOrEnded() throws {
        let invite = try F.invite()
        var dialog = try Dialog(uas: invite, response: F.response(183, "Session Progress"))
        try dialog.willSendResponse(F.response(200, "OK"), to: invite)
        #expect(dialog.state == .confirmed)
        var rejected = try Dialog(uas: invite, response: F.response(180, "Ringing"))
        try rejected.willSendResponse(F.response(486, "Busy Here"), to: invite)
        #expect(rejected.state == .terminated)
    }

    // MARK: Receiving responses (§12.2.1.2)

    @Test func uacEarlyToConfirmedRecomputesRouteSetAndTarget() throws {
        var dialog = try Dialog(
            uac: F.invite(), response: F.response(180, "Ringing", contact: "<sip:bob@early.example>", recordRoute: []))
        #expect(dialog.routeSet.isEmpty)
        try dialog.receiveResponse(F.response(200, "OK"))
        #expect(dialog.state == .confirmed)
        #expect(dialog.routeSet.map(\.uriText) == ["sip:p1.atlanta.example.com;lr", "sip:p2.biloxi.example.com;lr"])
        #expect(dialog.remoteTarget.description == "sip:bob@192.0.2.4")
    }

    @Test func uacEarlyDialogEndsOnFailureAndForeignForkIsRefused() throws {
        var dialog = try Dialog(uac: F.invite(), response: F.response(180, "Ringing"))
        #expect {
            try dialog.receiveResponse(F.response(200, "OK", toTag: "fork2"))
        } throws: { ($0 as? DialogError)?.code == .mismatchedDialog }
        try dialog.receiveResponse(F.response(486, "Busy Here"))
        #expect(dialog.state == .terminated)
    }

    @Test func uacTargetRefreshAndTerminationBy481() throws {
        var dialog = try Dialog(uac: F.invite(), response: F.response(200, "OK"))
        _ = dialog.makeRequest(.invite, via: F.via)
        try dialog.receiveResponse(F.response(200, "OK", cseq: 314_160, contact: "<sip:bob@203.0.113.7>"))
        #expect(dialog.remoteTarget.description == "sip:bob@203.0.113.7")
        #expect(dialog.state == .confirmed)
        _ = dialog.makeRequest(.info, via: F.via)
        try dialog.receiveResponse(F.response(481, "Call/Transaction Does Not Exist", cseq: 314_161, method: "INFO"))
        #expect(dialog.state == .terminated)
    }

    @Test func byeEndsTheDialogOnItsFinalResponseUnlessChallenged() throws {
        var dialog = try Dialog(uac: F.invite(), response: F.response(200, "OK"))
        _ = dialog.makeRequest(.bye, via: F.via)
        try dialog.receiveResponse(F.response(407, "Proxy Authentication Required", cseq: 314_160, method: "BYE"))
        #expect(dialog.state == .confirmed)
        try dialog.receiveResponse(F.response(200, "OK", cseq: 314_161, method: "BYE"))
        #expect(dialog.state == .terminated)
    }
}
