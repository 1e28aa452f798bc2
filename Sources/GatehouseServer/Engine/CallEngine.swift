import Border
import CSCF
import GatehousePolicy
import Logging
import Media
import NIOCore
import SIPMessage
import SIPStack
import Transport

/// The back-to-back user agent: every INVITE dialog through the node becomes a call of two legs, each with its own
/// Call-ID, tags, CSeq space, Via and Contact (`CallLegs`), relayed through RFC 3261 transactions.
///
/// The path of a message, top-down: the transport hands bytes to `received` → the codec classifies them →
/// INVITEs, in-dialog requests, CANCEL, ACK and responses hop onto the engine's event loop; everything else goes to
/// the stateless `SignallingEntry` → a retransmission is absorbed by its transaction → a new INVITE is routed by
/// the policy (`CallEngine+Routing`) and becomes a call → requests within a call and their responses are mapped
/// across the legs (`CallEngine+Dialogs`) → transaction actions (send, timers) are performed
/// (`CallEngine+Actions`).
///
/// One owner: all mutable state lives on `loop` and is touched only there (STYLE rule 11), which is why the class
/// is `@unchecked Sendable`: every entry point hops onto the loop first.
final class CallEngine: SIPInboundHandler, @unchecked Sendable {
    let loop: any EventLoop
    /// The policy in force; a reload replaces it for new calls, while calls in progress keep where they were
    /// routed (their legs and destinations are fixed when they start).
    let activePolicy: ActivePolicy
    let responder: StatelessResponder
    let counters: NodeCounters
    /// Prometheus series the call path records as things happen (`NodeMetrics`).
    let metrics: NodeMetrics
    /// Recent refusals and the per-second history for the status page.
    let activity: NodeActivity
    /// Live capture of what the engine sends (`CallEngine+Actions`).
    let tap: SignallingTapSlot
    let logger: Logger
    /// Where named next hops are (RFC 3263).
    let locator: NextHopLocator
    /// Port pools and relay loops for anchored media (`CallEngine+Media`).
    let mediaRelay: MediaRelay

    // Loop-confined state.
    /// The policy snapshot of the message being handled (taken when it arrived).
    var snapshot: ActivePolicy.Snapshot
    var pool: SIPConnectionPool?
    var transactions = TransactionTable()
    var generator = RandomIdentifierGenerator()
    var calls: [Int: Call] = [:]
    /// Both legs' dialogs (Call-ID and Gatehouse's tag) → call.
    var callIndex = CallIndex()
    var nextCallID = 1
    /// Where each server transaction's responses go.
    var serverContexts: [TransactionKey: SIPConnectionContext] = [:]
    var clientOwners: [TransactionKey: ClientTransactionOwner] = [:]
    var scheduledTimers: [TransactionKey: [TransactionTimer: Scheduled<Void>]] = [:]
    /// For INVITE client transactions whose call ended: the To tags of the 2xx already hung up.
    var releasedAnswerTags: [TransactionKey: Set<String>] = [:]
    /// INVITE server transactions whose next hop is being located; a CANCEL removes its INVITE from here.
    var pendingLookups: Set<TransactionKey> = []
    /// Rate limits, call limits, the overload guard and the blocklist (`CallEngine+Border`).
    var admission: AdmissionControl
    /// The origin of admission control's timeline.
    let epoch = NIODeadline.now()
    /// The next run of admission control's housekeeping, while the node runs.
    var admissionSweep: Scheduled<Void>?
    /// Registrations relayed through the node and their NAT bindings (`CallEngine+Registrations`).
    var registrations = RegistrationTable()
    /// The relay's client transactions: REGISTERs on their way to the registrar, keepalives.
    var registrationTransactions: [TransactionKey: RegistrationTransaction] = [:]
    /// The embedded IMS core, when the policy embeds one (`CallEngine+IMS`); set once, before the listeners open.
    var imsCore: EmbeddedIMSCore?
    /// The listener each UE flow reached the core through: NOTIFYs leave from it.
    var imsFlows: [UEFlow: SIPEndpoint] = [:]
    /// The core's NOTIFYs in flight.
    var notifyTransactions: [TransactionKey: NotifyTransaction] = [:]
    /// Calls to application servers by the caller's INVITE server transaction: what the AS's default handling
    /// needs when it does not answer (`CallEngine+IMSSessions`).
    var applicationServerCalls: [TransactionKey: ApplicationServerCall] = [:]
    /// Forked INVITEs by the caller's server transaction, while their branches ring (`CallEngine+Forking`).
    var forks: [TransactionKey: CallFork] = [:]
    /// INVITE client transactions to cancel once they have a provisional response (`CallEngine+Forking`).
    var deferredCancels: Set<TransactionKey> = []
    /// Failed authentications per source and per private identity.
    var authenticationFailures = AuthenticationFailureTracker(AuthenticationFailureTracker.Configuration())
    /// A draining node refuses new calls with 503 and lets the calls in progress finish (`CallEngine+Drain`).
    var drain: DrainState?
    /// Calls routed since start, and the count at the last one-second sample (`CallEngine+Status`).
    var callsStarted = 0
    var callsStartedAtLastSample = 0
    /// Where blocklist changes are mirrored: the kernel's table when the policy has one (`GatehouseNode+Firewall`).
    var enforcer = KernelEnforcer()
    /// Scanners, sweeps, enumeration, malformed storms (`CallEngine+Detection`).
    var detector: ThreatDetector
    /// Policy control and CDR notes per call, by the caller leg's Call-ID (`CallEngine+PolicyControl`).
    var accounting: [String: CallAccounting] = [:]
    /// Calls answered by the MRF, its rooms and resources (`CallEngine+MRF`).
    var mrf = MRFCalls()
    /// Where ended calls' CDRs go (`CallEngine+CallRecords`).
    lazy var cdrWriter = CDRWriter(logger: logger)

    init(
        activePolicy: ActivePolicy, responder: StatelessResponder, counters: NodeCounters,
        metrics: NodeMetrics = NodeMetrics(), activity: NodeActivity = NodeActivity(),
        tap: SignallingTapSlot = SignallingTapSlot(), logger: Logger,
        loop: any EventLoop, locator: NextHopLocator, mediaRelay: MediaRelay
    ) {
        self.activePolicy = activePolicy
        self.locator = locator
        self.mediaRelay = mediaRelay
        self.snapshot = activePolicy.snapshot
        // The loader validated the policy; a configuration admission control still refuses falls back to none,
        // loudly, rather than keeping the node from starting.
        do {
            self.admission = try AdmissionControl(activePolicy.snapshot.border.admission)
        } catch {
            logger.error("the policy's admission settings are not usable", metadata: ["error": "\(error)"])
            self.admission = try! AdmissionControl(AdmissionConfiguration())
        }
        self.detector = ThreatDetector(ThreatDetector.Configuration(activePolicy.snapshot.policy.detection))
        self.responder = responder
        self.counters = counters
        self.metrics = metrics
        self.activity = activity
        self.tap = tap
        self.logger = logger
        self.loop = loop
    }

    var policy: Policy { snapshot.policy }
    var realms: [SIPEndpoint: String] { snapshot.realmByListener }

    /// RFC 3261 timers from the policy.
    var transactionTimers: TransactionTimers {
        TransactionTimers(t1: policy.timers.t1, t2: policy.timers.t2, t4: policy.timers.t4)
    }

    /// The stateless answers (out-of-dialog OPTIONS, unparseable requests) under a policy snapshot.
    func entry(for snapshot: ActivePolicy.Snapshot) -> SignallingEntry {
        SignallingEntry(
            realms: snapshot.realmByListener, forcedRport: snapshot.forcedRportListeners,
            limits: snapshot.policy.sipLimits, responder: responder,
            counters: counters, tap: tap, logger: logger)
    }

    var entry: SignallingEntry { entry(for: snapshot) }

    /// The transport's connection pool, once the listeners are bound (they need the engine as their handler first).
    func attach(pool: SIPConnectionPool) {
        loop.execute {
            self.pool = pool
            self.scheduleAdmissionSweep()
        }
    }

    /// Calls in progress, the MRF's among them (for tests, status and drains).
    func activeCallCount() async -> Int {
        (try? await loop.submit { self.calls.count + self.mrf.calls.count }.get()) ?? 0
    }

    // MARK: SIPInboundHandler

    func received(_ bytes: [UInt8], context: SIPConnectionContext) {
        let current = activePolicy.snapshot
        let realm = current.realmByListener[context.listener] ?? "?"
        let inbound = InboundMessage(bytes: bytes, limits: current.policy.sipLimits)
        counters.countReceived(realm: realm, method: inbound.methodLabel)
        // Every parsed message goes through the border's ingress stages on the engine's loop, where admission
        // control's state lives; what cannot be parsed is answered (or dropped) by the stateless entry.
        switch inbound {
        case .request(let request):
            loop.execute {
                self.snapshot = current
                self.handleRequest(request, context: context, byteCount: bytes.count)
            }
        case .response(let received):
            loop.execute {
                self.snapshot = current
                var response = received
                guard self.passIngress(&response, context: context) != nil else { return }
                self.handleResponse(response)
            }
        case .brokenRequest, .unanswerable:
            // On the loop too: a blocked source's garbage is dropped, and a storm of it is detected.
            loop.execute {
                self.snapshot = current
                self.adoptAdmissionConfiguration()
                guard self.admitUnparseable(context: context) else { return }
                self.entry(for: current).handle(inbound, byteCount: bytes.count, context: context)
            }
        }
    }

    func framingFailed(_ error: any Error, context: SIPConnectionContext) {
        entry(for: activePolicy.snapshot).framingFailed(error, context: context)
        loop.execute { _ = self.admitUnparseable(context: context) }
    }

    /// INVITE, ACK, CANCEL, REGISTER, reg-event SUBSCRIBE and anything inside a dialog are the engine's; other
    /// out-of-dialog requests (OPTIONS pings; MESSAGE… until the IMS sessions land) are answered by the stateless
    /// entry.
    static func isForEngine(_ request: SIPMessage) -> Bool {
        switch request.method {
        case .invite, .ack, .cancel, .register: return true
        case .subscribe: return request.headers.firstString(.event).map(Self.isRegEventPackage) ?? false
        default: return request.hasToTag
        }
    }

    // MARK: Requests

    func handleRequest(_ received: SIPMessage, context: SIPConnectionContext, byteCount: Int = 0) {
        var request = received
        ViaRouting.stampTopVia(
            &request, source: context.remote, forceRport: snapshot.forcedRportListeners.contains(context.listener))
        // A retransmission, or the ACK of a non-2xx final response, belongs to a server transaction: it was
        // admitted (or refused) once already.
        if Self.isForEngine(request), case .matched(let key, let actions) = transactions.receive(request) {
            perform(actions, for: key)
            return
        }
        if handleEarlyAnnouncementCancel(request, context: context) { return }
        guard let pass = passIngress(&request, context: context) else { return }
        if detectSweep(request, peer: pass.peer, context: context) {
            counters.countDropped("detection")
            return
        }
        guard Self.isForEngine(request) else {
            entry.handle(.request(request), byteCount: byteCount, context: context, passedIngress: true)
            return
        }
        if handleMRFRequest(request, context: context) { return }
        if request.method == .ack {
            forwardACK(request)
            return
        }
        if request.method == .register {
            handleRegister(request, context: context, peer: pass.peer)
        } else if request.method == .subscribe {
            handleSubscribe(request, context: context, peer: pass.peer)
        } else if request.method == .cancel {
            handleCancel(request, context: context)
        } else if request.hasToTag {
            handleInDialog(request, context: context)
        } else {
            handleInitialInvite(request, context: context, peer: pass.peer)
        }
    }

    // MARK: Responses

    func handleResponse(_ response: SIPMessage) {
        guard case .matched(let key, let actions) = transactions.receive(response) else {
            counters.countDropped("stray-response")
            logger.debug(
                "dropped a response that matches no transaction", metadata: ["status": "\(response.statusCode ?? 0)"])
            return
        }
        perform(actions, for: key)
    }

    /// A response from one leg, passed up by its client transaction: mapped onto the other leg and sent through the
    /// server transaction waiting there, or taken by Gatehouse itself when it sent the request on its own.
    func deliver(_ response: SIPMessage, from clientKey: TransactionKey) {
        if deliverToRegistrations(response, from: clientKey) || deliverToIMSCore(response, from: clientKey)
            || deliverToMRF(response, from: clientKey)
        {
            return
        }
        deferredCancelResponded(response, from: clientKey)
        guard let owner = clientOwners[clientKey], let code = response.statusCode else { return }
        guard var call = calls[owner.callID] else {
            releaseOrphanAnswer(response, from: clientKey, owner: owner)
            return
        }
        switch owner.purpose {
        case .sessionRefresh:
            sessionRefreshAnswered(response, to: owner.originalRequest, call: call.id, side: owner.side)
            return
        case .cancel, .hangUp:
            return
        case .relay:
            break
        }
        let method = owner.originalRequest.method
        let isInitialInvite = method == .invite && owner.serverKey == call.inboundServerKey
        if isInitialInvite, code == 422,
            let retry = call.legs.retryOutboundInvite(after: response, generator: &generator)
        {
            logger.info(
                "the callee asks for a longer session interval: INVITE sent again", metadata: ["call": "\(call.id)"])
            call.outboundInviteKey = startClientTransaction(
                retry, owner: owner, isReliable: call.isReliable(.outbound), egressApplied: true)
            calls[call.id] = call
            return
        }
        if isInitialInvite, code == 408 || code >= 500,
            applicationServerFailed(call, status: SIPStatus(code, "Application server failed"))
        {
            return
        }
        if isInitialInvite, forkResponded(response, status: code, call: call) { return }
        if isInitialInvite, let (ack, bye) = call.legs.releaseFork(response, generator: &generator) {
            calls[call.id] = call
            releaseFork(ack: ack, bye: bye, call: call)
            return
        }
        if let serverKey = owner.serverKey {
            do {
                var mapped = try call.legs.mapResponse(
                    response, receivedOn: owner.side, answering: owner.originalRequest)
                do throws(MediaAnchorError) {
                    try anchorMedia(
                        in: &mapped, from: owner.side, answering: owner.originalRequest, session: call.media,
                        legs: &call.legs)
                } catch {
                    calls[call.id] = call
                    mediaFailed(error, call: call)
                    return
                }
                calls[call.id] = call
                respond(serverKey, with: mapped)
            } catch {
                logger.warning(
                    "cannot map a response across the call", metadata: ["call": "\(call.id)", "error": "\(error)"])
            }
        }
        guard code >= 200 else { return }
        if isInitialInvite {
            if code < 300 {
                call.isAnswered = true
                calls[call.id] = call
                metrics.callAnswered(
                    from: call.sourcePeerName, to: call.destinationPeerName,
                    setup: .nanoseconds((NIODeadline.now() - call.startedAt).nanoseconds))
                logger.info("call answered", metadata: ["call": "\(call.id)"])
            } else {
                // A 487 ends a call the caller cancelled (Gatehouse's own CANCELs end their calls first).
                endCall(call.id, reason: "\(code) from the callee", status: code, by: code == 487 ? .caller : .callee)
                return
            }
        } else if method == .bye {
            endCall(call.id, reason: "BYE", by: owner.side == .outbound ? .caller : .callee, cause: 200)
            return
        }
        if (200...299).contains(code), let method, method == .invite || method == .update {
            // A 2xx to INVITE or UPDATE crossed both legs: both sessions are refreshed (RFC 4028 §10).
            armSessionTimers(call: call.id)
        }
    }

    /// A client transaction failed (Timer B/F, or the transport): the request it carried gets `status` on the other
    /// leg, and an unanswered call ends.
    func clientFailed(_ clientKey: TransactionKey, status: SIPStatus) {
        deferredCancels.remove(clientKey)
        if registrationTransactionFailed(clientKey, status: status) || imsTransactionFailed(clientKey, status: status)
            || mrfTransactionFailed(clientKey)
        {
            return
        }
        guard let owner = clientOwners[clientKey], var call = calls[owner.callID] else { return }
        switch owner.purpose {
        case .sessionRefresh:
            hangUp(call.id, cause: status.code, reason: "Session refresh failed (\(status.code))")
            return
        case .cancel, .hangUp:
            return
        case .relay:
            break
        }
        if owner.serverKey == call.inboundServerKey, failOver(call.id, from: clientKey, status: status) { return }
        if owner.serverKey == call.inboundServerKey, applicationServerFailed(call, status: status) { return }
        if owner.serverKey == call.inboundServerKey, forkBranchFailed(call, status: status) { return }
        if owner.originalRequest.method == .invite, call.isAnswered {
            call.legs.reinviteFailed(sentOn: owner.side)
            calls[call.id] = call
        }
        if let serverKey = owner.serverKey {
            respond(
                serverKey,
                with: localResponse(to: owner.originalRequest, status: status, call: call, side: owner.side.other))
        }
        if owner.originalRequest.method == .invite && !call.isAnswered || owner.originalRequest.method == .bye {
            endCall(call.id, reason: "\(status.code) \(status.reason)", status: status.code)
        }
    }

    /// Removes a call; one that ends unanswered counts as failed with `status` (what its caller was told). Its CDR
    /// says who ended it (`side`) and with what (`cause`, else `status`).
    func endCall(
        _ id: Int, reason: String, status: Int = 487, by side: CallDetailRecord.Side = .gatehouse, cause: Int? = nil
    ) {
        guard let call = calls.removeValue(forKey: id) else { return }
        applicationServerCalls[call.inboundServerKey] = nil
        forks[call.inboundServerKey]?.branches.remove(id)
        if forks[call.inboundServerKey]?.branches.isEmpty == true { forks[call.inboundServerKey] = nil }
        if !call.isAnswered {
            metrics.callFailed(from: call.sourcePeerName, to: call.destinationPeerName, status: status)
        }
        for task in call.sessionTasks.values { task.cancel() }
        recordCallEnd(call, reason: reason, status: cause ?? status, side: side)
        releaseMedia(of: call)
        releaseCallSlot(callID: call.legs.inbound.callID)
        callIndex.remove(call.legs, call: call.id)
        logger.info("call ended", metadata: ["call": "\(id)", "reason": "\(reason)"])
        drainProgressed()
    }
}
