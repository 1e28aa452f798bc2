import SDP

/// Answers an SDP offer for the MRF (RFC 3264 §6): the first audio stream over RTP/AVP (or AVPF) that offers PCMU or
/// PCMA is accepted with the first of those two in the offerer's order, plus telephone-event if offered; every other
/// stream is refused with port 0, keeping the offer's m-line count and order (§6: "the answer MUST contain exactly
/// the same number of m= lines as the offer").
public enum MRFOfferAnswer {
    /// The plan for the call and the answer to send; 488 when no stream can be accepted.
    public static func answer(
        _ offer: SessionDescription, from local: MRFMediaEndpoint, sessionID: String, sessionVersion: UInt64
    ) throws(MRFError) -> (plan: MRFMediaPlan, answer: SessionDescription) {
        var chosen: (index: Int, plan: MRFMediaPlan)?
        for (index, media) in offer.media.enumerated() where chosen == nil {
            if let plan = plan(for: media, in: offer) { chosen = (index, plan) }
        }
        guard let chosen else {
            throw MRFError(
                .noAcceptableCodec, status: .notAcceptableHere, "no RTP/AVP audio stream offers PCMU or PCMA")
        }
        let origin = Origin(
            sessionID: sessionID, sessionVersion: String(sessionVersion), addressType: local.addressType,
            address: local.address)
        var answer = SessionDescription(
            origin: origin, sessionName: "-",
            connection: Connection(addressType: local.addressType, address: local.address))
        for (index, offered) in offer.media.enumerated() {
            guard index == chosen.index else {
                answer.media.append(
                    MediaDescription(type: offered.type, port: 0, proto: offered.proto, formats: offered.formats))
                continue
            }
            answer.media.append(audio(chosen.plan, port: local.port, proto: offered.proto))
        }
        return (chosen.plan, answer)
    }

    /// The accepted stream of the answer: the codec, telephone-event if any, 20 ms packets, the direction.
    static func audio(_ plan: MRFMediaPlan, port: UInt16, proto: TransportProtocol) -> MediaDescription {
        var formats = [String(plan.payloadType)]
        var attributes = SDPAttributes()
        attributes.append(
            SDPAttribute(RTPMap(payloadType: plan.payloadType, encodingName: plan.codec.rawValue, clockRate: 8000)))
        if let event = plan.telephoneEventPayloadType {
            formats.append(String(event))
            attributes.append(
                SDPAttribute(RTPMap(payloadType: event, encodingName: "telephone-event", clockRate: 8000)))
            attributes.append(SDPAttribute(FormatParameters(format: String(event), parameters: "0-15")))
        }
        attributes.ptime = 20
        attributes.direction = plan.direction
        return MediaDescription(type: .audio, port: port, proto: proto, formats: formats, attributes: attributes)
    }

    /// The plan for one offered stream, or nil when the MRF cannot take it.
    static func plan(for media: MediaDescription, in offer: SessionDescription) -> MRFMediaPlan? {
        guard media.type == .audio, !media.isRejected, media.proto == .rtpAVP || media.proto == .rtpAVPF else {
            return nil
        }
        var codec: (MRFCodec, UInt8)?
        var telephoneEvent: UInt8?
        for payloadType in media.payloadTypes {
            let map = media.rtpmap(for: payloadType)
            let name = map?.encodingName.uppercased()
            if codec == nil {
                if let name, map?.clockRate == 8000, let found = MRFCodec(rawValue: name) {
                    codec = (found, payloadType)
                } else if map == nil,
                    let found = MRFCodec.allCases.first(where: { $0.staticPayloadType == payloadType })
                {
                    codec = (found, payloadType)
                }
            }
            if telephoneEvent == nil, name == "TELEPHONE-EVENT", map?.clockRate == 8000 { telephoneEvent = payloadType }
        }
        guard let (found, payloadType) = codec,
            let connection = offer.effectiveConnections(of: media).first
        else { return nil }
        return MRFMediaPlan(
            codec: found, payloadType: payloadType, telephoneEventPayloadType: telephoneEvent,
            remoteAddress: connection.address, remotePort: media.port,
            direction: answerDirection(for: offer.effectiveDirection(of: media), held: offer.isOnHold(media)))
    }

    /// RFC 3264 §6.1 / §8.4: the MRF sends and receives, so it answers the offer's direction reversed; an offer that
    /// holds the stream (`sendonly`, `inactive`, or the old `c=0.0.0.0`) is answered `recvonly` or `inactive`.
    static func answerDirection(for offered: Direction, held: Bool) -> Direction {
        if held && offered == .sendrecv { return .inactive }
        return offered.reversed
    }
}
