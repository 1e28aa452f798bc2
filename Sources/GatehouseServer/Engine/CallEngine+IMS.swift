import Border
import CSCF
import GatehousePolicy
import IMSInterfaces
import Logging
import NIOCore
import SIPMessage
import SIPStack
import Transport

/// The embedded IMS core on the live path: REGISTERs and reg-event SUBSCRIBEs that the route table sends `to: ims`
/// when the policy embeds the core (`ims.hss: embedded`).
///
/// The path: the request gets a server transaction → the private identity is checked against the authentication
/// lockout → the core (`EmbeddedIMSCore`, on its own queue) runs the P-, I- and S-CSCF → back on the loop the
/// response goes to the UE, failed authentications are counted per source and per identity (and may blocklist the
/// source), and the reg-event NOTIFYs the change caused are sent, each in its own client transaction, to the flow
/// the subscriber used.
extension CallEngine {
    /// A NOTIFY of the core on its way to a subscriber.
    struct NotifyTransaction {
        let callID: String
        let route: LegRoute
    }

    /// The most UE flows remembered for sending NOTIFYs from the listener they used; past it the table starts
    /// afresh (a forgotten flow falls back to its realm's listener of the same transport).
    static let maximumRememberedFlows = 65_536

    // MARK: REGISTER

    func registerWithEmbeddedCore(
        _ register: SIPMessage, serverKey: TransactionKey, context: SIPConnectionContext, core: EmbeddedIMSCore
    ) {
        guard let flow = UEFlow(context) else {
            reject(register, serverKey, .badRequest, "Unusable source address")
            return
        }
        if let identity = Self.privateIdentityText(of: register),
            authenticationFailures.isLocked(identity, at: admissionNow)
        {
            counters.countRegistration("locked-identity")
            reject(register, serverKey, .forbidden, "Too many failed authentications")
            return
        }
        rememberFlow(flow, listener: context.listener)
        core.register(register, from: flow) { [self] outcome in
            loop.execute {
                self.coreAnswered(outcome, request: register, serverKey: serverKey, context: context)
            }
        }
    }

    private func coreAnswered(
        _ outcome: EmbeddedIMSCore.Outcome, request: SIPMessage, serverKey: TransactionKey,
        context: SIPConnectionContext
    ) {
        // Counted before the answer leaves, so that whoever reads the counters after the answer sees them.
        let code = outcome.response.statusCode ?? 0
        if code == 401 {
            counters.countRegistration("challenged")
        } else if code >= 200 && code < 300 {
            counters.countRegistration("ims-registered", by: outcome.registered)
            counters.countRegistration("ims-deregistered", by: outcome.deregistered)
        }
        if let failure = outcome.failure {
            counters.countRegistration("ims-refused-\(failure.reason)")
            logger.notice(
                "IMS core refused \(request.method?.rawValue ?? "?")",
                metadata: [
                    "status": "\(failure.status.code)", "reason": "\(failure.reason)", "detail": "\(failure.detail)",
                    "impi": "\(outcome.privateIdentity?.description ?? "?")", "source": "\(context.remote)",
                ])
        }
        if outcome.authenticationFailed { recordAuthenticationFailure(outcome.privateIdentity, context: context) }
        respond(serverKey, with: outcome.response)
        for notify in outcome.notifies { sendNotify(notify) }
    }

    /// Counts a failed authentication; blocks the source or locks the identity at the policy's maximum.
    private func recordAuthenticationFailure(_ identity: PrivateIdentity?, context: SIPConnectionContext) {
        counters.countRegistration("auth-failed")
        guard let source = context.remote.sourceIPAddress else { return }
        let now = admissionNow
        let verdict = authenticationFailures.recordFailure(identity: identity?.value, from: source, at: now)
        if verdict.blockSource {
            let duration = authenticationFailures.configuration.blockDuration
            if case .blocked(let entry) = admission.block(
                source, for: duration, reason: .authenticationFailures, at: now, enforcer: &enforcer)
            {
                counters.countRegistration("source-blocked")
                counters.countDetection("\(AdmissionReason.Code.authenticationFailures).block")
                logger.warning(
                    "blocked a source for failed authentications",
                    metadata: ["source": "\(source)", "until": "\(entry.until)", "escalation": "\(entry.escalation)"])
            }
        }
        if verdict.identityLockedUntil != nil {
            counters.countRegistration("identity-locked")
            logger.warning(
                "locked a private identity for failed authentications",
                metadata: ["impi": "\(identity?.description ?? "?")"])
        }
    }

    /// The Authorization `username` (the private identity the UE claims), when there is one.
    static func privateIdentityText(of request: SIPMessage) -> String? {
        guard let value = request.headers.first(.authorization),
            let credentials = try? Credentials(parsing: value)
        else { return nil }
        return credentials.username.flatMap { PrivateIdentity($0)?.value }
    }

    // MARK: reg event

    /// A SUBSCRIBE for the reg event package (RFC 3680). A new one is routed like a REGISTER: `to: ims` reaches the
    /// embedded core; a refresh or unsubscribe within its dialog goes straight to the core. Without an embedded
    /// core there is no notifier here: 489 Bad Event for a new subscription, the in-dialog path (481) otherwise.
    func handleSubscribe(_ subscribe: SIPMessage, context: SIPConnectionContext, peer sourcePeer: Peer?) {
        let inDialog = subscribe.hasToTag
        guard let core = imsCore else {
            if inDialog {
                handleInDialog(subscribe, context: context)
            } else if let serverKey = startServerTransaction(subscribe, context: context) {
                reject(subscribe, serverKey, .badEvent, "No reg-event notifier: the IMS core is not embedded")
            }
            return
        }
        guard let serverKey = startServerTransaction(subscribe, context: context) else { return }
        if !inDialog {
            let requestURI = (try? subscribe.requestURI)?.flatMap(\.sipURI)
            let decision = policy.routes.decide(
                RouteQuery(
                    sourceRealm: realms[context.listener] ?? "?", sourcePeer: sourcePeer?.name, method: .subscribe,
                    requestURIHost: requestURI?.host, user: requestURI?.user))
            guard case .ims? = decision.target else {
                reject(subscribe, serverKey, .badEvent, "The reg event is served for the IMS domain only")
                return
            }
        }
        guard let flow = UEFlow(context) else {
            reject(subscribe, serverKey, .badRequest, "Unusable source address")
            return
        }
        rememberFlow(flow, listener: context.listener)
        core.subscribe(subscribe, from: flow) { [self] outcome in
            loop.execute {
                self.coreAnswered(outcome, request: subscribe, serverKey: serverKey, context: context)
            }
        }
    }

    /// Whether an Event header names the reg package (`reg`, parameters aside).
    static func isRegEventPackage(_ event: String) -> Bool {
        let package = event.split(separator: ";").first ?? ""
        return package.trimmingCharacters(in: .whitespaces).lowercased() == "reg"
    }

    /// Sends a NOTIFY back over the flow its SUBSCRIBE came from (a UE behind NAT is reachable only there), or to
    /// the subscriber's Contact when the flow is unknown (after a restart).
    func sendNotify(_ notify: OutgoingNotify) {
        var request = notify.request
        guard let destination = notifyDestination(notify) else {
            counters.countRegistration("notify-unroutable")
            logger.notice(
                "cannot route a reg-event NOTIFY",
                metadata: ["to": "\(request.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } ?? "?")"])
            return
        }
        request.headers.prepend(.via, CallLeg.via(on: destination.local, branch: generator.branch()).serializedString)
        guard let callID = request.headers.firstString(.callID) else { return }
        do {
            let (key, actions) = try transactions.startClient(
                request, isReliable: destination.remote.transport.isStream, timers: transactionTimers)
            notifyTransactions[key] = NotifyTransaction(
                callID: callID, route: .towardCallee(destination: destination.remote, local: destination.local))
            counters.countRegistration("notify-sent")
            perform(actions, for: key)
        } catch {
            logger.warning("cannot start a NOTIFY transaction", metadata: ["error": "\(error)"])
        }
    }

    private func rememberFlow(_ flow: UEFlow, listener: SIPEndpoint) {
        if imsFlows.count >= Self.maximumRememberedFlows, imsFlows[flow] == nil { imsFlows.removeAll() }
        imsFlows[flow] = listener
    }

    private func notifyDestination(_ notify: OutgoingNotify) -> (remote: SIPEndpoint, local: SIPEndpoint)? {
        guard let flow = notify.flow, let remote = SIPEndpoint(flow) else { return nil }
        if let local = imsFlows[flow] { return (remote, local) }
        // A flow from before a restart: the access realm's listener of the same transport.
        guard let local = snapshot.realmByListener.first(where: { $0.key.transport == remote.transport })?.key
        else { return nil }
        return (remote, local)
    }

    /// A final answer to one of the core's NOTIFYs; false when the transaction is not one.
    func deliverToIMSCore(_ response: SIPMessage, from key: TransactionKey) -> Bool {
        guard let owner = notifyTransactions[key] else { return false }
        if let code = response.statusCode, code >= 200 {
            imsCore?.notifyAnswered(callID: owner.callID, status: code)
        }
        return true
    }

    /// One of the core's NOTIFYs got no answer (Timer F) or could not be sent; false when it is not one.
    func imsTransactionFailed(_ key: TransactionKey, status: SIPStatus) -> Bool {
        guard let owner = notifyTransactions[key] else { return false }
        imsCore?.notifyAnswered(callID: owner.callID, status: status.code)
        return true
    }

    // MARK: Housekeeping

    /// Expires registrations and subscriptions in the core, and sends what that tells the subscribers.
    func sweepIMSCore() {
        authenticationFailures.sweep(at: admissionNow)
        imsCore?.sweep { [self] notifies, ended in
            guard !notifies.isEmpty || ended > 0 else { return }
            loop.execute {
                self.counters.countRegistration("ims-expired", by: ended)
                for notify in notifies { self.sendNotify(notify) }
            }
        }
    }
}

extension UEFlow {
    /// The flow a message arrived on.
    init?(_ context: SIPConnectionContext) {
        guard let address = context.remote.ipAddress, let port = context.remote.port else { return nil }
        self.init(transport: context.transport.rawValue, address: address, port: port)
    }
}

extension SIPEndpoint {
    /// The UE's end of a flow.
    init?(_ flow: UEFlow) {
        guard let transport = SIPTransport(rawValue: flow.transport.lowercased()) else { return nil }
        self.init(transport: transport, host: flow.address, port: flow.port)
    }
}
