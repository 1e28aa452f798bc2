import Foundation
import GatehousePolicy
import MRF
import Media
import NIOCore
import SDP
import SIPMessage
import SIPStack
import Transport

/// Calls to the MRF's public service identities: an INVITE whose Request-URI is in `mrf.domain`, or one a route
/// sends to a PSI (`to: "sip:announce=NAME@DOMAIN"`), is answered by the node itself. The `MRFSession` decides
/// (offer/answer, which resource, when to hang up); this performs its actions: the 200 with the answer once the
/// call's media port is bound, the playout or the conference bridge on that port, BYE and its answers.
extension CallEngine {
    /// Whether `uri` is one of the MRF's PSIs (its host is `mrf.domain`).
    func isForMRF(_ uri: URI?) -> Bool {
        guard let domain = mrf.resources?.configuration.domain, case .sip(let sip)? = uri else { return false }
        return sip.host.description.lowercased() == domain.lowercased()
    }

    /// Answers an INVITE for `psi` as the MRF: refused with the session's status (404 unknown resource, 488 no
    /// usable offer, 486/480 full rooms), or answered 200 once the media port is bound.
    func answerMRF(_ inbound: InboundCall, psi: URI) {
        let invite = inbound.invite
        guard let resources = mrf.resources, let callID = try? invite.callID.value else {
            refuseMRF(inbound, MRFError(.unknownResource, status: .notFound, "this node has no MRF"))
            return
        }
        let resource: MRFResource
        do throws(MRFError) {
            guard let parsed = try MRFResource(requestURI: psi, domain: resources.configuration.domain) else {
                throw MRFError(.unknownResource, status: .notFound, "\(psi) is not in the MRF's domain")
            }
            resource = parsed
        } catch {
            refuseMRF(inbound, error)
            return
        }
        let realmName = realms[inbound.context.listener] ?? "?"
        guard let media = policy.realm(named: realmName)?.media else {
            refuseMRF(
                inbound,
                MRFError(.noMedia, status: .serviceUnavailable, "realm \(realmName) has no media: the MRF needs it"))
            return
        }
        let realm = MediaRealmConfiguration(media)
        guard let port = mediaRelay.reservePort(realm) else {
            refuseMRF(inbound, MRFError(.noMedia, status: .serviceUnavailable, "no media port free in \(realmName)"))
            return
        }
        let offer: SessionDescription?
        do {
            offer = invite.body.isEmpty ? nil : try SessionDescription(parsing: invite.body)
        } catch {
            mediaRelay.releasePort(port, of: realm)
            refuseMRF(inbound, MRFError(.noAcceptableCodec, status: .notAcceptableHere, "unreadable SDP offer"))
            return
        }
        let session = MRFSession(
            call: callID, configuration: resources.configuration,
            local: MRFMediaEndpoint(address: realm.address, port: port),
            sessionID: String(UInt32.random(in: 1...UInt32.max)))
        let id = nextCallID
        nextCallID += 1
        // The same charging identifier and caller as a B2BUA call's: the IMS session's, else the caller's.
        let icid =
            inbound.imsSession?.chargingVector?.icidValue
            ?? (try? invite.headers.first(.pChargingVector, as: PChargingVector.self))?.icidValue
            ?? Self.makeICID()
        mrf.calls[callID] = MRFCall(
            callID: callID, id: id, psi: psi, resource: resource, session: session, resources: resources,
            invite: invite, serverKey: inbound.serverKey, context: inbound.context, realm: realm, port: port,
            localTag: generator.tag(), icid: icid,
            callerParty: inbound.imsSession?.caller?.description ?? ((try? invite.from)?.uri.description) ?? "",
            callerPeer: policy.peer(for: inbound.context.remote.ipAddress ?? "", realm: realmName)?.name)
        logger.info(
            "call to the MRF",
            metadata: ["call-id": "\(callID)", "psi": "\(resource)", "from": "\(inbound.context.remote)"])
        var actions: [MRFAction] = []
        updateMRFCall(callID) { call in
            actions = call.session.receiveInvite(for: resource, offer: offer, rooms: &mrf.rooms)
        }
        performMRF(actions, callID: callID, answering: invite, serverKey: inbound.serverKey)
    }

    /// A refusal before any MRF session exists (no MRF, unknown PSI, no media on the realm).
    private func refuseMRF(_ inbound: InboundCall, _ error: MRFError) {
        counters.countMRF("refused-\(error.code)")
        reject(inbound.invite, inbound.serverKey, error.status, error.detail)
    }

    /// Runs `body` on the stored call and stores it back.
    func updateMRFCall(_ callID: String, _ body: (inout MRFCall) -> Void) {
        guard var call = mrf.calls[callID] else { return }
        body(&call)
        mrf.calls[callID] = call
    }

    /// Carries out what the session asked for; `answering` is the request whose answer the actions include (the
    /// INVITE, a re-INVITE or a BYE), received on `serverKey`.
    func performMRF(
        _ actions: [MRFAction], callID: String, answering request: SIPMessage? = nil, serverKey: TransactionKey? = nil
    ) {
        for action in actions {
            guard let call = mrf.calls[callID] else { return }
            switch action {
            case .answer(let description):
                guard let request, let serverKey else { continue }
                answerMRFRequest(request, serverKey: serverKey, with: description, call: call)
            case .reject(let error):
                guard let request, let serverKey else { continue }
                counters.countMRF("refused-\(error.code)")
                if call.dialog == nil {
                    // The INVITE refused: the call ends with it (a refused re-INVITE leaves the call up).
                    updateMRFCall(callID) {
                        $0.noteEnd(status: error.status.code, reason: error.detail, side: .gatehouse)
                    }
                }
                respond(serverKey, with: mrfResponse(to: request, status: error.status, reason: error.detail, call))
            case .acceptBye:
                guard let request, let serverKey else { continue }
                respond(serverKey, with: mrfResponse(to: request, status: .ok, call))
            case .sendBye:
                sendMRFBye(call)
            case .transfer(let target):
                transferMRFCall(call, to: target)
            case .useMedia(let plan):
                useMRFMedia(plan, call: call)
            case .play(let name):
                if case .stream(let stream) = call.media, let audio = call.resources.announcements[name] {
                    stream.play(audio)
                }
            case .playTone(let tone):
                if case .stream(let stream) = call.media { stream.play(call.resources.plan(for: tone)) }
            case .collectDigits(let timeout):
                if case .stream(let stream) = call.media { stream.collectDigits(timeout: timeout) }
            case .joinMixer(let room):
                mrf.bridges[room]?.setHeld(callID, false)
            case .leaveMixer:
                break  // `stopMedia`, which comes with it, takes the participant out of the bridge
            case .pauseMedia:
                setMRFMediaHeld(call, true)
            case .resumeMedia:
                setMRFMediaHeld(call, false)
            case .stopMedia:
                stopMRFMedia(callID)
            }
        }
        finishMRFCallIfEnded(callID, reason: Self.mrfEndReason(actions))
    }

    /// Why a list of actions ends a call, for its log line.
    static func mrfEndReason(_ actions: [MRFAction]) -> String? {
        for action in actions {
            switch action {
            case .acceptBye: return "the caller hung up"
            case .reject(let error): return "\(error.status.code) \(error.code)"
            case .transfer(let target): return "transferred to \(target)"
            default: continue
            }
        }
        return nil
    }

    private func setMRFMediaHeld(_ call: MRFCall, _ held: Bool) {
        switch call.media {
        case .stream(let stream): held ? stream.pause() : stream.resume()
        case .conference(let room): mrf.bridges[room]?.setHeld(call.callID, held)
        case .none: break
        }
    }

    /// A response of the MRF's dialog: its To tag on it (a 100 Trying from the transaction has none).
    func mrfResponse(to request: SIPMessage, status: SIPStatus, reason: String? = nil, _ call: MRFCall) -> SIPMessage {
        var response = responder.response(to: request, status: status, reason: reason)
        if var to = try? request.to, to.tag == nil {
            to.tag = call.localTag
            response.headers.set(.to, to)
        }
        return response
    }

    /// The 200 with the SDP answer: sent at once to a re-INVITE; to the INVITE once the media is bound
    /// (`useMRFMedia`), so that nothing the caller sends after the answer is lost.
    private func answerMRFRequest(
        _ request: SIPMessage, serverKey: TransactionKey, with description: SessionDescription, call: MRFCall
    ) {
        var response = mrfResponse(to: request, status: .ok, call)
        var contact = CallLeg.contact(on: call.context.listener)
        if case .sip(var uri) = contact.uri {
            uri.user = call.resource.userPart
            contact = NameAddress(uri: .sip(uri))
        }
        response.headers.append(.contact, contact)
        response.headers.append(.contentType, ContentType.sdp)
        response.body = ArraySlice(description.serialized().utf8)
        guard call.dialog != nil else {
            updateMRFCall(call.callID) { $0.answer = response }
            return
        }
        updateMRFCall(call.callID) { try? $0.dialog?.willSendResponse(response, to: request) }
        respond(serverKey, with: response)
    }

    /// Binds the call's media port (first offer) or follows the caller's new address (re-INVITE).
    private func useMRFMedia(_ plan: MRFMediaPlan, call: MRFCall) {
        let remote = try? SocketAddress(ipAddress: plan.remoteAddress, port: Int(plan.remotePort))
        switch call.media {
        case .stream(let stream):
            if let remote { stream.send(to: remote) }
            return
        case .conference:
            return  // a conference participant keeps the address it joined with
        case .none:
            break
        }
        guard let remote else {
            // The session answered already; a caller whose media address is a name cannot be sent to.
            failMRFCall(call.callID, status: .notAcceptableHere, reason: "the offer's c= is not an IP address")
            return
        }
        let callID = call.callID
        let opened: EventLoopFuture<MRFCall.Media>
        if case .conference(let room) = call.resource {
            let bridge = mrf.bridges[room] ?? MRFConferenceBridge<String>(loop: mediaRelay.nextLoop())
            mrf.bridges[room] = bridge
            opened = bridge.add(
                callID, host: call.realm.address, port: Int(call.port), remote: remote, law: plan.codec.law,
                payloadType: plan.payloadType, ssrc: UInt32.random(in: 0...UInt32.max),
                firstSequenceNumber: UInt16.random(in: 0...UInt16.max),
                firstTimestamp: UInt32.random(in: 0...UInt32.max)
            ).map {
                // Mixed in from the ACK on (`joinMixer`): until then it hears nothing.
                bridge.setHeld(callID, true)
                return .conference(room: room)
            }
        } else {
            let playout = MRFPlayout(
                law: plan.codec.law, payloadType: plan.payloadType,
                telephoneEventPayloadType: plan.telephoneEventPayloadType, ssrc: UInt32.random(in: 0...UInt32.max),
                firstSequenceNumber: UInt16.random(in: 0...UInt16.max),
                firstTimestamp: UInt32.random(in: 0...UInt32.max))
            opened = MRFMediaStream.open(
                on: mediaRelay.nextLoop(), host: call.realm.address, port: Int(call.port), remote: remote,
                playout: playout
            ) { [self] event in
                loop.execute { self.mrfMediaEvent(event, callID: callID) }
            }.map { stream in
                // Silent until the ACK (`receiveMRFAck` resumes it).
                stream.pause()
                return .stream(stream)
            }
        }
        updateMRFCall(callID) { $0.isBinding = true }
        let (realm, port) = (call.realm, call.port)
        opened.whenComplete { [self] result in
            loop.execute { self.mrfMediaOpened(result, callID: callID, realm: realm, port: port) }
        }
    }

    /// The media port is bound: the 200 goes out. If the call ended meanwhile (a CANCEL), what was bound goes
    /// again, and the port with it.
    private func mrfMediaOpened(
        _ result: Result<MRFCall.Media, any Error>, callID: String, realm: MediaRealmConfiguration, port: UInt16
    ) {
        updateMRFCall(callID) { $0.isBinding = false }
        guard let call = mrf.calls[callID], case .answered = call.session.state, let answer = call.answer else {
            switch result {
            case .success(let media): closeMRFMedia(media, callID: callID, realm: realm, port: port)
            case .failure: mediaRelay.releasePort(port, of: realm)
            }
            return
        }
        switch result {
        case .failure(let error):
            logger.warning("cannot bind the MRF's media", metadata: ["call-id": "\(callID)", "error": "\(error)"])
            failMRFCall(callID, status: .serviceUnavailable, reason: "the MRF's media port cannot be bound")
        case .success(let media):
            let dialog = try? Dialog(uas: call.invite, response: answer, overTLS: call.context.transport == .tls)
            updateMRFCall(callID) { call in
                call.media = media
                call.dialog = dialog
                call.answeredAt = NIODeadline.now()
                call.answerTime = Date()
            }
            counters.countMRF("answered-\(call.resource.kindLabel)")
            respond(call.serverKey, with: answer)
            scheduleMRFAnswerTimers(callID)
        }
    }

    /// RFC 3261 §13.3.1.4: the UAS sends its 2xx again at T1, 2·T1… up to T2 until the ACK comes (over UDP), and
    /// gives up on the ACK after 64·T1, ending the dialog with BYE.
    private func scheduleMRFAnswerTimers(_ callID: String) {
        let timers = transactionTimers
        guard let call = mrf.calls[callID] else { return }
        var retransmission: Scheduled<Void>?
        if !call.context.transport.isStream {
            retransmission = retransmitMRFAnswer(callID, after: timers.t1)
        }
        let deadline = schedule(after: timers.t1 * 64) { [self] in
            var actions: [MRFAction] = []
            updateMRFCall(callID) { call in
                call.stopAnswerTimers()
                actions = call.session.ackTimedOut(rooms: &mrf.rooms)
                if !actions.isEmpty { call.noteEnd(status: 200, reason: "no ACK for the 200", side: .gatehouse) }
            }
            if !actions.isEmpty {
                logger.notice("no ACK for the MRF's 200", metadata: ["call-id": "\(callID)"])
            }
            performMRF(actions, callID: callID)
        }
        updateMRFCall(callID) { call in
            call.retransmission = retransmission
            call.ackDeadline = deadline
        }
    }

    private func retransmitMRFAnswer(_ callID: String, after interval: Duration) -> Scheduled<Void> {
        schedule(after: interval) { [self] in
            guard let call = mrf.calls[callID], case .answered = call.session.state, let answer = call.answer else {
                return
            }
            respond(call.serverKey, with: answer)
            let next = min(interval * 2, transactionTimers.t2)
            let task = retransmitMRFAnswer(callID, after: next)
            updateMRFCall(callID) { $0.retransmission = task }
        }
    }

    /// What the call's playout reports: the end of an announcement, a digit, a digit timeout.
    private func mrfMediaEvent(_ event: MRFPlayout.Event, callID: String) {
        var actions: [MRFAction] = []
        updateMRFCall(callID) { call in
            switch event {
            case .announcementFinished: actions = call.session.announcementFinished()
            case .digits(.digits(let digits)): actions = call.session.receiveDigits(digits)
            case .digits(.timedOut): actions = call.session.digitTimeout()
            }
        }
        performMRF(actions, callID: callID)
    }

    /// Something failed (or a drain's deadline came) after the session answered but before the 200 left: the
    /// caller gets `status` instead of the 200, and the session ends as if cancelled (its seat, if any, is given
    /// back).
    func failMRFCall(_ callID: String, status: SIPStatus, reason: String) {
        guard let call = mrf.calls[callID] else { return }
        updateMRFCall(callID) { call in
            call.noteEnd(status: status.code, reason: reason, side: .gatehouse)
            _ = call.session.receiveCancel(rooms: &mrf.rooms)
        }
        respond(call.serverKey, with: mrfResponse(to: call.invite, status: status, reason: reason, call))
        finishMRFCallIfEnded(callID, reason: reason)
    }

    /// Closes the call's media; its port goes back once the socket is closed.
    func stopMRFMedia(_ callID: String) {
        guard let call = mrf.calls[callID] else { return }
        let counted = closeMRFMedia(call.media, callID: callID, realm: call.realm, port: call.port)
        updateMRFCall(callID) { call in
            call.media = .none
            if let counted { call.mediaCounters = counted }
        }
    }

    /// Closes `media`; the future has its final counters (nil when nothing was open).
    @discardableResult
    private func closeMRFMedia(
        _ media: MRFCall.Media, callID: String, realm: MediaRealmConfiguration, port: UInt16
    ) -> EventLoopFuture<MRFMediaCounters>? {
        let relay = mediaRelay
        let closed: EventLoopFuture<MRFMediaCounters>
        switch media {
        case .stream(let stream):
            closed = stream.close().flatMap { stream.counters() }
        case .conference(let room):
            guard let bridge = mrf.bridges[room] else {
                relay.releasePort(port, of: realm)
                return nil
            }
            closed = bridge.remove(callID)
            if mrf.rooms.participants(in: room).isEmpty { mrf.bridges[room] = nil }
        case .none:
            return nil
        }
        closed.whenComplete { _ in relay.releasePort(port, of: realm) }
        return closed
    }

    /// Once the session has ended: the call goes, with its log line, its media and port (unless a binding under
    /// way lets them go when it completes) and its admission slot.
    func finishMRFCallIfEnded(_ callID: String, reason: String?) {
        // A REFER still in flight keeps the call until its answer, which sends the BYE.
        guard var call = mrf.calls[callID], call.session.state == .ended,
            !mrf.requests.values.contains(where: { $0.callID == callID })
        else { return }
        mrf.calls[callID] = nil
        call.stopAnswerTimers()
        switch call.media {
        case .none where !call.isBinding: mediaRelay.releasePort(call.port, of: call.realm)
        case .none: break
        case .stream, .conference:
            if let counted = closeMRFMedia(call.media, callID: callID, realm: call.realm, port: call.port) {
                call.mediaCounters = counted
            }
        }
        releaseCallSlot(callID: callID)
        recordMRFCallEnd(call, reason: reason ?? "ended")
        logger.info(
            "MRF call ended",
            metadata: [
                "call-id": "\(callID)", "psi": "\(call.resource)", "reason": "\(reason ?? "ended")",
                "answered": "\(call.answeredAt != nil)", "duration": "\(call.duration)",
            ])
        drainProgressed()
    }
}

extension MRFResource {
    /// The kind's name in counters: `announce`, `conf`, `tone`, `menu`.
    var kindLabel: String { String(userPart.prefix { $0 != "=" }) }
}
