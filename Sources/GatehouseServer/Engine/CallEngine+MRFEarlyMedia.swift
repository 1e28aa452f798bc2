import Border
import MRF
import Media
import NIOCore
import SDP
import SIPMessage
import SIPStack
import Transport

/// Refusals told in early media: when the policy's `mrf.refusals` maps the status an initial INVITE is refused
/// with to an announcement, the caller gets `183 Session Progress` with the MRF's SDP answer, hears the
/// announcement once, then gets the refusal. Only the routing's refusals (no route, numbering, ENUM, the IMS core)
/// come here: sanity, admission and blocklist refusals never do, so that a flood gets no media ports.
extension CallEngine {
    /// Refuses a well-formed, admitted initial INVITE: with its announcement when the policy has one for `status`
    /// and the offer allows it, plainly otherwise.
    func refuseInitialInvite(_ invite: SIPMessage, _ serverKey: TransactionKey, _ status: SIPStatus, _ reason: String) {
        guard !startEarlyAnnouncement(invite, serverKey, status, reason, extraHeaders: [], recordsRefusal: true) else {
            return
        }
        reject(invite, serverKey, status, reason)
    }

    /// Starts the announcement for a refusal; false when there is none to play (no `mrf.refusals` entry for the
    /// status, no media on the realm, no port free): the caller then gets the plain refusal.
    func startEarlyAnnouncement(
        _ invite: SIPMessage, _ serverKey: TransactionKey, _ status: SIPStatus, _ reason: String,
        extraHeaders: [IngressRejection.ExtraHeader], recordsRefusal: Bool
    ) -> Bool {
        guard invite.method == .invite, let resources = mrf.resources,
            let name = resources.configuration.refusals[status.code], let audio = resources.announcements[name],
            let callID = try? invite.callID.value, mrf.calls[callID] == nil, mrf.early[callID] == nil,
            let context = serverContexts[serverKey],
            let media = policy.realm(named: realms[context.listener] ?? "?")?.media
        else { return false }
        let offer = invite.body.isEmpty ? nil : try? SessionDescription(parsing: invite.body)
        guard offer != nil else { return false }
        let realm = MediaRealmConfiguration(media)
        guard let port = mediaRelay.reservePort(realm) else { return false }
        var announcement = MRFEarlyAnnouncement(
            refusal: status, reason: reason, announcement: name,
            local: MRFMediaEndpoint(address: realm.address, port: port),
            sessionID: String(UInt32.random(in: 1...UInt32.max)))
        let actions = announcement.receiveInvite(offer: offer)
        mrf.early[callID] = MRFEarlyCall(
            callID: callID, announcement: announcement, audio: audio, invite: invite, serverKey: serverKey,
            extraHeaders: extraHeaders, recordsRefusal: recordsRefusal, realm: realm, port: port)
        if case .progressing = announcement.state {
            logger.info(
                "refusal told in early media",
                metadata: ["call-id": "\(callID)", "status": "\(status.code)", "announcement": "\(name)"])
        }
        performEarly(actions, callID: callID)
        return true
    }

    /// CANCEL of an INVITE whose refusal is being announced: 200 to the CANCEL, 487 to the INVITE (RFC 3261 §9.2).
    /// False when it cancels no such INVITE. Taken before the ingress stages: the INVITE passed them already, and
    /// the numbering stage would refuse the CANCEL of a number it refused (it has no To tag either).
    func handleEarlyAnnouncementCancel(_ cancel: SIPMessage, context: SIPConnectionContext) -> Bool {
        guard !mrf.early.isEmpty, cancel.method == .cancel, let callID = try? cancel.callID.value,
            let call = mrf.early[callID], transactions.inviteServerKey(cancelledBy: cancel) == call.serverKey
        else { return false }
        guard let serverKey = startServerTransaction(cancel, context: context) else { return true }
        respond(serverKey, with: responder.response(to: cancel, status: .ok))
        counters.countMRF("early-cancelled")
        performEarly(updateEarly(callID) { $0.announcement.receiveCancel() }, callID: callID)
        return true
    }

    private func updateEarly(
        _ callID: String, _ event: (inout MRFEarlyCall) -> [MRFEarlyAnnouncement.Action]
    )
        -> [MRFEarlyAnnouncement.Action]
    {
        guard var call = mrf.early[callID] else { return [] }
        let actions = event(&call)
        mrf.early[callID] = call
        return actions
    }

    private func performEarly(_ actions: [MRFEarlyAnnouncement.Action], callID: String) {
        for action in actions {
            guard let call = mrf.early[callID] else { return }
            switch action {
            case .useMedia(let plan):
                openEarlyMedia(plan, call: call)
            case .sessionProgress(let answer):
                var progress = responder.response(to: call.invite, status: SIPStatus(183, "Session Progress"))
                progress.headers.append(.contentType, ContentType.sdp)
                progress.body = ArraySlice(answer.serialized().utf8)
                mrf.early[callID]?.progress = progress
            case .play:
                call.stream?.play(call.audio)
            case .stopMedia:
                closeEarlyMedia(callID)
            case .refuse(let status, let reason):
                finishEarly(call, status: status, reason: reason)
            }
        }
    }

    /// Binds the port and sends to the caller's address; the 183 goes once it is bound.
    private func openEarlyMedia(_ plan: MRFMediaPlan, call: MRFEarlyCall) {
        let callID = call.callID
        guard let remote = try? SocketAddress(ipAddress: plan.remoteAddress, port: Int(plan.remotePort)) else {
            performEarly(updateEarly(callID) { $0.announcement.mediaFailed() }, callID: callID)
            return
        }
        let playout = MRFPlayout(
            law: plan.codec.law, payloadType: plan.payloadType,
            telephoneEventPayloadType: plan.telephoneEventPayloadType, ssrc: UInt32.random(in: 0...UInt32.max),
            firstSequenceNumber: UInt16.random(in: 0...UInt16.max), firstTimestamp: UInt32.random(in: 0...UInt32.max))
        mrf.early[callID]?.isBinding = true
        let (realm, port) = (call.realm, call.port)
        MRFMediaStream.open(
            on: mediaRelay.nextLoop(), host: realm.address, port: Int(port), remote: remote, playout: playout
        ) { [self] event in
            guard case .announcementFinished = event else { return }
            loop.execute {
                self.performEarly(self.updateEarly(callID) { $0.announcement.announcementFinished() }, callID: callID)
            }
        }.whenComplete { [self] result in
            loop.execute { self.earlyMediaOpened(result, callID: callID, realm: realm, port: port) }
        }
    }

    private func earlyMediaOpened(
        _ result: Result<MRFMediaStream, any Error>, callID: String, realm: MediaRealmConfiguration, port: UInt16
    ) {
        mrf.early[callID]?.isBinding = false
        guard let call = mrf.early[callID], case .progressing = call.announcement.state else {
            // Cancelled while binding: the call is gone, what was bound goes with its port.
            switch result {
            case .success(let stream):
                let relay = mediaRelay
                stream.close().whenComplete { _ in relay.releasePort(port, of: realm) }
            case .failure: mediaRelay.releasePort(port, of: realm)
            }
            return
        }
        switch result {
        case .failure(let error):
            logger.warning("cannot bind the early media", metadata: ["call-id": "\(callID)", "error": "\(error)"])
            performEarly(updateEarly(callID) { $0.announcement.mediaFailed() }, callID: callID)
        case .success(let stream):
            mrf.early[callID]?.stream = stream
            counters.countMRF("early-announce")
            if let progress = call.progress { respond(call.serverKey, with: progress) }
            performEarly(updateEarly(callID) { $0.announcement.mediaReady() }, callID: callID)
        }
    }

    /// Closes the stream; its port goes back once the socket is closed.
    private func closeEarlyMedia(_ callID: String) {
        guard let call = mrf.early[callID], let stream = call.stream else { return }
        mrf.early[callID]?.stream = nil
        mrf.early[callID]?.isClosing = true
        let relay = mediaRelay
        stream.close().whenComplete { _ in relay.releasePort(call.port, of: call.realm) }
    }

    /// The final response goes out, and the call with it (its port too, unless a binding or a close under way
    /// gives it back).
    private func finishEarly(_ call: MRFEarlyCall, status: SIPStatus, reason: String) {
        closeEarlyMedia(call.callID)
        if call.stream == nil, !call.isBinding, !call.isClosing {
            mediaRelay.releasePort(call.port, of: call.realm)
        }
        mrf.early[call.callID] = nil
        guard call.recordsRefusal else {
            // An ingress stage's refusal: already counted and recorded, and its headers go with it.
            var response = responder.response(to: call.invite, status: status, reason: reason)
            if status == call.announcement.refusal {
                for header in call.extraHeaders { response.headers.append(header.name, header.value) }
            }
            respond(call.serverKey, with: response)
            return
        }
        reject(call.invite, call.serverKey, status, reason)
    }
}
