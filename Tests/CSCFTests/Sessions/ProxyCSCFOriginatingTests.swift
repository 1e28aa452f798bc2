import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// The P-CSCF's originating checks (TS 24.229 §5.2.6.3, §5.2.10): identity assertion, the ICID, emergency URNs.
struct ProxyCSCFOriginatingTests {
    static func invite(uri: String = "sip:bob@ims.gatehouse.test", extra: [String] = []) throws -> SIPMessage {
        let lines =
            [
                "INVITE \(uri) SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.4:5060;branch=z9hG4bK-inv", "Max-Forwards: 70",
                "From: \"Alice\" <sip:alice@ims.gatehouse.test>;tag=a", "To: <sip:bob@ims.gatehouse.test>",
                "Call-ID: orig-1", "CSeq: 1 INVITE", "Contact: <sip:alice@127.0.0.4:5060>",
            ] + extra + ["Content-Length: 0"]
        return try SIPMessage(parsing: lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    static let later = PCSCFFixtures.start + 10

    @Test func assertsTheDefaultIdentityAndRemovesWhatTheUESent() throws {
        let proxy = try PCSCFFixtures.registered()
        let invite = try Self.invite(extra: [
            "P-Asserted-Identity: <sip:boss@ims.gatehouse.test>", "P-Charging-Vector: icid-value=forged",
        ])
        let origin = try proxy.originate(invite, from: PCSCFFixtures.udpFlow, now: Self.later).get()
        #expect(origin.servedIdentity == PCSCFFixtures.alice)
        #expect(origin.assertedIdentity?.displayName == "Alice")
        #expect(!origin.isEmergency)
        #expect(origin.chargingVector.icidValue.count == 32)
        #expect(origin.chargingVector.icidValue != "forged")
        var forwarded = invite
        origin.apply(to: &forwarded)
        #expect(PCSCFFixtures.text(forwarded, .pAssertedIdentity) == ["\"Alice\" <sip:alice@ims.gatehouse.test>"])
        #expect(PCSCFFixtures.text(forwarded, .pChargingVector).count == 1)
        #expect(!PCSCFFixtures.text(forwarded, .pChargingVector)[0].contains("forged"))
    }

    @Test func aPreferredIdentityOfTheSetIsAssertedAnOtherOneIsNot() throws {
        let proxy = try PCSCFFixtures.registered()
        let tel = try proxy.originate(
            try Self.invite(extra: ["P-Preferred-Identity: <tel:+15550100001>"]), from: PCSCFFixtures.udpFlow,
            now: Self.later
        ).get()
        #expect(tel.servedIdentity == PCSCFFixtures.aliceTel)
        let foreign = try proxy.originate(
            try Self.invite(extra: ["P-Preferred-Identity: <sip:bob@ims.gatehouse.test>"]),
            from: PCSCFFixtures.udpFlow, now: Self.later
        ).get()
        #expect(foreign.servedIdentity == PCSCFFixtures.alice)
    }

    @Test func anUnregisteredOrLapsedFlowIsForbidden() throws {
        let proxy = try PCSCFFixtures.registered(expires: 600)
        let other = UEFlow(transport: "udp", address: "127.0.0.5", port: 5060)
        let unknown = PCSCFFixtures.rejection(proxy.originate(try Self.invite(), from: other, now: Self.later))
        #expect(unknown?.status == .forbidden)
        #expect(unknown?.reason == "not-registered")
        let lapsed = PCSCFFixtures.rejection(
            proxy.originate(try Self.invite(), from: PCSCFFixtures.udpFlow, now: PCSCFFixtures.start + 601))
        #expect(lapsed?.status == .forbidden)
    }

    @Test func emergencyURNsPassRegisteredOrNot() throws {
        let proxy = try PCSCFFixtures.registered()
        let registered = try proxy.originate(
            try Self.invite(uri: "urn:service:sos.police"), from: PCSCFFixtures.udpFlow, now: Self.later
        ).get()
        #expect(registered.emergencyService == "police")
        #expect(registered.servedIdentity == PCSCFFixtures.alice)
        let stranger = try proxy.originate(
            try Self.invite(uri: "urn:service:sos"), from: UEFlow(transport: "udp", address: "127.0.0.9", port: 5060),
            now: Self.later
        ).get()
        #expect(stranger.emergencyService == "")
        #expect(stranger.assertedIdentity == nil)
    }

    @Test func emergencyServiceURNs() throws {
        #expect(EmergencyService.subService(of: try URI(parsing: "urn:service:sos")) == "")
        #expect(EmergencyService.subService(of: try URI(parsing: "URN:Service:SOS.Fire")) == "fire")
        #expect(EmergencyService.subService(of: try URI(parsing: "urn:service:sosx")) == nil)
        #expect(EmergencyService.subService(of: try URI(parsing: "urn:service:sos.")) == nil)
        #expect(EmergencyService.subService(of: try URI(parsing: "urn:service:counseling")) == nil)
        #expect(!EmergencyService.isEmergency(try URI(parsing: "sip:sos@ims.gatehouse.test")))
    }
}
