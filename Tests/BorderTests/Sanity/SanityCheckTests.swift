import Border
import GatehousePolicy
import SIPMessage
import Testing

/// The sanity stage: each check passes a good message and refuses a bad one with its code and status; the policy's
/// action, disabled checks, responses and the trace.
@Suite struct SanityCheckTests {
    typealias F = SanityFixtures

    // MARK: Good messages

    @Test func aWellFormedInvitePassesAndSaysSo() throws {
        var trace = PipelineTrace(recording: true)
        let message = try F.message(F.invite, body: "v=0\r\n").with(contentType: "application/sdp")
        #expect(sanityOutcome(message, trace: &trace) == nil)
        #expect(trace.entries.map(\.description) == ["[sanity] INVITE passed"])
    }

    /// Every method with what RFC 3261 and its extensions ask of it, in and out of dialogs.
    @Test(arguments: [
        F.request(.register, uri: "sip:127.0.0.10", ["Expires: 3600"]),
        F.request(.options),
        F.request(.message, ["Content-Type: text/plain"]),
        F.request(.bye).setting("To", "<sip:+15551230000@127.0.0.10>;tag=callee-1"),
        F.request(.info).setting("To", "<sip:+15551230000@127.0.0.10>;tag=callee-1"),
        F.request(.update).setting("To", "<sip:+15551230000@127.0.0.10>;tag=callee-1"),
        F.request(.prack, ["RAck: 1 1 INVITE"]).setting("To", "<sip:+15551230000@127.0.0.10>;tag=callee-1"),
        F.request(.subscribe, ["Event: presence", "Expires: 600"]),
        F.request(.notify, ["Event: message-summary", "Subscription-State: active;expires=600"]),
        F.request(.refer, ["Refer-To: <sip:+15551239999@127.0.0.3>"]),
        F.request(.publish, ["Event: presence"]),
        F.request(.cancel),
        // A CANCEL copies the To of the request it cancels (RFC 3261 §9.1), a re-INVITE's included.
        F.request(.cancel).setting("To", "<sip:+15551230000@127.0.0.10>;tag=callee-1"),
        F.request(.ack).setting("To", "<sip:+15551230000@127.0.0.10>;tag=callee-1"),
        // A To tag on an INVITE makes it a re-INVITE, not an error.
        F.invite.setting("To", "<sip:+15551230000@127.0.0.10>;tag=callee-1"),
        F.request(.invite, uri: "tel:+15551230000"),
        F.request(.invite, uri: "sips:+15551230000@127.0.0.10"),
    ])
    func goodRequestsPass(_ lines: [String]) throws {
        #expect(try sanityOutcome(lines) == nil, "\(lines[0])")
    }

    // MARK: What validate() finds, answered under its own codes

    @Test func validationErrorsKeepTheirCodesAndStatuses() throws {
        #expect(try sanityOutcome(F.invite.setting("Call-ID", nil))?.summary == "missing-header 400")
        #expect(try sanityOutcome(F.invite + ["CSeq: 2 INVITE"])?.summary == "duplicate-header 400")
        #expect(try sanityOutcome(F.invite + ["Call-ID: other@127.0.0.2"])?.summary == "duplicate-header 400")
        #expect(try sanityOutcome(F.invite.setting("CSeq", "1 BYE"))?.summary == "cseq-method-mismatch 400")
        #expect(try sanityOutcome(F.request(.ack).setting("CSeq", "1 INVITE"))?.summary == "cseq-method-mismatch drop")
        #expect(
            try sanityOutcome(F.request(.invite, uri: "mailto:bob@example.com"))?.summary
                == "unsupported-uri-scheme 416")
        #expect(
            try sanityOutcome(F.request(.invite, uri: "http://example.com/"))?.summary == "unsupported-uri-scheme 416")
        #expect(
            try sanityOutcome(F.invite.setting("Via", "SIP/3.0/UDP 127.0.0.2;branch=z9hG4bK1"))?.summary
                == "bad-version 505")
        #expect(try sanityOutcome(F.invite.setting("Max-Forwards", "300"))?.summary == "bad-max-forwards 400")
        let rejection = try sanityOutcome(F.invite.setting("Call-ID", nil))
        #expect(rejection?.stage == .sanity)
        #expect(rejection?.detail == "Missing Call-ID")
    }

    // MARK: The stage's own checks

    @Test(arguments: ["Session-Expires: 1800", "RSeq: 2", "Event: presence", "Refer-To: <sip:a@127.0.0.3>"])
    func moreSingleHeadersMayNotRepeat(_ line: String) throws {
        #expect(try sanityOutcome(F.invite + [line, line])?.summary == "duplicate-header 400")
        #expect(try sanityOutcome(F.invite + [line]) == nil)
    }

    @Test func maxForwardsIsRequired() throws {
        let rejection = try sanityOutcome(F.invite.setting("Max-Forwards", nil))
        #expect(rejection?.summary == "missing-max-forwards 400")
        #expect(rejection?.detail == "Missing Max-Forwards")
    }

    @Test(arguments: [
        (F.invite.setting("Contact", nil), "Contact"),
        (F.request(.subscribe, ["Event: presence"]).setting("Contact", nil), "Contact"),
        (F.request(.subscribe), "Event"),
        (F.request(.notify, ["Event: presence"]), "Subscription-State"),
        (F.request(.notify, ["Subscription-State: active"]), "Event"),
        (F.request(.refer), "Refer-To"),
        (F.request(.refer, ["Refer-To: <sip:a@127.0.0.3>"]).setting("Contact", nil), "Contact"),
        (F.request(.prack).setting("To", "<sip:b@127.0.0.10>;tag=t"), "RAck"),
        (F.request(.publish), "Event"),
    ])
    func methodsNeedTheirHeaders(_ lines: [String], _ missing: String) throws {
        let rejection = try sanityOutcome(lines)
        #expect(rejection?.summary == "missing-header 400", "\(lines[0])")
        #expect(rejection?.detail.hasPrefix("Missing \(missing) in ") == true, "\(rejection?.detail ?? "-")")
    }

    @Test func everyRequestNeedsAFromTag() throws {
        let untagged = "\"Lab PBX\" <sip:+15550190001@127.0.0.2>"
        #expect(try sanityOutcome(F.invite.setting("From", untagged))?.summary == "missing-from-tag 400")
        #expect(try sanityOutcome(F.request(.cancel).setting("From", untagged))?.summary == "missing-from-tag 400")
        #expect(try sanityOutcome(F.invite.setting("From", untagged + ";tag"))?.summary == "missing-from-tag 400")
    }

    @Test(arguments: [SIPMethod.bye, .info, .update])
    func inDialogOnlyMethodsNeedAToTag(_ method: SIPMethod) throws {
        let rejection = try sanityOutcome(F.request(method))
        #expect(rejection?.summary == "missing-to-tag 481")
        #expect(rejection?.detail == "\(method) outside a dialog: To has no tag")
    }

    @Test func aPRACKNeedsAToTagAndNOTIFYMayComeUnsolicited() throws {
        #expect(try sanityOutcome(F.request(.prack, ["RAck: 1 1 INVITE"]))?.summary == "missing-to-tag 481")
        let unsolicited = F.request(.notify, ["Event: message-summary", "Subscription-State: active"])
        #expect(try sanityOutcome(unsolicited) == nil)
    }

    @Test func contactsOfDialogsAndRegistrations() throws {
        let twoContacts = F.invite + ["Contact: <sip:other@127.0.0.2>"]
        #expect(try sanityOutcome(twoContacts)?.summary == "bad-contact 400")
        #expect(try sanityOutcome(F.invite.setting("Contact", "<tel:+15550190001>"))?.summary == "bad-contact 400")
        #expect(
            try sanityOutcome(F.invite.setting("Contact", "*"))?.detail == "Contact '*' is only allowed in REGISTER")
        let register = F.request(.register, uri: "sip:127.0.0.10")
        #expect(try sanityOutcome(register.setting("Contact", "*").setting("Expires", "0")) == nil)
        #expect(try sanityOutcome(register.setting("Contact", "*"))?.summary == "bad-contact 400")
        #expect(
            try sanityOutcome(register.setting("Contact", "*").setting("Expires", "60"))?.summary == "bad-contact 400")
        #expect(try sanityOutcome(register.setting("Expires", "0") + ["Contact: *"])?.summary == "bad-contact 400")
        // Outside dialogs, several Contacts and other schemes are a registrar's business.
        #expect(try sanityOutcome(register + ["Contact: <mailto:pbx@example.com>"]) == nil)
        #expect(try sanityOutcome(F.request(.options).setting("Contact", nil)) == nil)
    }

    @Test func aBodyNeedsAContentType() throws {
        let rejection = try sanityOutcome(F.invite, body: "v=0\r\n")
        #expect(rejection?.summary == "missing-content-type 400")
        #expect(rejection?.detail == "a body of 5 bytes without Content-Type")
        #expect(try sanityOutcome(F.invite + ["Content-Type: application/sdp"], body: "v=0\r\n") == nil)
        #expect(try sanityOutcome(F.invite + ["Content-Type: application/sdp"]) == nil)
    }

    /// RFC 3261 §18.3 over UDP: the parser refuses a Content-Length beyond the datagram (400) and truncates the body
    /// to a shorter one; the stage sees only what the parser kept.
    @Test func contentLengthIsTheParsersAndTheStageSeesTheTruncatedBody() throws {
        let lines = F.invite + ["Content-Type: application/sdp", "Content-Length: 3"]
        let truncated = try F.message(lines, body: "v=0\r\n")
        #expect(Array(truncated.body) == Array("v=0".utf8))
        var trace = PipelineTrace.off
        #expect(sanityOutcome(truncated, trace: &trace) == nil)
        let tooLong = F.invite + ["Content-Type: application/sdp", "Content-Length: 50"]
        do {
            _ = try F.message(tooLong, body: "v=0\r\n")
            Issue.record("a Content-Length beyond the datagram parsed")
        } catch let error as SIPParseError {
            #expect(error.code == .badContentLength && error.status == .badRequest)
        }
    }

    @Test func aViaOfThisNodeIsALoop() throws {
        let ours = "SIP/2.0/UDP 127.0.0.20:5060;branch=z9hG4bK-gh-7"
        let looped = F.invite.setting("Via", "SIP/2.0/UDP 127.0.0.3:5060;branch=z9hG4bK-c-1") + ["Via: \(ours)"]
        let rejection = try sanityOutcome(looped)
        #expect(rejection?.summary == "loop-detected 482")
        #expect(rejection?.detail == "a Via names this node (127.0.0.20:5060): a loop")
        // No port is 5060 (5061 for TLS); the transport does not matter.
        #expect(try sanityOutcome(F.invite + ["Via: SIP/2.0/TCP 127.0.0.10;branch=z9hG4bK2"])?.code == "loop-detected")
        #expect(try sanityOutcome(F.invite + ["Via: SIP/2.0/TLS 127.0.0.10;branch=z9hG4bK2"])?.code == "loop-detected")
        #expect(try sanityOutcome(F.invite + ["Via: SIP/2.0/UDP 127.0.0.10:5070;branch=z9hG4bK2"]) == nil)
        #expect(try sanityOutcome(F.invite + ["Via: SIP/2.0/UDP 127.0.0.11:5060;branch=z9hG4bK2"]) == nil)
        #expect(try sanityOutcome(looped, SanityCheck(ownSentBy: [])) == nil)
        let v6 = SanityCheck(ownSentBy: [SIPEndpoint(transport: .udp, host: "2001:db8::10", port: 5060)])
        #expect(
            try sanityOutcome(F.invite + ["Via: SIP/2.0/UDP [2001:DB8:0::10];branch=z9hG4bK3"], v6)?.code
                == "loop-detected")
    }

    @Test func maxForwardsZeroIsAnsweredOnlyForOPTIONSToThisNode() throws {
        #expect(try sanityOutcome(F.invite.setting("Max-Forwards", "0"))?.summary == "too-many-hops 483")
        #expect(try sanityOutcome(F.invite.setting("Max-Forwards", "1")) == nil)
        var trace = PipelineTrace(recording: true)
        let ping = try F.message(F.request(.options, uri: "sip:127.0.0.10").setting("Max-Forwards", "0"))
        #expect(sanityOutcome(ping, trace: &trace) == nil)
        #expect(
            trace.entries.map(\.text) == [
                "Max-Forwards is 0, but an OPTIONS addressed to this node is answered here", "OPTIONS passed",
            ])
        let pingOnward = F.request(.options, uri: "sip:127.0.0.3").setting("Max-Forwards", "0")
        #expect(try sanityOutcome(pingOnward)?.summary == "too-many-hops 483")
        let pingTLS = F.request(.options, uri: "sips:127.0.0.10").setting("Max-Forwards", "0")
        #expect(try sanityOutcome(pingTLS) == nil)
    }

    // MARK: The policy's action and disabled checks

    @Test func dropActionSendsNothingAndKeepsTheCode() throws {
        let drop = F.stage(SanitySettings(action: .drop))
        #expect(try sanityOutcome(F.invite.setting("Max-Forwards", "0"), drop)?.summary == "too-many-hops drop")
        #expect(try sanityOutcome(F.request(.bye), drop)?.summary == "missing-to-tag drop")
        #expect(try sanityOutcome(F.invite.setting("Call-ID", nil), drop)?.summary == "missing-header drop")
        #expect(try sanityOutcome(F.invite, drop) == nil)
    }

    @Test func anACKIsNeverAnswered() throws {
        let ack = F.request(.ack).setting("To", "<sip:b@127.0.0.10>;tag=t")
        #expect(try sanityOutcome(ack.setting("From", "<sip:a@127.0.0.2>"))?.summary == "missing-from-tag drop")
        #expect(try sanityOutcome(ack.setting("Max-Forwards", "0"))?.summary == "too-many-hops drop")
    }

    @Test func disabledChecksLetTheMessageThroughAndSaySo() throws {
        let lenient = F.stage(SanitySettings(disabled: [.missingFromTag, .missingMaxForwards, .loopDetected]))
        let rfc2543 =
            F.invite.setting("From", "<sip:+15550190001@127.0.0.2>").setting("Max-Forwards", nil)
            + ["Via: SIP/2.0/UDP 127.0.0.20:5060;branch=z9hG4bK-gh-7"]
        var trace = PipelineTrace(recording: true)
        #expect(sanityOutcome(try F.message(rfc2543), lenient, trace: &trace) == nil)
        #expect(
            trace.entries.map(\.text) == [
                "ignored missing-max-forwards: Missing Max-Forwards (disabled by the policy)",
                "ignored missing-from-tag: From has no tag (disabled by the policy)",
                "ignored loop-detected: a Via names this node (127.0.0.20:5060): a loop (disabled by the policy)",
                "INVITE passed",
            ])
        // Only optional checks can be disabled: the rest hold whatever the set says.
        let stubborn = F.stage(SanitySettings(disabled: [.missingHeader, .tooManyHops]))
        #expect(try sanityOutcome(F.invite.setting("Contact", nil), stubborn)?.code == "missing-header")
        #expect(try sanityOutcome(F.invite.setting("Max-Forwards", "0"), stubborn)?.code == "too-many-hops")
    }

    // MARK: Responses

    @Test func responsesGetTheLighterChecksAndAreDropped() throws {
        #expect(try sanityOutcome(F.ok) == nil)
        #expect(try sanityOutcome(F.ok.setting("Contact", nil))?.summary == "missing-header drop")
        #expect(try sanityOutcome(F.ok.setting("To", "<sip:+15551230000@127.0.0.3>"))?.summary == "missing-to-tag drop")
        #expect(try sanityOutcome(F.ok + ["Contact: <sip:b@127.0.0.3>"])?.summary == "bad-contact drop")
        #expect(try sanityOutcome(F.ok.setting("Call-ID", nil))?.summary == "missing-header drop")
        #expect(try sanityOutcome(F.ok, body: "v=0\r\n")?.summary == "missing-content-type drop")
        #expect(try sanityOutcome(F.ok + ["RSeq: 1", "RSeq: 2"])?.summary == "duplicate-header drop")
        // A provisional response, or a 2xx that sets up no dialog, needs no Contact.
        let ringing = F.ok.replacingStartLine("SIP/2.0 180 Ringing").setting("Contact", nil)
        #expect(try sanityOutcome(ringing) == nil)
        #expect(try sanityOutcome(F.ok.setting("CSeq", "1 OPTIONS").setting("Contact", nil)) == nil)
        #expect(
            try sanityOutcome(F.ok.setting("CSeq", "2 SUBSCRIBE").setting("Contact", nil))?.code == "missing-header")
        // A disabled To tag check still leaves the Contact checked.
        let lenient = F.stage(SanitySettings(disabled: [.missingToTag]))
        let bare = F.ok.setting("To", "<sip:+15551230000@127.0.0.3>")
        #expect(try sanityOutcome(bare, lenient) == nil)
        #expect(try sanityOutcome(bare.setting("Contact", nil), lenient)?.summary == "missing-header drop")
        // The top Via is this node's (the response answers its request): neither a loop nor its business here.
        #expect(try sanityOutcome(F.ok.setting("Max-Forwards", "0")) == nil)
    }

    // MARK: Trace and policy

    @Test func theTraceRecordsTheRejectionAndAnOffTraceNothing() throws {
        var trace = PipelineTrace(recording: true)
        let message = try F.message(F.invite.setting("Max-Forwards", "0"))
        let rejection = sanityOutcome(message, trace: &trace)
        #expect(rejection?.description == "sanity too-many-hops → 483 Too Many Hops: Max-Forwards is 0")
        #expect(trace.entries.map(\.description) == ["[sanity] too-many-hops → 483 Too Many Hops: Max-Forwards is 0"])
        var off = PipelineTrace.off
        #expect(sanityOutcome(message, trace: &off) != nil)
        #expect(off.entries.isEmpty)
    }

    @Test func theStageTakesItsSettingsLimitsAndAddressesFromThePolicy() throws {
        let policy = try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: t }
                sip_limits: { max_via_count: 2 }
                realms:
                  access:
                    listen: ["udp://192.0.2.10:5080"]
                sanity:
                  action: drop
                  disable: [missing-from-tag]
                """, file: "test.yaml")
        let stage = SanityCheck(policy: policy)
        #expect(stage.settings == policy.sanity)
        #expect(stage.ownAddresses.contains(host: .ipv4(IPv4Address(192, 0, 2, 10)), port: 5080))
        #expect(
            try sanityOutcome(F.invite + ["Via: SIP/2.0/UDP 192.0.2.10:5080;branch=z9hG4bK9"], stage)?.summary
                == "loop-detected drop")
        let threeVias = F.invite + ["Via: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK8, SIP/2.0/UDP 198.51.100.2"]
        #expect(try sanityOutcome(threeVias, stage)?.summary == "too-many-vias drop")
        #expect(try sanityOutcome(F.invite.setting("From", "<sip:a@127.0.0.2>"), stage) == nil)
    }
}

extension SIPMessage {
    fileprivate func with(contentType: String) -> SIPMessage {
        var message = self
        message.headers.set(.contentType, contentType)
        return message
    }
}
