import Testing

@testable import SIPMessage

/// Inputs every URI parser must reject, each with the code a counter or test keys on.
@Suite struct URIInvalidInputTests {
    @Test(arguments: [
        // No scheme, a bad scheme, nothing after it
        ("", SIPParseError.Code.malformedURI),
        ("alice@atlanta.com", .malformedURI),
        (":alice@atlanta.com", .malformedURI),
        ("1sip:alice@atlanta.com", .malformedURI),
        ("s_p:alice@atlanta.com", .malformedURI),
        ("mailto:", .malformedURI),
        // Spaces, controls and raw non-ASCII anywhere
        ("sip:alice @atlanta.com", .malformedURI),
        (" sip:alice@atlanta.com", .malformedURI),
        ("sip:alice@atlanta.com ", .malformedURI),
        ("sip:alice@atlanta.com\r\n", .malformedURI),
        ("sip:alice@atlanta.com;a=\t", .malformedURI),
        ("sip:alice\u{0}@atlanta.com", .malformedURI),
        ("sip:alice\u{7F}@atlanta.com", .malformedURI),
        ("sip:jürgen@example.de", .malformedURI),
        ("mailto:a<b", .malformedURI),
        // Userinfo
        ("sip:@atlanta.com", .badURIUserInfo),
        ("sip::pw@atlanta.com", .badURIUserInfo),
        ("sip:al\"ice@atlanta.com", .badURIUserInfo),
        ("sip:alice:p;w@atlanta.com", .badURIUserInfo),
        ("sip:alice:p:w@atlanta.com", .badURIUserInfo),
        ("sip:a[b@atlanta.com", .badURIUserInfo),
        // Host
        ("sip:", .badURIHost),
        ("sip:alice@", .badURIHost),
        ("sip:alice@;transport=tcp", .badURIHost),
        ("sip:alice@:5060", .badURIHost),
        ("sip:alice@at%41nta.com", .badURIHost),
        ("sip:alice@atlanta.com@biloxi.com", .badURIHost),
        ("sip:alice@atl_anta.com", .badURIHost),
        ("sip:a%4", .badURIHost),
        ("sip:alice@999.0.0.1", .badURIHost),
        // Port
        ("sip:alice@atlanta.com:", .badURIPort),
        ("sip:alice@atlanta.com:;lr", .badURIPort),
        ("sip:alice@atlanta.com:50a60", .badURIPort),
        ("sip:alice@atlanta.com:-1", .badURIPort),
        ("sip:alice@atlanta.com:65536", .badURIPort),
        ("sip:alice@atlanta.com:5060:5060", .badURIPort),
        ("sip:[::1]:70000", .badURIPort),
        // Parameters
        ("sip:alice@atlanta.com;", .badURIParameter),
        ("sip:alice@atlanta.com;;lr", .badURIParameter),
        ("sip:alice@atlanta.com;=tcp", .badURIParameter),
        ("sip:alice@atlanta.com;transport=", .badURIParameter),
        ("sip:alice@atlanta.com;a=b=c", .badURIParameter),
        ("sip:alice@atlanta.com;a=\"b\"", .badURIParameter),
        ("sip:alice@atlanta.com;a=b,c", .badURIParameter),
        // Headers
        ("sip:alice@atlanta.com?", .badURIHeader),
        ("sip:alice@atlanta.com?subject", .badURIHeader),
        ("sip:alice@atlanta.com?=x", .badURIHeader),
        ("sip:alice@atlanta.com?a=b&", .badURIHeader),
        ("sip:alice@atlanta.com?a=b&&c=d", .badURIHeader),
        ("sip:alice@atlanta.com?a=b;c", .badURIHeader),
        ("sip:alice@atlanta.com?a=b?c=d", .badURIHeader),
    ])
    func rejected(_ input: String, _ expected: SIPParseError.Code) {
        #expect(uriErrorCode { _ = try URI(parsing: input) } == expected, "\(input)")
        if input.lowercased().hasPrefix("sip") {
            #expect(uriErrorCode { _ = try SIPURI(parsing: input) } == expected, "\(input)")
        }
    }

    @Test func statusesMatchTheCode() throws {
        do {
            _ = try SIPURI(parsing: "mailto:alice@atlanta.com")
            Issue.record("expected a throw")
        } catch {
            #expect(error.code == .unsupportedURIScheme)
            #expect(error.status == .unsupportedURIScheme)
        }
        do {
            _ = try SIPURI(parsing: "sip:alice@atlanta.com:99999")
            Issue.record("expected a throw")
        } catch {
            #expect(error.code == .badURIPort)
            #expect(error.status == .badRequest)
        }
    }

    @Test func errorDetailsNeverEchoControlBytes() {
        do {
            _ = try URI(parsing: "sip:a\r\nVia: evil@atlanta.com")
            Issue.record("expected a throw")
        } catch {
            #expect(error.code == .malformedURI)
            #expect(!error.detail.contains("\r"))
            #expect(!error.detail.contains("\n"))
        }
    }

    @Test func longInputsDoNotTrap() throws {
        // Long runs of every delimiter; the parser is iterative, so none of this can overflow a stack.
        let filler = String(repeating: "a", count: 100_000)
        #expect(throws: Never.self) { _ = try URI(parsing: "sip:\(filler)@example.com") }
        for piece in [";", "?", "&", ":", "[", "]", "%", "@", ".", "=", "::"] {
            let text = "sip:" + String(repeating: piece, count: 20_000)
            #expect(uriErrorCode { _ = try URI(parsing: text) } != nil, "\(piece)")
        }
        let manyParameters = "sip:a@b.example" + String(repeating: ";p=1", count: 20_000)
        #expect(try SIPURI(parsing: manyParameters).parameters.count == 20_000)
    }
}
