import Foundation
import GatehousePolicy
import GatehouseServer
import SIPMessage
import Testing

/// `gatehouse explain`'s engine: the live path's own stages on one message, reported step by step.
struct ExplainTests {
    static let lab = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policies/lab.yaml")

    static func invite(userAgent: String = "PBX 1.0", dialling number: String = "5551230000") -> [UInt8] {
        Array(
            """
            INVITE sip:\(number)@127.0.0.10 SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-explain-1\r
            Max-Forwards: 70\r
            From: "Front Desk" <sip:2001@127.0.0.2>;tag=pbx1\r
            To: <sip:\(number)@127.0.0.10>\r
            Call-ID: explain-1@127.0.0.2\r
            CSeq: 1 INVITE\r
            Contact: <sip:2001@127.0.0.2:5060>\r
            P-Asserted-Identity: <sip:+15550190001@127.0.0.2>\r
            X-Acme-Internal: secret\r
            User-Agent: \(userAgent)\r
            Content-Length: 0\r
            \r

            """.utf8)
    }

    static func labPolicy() throws -> Policy {
        try PolicyLoader.load(yaml: try String(contentsOf: lab, encoding: .utf8), file: "lab.yaml")
    }

    @Test func aNationalNumberFromThePBXLeavesAsE164TowardTheCarrierWithNothingOfTheAccessSide() throws {
        let explanation = MessageExplainer(policy: try Self.labPolicy())
            .explain(Self.invite(), from: IPAddress(parsing: "127.0.0.2")!, port: 5060, realm: nil)
        #expect(explanation.verdict == "sent to peer lab-carrier")
        #expect(!explanation.isRefusal)
        let steps = explanation.steps.map(\.description)
        #expect(steps.contains("[numbering] Request-URI sip:5551230000@127.0.0.10 → sip:+15551230000@127.0.0.10"))
        #expect(steps.contains { $0.hasPrefix("[routing] route 'pbx-enum'") })
        #expect(steps.contains("[enum] +15551230000: static table +1555123xxxx → peer lab-carrier"))
        let sent = try #require(explanation.result)
        #expect(sent.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:+15551230000@127.0.0.3:5060")
        let text = String(decoding: sent.serialize(), as: UTF8.self)
        for leak in [
            "127.0.0.2:", "127.0.0.2>", "127.0.0.2;", "127.0.0.10", "explain-1", "pbx1", "X-Acme", "User-Agent",
            "P-Asserted-Identity",
        ] {
            #expect(!text.contains(leak), "the carrier would see \(leak)")
        }
    }

    /// An INVITE for a PSI of the MRF is answered by the node, whatever the routes say.
    @Test func anINVITEForAPSIIsTheMRFs() throws {
        let text = try String(contentsOf: Self.lab, encoding: .utf8) + "\nmrf: { domain: mrf.ims.gatehouse.test }\n"
        let policy = try PolicyLoader.load(yaml: text, file: "lab.yaml")
        let invite = String(decoding: Self.invite(dialling: "tone=busy"), as: UTF8.self)
            .replacingOccurrences(of: "tone=busy@127.0.0.10", with: "tone=busy@mrf.ims.gatehouse.test")
        let explanation = MessageExplainer(policy: policy)
            .explain(Array(invite.utf8), from: IPAddress(parsing: "127.0.0.2")!, port: 5060, realm: nil)
        #expect(explanation.verdict == "answered by the MRF: sip:tone=busy@mrf.ims.gatehouse.test is one of its PSIs")
        #expect(!explanation.isRefusal)
    }

    /// A handset's REGISTER on the lab: where it is relayed, and the NAT verdict on its Contact.
    @Test func aHandsetsREGISTERIsRelayedWithItsNATVerdict() throws {
        let register = Array(
            """
            REGISTER sip:ims.gatehouse.test SIP/2.0\r
            Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK-explain-reg\r
            Max-Forwards: 70\r
            From: <sip:alice@ims.gatehouse.test>;tag=ue1\r
            To: <sip:alice@ims.gatehouse.test>\r
            Call-ID: explain-reg@192.168.1.50\r
            CSeq: 1 REGISTER\r
            Contact: <sip:alice@192.168.1.50:5060>\r
            Expires: 600\r
            Content-Length: 0\r
            \r

            """.utf8)
        let explanation = MessageExplainer(policy: try Self.labPolicy())
            .explain(register, from: IPAddress(parsing: "127.0.0.4")!, port: 40_001, realm: "access")
        #expect(
            explanation.verdict
                == "handed to the embedded IMS core: P-CSCF (Path, flow), I-CSCF (UAR), S-CSCF (challenge or registration)"
        )
        let steps = explanation.steps.map(\.description)
        #expect(steps.contains { $0.hasPrefix("[routing] route 'handsets-to-ims'") })
        #expect(
            steps.contains(
                "[nat] Contact sip:alice@192.168.1.50:5060: behind NAT (evidence: contact-not-source,contact-private,via-host-not-source); registered with the S-CSCF as it is; the P-CSCF records the flow 127.0.0.4:40001"
            ), "\(steps)")
    }

    @Test func aScannerIsDroppedAndSaysWhy() throws {
        let explanation = MessageExplainer(policy: try Self.labPolicy())
            .explain(
                Self.invite(userAgent: "friendly-scanner"), from: IPAddress(parsing: "198.51.100.7")!, port: 5060,
                realm: "access")
        #expect(explanation.isRefusal)
        #expect(explanation.verdict.hasPrefix("dropped by sanity: scanner"))
        #expect(explanation.result == nil)
    }

    @Test func outboundRulesAndNumberingShapeWhatThePeerReceives() throws {
        let policy = try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: explain }
                realms:
                  access: { listen: ["udp://127.0.0.10:5060"] }
                  interconnect: { listen: ["udp://127.0.0.20:5060"] }
                peers:
                  pbx: { realm: access, addresses: ["127.0.0.2/32"], numbering: { country_code: 1 } }
                  carrier:
                    realm: interconnect
                    addresses: ["127.0.0.3"]
                    numbering: { country_code: 1, send_as: national, user_phone: false }
                    normalize:
                      outbound:
                        - set: { header: User-Agent, value: Gatehouse }
                        - { add: { header: X-Origin, value: pbx }, when: { peer: pbx } }
                routes:
                  - { match: { from_peer: pbx, number_prefix: "+1900" }, to: "reject:403" }
                  - { match: { from_peer: pbx }, to: "peer:carrier" }
                """, file: "explain.yaml")
        let explainer = MessageExplainer(policy: policy)
        let source = IPAddress(parsing: "127.0.0.2")!
        let explanation = explainer.explain(Self.invite(), from: source, port: 5060, realm: nil)
        let sent = try #require(explanation.result)
        #expect(sent.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:15551230000@127.0.0.3:5060")
        #expect(sent.headers.firstString(.userAgent) == "Gatehouse")
        #expect(sent.headers.firstString("X-Origin") == "pbx")

        let premium = explainer.explain(Self.invite(dialling: "9005550000"), from: source, port: 5060, realm: nil)
        #expect(premium.isRefusal)
        #expect(premium.verdict == "answered 403 Forbidden")
    }

    /// A number already dipped and found ported (RFC 4694 `;rn=`) is routed by its routing number, toward the
    /// network serving it, and reaches that peer in its `uri_form` with the dialled number and `;npdi;rn=…` kept.
    @Test func aPortedNumberIsRoutedByItsRoutingNumberAndKeepsIt() throws {
        let policy = try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: explain }
                realms:
                  access: { listen: ["udp://127.0.0.10:5060"] }
                  interconnect: { listen: ["udp://127.0.0.20:5060"] }
                peers:
                  pbx: { realm: access, addresses: ["127.0.0.2/32"], numbering: { country_code: 44, national_prefix: "0", international_prefix: "00", national_lengths: "9-10" } }
                  fixed: { realm: interconnect, addresses: ["127.0.0.3"] }
                  mobile:
                    realm: interconnect
                    addresses: ["127.0.0.4"]
                    numbering: { country_code: 44, national_prefix: "0", international_prefix: "00", uri_form: tel }
                routes:
                  - { id: mobile, match: { from_peer: pbx, number_prefix: "+447700" }, to: "peer:mobile" }
                  - { id: fixed, match: { from_peer: pbx, number_prefix: "+44" }, to: "peer:fixed" }
                """, file: "explain.yaml")
        let explainer = MessageExplainer(policy: policy)
        let ported = explainer.explain(
            Self.invite(dialling: "02079460000;npdi;rn=+447700900123"), from: IPAddress(parsing: "127.0.0.2")!,
            port: 5060, realm: nil)
        #expect(ported.verdict == "sent to peer mobile")
        #expect(
            ported.steps.map(\.description).contains(
                "[routing] route 'mobile': from_peer pbx, number_prefix +447700 (rn +447700900123, dialled "
                    + "+442079460000) → peer:mobile"))
        let sent = try #require(ported.result)
        #expect(
            sent.requestLine.map { String(decoding: $0.uri, as: UTF8.self) }
                == "tel:+442079460000;npdi;rn=+447700900123")
        // Dipped but not ported: the dialled number routes.
        let dipped = explainer.explain(
            Self.invite(dialling: "02079460000;npdi"), from: IPAddress(parsing: "127.0.0.2")!, port: 5060, realm: nil)
        #expect(dipped.verdict == "sent to peer fixed")
        let kept = try #require(dipped.result)
        #expect(
            kept.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:+442079460000;npdi@127.0.0.3:5060")
    }
}
