import IMSInterfaces
import Testing

@testable import HSS

/// RFC 3310 helpers: the AKAv1 nonce, the digest password, the `auts` parameter.
@Suite struct DigestAKATests {
    let set = MilenageTestSet.all[0]

    /// base64(RAND ‖ AUTN) for TS 35.208 test set 1, computed with a separate implementation.
    static let testSet1Nonce = "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M="

    @Test func nonceForTestSet1() throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), opc: OPc(hex: set.opc))
        let vector = try milenage.authenticationVector(
            rand: RAND(hex: set.rand), sqn: SQN(hex: set.sqn), amf: AMF(hex: set.amf))
        #expect(AKAv1Nonce(vector).base64 == Self.testSet1Nonce)

        let parsed = try AKAv1Nonce(base64: Self.testSet1Nonce)
        #expect(parsed.rand == vector.rand)
        #expect(parsed.autn == vector.autn)
        #expect(parsed.serverData.isEmpty)
    }

    @Test func serverDataRoundTrips() throws {
        let nonce = AKAv1Nonce(
            rand: try RAND(hex: set.rand), autn: try AUTN(hex: "55f328b43577b9b94a9ffac354dfafb3"),
            serverData: [0xde, 0xad, 0xbe, 0xef, 0x01])
        let parsed = try AKAv1Nonce(base64: nonce.base64)
        #expect(parsed == nonce)
        // Unpadded is accepted too.
        #expect(try AKAv1Nonce(base64: Self.testSet1Nonce.dropLast()).rand.hex == set.rand)
    }

    @Test func badNonces() {
        let cases: [(String, AKAError.Code)] = [
            ("I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7", .invalidBase64),  // a dangling 6 bits
            ("I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=!", .invalidBase64),
            ("I1U8vpY3 qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=", .invalidBase64),
            ("I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tf", .wrongLength),  // 30 bytes
            ("", .wrongLength),
        ]
        for (text, code) in cases {
            #expect {
                try AKAv1Nonce(base64: text)
            } throws: { error in
                (error as? AKAError)?.code == code
            }
        }
    }

    @Test func passwordIsRawRES() throws {
        let res = try RES(hex: set.f2)
        #expect(res.akav1Password == [0xa5, 0x42, 0x11, 0xd5, 0xe3, 0xba, 0x50, 0xbf])
    }

    @Test func autsParameter() throws {
        // (SQN_MS 000000000fe0 for test set 1, see ResynchronisationTests) in base64, with and without padding.
        let auts = try AUTS(base64: "RR6L7Kvb08OU9ch67HU=")
        #expect(auts.hex == "451e8becabdbd3c394f5c87aec75")
        #expect(auts.base64 == "RR6L7Kvb08OU9ch67HU=")
        #expect(try AUTS(base64: "RR6L7Kvb08OU9ch67HU") == auts)
        #expect(auts.mac == MAC(0xd3c3_94f5_c87a_ec75))
        #expect(auts.concealedSQN == 0x451e_8bec_abdb)

        #expect {
            try AUTS(base64: "RR6L7Kvb08OU9ch67A==")  // 13 bytes
        } throws: { error in
            (error as? AKAError)?.code == .wrongLength
        }
        #expect {
            try AUTS(base64: "RR6L7Kvb08OU9ch6*HU=")
        } throws: { error in
            (error as? AKAError)?.code == .invalidBase64
        }
    }

    @Test func base64Corners() {
        #expect(Base64.encode([]) == "")
        #expect(Base64.encode([0xff]) == "/w==")
        #expect(Base64.decode("/w==") == [0xff])
        #expect(Base64.decode("/w") == [0xff])
        #expect(Base64.decode("/x==") == nil, "non-zero leftover bits")
        #expect(Base64.decode("/w===") == nil)
        #expect(Base64.decode("/w=") == nil)
        #expect(Base64.decode("=") == nil)
    }
}
