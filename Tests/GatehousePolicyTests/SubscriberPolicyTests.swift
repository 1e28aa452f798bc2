import Foundation
import GatehousePolicy
import SIPMessage
import Testing

/// The subscriber format shared by `ims.subscribers` and subscriber files (`gatehouse hss import`): identities,
/// credentials, defaults, and every mistake located.
struct SubscriberPolicyTests {
    typealias Identity = ProvisionedSubscriber.PublicIdentity

    static let aliceKey = "47617465686f7573654c61624b657931"
    static let aliceOP = "47617465686f7573654c61624f503031"

    @Test func aFullSubscriberFile() throws {
        let subscribers = try PolicyFixtures.subscribers(
            """
            subscribers:
              - private_identity: alice@IMS.Example.net
                public_identities:
                  - sip:alice@ims.example.net
                  - "tel:+15550100001"
                  - { identity: "sips:alice.work@ims.example.net", implicit_set: work, barred: true }
                aka: { k: \(Self.aliceKey), opc: 0123456789ABCDEF0123456789abcdef, amf: 0000, sqn: 00000000002a }
                digest: { ha1: { md5: 0123456789abcdef0123456789ABCDEF }, realm: example.net }
                authentication: digest-md5
                capabilities: { mandatory: [1], optional: [2, 3] }
              - private_identity: pbx@ims.example.net
                public_identities:
                  - sip:pbx@ims.example.net
                  - identity: "tel:+1555019!.*!"
                    implicit_set: pbx
                    barred: false
                    service_profile: trunk
                    service_identity: false
                  - { identity: "sip:conference-!\\\\d{4}!@ims.example.net", service_identity: true }
                digest: { password: pbx-secret }
                service_profiles:
                  - name: default
                  - name: trunk
            """)
        #expect(subscribers.count == 2)
        let alice = try #require(subscribers.first)
        #expect(alice.privateIdentity == "alice@IMS.Example.net")
        #expect(
            alice.publicIdentities == [
                Identity("sip:alice@ims.example.net"), Identity("tel:+15550100001"),
                Identity("sips:alice.work@ims.example.net", implicitSet: "work", isBarred: true),
            ])
        #expect(
            alice.aka
                == ProvisionedSubscriber.AKA(
                    key: Array("GatehouseLabKey1".utf8),
                    operatorKey: .opc([
                        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                    ]),
                    amf: [0, 0], sequenceNumber: 42))
        #expect(
            alice.digest
                == ProvisionedSubscriber.Digest(
                    realm: "example.net", secret: .ha1([.md5: "0123456789abcdef0123456789abcdef"])))
        #expect(alice.preferredScheme == .digestMD5)
        #expect(alice.allowedSchemes == [.aka, .digestMD5])
        #expect(alice.capabilities == ProvisionedSubscriber.Capabilities(mandatory: [1], optional: [2, 3]))
        #expect(alice.serviceProfiles.isEmpty)

        let pbx = try #require(subscribers.last)
        #expect(
            pbx.publicIdentities == [
                Identity("sip:pbx@ims.example.net", serviceProfile: "default"),
                Identity("tel:+1555019!.*!", isWildcard: true, implicitSet: "pbx", serviceProfile: "trunk"),
                Identity(
                    "sip:conference-!\\d{4}!@ims.example.net", isWildcard: true, serviceProfile: "default",
                    isServiceIdentity: true),
            ])
        // In a subscriber file, digest credentials without a realm take the private identity's.
        #expect(pbx.digest == ProvisionedSubscriber.Digest(realm: "ims.example.net", secret: .password("pbx-secret")))
        #expect(pbx.preferredScheme == .digestSHA256 && pbx.allowedSchemes == [.digestSHA256, .digestMD5])
        #expect(pbx.serviceProfiles.map(\.name) == ["default", "trunk"])
    }

    @Test func defaults() throws {
        let subscribers = try PolicyFixtures.subscribers(
            """
            subscribers:
              - private_identity: a@Realm.Example
                public_identities: [sip:a@realm.example]
                aka: { k: \(Self.aliceKey), op: \(Self.aliceOP) }
                digest: { password: a }
              - private_identity: b@realm.example
                public_identities: [sip:b@realm.example]
                digest: { ha1: { md5: 0123456789abcdef0123456789abcdef } }
              - private_identity: c@realm.example
                public_identities: [sip:c@realm.example]
                digest: { ha1: { sha256: \(String(repeating: "ab", count: 32)) } }
            """)
        let a = subscribers[0]
        // AMF 8000 unless written; SQN from zero; AKA first when the credentials allow it.
        #expect(a.aka?.amf == [0x80, 0x00] && a.aka?.sequenceNumber == nil)
        #expect(a.preferredScheme == .aka && a.allowedSchemes == [.aka, .digestSHA256, .digestMD5])
        #expect(a.digest?.realm == "realm.example")
        #expect(a.publicIdentities == [Identity("sip:a@realm.example")])
        #expect(a.publicIdentities[0].implicitSet == "default" && !a.publicIdentities[0].isBarred)
        #expect(a.publicIdentities[0].serviceProfile == nil && !a.publicIdentities[0].isServiceIdentity)
        #expect(a.capabilities == ProvisionedSubscriber.Capabilities())
        // Digest alone: SHA-256 when the credentials allow it, else MD5.
        #expect(subscribers[1].preferredScheme == .digestMD5 && subscribers[1].allowedSchemes == [.digestMD5])
        #expect(subscribers[2].preferredScheme == .digestSHA256 && subscribers[2].allowedSchemes == [.digestSHA256])
    }

    @Test func inAPolicyDigestRealmsDefaultToTheIMSDomain() throws {
        let policy = try PolicyFixtures.load(
            IMSPolicyTests.embeddedHead + """
                  subscribers:
                    - private_identity: dave@elsewhere.example
                      public_identities: [sip:dave@ims.test]
                      digest: { password: d }
                """)
        #expect(policy.ims?.embedded?.subscribers.first?.digest?.realm == "ims.test")
    }

    @Test func privateIdentityErrors() {
        let found = PolicyFixtures.subscriberDiagnostics(
            """
            subscribers:
              - private_identity: "alice @ims.test"
                public_identities: [sip:alice@ims.test]
                digest: { password: a }
              - private_identity: ""
                public_identities: [sip:empty@ims.test]
                digest: { password: a }
              - private_identity: bob@ims.test
                public_identities: [sip:bob@ims.test]
                digest: { password: b }
              - private_identity: bob@IMS.TEST
                public_identities: [sip:bob2@ims.test]
                digest: { password: b }
              - public_identities: [sip:nobody@ims.test]
                secret: x
            """)
        #expect(
            found.map(\.located) == [
                "bad-identity@2:23", "bad-identity@5:23", "duplicate-identity@11:23", "unknown-key@15:5",
                "missing-key@14:5", "bad-credentials@14:5",
            ])
        #expect(found[2].message == "private identity 'bob@IMS.TEST' is already provisioned (line 8)")
        #expect(found[3].message.hasPrefix("'secret' is not a key of subscriber 5 (expected: private_identity"))
    }

    @Test func publicIdentityErrors() {
        let found = PolicyFixtures.subscriberDiagnostics(
            """
            subscribers:
              - private_identity: alice@ims.test
                digest: { password: a }
                public_identities:
                  - alice@ims.test
                  - mailto:alice@ims.test
                  - sip:alice@ims.test:5060
                  - sip:alice@ims.test;transport=tcp
                  - "tel:5550100;phone-context=ims.test"
                  - "tel:+1555!.*"
                  - "tel:+1555!a!b!"
                  - "sip:!(!@ims.test"
                  - "tel:!.*!"
                  - { identity: "tel:+1555019!\\\\d{4}!", implicit_set: "pbx set", barred: no, service_identity: 1 }
                  - { identity: sip:alice.2@ims.test, service_profile: gold }
              - private_identity: bob@ims.test
                digest: { password: b }
                public_identities: []
            """)
        #expect(
            found.map(\.located) == [
                "bad-identity@5:9", "bad-identity@6:9", "bad-identity@7:9", "bad-identity@8:9", "bad-identity@9:9",
                "bad-identity@10:9", "bad-identity@11:9", "bad-regex@12:16", "bad-identity@13:9",
                "bad-name@14:59", "wrong-type@14:78", "wrong-type@14:100", "unknown-service-profile@15:60",
                "bad-value@18:24",
            ])
        #expect(
            found[0].message.hasPrefix("subscriber 'alice@ims.test': public identity 'alice@ims.test' is not a SIP"))
        #expect(found[1].message.hasSuffix("is a mailto: URI; public identities are sip:, sips: or tel:"))
        #expect(
            found[2].message.hasSuffix(
                "must be written sip:USER@DOMAIN, without password, port, headers or parameters other than user"))
        #expect(found[4].message.hasSuffix("must be a global number without parameters (tel:+15550100001)"))
        #expect(found[5].message.hasSuffix("must have exactly one '!…!' part, a regular expression between two '!'"))
        #expect(found[7].message.contains("has a wildcard that does not compile at character 7: expected ')'"))
        #expect(found[8].message.contains("with its wildcard replaced by '0' is not a SIP or tel URI"))
        #expect(
            found[12].message
                == "subscriber 'alice@ims.test': service profile 'gold' is not in its service_profiles (it has none)")
        #expect(found[13].message == "subscriber 'bob@ims.test' needs at least one public identity")
    }

    @Test func capabilityAndProfileListErrors() {
        let found = PolicyFixtures.subscriberDiagnostics(
            """
            subscribers:
              - private_identity: a@ims.test
                public_identities: [sip:a@ims.test]
                digest: { password: a }
                capabilities: { mandatory: [1, 1], optional: [-2], preferred: [3] }
                service_profiles: { name: default }
            """)
        // Service profiles are read before the rest, so that identities can be checked against them.
        #expect(found.map(\.located) == ["wrong-type@6:23", "unknown-key@5:56", "bad-value@5:36", "bad-value@5:51"])
        #expect(found[2].message == "subscriber 'a@ims.test' capabilities.mandatory: capability 1 is listed twice")
    }

    @Test func noIdentityIsProvisionedTwice() {
        let found = PolicyFixtures.subscriberDiagnostics(
            """
            subscribers:
              - private_identity: alice@ims.test
                digest: { password: a }
                public_identities:
                  - sip:alice@ims.test
                  - "tel:+1-555-0100"
                  - sip:alice@IMS.test;user=phone
                  - "tel:+1555019!.*!"
              - private_identity: bob@ims.test
                digest: { password: b }
                public_identities:
                  - "tel:+15550100"
                  - sips:alice@ims.test
                  - sip:Alice@ims.test
                  - "TEL:+1555019!.*!"
            """)
        #expect(
            found.map(\.located) == ["duplicate-identity@7:9", "duplicate-identity@12:9", "duplicate-identity@15:9"])
        #expect(
            found[0].message
                == "public identity 'sip:alice@IMS.test;user=phone' is already provisioned for alice@ims.test (line 5)")
        #expect(
            found[1].message == "public identity 'tel:+15550100' is already provisioned for alice@ims.test (line 6)")
    }

    @Test func akaErrors() {
        let found = PolicyFixtures.subscriberDiagnostics(
            """
            subscribers:
              - private_identity: a@ims.test
                public_identities: [sip:a@ims.test]
                aka: { k: 4761, op: \(Self.aliceOP), opc: \(Self.aliceOP) }
              - private_identity: b@ims.test
                public_identities: [sip:b@ims.test]
                aka: { k: \(Self.aliceKey.dropLast())g, amf: 80000, sqn: [1] }
              - private_identity: c@ims.test
                public_identities: [sip:c@ims.test]
                aka: { op: \(Self.aliceOP), amf: 8000, sqn: 0000000000zz }
              - private_identity: d@ims.test
                public_identities: [sip:d@ims.test]
            """)
        #expect(
            found.map(\.located) == [
                "bad-credentials@4:15", "bad-credentials@4:64", "bad-credentials@7:15", "bad-credentials@7:10",
                "bad-credentials@7:54", "wrong-type@7:66", "missing-key@10:10", "bad-credentials@10:66",
                "bad-credentials@11:5",
            ])
        #expect(found[0].message == "subscriber 'a@ims.test' aka.k must be 32 hex digits, not 4")
        #expect(found[1].message == "subscriber 'a@ims.test' aka takes 'op' or 'opc', not both")
        #expect(found[2].message == "subscriber 'b@ims.test' aka.k must be 32 hex digits (0-9, a-f)")
        #expect(found[3].message == "subscriber 'b@ims.test' aka needs 'op' or 'opc'")
        #expect(found[8].message == "subscriber 'd@ims.test' needs credentials: 'aka', 'digest' or both")
    }

    @Test func digestErrors() {
        let found = PolicyFixtures.subscriberDiagnostics(
            """
            subscribers:
              - private_identity: a@ims.test
                public_identities: [sip:a@ims.test]
                digest: { password: a, ha1: { md5: 0123456789abcdef0123456789abcdef } }
              - private_identity: b@ims.test
                public_identities: [sip:b@ims.test]
                digest: { realm: "" }
              - private_identity: c@ims.test
                public_identities: [sip:c@ims.test]
                digest: { password: "", ha1nope: 1 }
              - private_identity: d@ims.test
                public_identities: [sip:d@ims.test]
                digest: { ha1: { md5: 0123456789abcdef, sha1: 00 } }
              - private_identity: e@ims.test
                public_identities: [sip:e@ims.test]
                digest: { ha1: {} }
              - private_identity: nobody
                public_identities: [sip:nobody@ims.test]
                digest: { password: n }
            """)
        #expect(
            found.map(\.located) == [
                "bad-credentials@4:33", "bad-value@7:22", "bad-credentials@7:13", "unknown-key@10:29",
                "bad-credentials@10:25", "unknown-key@13:45", "bad-credentials@13:27", "bad-credentials@16:20",
                "missing-key@19:13",
            ])
        #expect(found[7].message == "subscriber 'e@ims.test' digest.ha1 needs an md5 or a sha256 value (or both)")
        #expect(
            found[8].message
                == "subscriber 'nobody' digest needs 'realm': the private identity has no realm (user@realm) to take")
    }

    @Test func thePreferredSchemeMustBeOneTheCredentialsAllow() {
        let found = PolicyFixtures.subscriberDiagnostics(
            """
            subscribers:
              - private_identity: a@ims.test
                public_identities: [sip:a@ims.test]
                digest: { password: a }
                authentication: aka
              - private_identity: b@ims.test
                public_identities: [sip:b@ims.test]
                digest: { ha1: { md5: 0123456789abcdef0123456789abcdef } }
                authentication: digest-sha256
              - private_identity: c@ims.test
                public_identities: [sip:c@ims.test]
                aka: { k: \(Self.aliceKey), op: \(Self.aliceOP) }
                authentication: digest-md5
              - private_identity: d@ims.test
                public_identities: [sip:d@ims.test]
                aka: { k: \(Self.aliceKey), op: \(Self.aliceOP) }
                authentication: AKA
            """)
        #expect(
            found.map(\.located) == [
                "bad-credentials@5:21", "bad-credentials@9:21", "bad-credentials@13:21", "bad-value@17:21",
            ])
        #expect(found[0].message == "subscriber 'a@ims.test' authentication 'aka' needs aka credentials")
        #expect(
            found[1].message
                == "subscriber 'b@ims.test' authentication 'digest-sha256' needs digest credentials with a password or a sha256 ha1"
        )
        #expect(
            found[3].message
                == "subscriber 'd@ims.test' authentication 'AKA' must be aka or digest-md5 or digest-sha256")
    }

    @Test func secretsNeverShow() throws {
        // Every secret here is wrong somehow (a length, a letter, a key beside it): none may be quoted back.
        let secrets = ["47617465686f7573654c61624b6579", "47617465686f7573654c61624f50303z", "hunter2-secret"]
        let found = PolicyFixtures.subscriberDiagnostics(
            """
            subscribers:
              - private_identity: a@ims.test
                public_identities: [sip:a@ims.test]
                aka: { k: \(secrets[0]), op: \(secrets[1]) }
                digest: { password: \(secrets[2]), ha1: { md5: \(secrets[0]) } }
            """)
        #expect(found.count == 3)
        for diagnostic in found {
            for secret in secrets { #expect(!diagnostic.description.contains(secret)) }
        }

        let policy = try PolicyFixtures.shipped("lab.yaml")
        let alice = try #require(policy.ims?.embedded?.subscribers.first)
        let bob = try #require(policy.ims?.embedded?.subscribers.last)
        var dumped = ""
        dump(policy, to: &dumped)
        let printed = [
            "\(policy)", String(reflecting: policy), dumped, "\(alice)", String(reflecting: alice), "\(bob)",
            String(reflecting: bob),
        ]
        // Bytes print in decimal: K starts 71, 97, 116 ("Gat").
        #expect(!dumped.contains("operatorKey") && !dumped.contains("secret"))
        for text in printed {
            #expect(!text.contains("bob-secret"))
            #expect(!text.contains("71, 97, 116"))
            #expect(!text.contains(Self.aliceKey))
        }
        #expect("\(alice)" == "alice@ims.gatehouse.test [sip:alice@ims.gatehouse.test, tel:+15550100001] (aka)")
        #expect("\(alice.aka!)" == "AKA(redacted)")
        #expect("\(bob.digest!)" == "Digest(realm: ims.gatehouse.test, redacted)")
    }

    @Test func theSubscriberFileHoldsSubscribersOnly() {
        #expect(PolicyFixtures.subscriberDiagnostics("").map(\.located) == ["missing-key@1:1"])
        #expect(PolicyFixtures.subscriberDiagnostics("subscribers: [").map(\.code) == [.yamlSyntax])
        #expect(
            PolicyFixtures.subscriberDiagnostics("version: 1\nsubscribers: []\n").map(\.located) == ["unknown-key@1:1"])
        #expect(
            PolicyFixtures.subscriberDiagnostics("other: 1\n").map(\.located) == ["unknown-key@1:1", "missing-key@1:1"])
        #expect(PolicyFixtures.subscriberDiagnostics("subscribers: {}\n").map(\.located) == ["wrong-type@1:14"])
        #expect((try? PolicyFixtures.subscribers("subscribers: []\n")) == [])
    }
}
