import Testing

@testable import SDP

/// The edits a media anchor makes, and that everything else survives them.
@Suite struct EditingTests {
    @Test func anchorAnSDESOffer() throws {
        var sdp = try SessionDescription(parsing: Fixtures.sdesOffer)
        sdp.origin.incrementVersion()
        sdp.origin.address = "203.0.113.1"
        sdp.connection?.address = "203.0.113.1"
        sdp.media[0].connections = []
        sdp.media[0].port = 30000
        sdp.media[0].attributes.rtcp = RTCPAttribute(port: 30001)
        sdp.media[0].retainPayloadTypes([0, 101])
        sdp.media[0].attributes.crypto = [
            CryptoAttribute(tag: 1, suite: .aesCM128HMACSHA1Tag80, keySalt: Array(0..<30))
        ]
        sdp.media[1].port = 0

        let expected = Fixtures.crlf([
            "v=0",
            "o=alice 2890844526 2890844527 IN IP4 203.0.113.1",
            "s=-",
            "i=A call with audio and video",
            "c=IN IP4 203.0.113.1",
            "b=AS:512",
            "t=0 0",
            "a=sendrecv",
            "m=audio 30000 RTP/SAVP 0 101",
            "b=TIAS:64000",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            "a=maxptime:40",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
            "a=rtcp:30001",
            "m=video 0 RTP/SAVP 97 98",
            "b=AS:384",
            "a=rtpmap:97 H264/90000",
            "a=fmtp:97 profile-level-id=42e01f;packetization-mode=1",
            "a=rtpmap:98 VP8/90000",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz UNENCRYPTED_SRTCP KDR=23",
            "a=sendonly",
        ])
        #expect(sdp.serialized() == expected)
        #expect(try SessionDescription(parsing: expected) == sdp)
    }

    @Test func replaceKeysInPlace() throws {
        var sdp = try SessionDescription(parsing: Fixtures.sdesOffer)
        var crypto = sdp.media[0].attributes.crypto
        for index in crypto.indices {
            let length = crypto[index].suite.keySaltLength ?? 30
            crypto[index].keyParameters[0].keySalt = Base64.encode(Array(repeating: UInt8(index), count: length))
        }
        sdp.media[0].attributes.crypto = crypto
        let lines = sdp.media[0].attributes.all(named: "crypto").compactMap(\.value)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("1 AES_CM_128_HMAC_SHA1_80 inline:AAAAAAAA"))
        #expect(lines[0].hasSuffix("|2^20|1:32"))
        #expect(sdp.media[0].attributes.crypto.map { $0.keyParameters[0].keySaltBytes?.count } == [30, 30, 28])
        // The crypto lines stay between maxptime and rtcp.
        let names = sdp.media[0].attributes.map(\.name)
        #expect(names.firstIndex(of: "crypto") == names.firstIndex(of: "maxptime")! + 1)
        #expect(names.last == "rtcp")
    }

    @Test func stripICEAndReplaceDTLS() throws {
        var sdp = try SessionDescription(parsing: Fixtures.webRTCOffer)
        sdp.removeICEAttributes()
        for index in sdp.media.indices {
            sdp.media[index].attributes.fingerprints = [
                Fingerprint(hashFunction: "sha-256", digest: Array(repeating: 0xAB, count: 32))
            ]
            sdp.media[index].attributes.setup = .passive
        }
        for media in sdp.media {
            #expect(media.attributes.candidates.isEmpty)
            #expect(media.attributes.iceUfrag == nil)
            #expect(media.attributes.icePwd == nil)
            #expect(media.attributes.iceOptions.isEmpty)
            #expect(!media.attributes.endOfCandidates)
            #expect(media.attributes.setup == .passive)
            #expect(media.attributes.fingerprints.first?.value.hasPrefix("AB:AB:") == true)
        }
        // Unrelated attributes keep their order.
        #expect(
            sdp.media[0].attributes.map(\.name) == [
                "rtcp", "fingerprint", "setup", "mid", "extmap", "sendrecv", "msid", "rtcp-mux", "rtpmap",
                "rtcp-fb", "fmtp", "rtpmap", "ssrc",
            ])
        #expect(try SessionDescription(parsing: sdp.serialized()) == sdp)
    }

    @Test func filterPayloadTypesRemovesTheirAttributes() throws {
        var video = try SessionDescription(parsing: Fixtures.webRTCOffer).media[1]
        video.removeFormats { $0 == "96" || $0 == "97" }
        #expect(video.formats == ["98"])
        #expect(video.attributes.rtpmaps.map(\.payloadType) == [98])
        #expect(
            video.attributes.all(named: "rtcp-fb").compactMap(\.value) == ["* ccm fir", "98 goog-remb"])
        #expect(video.attributes.formatParameters.map(\.format) == ["98"])
        video.retainPayloadTypes([])
        #expect(video.formats.isEmpty)
        #expect(video.attributes.rtpmaps.isEmpty)
    }

    @Test func setRTPMapAndFormatParametersInPlace() throws {
        var audio = try SessionDescription(parsing: Fixtures.sdesOffer).media[0]
        audio.attributes.setRTPMap(RTPMap(payloadType: 96, encodingName: "opus", clockRate: 48000, channels: 1))
        audio.attributes.setFormatParameters(FormatParameters(format: "96", parameters: "stereo=0"))
        audio.attributes.setRTPMap(RTPMap(payloadType: 13, encodingName: "CN", clockRate: 8000))
        let values = audio.attributes.compactMap { $0.name == "rtpmap" || $0.name == "fmtp" ? $0.description : nil }
        #expect(
            values == [
                "rtpmap:0 PCMU/8000", "rtpmap:8 PCMA/8000", "rtpmap:96 opus/48000/1", "fmtp:96 stereo=0",
                "rtpmap:101 telephone-event/8000", "fmtp:101 0-16", "rtpmap:13 CN/8000",
            ])
    }

    @Test func setDirection() throws {
        var sdp = try SessionDescription(parsing: Fixtures.sdesOffer)
        sdp.media[1].attributes.direction = .inactive
        #expect(sdp.media[1].attributes.last == SDPAttribute("inactive"))
        sdp.media[0].attributes.direction = .sendonly
        #expect(sdp.media[0].attributes.last == SDPAttribute("sendonly"))
        #expect(sdp.effectiveDirection(of: sdp.media[0]) == .sendonly)
        sdp.attributes.direction = nil
        sdp.media[0].attributes.direction = nil
        #expect(sdp.effectiveDirection(of: sdp.media[0]) == .sendrecv)

        // Two directions collapse to one, at the first one's place.
        var attributes: SDPAttributes = [SDPAttribute("recvonly"), SDPAttribute("x"), SDPAttribute("sendonly")]
        attributes.direction = .sendrecv
        #expect(attributes == [SDPAttribute("sendrecv"), SDPAttribute("x")])
        #expect(Direction.sendonly.reversed == .recvonly)
        #expect(Direction.inactive.reversed == .inactive)
        #expect(Direction.recvonly.receives && !Direction.recvonly.sends)
    }

    @Test func attributeListEdits() {
        var attributes: SDPAttributes = [
            SDPAttribute("a", value: "1"), SDPAttribute("b"), SDPAttribute("a", value: "2"), SDPAttribute("c"),
        ]
        attributes.set("a", value: "3")
        #expect(attributes == [SDPAttribute("a", value: "3"), SDPAttribute("b"), SDPAttribute("c")])
        attributes.replaceAll(named: "b", with: ["x", nil])
        #expect(
            attributes == [
                SDPAttribute("a", value: "3"), SDPAttribute("b", value: "x"), SDPAttribute("b"), SDPAttribute("c"),
            ])
        attributes.set("d", value: nil)
        #expect(attributes.last == SDPAttribute("d"))
        attributes.removeAll(named: ["b", "d"])
        #expect(attributes.map(\.name) == ["a", "c"])
        attributes.rtcpMux = true
        attributes.rtcpMux = true
        #expect(attributes.all(named: "rtcp-mux").count == 1)
        attributes.rtcpMux = false
        #expect(!attributes.contains(named: "rtcp-mux"))
        attributes.ptime = 30
        #expect(attributes.value(named: "ptime") == "30")
        attributes.ptime = nil
        attributes.mid = "audio"
        attributes.iceUfrag = "u"
        attributes.iceOptions = ["trickle"]
        attributes.iceLite = true
        #expect(
            attributes.map(\.description) == [
                "a:3", "c", "mid:audio", "ice-ufrag:u", "ice-options:trickle", "ice-lite",
            ])
        attributes.removeICEAttributes()
        #expect(attributes.map(\.name) == ["a", "c", "mid"])
        attributes.append(RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000))
        attributes.set(SetupRole.active)
        #expect(attributes.suffix(2).map(\.description) == ["rtpmap:0 PCMU/8000", "setup:active"])
        attributes.setup = nil
        attributes.rtcp = nil
        #expect(attributes.map(\.name) == ["a", "c", "mid", "rtpmap"])
    }

    @Test func incrementVersion() {
        var origin = Origin(sessionID: "1", sessionVersion: "9", address: "192.0.2.1")
        origin.incrementVersion()
        #expect(origin.sessionVersion == "10")
        origin.sessionVersion = "18446744073709551615999"
        origin.incrementVersion()
        #expect(origin.sessionVersion == "18446744073709551616000")
        origin.sessionVersion = "0199"
        origin.incrementVersion()
        #expect(origin.sessionVersion == "0200")
    }

    @Test func buildFromScratch() throws {
        let sdp = SessionDescription(
            origin: Origin(sessionID: "42", sessionVersion: "1", address: "192.0.2.1"),
            connection: Connection(address: "192.0.2.1"),
            media: [
                MediaDescription(
                    type: .audio, port: 4000, proto: .rtpAVP, formats: ["0", "101"],
                    attributes: [
                        SDPAttribute(RTPMap(payloadType: 101, encodingName: "telephone-event", clockRate: 8000)),
                        SDPAttribute(FormatParameters(format: "101", parameterList: [.init(name: "0-15")])),
                        SDPAttribute("ptime", value: "20"),
                        SDPAttribute(Direction.sendrecv.rawValue),
                    ])
            ])
        let text = Fixtures.crlf([
            "v=0", "o=- 42 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0", "m=audio 4000 RTP/AVP 0 101",
            "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15", "a=ptime:20", "a=sendrecv",
        ])
        #expect(sdp.serialized() == text)
        #expect(try SessionDescription(parsing: text) == sdp)
    }
}
