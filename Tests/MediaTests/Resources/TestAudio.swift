import Foundation
import Media

/// Signals, WAV files and a Goertzel filter for the media resource tests.
enum TestAudio {
    /// A sine at `frequency` Hz, 8 kHz sampling, `count` samples.
    static func sine(
        _ frequency: Double, amplitude: Double = 8000, count: Int, from start: Int = 0, rate: Double = 8000
    ) -> [Int16] {
        (start..<start + count).map { Int16((amplitude * sin(2 * .pi * frequency * Double($0) / rate)).rounded()) }
    }

    /// The power of `frequency` in `samples` (Goertzel), normalized so a full-scale sine of amplitude A gives A²/4.
    static func power(of frequency: Double, in samples: [Int16], rate: Double = 8000) -> Double {
        let coefficient = 2 * cos(2 * .pi * frequency / rate)
        var previous = 0.0
        var beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        let count = Double(samples.count)
        return power / (count * count)
    }

    /// A WAV file: a `fmt ` chunk with these fields, an optional `LIST` chunk before the data, then the data.
    static func wav(
        tag: UInt16 = 1, channels: UInt16 = 1, rate: UInt32 = 8000, bits: UInt16 = 16, data: [UInt8],
        extraChunk: Bool = false
    ) -> [UInt8] {
        var format = le16(tag) + le16(channels) + le32(rate)
        format += le32(rate * UInt32(channels) * UInt32(bits) / 8) + le16(channels * bits / 8) + le16(bits)
        var body = Array("WAVE".utf8) + Array("fmt ".utf8) + le32(UInt32(format.count)) + format
        if extraChunk { body += Array("LIST".utf8) + le32(5) + Array("INFOx".utf8) + [0] }
        body += Array("data".utf8) + le32(UInt32(data.count)) + data
        return Array("RIFF".utf8) + le32(UInt32(body.count)) + body
    }

    static func pcm16(_ samples: [Int16]) -> [UInt8] {
        samples.flatMap { le16(UInt16(bitPattern: $0)) }
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}
