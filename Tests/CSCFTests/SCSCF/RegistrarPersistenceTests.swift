import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// Bindings survive a restart through the RegistrarStore; the sets are rebuilt with the HSS's profile.
@Suite struct RegistrarPersistenceTests {
    typealias F = SCSCFFixtures

    @Test func restartRestoresSetsAndDropsWhatLapsed() throws {
        let hss = FakeHSS()
        let store = MemoryRegistrarStore()
        var scscf = F.scscf(hss: hss, store: store)
        var alice = F.Register()
        alice.contacts = ["<sip:alice@127.0.0.4:5060>;expires=3600", "<sip:alice@127.0.0.4:5070>;expires=120"]
        try F.registerAlice(&scscf, alice)

        var bob = DigestRegistrationTests.bobRegister()
        bob.expires = 60
        let challenge = try F.challenge(in: scscf.handleRegister(try bob.message, now: F.start).response)
        bob.cseq = 2
        bob.authorization = try F.answer(
            challenge, username: "bob@ims.gatehouse.test", password: DigestRegistrationTests.password)
        #expect(scscf.handleRegister(try bob.message, now: F.start).response.statusCode == 200)
        #expect(store.snapshot.keys.sorted() == [FakeHSS.aliceSIP, FakeHSS.bobSIP])

        // The node restarts 200 s later, with an HSS that still holds the registrations.
        var restarted = F.scscf(hss: hss, store: store)
        let changes = try restarted.restore(now: F.start + 200)
        #expect(changes.count == 2)
        let aliceChange = try #require(changes.first { $0.privateIdentity == FakeHSS.alice })
        #expect(aliceChange.publicIdentities == [FakeHSS.aliceSIP, FakeHSS.aliceTel])
        #expect(aliceChange.contacts.map(\.state) == [.active, .terminated])
        #expect(aliceChange.contacts.map(\.event) == [nil, .expired])
        let bobChange = try #require(changes.first { $0.privateIdentity == FakeHSS.bob })
        #expect(bobChange.isTerminated)
        #expect(bobChange.contacts.map(\.event) == [.expired])

        #expect(restarted.registeredSet(containing: FakeHSS.aliceTel) == [FakeHSS.aliceTel, FakeHSS.aliceSIP])
        #expect(restarted.bindings(of: FakeHSS.aliceTel).map(\.contact) == ["<sip:alice@127.0.0.4:5060>"])
        #expect(restarted.bindings(of: FakeHSS.aliceSIP).first?.expiresAt == F.start + 3600)
        #expect(restarted.registeredSet(containing: FakeHSS.bobSIP) == nil)
        #expect(restarted.registeredSetCount == 1)
        #expect(store.snapshot.keys.sorted() == [FakeHSS.aliceSIP])
        #expect(store.snapshot[FakeHSS.aliceSIP]?.count == 1)
        let assignments = hss.snapshot.serverAssignments.suffix(2).map(\.type)
        #expect(assignments.contains(.reRegistration))
        #expect(assignments.contains(.timeoutDeregistration))

        // The restored registration is refreshed over its protected flow without a challenge.
        alice.cseq = 10
        alice.contacts = ["<sip:alice@127.0.0.4:5060>"]
        alice.authorization = F.initialAuthorization(integrityProtected: "ip-assoc-yes")
        let refresh = restarted.handleRegister(try alice.message, now: F.start + 300)
        #expect(refresh.response.statusCode == 200)
        #expect(refresh.changes.first?.contacts.map(\.event) == [.refreshed])
    }

    @Test func restoreWithAnHSSThatForgotAssignsAgain() throws {
        let store = MemoryRegistrarStore()
        var scscf = F.scscf(store: store)
        try F.registerAlice(&scscf)

        let freshHSS = FakeHSS()
        var restarted = F.scscf(hss: freshHSS, store: store)
        let changes = try restarted.restore(now: F.start + 1)
        #expect(changes.first?.contacts.map(\.state) == [.active])
        #expect(freshHSS.snapshot.serverAssignments.map(\.type) == [.reRegistration, .registration])
        #expect(restarted.registeredSet(containing: FakeHSS.aliceTel) != nil)
    }

    @Test func restoreDropsSetsTheHSSRefusesAndThrowsWhenItIsDown() throws {
        let store = MemoryRegistrarStore()
        var scscf = F.scscf(store: store)
        try F.registerAlice(&scscf)

        let refusing = FakeHSS()
        refusing.update { $0.serverAssignmentResult = .userUnknown }
        var restarted = F.scscf(hss: refusing, store: store)
        let changes = try restarted.restore(now: F.start + 1)
        #expect(changes.first?.isTerminated == true)
        #expect(changes.first?.contacts.map(\.event) == [.rejected])
        #expect(restarted.registeredSetCount == 0)
        #expect(store.snapshot.isEmpty)

        var again = F.scscf(store: store)
        try F.registerAlice(&again)
        let down = FakeHSS()
        down.update { $0.unreachable = true }
        var failing = F.scscf(hss: down, store: store)
        #expect(throws: FakeHSS.Unreachable.self) { try failing.restore(now: F.start + 1) }
        #expect(failing.registeredSetCount == 0)
        #expect(store.snapshot[FakeHSS.aliceSIP]?.count == 1)
    }

    @Test func aFailingStoreDoesNotFailTheRegister() throws {
        let store = MemoryRegistrarStore()
        store.failing.withLock { $0 = true }
        var scscf = F.scscf(store: store)
        try F.registerAlice(&scscf)
        #expect(scscf.persistenceFailures == 1)
        #expect(scscf.registeredSetCount == 1)
    }
}
