import CSCF
import IMSInterfaces
import SIPMessage

/// Messages and a P-CSCF for the P-CSCF tests: alice of the lab topology registering from 127.0.0.4.
enum PCSCFFixtures {
    static let domain = "ims.gatehouse.test"
    static let udpFlow = UEFlow(transport: "udp", address: "127.0.0.4", port: 5060)
    static let tlsFlow = UEFlow(transport: "tls", address: "127.0.0.4", port: 45061)
    static let alice = PublicIdentity(parsing: "sip:alice@ims.gatehouse.test")!
    static let aliceTel = PublicIdentity(parsing: "tel:+15550100001")!
    static let aliceIMPI = PrivateIdentity("alice@ims.gatehouse.test")!
    static let start = Timestamp(secondsSince1970: 1_700_000_000)

    static func proxy(visitedNetworkID: String? = nil) -> ProxyCSCF {
        ProxyCSCF(
            configuration: .init(uri: "sip:pcscf.\(domain)", visitedNetworkID: visitedNetworkID, domain: domain),
            random: { count in (0..<count).map { _ in UInt8.random(in: 0...255) } })
    }

    /// A REGISTER from alice's UE: `extra` header lines go before Content-Length.
    static func register(
        contact: String = "<sip:alice@127.0.0.4:5060>", to: String = "<sip:alice@ims.gatehouse.test>",
        requestURI: String = "sip:ims.gatehouse.test", authorization: String? = defaultAuthorization,
        expires: Int = 600000, callID: String = "reg-1@127.0.0.4", cseq: Int = 1, extra: [String] = []
    ) throws -> SIPMessage {
        var lines = [
            "REGISTER \(requestURI) SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.4:5060;branch=z9hG4bK-\(cseq)-\(callID.hashValue & 0xFFFF);rport",
            "Max-Forwards: 70",
            "From: <sip:alice@ims.gatehouse.test>;tag=ue-1",
            "To: \(to)",
            "Call-ID: \(callID)",
            "CSeq: \(cseq) REGISTER",
            "Contact: \(contact)",
            "Expires: \(expires)",
        ]
        if let authorization { lines.append("Authorization: \(authorization)") }
        lines += extra
        lines.append("Content-Length: 0")
        return try SIPMessage(parsing: lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    static let defaultAuthorization = authorization(username: "alice@ims.gatehouse.test")

    /// An initial REGISTER's Authorization (TS 24.229 §5.1.1.2.1: empty nonce and response).
    static func authorization(username: String, extra: String = "") -> String {
        #"Digest username="\#(username)", realm="ims.gatehouse.test", nonce="", "#
            + #"uri="sip:ims.gatehouse.test", response="""# + extra
    }

    /// The S-CSCF's 200 OK to `request`, listing `contacts` (already with their `expires`).
    static func ok(
        to request: SIPMessage, contacts: [String],
        associated: [String] = [
            "<sip:alice@ims.gatehouse.test>", "<tel:+15550100001>",
        ], serviceRoute: [String] = ["<sip:orig@scscf.ims.gatehouse.test;lr>"], extra: [String] = []
    ) -> SIPMessage {
        var response = SIPMessage.response(to: request, status: .ok, toTag: "scscf-1")
        for contact in contacts { response.headers.append(.contact, contact) }
        if !associated.isEmpty { response.headers.append(.pAssociatedURI, associated.joined(separator: ", ")) }
        for route in serviceRoute { response.headers.append(.serviceRoute, route) }
        response.headers.append(.path, "<sip:term@pcscf.ims.gatehouse.test;lr>")
        for line in extra {
            let colon = line.firstIndex(of: ":")!
            response.headers.append(
                HeaderName(String(line[..<colon])), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        return response
    }

    /// Registers alice over `flow` (REGISTER forwarded, 200 answered) and returns the P-CSCF.
    static func registered(
        over flow: UEFlow = udpFlow, contact: String = "<sip:alice@127.0.0.4:5060>", expires: Int = 600
    ) throws -> ProxyCSCF {
        var proxy = proxy()
        let request = try register(contact: contact)
        _ = proxy.forwardRegister(request, from: flow, now: start)
        _ = proxy.registerResponse(
            ok(to: request, contacts: ["\(contact);expires=\(expires)"]), answering: request, from: flow, now: start)
        return proxy
    }

    static func text(_ message: SIPMessage, _ name: HeaderName) -> [String] {
        message.headers.fieldValues(name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The rejection of a result, nil for a success.
    static func rejection<Value>(_ result: Result<Value, CSCFRejection>) -> CSCFRejection? {
        if case .failure(let rejection) = result { return rejection }
        return nil
    }
}
