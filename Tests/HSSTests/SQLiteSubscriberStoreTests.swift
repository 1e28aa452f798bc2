import Foundation
import IMSInterfaces
import Testing

@testable import HSS

/// The SQLite store: provisioning round trips, identity ownership, cascades, the SQN transaction, registrations and
/// bindings, in memory and on a file that is closed and opened again.
@Suite struct SQLiteSubscriberStoreTests {
    /// Every field the model has, so that a round trip that drops one fails.
    static var everything: Subscriber {
        let triggers = TriggerPoint(
            form: .disjunctive,
            groups: [
                [
                    ServicePointTrigger(.method("MESSAGE")),
                    ServicePointTrigger(.requestURI(#"^sip:\+1555.*"#), isNegated: true),
                ],
                [
                    ServicePointTrigger(.header(name: "P-Asserted-Service", value: "urn:urn-7:.*")),
                    ServicePointTrigger(.header(name: "Priority", value: nil)),
                    ServicePointTrigger(.sessionCase(.originatingCDIV)),
                    ServicePointTrigger(.sdpLine(line: "m", content: "video.*")),
                    ServicePointTrigger(.sdpLine(line: "a", content: nil), isNegated: true),
                ],
            ])
        return Subscriber(
            privateIdentity: Lab.impi("carol@ims.gatehouse.test"),
            publicIdentities: [
                PublicIdentityEntry(.distinct(Lab.impu("sip:carol@ims.gatehouse.test")), serviceProfile: "full"),
                PublicIdentityEntry(
                    .distinct(Lab.impu("sip:carol-temp@ims.gatehouse.test")), implicitSet: "default", isBarred: true),
                PublicIdentityEntry(
                    .distinct(Lab.impu("sip:conference@ims.gatehouse.test")), implicitSet: "psi",
                    serviceProfile: "empty", isServiceIdentity: true),
                PublicIdentityEntry(
                    .wildcarded(try! WildcardedIdentity(parsing: #"sip:carol-!\d+!@ims.gatehouse.test"#)),
                    implicitSet: "extra"),
            ],
            credentials: SubscriberCredentials(
                aka: AKACredentials(
                    key: Array(0..<16), operatorKey: .opc(Array(16..<32)), amf: [0x00, 0x01]),
                digest: DigestCredentials(
                    realm: "ims.gatehouse.test",
                    secret: .ha1([
                        .md5: String(repeating: "a1", count: 16), .sha256: String(repeating: "b2", count: 32),
                    ])),
                preferredScheme: .digestSHA256),
            serviceProfiles: [
                ServiceProfile(
                    name: "full",
                    initialFilterCriteria: [
                        InitialFilterCriterion(
                            priority: 5, triggerPoint: triggers,
                            applicationServer: ApplicationServer(
                                serverName: "sip:as.ims.gatehouse.test", defaultHandling: .sessionTerminated,
                                serviceInfo: "tenant=7"),
                            profilePart: .registered),
                        InitialFilterCriterion(
                            priority: 1, triggerPoint: nil,
                            applicationServer: ApplicationServer(serverName: "sip:first.ims.gatehouse.test")),
                    ]),
                ServiceProfile(name: "empty"),
            ],
            capabilities: SCSCFCapabilities(mandatory: [1, 4], optional: [9]))
    }

    @Test func roundTripsEveryField() throws {
        let store = try SQLiteSubscriberStore.inMemory()
        try store.put(Self.everything)
        try store.put(Lab.alice)
        try store.put(Lab.bob)
        #expect(try store.subscriber(Lab.impi("carol@ims.gatehouse.test")) == Self.everything)
        #expect(try store.subscriber(Lab.aliceIMPI) == Lab.alice)
        #expect(try store.subscriber(Lab.bobIMPI) == Lab.bob)
        #expect(try store.subscriber(Lab.impi("nobody@ims.gatehouse.test")) == nil)
        #expect(
            try store.allSubscribers().map(\.privateIdentity) == [
                Lab.aliceIMPI, Lab.bobIMPI, Lab.impi("carol@ims.gatehouse.test"),
            ])
        #expect(try store.allSubscribers()[2] == Self.everything)
    }

    @Test func ownerOfAnIdentity() throws {
        let store = try Lab.store()
        #expect(try store.subscriber(owning: Lab.aliceTel)?.privateIdentity == Lab.aliceIMPI)
        #expect(try store.subscriber(owning: Lab.impu("tel:+1-555-010-0002"))?.privateIdentity == Lab.bobIMPI)
        #expect(try store.subscriber(owning: Lab.impu("tel:+15550190042"))?.privateIdentity == Lab.pbxIMPI)
        #expect(try store.subscriber(owning: Lab.impu("tel:+15550199999"))?.privateIdentity == Lab.pbxIMPI)
        #expect(try store.subscriber(owning: Lab.impu("tel:+15550200000")) == nil)
        #expect(try store.subscriber(owning: Lab.impu("sip:nobody@ims.gatehouse.test")) == nil)

        // A distinct identity inside the PBX's block belongs to its own subscriber.
        var dave = Lab.bob
        dave.privateIdentity = Lab.impi("dave@ims.gatehouse.test")
        dave.publicIdentities = [PublicIdentityEntry(.distinct(Lab.impu("tel:+15550190001")))]
        try store.put(dave)
        #expect(try store.subscriber(owning: Lab.impu("tel:+15550190001"))?.privateIdentity == dave.privateIdentity)
        #expect(try store.subscriber(owning: Lab.impu("tel:+15550190002"))?.privateIdentity == Lab.pbxIMPI)
    }

    @Test func anIdentityBelongsToOneSubscriber() throws {
        let store = try Lab.store()
        var thief = Lab.bob
        thief.publicIdentities.append(PublicIdentityEntry(.distinct(Lab.aliceTel)))
        #expect {
            try store.put(thief)
        } throws: { ($0 as? HSSStoreError)?.code == .identityTaken }
        #expect(try store.subscriber(Lab.bobIMPI) == Lab.bob, "a refused put changes nothing")

        var copycat = Lab.bob
        copycat.privateIdentity = Lab.impi("copycat@ims.gatehouse.test")
        copycat.publicIdentities = [
            PublicIdentityEntry(.distinct(Lab.impu("sip:copycat@ims.gatehouse.test"))),
            PublicIdentityEntry(.wildcarded(try WildcardedIdentity(parsing: Lab.pbxBlock))),
        ]
        #expect {
            try store.put(copycat)
        } throws: { ($0 as? HSSStoreError)?.code == .identityTaken }
        #expect(try store.subscriber(copycat.privateIdentity) == nil)
    }

    @Test func invalidSubscribersAreRefused() throws {
        let store = try SQLiteSubscriberStore.inMemory()
        var cases: [Subscriber] = []

        var noIdentity = Lab.bob
        noIdentity.publicIdentities = []
        cases.append(noIdentity)
        var twice = Lab.bob
        twice.publicIdentities.append(PublicIdentityEntry(.distinct(Lab.impu("tel:+1-555-010-0002"))))
        cases.append(twice)
        var shortKey = Lab.alice
        shortKey.credentials.aka?.key.removeLast()
        cases.append(shortKey)
        var longAMF = Lab.alice
        longAMF.credentials.aka?.amf.append(0)
        cases.append(longAMF)
        var missingProfile = Lab.alice
        missingProfile.serviceProfiles = []
        cases.append(missingProfile)
        var unservedScheme = Lab.alice
        unservedScheme.credentials.preferredScheme = .digestMD5
        cases.append(unservedScheme)
        var badHA1 = Lab.bob
        badHA1.credentials.digest = DigestCredentials(realm: Lab.realm, secret: .ha1([.md5: "ABCDEF"]))
        cases.append(badHA1)
        var md5Only = Lab.bob
        md5Only.credentials = SubscriberCredentials(
            digest: DigestCredentials(realm: Lab.realm, secret: .ha1([.md5: String(repeating: "0", count: 32)])),
            preferredScheme: .digestSHA256)
        cases.append(md5Only)

        for subscriber in cases {
            #expect {
                try store.put(subscriber)
            } throws: { ($0 as? HSSStoreError)?.code == .invalidSubscriber }
        }
        #expect(try store.allSubscribers().isEmpty)
    }

    @Test func replacingKeepsTheCounterAndTheRegistrationsOfRemainingIdentities() throws {
        let store = try Lab.store()
        try store.updateSequenceNumbers(of: Lab.aliceIMPI) { state in
            for _ in 0..<7 { _ = state.next() }
        }
        try store.setRegistrations([
            IdentityRegistration(identity: Lab.aliceSIP, state: .registered, serverName: Lab.scscf),
            IdentityRegistration(identity: Lab.aliceTel, state: .registered, serverName: Lab.scscf),
        ])

        var alice = Lab.alice
        alice.publicIdentities.removeLast()  // the tel identity goes
        alice.credentials.aka?.amf = [0x00, 0x00]
        try store.put(alice)

        #expect(try store.subscriber(Lab.aliceIMPI) == alice)
        #expect(try store.updateSequenceNumbers(of: Lab.aliceIMPI) { $0.sequence } == 7)
        #expect(try store.registration(of: Lab.aliceSIP).state == .registered)
        #expect(try store.registration(of: Lab.aliceTel).state == .notRegistered)
        #expect(try store.subscriber(owning: Lab.aliceTel) == nil)
    }

    @Test func removingCascades() throws {
        let store = try Lab.store()
        try store.updateSequenceNumbers(of: Lab.aliceIMPI) { _ = $0.next() }
        try store.setRegistrations([
            IdentityRegistration(identity: Lab.aliceSIP, state: .registered, serverName: Lab.scscf)
        ])
        try store.replaceBindings(of: Lab.aliceSIP, with: [Self.binding(Lab.aliceSIP, Lab.aliceIMPI, "a")])
        try store.replaceBindings(of: Lab.bobSIP, with: [Self.binding(Lab.bobSIP, Lab.bobIMPI, "b")])

        #expect(try store.remove(Lab.aliceIMPI))
        #expect(try !store.remove(Lab.aliceIMPI))
        #expect(try store.subscriber(Lab.aliceIMPI) == nil)
        #expect(try store.subscriber(owning: Lab.aliceSIP) == nil)
        #expect(try store.registration(of: Lab.aliceSIP).state == .notRegistered)
        #expect(try store.bindings(of: Lab.aliceSIP).isEmpty)
        #expect(try store.loadBindings().map(\.publicIdentity) == [Lab.bobSIP], "other subscribers keep theirs")
        #expect {
            try store.updateSequenceNumbers(of: Lab.aliceIMPI) { _ = $0.next() }
        } throws: { ($0 as? HSSStoreError)?.code == .unknownSubscriber }

        try store.put(Lab.alice)
        #expect(try store.updateSequenceNumbers(of: Lab.aliceIMPI) { $0.sequence } == 0, "a new subscriber starts over")
    }

    @Test func aThrowingBodyLeavesTheCounterAlone() throws {
        struct Abandon: Error {}
        let store = try Lab.store()
        #expect(throws: Abandon.self) {
            try store.updateSequenceNumbers(of: Lab.aliceIMPI) { state in
                _ = state.next()
                throw Abandon()
            }
        }
        #expect(try store.updateSequenceNumbers(of: Lab.aliceIMPI) { $0 } == SequenceNumberState())
    }

    @Test func registrations() throws {
        let store = try Lab.store()
        #expect(
            try store.registration(of: Lab.aliceSIP)
                == IdentityRegistration(identity: Lab.aliceSIP, state: .notRegistered, serverName: nil))
        let block = Lab.impu("tel:+15550190042")
        try store.setRegistrations([
            IdentityRegistration(identity: Lab.aliceSIP, state: .registered, serverName: Lab.scscf),
            IdentityRegistration(identity: block, state: .unregistered, serverName: Lab.otherSCSCF),
        ])
        #expect(try store.registration(of: Lab.aliceSIP).serverName == Lab.scscf)
        #expect(
            try store.registration(of: block)
                == IdentityRegistration(identity: block, state: .unregistered, serverName: Lab.otherSCSCF))

        // One transaction: an unknown identity refuses the whole batch.
        #expect {
            try store.setRegistrations([
                IdentityRegistration(identity: Lab.aliceTel, state: .registered, serverName: Lab.scscf),
                IdentityRegistration(
                    identity: Lab.impu("sip:nobody@ims.gatehouse.test"), state: .registered, serverName: Lab.scscf),
            ])
        } throws: { ($0 as? HSSStoreError)?.code == .unknownIdentity }
        #expect(try store.registration(of: Lab.aliceTel).state == .notRegistered)

        try store.setRegistrations([
            IdentityRegistration(identity: Lab.aliceSIP, state: .notRegistered, serverName: nil),
            IdentityRegistration(
                identity: Lab.impu("sip:nobody@ims.gatehouse.test"), state: .notRegistered, serverName: nil),
        ])
        #expect(try store.registration(of: Lab.aliceSIP).state == .notRegistered)
        #expect(try store.registration(of: Lab.aliceSIP).serverName == nil)
    }

    static func binding(_ identity: PublicIdentity, _ owner: PrivateIdentity, _ tag: String) -> ContactBinding {
        ContactBinding(
            publicIdentity: identity, privateIdentity: owner, contact: "sip:\(tag)@127.0.0.4:5070;transport=udp",
            instanceID: "<urn:uuid:00000000-0000-0000-0000-00000000000\(tag.count)>", registrationID: 1,
            path: ["<sip:term@pcscf.ims.gatehouse.test;lr>"], callID: "call-\(tag)", cseq: 4_000_000_000,
            expiresAt: Timestamp(secondsSince1970: 1_900_000_600),
            registeredAt: Timestamp(secondsSince1970: 1_900_000_000),
            receivedFrom: "udp:127.0.0.4:5070", userAgent: "baresip")
    }

    @Test func bindings() throws {
        let store = try Lab.store()
        let first = Self.binding(Lab.aliceSIP, Lab.aliceIMPI, "one")
        var second = Self.binding(Lab.aliceSIP, Lab.aliceIMPI, "two")
        second.instanceID = nil
        second.registrationID = nil
        second.path = []
        second.receivedFrom = nil
        second.userAgent = nil
        try store.replaceBindings(of: Lab.aliceSIP, with: [first, second])
        try store.replaceBindings(of: Lab.bobTel, with: [Self.binding(Lab.bobTel, Lab.bobIMPI, "bob")])
        #expect(try store.bindings(of: Lab.aliceSIP) == [first, second])
        #expect(try store.loadBindings() == [first, second, Self.binding(Lab.bobTel, Lab.bobIMPI, "bob")])

        try store.replaceBindings(of: Lab.aliceSIP, with: [second])
        #expect(try store.bindings(of: Lab.aliceSIP) == [second])
        try store.replaceBindings(of: Lab.aliceSIP, with: [])
        #expect(try store.bindings(of: Lab.aliceSIP).isEmpty)

        #expect {
            try store.replaceBindings(of: Lab.aliceSIP, with: [Self.binding(Lab.bobSIP, Lab.bobIMPI, "x")])
        } throws: { ($0 as? HSSStoreError)?.code == .invalidBinding }
    }

    @Test func aFileSurvivesClosingAndOpening() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("state/hss.sqlite").path
        let binding = Self.binding(Lab.aliceSIP, Lab.aliceIMPI, "file")

        do {
            let store = try SQLiteSubscriberStore(path: path)
            for subscriber in [Lab.alice, Lab.bob, Lab.pbx, Self.everything] { try store.put(subscriber) }
            try store.updateSequenceNumbers(of: Lab.aliceIMPI) { state in
                for _ in 0..<40 { _ = state.next() }
            }
            try store.setRegistrations([
                IdentityRegistration(identity: Lab.aliceSIP, state: .registered, serverName: Lab.scscf),
                IdentityRegistration(identity: Lab.bobSIP, state: .unregistered, serverName: Lab.otherSCSCF),
            ])
            try store.replaceBindings(of: Lab.aliceSIP, with: [binding])
            #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the file is in WAL mode")
        }

        let reopened = try SQLiteSubscriberStore(path: path)
        #expect(try reopened.allSubscribers() == [Lab.alice, Lab.bob, Self.everything, Lab.pbx])
        let state = try reopened.updateSequenceNumbers(of: Lab.aliceIMPI) { $0 }
        #expect(state.sequence == 40)
        #expect(state.nextIndex == 40 % SequenceNumberState.indexCount)
        #expect(try reopened.registration(of: Lab.aliceSIP).serverName == Lab.scscf)
        #expect(try reopened.registration(of: Lab.bobSIP).state == .unregistered)
        #expect(try reopened.loadBindings() == [binding])
    }

    @Test func anUnwritablePathIsAnIOError() {
        #expect {
            _ = try SQLiteSubscriberStore(path: "/proc/gatehouse/hss.sqlite")
        } throws: { ($0 as? HSSStoreError)?.code == .io }
    }
}
