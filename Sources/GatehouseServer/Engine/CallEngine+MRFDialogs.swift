import MRF
import SDP
import SIPMessage
import SIPStack
import Transport

/// Requests within the MRF's dialogs (ACK, CANCEL, BYE, re-INVITE, NOTIFY of a transfer) and the MRF's own
/// requests (BYE, REFER) with their answers. The MRF is a user agent, not a B2BUA: nothing here crosses to another
/// leg.
extension CallEngine {
    /// Takes `request` when it belongs to a call to the MRF (by Call-ID); false for anything else.
    func handleMRFRequest(_ request: SIPMessage, context: SIPConnectionContext) -> Bool {
        guard !mrf.calls.isEmpty, let callID = try? request.callID.value, mrf.calls[callID] != nil else {
            return false
        }
        switch request.method {
        case .ack:
            receiveMRFAck(request, callID: callID)
            return true
        case .cancel:
            receiveMRFCancel(request, context: context, callID: callID)
            return true
        default:
            // A new INVITE reusing the Call-ID (no To tag) is not this dialog's; the routing refuses or takes it.
            guard request.hasToTag else { return false }
            receiveMRFInDialog(request, context: context, callID: callID)
            return true
        }
    }

    /// The ACK for the 200: media starts (RFC 3261 §13.3.1.4). ACKs for a re-INVITE's 200 change nothing.
    private func receiveMRFAck(_ ack: SIPMessage, callID: String) {
        guard var call = mrf.calls[callID], var dialog = call.dialog, (try? dialog.receiveRequest(ack)) != nil else {
            counters.countDropped("stray-ack")
            return
        }
        call.dialog = dialog
        call.stopAnswerTimers()
        let wasAnswered = if case .answered = call.session.state { true } else { false }
        let actions = call.session.receiveAck()
        mrf.calls[callID] = call
        if wasAnswered, case .stream(let stream) = call.media { stream.resume() }
        performMRF(actions, callID: callID)
    }

    /// CANCEL is answered 200 (RFC 3261 §9.2); an INVITE still waiting for its media gets 487 and the call ends.
    /// After the 200 the CANCEL changes nothing.
    private func receiveMRFCancel(_ cancel: SIPMessage, context: SIPConnectionContext, callID: String) {
        guard let serverKey = startServerTransaction(cancel, context: context), let call = mrf.calls[callID] else {
            return
        }
        guard transactions.inviteServerKey(cancelledBy: cancel) == call.serverKey else {
            respond(serverKey, with: responder.response(to: cancel, status: .callDoesNotExist))
            return
        }
        respond(serverKey, with: mrfResponse(to: cancel, status: .ok, call))
        guard call.dialog == nil else { return }
        var actions: [MRFAction] = []
        updateMRFCall(callID) { call in
            actions = call.session.receiveCancel(rooms: &mrf.rooms)
            if !actions.isEmpty { call.noteEnd(status: 487, reason: "CANCEL", side: .caller) }
        }
        if !actions.isEmpty { counters.countMRF("cancelled") }
        performMRF(actions, callID: callID, answering: call.invite, serverKey: call.serverKey)
    }

    /// BYE, re-INVITE and NOTIFY within the dialog; anything else is refused 501.
    private func receiveMRFInDialog(_ request: SIPMessage, context: SIPConnectionContext, callID: String) {
        guard let serverKey = startServerTransaction(request, context: context), let call = mrf.calls[callID] else {
            return
        }
        guard var dialog = call.dialog else {
            respond(serverKey, with: mrfResponse(to: request, status: .callDoesNotExist, call))
            return
        }
        do throws(DialogError) {
            try dialog.receiveRequest(request)
        } catch {
            respond(serverKey, with: mrfResponse(to: request, status: error.status, reason: error.detail, call))
            return
        }
        updateMRFCall(callID) { $0.dialog = dialog }
        var actions: [MRFAction] = []
        switch request.method {
        case .bye:
            counters.countMRF("bye-received")
            updateMRFCall(callID) { call in
                actions = call.session.receiveBye(rooms: &mrf.rooms)
                call.noteEnd(status: 200, reason: "BYE", side: .caller)
            }
        case .invite:
            let offer = request.body.isEmpty ? nil : try? SessionDescription(parsing: request.body)
            updateMRFCall(callID) { call in actions = call.session.receiveReInvite(offer: offer) }
        case .notify:
            // The progress of a transfer the MRF asked for (RFC 3515 §2.4.5): acknowledged, nothing more.
            respond(serverKey, with: mrfResponse(to: request, status: .ok, call))
            return
        default:
            respond(serverKey, with: mrfResponse(to: request, status: .notImplemented, call))
            return
        }
        performMRF(actions, callID: callID, answering: request, serverKey: serverKey)
    }

    /// The MRF hangs up (an announcement ended, a menu ran out of attempts, no ACK came): BYE on the dialog.
    func sendMRFBye(_ call: MRFCall) {
        updateMRFCall(call.callID) { $0.noteEnd(status: 200, reason: "BYE from the MRF", side: .gatehouse) }
        guard sendMRFRequest(.bye, call: call) else {
            // No dialog to send it on (the caller's INVITE had no Contact): the call just ends here.
            updateMRFCall(call.callID) { _ = $0.session.byeAnswered() }
            finishMRFCallIfEnded(call.callID, reason: "no dialog for BYE")
            return
        }
        counters.countMRF("bye-sent")
    }

    /// A menu choice sends the caller elsewhere (RFC 3515): REFER with the target in Refer-To; whatever the answer,
    /// the MRF then hangs up (its session ended with the transfer).
    func transferMRFCall(_ call: MRFCall, to target: String) {
        counters.countMRF("transferred")
        updateMRFCall(call.callID) { $0.noteEnd(status: 200, reason: "transferred to \(target)", side: .gatehouse) }
        logger.info("MRF call transferred", metadata: ["call-id": "\(call.callID)", "to": "\(target)"])
        guard sendMRFRequest(.refer, call: call, headers: [(.referTo, "<\(target)>")]) else {
            finishMRFCallIfEnded(call.callID, reason: "transfer without a dialog")
            return
        }
    }

    /// Sends a request on the call's dialog, in a client transaction whose answer comes back to
    /// `deliverToMRF`; false without a dialog.
    @discardableResult
    private func sendMRFRequest(_ method: SIPMethod, call: MRFCall, headers: [(HeaderName, String)] = []) -> Bool {
        guard var dialog = call.dialog else { return false }
        var request = dialog.makeRequest(
            method, via: CallLeg.via(on: call.context.listener, branch: generator.branch()))
        for (name, value) in headers { request.headers.append(name, value) }
        updateMRFCall(call.callID) { $0.dialog = dialog }
        // The owner gives the transaction its route; call id 0 is no B2BUA call, so the engine's own paths leave
        // the answer to `deliverToMRF`.
        let key = startClientTransaction(
            request,
            owner: ClientTransactionOwner(
                callID: 0, side: .inbound, route: call.route, serverKey: nil, originalRequest: request,
                purpose: .hangUp),
            isReliable: call.context.transport.isStream)
        if let key { mrf.requests[key] = (call.callID, method) }
        return key != nil
    }

    /// A final answer to the MRF's BYE ends its call (RFC 3261 §15.1.1: whatever it says); one to its REFER is
    /// followed by the BYE.
    func deliverToMRF(_ response: SIPMessage, from clientKey: TransactionKey) -> Bool {
        guard let (callID, method) = mrf.requests[clientKey] else { return false }
        guard let code = response.statusCode, code >= 200 else { return true }
        mrf.requests[clientKey] = nil
        mrfRequestEnded(callID, method: method, outcome: "\(code)")
        return true
    }

    /// The MRF's BYE or REFER got no answer (Timer F, transport): the same as an answer.
    func mrfTransactionFailed(_ clientKey: TransactionKey) -> Bool {
        guard let (callID, method) = mrf.requests.removeValue(forKey: clientKey) else { return false }
        mrfRequestEnded(callID, method: method, outcome: "no answer")
        return true
    }

    private func mrfRequestEnded(_ callID: String, method: SIPMethod, outcome: String) {
        guard let call = mrf.calls[callID] else { return }
        if method == .refer {
            sendMRFBye(call)
            return
        }
        updateMRFCall(callID) { _ = $0.session.byeAnswered() }
        finishMRFCallIfEnded(callID, reason: "the MRF hung up (BYE answered \(outcome))")
    }
}
