/// Reads a RIFF/WAVE file (the bytes, not the path: the edge reads files, this stays pure) into `WAVAudio`.
///
/// Accepted, and how:
/// - PCM (format tag 1), 16-bit, mono, 8 kHz: taken as is.
/// - PCM 16-bit with more channels: downmixed by averaging the channels of each frame.
/// - PCM 16-bit at another rate: resampled to 8 kHz simply. Downsampling averages the source samples that fall in
///   each output sample's span (a box filter: it keeps the worst aliasing out of telephone speech, but it is not a
///   proper low-pass; prepare announcements at 8 kHz for best quality). Upsampling interpolates linearly.
/// - A-law (tag 6) and µ-law (tag 7), 8-bit, mono, 8 kHz: the bytes are kept as they are.
/// Anything else (8/24/32-bit PCM, float, WAVE_FORMAT_EXTENSIBLE, G.711 at other rates) is a `WAVReadError`.
/// Chunks other than `fmt ` and `data` (`LIST`, `fact`, …) are skipped; odd-sized chunks carry a pad byte.
public enum WAVReader {
    public static func read(_ bytes: [UInt8]) throws(WAVReadError) -> WAVAudio {
        guard bytes.count >= 12, tag(bytes, 0) == "RIFF", tag(bytes, 8) == "WAVE" else {
            throw WAVReadError(.notRIFFWAVE, "the file does not start with RIFF….WAVE")
        }
        var format: Format?
        var offset = 12
        while offset + 8 <= bytes.count {
            let name = tag(bytes, offset)
            let size = Int(littleEndian32(bytes, offset + 4))
            let body = offset + 8
            switch name {
            case "fmt ":
                guard size >= 16, body + 16 <= bytes.count else {
                    throw WAVReadError(.truncated, "the fmt chunk has \(size) bytes, 16 are needed")
                }
                format = try Format(bytes, at: body)
            case "data":
                guard let format else {
                    throw WAVReadError(.missingFormat, "a data chunk comes before any fmt chunk")
                }
                // Some writers leave the data size at 0 or 0xFFFFFFFF when streaming; reading to the end is
                // what players do, but a size that claims more than the file holds is a cut file.
                guard body + size <= bytes.count else {
                    throw WAVReadError(
                        .truncated, "the data chunk claims \(size) bytes, the file holds \(bytes.count - body)")
                }
                return try format.decode(bytes[body..<body + size])
            default:
                break
            }
            offset = body + size + (size & 1)
        }
        throw WAVReadError(format == nil ? .missingFormat : .missingData, "no data chunk in \(bytes.count) bytes")
    }

    /// The `fmt ` chunk's fields this reader needs.
    private struct Format {
        var tag: UInt16
        var channels: Int
        var sampleRate: Int
        var bitsPerSample: Int

        init(_ bytes: [UInt8], at offset: Int) throws(WAVReadError) {
            tag = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
            channels = Int(UInt16(bytes[offset + 2]) | UInt16(bytes[offset + 3]) << 8)
            sampleRate = Int(littleEndian32(bytes, offset + 4))
            bitsPerSample = Int(UInt16(bytes[offset + 14]) | UInt16(bytes[offset + 15]) << 8)
            guard channels > 0, sampleRate > 0 else {
                throw WAVReadError(.unsupportedLayout, "\(channels) channels at \(sampleRate) Hz")
            }
        }

        func decode(_ data: ArraySlice<UInt8>) throws(WAVReadError) -> WAVAudio {
            switch tag {
            case 1:
                guard bitsPerSample == 16 else {
                    throw WAVReadError(.unsupportedSampleSize, "\(bitsPerSample)-bit PCM; only 16-bit is read")
                }
                return WAVAudio(samples: .linear(linear(data)))
            case 6, 7:
                guard bitsPerSample == 8 else {
                    throw WAVReadError(.unsupportedSampleSize, "\(bitsPerSample)-bit G.711; G.711 is 8-bit")
                }
                guard channels == 1, sampleRate == WAVAudio.sampleRate else {
                    throw WAVReadError(
                        .unsupportedLayout, "G.711 with \(channels) channels at \(sampleRate) Hz; 8 kHz mono is read")
                }
                return WAVAudio(samples: .g711(tag == 6 ? .aLaw : .muLaw, Array(data)))
            default:
                throw WAVReadError(.unsupportedEncoding, "format tag \(tag); PCM (1), A-law (6) and µ-law (7) are read")
            }
        }

        /// Little-endian 16-bit frames → mono 8 kHz.
        private func linear(_ data: ArraySlice<UInt8>) -> [Int16] {
            let frameCount = data.count / (2 * channels)
            var mono = [Int16]()
            mono.reserveCapacity(frameCount)
            var index = data.startIndex
            for _ in 0..<frameCount {
                var sum = 0
                for _ in 0..<channels {
                    sum += Int(Int16(bitPattern: UInt16(data[index]) | UInt16(data[index + 1]) << 8))
                    index += 2
                }
                mono.append(Int16(sum / channels))
            }
            return WAVResampler.resample(mono, from: sampleRate, to: WAVAudio.sampleRate)
        }
    }

    private static func tag(_ bytes: [UInt8], _ offset: Int) -> String {
        String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
    }

    private static func littleEndian32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }
}
