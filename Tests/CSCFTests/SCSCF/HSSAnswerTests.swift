import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// Cx answers that are not success, and an HSS that throws, as SIP answers (TS 24.229 §5.4.1.2).
@Suite struct HSSAnswerTests {
    typealias F = SCSCFFixtures

    @Test(arguments: [
        (CxResult.userUnknown, 403, "user-unknown"),
        (.identitiesDontMatch, 403, "identities-dont-match"),
        (.authorizationRejected, 403, "authorization-rejected"),
        (.roamingNotAllowed, 403, "roaming-not-allowed"),
        (.authSchemeNotSupported, 403, "auth-scheme-not-supported"),
        (.unableToComply, 500, "hss-unable-to-comply"),
    ])
    func multimediaAuthFailure(result: CxResult, status: Int, reason: String) throws {
        let hss = FakeHSS()
        hss.update { $0.multimediaAuthResult = result }
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.authorization = F.initialAuthorization()
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == status)
        #expect(outcome.failure?.reason == reason)
        #expect(!outcome.authenticationFailed)
        #expect(scscf.pendingChallengeCount == 0)
    }

    @Test func unknownUserAndUnofferedSchemeFromTheHSSItself() throws {
        var scscf = F.scscf()
        var register = F.Register()
        register.to = "<sip:carol@ims.gatehouse.test>"
        #expect(scscf.handleRegister(try register.message, now: F.start).failure?.reason == "user-unknown")

        register = F.Register()
        register.authorization =
            "Digest username=\"alice@ims.gatehouse.test\", realm=\"ims.gatehouse.test\", nonce=\"\", "
            + "uri=\"sip:ims.gatehouse.test\", response=\"\", algorithm=MD5"
        #expect(
            scscf.handleRegister(try register.message, now: F.start).failure?.reason == "auth-scheme-not-supported")
    }

    @Test func thrownCxErrorIsAServerError() throws {
        let hss = FakeHSS()
        hss.update { $0.unreachable = true }
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.authorization = F.initialAuthorization()
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 500)
        #expect(outcome.failure?.reason == "hss-unavailable")
        #expect(outcome.failure?.status == .serverInternalError)
    }

    @Test func failedServerAssignmentLeavesNothingRegistered() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.authorization = F.initialAuthorization()
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)
        hss.update { $0.serverAssignmentResult = .authorizationRejected }
        register.cseq = 2
        register.authorization = try F.akaAnswer(challenge, vector: 1)
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 403)
        #expect(outcome.failure?.reason == "authorization-rejected")
        #expect(outcome.changes.isEmpty)
        #expect(scscf.registeredSetCount == 0)
    }

    @Test func failedReRegistrationKeepsTheOldBindings() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        try F.registerAlice(&scscf, register)
        hss.update { $0.unreachable = true }
        register.cseq = 10
        register.contacts = ["<sip:alice@127.0.0.4:5070>"]
        register.authorization = F.initialAuthorization(integrityProtected: "yes")
        let outcome = scscf.handleRegister(try register.message, now: F.start + 10)
        #expect(outcome.response.statusCode == 500)
        #expect(scscf.bindings(of: FakeHSS.aliceSIP).map(\.contact) == ["<sip:alice@127.0.0.4:5060>"])
    }
}
