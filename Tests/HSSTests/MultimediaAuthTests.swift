import IMSInterfaces
import Testing

@testable import HSS

/// MAR (TS 29.228 §6.3.1): AKA vectors with Milenage and the SQN counter, resynchronisation, digest HA1.
@Suite struct MultimediaAuthTests {
    let store: SQLiteSubscriberStore
    let hss: HomeSubscriberServer
    let milenage: Milenage

    init() throws {
        store = try Lab.store()
        hss = HomeSubscriberServer(store: store, random: CountingRandom().bytes)
        milenage = try Lab.aliceMilenage()
    }

    func mar(
        _ privateIdentity: PrivateIdentity = Lab.aliceIMPI, _ identity: PublicIdentity = Lab.aliceSIP,
        scheme: AuthenticationScheme? = nil, items: Int = 1,
        resynchronization: MultimediaAuthRequest.Resynchronization? = nil
    ) throws -> MultimediaAuthAnswer {
        try hss.multimediaAuth(
            MultimediaAuthRequest(
                privateIdentity: privateIdentity, publicIdentity: identity, scheme: scheme, numberOfItems: items,
                resynchronization: resynchronization, serverName: Lab.scscf))
    }

    @Test func akaVectorIsMilenageOfItsRAND() throws {
        let answer = try mar()
        #expect(answer.result == .success)
        let vector = try #require(answer.akaVectors.first)
        #expect(answer.items.count == 1)
        #expect(answer.items[0].scheme == .akaV1MD5)

        let rand = try RAND(bytes: vector.rand)
        #expect(vector.xres == milenage.f2(rand: rand).bytes)
        #expect(vector.ck == milenage.f3(rand: rand).bytes)
        #expect(vector.ik == milenage.f4(rand: rand).bytes)
        let autn = try AUTN(bytes: vector.autn)
        #expect(autn.amf == AMF(0x8000))
        let sqn = autn.sqn(revealedBy: milenage.f5(rand: rand))
        #expect(autn.mac == milenage.f1(rand: rand, sqn: sqn, amf: AMF(0x8000)))
        #expect(SequenceNumberState.sequence(of: sqn) == 1, "the first vector has SEQ 1")
    }

    @Test func sqnIncreasesBetweenRequests() throws {
        let first = try #require(try mar().akaVectors.first).sqn(using: milenage)
        let second = try #require(try mar(Lab.aliceIMPI, Lab.aliceTel).akaVectors.first).sqn(using: milenage)
        #expect(second > first)
        #expect(SequenceNumberState.sequence(of: second) == SequenceNumberState.sequence(of: first) + 1)
        #expect(SequenceNumberState.index(of: second) == SequenceNumberState.index(of: first) + 1)
    }

    @Test func severalVectorsInOneRequest() throws {
        let vectors = try mar(items: 3).akaVectors
        #expect(vectors.count == 3)
        #expect(Set(vectors.map(\.rand)).count == 3, "each vector its own RAND")
        let sqns = try vectors.map { try $0.sqn(using: milenage) }
        #expect(sqns == sqns.sorted() && Set(sqns).count == 3)
        #expect(try mar(items: 50).akaVectors.count == HomeSubscriberServer.maximumVectorsPerRequest)
        #expect(try mar(items: 0).akaVectors.count == 1)
    }

    @Test func opcProvisionedGivesTheSameVectors() throws {
        var alice = Lab.alice
        alice.credentials.aka?.operatorKey = .opc(milenage.opc.bytes)
        try store.put(alice)
        let vector = try #require(try mar().akaVectors.first)
        #expect(vector.xres == milenage.f2(rand: try RAND(bytes: vector.rand)).bytes)
    }

    /// The USIM's counter is far ahead (SEQ 1000): it answers the next challenge with AUTS, and the vectors that
    /// follow carry SQNs past SQN_MS.
    @Test func resynchronisation() throws {
        let rejected = try #require(try mar().akaVectors.first)
        let rand = try RAND(bytes: rejected.rand)
        let sqnMS = try SQN(1000 << 5 | 3)
        let auts = milenage.resynchronisationToken(rand: rand, sqnMS: sqnMS)

        let answer = try mar(resynchronization: .init(rand: rand.bytes, auts: auts.bytes))
        #expect(answer.result == .success)
        let fresh = try #require(answer.akaVectors.first).sqn(using: milenage)
        #expect(fresh > sqnMS)
        #expect(SequenceNumberState.sequence(of: fresh) == 1001)
        let next = try #require(try mar().akaVectors.first).sqn(using: milenage)
        #expect(SequenceNumberState.sequence(of: next) == 1002)
    }

    @Test func forgedAUTSIsRejectedAndChangesNothing() throws {
        let rejected = try #require(try mar().akaVectors.first)
        var auts = milenage.resynchronisationToken(rand: try RAND(bytes: rejected.rand), sqnMS: try SQN(1000 << 5))
            .bytes
        auts[13] ^= 0x01
        #expect(try mar(resynchronization: .init(rand: rejected.rand, auts: auts)).result == .authorizationRejected)
        #expect(
            try mar(resynchronization: .init(rand: rejected.rand, auts: [1, 2, 3])).result == .authorizationRejected)
        #expect(try mar(resynchronization: .init(rand: [1], auts: auts)).result == .authorizationRejected)
        let next = try #require(try mar().akaVectors.first).sqn(using: milenage)
        #expect(SequenceNumberState.sequence(of: next) == 2, "the counter only moved for the vector")
    }

    @Test func digestFromThePassword() throws {
        let answer = try mar(Lab.bobIMPI, Lab.bobSIP)
        #expect(answer.result == .success)
        #expect(
            answer.items == [
                .digest(DigestVector(realm: Lab.realm, algorithm: .md5, ha1: "1439bcea3238876f454ed374156e4106"))
            ])
        let sha = try mar(Lab.bobIMPI, Lab.bobTel, scheme: .digestSHA256)
        #expect(
            sha.items == [
                .digest(
                    DigestVector(
                        realm: Lab.realm, algorithm: .sha256,
                        ha1: "07bbeb62c7da4cadf7eef4d294c20a4cfdb48a0023fbdbd81b3e5aa99285a973"))
            ])
        #expect(sha.items[0].scheme == .digestSHA256)
    }

    @Test func digestFromAProvisionedHA1() throws {
        let answer = try mar(Lab.pbxIMPI, Lab.pbxSIP)
        let expected = DigestHash.md5.hexDigest(joining: ["pbx@ims.gatehouse.test", Lab.realm, "trunk"])
        #expect(answer.items == [.digest(DigestVector(realm: Lab.realm, algorithm: .md5, ha1: expected))])
        #expect(try mar(Lab.pbxIMPI, Lab.pbxSIP, scheme: .digestSHA256).result == .authSchemeNotSupported)
    }

    @Test func schemesTheCredentialsCannotServe() throws {
        #expect(try mar(scheme: .digestMD5).result == .authSchemeNotSupported)
        #expect(try mar(Lab.bobIMPI, Lab.bobSIP, scheme: .akaV1MD5).result == .authSchemeNotSupported)
        #expect(try mar(Lab.bobIMPI, Lab.bobSIP, scheme: .akaV1MD5).items.isEmpty)
    }

    @Test func resynchronisationUnderDigestIsRejected() throws {
        let answer = try mar(
            Lab.bobIMPI, Lab.bobSIP,
            resynchronization: .init(
                rand: Array(repeating: 0, count: 16),
                auts: Array(repeating: 0, count: 14)))
        #expect(answer.result == .authorizationRejected)
    }

    @Test func unknownOrMismatchedIdentities() throws {
        #expect(try mar(Lab.impi("mallory@ims.gatehouse.test")).result == .userUnknown)
        #expect(try mar(Lab.aliceIMPI, Lab.impu("sip:mallory@ims.gatehouse.test")).result == .userUnknown)
        #expect(try mar(Lab.aliceIMPI, Lab.bobSIP).result == .identitiesDontMatch)
        #expect(try store.updateSequenceNumbers(of: Lab.aliceIMPI) { $0.sequence } == 0, "no vector was made")
    }
}
