import CSCF
import IMSInterfaces
import SIPMessage

/// Where an IMS session request enters the embedded core.
enum IMSSessionEntry: Sendable {
    /// From a UE over this flow, through the P-CSCF (the originating case).
    case userEquipment(UEFlow)
    /// From an interconnect peer through the border and the I-CSCF (the terminating case).
    case peer
    /// Back from an application server, with the original dialog identifier of the S-CSCF's Route entry.
    case applicationServer(originalDialog: String)
}

/// What the embedded core decided for a session request: the engine performs it with the B2BUA.
struct IMSSessionDecision: Sendable {
    enum Target: Sendable {
        /// Through an application server (the iFC of `hop.priority`); the S-CSCF's Route entry names the ODI.
        case applicationServer(ApplicationServerHop, uri: SIPURI)
        /// To the callee's registered contacts, most recent first.
        case contacts(identity: PublicIdentity, [IMSContact])
        /// Out of the home network through the BGCF (ENUM and the route table choose the peer).
        case breakout(URI)
        /// An emergency call (`urn:service:sos…`), for the policy's emergency route.
        case emergency(service: String)
        case refused(CSCFRejection)
    }

    var target: Target
    /// The caller as the network asserts it (P-Asserted-Identity), when it does.
    var assertedIdentity: NameAddress?
    /// The session's charging vector: its ICID is the same on every leg.
    var chargingVector: PChargingVector?
    /// The session case the S-CSCF last handled the request in, for logs.
    var sessionCase: SessionCase?

    static func refused(_ rejection: CSCFRejection) -> Self { Self(target: .refused(rejection)) }
}

/// One registered contact of a callee: its URI and the flow its registration came over (a UE behind NAT is
/// reachable only there).
struct IMSContact: Sendable, Hashable {
    var uri: URI
    var flow: UEFlow?
}
