import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// Bindings and challenges lapse by the injected clock; the network deregisters.
@Suite struct RegistrationExpiryTests {
    typealias F = SCSCFFixtures

    @Test func lapsedBindingsExpireAndAnEmptiedSetIsDeregistered() throws {
        let hss = FakeHSS()
        let store = MemoryRegistrarStore()
        var scscf = F.scscf(hss: hss, store: store)
        var register = F.Register()
        register.contacts = ["<sip:alice@127.0.0.4:5060>;expires=300", "<sip:alice@127.0.0.4:5070>"]
        try F.registerAlice(&scscf, register)
        #expect(scscf.nextExpiry == F.start + 300)

        #expect(scscf.expire(now: F.start + 299).isEmpty)

        let first = scscf.expire(now: F.start + 300)
        let change = try #require(first.first)
        #expect(first.count == 1)
        #expect(change.publicIdentities == [FakeHSS.aliceSIP, FakeHSS.aliceTel])
        #expect(change.contacts.map(\.binding.contact) == ["<sip:alice@127.0.0.4:5070>", "<sip:alice@127.0.0.4:5060>"])
        #expect(change.contacts.map(\.state) == [.active, .terminated])
        #expect(change.contacts.map(\.event) == [nil, .expired])
        #expect(!change.isTerminated)
        #expect(store.snapshot[FakeHSS.aliceSIP]?.map(\.contact) == ["<sip:alice@127.0.0.4:5070>"])
        #expect(scscf.nextExpiry == F.start + 600)

        let last = scscf.expire(now: F.start + 600)
        #expect(last.first?.isTerminated == true)
        #expect(last.first?.contacts.map(\.event) == [.expired])
        #expect(hss.snapshot.serverAssignments.last?.type == .timeoutDeregistration)
        #expect(hss.snapshot.serverAssignments.last?.publicIdentity == FakeHSS.aliceSIP)
        #expect(scscf.registeredSet(containing: FakeHSS.aliceTel) == nil)
        #expect(scscf.nextExpiry == nil)
        #expect(store.snapshot.isEmpty)
        #expect(scscf.expire(now: F.start + 10_000).isEmpty)
    }

    @Test func aRegisterAfterExpiryIsChallengedAgain() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        try F.registerAlice(&scscf, register)

        // Past its time though not swept yet: a protected refresh finds no live registration to vouch for it.
        register.cseq = 10
        register.authorization = F.initialAuthorization(integrityProtected: "ip-assoc-yes")
        let late = scscf.handleRegister(try register.message, now: F.start + 600)
        #expect(late.response.statusCode == 401)

        // Once authenticated again, the lapsed contact is reported expired and the new one registered.
        register.cseq = 11
        register.contacts = ["<sip:alice@127.0.0.4:5090>"]
        register.authorization = try F.akaAnswer(try F.challenge(in: late.response), vector: 2)
        let outcome = scscf.handleRegister(try register.message, now: F.start + 601)
        #expect(outcome.response.statusCode == 200)
        #expect(outcome.changes.first?.contacts.map(\.event) == [.expired, .registered])
        #expect(try F.contactExpiries(in: outcome.response) == ["sip:alice@127.0.0.4:5090": 600])
    }

    @Test func aQueryFindingEveryContactLapsedDeregistersByTimeout() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        try F.registerAlice(&scscf, register)

        register.cseq = 10
        register.contacts = []
        register.authorization = F.initialAuthorization()
        let challenged = scscf.handleRegister(try register.message, now: F.start + 700)
        register.cseq = 11
        register.authorization = try F.akaAnswer(try F.challenge(in: challenged.response), vector: 2)
        let outcome = scscf.handleRegister(try register.message, now: F.start + 700)
        #expect(outcome.response.statusCode == 200)
        #expect(try outcome.response.contacts.isEmpty)
        #expect(outcome.changes.first?.isTerminated == true)
        #expect(outcome.changes.first?.contacts.map(\.event) == [.expired])
        #expect(hss.snapshot.serverAssignments.last?.type == .timeoutDeregistration)
        #expect(scscf.registeredSetCount == 0)
    }

    @Test func unansweredChallengeTimesOutAtTheHSS() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.authorization = F.initialAuthorization()
        _ = scscf.handleRegister(try register.message, now: F.start)
        #expect(scscf.nextExpiry == F.start + 30)
        #expect(scscf.expire(now: F.start + 29).isEmpty)
        #expect(scscf.pendingChallengeCount == 1)
        #expect(hss.snapshot.serverAssignments.isEmpty)

        #expect(scscf.expire(now: F.start + 30).isEmpty)
        #expect(scscf.pendingChallengeCount == 0)
        #expect(hss.snapshot.serverAssignments.map(\.type) == [.authenticationTimeout])
        #expect(scscf.nextExpiry == nil)
    }

    @Test func networkDeregistrationTerminatesEveryContact() throws {
        let hss = FakeHSS()
        let store = MemoryRegistrarStore()
        var scscf = F.scscf(hss: hss, store: store)
        var register = F.Register()
        register.contacts = ["<sip:alice@127.0.0.4:5060>", "<sip:alice@127.0.0.4:5070>"]
        try F.registerAlice(&scscf, register)

        #expect(scscf.deregister(FakeHSS.bobSIP, now: F.start) == nil)
        let deregistered = scscf.deregister(FakeHSS.aliceTel, now: F.start + 10)
        let change = try #require(deregistered)
        #expect(change.isTerminated)
        #expect(change.publicIdentities == [FakeHSS.aliceTel, FakeHSS.aliceSIP])
        #expect(change.contacts.map(\.event) == [.deactivated, .deactivated])
        #expect(hss.snapshot.serverAssignments.last?.type == .administrativeDeregistration)
        #expect(scscf.registeredSetCount == 0)
        #expect(store.snapshot.isEmpty)
        #expect(scscf.deregister(FakeHSS.aliceSIP, now: F.start + 10) == nil)
    }
}
