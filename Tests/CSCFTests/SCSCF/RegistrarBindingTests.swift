import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// The registrar's contact rules (RFC 3261 §10.3, RFC 5626 §6) on alice's set, refreshed over her protected flow.
@Suite struct RegistrarBindingTests {
    typealias F = SCSCFFixtures

    /// A refresh over the P-CSCF's protected flow: no challenge.
    static func refresh(
        _ scscf: inout ServingCSCF, _ register: F.Register, now: Timestamp = F.start
    ) throws -> RegisterOutcome {
        var protected = register
        protected.authorization = F.initialAuthorization(integrityProtected: "ip-assoc-yes")
        return scscf.handleRegister(try protected.message, now: now)
    }

    @Test func intervalBelowMinExpiresIs423BeforeAnyChallenge() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.expires = 30
        register.authorization = F.initialAuthorization()
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 423)
        #expect(outcome.failure?.reason == "interval-too-brief")
        #expect(try outcome.response.headers.first(.minExpires, as: MinExpires.self) == MinExpires(60))
        #expect(hss.snapshot.multimediaAuths.isEmpty)

        // The contact's own expires decides, not the header.
        register.expires = 600
        register.contacts = ["<sip:alice@127.0.0.4:5060>;expires=59"]
        #expect(scscf.handleRegister(try register.message, now: F.start).response.statusCode == 423)
    }

    @Test func expiriesPerContactHeaderAndDefaultAndLongOnesShortened() throws {
        var scscf = F.scscf()
        var register = F.Register()
        register.expires = nil
        register.contacts = ["<sip:alice@127.0.0.4:5060>"]
        let first = try F.registerAlice(&scscf, register)
        #expect(try F.contactExpiries(in: first.response) == ["sip:alice@127.0.0.4:5060": 3600])  // the default

        register.cseq = 10
        register.expires = 900
        register.contacts = [
            "<sip:alice@127.0.0.4:5060>;expires=100000",  // capped at 7200
            "<sip:alice@127.0.0.4:5070>",  // the Expires header
            "<sip:alice@127.0.0.4:5080>;expires=120",
        ]
        let outcome = try Self.refresh(&scscf, register, now: F.start + 10)
        #expect(outcome.response.statusCode == 200)
        #expect(
            try F.contactExpiries(in: outcome.response) == [
                "sip:alice@127.0.0.4:5060": 7200, "sip:alice@127.0.0.4:5070": 900, "sip:alice@127.0.0.4:5080": 120,
            ])
        let change = try #require(outcome.changes.first)
        #expect(change.contacts.map(\.event) == [.shortened, .registered, .registered])
        #expect(change.contacts.allSatisfy { $0.state == .active })
        #expect(scscf.bindings(of: FakeHSS.aliceSIP).count == 3)
        #expect(scscf.nextExpiry == F.start + 130)
    }

    @Test func zeroExpiryRemovesOneContactAndTheLastDeregisters() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        register.contacts = ["<sip:alice@127.0.0.4:5060>", "<sip:alice@127.0.0.4:5070>"]
        try F.registerAlice(&scscf, register)

        register.cseq = 10
        register.contacts = ["<sip:alice@127.0.0.4:5060>;expires=0"]
        let removeOne = try Self.refresh(&scscf, register)
        #expect(try F.contactExpiries(in: removeOne.response) == ["sip:alice@127.0.0.4:5070": 600])
        let change = try #require(removeOne.changes.first)
        #expect(change.contacts.map(\.state) == [.terminated, .active])
        #expect(change.contacts.map(\.event) == [.unregistered, nil])

        register.cseq = 11
        register.expires = 0
        register.contacts = ["<sip:alice@127.0.0.4:5070>"]
        let last = try Self.refresh(&scscf, register)
        #expect(last.response.statusCode == 200)
        #expect(try last.response.contacts.isEmpty)
        let deregistered = try #require(last.changes.first)
        #expect(deregistered.isTerminated)
        #expect(deregistered.contacts.map(\.event) == [.unregistered])
        #expect(deregistered.publicIdentities == [FakeHSS.aliceSIP, FakeHSS.aliceTel])
        #expect(hss.snapshot.serverAssignments.last?.type == .userDeregistration)
        #expect(scscf.registeredSet(containing: FakeHSS.aliceSIP) == nil)
        #expect(scscf.registeredSetCount == 0)
        #expect(scscf.nextExpiry == nil)
    }

    @Test func wildcardWithExpiresZeroRemovesEverything() throws {
        let hss = FakeHSS()
        let store = MemoryRegistrarStore()
        var scscf = F.scscf(hss: hss, store: store)
        var register = F.Register()
        register.contacts = ["<sip:alice@127.0.0.4:5060>", "<sip:alice@127.0.0.4:5070>"]
        try F.registerAlice(&scscf, register)
        #expect(store.snapshot[FakeHSS.aliceSIP]?.count == 2)

        register.cseq = 10
        register.contacts = ["*"]
        register.expires = 600
        let misuse = try Self.refresh(&scscf, register)
        #expect(misuse.response.statusCode == 400)
        #expect(misuse.failure?.reason == "bad-wildcard")

        register.contacts = ["*", "<sip:alice@127.0.0.4:5080>"]
        register.expires = 0
        #expect(try Self.refresh(&scscf, register).failure?.reason == "bad-wildcard")

        register.contacts = ["*"]
        let outcome = try Self.refresh(&scscf, register)
        #expect(outcome.response.statusCode == 200)
        let change = try #require(outcome.changes.first)
        #expect(change.isTerminated)
        #expect(change.contacts.count == 2)
        #expect(hss.snapshot.serverAssignments.last?.type == .userDeregistration)
        #expect(scscf.bindings(of: FakeHSS.aliceSIP).isEmpty)
        #expect(store.snapshot.isEmpty)
    }

    @Test func queryListsTheBindingsAndChangesNothing() throws {
        let hss = FakeHSS()
        var scscf = F.scscf(hss: hss)
        var register = F.Register()
        try F.registerAlice(&scscf, register)
        let assignments = hss.snapshot.serverAssignments.count

        register.cseq = 10
        register.contacts = []
        let outcome = try Self.refresh(&scscf, register, now: F.start + 100)
        #expect(outcome.response.statusCode == 200)
        #expect(outcome.changes.isEmpty)
        #expect(try F.contactExpiries(in: outcome.response) == ["sip:alice@127.0.0.4:5060": 500])
        #expect(hss.snapshot.serverAssignments.count == assignments)
    }

    @Test func instanceReplacesItsOlderContact() throws {
        var scscf = F.scscf()
        var register = F.Register()
        let instance = "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\""
        register.contacts = ["<sip:alice@127.0.0.4:5060>;\(instance);reg-id=1", "<sip:alice@127.0.0.9:5060>"]
        try F.registerAlice(&scscf, register)

        // The same device, from a new address after a NAT rebinding.
        register.cseq = 10
        register.contacts = ["<sip:alice@127.0.0.4:6000>;\(instance);reg-id=1"]
        let outcome = try Self.refresh(&scscf, register)
        #expect(
            try F.contactExpiries(in: outcome.response) == [
                "sip:alice@127.0.0.9:5060": 600, "sip:alice@127.0.0.4:6000": 600,
            ])
        let change = try #require(outcome.changes.first)
        #expect(
            change.contacts.map(\.binding.contact) == [
                "<sip:alice@127.0.0.4:5060>;\(instance);reg-id=1", "<sip:alice@127.0.0.9:5060>",
                "<sip:alice@127.0.0.4:6000>;\(instance);reg-id=1",
            ])
        #expect(change.contacts.map(\.state) == [.terminated, .active, .active])
        #expect(change.contacts.map(\.event) == [.unregistered, nil, .registered])
        let bindings = scscf.bindings(of: FakeHSS.aliceSIP)
        #expect(bindings.count == 2)
        #expect(bindings.last?.instanceID == "<urn:uuid:00000000-0000-1000-8000-000a95a0e128>")
        #expect(bindings.last?.registrationID == 1)

        // A 200 lists the instance's contact with its parameters.
        let contact = try #require(try outcome.response.contacts.last?.nameAddress)
        #expect(contact.parameters.value("+sip.instance") == "<urn:uuid:00000000-0000-1000-8000-000a95a0e128>")
        #expect(contact.parameters.value("reg-id") == "1")
    }

    @Test func olderOrRepeatedCSeqOfTheSameCallIDIsOutOfOrder() throws {
        var scscf = F.scscf()
        var register = F.Register()
        try F.registerAlice(&scscf, register)  // bound by CSeq 2

        register.cseq = 2
        let repeated = try Self.refresh(&scscf, register)
        #expect(repeated.response.statusCode == 500)
        #expect(repeated.failure?.reason == "out-of-order")
        #expect(repeated.changes.isEmpty)

        register.cseq = 1
        register.expires = 0
        #expect(try Self.refresh(&scscf, register).failure?.reason == "out-of-order")
        #expect(scscf.bindings(of: FakeHSS.aliceSIP).count == 1)

        // Another Call-ID may refresh with any CSeq.
        register.callID = "reg-call-2@127.0.0.4"
        register.expires = 600
        #expect(try Self.refresh(&scscf, register).response.statusCode == 200)
    }

    @Test func contactsPastTheLimitDropTheOneNearestExpiry() throws {
        var configuration = F.configuration
        configuration.maxContactsPerSet = 2
        var scscf = F.scscf(configuration: configuration)
        var register = F.Register()
        register.contacts = ["<sip:alice@127.0.0.4:5060>;expires=300", "<sip:alice@127.0.0.4:5070>"]
        try F.registerAlice(&scscf, register)

        register.cseq = 10
        register.contacts = ["<sip:alice@127.0.0.4:5080>"]
        let outcome = try Self.refresh(&scscf, register)
        #expect(
            try F.contactExpiries(in: outcome.response) == [
                "sip:alice@127.0.0.4:5070": 600, "sip:alice@127.0.0.4:5080": 600,
            ])
        #expect(outcome.changes.first?.contacts.map(\.event) == [.deactivated, nil, .registered])

        register.cseq = 11
        register.contacts = [
            "<sip:alice@127.0.0.4:6001>", "<sip:alice@127.0.0.4:6002>", "<sip:alice@127.0.0.4:6003>",
        ]
        let tooMany = try Self.refresh(&scscf, register)
        #expect(tooMany.response.statusCode == 403)
        #expect(tooMany.failure?.reason == "too-many-contacts")
        #expect(scscf.bindings(of: FakeHSS.aliceSIP).count == 2)
    }

    @Test func malformedRegistersAreBadRequests() throws {
        var scscf = F.scscf()
        var register = F.Register()
        register.contacts = ["<sip:alice@127.0.0.4:5060>;expires=soon"]
        #expect(scscf.handleRegister(try register.message, now: F.start).failure?.reason == "bad-request")

        register.contacts = ["<mailto:alice@ims.gatehouse.test>"]
        #expect(scscf.handleRegister(try register.message, now: F.start).failure?.reason == "bad-request")

        register.contacts = ["<sip:alice@127.0.0.4:5060>;+sip.instance=\"<urn:x>\";reg-id=zero"]
        #expect(scscf.handleRegister(try register.message, now: F.start).failure?.reason == "bad-request")

        register = F.Register()
        register.to = "<sip:ims.gatehouse.test>"
        let noUser = scscf.handleRegister(try register.message, now: F.start)
        #expect(noUser.response.statusCode == 403)
        #expect(noUser.failure?.reason == "invalid-public-identity")
    }

    @Test func identityRegisteredByAnotherPrivateIdentityIsForbidden() throws {
        var scscf = F.scscf()
        try F.registerAlice(&scscf)
        var register = F.Register()
        register.cseq = 20
        register.authorization = F.initialAuthorization(username: "bob@ims.gatehouse.test", integrityProtected: "yes")
        // Bob's username on alice's identity: no registration of his vouches for it, so it is challenged, and the
        // HSS refuses the pair.
        let outcome = scscf.handleRegister(try register.message, now: F.start)
        #expect(outcome.response.statusCode == 403)
        #expect(outcome.failure?.reason == "identities-dont-match")
    }
}
