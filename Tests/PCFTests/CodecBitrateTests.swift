import PCF
import SDP
import Testing

/// The bandwidth formula: codec rate plus 40 (IPv4) or 60 (IPv6) header bytes per packet at the ptime.
struct CodecBitrateTests {
    static func media(_ lines: String) throws -> SessionDescription {
        try SessionDescription(
            parsing: ArraySlice(
                """
                v=0\r
                o=- 1 1 IN IP4 192.0.2.1\r
                s=-\r
                c=IN IP4 192.0.2.1\r
                t=0 0\r
                \(lines)
                """.utf8))
    }

    func rate(_ format: String, _ lines: String, ipv6: Bool = false, variable: Int = 64_000) throws -> Int {
        let description = try Self.media(lines)
        return CodecBitrate.bitrate(of: format, in: description.media[0], isIPv6: ipv6, variableRate: variable)
    }

    @Test func staticPayloadTypesAtTheDefaultPtime() throws {
        #expect(try rate("0", "m=audio 4000 RTP/AVP 0\r\n") == 80_000)
        #expect(try rate("8", "m=audio 4000 RTP/AVP 8\r\n") == 80_000)
        #expect(try rate("9", "m=audio 4000 RTP/AVP 9\r\n") == 80_000)
        #expect(try rate("18", "m=audio 4000 RTP/AVP 18\r\n") == 24_000)
        #expect(try rate("0", "m=audio 4000 RTP/AVP 0\r\n", ipv6: true) == 88_000)
    }

    @Test func ptimeChangesThePacketOverhead() throws {
        // 30 ms: 33 packets a second (1000 / 30, rounded down in the header term): 64 000 + 320 × 1000 / 30.
        #expect(try rate("0", "m=audio 4000 RTP/AVP 0\r\na=ptime:30\r\n") == 64_000 + 320 * 1_000 / 30)
        #expect(try rate("18", "m=audio 4000 RTP/AVP 18\r\na=ptime:40\r\n") == 16_000)
    }

    @Test func variableAndAuxiliaryCodecs() throws {
        let opus = "m=audio 4000 RTP/AVP 111 101\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n"
        #expect(try rate("111", opus, variable: 40_000) == 56_000)
        #expect(try rate("101", opus) == 0)
        let capped = opus + "a=fmtp:111 maxaveragebitrate=24000\r\n"
        #expect(try rate("111", capped) == 40_000)
        let video = "m=video 4002 RTP/AVP 96\r\nb=AS:512\r\na=rtpmap:96 H264/90000\r\n"
        #expect(try rate("96", video) == 512_000)
    }

    @Test func flowsComeFromTheAnswer() throws {
        let offer = try Self.media(
            "m=audio 4000 RTP/AVP 0 18 101\r\na=rtpmap:101 telephone-event/8000\r\nm=video 4002 RTP/AVP 96\r\n")
        let answer = try Self.media(
            "m=audio 5000 RTP/AVP 18 101\r\na=rtpmap:101 telephone-event/8000\r\nm=video 0 RTP/AVP 96\r\n")
        let flows = MediaFlow.flows(offer: offer, answer: answer, variableBitrate: 64_000)
        #expect(flows.count == 1)
        #expect(flows.first?.codec == "G729" && flows.first?.codecs == ["G729", "telephone-event"])
        #expect(flows.first?.offerPort == 4000 && flows.first?.answerPort == 5000 && flows.first?.bitrate == 24_000)
        // The offer alone is sized by its cheapest codec: what the session needs at least.
        let offered = MediaFlow.flows(offer: offer, answer: nil, variableBitrate: 64_000)
        #expect(offered.map(\.codec) == ["G729", "96"] && offered.first?.bitrate == 24_000)
        let held = try Self.media("m=audio 5000 RTP/AVP 0\r\na=inactive\r\n")
        #expect(MediaFlow.flows(offer: offer, answer: held, variableBitrate: 64_000).first?.bitrate == 0)
    }
}
