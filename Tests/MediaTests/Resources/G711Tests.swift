import Media
import Testing

@Suite struct G711Tests {
    /// Values from the G.711 tables (positive ones agree with every implementation; negative ones follow G.191's
    /// one's-complement magnitude, where -4 is still "negative zero" in µ-law and -100 is 0x73, where the
    /// common Sun-derived code gives 0x72).
    @Test func encodesKnownValues() {
        let cases: [(Int16, UInt8, UInt8)] = [
            (0, 0xFF, 0xD5), (1, 0xFF, 0xD5), (100, 0xF2, 0xD3), (1000, 0xCE, 0xFA), (5000, 0xAB, 0x86),
            (20000, 0x8C, 0xA6), (32767, 0x80, 0xAA), (-1, 0x7F, 0x55), (-4, 0x7F, 0x55), (-5, 0x7E, 0x55),
            (-100, 0x73, 0x53), (-1000, 0x4E, 0x7A), (-5000, 0x2B, 0x06), (-32768, 0x00, 0x2A),
        ]
        for (sample, muLaw, aLaw) in cases {
            #expect(G711Law.muLaw.encode(sample) == muLaw, "µ-law \(sample)")
            #expect(G711Law.aLaw.encode(sample) == aLaw, "A-law \(sample)")
        }
    }

    @Test func decodesKnownValues() {
        let cases: [(UInt8, Int16, Int16)] = [
            (0x00, -32124, -5504), (0x7F, 0, -848), (0x80, 32124, 5504), (0xFF, 0, 848), (0xEF, 132, 1696),
            (0x55, -716, -8), (0xD5, 716, 8), (0x2A, -5372, -32256), (0xAA, 5372, 32256),
        ]
        for (code, muLaw, aLaw) in cases {
            #expect(G711Law.muLaw.decode(code) == muLaw, "µ-law \(code)")
            #expect(G711Law.aLaw.decode(code) == aLaw, "A-law \(code)")
        }
    }

    /// Every decoded value re-encodes to a code that decodes to the same value (µ-law's two zeros, 0x7F and 0xFF,
    /// both decode to 0; every other code comes back as itself).
    @Test(arguments: G711Law.allCases) func decodedValuesRoundTrip(law: G711Law) {
        for code in UInt8.min...UInt8.max {
            let value = law.decode(code)
            #expect(law.decode(law.encode(value)) == value)
            if !(law == .muLaw && code == 0x7F) { #expect(law.encode(value) == code) }
        }
    }

    /// Quantization is monotonic and its error stays within half a step of the segment (1/32 of the magnitude, plus
    /// the fixed step of the lowest segments), except beyond the largest code, where the value clips.
    @Test(arguments: G711Law.allCases) func quantizationIsMonotonicAndBounded(law: G711Law) {
        var previous = Int.min
        let ceiling = law == .muLaw ? 32124 : 32256
        for sample in Int16.min...Int16.max {
            let decoded = Int(law.decode(law.encode(sample)))
            #expect(decoded >= previous)
            previous = decoded
            let magnitude = abs(Int(sample))
            if magnitude <= ceiling {
                #expect(abs(decoded - Int(sample)) <= magnitude / 32 + 16, "\(sample) → \(decoded)")
            }
        }
    }

    @Test func transcodesBetweenLaws() {
        let samples: [Int16] = [0, 1000, -1000, 20000, -20000]
        let muLaw = G711Law.muLaw.encode(samples)
        let aLaw = G711Law.aLaw.transcode(muLaw, from: .muLaw)
        #expect(aLaw == G711Law.aLaw.encode(G711Law.muLaw.decode(muLaw)))
        #expect(G711Law.muLaw.transcode(muLaw, from: .muLaw) == muLaw)
        #expect(
            G711Law(payloadType: 8) == .aLaw && G711Law(payloadType: 0) == .muLaw && G711Law(payloadType: 18) == nil)
    }
}
