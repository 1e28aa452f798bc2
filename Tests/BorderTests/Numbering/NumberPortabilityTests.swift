import SIPMessage
import Testing

@testable import Border

/// `npdi`, `rn`, `rn-context` and `cic` (RFC 4694) from tel URIs and SIP user parts.
@Suite struct NumberPortabilityTests {
    @Test func fromTelURI() throws {
        let uri = try URI(parsing: "tel:+1-555-123-0000;npdi;rn=+1-555-123-9999")
        let data = NumberPortability(uri: uri)
        #expect(data.isDipped)
        #expect(data.routingNumber == "+15551239999")
        #expect(data.routingE164?.description == "+15551239999")
        let dialled = try E164Number(parsing: "+15551230000")
        #expect(data.routingTarget(for: dialled).description == "+15551239999")
    }

    @Test func fromSIPUserPart() throws {
        let flagged = try URI(parsing: "sip:+15551230000;rn=+15551239999;npdi@carrier.example;user=phone")
        #expect(NumberPortability(uri: flagged) == NumberPortability(isDipped: true, routingNumber: "+15551239999"))
        // Without user=phone, as some carriers send it.
        let bare = try URI(parsing: "sip:+15551230000;NPDI;cic=+1-0333@carrier.example")
        #expect(NumberPortability(uri: bare) == NumberPortability(isDipped: true, carrierIdentificationCode: "+10333"))
    }

    @Test func localRoutingNumber() throws {
        let uri = try URI(parsing: "tel:+15551230000;npdi;rn=5551239;rn-context=+1555")
        let data = NumberPortability(uri: uri)
        #expect(data.routingNumber == "5551239")
        #expect(data.routingNumberContext == "+1555")
        #expect(data.routingE164?.description == "+15555551239")
        let domain = NumberPortability(
            parameters: [
                URIParameter(name: "rn", value: "5551239"), URIParameter(name: "rn-context", value: "np.example"),
            ])
        #expect(domain.routingE164 == nil)
    }

    @Test func absent() throws {
        #expect(NumberPortability(uri: try URI(parsing: "tel:+15551230000")).isEmpty)
        #expect(NumberPortability(uri: try URI(parsing: "sip:alice@example.com")).isEmpty)
        let dialled = try E164Number(parsing: "+15551230000")
        #expect(NumberPortability().routingTarget(for: dialled) == dialled)
    }
}
