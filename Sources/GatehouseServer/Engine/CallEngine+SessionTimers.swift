import GatehousePolicy
import Media
import NIOCore
import SDP
import SIPMessage
import SIPStack

/// Session timers per leg (RFC 4028): after every 2xx to an INVITE or UPDATE each leg's timer is armed again —
/// on a leg Gatehouse refreshes, for its next refresh at half the interval; on a leg the peer refreshes, for the
/// deadline after which the session counts as dead and the call is hung up on both legs. Either way a call whose
/// endpoint vanished without a BYE does not stay in the call table.
extension CallEngine {
    /// The policy's session-timer settings, for new calls.
    var sessionTimerSettings: SessionTimerSettings { SessionTimerSettings(policy.timers) }

    /// Cancels the pending session-timer task of each of `sides` and schedules the next one from the leg's timer:
    /// both legs after a relayed 2xx (it crossed both), one leg after Gatehouse's own refresh there.
    func armSessionTimers(call id: Int, sides: [CallLegs.Side] = [.inbound, .outbound]) {
        guard var call = calls[id], call.isAnswered else { return }
        for side in sides {
            call.sessionTasks.removeValue(forKey: side)?.cancel()
            guard let timer = call.legs[side].sessionTimer else { continue }
            switch timer.refresher {
            case .gatehouse:
                call.sessionTasks[side] = schedule(after: timer.refreshDelay) { [self] in
                    sendSessionRefresh(call: id, side: side)
                }
            case .peer:
                call.sessionTasks[side] = schedule(after: timer.expiryDelay) { [self] in
                    logger.notice(
                        "session expired", metadata: ["call": "\(id)", "leg": "\(side)", "after": "\(timer.interval)s"])
                    hangUp(id, cause: 408, reason: "Session expired")
                }
            }
        }
        calls[id] = call
    }

    /// Gatehouse's refresh on a leg it refreshes: UPDATE, or a re-INVITE with the leg's last offer. When a
    /// re-INVITE is already pending on the leg its answer refreshes the session instead; the refresh is tried
    /// again later in case that one fails.
    func sendSessionRefresh(call id: Int, side: CallLegs.Side) {
        guard var call = calls[id] else { return }
        call.sessionTasks.removeValue(forKey: side)
        guard let refresh = call.legs.makeSessionRefresh(on: side, generator: &generator) else {
            call.sessionTasks[side] = schedule(after: Self.refreshRetryDelay) { [self] in
                sendSessionRefresh(call: id, side: side)
            }
            calls[id] = call
            return
        }
        calls[id] = call
        logger.debug("refreshing the session", metadata: ["call": "\(id)", "leg": "\(side)"])
        startClientTransaction(
            refresh,
            owner: ClientTransactionOwner(
                callID: id, side: side, route: call.route(side), serverKey: nil, originalRequest: refresh,
                purpose: .sessionRefresh),
            isReliable: call.isReliable(side))
    }

    /// The answer to Gatehouse's own refresh (`refresh`). 2xx: acknowledged if it answers a re-INVITE, its SDP
    /// taken up by the call's media (a new SRTP key of the far end), and the timers armed again. 481 or 408: the
    /// dialog is gone (RFC 3261 §12.2.1.2), so the call is hung up. Anything else (a 491 glare, a 500, UPDATE
    /// refused): tried again shortly, at most `maxFailedRefreshes` times in a row.
    func sessionRefreshAnswered(_ response: SIPMessage, to refresh: SIPMessage, call id: Int, side: CallLegs.Side) {
        guard var call = calls[id], let code = response.statusCode, code >= 200 else { return }
        let ack = call.legs.sessionRefreshAnswered(response, on: side, generator: &generator)
        if let ack { sendACK(ack, via: call.route(side), peers: call.egressPeers(toward: side)) }
        switch code {
        case 200...299:
            call.failedRefreshes[side] = nil
            calls[id] = call
            do {
                try takeRefreshAnswer(response, to: refresh, session: call.media, side: side)
            } catch {
                mediaFailed(error, call: call)
                return
            }
            armSessionTimers(call: id, sides: [side])
        case 408, 481:
            calls[id] = call
            hangUp(id, cause: code, reason: "Session refresh refused (\(code))")
        default:
            let failures = call.failedRefreshes[side, default: 0] + 1
            call.failedRefreshes[side] = failures
            calls[id] = call
            guard failures < Self.maxFailedRefreshes else {
                hangUp(id, cause: code, reason: "Session refresh refused (\(code))")
                return
            }
            call.sessionTasks[side]?.cancel()
            call.sessionTasks[side] = schedule(after: Self.refreshRetryDelay) { [self] in
                sendSessionRefresh(call: id, side: side)
            }
            calls[id] = call
        }
    }

    /// Hands the SDP answer to a refresh re-INVITE to the call's media session, which takes it as answering the
    /// description the re-INVITE offered again. An UPDATE refresh or a body-less answer changes nothing.
    private func takeRefreshAnswer(
        _ response: SIPMessage, to refresh: SIPMessage, session: MediaSession?, side: CallLegs.Side
    ) throws(MediaAnchorError) {
        guard let session, refresh.method == .invite, !response.body.isEmpty, !refresh.body.isEmpty,
            let type = try? response.headers.first(.contentType, as: ContentType.self), type.isSDP,
            let offer = try? SessionDescription(parsing: refresh.body)
        else { return }
        let answer: SessionDescription
        do {
            answer = try SessionDescription(parsing: response.body)
        } catch {
            throw MediaAnchorError(.unreadableSDP, status: 488, detail: "Unreadable SDP: \(error.code)")
        }
        try session.refreshAnswered(answer, to: offer, from: side == .inbound ? .inbound : .outbound)
    }

    /// How long Gatehouse waits before trying a refresh again (a re-INVITE pending, or the last refresh refused).
    static let refreshRetryDelay = Duration.seconds(4)
    /// Refused refreshes in a row on one leg before Gatehouse gives the session up.
    static let maxFailedRefreshes = 3

}

extension SessionTimerSettings {
    /// The session-timer settings of the policy's `timers`.
    init(_ timers: TimerSettings) {
        self.init(
            interval: UInt32(clamping: timers.sessionExpires.components.seconds),
            minimum: UInt32(clamping: timers.minSE.components.seconds))
    }
}
