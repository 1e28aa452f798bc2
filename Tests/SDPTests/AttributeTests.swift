import Testing

@testable import SDP

/// Typed attribute views on their own: the edge cases of each grammar.
@Suite struct AttributeTests {
    @Test func rtpmap() {
        #expect(RTPMap(attributeValue: "0 PCMU/8000") == RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000))
        #expect(RTPMap(attributeValue: "111 opus/48000/2")?.channels == 2)
        #expect(RTPMap(attributeValue: " 96  H264/90000 ")?.encodingName == "H264")
        #expect(RTPMap(attributeValue: "128 X/8000") == nil)
        #expect(RTPMap(attributeValue: "96 H264") == nil)
        #expect(RTPMap(attributeValue: "96 /8000") == nil)
        #expect(RTPMap(attributeValue: "96 X/8000/2/3") == nil)
        #expect(RTPMap(attributeValue: "96 X/99999999999") == nil)
        #expect(RTPMap(attributeValue: "96 X/8000 extra") == nil)
    }

    @Test func fmtp() {
        let fmtp = FormatParameters(attributeValue: "97 profile-level-id=42e01f; packetization-mode=1;;flag")
        #expect(fmtp?.format == "97")
        #expect(fmtp?.payloadType == 97)
        #expect(
            fmtp?.parameterList == [
                .init(name: "profile-level-id", value: "42e01f"), .init(name: "packetization-mode", value: "1"),
                .init(name: "flag"),
            ])
        #expect(fmtp?["PACKETIZATION-MODE"] == "1")
        #expect(fmtp?["missing"] == nil)
        #expect(FormatParameters(attributeValue: "t38")?.parameters == "")
        #expect(FormatParameters(attributeValue: "   ") == nil)
        #expect(FormatParameters(attributeValue: "x y")?.payloadType == nil)
    }

    @Test func cryptoKeyParameters() throws {
        let crypto = try #require(
            CryptoAttribute(
                attributeValue:
                    "7 AES_256_CM_HMAC_SHA1_80 inline:AAAA|1000;inline:BBBB|2:1 WSH=64 FEC_ORDER=FEC_SRTP"))
        #expect(crypto.tag == 7)
        #expect(crypto.suite == .aes256CMHMACSHA1Tag80)
        #expect(crypto.suite.keySaltLength == 46)
        #expect(crypto.keyParameters.count == 2)
        #expect(crypto.keyParameters[0].lifetime == "1000")
        #expect(crypto.keyParameters[0].lifetimePackets == 1000)
        #expect(crypto.keyParameters[1].mki == CryptoAttribute.MKI(value: 2, length: 1))
        #expect(crypto.sessionParameters == ["WSH=64", "FEC_ORDER=FEC_SRTP"])
        #expect(
            crypto.attributeValue
                == "7 AES_256_CM_HMAC_SHA1_80 inline:AAAA|1000;inline:BBBB|2:1 WSH=64 FEC_ORDER=FEC_SRTP")

        // Another key method keeps its key-info whole.
        let other = try #require(CryptoAttribute(attributeValue: "1 SUITE method:a|b|c|d"))
        #expect(other.keyParameters == [.init(method: "method", keySalt: "a|b|c|d")])
        #expect(CryptoSuite(rawValue: "SUITE").keySaltLength == nil)

        for bad in [
            "1 AES_CM_128_HMAC_SHA1_80 inline:", "1 AES_CM_128_HMAC_SHA1_80 inline:AAAA|", "1 S inline:AAAA|x",
            "1 S inline:AAAA|2^", "1 S inline:AAAA|1|2|3", "1 S inline:AAAA|1:x", "1 S inline:AAAA|1:129",
            "1 S :AAAA", "1 S inline:AAAA;", "1 S inline:A", "1 S inline:AA=A",
        ] {
            #expect(CryptoAttribute(attributeValue: bad) == nil, "accepted \(bad)")
        }
        #expect(CryptoAttribute.KeyParameter(keySalt: "AAAA", lifetime: "2^64").lifetimePackets == nil)
    }

    @Test func base64MatchesRFC4648Vectors() {
        let vectors = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            if !plain.isEmpty {
                #expect(Base64.decode(encoded) == Array(plain.utf8))
            }
        }
        #expect(Base64.decode("Zm9vYg") == Array("foob".utf8))
        #expect(Base64.decode("Zm9vY") == nil)
        #expect(Base64.decode("Zm9v===") == nil)
        #expect(Base64.decode("Zm=v") == nil)
        #expect(Base64.decode("Zm9vYg=") == nil)
    }

    @Test func fingerprintAndSetup() {
        #expect(
            Fingerprint(attributeValue: "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB")?.digest?
                .count == 20)
        #expect(Fingerprint(attributeValue: "sha-256 ab:cd")?.digest == [0xAB, 0xCD])
        #expect(Fingerprint(attributeValue: "sha-256 ABC:D") == nil)
        #expect(Fingerprint(attributeValue: "sha-256 AB::CD") == nil)
        #expect(Fingerprint(hashFunction: "sha-1", digest: [0x00, 0x0F, 0xF0]).value == "00:0F:F0")
        #expect(SetupRole(attributeValue: "ACTPASS") == .actpass)
        #expect(SetupRole(attributeValue: " holdconn") == .holdconn)
        #expect(SetupRole(attributeValue: "") == nil)
    }

    @Test func rtcp() {
        #expect(
            RTCPAttribute(attributeValue: "53020 IN IP6 2001:db8::1")
                == RTCPAttribute(port: 53020, connection: Connection(addressType: .ip6, address: "2001:db8::1")))
        #expect(RTCPAttribute(attributeValue: "53020 IN IP4") == nil)
        #expect(RTCPAttribute(attributeValue: "") == nil)
    }

    @Test func iceCandidates() throws {
        let candidate = try #require(
            ICECandidate(attributeValue: "a+b/c 2 UDP 1 ::1 0 typ prflx rport 5 raddr 10.0.0.1 ufrag x"))
        #expect(candidate.foundation == "a+b/c")
        #expect(candidate.component == 2)
        #expect(candidate.type == .peerReflexive)
        #expect(candidate.relatedAddress == nil)
        #expect(candidate.relatedPort == 5)
        #expect(candidate.extensions == [.init(name: "raddr", value: "10.0.0.1"), .init(name: "ufrag", value: "x")])
        #expect(ICECandidate(attributeValue: candidate.attributeValue) == candidate)

        for bad in [
            "1 1 UDP 1 10.0.0.1 5000 host", "1 1 UDP 1 10.0.0.1 5000 typ", "1 x UDP 1 10.0.0.1 5000 typ host",
            "1 1 UDP 4294967296 10.0.0.1 5000 typ host", "1 1 UDP 1 10.0.0.1 65536 typ host",
            "1 1 UDP 1 10.0.0.1 5000 typ host generation", "1 1 UDP 1 10.0.0.1 5000 typ host rport x",
        ] {
            #expect(ICECandidate(attributeValue: bad) == nil, "accepted \(bad)")
        }

        let remote = RemoteCandidates(attributeValue: "1 192.0.2.3 45664 2 192.0.2.3 45665")
        #expect(remote?.candidates.count == 2)
        #expect(remote?.candidates.last == .init(component: 2, address: "192.0.2.3", port: 45665))
        #expect(RemoteCandidates(attributeValue: "1 192.0.2.3") == nil)
    }

    @Test func groupsAndMid() {
        #expect(MediaGroup(attributeValue: "LS 1 2") == MediaGroup(semantics: "LS", identifiers: ["1", "2"]))
        #expect(MediaGroup(attributeValue: "BUNDLE")?.identifiers == [])
        #expect(MediaGroup(attributeValue: "") == nil)
    }

    @Test func numericAttributes() {
        var attributes: SDPAttributes = [SDPAttribute("ptime", value: "20.5"), SDPAttribute("maxptime", value: " 60")]
        #expect(attributes.ptime == nil)
        #expect(attributes.maxptime == 60)
        attributes.maxptime = 120
        #expect(attributes.first(named: "maxptime")?.value == "120")
    }

    @Test func transportProtocols() {
        #expect(TransportProtocol.rtpAVP.isRTP && !TransportProtocol.rtpAVP.isSecureRTP)
        #expect(TransportProtocol(rawValue: "rtp/savpf").isSecureRTP)
        #expect(TransportProtocol.udptl.isRTP == false)
        #expect(TransportProtocol.udpTLSRTPSAVP.usesDTLS && !TransportProtocol.udpTLSRTPSAVP.hasFeedback)
    }
}
