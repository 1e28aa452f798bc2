import Testing

@testable import SIPMessage

/// Every torture message that is accepted re-serializes to something that parses the same, and its typed core
/// headers parse.
@Suite struct TortureRoundTripTests {
    static let acceptedCases = TortureFixtures.cases.filter { TortureResult($0.wireBytes) == .accepted }

    @Test func everyValidMessageIsRoundTripped() {
        let accepted = Set(Self.acceptedCases.map(\.name))
        for torture in TortureFixtures.cases where torture.kind == "valid" {
            #expect(accepted.contains(torture.name), "\(torture.name)")
        }
    }

    @Test(arguments: acceptedCases)
    func reserializesToTheSameMessage(_ torture: TortureCase) throws {
        let original = try SIPMessage(parsing: torture.wireBytes)
        let written = original.serialize()
        let reparsed = try SIPMessage(parsing: written)
        try expectSameMessage(reparsed, original, torture.name)
        try reparsed.validate()
        // Writing is idempotent: the second message writes the same bytes.
        #expect(reparsed.serialize() == written, "\(torture.name)")
        // Nothing but CRLF ends a line of the header section that was written.
        let headerSection = written[..<(written.count - reparsed.body.count)]
        for (index, byte) in headerSection.enumerated() where byte == ASCII.lf {
            #expect(index > 0 && headerSection[index - 1] == ASCII.cr, "\(torture.name): bare LF at \(index)")
        }
    }

    /// An untouched message with CRLF line endings and a true Content-Length is written back byte for byte.
    @Test(arguments: acceptedCases)
    func untouchedMessageIsByteIdentical(_ torture: TortureCase) throws {
        let bytes = torture.wireBytes
        let message = try SIPMessage(parsing: bytes)
        let written = message.serialize()
        switch torture.name {
        case "dblreq":
            // The octets after the REGISTER's Content-Length: 0 are noise (RFC 3261 §18.3) and are not written.
            #expect(Array(bytes.prefix(written.count)) == written)
            #expect(written.count < bytes.count)
        case "inv2543":
            // No Content-Length (RFC 2543): one is added before the empty line.
            let added = Array("Content-Length: \(message.body.count)\r\n".utf8)
            let headerEnd = bytes.count - message.body.count - 2
            #expect(written == Array(bytes[..<headerEnd]) + added + Array(bytes[headerEnd...]))
            #expect(message.headers.first(.contentLength) == nil)
        default:
            #expect(written == bytes, "\(torture.name)")
        }
    }

    @Test(arguments: acceptedCases)
    func typedCoreHeadersParse(_ torture: TortureCase) throws {
        let original = try SIPMessage(parsing: torture.wireBytes)
        let reparsed = try SIPMessage(parsing: original.serialize())
        for message in [original, reparsed] {
            #expect(!(try message.vias).isEmpty)
            _ = try message.from
            _ = try message.to
            _ = try message.cseq
            _ = try message.callID
            _ = try message.contacts
            _ = try message.maxForwards
            if message.isRequest { _ = try message.requestURI }
        }
        #expect(try reparsed.vias == original.vias)
        #expect(try reparsed.from == original.from)
        #expect(try reparsed.to == original.to)
        #expect(try reparsed.cseq == original.cseq)
        #expect(try reparsed.callID == original.callID)
        #expect(try reparsed.contacts == original.contacts)
    }

    /// A typed value written back in canonical form parses to an equal value (intmeth's escaped NUL, BEL and DEL
    /// included: the writer escapes them as quoted-pairs).
    @Test(arguments: acceptedCases)
    func typedValuesSurviveCanonicalWriting(_ torture: TortureCase) throws {
        let message = try SIPMessage(parsing: torture.wireBytes)
        for via in try message.vias { #expect(try Via(parsing: via.serialized[...]) == via, "\(via)") }
        #expect(try CSeq(parsing: message.cseq.serialized[...]) == message.cseq)
        #expect(try CallID(parsing: message.callID.serialized[...]) == message.callID)
        for contact in try message.contacts {
            #expect(try ContactValue(parsing: contact.serialized[...]) == contact, "\(contact)")
        }
        for address in [try message.from, try message.to] {
            #expect(try NameAddress(parsing: address.serialized[...]) == address, "\(address)")
        }
    }

    @Test func intmethKeepsItsEscapedControlCharacters() throws {
        let message = try SIPMessage(parsing: try #require(TortureFixtures.case("intmeth")).wireBytes)
        #expect(try message.to.displayName == "BEL:\u{07} NUL:\u{00} DEL:\u{7F}")
        #expect(message.method == SIPMethod("!interesting-Method0123456789_*+`.%indeed'~"))
        #expect(try message.cseq.method == message.method)
        #expect(try message.callID.value == "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{")
    }

    @Test func longreqCarriesThirtyFourVias() throws {
        let message = try SIPMessage(parsing: try #require(TortureFixtures.case("longreq")).wireBytes)
        #expect(try message.vias.count == 34)
    }
}
