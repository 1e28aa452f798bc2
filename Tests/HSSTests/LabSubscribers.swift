import Foundation
import IMSInterfaces
import Synchronization

@testable import HSS

/// The lab's subscribers (ARCHITECTURE.md, "The lab topology") and a few more for the cases they do not cover.
enum Lab {
    static let realm = "ims.gatehouse.test"
    static let scscf = "sip:scscf.ims.gatehouse.test:6060"
    static let otherSCSCF = "sip:scscf-2.ims.gatehouse.test:6060"

    static func impu(_ text: String) -> PublicIdentity { PublicIdentity(parsing: text)! }
    static func impi(_ text: String) -> PrivateIdentity { PrivateIdentity(text)! }

    static let aliceIMPI = impi("alice@ims.gatehouse.test")
    static let aliceSIP = impu("sip:alice@ims.gatehouse.test")
    static let aliceTel = impu("tel:+15550100001")
    static let aliceKey = "47617465686f7573654c61624b657931"
    static let aliceOP = "47617465686f7573654c61624f503031"

    static let bobIMPI = impi("bob@ims.gatehouse.test")
    static let bobSIP = impu("sip:bob@ims.gatehouse.test")
    static let bobTel = impu("tel:+15550100002")

    static let pbxIMPI = impi("pbx@ims.gatehouse.test")
    static let pbxSIP = impu("sip:pbx@ims.gatehouse.test")
    static let pbxBlock = "tel:+1555019!.*!"

    static let aliceCapabilities = SCSCFCapabilities(mandatory: [1], optional: [2, 3])

    /// IMS-AKA with K, OP and AMF 8000; SIP and tel identities in one implicit set, with a voice profile.
    static var alice: Subscriber {
        Subscriber(
            privateIdentity: aliceIMPI,
            publicIdentities: [
                PublicIdentityEntry(.distinct(aliceSIP), serviceProfile: "voice"),
                PublicIdentityEntry(.distinct(aliceTel), serviceProfile: "voice"),
            ],
            credentials: SubscriberCredentials(
                aka: AKACredentials(
                    key: try! AKAKey(hex: aliceKey).bytes, operatorKey: .op(try! OP(hex: aliceOP).bytes),
                    amf: [0x80, 0x00]),
                preferredScheme: .akaV1MD5),
            serviceProfiles: [
                ServiceProfile(
                    name: "voice",
                    initialFilterCriteria: [
                        InitialFilterCriterion(
                            priority: 1,
                            triggerPoint: TriggerPoint(
                                form: .conjunctive,
                                groups: [
                                    [ServicePointTrigger(.method("INVITE"))],
                                    [ServicePointTrigger(.sessionCase(.terminatingUnregistered))],
                                ]),
                            applicationServer: ApplicationServer(
                                serverName: "sip:voicemail.ims.gatehouse.test", defaultHandling: .sessionContinued),
                            profilePart: .unregistered)
                    ])
            ],
            capabilities: aliceCapabilities)
    }

    /// HTTP digest with the password `bob-secret`, MD5 preferred.
    static var bob: Subscriber {
        Subscriber(
            privateIdentity: bobIMPI,
            publicIdentities: [PublicIdentityEntry(.distinct(bobSIP)), PublicIdentityEntry(.distinct(bobTel))],
            credentials: SubscriberCredentials(
                digest: DigestCredentials(realm: realm, secret: .password("bob-secret")), preferredScheme: .digestMD5))
    }

    /// A PBX trunk: one SIP identity and its number block as a wildcard, in one implicit set.
    static var pbx: Subscriber {
        Subscriber(
            privateIdentity: pbxIMPI,
            publicIdentities: [
                PublicIdentityEntry(.distinct(pbxSIP), implicitSet: "trunk"),
                PublicIdentityEntry(.wildcarded(try! WildcardedIdentity(parsing: pbxBlock)), implicitSet: "trunk"),
            ],
            credentials: SubscriberCredentials(
                digest: DigestCredentials(
                    realm: realm,
                    secret: .ha1([.md5: DigestHash.md5.hexDigest(joining: ["pbx@ims.gatehouse.test", realm, "trunk"])])),
                preferredScheme: .digestMD5),
            capabilities: SCSCFCapabilities(mandatory: [7]))
    }

    /// Alice's Milenage, to check what the HSS hands out.
    static func aliceMilenage() throws -> Milenage {
        try Milenage(key: AKAKey(hex: aliceKey), op: OP(hex: aliceOP))
    }

    /// A store holding alice, bob and the PBX.
    static func store() throws -> SQLiteSubscriberStore {
        let store = try SQLiteSubscriberStore.inMemory()
        for subscriber in [alice, bob, pbx] { try store.put(subscriber) }
        return store
    }
}

/// Deterministic, distinct RANDs: byte 0 counts up, the rest come from SplitMix64.
final class CountingRandom: Sendable {
    private let state = Mutex(SeededWords(seed: 42))

    func bytes(_ count: Int) -> [UInt8] {
        state.withLock { generator in (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
    }
}

/// A directory under the system's temporary one, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-hss-\(UUID().uuidString)")
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

extension AKAVector {
    /// The SQN AUTN conceals, revealed with alice's f5(RAND) as a USIM would.
    func sqn(using milenage: Milenage) throws -> SQN {
        let rand = try RAND(bytes: rand)
        return try AUTN(bytes: autn).sqn(revealedBy: milenage.f5(rand: rand))
    }
}

extension MultimediaAuthAnswer {
    var akaVectors: [AKAVector] {
        items.compactMap { if case .aka(let vector) = $0 { vector } else { nil } }
    }
}
