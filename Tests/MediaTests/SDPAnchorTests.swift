import Media
import SDP
import Testing

/// SDP offer/answer rewriting for an anchored call: golden transcripts in, rewritten SDP and stream signals out.
@Suite struct SDPAnchorTests {
    static let offer = """
        v=0\r
        o=alice 2890844526 2890844527 IN IP4 192.0.2.1\r
        s=-\r
        c=IN IP4 192.0.2.1\r
        t=0 0\r
        a=ice-ufrag:F7gI\r
        a=ice-pwd:x9cml/YzichV2+XlhiMu8g\r
        m=audio 49170 RTP/AVP 0 8 101\r
        a=rtpmap:0 PCMU/8000\r
        a=rtpmap:8 PCMA/8000\r
        a=rtpmap:101 telephone-event/8000\r
        a=fmtp:101 0-15\r
        a=rtcp:49171\r
        a=candidate:1 1 UDP 2130706431 192.0.2.1 49170 typ host\r
        a=candidate:2 1 UDP 1694498815 203.0.113.77 5000 typ srflx raddr 192.0.2.1 rport 49170\r
        a=end-of-candidates\r
        a=sendrecv\r
        m=video 0 RTP/AVP 96\r
        a=rtpmap:96 H264/90000\r
        m=image 49180 udptl t38\r

        """

    /// The offer as the callee's leg sees it: Gatehouse's interconnect address and ports and its own `o=` (its
    /// session id for the leg, here `SESSION`, as the first version), no ICE, codecs intact.
    static let rewrittenOffer = """
        v=0\r
        o=- SESSION SESSION IN IP4 198.51.100.10\r
        s=-\r
        c=IN IP4 198.51.100.10\r
        t=0 0\r
        m=audio 30000 RTP/AVP 0 8 101\r
        a=rtpmap:0 PCMU/8000\r
        a=rtpmap:8 PCMA/8000\r
        a=rtpmap:101 telephone-event/8000\r
        a=fmtp:101 0-15\r
        a=rtcp:30001\r
        a=sendrecv\r
        m=video 0 RTP/AVP 96\r
        a=rtpmap:96 H264/90000\r
        m=image 0 udptl t38\r

        """

    /// Ports handed out in turn per leg, from 20000 (inbound) and 30000 (outbound).
    struct Pools {
        var next: [MediaLeg: UInt16] = [.inbound: 20_000, .outbound: 30_000]
        var exhausted: Set<MediaLeg> = []

        mutating func allocate(_ leg: MediaLeg) -> UInt16? {
            guard !exhausted.contains(leg), let port = next[leg] else { return nil }
            next[leg] = port + 2
            return port
        }
    }

    @Test func anOfferFromTheCallerIsAnchoredOnTheCalleesRealm() throws {
        var anchor = SDPAnchor(inbound: "203.0.113.10", outbound: "198.51.100.10")
        var pools = Pools()
        let (rewritten, signals) = try anchor.rewrite(
            SessionDescription(parsing: Self.offer), from: .inbound, role: .offer, allocate: { pools.allocate($0) })
        let sessionID = rewritten.origin.sessionID
        #expect(rewritten.serialized() == Self.rewrittenOffer.replacing("SESSION", with: sessionID))
        #expect(signals.count == 3)
        let audio = signals[0]
        #expect(audio.leg == .inbound)
        #expect(audio.rtp == StreamSignal.HostPort(host: "192.0.2.1", port: 49_170))
        #expect(audio.rtcp == StreamSignal.HostPort(host: "192.0.2.1", port: 49_171))
        #expect(audio.localPorts == [.inbound: 20_000, .outbound: 30_000])
        #expect(audio.expectsMedia)
        #expect(signals[1].rtp == nil && signals[1].localPorts.isEmpty, "the disabled video needs no ports")
        #expect(signals[2].rtp == nil, "T.38 over UDPTL is not relayed")
        #expect(anchor.allocatedPorts.count == 2)
    }

    @Test func theAnswerFromTheCalleeIsAnchoredOnTheCallersRealm() throws {
        var anchor = SDPAnchor(inbound: "203.0.113.10", outbound: "198.51.100.10")
        var pools = Pools()
        _ = try anchor.rewrite(SessionDescription(parsing: Self.offer), from: .inbound, role: .offer) {
            pools.allocate($0)
        }
        let answer = """
            v=0\r
            o=bob 1 1 IN IP4 198.51.100.7\r
            s=-\r
            t=0 0\r
            m=audio 6000 RTP/AVP 8 101\r
            c=IN IP4 198.51.100.7\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=rtcp-mux\r
            m=video 0 RTP/AVP 96\r
            m=image 0 udptl t38\r

            """
        let (rewritten, signals) = try anchor.rewrite(
            SessionDescription(parsing: answer), from: .outbound, role: .answer
        ) {
            pools.allocate($0)
        }
        let text = rewritten.serialized()
        #expect(
            text.contains("o=- \(rewritten.origin.sessionID) \(rewritten.origin.sessionID) IN IP4 203.0.113.10\r\n"))
        #expect(!text.contains("bob"), "the callee's o= username stays on its side")
        #expect(text.contains("m=audio 20000 RTP/AVP 8 101\r\nc=IN IP4 203.0.113.10\r\n"))
        #expect(text.contains("a=rtcp-mux"))
        #expect(!text.contains("198.51.100"), "nothing of the callee's side leaks: \(text)")
        #expect(signals[0].rtp == StreamSignal.HostPort(host: "198.51.100.7", port: 6000))
        #expect(signals[0].rtcpMux)
        #expect(signals[0].localPorts == [.inbound: 20_000, .outbound: 30_000], "the answer reuses the offer's ports")
        #expect(pools.next[.inbound] == 20_002, "no new ports for a known stream")
    }

    /// Hold (RFC 3264 §8.4) passes through, both as `a=sendonly` and as the old `c=0.0.0.0`; a moved endpoint keeps
    /// its stream's ports.
    @Test func holdAndMovesKeepTheStream() throws {
        var anchor = SDPAnchor(inbound: "203.0.113.10", outbound: "198.51.100.10")
        var pools = Pools()
        _ = try anchor.rewrite(SessionDescription(parsing: Self.offer), from: .inbound, role: .offer) {
            pools.allocate($0)
        }
        var hold = try SessionDescription(parsing: Self.offer)
        hold.media[0].attributes.direction = .sendonly
        hold.media[0].port = 49_200
        let (held, heldSignals) = try anchor.rewrite(hold, from: .inbound, role: .offer) { pools.allocate($0) }
        #expect(held.media[0].attributes.direction == .sendonly)
        #expect(held.media[0].port == 30_000)
        #expect(heldSignals[0].rtp?.port == 49_200)
        #expect(!heldSignals[0].expectsMedia)

        var oldHold = try SessionDescription(parsing: Self.offer)
        oldHold.connection = Connection(address: "0.0.0.0")
        let (oldHeld, oldSignals) = try anchor.rewrite(oldHold, from: .inbound, role: .offer) { pools.allocate($0) }
        #expect(oldHeld.connection?.address == "0.0.0.0")
        #expect(oldSignals[0].rtp == nil)
        #expect(pools.next[.outbound] == 30_002)
    }

    @Test func exhaustedPortsRefuseTheCallAndKeepWhatWasTaken() throws {
        var anchor = SDPAnchor(inbound: "203.0.113.10", outbound: "198.51.100.10")
        var pools = Pools()
        pools.exhausted = [.outbound]
        let offer = try SessionDescription(parsing: Self.offer)
        let error = #expect(throws: MediaAnchorError.self) {
            _ = try anchor.rewrite(offer, from: .inbound, role: .offer) { pools.allocate($0) }
        }
        #expect(error?.code == .portsExhausted)
        #expect(error?.status == 503)
        #expect(anchor.allocatedPorts.map(\.port) == [20_000], "the port taken stays to be released")
        // Trying again takes only what is missing.
        pools.exhausted = []
        let (rewritten, _) = try anchor.rewrite(offer, from: .inbound, role: .offer) { pools.allocate($0) }
        #expect(rewritten.media[0].port == 30_000)
        #expect(pools.next[.inbound] == 20_002)
    }

    @Test func anIPv6RealmWritesIP6() throws {
        var anchor = SDPAnchor(inbound: "2001:db8::1", outbound: "2001:db8::2")
        var pools = Pools()
        let (rewritten, _) = try anchor.rewrite(SessionDescription(parsing: Self.offer), from: .inbound, role: .offer) {
            pools.allocate($0)
        }
        #expect(rewritten.connection == Connection(addressType: .ip6, address: "2001:db8::2"))
        #expect(rewritten.origin.addressType == .ip6)
    }
}

/// Codec filtering per peer: an offer is trimmed to what both legs allow, an answer checked.
@Suite struct CodecFilteringTests {
    @Test func theOfferIsTrimmedToWhatBothLegsAllow() throws {
        var anchor = SDPAnchor(
            inbound: "203.0.113.10", outbound: "198.51.100.10",
            allowedCodecs: [.outbound: ["PCMA", "TELEPHONE-EVENT"]])
        var pools = SDPAnchorTests.Pools()
        let (rewritten, signals) = try anchor.rewrite(
            SessionDescription(parsing: SDPAnchorTests.offer), from: .inbound, role: .offer
        ) { pools.allocate($0) }
        #expect(rewritten.media[0].formats == ["8", "101"])
        #expect(rewritten.media[0].rtpmap(for: 0) == nil, "PCMU's rtpmap went with it")
        #expect(rewritten.media[0].fmtp(for: 101) != nil)
        #expect(signals[0].clockRate == 8000)
    }

    @Test func aStreamWithNothingLeftIsDisabledAndAnAnswerWithNothingIsRefused() throws {
        var anchor = SDPAnchor(inbound: "203.0.113.10", outbound: "198.51.100.10", allowedCodecs: [.inbound: ["G729"]])
        var pools = SDPAnchorTests.Pools()
        let offer = try SessionDescription(parsing: SDPAnchorTests.offer)
        let error = #expect(throws: MediaAnchorError.self) {
            _ = try anchor.rewrite(offer, from: .outbound, role: .offer) { pools.allocate($0) }
        }
        #expect(error?.code == .noAcceptableCodec)
        #expect(error?.status == 488)

        var audioAndVideo = offer
        audioAndVideo.media[1].port = 5000
        anchor.allowedCodecs = [.inbound: ["H264"]]
        let (rewritten, _) = try anchor.rewrite(audioAndVideo, from: .outbound, role: .offer) { pools.allocate($0) }
        #expect(rewritten.media[0].port == 0, "no audio codec is allowed: the audio stream is disabled")
        #expect(rewritten.media[1].port != 0)
    }
}
