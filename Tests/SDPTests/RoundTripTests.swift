import Testing

@testable import SDP

@Suite struct RoundTripTests {
    @Test(arguments: Fixtures.named.keys.sorted())
    func byteIdentical(_ name: String) throws {
        let text = try #require(Fixtures.named[name])
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.serialized() == text)
        #expect(sdp.serializedBytes() == Array(text.utf8))
        #expect(sdp.description == text)
    }

    @Test(arguments: Fixtures.named.keys.sorted())
    func typedViewsRoundTrip(_ name: String) throws {
        let text = try #require(Fixtures.named[name])
        let sdp = try SessionDescription(parsing: text)
        for attributes in [sdp.attributes] + sdp.media.map(\.attributes) {
            try check(attributes, RTPMap.self)
            try check(attributes, FormatParameters.self)
            try check(attributes, CryptoAttribute.self)
            try check(attributes, Fingerprint.self)
            try check(attributes, SetupRole.self)
            try check(attributes, RTCPAttribute.self)
            try check(attributes, ICECandidate.self)
            try check(attributes, MediaGroup.self)
        }
    }

    /// Every attribute of the type parses, and writing the typed value gives back the text it came from.
    private func check<Value: SDPAttributeValue>(_ attributes: SDPAttributes, _: Value.Type) throws {
        for attribute in attributes.all(named: Value.attributeName) {
            let text = try #require(attribute.value)
            let typed = try #require(Value(attributeValue: text), "\(Value.self) rejects \(text)")
            #expect(typed.attributeValue == text)
            #expect(Value(attributeValue: typed.attributeValue) == typed)
        }
    }

    @Test func unknownLinesKeepTheirPlaceAfterEdits() throws {
        var sdp = try SessionDescription(parsing: Fixtures.everything)
        sdp.attributes.removeAll(named: "recvonly")
        sdp.emails = []
        sdp.media[0].unknownLines.append(
            UnknownLine(type: "j", value: "added", anchor: .init(type: "c", occurrence: 1)))
        let lines = sdp.serialized().split(separator: "\r\n").map(String.init)
        // The Q= line was anchored after the first attribute; with that one gone it follows the new first one.
        let firstAttribute = try #require(lines.firstIndex(of: "a=x-unknown:kept as is"))
        #expect(lines[firstAttribute + 1] == "Q=between attributes")
        // x= still follows o=; the r= anchor is unchanged; j= lands after the media c= line.
        #expect(lines[2] == "x=directly after o")
        #expect(lines[lines.firstIndex(of: "r=7d 1h 0 25h")! + 1] == "y=between r and t")
        let mediaTitle = try #require(lines.firstIndex(of: "i=media title"))
        #expect(lines[mediaTitle + 1] == "c=IN IP4 224.2.17.12/127")
        #expect(lines[mediaTitle + 2] == "j=added")
    }

    @Test func orphanedAnchorsGoAfterTheirGroupOrAtTheEnd() throws {
        var sdp = try SessionDescription(parsing: "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n")
        sdp.unknownLines = [
            UnknownLine(type: "x", value: "late", anchor: .init(type: "t", occurrence: 5)),
            UnknownLine(type: "y", value: "no such type", anchor: .init(type: "m", occurrence: 1)),
            UnknownLine(type: "w", value: "no email", anchor: .init(type: "e", occurrence: 1)),
        ]
        sdp.attributes.append("tool", value: "t")
        #expect(
            sdp.serialized()
                == Fixtures.crlf([
                    "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "w=no email", "t=0 0", "x=late", "a=tool:t",
                    "y=no such type",
                ]))
    }
}
