import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// Trigger points and criteria order (TS 29.228 Annex B.2.2–B.2.3).
struct FilterCriteriaEvaluationTests {
    static let server = ApplicationServer(serverName: "sip:as.ims.gatehouse.test")

    static func invite(
        uri: String = "sip:bob@ims.gatehouse.test", extra: [String] = [], sdp: String? = nil,
        method: String = "INVITE"
    ) throws -> SIPMessage {
        var lines = [
            "\(method) \(uri) SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.4:5060;branch=z9hG4bK-1", "Max-Forwards: 70",
            "From: <sip:alice@ims.gatehouse.test>;tag=a", "To: <\(uri)>", "Call-ID: ifc-1", "CSeq: 1 \(method)",
            "Contact: <sip:alice@127.0.0.4:5060>",
        ]
        lines += extra
        if let sdp {
            lines += ["Content-Type: application/sdp", "Content-Length: \(sdp.utf8.count)", "", sdp]
            return try SIPMessage(parsing: lines.joined(separator: "\r\n"))
        }
        lines.append("Content-Length: 0")
        return try SIPMessage(parsing: lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    static func request(_ message: SIPMessage, _ sessionCase: SessionCase = .originating) -> FilterCriteriaRequest {
        FilterCriteriaRequest(message, sessionCase: sessionCase)!
    }

    static func criterion(
        _ priority: Int, _ triggers: [[ServicePointTrigger]]?, form: TriggerPoint.Form = .conjunctive,
        part: InitialFilterCriterion.ProfilePart? = nil, as name: String = "sip:as.ims.gatehouse.test"
    ) -> InitialFilterCriterion {
        InitialFilterCriterion(
            priority: priority, triggerPoint: triggers.map { TriggerPoint(form: form, groups: $0) },
            applicationServer: ApplicationServer(serverName: name), profilePart: part)
    }

    @Test func methodsAreCaseSensitiveAndNegationInverts() throws {
        let invite = Self.request(try Self.invite())
        #expect(ServicePointTrigger(.method("INVITE")).matches(invite))
        #expect(!ServicePointTrigger(.method("invite")).matches(invite))
        #expect(!ServicePointTrigger(.method("INVITE"), isNegated: true).matches(invite))
        #expect(ServicePointTrigger(.method("MESSAGE"), isNegated: true).matches(invite))
    }

    @Test func requestURIAndHeadersMatchByRegularExpression() throws {
        let invite = Self.request(try Self.invite(extra: ["Subject: urgent call", "Priority: emergency"]))
        #expect(ServicePointTrigger(.requestURI("bob@ims")).matches(invite))
        #expect(!ServicePointTrigger(.requestURI("^bob")).matches(invite))
        #expect(ServicePointTrigger(.header(name: "subject", value: nil)).matches(invite))
        #expect(ServicePointTrigger(.header(name: "Subject", value: "^urgent")).matches(invite))
        #expect(!ServicePointTrigger(.header(name: "Subject", value: "^call")).matches(invite))
        #expect(!ServicePointTrigger(.header(name: "Reply-To", value: nil)).matches(invite))
        // A pattern that does not compile matches nothing rather than everything.
        #expect(!ServicePointTrigger(.requestURI("(")).matches(invite))
    }

    @Test func sessionCaseAndSDPLines() throws {
        let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.4\r\ns=-\r\nc=IN IP4 127.0.0.4\r\nt=0 0\r\nm=video 4000 RTP/AVP 96\r\n"
        let message = try Self.invite(sdp: sdp)
        let originating = Self.request(message)
        let terminating = Self.request(message, .terminatingRegistered)
        #expect(ServicePointTrigger(.sessionCase(.originating)).matches(originating))
        #expect(!ServicePointTrigger(.sessionCase(.originating)).matches(terminating))
        #expect(ServicePointTrigger(.sdpLine(line: "m", content: "^video")).matches(originating))
        #expect(!ServicePointTrigger(.sdpLine(line: "m", content: "^audio")).matches(originating))
        #expect(ServicePointTrigger(.sdpLine(line: "c", content: nil)).matches(originating))
        #expect(!ServicePointTrigger(.sdpLine(line: "m", content: nil)).matches(Self.request(try Self.invite())))
    }

    @Test func conjunctiveAndDisjunctiveForms() throws {
        let invite = Self.request(try Self.invite())
        let yes = ServicePointTrigger(.method("INVITE"))
        let no = ServicePointTrigger(.method("MESSAGE"))
        // (yes OR no) AND yes
        #expect(TriggerPoint(form: .conjunctive, groups: [[yes, no], [yes]]).matches(invite))
        // (no) AND yes
        #expect(!TriggerPoint(form: .conjunctive, groups: [[no], [yes]]).matches(invite))
        // (yes AND no) OR yes
        #expect(TriggerPoint(form: .disjunctive, groups: [[yes, no], [yes]]).matches(invite))
        // (yes AND no) OR no
        #expect(!TriggerPoint(form: .disjunctive, groups: [[yes, no], [no]]).matches(invite))
        #expect(!TriggerPoint(form: .conjunctive, groups: []).matches(invite))
    }

    @Test func criteriaGoByPriorityAndResumeAfterTheLastOne() throws {
        let invite = Self.request(try Self.invite())
        let profile = ServiceProfile(
            name: "gold",
            initialFilterCriteria: [
                Self.criterion(30, nil, as: "sip:third.test"),
                Self.criterion(10, [[ServicePointTrigger(.method("INVITE"))]], as: "sip:first.test"),
                Self.criterion(20, [[ServicePointTrigger(.method("MESSAGE"))]], as: "sip:never.test"),
            ])
        let first = profile.nextCriterion(for: invite, isRegistered: true)
        #expect(first?.applicationServer.serverName == "sip:first.test")
        let second = profile.nextCriterion(for: invite, isRegistered: true, after: first?.priority)
        #expect(second?.applicationServer.serverName == "sip:third.test")
        #expect(profile.nextCriterion(for: invite, isRegistered: true, after: second?.priority) == nil)
    }

    @Test func profilePartsFollowTheRegistrationState() throws {
        let invite = Self.request(try Self.invite(), .terminatingUnregistered)
        let profile = ServiceProfile(
            name: "voicemail",
            initialFilterCriteria: [
                Self.criterion(1, nil, part: .registered, as: "sip:registered.test"),
                Self.criterion(2, nil, part: .unregistered, as: "sip:voicemail.test"),
            ])
        #expect(
            profile.nextCriterion(for: invite, isRegistered: false)?.applicationServer.serverName
                == "sip:voicemail.test")
        #expect(
            profile.nextCriterion(for: invite, isRegistered: true)?.applicationServer.serverName
                == "sip:registered.test")
    }
}
