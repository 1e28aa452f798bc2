import Testing

@testable import SIPMessage

/// The SIP and SIPS URI examples of RFC 3261 §19.1.3, field by field, and their byte-exact serialization.
@Suite struct SIPURIParsingTests {
    @Test func simpleUserAtHost() throws {
        let uri = try sipURI("sip:alice@atlanta.com")
        #expect(!uri.isSecure)
        #expect(uri.user == "alice")
        #expect(uri.password == nil)
        #expect(uri.host == .name("atlanta.com"))
        #expect(uri.port == nil)
        #expect(uri.parameters.isEmpty)
        #expect(uri.headers.isEmpty)
        #expect(uri.description == "sip:alice@atlanta.com")
    }

    @Test func passwordAndTransport() throws {
        let uri = try sipURI("sip:alice:secretword@atlanta.com;transport=tcp")
        #expect(uri.user == "alice")
        #expect(uri.password == "secretword")
        #expect(uri.transport == "tcp")
        #expect(uri.parameters == [URIParameter(name: "transport", value: "tcp")])
        #expect(uri.description == "sip:alice:secretword@atlanta.com;transport=tcp")
    }

    @Test func sipsWithHeaders() throws {
        let uri = try sipURI("sips:alice@atlanta.com?subject=project%20x&priority=urgent")
        #expect(uri.isSecure)
        #expect(uri.scheme == "sips")
        #expect(
            uri.headers == [
                URIHeader(name: "subject", value: "project x"), URIHeader(name: "priority", value: "urgent"),
            ])
        #expect(uri.headerValue(named: "Subject") == "project x")
        #expect(uri.description == "sips:alice@atlanta.com?subject=project%20x&priority=urgent")
    }

    @Test func telephoneSubscriberWithPassword() throws {
        // RFC 3261 §19.1.3: the ":1234" is the password, not part of the number.
        let uri = try sipURI("sip:+1-212-555-1212:1234@gateway.com;user=phone")
        #expect(uri.user == "+1-212-555-1212")
        #expect(uri.password == "1234")
        #expect(uri.userParameter == "phone")
        #expect(uri.telephoneNumber?.number == "+1-212-555-1212")
        #expect(uri.telephoneNumber?.digitsOnly == "+12125551212")
        #expect(uri.description == "sip:+1-212-555-1212:1234@gateway.com;user=phone")
    }

    @Test func sipsNumericUser() throws {
        let uri = try sipURI("sips:1212@gateway.com")
        #expect(uri.isSecure)
        #expect(uri.user == "1212")
        #expect(uri.telephoneNumber == nil)  // no user=phone
        #expect(uri.description == "sips:1212@gateway.com")
    }

    @Test func ipv4Host() throws {
        let uri = try sipURI("sip:alice@192.0.2.4")
        #expect(uri.host == .ipv4(IPv4Address(192, 0, 2, 4)))
        #expect(uri.description == "sip:alice@192.0.2.4")
    }

    @Test func noUserWithMethodAndHeader() throws {
        let uri = try sipURI("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com")
        #expect(uri.user == nil)
        #expect(uri.host == .name("atlanta.com"))
        #expect(uri.method == "REGISTER")
        #expect(uri.headers == [URIHeader(name: "to", value: "alice@atlanta.com")])
        #expect(uri.description == "sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com")
    }

    @Test func semicolonInsideUser() throws {
        // The ";day=tuesday" is part of the user: user-unreserved allows ";" and "=".
        let uri = try sipURI("sip:alice;day=tuesday@atlanta.com")
        #expect(uri.user == "alice;day=tuesday")
        #expect(uri.parameters.isEmpty)
        #expect(uri.description == "sip:alice;day=tuesday@atlanta.com")
    }

    @Test func portAndManyParameters() throws {
        let text = "sip:bob@biloxi.example.com:5070;transport=udp;ttl=15;maddr=239.255.255.1;lr;method=INVITE"
        let uri = try sipURI(text)
        #expect(uri.port == 5070)
        #expect(uri.transport == "udp")
        #expect(uri.ttl == 15)
        #expect(uri.maddr == .ipv4(IPv4Address(239, 255, 255, 1)))
        #expect(uri.lr)
        #expect(uri.method == "INVITE")
        #expect(uri.description == text)
    }

    @Test func schemeIsCaseInsensitive() throws {
        let uri = try sipURI("SIP:ALICE@AtLanTa.CoM;Transport=UDP")
        #expect(!uri.isSecure)
        #expect(uri.user == "ALICE")
        #expect(uri.transport == "UDP")
        #expect(uri.host == .name("atlanta.com"))
        // The scheme is written in lower case; the rest as received.
        #expect(uri.description == "sip:ALICE@AtLanTa.CoM;Transport=UDP")
        #expect(try sipURI("SiPs:a@b.example").isSecure)
    }

    @Test func parameterLookupIgnoresCase() throws {
        let uri = try sipURI("sip:a@example.com;TRANSPORT=tls;Foo;bar=1")
        #expect(uri.transport == "tls")
        #expect(uri.parameter(named: "foo") == URIParameter(name: "Foo"))
        #expect(uri.hasParameter(named: "FOO"))
        #expect(uri.parameter(named: "BAR")?.value == "1")
        #expect(uri.parameter(named: "baz") == nil)
    }

    @Test func emptyPasswordIsKept() throws {
        let uri = try sipURI("sip:alice:@atlanta.com")
        #expect(uri.password == "")
        #expect(uri.description == "sip:alice:@atlanta.com")
    }

    @Test func portLimits() throws {
        #expect(try sipURI("sip:a.example:65535").port == 65535)
        #expect(try sipURI("sip:a.example:0").port == 0)
        #expect(uriErrorCode { _ = try SIPURI(parsing: "sip:a.example:65536") } == .badURIPort)
        #expect(uriErrorCode { _ = try SIPURI(parsing: "sip:a.example:99999999999999999999999") } == .badURIPort)
    }

    @Test func typedAccessorsRejectBadValues() throws {
        let uri = try sipURI("sip:a.example;ttl=256;maddr=not_a_host")
        #expect(uri.ttl == nil)
        #expect(uri.maddr == nil)
        #expect(uri.hasParameter(named: "ttl"))
    }

    @Test func parsesFromASliceWithOffset() throws {
        let message = Array("INVITE sip:bob@biloxi.com;lr SIP/2.0".utf8)
        let uri = try URI(parsing: message[7..<28])
        #expect(uri == .sip(SIPURI(user: "bob", host: .name("biloxi.com"), parameters: [URIParameter(name: "lr")])))
    }
}
