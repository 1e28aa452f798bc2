import TestSupport
import Testing

@testable import SDP

/// Random damage to valid descriptions: the parser must either accept or throw (never trap), and whatever it
/// accepts must survive serialize → parse unchanged. Seeded, so a failure reproduces.
@Suite struct RobustnessTests {
    static let interestingBytes: [UInt8] =
        Array(" :/=;|^\r\n\t09amvcoskbtrz-.*".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF, 0xCC, 0x81]
    static let interestingTokens: [String] = [
        "99999999999999999999", "65536", "-1", "m=audio 0 RTP/AVP", "a=rtpmap:", "a=crypto:1 X inline:", "\r\n",
        "\n\n", "a=", "c=IN IP6 ::/", "/", "2^", "typ", "raddr", "v=0\r\n", "r=1\r\n", "t=0 0\r\n", " \u{301}",
    ]

    private func mutate(_ input: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[position] = Self.interestingBytes.randomElement(using: &rng)!
            case 1:
                bytes.insert(Self.interestingBytes.randomElement(using: &rng)!, at: position)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...16, using: &rng))
                bytes.removeSubrange(position..<end)
            case 3:
                bytes.insert(contentsOf: Self.interestingTokens.randomElement(using: &rng)!.utf8, at: position)
            case 4 where !bytes.isEmpty:
                bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 5:
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                guard lines.count > 1 else { break }
                let a = Int.random(in: 0..<lines.count, using: &rng)
                let b = Int.random(in: 0..<lines.count, using: &rng)
                if Bool.random(using: &rng) { lines.swapAt(a, b) } else { lines.insert(lines[a], at: b) }
                bytes = Array(lines.joined(separator: [0x0A]))
            default:
                bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }

    /// Touches every typed view so their parsers see the damaged values too.
    private func exerciseViews(_ sdp: SessionDescription) {
        for attributes in [sdp.attributes] + sdp.media.map(\.attributes) {
            _ = attributes.rtpmaps
            _ = attributes.formatParameters.map(\.parameterList)
            _ = attributes.crypto.map { $0.keyParameters.map { ($0.keySaltBytes, $0.lifetimePackets) } }
            _ = attributes.fingerprints.map(\.digest)
            _ = (attributes.setup, attributes.rtcp, attributes.direction, attributes.ptime, attributes.maxptime)
            _ = (
                attributes.candidates, attributes.remoteCandidates, attributes.iceOptions,
                attributes.all(MediaGroup.self)
            )
        }
        for media in sdp.media {
            _ = (media.payloadTypes, sdp.effectiveDirection(of: media), sdp.isOnHold(media))
        }
    }

    @Test(arguments: [SDPParser(), SDPParser(validatesKnownAttributes: false)])
    func randomMutations(parser: SDPParser) throws {
        var rng = SeededGenerator(seed: 0x5D9_2026)
        let seeds = Fixtures.named.keys.sorted().compactMap { Fixtures.named[$0] }.map { Array($0.utf8) }
        var accepted = 0
        for _ in 0..<4000 {
            let input = mutate(seeds.randomElement(using: &rng)!, using: &rng)
            let sdp: SessionDescription
            do {
                sdp = try parser.parse(input)
            } catch {
                #expect(error.line >= 0 && error.line <= input.count + 1)
                continue
            }
            accepted += 1
            exerciseViews(sdp)
            let serialized = sdp.serializedBytes()
            let reparsed = try parser.parse(serialized)
            #expect(
                reparsed == sdp, "model changed for input \(String(decoding: input, as: UTF8.self).debugDescription)")
            #expect(reparsed.serializedBytes() == serialized)
        }
        // Enough survive to make the round-trip check mean something.
        #expect(accepted > 400)
    }

    @Test func tightLimitsNeverTrap() {
        var rng = SeededGenerator(seed: 42)
        let seed = Array(Fixtures.webRTCOffer.utf8)
        for _ in 0..<500 {
            let limits = SDPLimits(
                maxSize: Int.random(in: 0...8000, using: &rng), maxLineLength: Int.random(in: 0...200, using: &rng),
                maxLines: Int.random(in: 0...80, using: &rng), maxMediaSections: Int.random(in: 0...4, using: &rng),
                maxAttributesPerSection: Int.random(in: 0...40, using: &rng),
                maxFormatsPerMedia: Int.random(in: 0...4, using: &rng))
            _ = try? SDPParser(limits: limits).parse(mutate(seed, using: &rng))
        }
    }
}
