import Media
import Testing

@Suite struct WAVReaderTests {
    @Test func readsMono16BitPCMAt8kHz() throws {
        let samples = TestAudio.sine(440, count: 400)
        let audio = try WAVReader.read(TestAudio.wav(data: TestAudio.pcm16(samples), extraChunk: true))
        #expect(audio.samples == .linear(samples))
        #expect(audio.sampleCount == 400)
    }

    @Test func keepsG711BytesAsTheFileHoldsThem() throws {
        let bytes: [UInt8] = [0xFF, 0x80, 0x00, 0x7F, 0xEF]
        let muLaw = try WAVReader.read(TestAudio.wav(tag: 7, bits: 8, data: bytes))
        #expect(muLaw.samples == .g711(.muLaw, bytes))
        #expect(muLaw.encoded(as: .muLaw) == bytes)
        #expect(muLaw.linearSamples == G711Law.muLaw.decode(bytes))
        let aLaw = try WAVReader.read(TestAudio.wav(tag: 6, bits: 8, data: bytes))
        #expect(aLaw.samples == .g711(.aLaw, bytes))
        #expect(aLaw.encoded(as: .muLaw) == G711Law.muLaw.encode(G711Law.aLaw.decode(bytes)))
    }

    @Test func downmixesStereoByAveraging() throws {
        let interleaved: [Int16] = [1000, 3000, -2000, 0, 32767, 32767]
        let audio = try WAVReader.read(TestAudio.wav(channels: 2, data: TestAudio.pcm16(interleaved)))
        #expect(audio.samples == .linear([2000, -1000, 32767]))
    }

    /// A 16 kHz file comes out at half the samples, each the mean of the two it covers; the tone survives.
    @Test func resamplesOtherRatesTo8kHz() throws {
        let ramp: [Int16] = [0, 10, 20, 30, 40, 50]
        let down = try WAVReader.read(TestAudio.wav(rate: 16000, data: TestAudio.pcm16(ramp)))
        #expect(down.samples == .linear([5, 25, 45]))
        let up = try WAVReader.read(TestAudio.wav(rate: 4000, data: TestAudio.pcm16([0, 100, 200])))
        #expect(up.samples == .linear([0, 50, 100, 150, 200, 200]))
        let tone = TestAudio.sine(500, count: 1600, rate: 16000)
        let resampled = try WAVReader.read(TestAudio.wav(rate: 16000, data: TestAudio.pcm16(tone))).linearSamples
        #expect(resampled.count == 800)
        #expect(TestAudio.power(of: 500, in: resampled) > 100 * TestAudio.power(of: 1500, in: resampled))
    }

    @Test func rejectsWhatItCannotPlayWithAReason() {
        let cases: [([UInt8], WAVReadError.Code)] = [
            (Array("RIFX0000WAVE".utf8), .notRIFFWAVE),
            (Array("RIFF".utf8), .notRIFFWAVE),
            (TestAudio.wav(tag: 3, bits: 32, data: [0, 0, 0, 0]), .unsupportedEncoding),
            (TestAudio.wav(bits: 8, data: [0x80]), .unsupportedSampleSize),
            (TestAudio.wav(bits: 24, data: [0, 0, 0]), .unsupportedSampleSize),
            (TestAudio.wav(tag: 7, rate: 16000, bits: 8, data: [0xFF]), .unsupportedLayout),
            (TestAudio.wav(tag: 7, channels: 2, bits: 8, data: [0xFF, 0xFF]), .unsupportedLayout),
            (TestAudio.wav(channels: 0, data: []), .unsupportedLayout),
            (Array(TestAudio.wav(data: TestAudio.pcm16([1, 2, 3])).dropLast(2)), .truncated),
            (Array(TestAudio.wav(data: []).prefix(30)), .truncated),
            (Array("RIFF".utf8) + TestAudio.le32(4) + Array("WAVE".utf8), .missingFormat),
            (Array("RIFF".utf8) + TestAudio.le32(12) + Array("WAVEdata".utf8) + TestAudio.le32(0), .missingFormat),
            (Array(TestAudio.wav(data: []).prefix(36)), .missingData),
        ]
        for (bytes, code) in cases {
            #expect(throws: WAVReadError.self) { try WAVReader.read(bytes) }
            do {
                _ = try WAVReader.read(bytes)
            } catch {
                #expect(error.code == code, "\(error)")
                #expect(!error.detail.isEmpty)
            }
        }
    }
}
