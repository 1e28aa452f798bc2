import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// A UE's REGISTER through the P-CSCF (TS 24.229 §5.2.2.1): what it adds, what it removes, what it refuses.
@Suite struct ProxyCSCFRegisterTests {
    typealias F = PCSCFFixtures

    private func forward(
        _ request: SIPMessage, over flow: UEFlow = F.udpFlow, proxy: ProxyCSCF = F.proxy()
    ) throws -> SIPMessage {
        var proxy = proxy
        return try proxy.forwardRegister(request, from: flow, now: F.start).get()
    }

    @Test func addsPathRequirePathChargingVectorAndFlow() throws {
        let forwarded = try forward(try F.register())
        #expect(F.text(forwarded, .path) == ["<sip:term@pcscf.ims.gatehouse.test;lr>"])
        #expect(try forwarded.headers.optionTags(.require) == [.path])
        let vector = try #require(try forwarded.headers.first(.pChargingVector, as: PChargingVector.self))
        #expect(vector.icidValue.count == 32)
        #expect(vector.icidValue.allSatisfy { $0.isHexDigit })
        #expect(vector.origIOI == "ims.gatehouse.test")
        #expect(F.text(forwarded, UEFlow.headerName) == ["udp:127.0.0.4:5060"])
        #expect(UEFlow(header: forwarded) == F.udpFlow)
        #expect(!forwarded.headers.contains(.pVisitedNetworkID))
        // What the UE wrote is still there.
        #expect(try forwarded.to.uriText == "sip:alice@ims.gatehouse.test")
        #expect(try forwarded.contacts.count == 1)
    }

    @Test func everyRegisterGetsItsOwnChargingIdentifier() throws {
        let first = try forward(try F.register())
        let second = try forward(try F.register(cseq: 2))
        let icids = try [first, second].map {
            try #require(try $0.headers.first(.pChargingVector, as: PChargingVector.self)).icidValue
        }
        #expect(icids[0] != icids[1])
    }

    @Test func anOutboundContactGetsTheObFlag() throws {
        let forwarded = try forward(
            try F.register(
                contact: #"<sip:alice@127.0.0.4:5060;transport=tcp>;+sip.instance="<urn:uuid:0001>";reg-id=1"#,
                extra: ["Supported: outbound, path"]))
        #expect(F.text(forwarded, .path) == ["<sip:term@pcscf.ims.gatehouse.test;lr;ob>"])
    }

    @Test func theVisitedNetworkIsNamedWhenConfigured() throws {
        let token = try forward(try F.register(), proxy: F.proxy(visitedNetworkID: "visited.example.net"))
        #expect(F.text(token, .pVisitedNetworkID) == ["visited.example.net"])
        let spaced = try forward(try F.register(), proxy: F.proxy(visitedNetworkID: #"Lab "A" network"#))
        #expect(F.text(spaced, .pVisitedNetworkID) == [#""Lab \"A\" network""#])
        let vector = try #require(try spaced.headers.first(.pChargingVector, as: PChargingVector.self))
        #expect(vector.origIOI == #"Lab "A" network"#)
    }

    @Test func headersTheUEMustNotSetAreReplacedOrRemoved() throws {
        let forwarded = try forward(
            try F.register(extra: [
                "P-Asserted-Identity: <sip:admin@ims.gatehouse.test>",
                "P-Charging-Vector: icid-value=spoofed",
                "P-Charging-Function-Addresses: ccf=192.0.2.66",
                "P-Visited-Network-ID: spoofed.example",
                "P-Gatehouse-Flow: udp:192.0.2.66:5060",
                "Path: <sip:attacker@192.0.2.66;lr>",
            ]))
        #expect(!forwarded.headers.contains(.pAssertedIdentity))
        #expect(!forwarded.headers.contains(.pChargingFunctionAddresses))
        #expect(!forwarded.headers.contains(.pVisitedNetworkID))
        #expect(F.text(forwarded, .path) == ["<sip:term@pcscf.ims.gatehouse.test;lr>"])
        #expect(F.text(forwarded, UEFlow.headerName) == ["udp:127.0.0.4:5060"])
        let vectors = try forwarded.headers.all(.pChargingVector, as: PChargingVector.self)
        #expect(vectors.count == 1)
        #expect(vectors.first?.icidValue != "spoofed")
    }

    @Test func integrityProtectedSaysWhatTheFlowIs() throws {
        func integrity(_ message: SIPMessage) throws -> String? {
            try message.headers.first(.authorization, as: Credentials.self)?.integrityProtected
        }
        // Nothing registered yet.
        #expect(try integrity(try forward(try F.register(), over: F.udpFlow)) == "ip-assoc-pending")
        #expect(try integrity(try forward(try F.register(), over: F.tlsFlow)) == "tls-pending")
        // A UE's own value is overwritten.
        let claimed = F.authorization(username: "alice@ims.gatehouse.test", extra: #", integrity-protected="yes""#)
        #expect(try integrity(try forward(try F.register(authorization: claimed))) == "ip-assoc-pending")

        // Registered over UDP: still pending, since a datagram's source address proves nothing.
        var overUDP = try F.registered(over: F.udpFlow)
        #expect(
            try integrity(try overUDP.forwardRegister(try F.register(cseq: 3), from: F.udpFlow, now: F.start).get())
                == "ip-assoc-pending")
        // Registered over a TCP connection: the same private identity is bound to it, another one is not.
        let tcpFlow = UEFlow(transport: "tcp", address: "127.0.0.4", port: 40_000)
        var overTCP = try F.registered(over: tcpFlow)
        #expect(
            try integrity(try overTCP.forwardRegister(try F.register(cseq: 3), from: tcpFlow, now: F.start).get())
                == "ip-assoc-yes")
        let bob = F.authorization(username: "bob@ims.gatehouse.test")
        #expect(
            try integrity(
                try overTCP.forwardRegister(try F.register(authorization: bob), from: tcpFlow, now: F.start).get())
                == "ip-assoc-pending")
        // Another flow from the same address is another association.
        let otherPort = UEFlow(transport: "tcp", address: "127.0.0.4", port: 40_002)
        #expect(
            try integrity(try overTCP.forwardRegister(try F.register(), from: otherPort, now: F.start).get())
                == "ip-assoc-pending")
        // Once the registration has run out, the association is pending again.
        #expect(
            try integrity(try overTCP.forwardRegister(try F.register(), from: tcpFlow, now: F.start + 600).get())
                == "ip-assoc-pending")

        var overTLS = try F.registered(over: F.tlsFlow)
        #expect(
            try integrity(try overTLS.forwardRegister(try F.register(cseq: 3), from: F.tlsFlow, now: F.start).get())
                == "tls-yes")
    }

    @Test func aRegisterWithoutAuthorizationGetsNone() throws {
        let forwarded = try forward(try F.register(authorization: nil))
        #expect(!forwarded.headers.contains(.authorization))
    }

    @Test func aRequiredSecurityAgreementIsRefusedWith420() throws {
        var proxy = F.proxy()
        for extra in [
            ["Require: sec-agree"], ["Proxy-Require: sec-agree", "Require: sec-agree"], ["Proxy-Require: sec-agree"],
        ] {
            let request = try F.register(
                extra: extra + [
                    #"Security-Client: ipsec-3gpp;alg=hmac-sha-1-96;spi-c=1;spi-s=2;port-c=5062;port-s=5064"#
                ])
            let rejection = try #require(F.rejection(proxy.forwardRegister(request, from: F.udpFlow, now: F.start)))
            #expect(rejection.status.code == 420)
            #expect(rejection.reason == ProxyCSCF.secAgreeUnsupported)
            let response = ProxyCSCF.response(rejecting: request, with: rejection, toTag: "pcscf-1")
            #expect(response.statusCode == 420)
            #expect(try response.headers.optionTags(.unsupported) == [.secAgree])
            #expect(try response.to.tag == "pcscf-1")
        }
    }

    @Test func anOfferedSecurityAgreementEndsAtTheProxy() throws {
        let forwarded = try forward(
            try F.register(extra: [
                "Supported: path, sec-agree",
                "Security-Client: digest",
                "Security-Verify: digest;d-qop=auth",
            ]))
        #expect(!forwarded.headers.contains(.securityClient))
        #expect(!forwarded.headers.contains(.securityVerify))
        #expect(try forwarded.headers.optionTags(.supported) == [.path])
    }

    @Test func aToThatNamesNoUserIsForbidden() throws {
        var proxy = F.proxy()
        for to in ["<mailto:alice@ims.gatehouse.test>", "<sip:ims.gatehouse.test>"] {
            let rejection = try #require(
                F.rejection(proxy.forwardRegister(try F.register(to: to), from: F.udpFlow, now: F.start)))
            #expect(rejection.status.code == 403)
            #expect(rejection.reason == "unsupported-identity")
        }
        let tel = proxy.forwardRegister(try F.register(to: "<tel:+15550100001>"), from: F.udpFlow, now: F.start)
        #expect(F.rejection(tel) == nil)
    }

    @Test func aToThatDoesNotParseIsABadRequest() throws {
        var proxy = F.proxy()
        let rejection = try #require(
            F.rejection(
                proxy.forwardRegister(
                    try F.register(to: "<sip:alice@ims.gatehouse.test"), from: F.udpFlow, now: F.start)))
        #expect(rejection.status.code == 400)
    }

    @Test func onlyTheHomeDomainMayBeRegisteredWith() throws {
        var proxy = F.proxy()
        for uri in ["sip:other.example.net", "sip:alice@ims.gatehouse.test", "tel:+15550100001"] {
            let rejection = try #require(
                F.rejection(proxy.forwardRegister(try F.register(requestURI: uri), from: F.udpFlow, now: F.start)))
            #expect(rejection.status.code == 403, "\(uri)")
            #expect(rejection.reason == "foreign-domain")
        }
        #expect(
            F.rejection(
                proxy.forwardRegister(
                    try F.register(requestURI: "sip:IMS.Gatehouse.Test"), from: F.udpFlow, now: F.start))
                == nil)
    }
}
