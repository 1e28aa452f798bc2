import GatehousePolicy
import Testing

/// `realms.NAME.media.srtp` and `peers.NAME.srtp`: the short and the long form, the default, and mistakes located
/// by line and column.
struct SRTPPolicyTests {
    @Test func srtpIsOffByDefault() throws {
        let policy = try PolicyFixtures.load(MediaPolicyTests.realms("{ address: 127.0.0.10, ports: 20000-29999 }"))
        #expect(policy.realm(named: "access")?.media?.srtp == SRTPPolicy(mode: .off, suites: nil))
    }

    @Test func theShortAndTheLongFormAreRead() throws {
        let short = try PolicyFixtures.load(
            MediaPolicyTests.realms("{ address: 127.0.0.10, ports: 20000-29999, srtp: required }"))
        #expect(short.realm(named: "access")?.media?.srtp == SRTPPolicy(mode: .required))
        let long = try PolicyFixtures.load(
            MediaPolicyTests.realms(
                "{ address: 127.0.0.10, ports: 20000-29999, srtp: { mode: optional, suites: [aead_aes_128_gcm, AES_CM_128_HMAC_SHA1_80] } }"
            ))
        #expect(
            long.realm(named: "access")?.media?.srtp
                == SRTPPolicy(mode: .optional, suites: ["AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"]))
    }

    @Test func aPeerMayHaveItsOwn() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  pbx: { realm: access, addresses: [127.0.0.2], srtp: required }
                  carrier: { realm: interconnect, addresses: [127.0.0.3], srtp: { mode: off } }
                  open: { realm: interconnect, addresses: [127.0.0.4] }
                """)
        #expect(policy.peer(named: "pbx")?.srtp == SRTPPolicy(mode: .required))
        #expect(policy.peer(named: "carrier")?.srtp == SRTPPolicy(mode: .off))
        #expect(policy.peer(named: "open")?.srtp == nil)
    }

    @Test func mistakesAreLocated() {
        let mode = PolicyFixtures.diagnostics(
            MediaPolicyTests.realms("{ address: 127.0.0.10, ports: 20000-29999, srtp: mandatory }"))
        #expect(mode.map(\.located) == ["bad-value@6:61"])
        let suite = PolicyFixtures.diagnostics(
            MediaPolicyTests.realms(
                "{ address: 127.0.0.10, ports: 20000-29999, srtp: { mode: required, suites: [AES_256_CM_HMAC_SHA1_80] } }"
            ))
        #expect(suite.map(\.code) == [.badValue])
        #expect(suite.first?.message.contains("AES_256_CM_HMAC_SHA1_80") == true)
        let twice = PolicyFixtures.diagnostics(
            MediaPolicyTests.realms(
                "{ address: 127.0.0.10, ports: 20000-29999, srtp: { mode: required, suites: [AEAD_AES_128_GCM, aead_aes_128_gcm] } }"
            ))
        #expect(twice.map(\.code) == [.duplicateKey])
        let unknown = PolicyFixtures.diagnostics(
            MediaPolicyTests.realms("{ address: 127.0.0.10, ports: 20000-29999, srtp: { mode: off, keys: 3 } }"))
        #expect(unknown.map(\.code) == [.unknownKey])
        let missing = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                peers:
                  pbx: { realm: access, addresses: [127.0.0.2], srtp: { suites: [AEAD_AES_128_GCM] } }
                """)
        #expect(missing.map(\.code) == [.missingKey])
    }

    @Test func theKeyExchangesAreReadInOrderAndDefaultToSDESThenDTLS() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  phone: { realm: access, addresses: [127.0.0.2], srtp: { mode: required, key_exchange: [dtls, sdes] } }
                  webrtc: { realm: access, addresses: [127.0.0.3], srtp: { mode: required, key_exchange: DTLS } }
                  pbx: { realm: interconnect, addresses: [127.0.0.4], srtp: required }
                """)
        #expect(policy.peer(named: "phone")?.srtp?.keyExchanges == [.dtls, .sdes])
        #expect(policy.peer(named: "webrtc")?.srtp?.keyExchanges == [.dtls])
        #expect(policy.peer(named: "pbx")?.srtp?.keyExchanges == [.sdes, .dtls])
    }

    @Test func keyExchangeMistakesAreLocated() {
        let unknown = PolicyFixtures.diagnostics(
            MediaPolicyTests.realms(
                "{ address: 127.0.0.10, ports: 20000-29999, srtp: { mode: required, key_exchange: [zrtp] } }"))
        #expect(unknown.map(\.located) == ["bad-value@6:94"])
        #expect(unknown.first?.message.contains("'zrtp' is not one of sdes, dtls") == true)
        let twice = PolicyFixtures.diagnostics(
            MediaPolicyTests.realms(
                "{ address: 127.0.0.10, ports: 20000-29999, srtp: { mode: required, key_exchange: [dtls, DTLS] } }"))
        #expect(twice.map(\.code) == [.duplicateKey])
        let empty = PolicyFixtures.diagnostics(
            MediaPolicyTests.realms(
                "{ address: 127.0.0.10, ports: 20000-29999, srtp: { mode: required, key_exchange: [] } }"))
        #expect(empty.map(\.code) == [.missingKey])
    }
}
