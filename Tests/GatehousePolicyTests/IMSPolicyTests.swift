import GatehousePolicy
import SIPMessage
import Testing

/// The `ims` section: an external core at `next_hop`, or the embedded core (`hss: embedded`) with its settings.
/// The subscriber format has its own tests (SubscriberPolicyTests, FilterCriteriaPolicyTests).
struct IMSPolicyTests {
    /// `PolicyFixtures.head` and three lines of an embedded core; whatever is appended starts on line 11.
    static let embeddedHead =
        PolicyFixtures.head + """
            ims:
              domain: ims.test
              hss: embedded

            """

    @Test func anExternalCoreIsReachedAtItsNextHop() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + "ims: { domain: ims.test, next_hop: \"sip:core.ims.test:5070;transport=tcp\" }\n")
        let nextHop = try SIPURI(parsing: "sip:core.ims.test:5070;transport=tcp")
        #expect(policy.ims == IMSSettings(domain: "ims.test", nextHop: nextHop))
        #expect(policy.ims?.core == .external(nextHop))
        #expect(policy.ims?.nextHop == nextHop && policy.ims?.embedded == nil)
    }

    @Test func theEmbeddedCoreHasDocumentedDefaults() throws {
        let policy = try PolicyFixtures.load(Self.embeddedHead)
        let embedded = try #require(policy.ims?.embedded)
        #expect(policy.ims?.domain == "ims.test" && policy.ims?.nextHop == nil)
        #expect(embedded == EmbeddedIMSSettings(domain: "ims.test"))
        #expect(embedded.pcscf == (try SIPURI(parsing: "sip:pcscf.ims.test")))
        #expect(embedded.scscfs == [SCSCFSettings(name: try SIPURI(parsing: "sip:scscf.ims.test"))])
        #expect(embedded.scscfs.first?.capabilities == [])
        #expect(
            embedded.registration
                == ExpirySettings(
                    minimumExpires: .seconds(60), defaultExpires: .seconds(3600), maximumExpires: .seconds(7200)))
        #expect(
            embedded.regEvent
                == ExpirySettings(
                    minimumExpires: .seconds(60), defaultExpires: .seconds(600_000), maximumExpires: .seconds(600_000)))
        #expect(embedded.authentication.challengeLifetime == .seconds(30))
        #expect(embedded.authentication.failures.maximum == 5)
        #expect(embedded.authentication.failures.window == .seconds(300))
        #expect(embedded.authentication.failures.blockDuration == .seconds(600))
        #expect(embedded.subscribers.isEmpty)
    }

    @Test func everyEmbeddedKey() throws {
        let policy = try PolicyFixtures.load(
            Self.embeddedHead + """
                  pcscf: "sip:edge.ims.test;transport=tcp"
                  scscf:
                    - "sip:scscf1.ims.test"
                    - { name: "sip:scscf2.ims.test:5070", capabilities: [1, 2, 4_294_967_295] }
                  registration: { min_expires: 30s, default_expires: 1h, max_expires: 86_400 }
                  reg_event: { min_expires: 10m, default_expires: 3000, max_expires: 1h }
                  authentication:
                    challenge_lifetime: 2m
                    failures: { max: 3, window: 1h, block: 1h }
                  subscribers: []
                """)
        let embedded = try #require(policy.ims?.embedded)
        #expect(embedded.pcscf == (try SIPURI(parsing: "sip:edge.ims.test;transport=tcp")))
        #expect(
            embedded.scscfs == [
                SCSCFSettings(name: try SIPURI(parsing: "sip:scscf1.ims.test")),
                SCSCFSettings(
                    name: try SIPURI(parsing: "sip:scscf2.ims.test:5070"), capabilities: [1, 2, 4_294_967_295]),
            ])
        #expect(
            embedded.registration
                == ExpirySettings(
                    minimumExpires: .seconds(30), defaultExpires: .seconds(3600), maximumExpires: .seconds(86_400)))
        #expect(
            embedded.regEvent
                == ExpirySettings(
                    minimumExpires: .seconds(600), defaultExpires: .seconds(3000), maximumExpires: .seconds(3600)))
        #expect(
            embedded.authentication
                == IMSAuthenticationSettings(
                    challengeLifetime: .seconds(120),
                    failures: AuthenticationFailureSettings(
                        maximum: 3, window: .seconds(3600), blockDuration: .seconds(3600))))
    }

    @Test func aCoreIsExternalOrEmbeddedNeverBoth() {
        let both = PolicyFixtures.diagnostics(
            PolicyFixtures.head + "ims: { domain: ims.test, next_hop: \"sip:core.ims.test\", hss: embedded }\n")
        #expect(both.map(\.located) == ["conflicting-keys@8:62"])
        #expect(both.first?.message == "ims takes 'next_hop' (an external core) or 'hss: embedded', not both")

        let neither = PolicyFixtures.diagnostics(PolicyFixtures.head + "ims: { domain: ims.test }\n")
        #expect(neither.map(\.located) == ["missing-key@8:6"])

        let other = PolicyFixtures.diagnostics(PolicyFixtures.head + "ims: { domain: ims.test, hss: diameter }\n")
        #expect(other.map(\.located) == ["bad-value@8:31"])

        // The embedded core's keys say nothing about an external core: they are refused, not ignored.
        let external = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                ims:
                  domain: ims.test
                  next_hop: "sip:core.ims.test"
                  pcscf: "sip:pcscf.ims.test"
                  subscribers: []
                """)
        #expect(external.map(\.located) == ["conflicting-keys@11:10", "conflicting-keys@12:16"])
        #expect(
            external.first?.message
                == "ims.pcscf is a setting of the embedded core (hss: embedded), not of next_hop")

        // A route to an IMS section that is broken reports the section, and the route once.
        let broken = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                ims: { domain: ims.test, hss: embedded, pcscf: "tel:+1" }
                routes:
                  - { match: {}, to: ims }
                """)
        #expect(broken.map(\.located) == ["bad-uri@8:48", "missing-ims@10:22"])
    }

    @Test func embeddedKeyErrors() {
        let found = PolicyFixtures.diagnostics(
            Self.embeddedHead + """
                  scscf:
                    - "sip:scscf.ims.test"
                    - { name: "sip:scscf.ims.test", capabilities: [1, -1, 1] }
                    - { capabilities: [1] }
                    - "mailto:scscf@ims.test"
                  registration: { min_expires: 0, default_expires: 1.5h, max_expires: 1500ms, maximum: 3 }
                  reg_event: 600000
                  authentication:
                    challenge_lifetime: 2h
                    failures: { max: 0, window: 0s, block: 8d, after: 3 }
                """)
        #expect(
            found.map(\.located) == [
                "bad-value@13:55", "bad-value@13:59", "bad-value@13:15", "missing-key@14:7", "bad-uri@15:7",
                "unknown-key@16:79", "bad-value@16:32", "bad-duration@16:52", "bad-value@16:71",
                "wrong-type@17:14",
                "bad-value@19:25",
                "unknown-key@20:48", "bad-value@20:22", "bad-value@20:33", "bad-duration@20:44",
            ])
        #expect(found[1].message == "ims.scscf capabilities: capability 1 is listed twice")
        #expect(found[2].message == "S-CSCF sip:scscf.ims.test is listed twice in ims.scscf")
        #expect(found[8].message == "ims.registration.max_expires must be whole seconds, not 1500ms")

        let empty = PolicyFixtures.diagnostics(Self.embeddedHead + "  scscf: []\n")
        #expect(empty.map(\.located) == ["bad-value@11:10"])
    }

    @Test func expiriesAreInOrder() {
        let found = PolicyFixtures.diagnostics(
            Self.embeddedHead + """
                  registration: { min_expires: 2h }
                  reg_event: { default_expires: 60, max_expires: 30 }
                """)
        #expect(found.map(\.located) == ["bad-value@11:32", "bad-value@12:50"])
        #expect(found[0].message == "ims.registration.min_expires (2h) must not exceed default_expires (1h)")
        #expect(found[1].message == "ims.reg_event.default_expires (1m) must not exceed max_expires (30s)")
    }

    @Test func subscribersNeedAnSCSCFWithTheirMandatoryCapabilities() throws {
        let subscriber = """
              - private_identity: carol@ims.test
                public_identities: [sip:carol@ims.test]
                digest: { password: x }
                capabilities: { mandatory: [1, 2], optional: [3] }

            """
        let served = try PolicyFixtures.load(
            Self.embeddedHead + """
                  scscf:
                    - { name: "sip:a.ims.test", capabilities: [1] }
                    - { name: "sip:b.ims.test", capabilities: [1, 2] }
                  subscribers:

                """ + subscriber)
        #expect(
            served.ims?.embedded?.subscribers.first?.capabilities
                == ProvisionedSubscriber.Capabilities(mandatory: [1, 2], optional: [3]))

        let unserved = PolicyFixtures.diagnostics(
            Self.embeddedHead + """
                  scscf:
                    - { name: "sip:a.ims.test", capabilities: [1] }
                    - { name: "sip:b.ims.test", capabilities: [2] }
                  subscribers:

                """ + subscriber)
        #expect(unserved.map(\.located) == ["unserved-capabilities@18:19"])
        #expect(
            unserved.first?.message
                == "subscriber 'carol@ims.test' needs capabilities [1, 2], which no S-CSCF of ims.scscf has together")
    }

    @Test func theLabRunsTheEmbeddedCoreWithTheDemoSubscribers() throws {
        let lab = try PolicyFixtures.shipped("lab.yaml")
        let ims = try #require(lab.ims)
        let embedded = try #require(ims.embedded)
        #expect(ims.domain == "ims.gatehouse.test" && ims.nextHop == nil)
        #expect(embedded.pcscf == (try SIPURI(parsing: "sip:pcscf.ims.gatehouse.test")))
        #expect(embedded.scscfs == [SCSCFSettings(name: try SIPURI(parsing: "sip:scscf.ims.gatehouse.test"))])
        #expect(embedded.registration == EmbeddedIMSSettings.defaultRegistration)
        #expect(embedded.authentication == IMSAuthenticationSettings())
        #expect(embedded.subscribers.count == 2)

        let alice = try #require(embedded.subscribers.first)
        #expect(alice.privateIdentity == "alice@ims.gatehouse.test")
        #expect(
            alice.publicIdentities == [
                ProvisionedSubscriber.PublicIdentity("sip:alice@ims.gatehouse.test"),
                ProvisionedSubscriber.PublicIdentity("tel:+15550100001"),
            ])
        #expect(
            alice.aka
                == ProvisionedSubscriber.AKA(
                    key: Array("GatehouseLabKey1".utf8), operatorKey: .op(Array("GatehouseLabOP01".utf8)),
                    amf: [0x80, 0x00]))
        #expect(alice.digest == nil && alice.preferredScheme == .aka)

        let bob = try #require(embedded.subscribers.last)
        #expect(bob.privateIdentity == "bob@ims.gatehouse.test")
        #expect(bob.publicIdentities.map(\.identity) == ["sip:bob@ims.gatehouse.test", "tel:+15550100002"])
        #expect(bob.aka == nil)
        #expect(
            bob.digest == ProvisionedSubscriber.Digest(realm: "ims.gatehouse.test", secret: .password("bob-secret")))
        #expect(bob.preferredScheme == .digestMD5)
    }
}
