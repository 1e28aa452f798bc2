import Testing

@testable import SDP

@Suite struct ParsingTests {
    @Test func sdesOfferSessionLevel() throws {
        let sdp = try SessionDescription(parsing: Fixtures.sdesOffer)
        #expect(sdp.version == 0)
        #expect(
            sdp.origin
                == Origin(
                    username: "alice", sessionID: "2890844526", sessionVersion: "2890844526", address: "198.51.100.10"))
        #expect(sdp.sessionName == "-")
        #expect(sdp.information == "A call with audio and video")
        #expect(sdp.connection == Connection(address: "198.51.100.10"))
        #expect(sdp.bandwidths == [Bandwidth(type: "AS", value: 512)])
        #expect(sdp.timings == [Timing(start: 0, stop: 0)])
        #expect(sdp.attributes.direction == .sendrecv)
        #expect(sdp.media.count == 2)
    }

    @Test func sdesOfferAudio() throws {
        let audio = try SessionDescription(parsing: Fixtures.sdesOffer).media[0]
        #expect(audio.type == .audio)
        #expect(audio.port == 49170)
        #expect(audio.portCount == nil)
        #expect(audio.proto == .rtpSAVP)
        #expect(audio.proto.isRTP && audio.proto.isSecureRTP && !audio.proto.usesDTLS)
        #expect(audio.formats == ["0", "8", "96", "101"])
        #expect(audio.payloadTypes == [0, 8, 96, 101])
        #expect(audio.bandwidths == [Bandwidth(type: "TIAS", value: 64000)])
        #expect(audio.rtpmap(for: 96) == RTPMap(payloadType: 96, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(audio.rtpmap(for: 0)?.encodingName == "PCMU")
        #expect(audio.rtpmap(for: 9) == nil)
        #expect(audio.fmtp(for: 96)?.parameters == "minptime=10;useinbandfec=1")
        #expect(audio.fmtp(for: 96)?["useinbandfec"] == "1")
        #expect(
            audio.fmtp(for: 101)?.parameterList == [FormatParameters.Parameter(name: "0-16")])
        #expect(audio.attributes.ptime == 20)
        #expect(audio.attributes.maxptime == 40)
        #expect(audio.attributes.rtcp == RTCPAttribute(port: 49171))
        #expect(audio.attributes.direction == nil)
        #expect(audio.attributes.rtpmaps.count == 4)
    }

    @Test func sdesCrypto() throws {
        let sdp = try SessionDescription(parsing: Fixtures.sdesOffer)
        let crypto = sdp.media[0].attributes.crypto
        #expect(crypto.map(\.tag) == [1, 2, 3])
        #expect(crypto.map(\.suite) == [.aesCM128HMACSHA1Tag80, .aesCM128HMACSHA1Tag32, .aeadAES128GCM])

        let first = try #require(crypto.first?.keyParameters.first)
        #expect(first.method == "inline")
        #expect(first.keySalt == "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz")
        #expect(first.keySaltBytes?.count == CryptoSuite.aesCM128HMACSHA1Tag80.keySaltLength)
        #expect(first.lifetime == "2^20")
        #expect(first.lifetimePackets == 1 << 20)
        #expect(first.mki == CryptoAttribute.MKI(value: 1, length: 32))

        #expect(crypto[1].keyParameters[0].lifetime == "2^20")
        #expect(crypto[1].keyParameters[0].mki == nil)
        #expect(crypto[1].keyParameters[0].keySaltBytes == Array(100..<130))

        #expect(crypto[2].keyParameters[0].keySaltBytes == Array(0..<28))
        #expect(crypto[2].keyParameters[0].keySaltBytes?.count == CryptoSuite.aeadAES128GCM.keySaltLength)
        #expect(crypto[2].sessionParameters.isEmpty)

        let video = sdp.media[1].attributes.crypto
        #expect(video.count == 1)
        #expect(video[0].sessionParameters == ["UNENCRYPTED_SRTCP", "KDR=23"])
    }

    @Test func webRTCOffer() throws {
        let sdp = try SessionDescription(parsing: Fixtures.webRTCOffer)
        #expect(sdp.groups == [MediaGroup(semantics: "BUNDLE", identifiers: ["0", "1", "2"])])
        #expect(sdp.media.map(\.mid) == ["0", "1", "2"])

        let audio = sdp.media[0]
        #expect(audio.proto == .udpTLSRTPSAVPF)
        #expect(audio.proto.usesDTLS && audio.proto.isSecureRTP && audio.proto.hasFeedback)
        #expect(audio.attributes.iceUfrag == "4ZcD")
        #expect(audio.attributes.icePwd == "2/1muCWoOi3uLifh0NuRHlvW")
        #expect(audio.attributes.iceOptions == ["trickle", "renomination"])
        #expect(audio.attributes.endOfCandidates)
        #expect(audio.attributes.rtcpMux)
        #expect(!audio.attributes.rtcpReducedSize)
        #expect(audio.attributes.setup == .actpass)
        #expect(
            audio.attributes.rtcp
                == RTCPAttribute(port: 9, connection: Connection(address: "0.0.0.0")))

        let fingerprint = try #require(audio.attributes.fingerprints.first)
        #expect(fingerprint.hashFunction == "sha-256")
        #expect(fingerprint.digest?.count == 32)
        #expect(Fingerprint(hashFunction: "sha-256", digest: fingerprint.digest ?? []) == fingerprint)

        let candidates = audio.attributes.candidates
        #expect(candidates.count == 4)
        #expect(
            candidates[0]
                == ICECandidate(
                    foundation: "1467250027", component: 1, transport: "udp", priority: 2_122_260_223,
                    address: "192.168.0.196", port: 46243, type: .host,
                    extensions: [.init(name: "generation", value: "0")]))
        #expect(candidates[1].type == .serverReflexive)
        #expect(candidates[1].relatedAddress == "192.168.0.196")
        #expect(candidates[1].relatedPort == 46243)
        #expect(candidates[1].extensions.map(\.name) == ["generation", "network-id"])
        #expect(candidates[2].transport == "tcp")
        #expect(candidates[2].extensions.first == .init(name: "tcptype", value: "active"))
        #expect(candidates[3].type == .relayed)
        #expect(candidates[3].address == "2001:db8::7")

        #expect(sdp.effectiveDirection(of: sdp.media[0]) == .sendrecv)
        #expect(sdp.effectiveDirection(of: sdp.media[1]) == .recvonly)
        #expect(sdp.media[1].attributes.rtcpReducedSize)
        #expect(sdp.media[2].type == .application)
        #expect(sdp.media[2].proto == .udpDTLSSCTP)
        #expect(!sdp.media[2].proto.isRTP)
        #expect(sdp.media[2].payloadTypes.isEmpty)
        #expect(sdp.media[2].formats == ["webrtc-datachannel"])
    }

    @Test func ipv6AndHold() throws {
        let sdp = try SessionDescription(parsing: Fixtures.ipv6Hold)
        #expect(sdp.origin.addressType == .ip6)
        #expect(sdp.origin.address == "2001:db8::1")
        #expect(sdp.sessionName == " ")
        #expect(sdp.connection == Connection(addressType: .ip6, address: "2001:db8::1"))

        // Media-level direction overrides the session-level recvonly; with none, the session's applies.
        #expect(sdp.effectiveDirection(of: sdp.media[0]) == .sendonly)
        #expect(sdp.isOnHold(sdp.media[0]))
        #expect(sdp.effectiveConnections(of: sdp.media[0]) == [Connection(addressType: .ip6, address: "2001:db8::1")])

        #expect(sdp.effectiveDirection(of: sdp.media[1]) == .sendrecv)
        #expect(sdp.media[1].connections == [Connection(address: "0.0.0.0")])
        #expect(sdp.isOnHold(sdp.media[1]))

        #expect(sdp.media[2].isRejected)
        #expect(sdp.effectiveDirection(of: sdp.media[2]) == .recvonly)
        #expect(!sdp.isOnHold(sdp.media[2]))

        #expect(
            sdp.media[3].connections == [
                Connection(addressType: .ip6, address: "ff15::101", addressCount: 3),
                Connection(address: "224.2.1.1", ttl: 127, addressCount: 3),
            ])
    }

    @Test func everyOptionalLine() throws {
        let sdp = try SessionDescription(parsing: Fixtures.everything)
        #expect(sdp.uri == "http://example.com/seminar")
        #expect(sdp.emails == ["carol@example.com (Carol)", "dave@example.com"])
        #expect(sdp.phones == ["+1 617 555-6011"])
        #expect(sdp.connection == Connection(address: "224.2.17.12", ttl: 127))
        #expect(
            sdp.timings == [
                Timing(start: 2_873_397_496, stop: 2_873_404_696, repeats: ["7d 1h 0 25h"]),
                Timing(start: 3_034_423_619, stop: 3_042_462_419, repeats: ["604800 3600 0 90000", "1d 1h 0"]),
            ])
        #expect(sdp.timeZones == "2882844526 -1h 2898848070 0")
        #expect(sdp.encryptionKey == "prompt")
        #expect(sdp.attributes.map(\.name) == ["recvonly", "x-unknown", "flag", "empty"])
        #expect(sdp.attributes.value(named: "x-unknown") == "kept as is")
        #expect(sdp.attributes.first(named: "flag") == SDPAttribute("flag"))
        #expect(sdp.attributes.first(named: "empty") == SDPAttribute("empty", value: ""))
        #expect(sdp.media[0].port == 49170)
        #expect(sdp.media[0].portCount == 2)
        #expect(sdp.media[0].information == "media title")
        #expect(sdp.media[0].encryptionKey == "clear:secret")
        #expect(sdp.media[1].type == .text)
    }

    @Test func unknownLinesAreAnchored() throws {
        let sdp = try SessionDescription(parsing: Fixtures.everything)
        #expect(
            sdp.unknownLines == [
                UnknownLine(type: "x", value: "directly after o", anchor: .init(type: "o", occurrence: 1)),
                UnknownLine(type: "y", value: "between r and t", anchor: .init(type: "r", occurrence: 1)),
                UnknownLine(type: "Q", value: "between attributes", anchor: .init(type: "a", occurrence: 1)),
            ])
        #expect(
            sdp.media[0].unknownLines == [
                UnknownLine(type: "w", value: "first in media", anchor: .init(type: "m", occurrence: 1))
            ])
        // Session-only types inside a media section are relayed as unknown lines too.
        #expect(
            sdp.media[1].unknownLines == [
                UnknownLine(type: "z", value: "unknown in media", anchor: .init(type: "a", occurrence: 1))
            ])
    }

    @Test func bareLineFeeds() throws {
        let lf = Fixtures.sdesOffer.replacing("\r\n", with: "\n")
        let sdp = try SessionDescription(parsing: lf)
        #expect(sdp == (try SessionDescription(parsing: Fixtures.sdesOffer)))
        #expect(sdp.serialized() == Fixtures.sdesOffer)
    }

    @Test func mixedLineEndingsAndMissingFinalNewline() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\ns=-\r\nt=0 0\nm=audio 4000 RTP/AVP 0"
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.media.first?.formats == ["0"])
    }

    @Test func trailingEmptyLinesAreAccepted() throws {
        let sdp = try SessionDescription(parsing: Fixtures.sdesOffer + "\r\n\r\n")
        #expect(sdp.serialized() == Fixtures.sdesOffer)
    }

    @Test func outOfOrderLinesAreAcceptedAndReordered() throws {
        let text = Fixtures.crlf([
            "v=0", "s=-", "o=- 1 1 IN IP4 192.0.2.1", "a=tool:x", "t=0 0", "c=IN IP4 192.0.2.1",
            "m=audio 4000 RTP/AVP 0", "a=ptime:20", "c=IN IP4 192.0.2.2",
        ])
        let sdp = try SessionDescription(parsing: text)
        #expect(
            sdp.serialized()
                == Fixtures.crlf([
                    "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0", "a=tool:x",
                    "m=audio 4000 RTP/AVP 0", "c=IN IP4 192.0.2.2", "a=ptime:20",
                ]))
    }

    @Test func missingTimingIsTolerated() throws {
        let sdp = try SessionDescription(parsing: "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n")
        #expect(sdp.timings.isEmpty)
        #expect(sdp.media.isEmpty)
    }

    @Test func parsesFromByteCollections() throws {
        let bytes = Array(Fixtures.webRTCOffer.utf8)
        let fromArray = try SessionDescription(parsing: bytes)
        let fromSlice = try SessionDescription(parsing: bytes[...])
        let fromString = try SessionDescription(parsing: Fixtures.webRTCOffer)
        #expect(fromArray == fromString)
        #expect(fromSlice == fromString)
    }
}
