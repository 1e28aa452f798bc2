import Testing

@testable import Border

/// ENUM domain names (RFC 6116 §2.4) and services fields (RFC 6116 §3.4.3, RFC 3761 legacy order).
@Suite struct ENUMDomainTests {
    @Test func domainNames() throws {
        let number = try E164Number(parsing: "+15551230000")
        #expect(ENUMDomain.name(for: number) == "0.0.0.0.3.2.1.5.5.5.1.e164.arpa")
        #expect(ENUMDomain.name(for: number, suffix: "e164.arpa.") == "0.0.0.0.3.2.1.5.5.5.1.e164.arpa")
        #expect(ENUMDomain.name(for: number, suffix: ".enum.lab.test") == "0.0.0.0.3.2.1.5.5.5.1.enum.lab.test")
        // RFC 6116 §2.4's example.
        let rfc = try E164Number(parsing: "+442079460148")
        #expect(ENUMDomain.name(for: rfc) == "8.4.1.0.6.4.9.7.0.2.4.4.e164.arpa")
    }

    @Test(arguments: [
        ("E2U+sip", ["sip"]),
        ("e2u+SIP", ["sip"]),
        ("E2U+pstn:tel", ["pstn:tel"]),
        ("E2U+sip+h323", ["sip", "h323"]),
        ("E2U+voice:tel+sip", ["voice:tel", "sip"]),
        ("sip+E2U", ["sip"]),  // RFC 2916 order, RFC 3761 §2.4.2
    ])
    func servicesFields(field: String, expected: [String]) throws {
        let services = try #require(ENUMService.parse(field))
        #expect(services.map(\.description) == expected)
    }

    @Test func notE2U() {
        for field in ["SIP+D2U", "E2U", "E2U+", "E2U+sip:", "", "E2U+s!p", "x+y"] {
            #expect(ENUMService.parse(field) == nil, "\(field)")
        }
    }

    @Test func serviceKinds() throws {
        #expect(ENUMService(type: "SIP").isSIP)
        #expect(ENUMService(type: "pstn", subtypes: ["SIP"]).isPSTN)
        #expect(!ENUMService(type: "pstn").isPSTN)
        #expect(!ENUMService(type: "sip", subtypes: ["x"]).isPSTN)
    }
}
