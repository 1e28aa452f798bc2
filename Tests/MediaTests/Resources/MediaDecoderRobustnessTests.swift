import Media
import Testing

/// The decoders that read untrusted bytes (received RTP, telephone events, WAV files named in a policy) never trap:
/// every prefix of a valid input and a stream of random inputs either decode or are refused.
@Suite struct MediaDecoderRobustnessTests {
    /// A small deterministic generator (xorshift64*), so a failure reproduces.
    struct Bytes {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15

        mutating func next(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                state ^= state >> 12
                state ^= state << 25
                state ^= state >> 27
                return UInt8(truncatingIfNeeded: (state &* 0x2545_F491_4F6C_DD1D) >> 56)
            }
        }
    }

    @Test func everyPrefixOfAWAVFileReadsOrIsRefused() {
        let file = TestAudio.wav(data: TestAudio.pcm16(TestAudio.sine(300, count: 64)), extraChunk: true)
        var accepted = 0
        for length in 0...file.count {
            do {
                _ = try WAVReader.read(Array(file.prefix(length)))
                accepted += 1
            } catch {
                #expect(!error.detail.isEmpty)
            }
        }
        #expect(accepted == 1)  // only the whole file
    }

    @Test func randomBytesNeverTrap() {
        var random = Bytes()
        var headers = 0
        for round in 0..<5000 {
            var bytes = random.next(round % 96)
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = 0x80 | bytes[0] & 0x3F }  // version 2 half the time
            if let datagram = RTPDatagram(bytes: bytes) {
                headers += 1
                _ = TelephoneEvent(payload: datagram.payload)?.digit
            }
            var wav = Array("RIFF".utf8) + TestAudio.le32(UInt32(bytes.count + 4)) + Array("WAVE".utf8)
            wav += round % 3 == 0 ? Array("fmt ".utf8) + bytes : bytes
            _ = try? WAVReader.read(wav)
        }
        #expect(headers > 250)
    }
}
