import IMSInterfaces
import Testing

@testable import HSS

/// UAR (TS 29.228 §6.1.1.1) against the lab subscribers.
@Suite struct UserAuthorizationTests {
    let store: SQLiteSubscriberStore
    let hss: HomeSubscriberServer

    init() throws {
        store = try Lab.store()
        hss = HomeSubscriberServer(store: store, random: CountingRandom().bytes)
    }

    func uar(
        _ identity: PublicIdentity, _ privateIdentity: PrivateIdentity = Lab.aliceIMPI,
        _ type: UserAuthorizationRequest.AuthorizationType = .registration
    ) throws -> UserAuthorizationAnswer {
        try hss.userAuthorization(
            UserAuthorizationRequest(publicIdentity: identity, privateIdentity: privateIdentity, type: type))
    }

    func register(_ identity: PublicIdentity, _ type: ServerAssignmentRequest.AssignmentType = .registration) throws {
        _ = try hss.serverAssignment(
            ServerAssignmentRequest(publicIdentity: identity, privateIdentity: nil, serverName: Lab.scscf, type: type))
    }

    @Test func unknownIdentities() throws {
        #expect(try uar(Lab.aliceSIP, Lab.impi("mallory@ims.gatehouse.test")).result == .userUnknown)
        #expect(try uar(Lab.impu("sip:mallory@ims.gatehouse.test")).result == .userUnknown)
    }

    @Test func identitiesOfAnotherSubscriber() throws {
        #expect(try uar(Lab.bobSIP).result == .identitiesDontMatch)
        #expect(try uar(Lab.impu("tel:+15550190042")).result == .identitiesDontMatch, "the PBX's block")
        #expect(try uar(Lab.aliceTel, Lab.bobIMPI).result == .identitiesDontMatch)
    }

    @Test func firstRegistrationGetsCapabilities() throws {
        let answer = try uar(Lab.aliceSIP)
        #expect(answer == UserAuthorizationAnswer(result: .firstRegistration, capabilities: Lab.aliceCapabilities))
    }

    @Test func subsequentRegistrationGetsTheAssignedServer() throws {
        try register(Lab.aliceSIP)
        #expect(
            try uar(Lab.aliceTel) == UserAuthorizationAnswer(result: .subsequentRegistration, serverName: Lab.scscf))
    }

    @Test func unregisteredServiceCountsAsAssigned() throws {
        try register(Lab.aliceTel, .unregisteredUser)
        #expect(
            try uar(Lab.aliceSIP) == UserAuthorizationAnswer(result: .subsequentRegistration, serverName: Lab.scscf))
    }

    @Test func registrationAndCapabilitiesAlwaysGetsCapabilities() throws {
        try register(Lab.aliceSIP)
        let answer = try uar(Lab.aliceSIP, Lab.aliceIMPI, .registrationAndCapabilities)
        #expect(answer == UserAuthorizationAnswer(result: .firstRegistration, capabilities: Lab.aliceCapabilities))
    }

    @Test func deregistration() throws {
        #expect(try uar(Lab.aliceSIP, Lab.aliceIMPI, .deregistration).result == .identityNotRegistered)
        try register(Lab.aliceSIP)
        #expect(
            try uar(Lab.aliceSIP, Lab.aliceIMPI, .deregistration)
                == UserAuthorizationAnswer(result: .success, serverName: Lab.scscf))
    }

    @Test func barredIdentityAloneIsRejected() throws {
        var alice = Lab.alice
        alice.publicIdentities.append(
            PublicIdentityEntry(
                .distinct(Lab.impu("sip:alice-alone@ims.gatehouse.test")), implicitSet: "alone",
                isBarred: true))
        try store.put(alice)
        #expect(try uar(Lab.impu("sip:alice-alone@ims.gatehouse.test")).result == .authorizationRejected)
    }

    /// The barred temporary identity registers with its set (TS 23.228 §4.3.3.5).
    @Test func barredIdentityWithAnUnbarredOneInItsSetRegisters() throws {
        var alice = Lab.alice
        alice.publicIdentities.append(
            PublicIdentityEntry(.distinct(Lab.impu("sip:alice-temp@ims.gatehouse.test")), isBarred: true))
        try store.put(alice)
        #expect(try uar(Lab.impu("sip:alice-temp@ims.gatehouse.test")).result == .firstRegistration)
    }

    @Test func serviceIdentityNeverRegisters() throws {
        var alice = Lab.alice
        alice.publicIdentities.append(
            PublicIdentityEntry(.distinct(Lab.impu("sip:alice-conf@ims.gatehouse.test")), isServiceIdentity: true))
        try store.put(alice)
        #expect(try uar(Lab.impu("sip:alice-conf@ims.gatehouse.test")).result == .authorizationRejected)
    }

    @Test func aPendingChallengeSteersTheAnswerToItsSCSCF() throws {
        _ = try hss.multimediaAuth(
            MultimediaAuthRequest(
                privateIdentity: Lab.aliceIMPI, publicIdentity: Lab.aliceSIP, serverName: Lab.otherSCSCF))
        #expect(
            try uar(Lab.aliceSIP)
                == UserAuthorizationAnswer(result: .subsequentRegistration, serverName: Lab.otherSCSCF))
        #expect(try uar(Lab.aliceSIP, Lab.aliceIMPI, .deregistration).result == .identityNotRegistered)

        _ = try hss.serverAssignment(
            ServerAssignmentRequest(
                publicIdentity: Lab.aliceSIP, privateIdentity: Lab.aliceIMPI, serverName: Lab.otherSCSCF,
                type: .authenticationFailure))
        #expect(try uar(Lab.aliceSIP).result == .firstRegistration)
    }
}
