import MRF
import SDP
import SIPMessage
import Testing

/// A refusal told in early media: 183 with the answer, the announcement once, then the refusal's own status.
@Suite struct MRFEarlyAnnouncementTests {
    static func refusal() -> MRFEarlyAnnouncement {
        MRFEarlyAnnouncement(
            refusal: .notFound, reason: "No route", announcement: "not-in-service",
            local: MRFMediaEndpoint(address: "127.0.0.41", port: 51002), sessionID: "7")
    }

    static func offer(
        _ media: String = "m=audio 40000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\n"
    )
        throws -> SessionDescription
    {
        try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 127.0.0.4\r\ns=-\r\nc=IN IP4 127.0.0.4\r\nt=0 0\r\n" + media)
    }

    @Test func theAnnouncementPlaysInEarlyMediaThenTheRefusalGoesOut() throws {
        var early = Self.refusal()
        let started = early.receiveInvite(offer: try Self.offer())
        guard case .useMedia(let plan) = started.first, case .sessionProgress(let answer) = started.last,
            started.count == 2
        else {
            Issue.record("no early media: \(started)")
            return
        }
        #expect(plan.codec == .pcma && plan.remoteAddress == "127.0.0.4" && plan.remotePort == 40000)
        #expect(answer.media.first?.port == 51002 && answer.connection?.address == "127.0.0.41")
        #expect(early.state == .progressing)
        #expect(early.announcementFinished() == [])  // nothing plays before the media is bound
        #expect(early.mediaReady() == [.play(announcement: "not-in-service")])
        #expect(early.state == .playing)
        #expect(early.mediaReady() == [])
        #expect(early.announcementFinished() == [.stopMedia, .refuse(.notFound, reason: "No route")])
        #expect(early.state == .ended)
        #expect(early.receiveCancel() == [])
        #expect(early.announcementFinished() == [])
    }

    @Test func withoutAnOfferTheRefusalIsPlain() {
        var early = Self.refusal()
        #expect(early.receiveInvite(offer: nil) == [.refuse(.notFound, reason: "No route")])
        #expect(early.state == .ended)
        #expect(early.mediaReady() == [])
        #expect(early.receiveInvite(offer: nil) == [])
    }

    @Test func anOfferTheMRFCannotTakeGetsThePlainRefusal() throws {
        var video = Self.refusal()
        #expect(
            video.receiveInvite(offer: try Self.offer("m=video 40002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"))
                == [.refuse(.notFound, reason: "No route")])
        var opus = Self.refusal()
        #expect(
            opus.receiveInvite(offer: try Self.offer("m=audio 40000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n"))
                == [.refuse(.notFound, reason: "No route")])
        // An offer that holds the stream could not hear the announcement.
        var held = Self.refusal()
        #expect(
            held.receiveInvite(offer: try Self.offer("m=audio 40000 RTP/AVP 0\r\na=sendonly\r\n"))
                == [.refuse(.notFound, reason: "No route")])
    }

    @Test func cancelDuringPlaybackIsAnswered487() throws {
        var early = Self.refusal()
        _ = early.receiveInvite(offer: try Self.offer())
        _ = early.mediaReady()
        #expect(
            early.receiveCancel()
                == [.stopMedia, .refuse(.requestTerminated, reason: "the caller cancelled the INVITE")])
        #expect(early.announcementFinished() == [])
        #expect(early.state == .ended)
    }

    @Test func cancelWhileBindingAndAFailedBind() throws {
        var cancelled = Self.refusal()
        _ = cancelled.receiveInvite(offer: try Self.offer())
        #expect(
            cancelled.receiveCancel().last == .refuse(.requestTerminated, reason: "the caller cancelled the INVITE"))
        #expect(cancelled.mediaReady() == [])
        var failed = Self.refusal()
        _ = failed.receiveInvite(offer: try Self.offer())
        #expect(failed.mediaFailed() == [.stopMedia, .refuse(.notFound, reason: "No route")])
        #expect(failed.mediaReady() == [])
    }
}
