import CSCF
import Dispatch
import Foundation
import HSS
import IMSInterfaces
import Logging
import SIPMessage

/// The embedded IMS core: the P-CSCF at the access realm, the I-CSCF, the S-CSCFs the policy lists, the reg-event
/// notifier and the HSS, wired together as ARCHITECTURE.md says (they meet only through `IMSInterfaces`; this is
/// the assembly that connects them).
///
/// The path of a REGISTER: the engine hands it over with the UE's flow → the P-CSCF adds Path, the integrity
/// marker and the flow → the I-CSCF asks the HSS (UAR) which S-CSCF serves the user → that S-CSCF challenges
/// (MAR) or verifies and registers (SAR) → its answer goes back through the P-CSCF (which strips the AKA keys and
/// remembers the registration) to the engine, with the reg-event NOTIFYs the change causes.
///
/// Everything runs one job at a time on the core's own queue: the HSS blocks on SQLite, and the engine's event
/// loop must never wait for a disk. The state machines are values owned by this queue (STYLE rule 11), which is
/// why the class is `@unchecked Sendable`.
final class EmbeddedIMSCore: @unchecked Sendable {
    /// What a REGISTER or SUBSCRIBE led to: the response for the UE and the NOTIFYs to send.
    struct Outcome: Sendable {
        var response: SIPMessage
        var notifies: [OutgoingNotify] = []
        /// Why the request was refused (nil for 2xx and plain challenges).
        var failure: CSCFRejection?
        /// A wrong digest response or RES: counted per private identity and per source.
        var authenticationFailed = false
        var privateIdentity: PrivateIdentity?
        /// Registration sets that became registered or ended with this request (for the counters).
        var registered = 0
        var deregistered = 0
    }

    let hss: HomeSubscriberServer
    let store: any SubscriberStore
    let queue = DispatchQueue(label: "gatehouse.ims-core")
    let clock: @Sendable () -> Timestamp
    let random: @Sendable (Int) -> [UInt8]
    let logger: Logger

    // Queue-confined.
    var proxy: ProxyCSCF
    let interrogating: InterrogatingCSCF
    var serving: [String: ServingCSCF]
    var regEvent: RegEventNotifier

    init(
        settings: IMSCoreSettings, store: any SubscriberStore, logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = EmbeddedIMSCore.wallClock,
        random: @escaping @Sendable (Int) -> [UInt8] = EmbeddedIMSCore.secureRandom
    ) throws {
        self.store = store
        self.clock = clock
        self.random = random
        self.logger = logger
        let hss = HomeSubscriberServer(store: store, random: random)
        self.hss = hss
        proxy = ProxyCSCF(configuration: settings.proxy, random: random)
        interrogating = InterrogatingCSCF(servers: settings.servers.map(\.entry), cx: hss)
        var serving: [String: ServingCSCF] = [:]
        var restored: [RegistrationChange] = []
        let now = clock()
        for server in settings.servers {
            // Every S-CSCF shares the store: each restores the bindings it registered (the HSS remembers which
            // S-CSCF serves a set) and ignores the others'.
            var scscf = ServingCSCF(configuration: server.configuration, cx: hss, store: store, random: random)
            restored += try scscf.restore(now: now)
            serving[server.configuration.serverName] = scscf
        }
        self.serving = serving
        regEvent = RegEventNotifier(configuration: settings.regEvent, random: random)
        for change in restored { proxy.apply(change) }
        logger.info(
            "IMS core ready",
            metadata: [
                "scscf": "\(settings.servers.map(\.configuration.serverName).joined(separator: ","))",
                "registered-sets": "\(serving.values.reduce(0) { $0 + $1.registeredSetCount })",
            ])
    }

    // MARK: Entry points (any thread; `completion` runs on the core's queue)

    /// A UE's REGISTER through the P-CSCF, I-CSCF and S-CSCF.
    func register(_ request: SIPMessage, from flow: UEFlow, completion: @escaping @Sendable (Outcome) -> Void) {
        queue.async { completion(self.registerNow(request, from: flow)) }
    }

    /// A SUBSCRIBE for the reg event package (RFC 3680), new or within its dialog.
    func subscribe(_ request: SIPMessage, from flow: UEFlow, completion: @escaping @Sendable (Outcome) -> Void) {
        queue.async { completion(self.subscribeNow(request, from: flow)) }
    }

    /// Housekeeping, once a second: registrations and subscriptions whose time is up, and what to tell about them.
    func sweep(completion: @escaping @Sendable ([OutgoingNotify], Int) -> Void) {
        queue.async {
            let (notifies, ended) = self.sweepNow()
            completion(notifies, ended)
        }
    }

    /// The UE (or whoever) answered a NOTIFY.
    func notifyAnswered(callID: String, status: Int) {
        queue.async { self.regEvent.notifyAnswered(callID: callID, status: status) }
    }

    /// Registered sets and subscriptions, for status output.
    func census() -> (registeredSets: Int, subscriptions: Int) {
        queue.sync { (serving.values.reduce(0) { $0 + $1.registeredSetCount }, regEvent.subscriptionCount) }
    }

    /// Writes the state through to its file (a stopping node).
    func flush() throws {
        try queue.sync { try store.flush() }
    }

    /// Every contact bound in the S-CSCFs, with the server that holds it, for the admin API.
    func registrations() -> [(server: String, binding: ContactBinding)] {
        queue.sync {
            serving.sorted { $0.key < $1.key }.flatMap { name, scscf in scscf.allBindings.map { (name, $0) } }
        }
    }

    // MARK: REGISTER

    private func registerNow(_ request: SIPMessage, from flow: UEFlow) -> Outcome {
        let now = clock()
        let forwarded: SIPMessage
        switch proxy.forwardRegister(request, from: flow, now: now) {
        case .failure(let rejection):
            return refuse(request, rejection)
        case .success(let message):
            forwarded = message
        }
        let serverName: String
        switch interrogating.selectServer(forRegister: forwarded) {
        case .failure(let rejection):
            return refuse(request, rejection)
        case .success(let name):
            serverName = name
        }
        guard var scscf = serving[serverName] else {
            return refuse(
                request,
                CSCFRejection(
                    .serverInternalError, reason: "unknown-scscf", "the HSS assigned \(serverName), not served here"))
        }
        let result = scscf.handleRegister(forwarded, now: now)
        serving[serverName] = scscf
        var outcome = Outcome(
            response: proxy.registerResponse(result.response, answering: request, from: flow, now: now),
            failure: result.failure, authenticationFailed: result.authenticationFailed,
            privateIdentity: result.privateIdentity)
        for change in result.changes {
            proxy.apply(change)
            outcome.notifies += regEvent.notifications(for: change, now: now)
            if change.isTerminated {
                outcome.deregistered += 1
            } else if change.contacts.contains(where: { $0.event == .registered || $0.event == .created }) {
                outcome.registered += 1
            }
        }
        return outcome
    }

    private func refuse(_ request: SIPMessage, _ rejection: CSCFRejection) -> Outcome {
        var response = SIPMessage.response(
            to: request, status: rejection.status, reason: rejection.status.reason, toTag: tag())
        response.headers.append(.warning, "399 gatehouse \"\(rejection.reason)\"")
        return Outcome(response: response, failure: rejection)
    }

    // MARK: SUBSCRIBE (reg event)

    private func subscribeNow(_ request: SIPMessage, from flow: UEFlow) -> Outcome {
        let now = clock()
        let watched = (try? request.requestURI).flatMap { $0.map { PublicIdentity($0) } } ?? nil
        var registration: RegistrationChange?
        if let watched {
            for scscf in serving.values {
                guard let set = scscf.registeredSet(containing: watched) else { continue }
                let bindings = scscf.bindings(of: watched)
                guard let privateIdentity = bindings.first?.privateIdentity else { continue }
                registration = RegistrationChange(
                    publicIdentities: set, privateIdentity: privateIdentity,
                    contacts: bindings.map { ContactChange(binding: $0, state: .active, event: nil) })
                break
            }
        }
        // The UE may watch its own registration: the P-CSCF knows which identities the UE at this flow
        // registered (TS 24.229 §5.4.2.1.1: the subscriber is the UE itself or its P-CSCF).
        let asserted = proxy.registration(at: flow)?.associatedIdentities ?? []
        let authorized =
            registration.map { change in change.publicIdentities.contains { asserted.contains($0) } } ?? false
        let result = regEvent.handleSubscribe(
            request, from: flow, registration: registration, authorized: authorized, now: now)
        return Outcome(
            response: result.response, notifies: result.notify.map { [$0] } ?? [], failure: result.failure)
    }

    // MARK: Housekeeping

    private func sweepNow() -> ([OutgoingNotify], Int) {
        let now = clock()
        var notifies: [OutgoingNotify] = []
        var ended = 0
        for name in Array(serving.keys) {
            guard var scscf = serving[name], let due = scscf.nextExpiry, due <= now else { continue }
            let changes = scscf.expire(now: now)
            serving[name] = scscf
            for change in changes {
                proxy.apply(change)
                notifies += regEvent.notifications(for: change, now: now)
                if change.isTerminated { ended += 1 }
                logger.info(
                    "registration expired",
                    metadata: [
                        "impu": "\(change.publicIdentities.first?.description ?? "?")",
                        "impi": "\(change.privateIdentity)",
                    ])
            }
        }
        notifies += regEvent.expire(now: now)
        proxy.expire(now: now)
        return (notifies, ended)
    }

    // MARK: Clock and randomness

    private func tag() -> String {
        "gh" + random(6).map { String($0, radix: 16) }.joined()
    }

    /// Registrations expire and persist in wall-clock seconds.
    static let wallClock: @Sendable () -> Timestamp = {
        Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970))
    }

    /// Nonces, RANDs, tags and ICIDs come from the system's cryptographic generator.
    static let secureRandom: @Sendable (Int) -> [UInt8] = { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
