import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// Bob registers with HTTP digest (RFC 3261 §22, RFC 7616, RFC 8760): MD5 by default, SHA-256 when he asks.
@Suite struct DigestRegistrationTests {
    typealias F = SCSCFFixtures

    static func bobRegister() -> F.Register {
        var register = F.Register()
        register.to = "<sip:bob@ims.gatehouse.test>"
        register.callID = "bob-call-1@127.0.0.5"
        register.contacts = ["<sip:bob@127.0.0.5:5060;transport=udp>"]
        register.extra = []
        return register
    }

    static let password = Array(FakeHSS.bobPassword.utf8)

    @Test(arguments: [(nil, "MD5"), ("MD5", "MD5"), ("SHA-256", "SHA-256")] as [(String?, String)])
    func digestRegistration(asked: String?, challenged: String) throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = Self.bobRegister()
        register.authorization =
            "Digest username=\"bob@ims.gatehouse.test\", realm=\"ims.gatehouse.test\", nonce=\"\", "
            + "uri=\"sip:ims.gatehouse.test\", response=\"\"" + (asked.map { ", algorithm=\($0)" } ?? "")
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)
        #expect(challenge.algorithm == DigestAlgorithm(challenged))
        #expect(challenge.realm == "ims.gatehouse.test")
        #expect(challenge.qopOptions == ["auth"])
        #expect(challenge.ik == nil)
        #expect(challenge.ck == nil)
        let nonce = try #require(challenge.nonce)
        #expect(nonce.count == 32)  // 16 random bytes, hex
        #expect(
            hss.snapshot.multimediaAuths.first?.scheme == asked.flatMap { AuthenticationScheme(algorithmToken: $0) })

        register.cseq = 2
        register.authorization = try F.answer(
            challenge, username: "bob@ims.gatehouse.test", password: Self.password, integrityProtected: "tls-pending")
        let outcome = scscf.handleRegister(try register.message, now: F.start + 5)
        #expect(outcome.response.statusCode == 200)
        #expect(outcome.privateIdentity == FakeHSS.bob)
        #expect(try F.contactExpiries(in: outcome.response) == ["sip:bob@127.0.0.5:5060;transport=udp": 600])
        #expect(
            try F.values(.pAssociatedURI, in: outcome.response) == [
                "<sip:bob@ims.gatehouse.test>", "<tel:+15550100002>",
            ])
        #expect(scscf.registeredSet(containing: FakeHSS.bobTel) == [FakeHSS.bobTel, FakeHSS.bobSIP])
        let binding = try #require(scscf.bindings(of: FakeHSS.bobSIP).first)
        #expect(binding.receivedFrom == nil)
        #expect(binding.userAgent == nil)
    }

    @Test func answerWithoutQopIsAccepted() throws {
        var scscf = F.scscf()
        var register = Self.bobRegister()
        register.authorization = nil  // no Authorization: the private identity is derived from To
        let first = scscf.handleRegister(try register.message, now: F.start)
        #expect(first.privateIdentity == FakeHSS.bob)
        let challenge = try F.challenge(in: first.response)
        register.cseq = 2
        register.authorization = try F.answer(
            challenge, username: "bob@ims.gatehouse.test", password: Self.password, qop: false)
        #expect(scscf.handleRegister(try register.message, now: F.start).response.statusCode == 200)
    }

    @Test func wrongPasswordIsForbidden() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = Self.bobRegister()
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)
        register.cseq = 2
        register.authorization = try F.answer(
            challenge, username: "bob@ims.gatehouse.test", password: Array("guess".utf8))
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 403)
        #expect(outcome.authenticationFailed)
        #expect(outcome.failure?.reason == "wrong-response")
        #expect(hss.snapshot.serverAssignments.map(\.type) == [.authenticationFailure])
    }

    /// Answers that contradict the challenge are malformed (400), not failed authentications.
    @Test(arguments: [
        ("realm", "other.test"),
        ("algorithm", "SHA-256"),
        ("opaque", "not-the-opaque"),
        ("qop", "auth-int"),
    ])
    func contradictingAnswerIsABadRequest(parameter: String, value: String) throws {
        var scscf = F.scscf()
        var register = Self.bobRegister()
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)
        register.cseq = 2
        var answer = try F.answer(challenge, username: "bob@ims.gatehouse.test", password: Self.password)
        var credentials = try Credentials(parsing: answer)
        credentials.parameters.set(parameter, value, quoted: true)
        answer = credentials.serializedString
        register.authorization = answer
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 400)
        #expect(outcome.failure?.reason == "bad-authorization")
        #expect(!outcome.authenticationFailed)
    }

    /// SIPp, and UEs behind an outbound proxy, hash the next hop's address as `uri`: the answer is checked over what
    /// the client hashed.
    @Test func aDigestURIOtherThanTheRequestURIIsCheckedAsWritten() throws {
        var scscf = F.scscf()
        var register = Self.bobRegister()
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)
        register.cseq = 2
        register.authorization = try F.answer(
            challenge, username: "bob@ims.gatehouse.test", password: Self.password, uri: "sip:127.0.0.10:5060")
        #expect(scscf.handleRegister(try register.message, now: F.start).response.statusCode == 200)
    }

    @Test func equivalentDigestURIIsAccepted() throws {
        var scscf = F.scscf()
        var register = Self.bobRegister()
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)
        register.cseq = 2
        // RFC 3261 §19.1.4: the host compares without regard to case; the digest is over the text the UE sent.
        register.authorization = try F.answer(
            challenge, username: "bob@ims.gatehouse.test", password: Self.password, uri: "sip:IMS.gatehouse.test")
        #expect(scscf.handleRegister(try register.message, now: F.start).response.statusCode == 200)
    }

    @Test func telIdentityWithoutAuthorizationIsForbidden() throws {
        var scscf = F.scscf()
        var register = Self.bobRegister()
        register.to = "<tel:+15550100002>"
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 403)
        #expect(outcome.failure?.reason == "no-private-identity")
        #expect(outcome.privateIdentity == nil)
    }
}
