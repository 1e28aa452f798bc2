import CSCF
import IMSInterfaces
import SIPMessage

/// Sessions through the embedded core (TS 24.229 §5.2.6.3, §5.3.2, §5.4.3): the P-CSCF asserts the caller, the
/// caller's S-CSCF runs the originating filter criteria, the I-CSCF locates the callee (LIR), the callee's S-CSCF
/// runs the terminating criteria and names the contacts; a callee nobody here has leaves through the BGCF.
///
/// ```
///  UE ─► P-CSCF (PAI, ICID) ─► S-CSCF orig: iFC ─┬─► AS (ODI) ─► … back ─► resume ─┐
///                                                └────────────────────────────────┴─► I-CSCF LIR
///  peer ─────────────────────────────────────────────────────────────────────────────► I-CSCF LIR
///    ├─ served ─► S-CSCF term: iFC ─┬─► AS (ODI) ─► … back ─► resume ─┐
///    │                              └──────────────────────────────────┴─► contacts (480 when none)
///    ├─ nobody here, a number or another domain ─► BGCF breakout
///    └─ refused (404, 480, …)
/// ```
///
/// Each step is a decision of the CSCF values; the engine performs the result with the B2BUA. The HSS may block on
/// SQLite, so this runs on the core's queue like registrations do.
extension EmbeddedIMSCore {
    /// Routes a session request; `completion` runs on the core's queue.
    func routeSession(
        _ request: SIPMessage, entry: IMSSessionEntry, completion: @escaping @Sendable (IMSSessionDecision) -> Void
    ) {
        queue.async { completion(self.routeSessionNow(request, entry: entry)) }
    }

    /// The application server of `originalDialog` failed (no answer, 408, 5xx): its default handling continues
    /// the session with the next criterion, or terminates it (nil).
    func applicationServerFailed(
        _ request: SIPMessage, originalDialog: String,
        completion: @escaping @Sendable (IMSSessionDecision?) -> Void
    ) {
        queue.async {
            let now = self.clock()
            for name in Array(self.serving.keys) {
                guard var scscf = self.serving[name], scscf.hasWaitingChain(originalDialog) else { continue }
                let chain = scscf.applicationServerFailed(originalDialog: originalDialog)
                self.serving[name] = scscf
                completion(chain.map { self.continueChain(request, chain: $0, server: name, now: now) })
                return
            }
            completion(nil)
        }
    }

    func routeSessionNow(_ request: SIPMessage, entry: IMSSessionEntry) -> IMSSessionDecision {
        let now = clock()
        switch entry {
        case .userEquipment(let flow):
            return originate(request, from: flow, now: now)
        case .peer:
            let asserted = (try? request.headers.first(.pAssertedIdentity, as: NameAddress.self)) ?? nil
            let vector =
                ((try? request.headers.first(.pChargingVector, as: PChargingVector.self)) ?? nil)
                ?? proxy.chargingVector()
            return terminate(request, assertedIdentity: asserted, chargingVector: vector, now: now)
        case .applicationServer(let token):
            for name in Array(serving.keys) {
                guard var scscf = serving[name], let chain = scscf.resume(originalDialog: token, now: now) else {
                    continue
                }
                serving[name] = scscf
                return continueChain(request, chain: chain, server: name, now: now)
            }
            return .refused(
                CSCFRejection(
                    .notFound, reason: "unknown-original-dialog", "no session waits under original dialog \(token)"))
        }
    }

    // MARK: Originating

    private func originate(_ request: SIPMessage, from flow: UEFlow, now: Timestamp) -> IMSSessionDecision {
        let origin: ProxyCSCF.OriginatingRequest
        switch proxy.originate(request, from: flow, now: now) {
        case .failure(let rejection): return .refused(rejection)
        case .success(let found): origin = found
        }
        if let service = origin.emergencyService {
            return IMSSessionDecision(
                target: .emergency(service: service), assertedIdentity: origin.assertedIdentity,
                chargingVector: origin.chargingVector, sessionCase: .originating)
        }
        guard let caller = origin.servedIdentity,
            let server = serving.first(where: { $0.value.isRegistered(caller) })?.key
        else {
            return .refused(
                CSCFRejection(.forbidden, reason: "not-registered", "no S-CSCF holds a registration of the caller"))
        }
        let chain = ServiceChain(
            sessionCase: .originating, servedIdentity: caller, isRegistered: true,
            assertedIdentity: origin.assertedIdentity, chargingVector: origin.chargingVector)
        return continueChain(request, chain: chain, server: server, now: now)
    }

    /// The next step of a chain at `server`: its next AS, or the step after the session case's criteria.
    func continueChain(
        _ request: SIPMessage, chain: ServiceChain, server: String, now: Timestamp
    ) -> IMSSessionDecision {
        guard var scscf = serving[server] else {
            return .refused(CSCFRejection(.serverInternalError, reason: "unknown-scscf", "\(server) is gone"))
        }
        // A callee that is not registered has no profile here: the HSS gives it with the assignment.
        let profile =
            chain.sessionCase == .terminatingUnregistered
            ? scscf.unregisteredServiceProfile(of: chain.servedIdentity) : nil
        let step = scscf.nextService(for: request, chain: chain, profile: profile, now: now)
        serving[server] = scscf
        switch step {
        case .applicationServer(let hop):
            guard case .sip(let uri)? = try? URI(parsing: hop.server.serverName) else {
                return .refused(
                    CSCFRejection(
                        .serverInternalError, reason: "bad-application-server",
                        "\(hop.server.serverName) is no SIP URI"))
            }
            return IMSSessionDecision(
                target: .applicationServer(hop, uri: uri), assertedIdentity: chain.assertedIdentity,
                chargingVector: chain.chargingVector, sessionCase: chain.sessionCase)
        case .proceed(let chain):
            switch chain.sessionCase {
            case .originating, .originatingUnregistered, .originatingCDIV:
                return terminate(
                    request, assertedIdentity: chain.assertedIdentity, chargingVector: chain.chargingVector, now: now)
            case .terminatingRegistered, .terminatingUnregistered:
                return deliver(chain, server: server, now: now)
            }
        }
    }

    // MARK: Terminating

    private func terminate(
        _ request: SIPMessage, assertedIdentity: NameAddress?, chargingVector: PChargingVector, now: Timestamp
    ) -> IMSSessionDecision {
        guard let requestURI = (try? request.requestURI) ?? nil else {
            return .refused(CSCFRejection(.badRequest, reason: "bad-request-uri", "the Request-URI does not parse"))
        }
        switch interrogating.locate(requestURI, homeDomain: proxy.configuration.domain) {
        case .refused(let rejection):
            return IMSSessionDecision(
                target: .refused(rejection), assertedIdentity: assertedIdentity, chargingVector: chargingVector)
        case .breakout:
            return IMSSessionDecision(
                target: .breakout(requestURI), assertedIdentity: assertedIdentity, chargingVector: chargingVector)
        case .served(let callee, let server):
            let registered = serving[server]?.isRegistered(callee) ?? false
            let chain = ServiceChain(
                sessionCase: registered ? .terminatingRegistered : .terminatingUnregistered, servedIdentity: callee,
                isRegistered: registered, assertedIdentity: assertedIdentity, chargingVector: chargingVector)
            return continueChain(request, chain: chain, server: server, now: now)
        }
    }

    /// The callee's contacts, once no terminating criterion (left) applies; 480 when none is registered.
    private func deliver(_ chain: ServiceChain, server: String, now: Timestamp) -> IMSSessionDecision {
        let bindings = serving[server]?.contacts(of: chain.servedIdentity, now: now) ?? []
        let contacts = bindings.compactMap { binding -> IMSContact? in
            guard let uri = try? URI(parsing: FlowRegistrationContact.uri(of: binding.contact)) else { return nil }
            return IMSContact(uri: uri, flow: binding.receivedFrom.flatMap(UEFlow.init(parsing:)))
        }
        guard !contacts.isEmpty else {
            return IMSSessionDecision(
                target: .refused(
                    CSCFRejection(
                        .temporarilyUnavailable, reason: "not-registered", "\(chain.servedIdentity) is not registered")),
                assertedIdentity: chain.assertedIdentity, chargingVector: chain.chargingVector,
                sessionCase: chain.sessionCase)
        }
        return IMSSessionDecision(
            target: .contacts(identity: chain.servedIdentity, contacts), assertedIdentity: chain.assertedIdentity,
            chargingVector: chain.chargingVector, sessionCase: chain.sessionCase)
    }
}

/// A registered Contact as the registrar keeps it: a name-addr (`<sip:…>;expires=…`) or a bare URI.
enum FlowRegistrationContact {
    static func uri(of contact: String) -> String {
        let isNameAddress = contact.first == "\"" || contact.prefix { $0 != ":" }.contains("<")
        guard isNameAddress, let address = try? NameAddress(parsing: contact) else { return contact }
        return address.uriText
    }
}
