import IMSInterfaces
import Synchronization

/// The Cx semantics the S-CSCF relies on, minimally, for two lab subscribers: alice (IMS-AKA, with a barred third
/// identity) and bob (digest, password `bob-secret`). The HSS module may not be imported here (ARCHITECTURE.md),
/// so AKA vectors are fixed bytes: vector n has RAND = bytes 32(n−1)…32(n−1)+15 and AUTN the next 16, so its nonce
/// is known base64 text; XRES, CK and IK are derived from n. Every request is recorded.
final class FakeHSS: CxServer {
    static let realm = "ims.gatehouse.test"
    static let alice = PrivateIdentity("alice@ims.gatehouse.test")!
    static let bob = PrivateIdentity("bob@ims.gatehouse.test")!
    static let aliceSIP = PublicIdentity(parsing: "sip:alice@ims.gatehouse.test")!
    static let aliceTel = PublicIdentity(parsing: "tel:+15550100001")!
    static let aliceBarred = PublicIdentity(parsing: "sip:alice-barred@ims.gatehouse.test")!
    static let bobSIP = PublicIdentity(parsing: "sip:bob@ims.gatehouse.test")!
    static let bobTel = PublicIdentity(parsing: "tel:+15550100002")!
    static let bobPassword = "bob-secret"
    /// The AUTS the fake accepts for a resynchronisation; any other is rejected.
    static let goodAUTS: [UInt8] = Array(0xC0...0xCD)

    struct State {
        var multimediaAuths: [MultimediaAuthRequest] = []
        var serverAssignments: [ServerAssignmentRequest] = []
        var vectorsIssued = 0
        var registered: Set<PublicIdentity> = []
        /// Every exchange throws while set (an HSS whose store is unreachable).
        var unreachable = false
        /// Answers every Multimedia-Auth with this result while set.
        var multimediaAuthResult: CxResult?
        /// Answers every registration-type Server-Assignment with this result while set.
        var serverAssignmentResult: CxResult?
        /// The service profile every identity's user profile carries (the iFCs the S-CSCF evaluates).
        var serviceProfile: ServiceProfile?
    }

    struct Unreachable: Error {}

    let state = Mutex(State())

    func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }
    var snapshot: State { state.withLock { $0 } }

    /// Vector n (from 1) as the fake issues it.
    static func vector(_ n: Int) -> AKAVector {
        let base = UInt8(32 * (n - 1))
        return AKAVector(
            rand: (0..<16).map { base + UInt8($0) }, autn: (16..<32).map { base + UInt8($0) },
            xres: (0..<8).map { UInt8(0x50 + n) ^ UInt8($0) }, ck: Array(repeating: UInt8(0xC0 + n), count: 16),
            ik: Array(repeating: UInt8(0x10 + n), count: 16))
    }

    static func identities(of privateIdentity: PrivateIdentity) -> [(PublicIdentity, barred: Bool)]? {
        switch privateIdentity {
        case alice: [(aliceSIP, false), (aliceTel, false), (aliceBarred, true)]
        case bob: [(bobSIP, false), (bobTel, false)]
        default: nil
        }
    }

    static func schemes(of privateIdentity: PrivateIdentity) -> [AuthenticationScheme] {
        privateIdentity == alice ? [.akaV1MD5] : [.digestMD5, .digestSHA256]
    }

    func userAuthorization(_ request: UserAuthorizationRequest) throws -> UserAuthorizationAnswer {
        UserAuthorizationAnswer(result: .subsequentRegistration, serverName: "sip:scscf.ims.gatehouse.test")
    }

    func locationInfo(_ request: LocationInfoRequest) throws -> LocationInfoAnswer {
        LocationInfoAnswer(result: .success, serverName: "sip:scscf.ims.gatehouse.test")
    }

    func multimediaAuth(_ request: MultimediaAuthRequest) throws -> MultimediaAuthAnswer {
        try state.withLock { state in
            state.multimediaAuths.append(request)
            if state.unreachable { throw Unreachable() }
            if let result = state.multimediaAuthResult { return MultimediaAuthAnswer(result: result) }
            guard let identities = Self.identities(of: request.privateIdentity) else {
                return MultimediaAuthAnswer(result: .userUnknown)
            }
            guard identities.contains(where: { $0.0 == request.publicIdentity }) else {
                return MultimediaAuthAnswer(result: .identitiesDontMatch)
            }
            let offered = Self.schemes(of: request.privateIdentity)
            let scheme = request.scheme ?? offered[0]
            guard offered.contains(scheme) else { return MultimediaAuthAnswer(result: .authSchemeNotSupported) }
            switch scheme {
            case .akaV1MD5:
                if let resync = request.resynchronization {
                    let lastRAND = Self.vector(state.vectorsIssued).rand
                    guard resync.auts == Self.goodAUTS, resync.rand == lastRAND else {
                        return MultimediaAuthAnswer(result: .authorizationRejected)
                    }
                }
                state.vectorsIssued += 1
                return MultimediaAuthAnswer(result: .success, items: [.aka(Self.vector(state.vectorsIssued))])
            case .digestMD5, .digestSHA256:
                let hash: DigestHash = scheme == .digestMD5 ? .md5 : .sha256
                let ha1 = DigestComputation.ha1(
                    algorithm: hash, username: request.privateIdentity.value, realm: Self.realm,
                    password: Array(Self.bobPassword.utf8))
                return MultimediaAuthAnswer(
                    result: .success, items: [.digest(DigestVector(realm: Self.realm, algorithm: hash, ha1: ha1))])
            }
        }
    }

    func serverAssignment(_ request: ServerAssignmentRequest) throws -> ServerAssignmentAnswer {
        try state.withLock { state in
            state.serverAssignments.append(request)
            if state.unreachable { throw Unreachable() }
            let owner = [Self.alice, Self.bob].first { privateIdentity in
                Self.identities(of: privateIdentity)?.contains { $0.0 == request.publicIdentity } ?? false
            }
            guard let owner, let identities = Self.identities(of: owner) else {
                return ServerAssignmentAnswer(result: .userUnknown)
            }
            if let privateIdentity = request.privateIdentity, privateIdentity != owner {
                return ServerAssignmentAnswer(result: .identitiesDontMatch)
            }
            let set = identities.map(\.0)
            switch request.type {
            case .registration, .reRegistration:
                if let result = state.serverAssignmentResult { return ServerAssignmentAnswer(result: result) }
                if request.type == .reRegistration, !state.registered.contains(request.publicIdentity) {
                    return ServerAssignmentAnswer(result: .identityNotRegistered)
                }
                state.registered.formUnion(set)
                let ordered =
                    identities.filter { $0.0 == request.publicIdentity }
                    + identities.filter { $0.0 != request.publicIdentity }
                let profile = UserProfile(
                    privateIdentity: owner,
                    implicitSet: ordered.map {
                        UserProfile.RegisteredIdentity(
                            identity: $0.0, isBarred: $0.barred, serviceProfile: state.serviceProfile)
                    })
                return ServerAssignmentAnswer(result: .success, profile: profile)
            case .timeoutDeregistration, .userDeregistration, .administrativeDeregistration:
                state.registered.subtract(set)
                return ServerAssignmentAnswer(result: .success)
            case .unregisteredUser, .authenticationFailure, .authenticationTimeout:
                return ServerAssignmentAnswer(result: .success)
            }
        }
    }
}
