import NIOCore
import SIPMessage
import SIPStack
import Transport

/// Performing what the transaction state machines ask: sending, timers, handing messages to the call, and
/// forgetting a transaction once it ends. The machines never touch a socket or a clock; this file is where they
/// meet the event loop.
extension CallEngine {
    func startServerTransaction(_ request: SIPMessage, context: SIPConnectionContext) -> TransactionKey? {
        do {
            let (key, actions) = try transactions.startServer(
                request, isReliable: context.transport.isStream, timers: transactionTimers)
            serverContexts[key] = context
            perform(actions, for: key)
            return key
        } catch {
            logger.warning("cannot start a server transaction", metadata: ["error": "\(error)"])
            answerStatelessly(request, status: error.status, reason: error.detail, context: context)
            return nil
        }
    }

    /// Starts a client transaction for `request` after the egress stage toward the owner's peer
    /// (`CallEngine+Egress`); `egressApplied` for the call's INVITE, which `startCall` passed through it already
    /// (with numbering), and its resends.
    @discardableResult
    func startClientTransaction(
        _ request: SIPMessage, owner: ClientTransactionOwner, isReliable: Bool, egressApplied: Bool = false
    ) -> TransactionKey? {
        var request = request
        var owner = owner
        let peers = egressPeers(for: owner)
        // Kept for what the transaction may still send once its call is gone (the ACK and BYE for a late 2xx).
        owner.peers = peers
        if !egressApplied { applyEgress(&request, peers: peers) }
        do {
            let (key, actions) = try transactions.startClient(
                request, isReliable: isReliable, timers: transactionTimers)
            clientOwners[key] = owner
            perform(actions, for: key)
            return key
        } catch {
            logger.warning("cannot start a client transaction", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Sends a response through its server transaction, after the egress stage toward the peer the request came
    /// from (`CallEngine+Egress`).
    func respond(_ serverKey: TransactionKey, with response: SIPMessage) {
        var response = response
        if snapshot.border.normalizesOutbound {
            applyEgress(&response, peers: egressPeers(forResponse: response, serverKey: serverKey))
        }
        if let code = response.statusCode { counters.countResponse(code) }
        detectEnumeration(response, serverKey: serverKey)
        // A call refused before it was answered gives its admission slot back (a call that ends later does so in
        // `endCall`; releasing twice is harmless).
        if let code = response.statusCode, code >= 300, (try? response.cseq.method) == .invite,
            let callID = response.headers.firstString(.callID),
            callIndex.call(inboundCallID: callID).flatMap({ calls[$0]?.isAnswered }) != true
        {
            releaseCallSlot(callID: callID)
        }
        perform(transactions.sendResponse(response, for: serverKey), for: serverKey)
    }

    func perform(_ actions: [TransactionAction], for key: TransactionKey) {
        for action in actions {
            switch action {
            case .send(let message):
                transmit(message, for: key)
            case .startTimer(let timer, let delay):
                schedule(timer, after: delay, for: key)
            case .cancelTimer(let timer):
                scheduledTimers[key]?.removeValue(forKey: timer)?.cancel()
            case .passUp(let message):
                // A server transaction passes up the request the engine is already handling; a client transaction
                // passes up each response for the call.
                if key.side == .client, !message.isRequest { deliver(message, from: key) }
            case .timeout:
                if key.side == .client { clientFailed(key, status: .requestTimeout) }
            case .transportError:
                if key.side == .client { clientFailed(key, status: .serviceUnavailable) }
            case .terminated:
                forget(key)
            }
        }
    }

    /// Sends what a transaction produced: a response back where its request came from, a request on its leg.
    private func transmit(_ message: SIPMessage, for key: TransactionKey) {
        switch key.side {
        case .server:
            guard let context = serverContexts[key] else { return }
            sendResponse(message, context: context)
        case .client:
            guard
                let route = clientOwners[key]?.route ?? registrationTransactions[key]?.route
                    ?? notifyTransactions[key]?.route
            else { return }
            sendRequest(message.serialize(), via: route, failing: key)
        }
    }

    /// A request on one leg of a call: toward the caller over its connection (or to its UDP source), toward the
    /// callee through the connection pool from the egress realm's address. A send that fails is a transport
    /// error for the transaction `failing` (RFC 3261 §17.1.4).
    func sendRequest(_ bytes: [UInt8], via route: LegRoute, failing key: TransactionKey?) {
        counters.countSent(realm: realms[route.localEndpoint] ?? "?", method: InboundMessage.methodLabel(of: bytes))
        switch route {
        case .towardCaller(let context):
            tap.sent(bytes, from: context.listener, to: TapAddress(context.remote), transport: context.transport)
            context.send(bytes)
        case .towardCallee(let destination, let local):
            guard let pool else { return }
            tap.sent(
                bytes, from: local, to: TapAddress(host: destination.host, port: destination.port),
                transport: destination.transport)
            pool.write(bytes, to: destination, from: local).whenFailure { [self] error in
                loop.execute {
                    self.logger.warning("send to \(destination) failed", metadata: ["error": "\(error)"])
                    if let key { self.perform(self.transactions.transportFailed(for: key), for: key) }
                }
            }
        }
    }

    private func schedule(_ timer: TransactionTimer, after delay: Duration, for key: TransactionKey) {
        let task = schedule(after: delay) { [self] in
            scheduledTimers[key]?.removeValue(forKey: timer)
            perform(transactions.timerFired(timer, for: key), for: key)
        }
        scheduledTimers[key, default: [:]].updateValue(task, forKey: timer)?.cancel()
    }

    /// A terminated transaction: its timers stop and its bookkeeping goes.
    private func forget(_ key: TransactionKey) {
        for task in scheduledTimers.removeValue(forKey: key)?.values ?? [:].values { task.cancel() }
        serverContexts.removeValue(forKey: key)
        clientOwners.removeValue(forKey: key)
        registrationTransactions.removeValue(forKey: key)
        notifyTransactions.removeValue(forKey: key)
        releasedAnswerTags.removeValue(forKey: key)
    }

    /// A task on the engine's loop after `delay` (transaction timers, session timers, the no-answer timeout).
    func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) -> Scheduled<Void> {
        let (seconds, attoseconds) = delay.components
        return loop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000), work)
    }

    /// A response on the wire: back over the request's connection, or to where RFC 3261 §18.2.2 and RFC 3581 say
    /// for UDP; counted and captured.
    func sendResponse(_ response: SIPMessage, context: SIPConnectionContext) {
        entry.send(response, context: context, realm: realms[context.listener] ?? "?")
    }
}
