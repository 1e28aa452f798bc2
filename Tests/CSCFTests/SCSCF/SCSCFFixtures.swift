import CSCF
import IMSInterfaces
import SIPMessage
import Synchronization
import Testing

/// REGISTERs as the I-CSCF forwards them, answers to challenges computed the way a UE computes them, and an
/// S-CSCF wired to the fake HSS with a clock the test moves.
enum SCSCFFixtures {
    static let realm = "ims.gatehouse.test"
    static let requestURI = "sip:ims.gatehouse.test"
    static let start = Timestamp(secondsSince1970: 1_800_000_000)
    static let pcscfPath = "<sip:term@pcscf.ims.gatehouse.test;lr>"

    static let configuration = ServingCSCF.Configuration(
        serverName: "sip:scscf.ims.gatehouse.test", realm: realm)

    /// Deterministic "random" bytes: a counter, so that every nonce, opaque value and tag differs.
    final class CountingRandom: Sendable {
        private let next = Mutex<UInt8>(0)

        func bytes(_ count: Int) -> [UInt8] {
            next.withLock { value in
                (0..<count).map { _ in
                    value &+= 1
                    return value
                }
            }
        }
    }

    static func scscf(
        hss: FakeHSS = FakeHSS(), store: MemoryRegistrarStore? = MemoryRegistrarStore(),
        configuration: ServingCSCF.Configuration = configuration
    ) -> ServingCSCF {
        let random = CountingRandom()
        return ServingCSCF(configuration: configuration, cx: hss, store: store, random: { random.bytes($0) })
    }

    /// A REGISTER's parts; `message` writes it.
    struct Register {
        var to = "<sip:alice@ims.gatehouse.test>"
        var callID = "reg-call-1@127.0.0.4"
        var cseq = 1
        var contacts = ["<sip:alice@127.0.0.4:5060>"]
        var expires: Int? = 600
        var authorization: String? = nil
        var path = [SCSCFFixtures.pcscfPath]
        var extra: [String] = ["P-Gatehouse-Flow: udp:127.0.0.4:5060", "User-Agent: LabPhone/1.0"]

        var message: SIPMessage {
            get throws {
                var lines = [
                    "REGISTER \(SCSCFFixtures.requestURI) SIP/2.0",
                    "Via: SIP/2.0/UDP icscf.ims.gatehouse.test;branch=z9hG4bK-icscf-\(cseq)",
                    "Via: SIP/2.0/UDP pcscf.ims.gatehouse.test;branch=z9hG4bK-pcscf-\(cseq)",
                    "Via: SIP/2.0/UDP 127.0.0.4:5060;branch=z9hG4bK-ue-\(cseq);rport",
                    "Max-Forwards: 68",
                    "From: \(to);tag=ue-tag-1",
                    "To: \(to)",
                    "Call-ID: \(callID)",
                    "CSeq: \(cseq) REGISTER",
                ]
                lines += contacts.map { "Contact: \($0)" }
                if let expires { lines.append("Expires: \(expires)") }
                if let authorization { lines.append("Authorization: \(authorization)") }
                lines += path.map { "Path: \($0)" }
                lines += extra
                lines.append("Content-Length: 0")
                return try SIPMessage(parsing: lines.joined(separator: "\r\n") + "\r\n\r\n")
            }
        }
    }

    /// The initial REGISTER's Authorization of TS 24.229 §5.1.1.2.1: username, empty nonce and response.
    static func initialAuthorization(
        username: String = "alice@ims.gatehouse.test", integrityProtected: String = "no"
    ) -> String {
        "Digest username=\"\(username)\", realm=\"\(realm)\", nonce=\"\", uri=\"\(requestURI)\", response=\"\", "
            + "integrity-protected=\"\(integrityProtected)\""
    }

    /// The one WWW-Authenticate of a 401.
    static func challenge(in response: SIPMessage) throws -> Challenge {
        #expect(response.statusCode == 401)
        let challenges = try response.headers.all(.wwwAuthenticate, as: Challenge.self)
        #expect(challenges.count == 1)
        return try #require(challenges.first)
    }

    /// The Authorization a UE answers `challenge` with: HA1 from the password (RES's raw bytes for AKA),
    /// qop=auth with nc and cnonce.
    static func answer(
        _ challenge: Challenge, username: String, password: [UInt8], integrityProtected: String = "yes",
        uri: String = requestURI, qop: Bool = true, extra: String = ""
    ) throws -> String {
        let nonce = try #require(challenge.nonce)
        let token = try #require(challenge.algorithm).name
        let hash: DigestHash = token.uppercased() == "SHA-256" ? .sha256 : .md5
        let ha1 = DigestComputation.ha1(
            algorithm: hash, username: username, realm: try #require(challenge.realm), password: password)
        let response = DigestComputation.response(
            algorithm: hash, ha1: ha1, nonce: nonce, method: "REGISTER", uri: uri, qop: qop ? "auth" : nil,
            nonceCount: qop ? "00000001" : nil, clientNonce: qop ? "0a4f113b" : nil)
        var text =
            "Digest username=\"\(username)\", realm=\"\(challenge.realm ?? "")\", nonce=\"\(nonce)\", "
            + "uri=\"\(uri)\", response=\"\(response)\", algorithm=\(token)"
        if qop { text += ", qop=auth, nc=00000001, cnonce=\"0a4f113b\"" }
        if let opaque = challenge.opaque { text += ", opaque=\"\(opaque)\"" }
        text += ", integrity-protected=\"\(integrityProtected)\"" + extra
        return text
    }

    /// Alice's answer to the AKA challenge made from vector `n`.
    static func akaAnswer(_ challenge: Challenge, vector n: Int, integrityProtected: String = "yes") throws -> String {
        try answer(
            challenge, username: "alice@ims.gatehouse.test", password: FakeHSS.vector(n).xres,
            integrityProtected: integrityProtected)
    }

    /// Registers alice with AKA (initial REGISTER, 401, answer with vector `vector`), as `register` says.
    @discardableResult
    static func registerAlice(
        _ scscf: inout ServingCSCF, _ register: Register = Register(), vector: Int = 1, now: Timestamp = start
    ) throws -> RegisterOutcome {
        var first = register
        first.authorization = initialAuthorization()
        let challenged = scscf.handleRegister(try first.message, now: now)
        let challenge = try challenge(in: challenged.response)
        var second = register
        second.cseq = register.cseq + 1
        second.authorization = try akaAnswer(challenge, vector: vector)
        let outcome = scscf.handleRegister(try second.message, now: now)
        #expect(outcome.response.statusCode == 200, "\(outcome.failure.map(String.init(describing:)) ?? "")")
        return outcome
    }

    /// The values of a header in a response, as text.
    static func values(_ name: HeaderName, in message: SIPMessage) throws -> [String] {
        try message.headers.values(name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Contact URI text → its `expires` in a 200.
    static func contactExpiries(in response: SIPMessage) throws -> [String: UInt32] {
        var result: [String: UInt32] = [:]
        for contact in try response.contacts {
            let address = try #require(contact.nameAddress)
            result[address.uriText] = address.expires
        }
        return result
    }
}
