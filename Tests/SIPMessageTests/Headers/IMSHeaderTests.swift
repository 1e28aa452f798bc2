import Testing

@testable import SIPMessage

/// Session-Expires and Min-SE (RFC 4028), P-Charging-Vector (RFC 7315), Security-Client/Server/Verify
/// (RFC 3329, TS 33.203).
@Suite struct IMSHeaderTests {
    @Test func sessionExpires() throws {
        let value = try SessionExpires(parsing: "4000;refresher=uac")
        #expect(value.seconds == 4000)
        #expect(value.refresher == .uac)
        let compact = try typedHeadersMessage(["INVITE sip:a@b.example SIP/2.0", "x: 1800 ; refresher = UAS ;x=y"])
        let parsed = try compact.headers.first(.sessionExpires, as: SessionExpires.self)
        #expect(parsed?.refresher == .uas)
        #expect(parsed?.parameters.value("x") == "y")
        var built = SessionExpires(seconds: 90, refresher: .uas)
        #expect(built.serializedString == "90;refresher=uas")
        built.refresher = nil
        #expect(built.serializedString == "90")
        #expect(try MinSE(parsing: "90") == MinSE.minimum)
    }

    @Test(arguments: ["", "abc", "4000;refresher=both", "4000;refresher", "4000 5", "99999999999", "4000;"])
    func badSessionExpires(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: SessionExpires.self) == .badSessionExpires, "\(text)")
    }

    @Test func chargingVector() throws {
        // RFC 7315 §4.6.
        let rfc = try PChargingVector(
            parsing: "icid-value=1234bc9876e; icid-generated-at=192.0.6.8; orig-ioi=home1.net")
        #expect(rfc.icidValue == "1234bc9876e")
        #expect(rfc.icidGeneratedAt == "192.0.6.8")
        #expect(rfc.origIOI == "home1.net")
        #expect(rfc.termIOI == nil)
        // TS 24.229 example, quoted base64 ICID.
        let quoted = try PChargingVector(
            parsing: #"icid-value="AyretyU0dm+6O2IrT5tAFrbHLso=023551024"; orig-ioi=home1.net"#)
        #expect(quoted.icidValue == "AyretyU0dm+6O2IrT5tAFrbHLso=023551024")
        // The same unquoted, as some nodes send it.
        var unquoted = try PChargingVector(
            parsing: "icid-value=AyretyU0dm+6O2IrT5tAFrbHLso=023551024;orig-ioi=home1.net")
        #expect(unquoted.icidValue == quoted.icidValue)
        unquoted.termIOI = "visited.net"
        #expect(
            unquoted.serializedString
                == #"icid-value="AyretyU0dm+6O2IrT5tAFrbHLso=023551024";orig-ioi=home1.net;term-ioi=visited.net"#)
        let built = PChargingVector(icidValue: "abc", origIOI: "a.net")
        #expect(built.serializedString == "icid-value=abc;orig-ioi=a.net")
    }

    @Test(arguments: [
        "", "orig-ioi=home1.net; icid-value=1", "icid-value", "icid-value=", ";icid-value=1",
        "icid-value=1;;x", "icid-value=\"open",
    ])
    func badChargingVector(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: PChargingVector.self) == .badChargingVector, "\(text)")
    }

    @Test func securityClientIPsec3GPP() throws {
        // TS 33.203 / TS 24.228 initial REGISTER.
        let message = try typedHeadersMessage([
            "REGISTER sip:registrar.home1.net SIP/2.0",
            "Security-Client: ipsec-3gpp; alg=hmac-sha-1-96; spi-c=23456789; spi-s=12345678; port-c=2468; port-s=1357",
            "Security-Client: ipsec-3gpp;alg=hmac-md5-96;ealg=aes-cbc;prot=esp;mod=trans;spi-c=4294967295;spi-s=1;port-c=5062;port-s=5064, digest;d-alg=md5;q=0.1",
        ])
        let mechanisms = try message.headers.all(.securityClient, as: SecurityMechanism.self)
        #expect(mechanisms.count == 3)
        let first = mechanisms[0]
        #expect(first.isIPsec3GPP)
        #expect(first.algorithm == "hmac-sha-1-96")
        #expect(first.spiC == 23_456_789)
        #expect(first.spiS == 12_345_678)
        #expect(first.portC == 2468)
        #expect(first.portS == 1357)
        #expect(first.encryptionAlgorithm == nil)
        #expect(mechanisms[1].encryptionAlgorithm == "aes-cbc")
        #expect(mechanisms[1].ipsecProtocol == "esp")
        #expect(mechanisms[1].mode == "trans")
        #expect(mechanisms[1].spiC == UInt32.max)
        #expect(mechanisms[2].mechanism == "digest")
        #expect(mechanisms[2].digestAlgorithm == "md5")
        #expect(mechanisms[2].preference == QValue(thousandths: 100))
    }

    @Test func securityServerAndVerify() throws {
        var server = try SecurityMechanism(
            parsing: "ipsec-3gpp; q=0.1; alg=hmac-sha-1-96; spi-c=98765432; spi-s=87654321; port-c=8642; port-s=7531")
        #expect(server.preference == QValue(thousandths: 100))
        server.portS = 5064
        #expect(
            server.serializedString
                == "ipsec-3gpp;q=0.1;alg=hmac-sha-1-96;spi-c=98765432;spi-s=87654321;port-c=8642;port-s=5064")
        let verify = try SecurityMechanism(parsing: #"tls;q=0.2;d-ver="0123456789abcdef0123456789abcdef""#)
        #expect(verify.digestVerify == "0123456789abcdef0123456789abcdef")
    }

    @Test(arguments: [
        "", ";alg=x", "ipsec-3gpp;spi-c=4294967296", "ipsec-3gpp;port-s=65536", "ipsec-3gpp;q=2",
        "ipsec-3gpp;port-c=", "ipsec 3gpp", "ipsec-3gpp;spi-s=x",
    ])
    func badSecurityMechanism(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: SecurityMechanism.self) == .badSecurityMechanism, "\(text)")
    }

    @Test func roundTrips() throws {
        try typedRoundTrip("4000;refresher=uac", as: SessionExpires.self)
        try typedRoundTrip("1800 ; refresher = UAS ;x=\"a b\"", as: SessionExpires.self)
        try typedRoundTrip("120;x", as: MinSE.self)
        try typedRoundTrip(
            "icid-value=1234bc9876e; icid-generated-at=192.0.6.8; orig-ioi=home1.net", as: PChargingVector.self)
        try typedRoundTrip(
            "icid-value=AyretyU0dm+6O2IrT5tAFrbHLso=023551024;orig-ioi=home1.net", as: PChargingVector.self)
        try typedRoundTrip(
            "ipsec-3gpp; alg=hmac-sha-1-96; spi-c=23456789; spi-s=12345678; port-c=2468; port-s=1357",
            as: SecurityMechanism.self)
        try typedRoundTrip(
            #"digest;d-alg=md5;d-ver="0123456789abcdef0123456789abcdef";q=0.3"#, as: SecurityMechanism.self)
    }
}
