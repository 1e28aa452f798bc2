import IMSInterfaces
import Testing

@testable import HSS

/// SAR (TS 29.228 §6.1.2.1): registration state of the whole implicit set, and the user profile.
@Suite struct ServerAssignmentTests {
    let store: SQLiteSubscriberStore
    let hss: HomeSubscriberServer

    init() throws {
        store = try Lab.store()
        hss = HomeSubscriberServer(store: store, random: CountingRandom().bytes)
    }

    func sar(
        _ type: ServerAssignmentRequest.AssignmentType, _ identity: PublicIdentity = Lab.aliceSIP,
        _ privateIdentity: PrivateIdentity? = Lab.aliceIMPI, server: String = Lab.scscf
    ) throws -> ServerAssignmentAnswer {
        try hss.serverAssignment(
            ServerAssignmentRequest(
                publicIdentity: identity, privateIdentity: privateIdentity, serverName: server, type: type))
    }

    func state(_ identity: PublicIdentity) throws -> IdentityRegistration { try store.registration(of: identity) }

    @Test func registrationRegistersTheSetAndReturnsTheProfile() throws {
        let answer = try sar(.registration, Lab.aliceTel)
        #expect(answer.result == .success)
        let voice = Lab.alice.serviceProfiles[0]
        #expect(
            answer.profile
                == UserProfile(
                    privateIdentity: Lab.aliceIMPI,
                    implicitSet: [
                        .init(identity: Lab.aliceTel, isBarred: false, serviceProfile: voice),
                        .init(identity: Lab.aliceSIP, isBarred: false, serviceProfile: voice),
                    ]))
        for identity in [Lab.aliceSIP, Lab.aliceTel] {
            #expect(
                try state(identity)
                    == IdentityRegistration(identity: identity, state: .registered, serverName: Lab.scscf))
        }
        #expect(try sar(.reRegistration, Lab.aliceSIP, nil, server: Lab.otherSCSCF).result == .success)
        #expect(try state(Lab.aliceTel).serverName == Lab.otherSCSCF)
    }

    @Test func profileMarksABarredIdentity() throws {
        var alice = Lab.alice
        alice.publicIdentities.insert(
            PublicIdentityEntry(.distinct(Lab.impu("sip:alice-temp@ims.gatehouse.test")), isBarred: true), at: 0)
        try store.put(alice)
        let profile = try #require(try sar(.registration, Lab.impu("sip:alice-temp@ims.gatehouse.test")).profile)
        #expect(profile.implicitSet.map(\.isBarred) == [true, false, false])
        #expect(profile.associatedIdentities == [Lab.aliceSIP, Lab.aliceTel])
        #expect(try state(Lab.impu("sip:alice-temp@ims.gatehouse.test")).state == .registered)
    }

    @Test func unregisteredUser() throws {
        let answer = try sar(.unregisteredUser, Lab.aliceSIP, nil)
        #expect(answer.result == .success)
        #expect(answer.profile?.implicitSet.map(\.identity) == [Lab.aliceSIP, Lab.aliceTel])
        #expect(
            try state(Lab.aliceTel)
                == IdentityRegistration(identity: Lab.aliceTel, state: .unregistered, serverName: Lab.scscf))
    }

    @Test func unregisteredUserLeavesARegistrationAlone() throws {
        _ = try sar(.registration)
        #expect(try sar(.unregisteredUser, Lab.aliceTel, nil).result == .success)
        #expect(try state(Lab.aliceTel).state == .registered)
    }

    @Test(arguments: [
        ServerAssignmentRequest.AssignmentType.timeoutDeregistration, .userDeregistration,
        .administrativeDeregistration,
    ])
    func deregistrationClearsTheSetButNotTheBindings(type: ServerAssignmentRequest.AssignmentType) throws {
        _ = try sar(.registration)
        let binding = SQLiteSubscriberStoreTests.binding(Lab.aliceSIP, Lab.aliceIMPI, "dereg")
        try store.replaceBindings(of: Lab.aliceSIP, with: [binding])

        let answer = try sar(type, Lab.aliceTel)
        #expect(answer == ServerAssignmentAnswer(result: .success))
        for identity in [Lab.aliceSIP, Lab.aliceTel] {
            #expect(
                try state(identity) == IdentityRegistration(identity: identity, state: .notRegistered, serverName: nil))
        }
        #expect(try store.bindings(of: Lab.aliceSIP) == [binding])
    }

    @Test(arguments: [ServerAssignmentRequest.AssignmentType.authenticationFailure, .authenticationTimeout])
    func failedAuthenticationClearsAPendingServer(type: ServerAssignmentRequest.AssignmentType) throws {
        try store.setRegistrations([
            IdentityRegistration(identity: Lab.aliceSIP, state: .notRegistered, serverName: Lab.scscf),
            IdentityRegistration(identity: Lab.aliceTel, state: .notRegistered, serverName: Lab.scscf),
        ])
        #expect(try sar(type).result == .success)
        #expect(try state(Lab.aliceSIP).serverName == nil)
        #expect(try state(Lab.aliceTel).serverName == nil)
    }

    /// A re-registration whose authentication failed does not deregister.
    @Test func failedAuthenticationKeepsARegistration() throws {
        _ = try sar(.registration)
        #expect(try sar(.authenticationFailure).result == .success)
        #expect(
            try state(Lab.aliceSIP)
                == IdentityRegistration(identity: Lab.aliceSIP, state: .registered, serverName: Lab.scscf))
    }

    @Test func unknownOrMismatchedIdentities() throws {
        #expect(try sar(.registration, Lab.impu("sip:mallory@ims.gatehouse.test")).result == .userUnknown)
        #expect(try sar(.registration, Lab.aliceSIP, Lab.bobIMPI).result == .identitiesDontMatch)
        #expect(try sar(.registration, Lab.aliceSIP, Lab.impi("mallory@ims.gatehouse.test")).result == .userUnknown)
        #expect(try state(Lab.aliceSIP).state == .notRegistered)
    }
}
