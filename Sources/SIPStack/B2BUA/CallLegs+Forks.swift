import SIPMessage

/// Answers nobody wants: a second 2xx from another fork of the outbound INVITE, or a 2xx that arrives after the
/// call ended (the callee answered as the caller's CANCEL or Gatehouse's no-answer timeout crossed it).
///
/// A UAC must acknowledge every 2xx to its INVITE (RFC 3261 §13.2.2.4) or the answering side retransmits it for
/// 32 s and then drops the call on its own; and a session Gatehouse does not relay must be ended at once with a
/// BYE (§13.2.2.4: "the UAC core MUST generate a BYE"), so that no phone stays off-hook to silence.
extension CallLegs {
    /// What to send for a 2xx on the outbound leg that does not belong to the call's dialog: an ACK always (a
    /// retransmitted 2xx needs its ACK again), and a BYE the first time that fork's tag is seen. Nil when the
    /// response is not such a 2xx: a provisional or a final response of the dialog the call follows.
    public mutating func releaseFork(
        _ response: SIPMessage, generator: inout some IdentifierGenerator
    ) -> (ack: SIPMessage, bye: SIPMessage?)? {
        guard let code = response.statusCode, (200...299).contains(code),
            let cseq = try? response.cseq, cseq.method == .invite, cseq.sequence == outbound.initialInviteSequence,
            let dialog = outbound.dialog, dialog.state != .early,
            let tag = (try? response.to.tag) ?? nil, tag != dialog.id.remoteTag
        else { return nil }
        guard
            let (ack, bye) = Self.acknowledgeAndHangUp(
                response, to: outbound.initialInvite, endpoint: outbound.endpoint, generator: &generator)
        else { return nil }
        let isNew = releasedForkTags.insert(tag).inserted
        return (ack, isNew ? bye : nil)
    }

    /// The ACK and the BYE that end the dialog `response` (a 2xx) created for `invite`, sent from `endpoint` (the
    /// leg's Via and Contact). Nil when the 2xx cannot make a dialog (no Contact, no tag on the INVITE).
    public static func acknowledgeAndHangUp(
        _ response: SIPMessage, to invite: SIPMessage, endpoint: SIPEndpoint,
        generator: inout some IdentifierGenerator
    ) -> (ack: SIPMessage, bye: SIPMessage)? {
        guard var dialog = try? Dialog(uac: invite, response: response) else { return nil }
        let ack = dialog.makeRequest(.ack, via: CallLeg.via(on: endpoint, branch: generator.branch()))
        var bye = dialog.makeRequest(.bye, via: CallLeg.via(on: endpoint, branch: generator.branch()))
        bye.headers.append(.reason, "SIP;cause=200;text=\"Call completed elsewhere\"")
        return (ack, bye)
    }
}
