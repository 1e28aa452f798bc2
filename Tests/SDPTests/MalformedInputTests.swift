import Testing

@testable import SDP

/// Each rejection carries its code and the 1-based line that caused it.
@Suite struct MalformedInputTests {
    static let head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"

    private func error(_ text: String, parser: SDPParser = SDPParser()) -> SDPParseError? {
        do {
            _ = try parser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    private func expect(
        _ text: String, _ code: SDPParseError.Code, line: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = error(text)
        #expect(error?.code == code, sourceLocation: sourceLocation)
        #expect(error?.line == line, sourceLocation: sourceLocation)
    }

    @Test func missingVersion() {
        expect("o=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", .missingVersion, line: 1)
        expect("", .missingVersion, line: 1)
        expect("s=-\r\nv=0\r\n", .missingVersion, line: 1)
    }

    @Test func badVersion() {
        expect("v=1\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", .badVersion, line: 1)
        expect("v=00\r\n", .badVersion, line: 1)
    }

    @Test func secondVersionLine() {
        expect(Self.head + "v=0\r\n", .unexpectedLine, line: 5)
        expect(Self.head + "m=audio 1 RTP/AVP 0\r\nv=0\r\n", .unexpectedLine, line: 6)
    }

    @Test func missingOriginOrSessionName() {
        expect("v=0\r\ns=-\r\nt=0 0\r\n", .missingOrigin, line: 0)
        expect("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n", .missingSessionName, line: 0)
    }

    @Test func badOrigin() {
        expect("v=0\r\no=- 1 1 IN IP4\r\n", .badOrigin, line: 2)
        expect("v=0\r\no=- 1 x IN IP4 192.0.2.1\r\n", .badOrigin, line: 2)
        expect("v=0\r\no=- 1 1 IN IP4 192.0.2.1 extra\r\n", .badOrigin, line: 2)
    }

    @Test func lineWithoutEquals() {
        expect(Self.head + "a=ok\r\nthis is not sdp\r\n", .malformedLine, line: 6)
        expect(Self.head + "m audio\r\n", .malformedLine, line: 5)
        expect(Self.head + "a\r\n", .malformedLine, line: 5)
        expect(Self.head + "1=digit type\r\n", .malformedLine, line: 5)
        expect(Self.head + "a =spaced\r\n", .malformedLine, line: 5)
    }

    @Test func emptyLineInTheMiddle() {
        expect("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n\r\ns=-\r\n", .malformedLine, line: 3)
        expect("\r\nv=0\r\n", .malformedLine, line: 1)
    }

    @Test func illegalCharacters() {
        expect(Self.head + "a=x\u{0}y\r\n", .illegalCharacter, line: 5)
        expect(Self.head + "a=x\ry\r\n", .illegalCharacter, line: 5)
        expect(Self.head + "a=x\r\r\n", .illegalCharacter, line: 5)
    }

    @Test func badMediaLine() {
        expect(Self.head + "m=audio 49170\r\n", .badMediaLine, line: 5)
        expect(Self.head + "m=\r\n", .badMediaLine, line: 5)
        expect(Self.head + "m=audio 1 RTP/AVP 0\r\na=x\r\nm=video\r\n", .badMediaLine, line: 7)
    }

    @Test func badPort() {
        expect(Self.head + "m=audio abc RTP/AVP 0\r\n", .badPort, line: 5)
        expect(Self.head + "m=audio 65536 RTP/AVP 0\r\n", .badPort, line: 5)
        expect(Self.head + "m=audio -1 RTP/AVP 0\r\n", .badPort, line: 5)
        expect(Self.head + "m=audio 99999999999999999999999 RTP/AVP 0\r\n", .badPort, line: 5)
        expect(Self.head + "m=audio 4000/x RTP/AVP 0\r\n", .badPort, line: 5)
        expect(Self.head + "m=audio 4000/ RTP/AVP 0\r\n", .badPort, line: 5)
    }

    @Test func duplicateSingletons() {
        expect(Self.head + "o=- 1 1 IN IP4 192.0.2.1\r\n", .duplicateLine, line: 5)
        expect(Self.head + "s=again\r\n", .duplicateLine, line: 5)
        expect(Self.head + "c=IN IP4 192.0.2.1\r\nc=IN IP4 192.0.2.2\r\n", .duplicateLine, line: 6)
        expect(Self.head + "m=audio 1 RTP/AVP 0\r\ni=a\r\ni=b\r\n", .duplicateLine, line: 7)
    }

    @Test func repeatBeforeTiming() {
        expect("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nr=1d 1h 0\r\n", .unexpectedLine, line: 4)
    }

    @Test func badConnectionBandwidthTiming() {
        expect(Self.head + "c=IN IP4\r\n", .badConnection, line: 5)
        expect(Self.head + "c=IN IP4 224.2.1.1/ttl\r\n", .badConnection, line: 5)
        expect(Self.head + "c=IN IP4 224.2.1.1/300\r\n", .badConnection, line: 5)
        expect(Self.head + "c=IN IP6 ff15::1/1/2\r\n", .badConnection, line: 5)
        expect(Self.head + "m=audio 1 RTP/AVP 0\r\nc=IN IP4 /1\r\n", .badConnection, line: 6)
        expect(Self.head + "b=AS\r\n", .badBandwidth, line: 5)
        expect(Self.head + "b=AS:fast\r\n", .badBandwidth, line: 5)
        expect(Self.head + "b=:64\r\n", .badBandwidth, line: 5)
        expect("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0\r\n", .badTiming, line: 4)
        expect("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=now later\r\n", .badTiming, line: 4)
    }

    @Test func badAttributes() {
        expect(Self.head + "a=\r\n", .badAttribute, line: 5)
        expect(Self.head + "a=:value\r\n", .badAttribute, line: 5)
        let media = Self.head + "m=audio 1 RTP/SAVP 0\r\n"
        expect(media + "a=rtpmap:200 X/8000\r\n", .badAttribute, line: 6)
        expect(media + "a=rtpmap:0 PCMU\r\n", .badAttribute, line: 6)
        expect(media + "a=rtpmap\r\n", .badAttribute, line: 6)
        expect(media + "a=fmtp:\r\n", .badAttribute, line: 6)
        expect(media + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:not*base64\r\n", .badAttribute, line: 6)
        expect(media + "a=crypto:1 AES_CM_128_HMAC_SHA1_80\r\n", .badAttribute, line: 6)
        expect(media + "a=crypto:x AES_CM_128_HMAC_SHA1_80 inline:AAAA\r\n", .badAttribute, line: 6)
        expect(media + "a=crypto:1234567890 AES_CM_128_HMAC_SHA1_80 inline:AAAA\r\n", .badAttribute, line: 6)
        expect(media + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAAA|1:4|2^20\r\n", .badAttribute, line: 6)
        expect(media + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAAA|1:0\r\n", .badAttribute, line: 6)
        expect(media + "a=fingerprint:sha-256 XY:00\r\n", .badAttribute, line: 6)
        expect(media + "a=fingerprint:sha-256\r\n", .badAttribute, line: 6)
        expect(media + "a=setup:sometimes\r\n", .badAttribute, line: 6)
        expect(media + "a=rtcp:70000\r\n", .badAttribute, line: 6)
        expect(media + "a=rtcp:9 IN IP4\r\n", .badAttribute, line: 6)
    }

    @Test func attributeValidationCanBeTurnedOff() throws {
        let text = Self.head + "m=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\na=setup:sometimes\r\n"
        let sdp = try SDPParser(validatesKnownAttributes: false).parse(text)
        #expect(sdp.media[0].attributes.count == 2)
        #expect(sdp.media[0].attributes.rtpmaps.isEmpty)
        #expect(sdp.media[0].attributes.setup == nil)
        #expect(sdp.serialized() == text)
    }

    @Test func iceCandidatesAreNotValidatedAtParseTime() throws {
        let text = Self.head + "m=audio 1 RTP/AVP 0\r\na=candidate:odd one\r\n"
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.media[0].attributes.candidates.isEmpty)
        #expect(sdp.media[0].attributes.count == 1)
    }

    @Test func errorDescriptionNamesLineAndCode() {
        let error = SDPParseError(.badPort, line: 7, "port x")
        #expect(error.description == "line 7: bad-port: port x")
        #expect(SDPParseError(.tooLarge, line: 0, "big").description == "sdp-too-large: big")
    }
}
