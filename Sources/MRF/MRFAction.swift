import SDP

/// What an `MRFSession` asks its owner to do. SIP actions go out on the call's dialog; media actions go to the Media
/// module's resources (player, tone generator, DTMF collector, mixer) on the relay port the call was given.
public enum MRFAction: Hashable, Sendable {
    // MARK: SIP
    /// Answer the INVITE (or re-INVITE) 200 OK with this SDP.
    case answer(SessionDescription)
    /// Answer the request (INVITE, re-INVITE, BYE) with the error's status and reason.
    case reject(MRFError)
    /// Answer the BYE 200 OK.
    case acceptBye
    /// Hang up: send BYE on the dialog.
    case sendBye
    /// Hand the call to this target (a URI or number from the menu); the assembly refers or re-routes it, then the
    /// MRF's part of the call is over.
    case transfer(to: String)

    // MARK: Media
    /// Send and receive this way from now on (after every answer: the codec, the caller's address, the direction).
    case useMedia(MRFMediaPlan)
    /// Play the announcement once; report `announcementFinished()` at its end.
    case play(announcement: String)
    /// Play a tone until stopped.
    case playTone(MRFTone)
    /// Start collecting DTMF for a menu; report the outcome with `receiveDigits(_:)` or `digitTimeout()`.
    case collectDigits(timeout: Duration)
    /// Mix this call into the room (its seat is already taken).
    case joinMixer(room: String)
    /// Take this call out of the room's mix.
    case leaveMixer(room: String)
    /// Stop sending (the caller put the call on hold); receiving continues.
    case pauseMedia
    /// Resume sending where it was paused.
    case resumeMedia
    /// Stop everything for this call and release its media resources.
    case stopMedia
}
