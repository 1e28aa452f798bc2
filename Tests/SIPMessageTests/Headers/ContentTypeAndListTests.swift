import Testing

@testable import SIPMessage

/// Content-Type (RFC 3261 §20.15), option tags (§19.2) and Allow (§20.5).
@Suite struct ContentTypeAndListTests {
    @Test func contentType() throws {
        let type = try ContentType(parsing: "Application/SDP")
        #expect(type.isSDP)
        #expect(type == .sdp)
        #expect(type.mediaType == "Application/SDP")
        let text = try ContentType(parsing: #"text/html ; charset = ISO-8859-4"#)
        #expect(text.charset == "ISO-8859-4")
        #expect(text.serializedString == "text/html;charset=ISO-8859-4")
        let multipart = try ContentType(parsing: #"multipart/mixed;boundary="simple boundary""#)
        #expect(multipart.hasMediaType("MULTIPART", "Mixed"))
        #expect(multipart.boundary == "simple boundary")
        #expect(multipart.serializedString == #"multipart/mixed;boundary="simple boundary""#)
        #expect(Set([ContentType.sdp, try ContentType(parsing: "APPLICATION/sdp")]).count == 1)
    }

    @Test(arguments: [
        "", "application", "application/", "/sdp", "application/sdp;charset", "app lication/sdp",
        "application/sdp;", "application/sdp x", "application/sdp;a=\"open",
    ])
    func badContentType(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: ContentType.self) == .badContentType, "\(text)")
    }

    @Test func optionTags() throws {
        let message = try typedHeadersMessage([
            "INVITE sip:a@b.example SIP/2.0", "Supported: 100rel, timer,path", "k: gruu", "Require: sec-agree",
            "Proxy-Require: sec-agree", "Unsupported: foo",
        ])
        #expect(try message.headers.optionTags(.supported) == [.reliableProvisional, .timer, .path, .gruu])
        #expect(try message.headers.all(.require, as: OptionTag.self) == [.secAgree])
        #expect(try message.headers.optionTags(.proxyRequire) == ["sec-agree"])
        #expect(try message.headers.first(.unsupported, as: OptionTag.self) == "foo")
        #expect(typedHeaderErrorCode("time r", as: OptionTag.self) == .badOptionTag)
        #expect(typedHeaderErrorCode("", as: OptionTag.self) == .badOptionTag)
        let empty = try typedHeadersMessage(["OPTIONS sip:a@b.example SIP/2.0", "Supported: "])
        #expect(try empty.headers.optionTags(.supported).isEmpty)
        #expect(try empty.headers.first(.supported, as: OptionTag.self) == nil)
    }

    @Test func allow() throws {
        let message = try typedHeadersMessage([
            "SIP/2.0 200 OK", "Allow: INVITE, ACK, OPTIONS, CANCEL, BYE", "Allow: NEWMETHOD",
        ])
        let methods = try message.headers.all(.allow, as: SIPMethod.self)
        #expect(methods == [.invite, .ack, .options, .cancel, .bye, SIPMethod("NEWMETHOD")])
        #expect(typedHeaderErrorCode("IN VITE", as: SIPMethod.self) == .badMethod)
        var headers = SIPHeaders()
        headers.append(.allow, SIPMethod.update)
        #expect(headers.firstString(.allow) == "UPDATE")
    }

    @Test func roundTrips() throws {
        try typedRoundTrip("application/sdp", as: ContentType.self)
        try typedRoundTrip(#"multipart/mixed;boundary="unique-boundary-1";x=y"#, as: ContentType.self)
        try typedRoundTrip("message/sipfrag;version=2.0", as: ContentType.self)
        try typedRoundTrip("100rel", as: OptionTag.self)
        try typedRoundTrip("PRACK", as: SIPMethod.self)
    }
}
