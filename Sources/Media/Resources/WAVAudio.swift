/// An announcement's audio, as read from a WAV file: 8 kHz mono, either 16-bit linear or G.711 bytes kept exactly
/// as the file holds them (so a PCMU file sent on a PCMU call is not quantized twice).
public struct WAVAudio: Sendable, Hashable {
    public enum Samples: Sendable, Hashable {
        case linear([Int16])
        case g711(G711Law, [UInt8])
    }

    /// What playback uses: always 8 kHz, one channel.
    public static let sampleRate = 8000

    public var samples: Samples

    public init(samples: Samples) {
        self.samples = samples
    }

    /// How many 8 kHz samples the announcement lasts.
    public var sampleCount: Int {
        switch samples {
        case .linear(let values): values.count
        case .g711(_, let bytes): bytes.count
        }
    }

    /// The audio as 16-bit linear samples.
    public var linearSamples: [Int16] {
        switch samples {
        case .linear(let values): values
        case .g711(let law, let bytes): law.decode(bytes)
        }
    }

    /// The audio as G.711 bytes in `law`: the file's own bytes when the laws match, else encoded (or transcoded).
    public func encoded(as law: G711Law) -> [UInt8] {
        switch samples {
        case .linear(let values): law.encode(values)
        case .g711(let fileLaw, let bytes): law.transcode(bytes, from: fileLaw)
        }
    }
}
