import Media
import SDP
import TestSupport
import Testing

/// Gatehouse's own `o=` line on each leg of an anchored call: the sender's username and session id never cross,
/// and each leg's version follows RFC 3264 §8 (one more when the description changed, the same when it did not).
@Suite struct SDPAnchorOriginTests {
    static let callerOffer = """
        v=0\r
        o=alice-pbx 2890844526 2890844527 IN IP4 192.0.2.1\r
        s=-\r
        c=IN IP4 192.0.2.1\r
        t=0 0\r
        m=audio 49170 RTP/AVP 0 101\r
        a=rtpmap:101 telephone-event/8000\r
        a=sendrecv\r

        """

    static let calleeAnswer = """
        v=0\r
        o=bob-carrier 77001 77001 IN IP4 198.51.100.7\r
        s=-\r
        c=IN IP4 198.51.100.7\r
        t=0 0\r
        m=audio 6000 RTP/AVP 0 101\r
        a=rtpmap:101 telephone-event/8000\r
        a=sendrecv\r

        """

    struct Call {
        var anchor = SDPAnchor(
            inbound: "203.0.113.10", outbound: "198.51.100.10", random: SeededGenerator(seed: 11))
        var pools = SDPAnchorTests.Pools()

        mutating func send(
            _ text: String, from leg: MediaLeg, _ role: SDPRole, forwarded: Bool = true,
            edit: (inout SessionDescription) -> Void = { _ in }
        ) throws -> SessionDescription {
            var description = try SessionDescription(parsing: text)
            edit(&description)
            return try anchor.rewrite(description, from: leg, role: role, forwarded: forwarded) {
                pools.allocate($0)
            }.description
        }
    }

    @Test func neitherSidesUsernameNorSessionIDCrosses() throws {
        var call = Call()
        let offer = try call.send(Self.callerOffer, from: .inbound, .offer)
        let answer = try call.send(Self.calleeAnswer, from: .outbound, .answer)
        let offerText = offer.serialized()
        let answerText = answer.serialized()
        #expect(!offerText.contains("alice-pbx") && !offerText.contains("2890844526"), "\(offerText)")
        #expect(!answerText.contains("bob-carrier") && !answerText.contains("77001"), "\(answerText)")
        #expect(offer.origin.username == "-" && answer.origin.username == "-")
        #expect(offer.origin.address == "198.51.100.10" && answer.origin.address == "203.0.113.10")
        #expect(offer.origin.sessionID != answer.origin.sessionID, "each leg has its own session id")
        #expect(UInt64(offer.origin.sessionID) != nil && UInt64(answer.origin.sessionID) != nil)
    }

    /// RFC 3264 §8: the same description again (the caller's own version bumped, or only its ICE lines changed)
    /// keeps the leg's version; a change (hold) takes it one higher; the session id never changes.
    @Test func theVersionFollowsWhatTheLegSees() throws {
        var call = Call()
        let first = try call.send(Self.callerOffer, from: .inbound, .offer)
        _ = try call.send(Self.calleeAnswer, from: .outbound, .answer)
        let same = try call.send(Self.callerOffer, from: .inbound, .offer) { description in
            description.origin.incrementVersion()
            description.attributes.iceUfrag = "F7gI"
        }
        #expect(same.origin == first.origin, "nothing the callee sees changed")
        let hold = try call.send(Self.callerOffer, from: .inbound, .offer) { description in
            description.media[0].attributes.direction = .sendonly
        }
        var expected = first.origin
        expected.incrementVersion()
        #expect(hold.origin == expected)
        let resume = try call.send(Self.callerOffer, from: .inbound, .offer)
        expected.incrementVersion()
        #expect(resume.origin == expected)
    }

    /// A 2xx repeating the 183's answer carries the same `o=` toward the caller (RFC 3262 §5); the callee's leg
    /// keeps its own version, unmoved by what the caller's leg sees.
    @Test func eachLegCountsItsOwnVersions() throws {
        var call = Call()
        let offer = try call.send(Self.callerOffer, from: .inbound, .offer)
        let early = try call.send(Self.calleeAnswer, from: .outbound, .answer)
        let final = try call.send(Self.calleeAnswer, from: .outbound, .answer)
        #expect(final.origin == early.origin)
        let moved = try call.send(Self.calleeAnswer, from: .outbound, .offer) { description in
            description.media[0].port = 6100
            description.media[0].formats = ["0"]
        }
        var expected = early.origin
        expected.incrementVersion()
        #expect(moved.origin == expected, "the codec list toward the caller changed")
        let answerToCallee = try call.send(Self.callerOffer, from: .inbound, .answer) { description in
            description.media[0].formats = ["0"]
        }
        expected = offer.origin
        expected.incrementVersion()
        #expect(answerToCallee.origin == expected)
    }

    /// The answer to Gatehouse's own refresh goes nowhere, so it does not count: the next description the other
    /// leg sees is versioned against the last one it really got.
    @Test func aDescriptionThatIsNotForwardedDoesNotCount() throws {
        var call = Call()
        let offer = try call.send(Self.callerOffer, from: .inbound, .offer)
        _ = try call.send(Self.calleeAnswer, from: .outbound, .answer)
        _ = try call.send(Self.callerOffer, from: .inbound, .answer, forwarded: false) { description in
            description.media[0].attributes.direction = .recvonly
        }
        let again = try call.send(Self.callerOffer, from: .inbound, .offer)
        #expect(again.origin == offer.origin, "the callee never saw the refresh's answer")
    }
}
