import NIOCore

/// A DTLS-SRTP leg on the stream's loop: the handshake's datagrams go to the association of the socket they came
/// in on and its flights back to the leg's far end on that socket; each association's retransmission timer is one
/// scheduled task, replaced after each event. Under rtcp-mux one association on the RTP port keys everything;
/// without it (RFC 5764 §4.1) the RTCP port runs its own, whose keys protect SRTCP.
extension RelayStream {
    /// The session agreed (or Gatehouse offered) DTLS on `leg`: `dtls` becomes the leg's protection, replacing
    /// what was there; a client starts as soon as it knows where to send.
    func setDTLS(_ dtls: DTLSLeg, on leg: MediaLeg) {
        if case .dtls(let current) = protection[leg, default: .plain], current === dtls { return }
        endDTLS(on: leg)
        protection[leg] = .dtls(dtls)
        updateRTCPAssociations()
        startDTLSIfReady(on: leg)
    }

    /// The answer to Gatehouse's DTLS offer brought the far end's fingerprints for the association already
    /// running on `leg`.
    func expectFingerprints(_ setup: DTLSLegSetup, on leg: MediaLeg) {
        guard case .dtls(let dtls) = protection[leg, default: .plain] else { return }
        dtls.expect(setup.remoteFingerprints)
        for socket in [MediaSocket.rtp, .rtcp] {
            guard let association = dtlsLeg(leg, socket) else { continue }
            noteFailure(of: association, on: leg)
            rescheduleRetransmission(association, on: leg, socket)
        }
    }

    /// The association on `leg`'s `socket`: the leg's own on the RTP port, its RTCP one (if any) on the other.
    func dtlsLeg(_ leg: MediaLeg, _ socket: MediaSocket) -> DTLSLeg? {
        guard case .dtls(let dtls) = protection[leg, default: .plain] else { return nil }
        return socket == .rtp ? dtls : dtls.rtcp
    }

    /// Once both legs have signalled, each DTLS leg gets an RTCP association when the stream does not multiplex
    /// RTCP (both legs must ask for rtcp-mux, since Gatehouse passes `a=rtcp-mux` through), and loses it when a
    /// new exchange agreed rtcp-mux.
    func updateRTCPAssociations() {
        guard state.inbound.signalledRTP != nil, state.outbound.signalledRTP != nil else { return }
        let muxed = state.inbound.offersRTCPMux && state.outbound.offersRTCPMux
        for leg in MediaLeg.allCases {
            guard case .dtls(let dtls) = protection[leg, default: .plain] else { continue }
            if muxed, let rtcp = dtls.rtcp {
                sendDTLS(rtcp.close(), on: leg, .rtcp, to: nil)
                dtls.rtcp = nil
            } else if !muxed, dtls.rtcp == nil {
                // The same context and settings made the RTP association, so this cannot fail where it did not.
                dtls.rtcp = try? dtls.makeRTCPLeg()
                startDTLSIfReady(on: leg)
            }
        }
    }

    /// A client sends its ClientHello on each of its ports once the socket is attached and the leg's far end there
    /// is known.
    func startDTLSIfReady(on leg: MediaLeg) {
        for socket in [MediaSocket.rtp, .rtcp] {
            guard let dtls = dtlsLeg(leg, socket), dtls.role == .client, !dtls.started,
                channels[Self.slot(leg, socket)] != nil, destination(of: leg, socket) != nil
            else { continue }
            sendDTLS(dtls.start(), on: leg, socket, to: nil)
            rescheduleRetransmission(dtls, on: leg, socket)
        }
    }

    /// A DTLS record from `leg` on `socket`: the association's reply goes back to where it came from (a DTLS
    /// server answers the address that spoke, and latching has not seen any RTP yet). A realm that latches only
    /// the signalled host takes the handshake only from there too, so that strangers cannot make Gatehouse send
    /// its flights elsewhere. A record on the RTCP port of a multiplexed stream has no association to go to.
    func receiveDTLS(_ envelope: AddressedEnvelope<ByteBuffer>, on leg: MediaLeg, _ socket: MediaSocket) {
        if state[leg].latching == .signalledHostOnly {
            guard let signalled = state[leg].signalledRTP, envelope.remoteAddress.hasSameHost(as: signalled) else {
                state.rejectUnprotected(on: leg, .failure)
                return
            }
        }
        guard let dtls = dtlsLeg(leg, socket) else {
            state.rejectUnprotected(on: leg, .failure)
            return
        }
        let replies = dtls.association.receive(
            envelope.data.readableBytesView, from: envelope.remoteAddress.cookieIdentity)
        dtls.refreshKeys()
        sendDTLS(replies, on: leg, socket, to: envelope.remoteAddress)
        noteFailure(of: dtls, on: leg)
        rescheduleRetransmission(dtls, on: leg, socket)
    }

    /// Stops `leg`'s associations, if it has any, sending their close_notify.
    func endDTLS(on leg: MediaLeg) {
        guard case .dtls(let dtls) = protection[leg, default: .plain] else { return }
        if let rtcp = dtls.rtcp { sendDTLS(rtcp.close(), on: leg, .rtcp, to: nil) }
        sendDTLS(dtls.close(), on: leg, .rtp, to: nil)
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

    /// Where DTLS toward `leg` goes on `socket`: the latched or signalled far end of that port.
    private func destination(of leg: MediaLeg, _ socket: MediaSocket) -> SocketAddress? {
        socket == .rtp ? state[leg].rtpDestination : state[leg].rtcpDestination(muxed: false)?.address
    }

    /// Sends `datagrams` in order on `leg`'s `socket`, to `destination` or the leg's far end on that port.
    private func sendDTLS(
        _ datagrams: [[UInt8]], on leg: MediaLeg, _ socket: MediaSocket, to destination: SocketAddress?
    ) {
        guard !datagrams.isEmpty, let channel = channels[Self.slot(leg, socket)],
            let destination = destination ?? self.destination(of: leg, socket)
        else { return }
        for datagram in datagrams {
            let buffer = channel.allocator.buffer(bytes: datagram)
            channel.write(AddressedEnvelope(remoteAddress: destination, data: buffer), promise: nil)
        }
        channel.flush()
    }

    /// One pending `handleTimeout` at the association's current timeout, replacing the previous one; none when
    /// no flight awaits an answer.
    private func rescheduleRetransmission(_ dtls: DTLSLeg, on leg: MediaLeg, _ socket: MediaSocket) {
        dtls.retransmission?.cancel()
        dtls.retransmission = nil
        guard let timeout = dtls.association.retransmissionTimeout else { return }
        let (seconds, attoseconds) = timeout.components
        let delay = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        dtls.retransmission = loop.scheduleTask(in: delay) { [weak self, weak dtls] in
            guard let self, let dtls, self.dtlsLeg(leg, socket) === dtls else { return }
            self.sendDTLS(dtls.association.handleTimeout(), on: leg, socket, to: nil)
            dtls.refreshKeys()
            self.noteFailure(of: dtls, on: leg)
            self.rescheduleRetransmission(dtls, on: leg, socket)
        }
    }
}

extension SocketAddress {
    /// The address and port a DTLS datagram came from, as the bytes its HelloVerifyRequest cookie is bound to
    /// (only handshake datagrams pay for the string).
    fileprivate var cookieIdentity: [UInt8] { Array("\(self)".utf8) }
}
