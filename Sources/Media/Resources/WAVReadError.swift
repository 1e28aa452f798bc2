/// Why a WAV file cannot be played: a code tests assert on and a detail naming what was found.
public struct WAVReadError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The first 12 bytes are not `RIFF` … `WAVE`.
        public static let notRIFFWAVE = Code("not-riff-wave")
        /// A chunk header or the `fmt ` body is cut short, or a chunk runs past the end of the file.
        public static let truncated = Code("truncated")
        /// No `fmt ` chunk before the `data` chunk.
        public static let missingFormat = Code("missing-format")
        /// No `data` chunk.
        public static let missingData = Code("missing-data")
        /// A format tag other than PCM (1), A-law (6) or µ-law (7).
        public static let unsupportedEncoding = Code("unsupported-encoding")
        /// PCM that is not 16-bit, or G.711 that is not 8-bit.
        public static let unsupportedSampleSize = Code("unsupported-sample-size")
        /// Zero channels or sample rate, or G.711 that is not 8 kHz mono.
        public static let unsupportedLayout = Code("unsupported-layout")
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
