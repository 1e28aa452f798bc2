import MRF
import SDP
import Testing

@Suite struct MRFSessionTests {
    static let configuration = MRFConfiguration(
        domain: "mrf.ims.gatehouse.test", announcements: ["closed", "welcome", "hours"],
        menus: [
            "main": MRFMenu(
                prompt: "welcome",
                choices: ["1": .announcement("hours"), "2": .menu("sub"), "0": .transfer("sip:op@x")],
                timeout: .seconds(4), attempts: 2),
            "sub": MRFMenu(prompt: "closed", choices: [:]),
        ],
        maximumParticipants: 2)

    static func offer(_ direction: String = "sendrecv") throws -> SessionDescription {
        try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 127.0.0.4\r\ns=-\r\nc=IN IP4 127.0.0.4\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=\(direction)\r\n")
    }

    static func session(_ call: String = "call-1") -> MRFSession<String> {
        MRFSession(
            call: call, configuration: configuration, local: MRFMediaEndpoint(address: "127.0.0.41", port: 51002),
            sessionID: "9")
    }

    /// Answered with the media plan, played on ACK, and the MRF hangs up when the announcement ends.
    @Test func anAnnouncementPlaysOnceAndTheMRFHangsUp() throws {
        var rooms = ConferenceRooms<String>()
        var session = Self.session()
        let answered = session.receiveInvite(for: .announcement("closed"), offer: try Self.offer(), rooms: &rooms)
        guard case .answer(let sdp) = answered.first, case .useMedia(let plan) = answered.last else {
            Issue.record("not answered: \(answered)")
            return
        }
        #expect(sdp.media.first?.port == 51002)
        #expect(plan.codec == .pcmu && plan.telephoneEventPayloadType == 101)
        #expect(session.receiveAck() == [.play(announcement: "closed")])
        #expect(session.receiveAck() == [])
        #expect(session.announcementFinished() == [.stopMedia, .sendBye])
        #expect(session.state == .ending)
        var afterBye = rooms
        #expect(session.receiveBye(rooms: &afterBye) == [.acceptBye])  // BYEs crossed
        #expect(session.state == .ended)
    }

    @Test func refusalsCarryTheirStatus() throws {
        var rooms = ConferenceRooms<String>(maximumParticipants: 1)
        var unknown = Self.session()
        #expect(
            unknown.receiveInvite(for: .announcement("nope"), offer: try Self.offer(), rooms: &rooms).statuses == [404])
        #expect(unknown.state == .ended)
        var noOffer = Self.session()
        #expect(noOffer.receiveInvite(for: .tone(.busy), offer: nil, rooms: &rooms).statuses == [488])
        var video = Self.session()
        let videoOnly = try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=video 5000 RTP/AVP 96\r\n")
        #expect(video.receiveInvite(for: .tone(.busy), offer: videoOnly, rooms: &rooms).statuses == [488])
        var first = Self.session("a")
        var second = Self.session("b")
        _ = first.receiveInvite(for: .conference("r"), offer: try Self.offer(), rooms: &rooms)
        #expect(second.receiveInvite(for: .conference("r"), offer: try Self.offer(), rooms: &rooms).statuses == [486])
    }

    /// A CANCEL before the 200 went out: 487, the seat goes back, and a late ACK or CANCEL changes nothing.
    @Test func aCancelBeforeTheAnswerEndsTheSession() throws {
        var rooms = ConferenceRooms<String>(configuration: Self.configuration)
        var session = Self.session()
        _ = session.receiveInvite(for: .conference("team"), offer: try Self.offer(), rooms: &rooms)
        let cancelled = session.receiveCancel(rooms: &rooms)
        #expect(cancelled.statuses == [487])
        #expect(cancelled.dropFirst() == [.stopMedia])
        #expect(session.state == .ended)
        #expect(rooms.rooms.isEmpty)
        #expect(session.receiveAck() == [])
        #expect(session.receiveCancel(rooms: &rooms) == [])
    }

    /// A drain ends the node's calls: BYE from an answered or playing call, its seat given back; nothing to do for
    /// a session that never answered or is ending already.
    @Test func theNodeHangsUpAnsweredAndActiveCalls() throws {
        var rooms = ConferenceRooms<String>(configuration: Self.configuration)
        var playing = Self.session("playing")
        _ = playing.receiveInvite(for: .announcement("closed"), offer: try Self.offer(), rooms: &rooms)
        _ = playing.receiveAck()
        #expect(playing.hangUp(rooms: &rooms) == [.stopMedia, .sendBye])
        #expect(playing.state == .ending)
        #expect(playing.hangUp(rooms: &rooms) == [])
        #expect(playing.byeAnswered() == [] && playing.state == .ended)
        var seated = Self.session("seated")
        _ = seated.receiveInvite(for: .conference("team"), offer: try Self.offer(), rooms: &rooms)
        _ = seated.receiveAck()
        #expect(seated.hangUp(rooms: &rooms) == [.stopMedia, .leaveMixer(room: "team"), .sendBye])
        #expect(rooms.rooms.isEmpty)
        var waitingForAck = Self.session("waiting")
        _ = waitingForAck.receiveInvite(for: .conference("team"), offer: try Self.offer(), rooms: &rooms)
        #expect(waitingForAck.hangUp(rooms: &rooms) == [.stopMedia, .sendBye])
        #expect(rooms.rooms.isEmpty)
        var idle = Self.session("idle")
        #expect(idle.hangUp(rooms: &rooms) == [])
    }

    /// Seats are taken at the INVITE and given back on BYE; mixing starts on ACK.
    @Test func conferenceCallsTakeAndReleaseSeats() throws {
        var rooms = ConferenceRooms<String>(configuration: Self.configuration)
        var alice = Self.session("alice")
        var bob = Self.session("bob")
        _ = alice.receiveInvite(for: .conference("team"), offer: try Self.offer(), rooms: &rooms)
        _ = bob.receiveInvite(for: .conference("team"), offer: try Self.offer(), rooms: &rooms)
        #expect(rooms.participants(in: "team") == ["alice", "bob"])
        #expect(alice.receiveAck() == [.joinMixer(room: "team")])
        #expect(alice.announcementFinished() == [])  // nothing ends a conference but a BYE
        #expect(alice.receiveBye(rooms: &rooms) == [.acceptBye, .stopMedia, .leaveMixer(room: "team")])
        #expect(bob.ackTimedOut(rooms: &rooms) == [.stopMedia, .sendBye])
        #expect(rooms.rooms.isEmpty)
        #expect(alice.receiveBye(rooms: &rooms).statuses == [481])
    }

    @Test func aMenuLeadsFromADigitToItsChoice() throws {
        var rooms = ConferenceRooms<String>()
        var session = Self.session()
        _ = session.receiveInvite(for: .menu("main"), offer: try Self.offer(), rooms: &rooms)
        #expect(session.receiveAck() == [.play(announcement: "welcome")])
        #expect(session.receiveDigits("1") == [])  // no digits while the prompt plays
        #expect(session.announcementFinished() == [.collectDigits(timeout: .seconds(4))])
        #expect(session.receiveDigits("2") == [.play(announcement: "closed")])  // the sub-menu's prompt
        #expect(session.announcementFinished() == [.collectDigits(timeout: .seconds(5))])
        #expect(session.receiveDigits("9") == [.play(announcement: "closed")])  // unknown: prompt again
        _ = session.announcementFinished()
        #expect(session.digitTimeout() == [.play(announcement: "closed")])  // the sub-menu allows 3 attempts
        _ = session.announcementFinished()
        #expect(session.digitTimeout() == [.stopMedia, .sendBye])
        #expect(session.byeAnswered() == [] && session.state == .ended)
    }

    @Test func aMenuChoicePlaysOrTransfers() throws {
        var rooms = ConferenceRooms<String>()
        var hours = Self.session()
        _ = hours.receiveInvite(for: .menu("main"), offer: try Self.offer(), rooms: &rooms)
        _ = hours.receiveAck()
        _ = hours.announcementFinished()
        #expect(hours.receiveDigits("1") == [.play(announcement: "hours")])
        #expect(hours.announcementFinished() == [.stopMedia, .sendBye])
        var transfer = Self.session()
        _ = transfer.receiveInvite(for: .menu("main"), offer: try Self.offer(), rooms: &rooms)
        _ = transfer.receiveAck()
        _ = transfer.announcementFinished()
        #expect(transfer.receiveDigits("0") == [.stopMedia, .transfer(to: "sip:op@x")])
    }

    /// Hold pauses what the MRF sends and resume continues it; a bad re-offer keeps the call as it was.
    @Test func reInviteHoldsAndResumes() throws {
        var rooms = ConferenceRooms<String>()
        var session = Self.session()
        #expect(session.receiveReInvite(offer: try Self.offer()).statuses == [491])
        _ = session.receiveInvite(for: .tone(.ringback), offer: try Self.offer(), rooms: &rooms)
        #expect(session.receiveAck() == [.playTone(.ringback)])
        let hold = session.receiveReInvite(offer: try Self.offer("sendonly"))
        #expect(hold.last == .pauseMedia)
        guard case .answer(let answer) = hold.first else {
            Issue.record("no answer")
            return
        }
        #expect(answer.media.first?.attributes.direction == .recvonly)
        #expect(answer.origin.sessionVersion == "1")
        #expect(session.plan?.isHeld == true)
        let bad = try SessionDescription(
            parsing: "v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5000 RTP/AVP 9\r\n")
        #expect(session.receiveReInvite(offer: bad).statuses == [488])
        #expect(session.plan?.isHeld == true)
        #expect(session.receiveReInvite(offer: try Self.offer()).last == .resumeMedia)
        #expect(session.receiveBye(rooms: &rooms) == [.acceptBye, .stopMedia])
    }
}

extension [MRFAction] {
    /// The status codes of the rejections among these actions.
    var statuses: [Int] {
        compactMap { action in
            if case .reject(let error) = action { error.status.code } else { nil }
        }
    }
}
