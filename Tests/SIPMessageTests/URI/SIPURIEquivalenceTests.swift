import Testing

@testable import SIPMessage

/// RFC 3261 §19.1.4: the equivalent and non-equivalent sets, plus the rules they illustrate.
@Suite struct SIPURIEquivalenceTests {
    static let equivalentSets: [[String]] = [
        ["sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"],
        ["sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"],
        [
            "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
            "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
        ],
        [
            "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
            "sip:alice@atlanta.com?priority=urgent&subject=project%20x",
        ],
    ]

    static let nonEquivalentPairs: [(String, String)] = [
        ("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"),  // different usernames
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"),  // can resolve to different ports
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"),  // can resolve to different transports
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"),  // different port and transport
        ("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"),  // different header component
        ("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"),  // even if that is what the name resolves to
    ]

    @Test(arguments: equivalentSets)
    func equivalent(_ set: [String]) throws {
        let uris = try set.map { try URI(parsing: $0) }
        for a in uris {
            for b in uris {
                #expect(a.isEquivalent(to: b), "\(a) should equal \(b)")
            }
        }
    }

    @Test(arguments: nonEquivalentPairs)
    func notEquivalent(_ pair: (String, String)) throws {
        let a = try URI(parsing: pair.0)
        let b = try URI(parsing: pair.1)
        #expect(!a.isEquivalent(to: b))
        #expect(!b.isEquivalent(to: a))
    }

    @Test func sipAndSipsNeverMatch() throws {
        #expect(!(try sipURI("sip:alice@atlanta.com")).isEquivalent(to: try sipURI("sips:alice@atlanta.com")))
    }

    @Test func passwordPresenceAndCase() throws {
        let plain = try sipURI("sip:alice@atlanta.com")
        let withPassword = try sipURI("sip:alice:pw@atlanta.com")
        #expect(!plain.isEquivalent(to: withPassword))
        #expect(!withPassword.isEquivalent(to: try sipURI("sip:alice:PW@atlanta.com")))
        #expect(withPassword.isEquivalent(to: try sipURI("sip:alice:%70w@atlanta.com")))
    }

    @Test func parametersThatMustAppearInBoth() throws {
        let base = try sipURI("sip:alice@atlanta.com")
        for parameter in ["user=phone", "ttl=1", "method=INVITE", "maddr=192.0.2.1", "transport=udp"] {
            let other = try sipURI("sip:alice@atlanta.com;\(parameter)")
            #expect(!base.isEquivalent(to: other), "\(parameter) present in one URI only")
            #expect(!other.isEquivalent(to: base))
        }
        // lr and unknown parameters in one URI only are ignored.
        #expect(base.isEquivalent(to: try sipURI("sip:alice@atlanta.com;lr;foo=bar")))
    }

    @Test func parametersInBothMustMatch() throws {
        let a = try sipURI("sip:alice@atlanta.com;foo=bar")
        #expect(!a.isEquivalent(to: try sipURI("sip:alice@atlanta.com;foo=baz")))
        #expect(a.isEquivalent(to: try sipURI("sip:alice@atlanta.com;FOO=BAR")))
        #expect(!a.isEquivalent(to: try sipURI("sip:alice@atlanta.com;foo")))
    }

    @Test func maddrComparesAsHost() throws {
        let a = try sipURI("sip:alice@atlanta.com;maddr=[2001:db8::1]")
        #expect(a.isEquivalent(to: try sipURI("sip:alice@atlanta.com;maddr=[2001:DB8:0:0::1]")))
        #expect(!a.isEquivalent(to: try sipURI("sip:alice@atlanta.com;maddr=[2001:db8::2]")))
    }

    @Test func hostsCompareSemantically() throws {
        let a = try sipURI("sip:alice@[2001:db8::10]:5060")
        #expect(a.isEquivalent(to: try sipURI("sip:alice@[2001:DB8:0:0:0:0:0:10]:5060")))
        #expect(a.isEquivalent(to: try sipURI("sip:alice@[2001:db8::0.0.0.16]:5060")))
        #expect(!a.isEquivalent(to: try sipURI("sip:alice@[2001:db8::11]:5060")))
    }

    @Test func headersMustMatchExactly() throws {
        let a = try sipURI("sip:alice@atlanta.com?subject=x")
        #expect(!a.isEquivalent(to: try sipURI("sip:alice@atlanta.com?subject=X")))
        #expect(a.isEquivalent(to: try sipURI("sip:alice@atlanta.com?Subject=x")))
        #expect(!a.isEquivalent(to: try sipURI("sip:alice@atlanta.com?subject=x&subject=x")))
    }

    @Test func differentSchemesNeverMatch() throws {
        let sip = try URI(parsing: "sip:+12015550123@example.com;user=phone")
        let tel = try URI(parsing: "tel:+12015550123")
        #expect(!sip.isEquivalent(to: tel))
        #expect(try URI(parsing: "MAILTO:a@b").isEquivalent(to: try URI(parsing: "mailto:a@b")))
        #expect(!(try URI(parsing: "mailto:A@b")).isEquivalent(to: try URI(parsing: "mailto:a@b")))
    }

    @Test func hashableIsStructural() throws {
        let a = try sipURI("sip:alice@atlanta.com;foo=1;bar=2")
        let b = try sipURI("sip:alice@atlanta.com;bar=2;foo=1")
        #expect(a != b)  // parameter order differs
        #expect(a.isEquivalent(to: b))
        // Host case is semantic even structurally.
        let c = try sipURI("sip:alice@ATLANTA.com;foo=1;bar=2")
        #expect(a == c)
        #expect(Set([a, c]).count == 1)
    }
}
