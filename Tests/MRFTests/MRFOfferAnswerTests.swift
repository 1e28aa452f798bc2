import MRF
import SDP
import Testing

@Suite struct MRFOfferAnswerTests {
    static let local = MRFMediaEndpoint(address: "127.0.0.41", port: 51000)

    static func offer(_ media: String, connection: String = "127.0.0.4") throws -> SessionDescription {
        try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 \(connection)\r\ns=-\r\nc=IN IP4 \(connection)\r\nt=0 0\r\n\(media)")
    }

    @Test func answersWithTheOfferersFirstG711AndTelephoneEvent() throws {
        let offer = try Self.offer(
            "m=audio 40000 RTP/AVP 18 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n")
        let (plan, answer) = try MRFOfferAnswer.answer(offer, from: Self.local, sessionID: "77", sessionVersion: 0)
        #expect(plan.codec == .pcma && plan.payloadType == 8 && plan.telephoneEventPayloadType == 101)
        #expect(plan.remoteAddress == "127.0.0.4" && plan.remotePort == 40000 && plan.direction == .sendrecv)
        let text = answer.serialized()
        #expect(text.contains("m=audio 51000 RTP/AVP 8 101\r\n"))
        #expect(text.contains("c=IN IP4 127.0.0.41\r\n"))
        #expect(text.contains("a=rtpmap:8 PCMA/8000\r\n") && text.contains("a=fmtp:101 0-15\r\n"))
        #expect(text.contains("o=- 77 0 IN IP4 127.0.0.41\r\n"))
    }

    @Test func refusesOtherStreamsKeepingTheirPlace() throws {
        let offer = try Self.offer(
            "m=video 40002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 40000 RTP/AVP 0\r\n")
        let (plan, answer) = try MRFOfferAnswer.answer(offer, from: Self.local, sessionID: "1", sessionVersion: 3)
        #expect(plan.codec == .pcmu && plan.telephoneEventPayloadType == nil)
        #expect(answer.media.map(\.port) == [0, 51000])
        #expect(answer.media.map(\.type) == [.video, .audio])
    }

    @Test func refusesOffersWithoutG711With488() throws {
        for media in [
            "m=audio 40000 RTP/AVP 9 18\r\n", "m=audio 40000 RTP/SAVP 0\r\n",
            "m=audio 0 RTP/AVP 0\r\n", "m=audio 40000 RTP/AVP 96\r\na=rtpmap:96 PCMU/16000\r\n",
        ] {
            let offer = try Self.offer(media)
            do {
                _ = try MRFOfferAnswer.answer(offer, from: Self.local, sessionID: "1", sessionVersion: 0)
                Issue.record("accepted \(media)")
            } catch {
                #expect(error.code == .noAcceptableCodec && error.status == .notAcceptableHere)
            }
        }
    }

    @Test func answersHoldWithTheReversedDirection() throws {
        let sendonly = try Self.offer("m=audio 40000 RTP/AVP 0\r\na=sendonly\r\n")
        #expect(
            try MRFOfferAnswer.answer(sendonly, from: Self.local, sessionID: "1", sessionVersion: 0).plan.direction
                == .recvonly)
        let oldStyle = try Self.offer("m=audio 40000 RTP/AVP 0\r\n", connection: "0.0.0.0")
        let held = try MRFOfferAnswer.answer(oldStyle, from: Self.local, sessionID: "1", sessionVersion: 0).plan
        #expect(held.direction == .inactive && held.isHeld)
    }
}
