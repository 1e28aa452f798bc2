import SIPMessage

/// The session timer of one leg (RFC 4028) as Gatehouse keeps it: how long the session lives without a refresh,
/// and who sends the refreshes on that leg, Gatehouse or the peer.
///
/// Values only: the engine schedules a refresh after `refreshDelay` when Gatehouse is the refresher, or gives up
/// after `expiryDelay` without one when the peer is, and rebuilds the value whenever a 2xx to an INVITE or UPDATE
/// crosses the leg (every such 2xx is a refresh, RFC 4028 §10).
public struct LegSessionTimer: Sendable, Hashable {
    public enum Refresher: Sendable, Hashable {
        case gatehouse
        case peer
    }

    /// The session interval in seconds.
    public var interval: UInt32
    public var refresher: Refresher
    /// The peer said it supports session timers (Supported or Require: timer): only then may Gatehouse's
    /// responses carry `Require: timer` (RFC 4028 §9).
    public var peerSupportsTimer: Bool

    public init(interval: UInt32, refresher: Refresher, peerSupportsTimer: Bool) {
        self.interval = interval
        self.refresher = refresher
        self.peerSupportsTimer = peerSupportsTimer
    }

    /// When Gatehouse refreshes: half the interval (RFC 4028 §10 recommends it).
    public var refreshDelay: Duration { .seconds(Int64(interval / 2)) }

    /// How long Gatehouse waits for the peer's refresh before ending the call: the interval less a third of it
    /// or 32 seconds, whichever is smaller (RFC 4028 §10, the BYE "before the session expires").
    public var expiryDelay: Duration { .seconds(Int64(interval - min(32, interval / 3))) }

    /// Session-Expires for a request Gatehouse sends on this leg: Gatehouse is that request's UAC.
    public var requestHeader: SessionExpires {
        SessionExpires(seconds: interval, refresher: refresher == .gatehouse ? .uac : .uas)
    }

    /// Session-Expires for Gatehouse's 2xx to the peer's request on this leg: the peer is that request's UAC.
    public var responseHeader: SessionExpires {
        SessionExpires(seconds: interval, refresher: refresher == .peer ? .uac : .uas)
    }
}

// MARK: Negotiation

extension LegSessionTimer {
    /// Checks a session-refresh request (INVITE or UPDATE) received from the peer before it is relayed
    /// (RFC 4028 §9): a Session-Expires below Gatehouse's minimum is refused with 422 and Min-SE.
    public static func checkRequest(_ request: SIPMessage, settings: SessionTimerSettings) throws(B2BUAError) {
        guard let asked = try sessionExpires(of: request) else { return }
        guard asked.seconds >= settings.minimum else {
            throw B2BUAError(
                .sessionIntervalTooSmall, status: .sessionIntervalTooSmall,
                "Session-Expires \(asked.seconds) is below Min-SE \(settings.minimum)", minSE: settings.minimum)
        }
    }

    /// The leg's timer once Gatehouse answers the peer's session-refresh `request` with a 2xx (RFC 4028 §9):
    /// - the interval the peer asked for, reduced to Gatehouse's own interval but never below the request's
    ///   Min-SE or Gatehouse's minimum; without Session-Expires, the current interval or Gatehouse's own;
    /// - the refresher the request named; otherwise the peer if it supports timers (it asked for them, it keeps
    ///   them alive), Gatehouse if it does not (the peer would never refresh).
    public static func answering(
        _ request: SIPMessage, settings: SessionTimerSettings, current: LegSessionTimer?
    ) -> LegSessionTimer {
        let supports = supportsTimer(request)
        let asked = (try? sessionExpires(of: request)) ?? nil
        let floor = max(settings.minimum, ((try? request.headers.first(.minSE, as: MinSE.self)) ?? nil)?.seconds ?? 0)
        let interval = max(min(asked?.seconds ?? current?.interval ?? settings.interval, settings.interval), floor)
        let refresher: Refresher =
            switch asked?.refresher {
            case .uac: .peer
            case .uas: .gatehouse
            case nil: supports ? .peer : .gatehouse
            }
        return LegSessionTimer(interval: interval, refresher: refresher, peerSupportsTimer: supports)
    }

    /// The leg's timer once the peer answers Gatehouse's session-refresh request with `response`, a 2xx
    /// (RFC 4028 §7.2): the interval and refresher the 2xx names (no refresher parameter: Gatehouse, the UAC).
    /// A 2xx without Session-Expires means the peer does not do session timers; Gatehouse then refreshes the leg
    /// itself at the interval it asked for, so that a vanished peer is still noticed.
    public static func answered(by response: SIPMessage, asked interval: UInt32) -> LegSessionTimer {
        let supports = supportsTimer(response)
        guard let granted = (try? sessionExpires(of: response)) ?? nil, granted.seconds > 0 else {
            return LegSessionTimer(interval: interval, refresher: .gatehouse, peerSupportsTimer: supports)
        }
        return LegSessionTimer(
            interval: granted.seconds, refresher: granted.refresher == .uas ? .peer : .gatehouse,
            peerSupportsTimer: supports)
    }

    static func sessionExpires(of message: SIPMessage) throws(B2BUAError) -> SessionExpires? {
        try legParse { () throws(SIPParseError) in try message.headers.first(.sessionExpires, as: SessionExpires.self) }
    }

    static func supportsTimer(_ message: SIPMessage) -> Bool {
        let supported = (try? message.headers.optionTags(.supported)) ?? []
        let required = (try? message.headers.optionTags(.require)) ?? []
        return supported.contains(.timer) || required.contains(.timer)
    }
}
