import Foundation
import HSS
import IMSInterfaces
import SIPMessage

/// A handset with a USIM, written for the tests SIPp cannot do (it never sends AUTS and accepts any SQN): it checks
/// the network's MAC, computes RES, or answers an out-of-range SQN with AUTS (TS 33.102 §6.3.3), and can be told
/// to get RES wrong. It speaks SIP through a `SocketProbe`.
struct IMSTestUE {
    let probe: SocketProbe
    /// The address the probe is bound to.
    let address: String
    let user: String
    let domain: String
    let milenage: Milenage
    let amf: AMF
    /// The highest SEQ the USIM accepted; an AUTN at or below it is out of range (a replay).
    var highestSequence: UInt64 = 0
    let callID = "ue-\(UInt32.random(in: 1...UInt32.max))@test"
    var cseq = 0
    let core: (address: String, port: Int)

    init(
        address: String, user: String, domain: String = "ims.gatehouse.test", key: String, op: String, amf: UInt16,
        core: (String, Int)
    ) throws {
        self.probe = try SocketProbe(udpFrom: address)
        self.address = address
        self.user = user
        self.domain = domain
        self.milenage = try Milenage(key: AKAKey(hex: key), op: OP(hex: op))
        self.amf = AMF(amf)
        self.core = core
    }

    var privateIdentity: String { "\(user)@\(domain)" }
    var requestURI: String { "sip:\(domain)" }

    /// What the USIM made of a challenge's nonce.
    enum Verdict {
        case answer(res: [UInt8])
        case resynchronise(auts: AUTS, rand: RAND)
        case networkNotAuthentic
    }

    /// Checks AUTN (MAC-A, then SQN freshness) as a USIM does (TS 33.102 §6.3.3).
    mutating func examine(nonce: String) throws -> Verdict {
        let parsed = try AKAv1Nonce(base64: nonce)
        let outputs = milenage.outputs(rand: parsed.rand, sqn: try SQN(0), amf: amf)
        let sqn = parsed.autn.sqn(revealedBy: outputs.ak)
        guard milenage.f1(rand: parsed.rand, sqn: sqn, amf: parsed.autn.amf) == parsed.autn.mac else {
            return .networkNotAuthentic
        }
        let sequence = SequenceNumberState.sequence(of: sqn)
        guard sequence > highestSequence else {
            let sqnMS = try SQN(highestSequence << UInt64(SequenceNumberState.indexBitCount))
            return .resynchronise(
                auts: milenage.resynchronisationToken(rand: parsed.rand, sqnMS: sqnMS), rand: parsed.rand)
        }
        highestSequence = sequence
        return .answer(res: milenage.f2(rand: parsed.rand).bytes)
    }

    /// Sends a REGISTER; `authorization` is the whole header value (nil: the initial one with an empty response).
    mutating func register(contactPort: Int, expires: Int = 600, authorization: String? = nil) {
        cseq += 1
        let credentials =
            authorization
            ?? "Digest username=\"\(privateIdentity)\", realm=\"\(domain)\", nonce=\"\", uri=\"\(requestURI)\", response=\"\""
        probe.send(
            """
            REGISTER \(requestURI) SIP/2.0\r
            Via: SIP/2.0/UDP \(address):\(probe.localPort);branch=z9hG4bK-ue-\(cseq)-\(UInt32.random(in: 1...UInt32.max))\r
            Max-Forwards: 70\r
            From: <sip:\(user)@\(domain)>;tag=ue-tag\r
            To: <sip:\(user)@\(domain)>\r
            Call-ID: \(callID)\r
            CSeq: \(cseq) REGISTER\r
            Contact: <sip:\(user)@\(address):\(contactPort)>;expires=\(expires)\r
            Authorization: \(credentials)\r
            Content-Length: 0\r
            \r

            """, to: core.address, port: core.port)
    }

    /// The Authorization answering `challenge` with `password` (RES, or empty with an AUTS: RFC 3310 §3.4).
    func authorization(answering challenge: Challenge, password: [UInt8], auts: AUTS? = nil) -> String {
        let nonce = challenge.nonce ?? ""
        let realm = challenge.realm ?? domain
        let ha1 = DigestComputation.ha1(algorithm: .md5, username: privateIdentity, realm: realm, password: password)
        let clientNonce = "0a4f113b"
        let response = DigestComputation.response(
            algorithm: .md5, ha1: ha1, nonce: nonce, method: "REGISTER", uri: requestURI, qop: "auth",
            nonceCount: "00000001", clientNonce: clientNonce)
        var value =
            "Digest username=\"\(privateIdentity)\", realm=\"\(realm)\", nonce=\"\(nonce)\", uri=\"\(requestURI)\", "
            + "response=\"\(response)\", algorithm=AKAv1-MD5, qop=auth, nc=00000001, cnonce=\"\(clientNonce)\""
        if let opaque = challenge.opaque { value += ", opaque=\"\(opaque)\"" }
        if let auts { value += ", auts=\"\(Data(auts.bytes).base64EncodedString())\"" }
        return value
    }

    /// The next response to this UE's REGISTERs (retransmissions and other messages skipped). Waits without
    /// holding a thread of the shared pool, which the node's own tasks may need (2 threads on a 2-core machine).
    func nextResponse(timeoutMilliseconds: Int = 15_000) async -> SIPMessage? {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while ContinuousClock.now < deadline {
            guard let text = await probe.receiveYielding(timeoutMilliseconds: 500), text.hasPrefix("SIP/2.0"),
                let message = try? SIPMessage(parsing: Array(text.utf8)),
                (try? message.cseq.sequence).map({ Int($0) == cseq }) ?? false
            else { continue }
            return message
        }
        return nil
    }

    /// The challenge of a 401.
    static func challenge(in response: SIPMessage) -> Challenge? {
        response.headers.first(.wwwAuthenticate).flatMap { try? Challenge(parsing: $0) }
    }
}

extension IMSTestUE {
    /// A full AKA registration: REGISTER, 401, REGISTER with RES; the final status.
    mutating func registerWithAKA(contactPort: Int, expires: Int = 600) async throws -> Int? {
        register(contactPort: contactPort, expires: expires)
        guard let challenged = await nextResponse(), challenged.statusCode == 401,
            let challenge = Self.challenge(in: challenged), let nonce = challenge.nonce,
            case .answer(let res) = try examine(nonce: nonce)
        else { return nil }
        register(
            contactPort: contactPort, expires: expires,
            authorization: authorization(answering: challenge, password: res))
        return await nextResponse()?.statusCode
    }

    /// Answers a request (a NOTIFY) with 200 OK.
    static func answerRequest(_ request: SIPMessage, on probe: SocketProbe, to core: (String, Int)) {
        var text = "SIP/2.0 200 OK\r\n"
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] {
            for value in request.headers.fieldValues(HeaderName(name)) {
                text += "\(name): \(String(decoding: value, as: UTF8.self))\r\n"
            }
        }
        probe.send(text + "Content-Length: 0\r\n\r\n", to: core.0, port: core.1)
    }
}
