import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// rewrite on whole values, on the user, host and params of name-addr URIs (compact names included), and on the
/// Request-URI; results that would not parse are refused and the message stays as it was.
@Suite struct HeaderRewriteTests {
    typealias F = NormalizationFixtures

    @Test func wholeValues() throws {
        var message = try F.message()
        let trace = try F.inbound(
            [
                HeaderRule(try F.rewrite(.header(.userAgent), .value, #"^AcmePBX/(\d+)\.(\d+)$"#, "PBX $1 ($2) $$")),
                HeaderRule(try F.rewrite(.header(.userAgent), .value, "Asterisk", "x")),
                HeaderRule(try F.rewrite(.header("X-Absent"), .value, "a", "b")),
                // Require's two values are one field: the pattern sees `100rel, foo`.
                HeaderRule(try F.rewrite(.header(.require), .value, ", foo", "")),
            ], on: &message)
        #expect(
            trace == [
                "rule 1 (rewrite User-Agent value): 'AcmePBX/1.0' → 'PBX 1 (0) $'",
                "rule 2 (rewrite User-Agent value): no match",
                "rule 3 (rewrite X-Absent value): no X-Absent header",
                "rule 4 (rewrite Require value): '100rel, foo' → '100rel'",
            ])
        let lines = F.headerLines(message)
        #expect(lines.contains("User-Agent: PBX 1 (0) $") && lines.contains("Require: 100rel"))
    }

    /// `f:` is From: its user is rewritten, display name, `user=phone` and tag kept; the field is written long.
    @Test func userOfACompactFrom() throws {
        var message = try F.message()
        let trace = try F.inbound(
            [HeaderRule(try F.rewrite(.header(.from), .user, #"^0(\d+)$"#, "+44$1"))], on: &message)
        #expect(trace == ["rule 1 (rewrite From user): '02079460123' → '+442079460123'"])
        #expect(F.headerLines(message)[2] == #"From: "Alice" <sip:+442079460123@pbx.example;user=phone>;tag=a1"#)
        #expect(try message.from.tag == "a1")
    }

    /// Every value of a list field: a SIP URI's user and a tel URI's number; what the pattern does not match is
    /// written back as it was.
    @Test func userOfEachValueOfAList() throws {
        var message = try F.message()
        let trace = try F.inbound(
            [HeaderRule(try F.rewrite(.header(.pAssertedIdentity), .user, #"^\+44(\d+)$"#, "0$1"))], on: &message)
        // A tel URI without `+` needs a phone-context: that one is refused, the SIP URI is rewritten.
        #expect(
            trace == [
                "rule 1 (rewrite P-Asserted-Identity user): '+442079460123' → '02079460123'; refused (left as is): 'tel:02079460123' would not be a valid URI"
            ])
        #expect(
            F.headerLines(message).contains(
                #"P-Asserted-Identity: "Alice" <sip:02079460123@pbx.example>, <tel:+442079460123>"#))

        var other = try F.message()
        let secondTrace = try F.inbound(
            [HeaderRule(try F.rewrite(.header(.pAssertedIdentity), .user, #"^\+44"#, "+353"))], on: &other)
        #expect(
            secondTrace == [
                "rule 1 (rewrite P-Asserted-Identity user): '+442079460123' → '+3532079460123'; '+442079460123' → '+3532079460123'"
            ])
        #expect(
            F.headerLines(other).contains(
                #"P-Asserted-Identity: "Alice" <sip:+3532079460123@pbx.example>, <tel:+3532079460123>"#))

        var contact = try F.message()
        try F.inbound([HeaderRule(try F.rewrite(.header("M"), .user, "alice", "reception"))], on: &contact)
        #expect(F.headerLines(contact)[6] == "Contact: <sip:reception@127.0.0.2:5060>")
    }

    @Test func hostAndRefusedHost() throws {
        var message = try F.message()
        let trace = try F.inbound(
            [
                HeaderRule(try F.rewrite(.header(.contact), .host, #"^127\.0\.0\.2$"#, "pbx.example")),
                HeaderRule(try F.rewrite(.header(.to), .host, ".*", "bad host")),
                HeaderRule(try F.rewrite(.header(.pAssertedIdentity), .host, "pbx", "[::1]")),
            ], on: &message)
        #expect(
            trace == [
                "rule 1 (rewrite Contact host): '127.0.0.2' → 'pbx.example'",
                "rule 2 (rewrite To host): refused (left as is): 'bad host' is not a host: byte 0x20 at offset 3 is not allowed in a URI",
                "rule 3 (rewrite P-Asserted-Identity host): refused (left as is): '[::1].example' is not a host: an IPv6 reference lacks its closing ']'; a tel: URI has no host",
            ])
        let lines = F.headerLines(message)
        #expect(lines[3] == "t: <sip:02079460000@gatehouse.test>")  // untouched: still compact, byte for byte
        #expect(lines[6] == "Contact: <sip:alice@pbx.example:5060>")
    }

    /// The params part is the text after the first `;` of the URI: it can be changed, emptied or added to, and a
    /// result that is not a parameter list is refused.
    @Test func params() throws {
        var message = try F.message()
        let trace = try F.inbound(
            [
                HeaderRule(try F.rewrite(.header(.from), .params, "user=phone", "")),
                HeaderRule(try F.rewrite(.header(.contact), .params, "^$", "transport=tcp;ob")),
                HeaderRule(try F.rewrite(.header(.to), .params, "^$", "=broken")),
                HeaderRule(try F.rewrite(.requestURI, .params, "user=phone", ";user=phone;transport=udp")),
            ], on: &message)
        #expect(
            trace == [
                "rule 1 (rewrite From params): 'user=phone' → ''",
                "rule 2 (rewrite Contact params): '' → 'transport=tcp;ob'",
                "rule 3 (rewrite To params): refused (left as is): 'sip:02079460000@gatehouse.test;=broken' would not be a valid URI: a URI parameter has no name",
                "rule 4 (rewrite request_uri params): 'user=phone' → ';user=phone;transport=udp'",
            ])
        let lines = F.lines(message)
        #expect(lines[0] == "INVITE sip:02079460000@gatehouse.test;user=phone;transport=udp SIP/2.0")
        #expect(lines[3] == #"From: "Alice" <sip:02079460123@pbx.example>;tag=a1"#)
        #expect(lines[4] == "t: <sip:02079460000@gatehouse.test>")
        #expect(lines[7] == "Contact: <sip:alice@127.0.0.2:5060;transport=tcp;ob>")
    }

    @Test func requestURIParts() throws {
        var message = try F.message()
        let trace = try F.inbound(
            [
                HeaderRule(try F.rewrite(.requestURI, .user, #"^0(\d+)$"#, "+44$1")),
                HeaderRule(try F.rewrite(.requestURI, .host, ".*", "carrier.example")),
                HeaderRule(try F.rewrite(.requestURI, .value, "^sip:", "mailto:")),
                HeaderRule(try F.rewrite(.requestURI, .value, "^sip:", "sip:x@y?subject=hi&")),
                HeaderRule(try F.rewrite(.requestURI, .value, "@", " ")),
            ], on: &message)
        #expect(
            trace == [
                "rule 1 (rewrite request_uri user): '02079460000' → '+442079460000'",
                "rule 2 (rewrite request_uri host): 'gatehouse.test' → 'carrier.example'",
                "rule 3 (rewrite request_uri value): refused (left as is): 'mailto:+442079460000@carrier.example;user=phone' cannot be a Request-URI (a sip, sips or tel URI without headers)",
                "rule 4 (rewrite request_uri value): refused (left as is): 'sip:x@y?subject=hi&+442079460000@carrier.example;user=phone' is not a URI",
                "rule 5 (rewrite request_uri value): refused (left as is): 'sip:+442079460000 carrier.example;user=phone' is not a URI",
            ])
        #expect(F.lines(message)[0] == "INVITE sip:+442079460000@carrier.example;user=phone SIP/2.0")
        #expect(try message.requestURI?.sipURI?.host == .name("carrier.example"))

        // The whole value, as written by the replacement.
        var whole = try F.message()
        try F.inbound([HeaderRule(try F.rewrite(.requestURI, .value, ".*", "tel:+442079460000"))], on: &whole)
        #expect(F.lines(whole)[0] == "INVITE tel:+442079460000 SIP/2.0")
    }

    /// Values a rewrite cannot read are left alone and said so: a response has no Request-URI, a Contact `*` has
    /// no URI, an extension header that is not a name-addr, unbalanced quotes.
    @Test func valuesThatCannotBeRewritten() throws {
        var response = try F.message(F.ok)
        let responseTrace = try F.inbound([HeaderRule(try F.rewrite(.requestURI, .user, ".*", "x"))], on: &response)
        #expect(responseTrace == ["rule 1 (rewrite request_uri user): a response has no Request-URI"])

        var message = try F.message(
            """
            REGISTER sip:gatehouse.test SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK-3\r
            From: <sip:pbx@gatehouse.test>;tag=1\r
            To: <sip:pbx@gatehouse.test>\r
            Call-ID: r-1\r
            CSeq: 1 REGISTER\r
            Contact: *\r
            Expires: 0\r
            Diversion: <sip:0201@pbx.example>;reason=unconditional, not an address\r
            X-Quote: "unterminated <sip:a@b>\r
            \r

            """)
        let trace = try F.inbound(
            [
                HeaderRule(try F.rewrite(.header(.contact), .user, ".*", "x")),
                HeaderRule(try F.rewrite(.header("Diversion"), .user, "^0", "+44")),
                HeaderRule(try F.rewrite(.header("X-Quote"), .user, ".*", "x")),
                HeaderRule(try F.rewrite(.header("X-Quote"), .host, ".*", "x")),
            ], on: &message, context: RuleContext(peer: "pbx", method: .register))
        #expect(
            trace == [
                "rule 1 (rewrite Contact user): no match",
                "rule 2 (rewrite Diversion user): '0201' → '+44201'; refused (left as is): 'not an address' is not a name-addr",
                "rule 3 (rewrite X-Quote user): refused (left as is): '\"unterminated <sip:a@b>' has unbalanced quotes or brackets",
                "rule 4 (rewrite X-Quote host): refused (left as is): '\"unterminated <sip:a@b>' has unbalanced quotes or brackets",
            ])
        let lines = F.headerLines(message)
        #expect(lines.contains("Contact: *"))
        #expect(lines.contains("Diversion: <sip:+44201@pbx.example>;reason=unconditional, not an address"))
        #expect(lines.contains(#"X-Quote: "unterminated <sip:a@b>"#))
    }

    /// A value that is not UTF-8 is not handed to the regex (its bytes would come back changed).
    @Test func nonUTF8ValuesAreLeftAlone() throws {
        var bytes = Array(F.invite.utf8)
        let marker = Array("AcmePBX".utf8)
        let start = try #require(bytes.firstRange(of: marker))
        bytes[start.lowerBound] = 0xC3  // a lead byte followed by 'c': not UTF-8
        var message = try SIPMessage(parsing: bytes)
        let trace = try F.inbound([HeaderRule(try F.rewrite(.header(.userAgent), .value, ".*", "x"))], on: &message)
        #expect(trace == ["rule 1 (rewrite User-Agent value): refused (left as is): a value that is not UTF-8"])
        #expect(message.serialize() == bytes)
    }
}
