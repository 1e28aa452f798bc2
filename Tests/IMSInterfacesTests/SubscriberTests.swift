import IMSInterfaces
import Testing

/// Implicit registration sets (TS 23.228 §4.3.3.4), barring, entries and service profiles of one subscriber.
@Suite struct SubscriberTests {
    static func identity(_ text: String) -> PublicIdentity { PublicIdentity(parsing: text)! }

    /// Two sets: "home" (alice's SIP and tel identities, a barred temporary identity and a number that also falls
    /// under set "work"'s wildcard) and "work" (a SIP identity and a wildcard over a number block).
    let subscriber = Subscriber(
        privateIdentity: PrivateIdentity("alice@ims.gatehouse.test")!,
        publicIdentities: [
            PublicIdentityEntry(
                .distinct(identity("sip:alice@ims.gatehouse.test")), implicitSet: "home",
                serviceProfile: "voice"),
            PublicIdentityEntry(
                .distinct(identity("sip:alice-temp@ims.gatehouse.test")), implicitSet: "home", isBarred: true),
            PublicIdentityEntry(.distinct(identity("tel:+15550100001")), implicitSet: "home", serviceProfile: "voice"),
            PublicIdentityEntry(.distinct(identity("tel:+15550190001")), implicitSet: "home"),
            PublicIdentityEntry(.distinct(identity("sip:alice-work@ims.gatehouse.test")), implicitSet: "work"),
            PublicIdentityEntry(
                .wildcarded(try! WildcardedIdentity(parsing: "tel:+1555019!.*!")), implicitSet: "work",
                serviceProfile: "pbx"),
        ],
        credentials: SubscriberCredentials(preferredScheme: .akaV1MD5),
        serviceProfiles: [
            ServiceProfile(name: "voice"),
            ServiceProfile(
                name: "pbx",
                initialFilterCriteria: [
                    InitialFilterCriterion(
                        priority: 20, triggerPoint: nil,
                        applicationServer: ApplicationServer(serverName: "sip:late@as.test")),
                    InitialFilterCriterion(
                        priority: 10, triggerPoint: nil,
                        applicationServer: ApplicationServer(serverName: "sip:early@as.test")),
                ]),
        ])

    @Test func setOfAnIdentityGivenFirstWithoutBarredOrOtherSets() {
        #expect(
            subscriber.implicitRegistrationSet(of: Self.identity("sip:alice@ims.gatehouse.test")) == [
                Self.identity("sip:alice@ims.gatehouse.test"), Self.identity("tel:+15550100001"),
                Self.identity("tel:+15550190001"),
            ])
        #expect(
            subscriber.implicitRegistrationSet(of: Self.identity("tel:+15550100001")) == [
                Self.identity("tel:+15550100001"), Self.identity("sip:alice@ims.gatehouse.test"),
                Self.identity("tel:+15550190001"),
            ])
    }

    @Test func barredIdentityLeadsItsOwnSet() {
        #expect(
            subscriber.implicitRegistrationSet(of: Self.identity("sip:alice-temp@ims.gatehouse.test")) == [
                Self.identity("sip:alice-temp@ims.gatehouse.test"), Self.identity("sip:alice@ims.gatehouse.test"),
                Self.identity("tel:+15550100001"), Self.identity("tel:+15550190001"),
            ])
    }

    @Test func wildcardStandsForItselfAndTheSetsDistinctIdentities() {
        #expect(
            subscriber.implicitRegistrationSet(of: Self.identity("tel:+15550190042")) == [
                Self.identity("tel:+15550190042"), Self.identity("sip:alice-work@ims.gatehouse.test"),
            ])
        #expect(
            subscriber.implicitRegistrationSet(of: Self.identity("sip:alice-work@ims.gatehouse.test")) == [
                Self.identity("sip:alice-work@ims.gatehouse.test")
            ])
    }

    @Test func unknownIdentityHasNoSet() {
        #expect(subscriber.implicitRegistrationSet(of: Self.identity("sip:bob@ims.gatehouse.test")).isEmpty)
        #expect(subscriber.entry(for: Self.identity("tel:+15550100002")) == nil)
    }

    @Test func distinctEntryWinsOverAWildcard() throws {
        let entry = try #require(subscriber.entry(for: Self.identity("tel:+1-555-019-0001")))
        #expect(entry.identity == .distinct(Self.identity("tel:+15550190001")))
        #expect(entry.implicitSet == "home")
        let wildcarded = try #require(subscriber.entry(for: Self.identity("tel:+15550190002")))
        #expect(wildcarded.identity.description == "tel:+1555019!.*!")
    }

    @Test func serviceProfilesByEntry() throws {
        #expect(subscriber.serviceProfile(for: Self.identity("tel:+15550100001"))?.name == "voice")
        #expect(subscriber.serviceProfile(for: Self.identity("tel:+15550190001")) == nil)
        let pbx = try #require(subscriber.serviceProfile(for: Self.identity("tel:+15550190777")))
        #expect(pbx.initialFilterCriteria.map(\.priority) == [10, 20], "evaluated in priority order")
    }

    @Test func profileListsUnbarredIdentitiesAsAssociated() {
        let profile = UserProfile(
            privateIdentity: subscriber.privateIdentity,
            implicitSet: [
                .init(
                    identity: Self.identity("sip:alice-temp@ims.gatehouse.test"), isBarred: true, serviceProfile: nil),
                .init(identity: Self.identity("sip:alice@ims.gatehouse.test"), isBarred: false, serviceProfile: nil),
            ])
        #expect(profile.associatedIdentities == [Self.identity("sip:alice@ims.gatehouse.test")])
    }
}

@Suite struct SubscriberCredentialsTests {
    let aka = AKACredentials(
        key: Array(repeating: 1, count: 16), operatorKey: .opc(Array(repeating: 2, count: 16)),
        amf: [0x80, 0x00])

    @Test func preferredSchemeFirstThenTheOthersInOrder() {
        let both = SubscriberCredentials(
            aka: aka, digest: DigestCredentials(realm: "ims.gatehouse.test", secret: .password("x")),
            preferredScheme: .digestMD5)
        #expect(both.schemes == [.digestMD5, .akaV1MD5, .digestSHA256])
        let akaFirst = SubscriberCredentials(
            aka: aka, digest: DigestCredentials(realm: "ims.gatehouse.test", secret: .password("x")),
            preferredScheme: .akaV1MD5)
        #expect(akaFirst.schemes == [.akaV1MD5, .digestSHA256, .digestMD5])
        #expect(SubscriberCredentials(aka: aka, preferredScheme: .akaV1MD5).schemes == [.akaV1MD5])
        let digestOnly = SubscriberCredentials(
            digest: DigestCredentials(realm: "ims.gatehouse.test", secret: .password("x")),
            preferredScheme: .digestSHA256)
        #expect(digestOnly.schemes == [.digestSHA256, .digestMD5])
    }

    @Test func digestAlgorithmsFollowTheSecret() {
        #expect(DigestCredentials(realm: "r", secret: .password("x")).algorithms == [.sha256, .md5])
        #expect(DigestCredentials(realm: "r", secret: .ha1([.md5: "00"])).algorithms == [.md5])
    }

    @Test func secretsAreNeverPrinted() {
        #expect(String(describing: aka) == "AKACredentials(redacted)")
        let digest = DigestCredentials(realm: "ims.gatehouse.test", secret: .password("bob-secret"))
        #expect(!String(describing: digest).contains("bob-secret"))
        let vector = DigestVector(realm: "r", algorithm: .md5, ha1: "1439bcea3238876f454ed374156e4106")
        #expect(!String(describing: vector).contains("1439bcea"))
    }
}
