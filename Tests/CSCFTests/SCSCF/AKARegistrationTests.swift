import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// Alice registers with IMS-AKA (TS 24.229 §5.4.1.2, RFC 3310) through the S-CSCF.
@Suite struct AKARegistrationTests {
    typealias F = SCSCFFixtures

    @Test func initialRegisterIsChallengedWithTheVectorOfTheHSS() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.authorization = F.initialAuthorization()
        let outcome = scscf.handleRegister(try register.message, now: F.start)

        #expect(outcome.response.statusCode == 401)
        #expect(outcome.failure == nil)
        #expect(outcome.changes.isEmpty)
        #expect(!outcome.authenticationFailed)
        #expect(outcome.privateIdentity == FakeHSS.alice)
        let challenge = try F.challenge(in: outcome.response)
        // RFC 3310 §3.2: nonce = base64(RAND ‖ AUTN); vector 1 is bytes 0…31.
        #expect(challenge.nonce == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        #expect(challenge.realm == "ims.gatehouse.test")
        #expect(challenge.algorithm == .akav1MD5)
        #expect(challenge.qopOptions == ["auth"])
        #expect(challenge.opaque?.isEmpty == false)
        #expect(challenge.stale == nil)
        // TS 24.229 §5.4.1.2.1: IK and CK in hex, for the P-CSCF.
        #expect(challenge.ik == String(repeating: "11", count: 16))
        #expect(challenge.ck == String(repeating: "c1", count: 16))
        let toTag = try outcome.response.to.tag
        #expect(toTag?.isEmpty == false)

        let mar = try #require(hss.snapshot.multimediaAuths.first)
        #expect(mar.privateIdentity == FakeHSS.alice)
        #expect(mar.publicIdentity == FakeHSS.aliceSIP)
        #expect(mar.scheme == nil)
        #expect(mar.numberOfItems == 1)
        #expect(mar.serverName == "sip:scscf.ims.gatehouse.test")
        #expect(scscf.pendingChallengeCount == 1)
    }

    @Test func correctRESRegistersTheImplicitSet() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        let outcome = try F.registerAlice(&scscf)
        let response = outcome.response

        #expect(outcome.failure == nil)
        #expect(outcome.privateIdentity == FakeHSS.alice)
        #expect(try F.contactExpiries(in: response) == ["sip:alice@127.0.0.4:5060": 600])
        #expect(try F.values(.path, in: response) == ["<sip:term@pcscf.ims.gatehouse.test;lr>"])
        #expect(try F.values(.serviceRoute, in: response) == ["<sip:orig@scscf.ims.gatehouse.test;lr>"])
        // RFC 3455: the set's identities that are not barred, the registered one first.
        #expect(
            try F.values(.pAssociatedURI, in: response) == [
                "<sip:alice@ims.gatehouse.test>", "<tel:+15550100001>",
            ])
        #expect(try F.values(.supported, in: response) == ["path"])

        let sar = try #require(hss.snapshot.serverAssignments.last)
        #expect(sar.type == .registration)
        #expect(sar.publicIdentity == FakeHSS.aliceSIP)
        #expect(sar.privateIdentity == FakeHSS.alice)

        let change = try #require(outcome.changes.first)
        #expect(outcome.changes.count == 1)
        #expect(change.publicIdentities == [FakeHSS.aliceSIP, FakeHSS.aliceTel])
        #expect(change.privateIdentity == FakeHSS.alice)
        #expect(change.contacts.map(\.state) == [.active])
        #expect(change.contacts.map(\.event) == [.registered])
        #expect(!change.isTerminated)

        let binding = try #require(scscf.bindings(of: FakeHSS.aliceTel).first)
        #expect(binding.contact == "<sip:alice@127.0.0.4:5060>")
        #expect(binding.path == ["<sip:term@pcscf.ims.gatehouse.test;lr>"])
        #expect(binding.receivedFrom == "udp:127.0.0.4:5060")
        #expect(binding.userAgent == "LabPhone/1.0")
        #expect(binding.callID == "reg-call-1@127.0.0.4")
        #expect(binding.cseq == 2)
        #expect(binding.expiresAt == F.start + 600)
        #expect(scscf.registeredSet(containing: FakeHSS.aliceTel) == [FakeHSS.aliceTel, FakeHSS.aliceSIP])
        #expect(scscf.registeredSet(containing: FakeHSS.aliceBarred) == nil)
        #expect(scscf.registeredSetCount == 1)
        #expect(scscf.pendingChallengeCount == 0)
        #expect(scscf.nextExpiry == F.start + 600)
    }

    @Test func wrongRESIsForbiddenAndReported() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.authorization = F.initialAuthorization()
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)

        register.cseq = 2
        register.authorization = try F.akaAnswer(challenge, vector: 2)  // RES of another vector
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 403)
        #expect(outcome.failure?.reason == "wrong-response")
        #expect(outcome.authenticationFailed)
        #expect(outcome.privateIdentity == FakeHSS.alice)
        #expect(outcome.changes.isEmpty)
        #expect(hss.snapshot.serverAssignments.map(\.type) == [.authenticationFailure])
        #expect(scscf.registeredSet(containing: FakeHSS.aliceSIP) == nil)

        // The challenge was consumed: even the right answer now finds its nonce gone and is challenged afresh.
        register.cseq = 3
        register.authorization = try F.akaAnswer(challenge, vector: 1)
        let retry = scscf.handleRegister(try register.message, now: F.start)
        #expect(try F.challenge(in: retry.response).stale == true)
    }

    @Test func staleNonceIsChallengedAgainWithStaleTrue() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.authorization = F.initialAuthorization()
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)

        // Answered after the 30 s the challenge lives.
        register.cseq = 2
        register.authorization = try F.akaAnswer(challenge, vector: 1)
        let late = scscf.handleRegister(try register.message, now: F.start + 30)
        #expect(late.failure == nil)
        #expect(!late.authenticationFailed)
        let fresh = try F.challenge(in: late.response)
        #expect(fresh.stale == true)
        #expect(fresh.nonce == "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=")  // vector 2
        #expect(hss.snapshot.multimediaAuths.count == 2)

        register.cseq = 3
        register.authorization = try F.akaAnswer(fresh, vector: 2)
        #expect(scscf.handleRegister(try register.message, now: F.start + 31).response.statusCode == 200)
    }

    @Test func unknownNonceIsAStaleChallenge() throws {
        var scscf = F.scscf()
        var register = F.Register()
        register.authorization =
            "Digest username=\"alice@ims.gatehouse.test\", realm=\"ims.gatehouse.test\", nonce=\"bm90LW91cnM=\", "
            + "uri=\"sip:ims.gatehouse.test\", response=\"00112233445566778899aabbccddeeff\", algorithm=AKAv1-MD5"
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(try F.challenge(in: outcome.response).stale == true)
        #expect(!outcome.authenticationFailed)
    }

    @Test func autsResynchronisesAndChallengesWithAFreshVector() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.authorization = F.initialAuthorization()
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)

        // RFC 3310 §3.4: the UE rejects AUTN's SQN and answers with AUTS (and an empty response).
        register.cseq = 2
        register.authorization =
            "Digest username=\"alice@ims.gatehouse.test\", realm=\"ims.gatehouse.test\", "
            + "nonce=\"\(challenge.nonce ?? "")\", uri=\"sip:ims.gatehouse.test\", response=\"\", "
            + "algorithm=AKAv1-MD5, auts=\"wMHCw8TFxsfIycrLzM0=\", integrity-protected=\"no\""
        let resync = scscf.handleRegister(try register.message, now: F.start + 1)
        #expect(resync.failure == nil)
        let fresh = try F.challenge(in: resync.response)
        #expect(fresh.nonce == "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=")
        #expect(fresh.stale == nil)

        let mar = try #require(hss.snapshot.multimediaAuths.last)
        #expect(mar.scheme == .akaV1MD5)
        #expect(mar.resynchronization?.rand == FakeHSS.vector(1).rand)
        #expect(mar.resynchronization?.auts == FakeHSS.goodAUTS)

        register.cseq = 3
        register.authorization = try F.akaAnswer(fresh, vector: 2)
        #expect(scscf.handleRegister(try register.message, now: F.start + 2).response.statusCode == 200)
    }

    @Test func autsTheHSSRejectsIsForbidden() throws {
        var scscf = F.scscf()
        var register = F.Register()
        register.authorization = F.initialAuthorization()
        let challenge = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)

        register.cseq = 2
        register.authorization =
            "Digest username=\"alice@ims.gatehouse.test\", realm=\"ims.gatehouse.test\", "
            + "nonce=\"\(challenge.nonce ?? "")\", uri=\"sip:ims.gatehouse.test\", response=\"\", "
            + "algorithm=AKAv1-MD5, auts=\"AAAAAAAAAAAAAAAAAAA=\""
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 403)
        #expect(outcome.failure?.reason == "authorization-rejected")

        // An AUTS that is not base64 of 14 bytes cannot be checked: 400.
        register.cseq = 3
        register.authorization = F.initialAuthorization()
        let next = try F.challenge(in: scscf.handleRegister(try register.message, now: F.start).response)
        register.cseq = 4
        register.authorization =
            "Digest username=\"alice@ims.gatehouse.test\", realm=\"ims.gatehouse.test\", "
            + "nonce=\"\(next.nonce ?? "")\", uri=\"sip:ims.gatehouse.test\", response=\"\", auts=\"not base64!\""
        let malformed = scscf.handleRegister(try register.message, now: F.start)
        #expect(malformed.response.statusCode == 400)
        #expect(malformed.failure?.reason == "bad-authorization")
    }

    @Test func protectedReRegistrationIsAcceptedWithoutAChallenge() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        try F.registerAlice(&scscf, register)

        // TS 24.229 §5.1.1.4: the re-registration carries the last nonce and response; the P-CSCF vouches for the
        // flow with integrity-protected. Each value that vouches is accepted, on the tel identity too.
        for (offset, value) in ["ip-assoc-yes", "yes", "tls-yes"].enumerated() {
            register.cseq = 10 + offset
            register.to = "<tel:+15550100001>"
            register.authorization =
                "Digest username=\"alice@ims.gatehouse.test\", realm=\"ims.gatehouse.test\", nonce=\"used-nonce\", "
                + "uri=\"sip:ims.gatehouse.test\", response=\"6629fae49393a05397450978507c4ef1\", "
                + "algorithm=AKAv1-MD5, integrity-protected=\"\(value)\""
            let outcome = scscf.handleRegister(try register.message, now: F.start + 100)
            #expect(outcome.response.statusCode == 200, "\(value)")
            #expect(outcome.changes.first?.contacts.map(\.event) == [.refreshed])
            #expect(outcome.changes.first?.publicIdentities.first == FakeHSS.aliceTel)
            #expect(try F.contactExpiries(in: outcome.response) == ["sip:alice@127.0.0.4:5060": 600])
            #expect(try F.values(.pAssociatedURI, in: outcome.response).first == "<tel:+15550100001>")
        }
        #expect(hss.snapshot.multimediaAuths.count == 1)
        #expect(
            hss.snapshot.serverAssignments.map(\.type) == [
                .registration, .reRegistration, .reRegistration, .reRegistration,
            ])
        #expect(scscf.registeredSetCount == 1)
        #expect(scscf.bindings(of: FakeHSS.aliceSIP).first?.expiresAt == F.start + 700)

        // Values that do not vouch for the flow are challenged.
        for value in ["no", "tls-pending", "ip-assoc-pending", "auth-done"] {
            register.cseq += 1
            register.authorization = F.initialAuthorization(integrityProtected: value)
            #expect(scscf.handleRegister(try register.message, now: F.start + 100).response.statusCode == 401)
        }
    }

    @Test func protectedRegisterOfAnIdentityNotRegisteredIsChallenged() throws {
        var scscf = F.scscf()
        var register = F.Register()
        register.authorization = F.initialAuthorization(integrityProtected: "ip-assoc-yes")
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 401)
        #expect(try F.challenge(in: outcome.response).stale == nil)
    }
}
