import NIOCore

/// A DTLS-SRTP leg on the stream's loop: the handshake's datagrams go to the association and its flights back to
/// the leg's far end on the RTP socket; its retransmission timer is one scheduled task, replaced after each event.
/// The RTCP socket carries no association of its own: without rtcp-mux, SRTCP there uses the RTP port's keys.
extension RelayStream {
    /// The session agreed (or Gatehouse offered) DTLS on `leg`: `dtls` becomes the leg's protection, replacing
    /// what was there; a client starts as soon as it knows where to send.
    func setDTLS(_ dtls: DTLSLeg, on leg: MediaLeg) {
        if case .dtls(let current) = protection[leg, default: .plain], current === dtls { return }
        endDTLS(on: leg)
        protection[leg] = .dtls(dtls)
        startDTLSIfReady(on: leg)
    }

    /// The answer to Gatehouse's DTLS offer brought the far end's fingerprints for the association already
    /// running on `leg`.
    func expectFingerprints(_ setup: DTLSLegSetup, on leg: MediaLeg) {
        guard case .dtls(let dtls) = protection[leg, default: .plain] else { return }
        dtls.expect(setup.remoteFingerprints)
        noteFailure(of: dtls, on: leg)
        rescheduleRetransmission(dtls, on: leg)
    }

    /// A client sends its ClientHello once its RTP socket is attached and the leg's far end is known.
    func startDTLSIfReady(on leg: MediaLeg) {
        guard case .dtls(let dtls) = protection[leg, default: .plain], dtls.role == .client, !dtls.started,
            channels[Self.slot(leg, .rtp)] != nil, state[leg].rtpDestination != nil
        else { return }
        sendDTLS(dtls.start(), on: leg, to: nil)
        rescheduleRetransmission(dtls, on: leg)
    }

    /// A DTLS record from `leg`: the association's reply goes back to where it came from (a DTLS server answers
    /// the address that spoke, and latching has not seen any RTP yet). A realm that latches only the signalled
    /// host takes the handshake only from there too, so that strangers cannot make Gatehouse send its flights
    /// elsewhere.
    func receiveDTLS(_ envelope: AddressedEnvelope<ByteBuffer>, on leg: MediaLeg, _ dtls: DTLSLeg) {
        if state[leg].latching == .signalledHostOnly {
            guard let signalled = state[leg].signalledRTP, envelope.remoteAddress.hasSameHost(as: signalled) else {
                state.rejectUnprotected(on: leg, .failure)
                return
            }
        }
        let replies = dtls.association.receive(
            envelope.data.readableBytesView, from: envelope.remoteAddress.cookieIdentity)
        dtls.refreshKeys()
        sendDTLS(replies, on: leg, to: envelope.remoteAddress)
        noteFailure(of: dtls, on: leg)
        rescheduleRetransmission(dtls, on: leg)
    }

    /// Stops `leg`'s association, if it has one, sending its close_notify.
    func endDTLS(on leg: MediaLeg) {
        guard case .dtls(let dtls) = protection[leg, default: .plain] else { return }
        sendDTLS(dtls.close(), on: leg, to: nil)
        protection[leg] = .plain
    }

    /// Tells the session, once per association, that `dtls` failed for good (the leg relays nothing from then on),
    /// and keeps the reason for the stream's report.
    private func noteFailure(of dtls: DTLSLeg, on leg: MediaLeg) {
        guard let failure = dtls.failure, !dtls.failureReported else { return }
        dtls.failureReported = true
        dtlsFailures[leg] = failure.code
        onDTLSFailure?(leg, failure)
    }

    /// Sends `datagrams` in order on `leg`'s RTP socket, to `destination` or the leg's latched or signalled far end.
    private func sendDTLS(_ datagrams: [[UInt8]], on leg: MediaLeg, to destination: SocketAddress?) {
        guard !datagrams.isEmpty, let channel = channels[Self.slot(leg, .rtp)],
            let destination = destination ?? state[leg].rtpDestination
        else { return }
        for datagram in datagrams {
            let buffer = channel.allocator.buffer(bytes: datagram)
            channel.write(AddressedEnvelope(remoteAddress: destination, data: buffer), promise: nil)
        }
        channel.flush()
    }

    /// One pending `handleTimeout` at the association's current timeout, replacing the previous one; none when
    /// no flight awaits an answer.
    private func rescheduleRetransmission(_ dtls: DTLSLeg, on leg: MediaLeg) {
        dtls.retransmission?.cancel()
        dtls.retransmission = nil
        guard let timeout = dtls.association.retransmissionTimeout else { return }
        let (seconds, attoseconds) = timeout.components
        let delay = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        dtls.retransmission = loop.scheduleTask(in: delay) { [weak self, weak dtls] in
            guard let self, let dtls, case .dtls(let current) = self.protection[leg, default: .plain],
                current === dtls
            else { return }
            self.sendDTLS(dtls.association.handleTimeout(), on: leg, to: nil)
            dtls.refreshKeys()
            self.noteFailure(of: dtls, on: leg)
            self.rescheduleRetransmission(dtls, on: leg)
        }
    }
}

extension SocketAddress {
    /// The address and port a DTLS datagram came from, as the bytes its HelloVerifyRequest cookie is bound to
    /// (only handshake datagrams pay for the string).
    fileprivate var cookieIdentity: [UInt8] { Array("\(self)".utf8) }
}
