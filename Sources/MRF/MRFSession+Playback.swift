import SDP

/// The events of an active call: an announcement ends, digits come in or do not, the caller holds and resumes.
extension MRFSession {
    /// The player reached the end of the announcement it was asked to play.
    public mutating func announcementFinished() -> [MRFAction] {
        guard case .active(let activity) = state else { return [] }
        switch activity {
        case .announcement:
            state = .ending
            return [.stopMedia, .sendBye]
        case .menuPrompt(let menu, let attempt):
            let next = Activity.menuCollecting(menu: menu, attempt: attempt)
            state = .active(next)
            return start(next)
        case .tone, .conference, .menuCollecting:
            return []
        }
    }

    /// The DTMF collector's entry (single-key menus use its first digit).
    public mutating func receiveDigits(_ digits: String) -> [MRFAction] {
        guard case .active(.menuCollecting(let name, let attempt)) = state, let menu = configuration.menus[name] else {
            return []
        }
        guard let digit = digits.first, let choice = menu.choices[digit] else {
            return retry(name, menu: menu, after: attempt)
        }
        switch choice {
        case .announcement(let announcement):
            let next = Activity.announcement(announcement)
            state = .active(next)
            return start(next)
        case .menu(let submenu):
            let next = Activity.menuPrompt(menu: submenu, attempt: 1)
            state = .active(next)
            return start(next)
        case .transfer(let target):
            // The assembly takes the call from here (REFER or a new route); the MRF's media is done.
            state = .ended
            return [.stopMedia, .transfer(to: target)]
        }
    }

    /// The DTMF collector's first-digit timeout passed with nothing typed.
    public mutating func digitTimeout() -> [MRFAction] {
        guard case .active(.menuCollecting(let name, let attempt)) = state, let menu = configuration.menus[name] else {
            return []
        }
        return retry(name, menu: menu, after: attempt)
    }

    /// Plays the prompt again, or hangs up after the menu's last attempt.
    private mutating func retry(_ name: String, menu: MRFMenu, after attempt: Int) -> [MRFAction] {
        guard attempt < menu.attempts else {
            state = .ending
            return [.stopMedia, .sendBye]
        }
        let next = Activity.menuPrompt(menu: name, attempt: attempt + 1)
        state = .active(next)
        return start(next)
    }

    /// A re-INVITE with a new offer (RFC 3264 §8): hold (`sendonly`/`inactive`, §8.4) pauses what the MRF sends,
    /// resume continues it; a changed address or codec is simply used from now on. An offer without an acceptable
    /// stream is refused with 488 and the call goes on as before (RFC 3261 §14.2).
    public mutating func receiveReInvite(offer: SessionDescription?) -> [MRFAction] {
        guard case .active = state else {
            return [.reject(MRFError(.wrongState, status: .requestPending, "the call is not established"))]
        }
        guard let offer else {
            return [.reject(MRFError(.offerRequired, status: .notAcceptableHere, "the re-INVITE carries no offer"))]
        }
        let wasHeld = plan?.isHeld ?? false
        let previousPlan = plan
        do throws(MRFError) {
            let (plan, answer) = try negotiate(offer)
            var actions: [MRFAction] = [.answer(answer), .useMedia(plan)]
            if plan.isHeld && !wasHeld { actions.append(.pauseMedia) }
            if !plan.isHeld && wasHeld { actions.append(.resumeMedia) }
            return actions
        } catch {
            plan = previousPlan
            return [.reject(error)]
        }
    }
}
