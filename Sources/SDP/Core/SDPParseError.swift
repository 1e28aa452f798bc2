/// Why a session description was rejected.
///
/// One error type for the whole codec, in the shape of STYLE rule 4: a `code` that tests and counters key on, the
/// 1-based `line` it happened on (0 when the problem is the body as a whole, such as its size or a missing `o=`),
/// and a human `detail` for the log line. There is no SIP status here: whether a bad body is answered 400 or 488
/// depends on where it arrived, and that is the SIP layer's call. Codes are static lets on an open struct, so
/// adding one never breaks a caller's `switch`.
public struct SDPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    /// 1-based line number, or 0 when no single line is to blame.
    public var line: Int
    public var detail: String

    public init(_ code: Code, line: Int, _ detail: String) {
        self.code = code
        self.line = line
        self.detail = detail
    }

    public var description: String {
        line > 0 ? "line \(line): \(code.rawValue): \(detail)" : "\(code.rawValue): \(detail)"
    }
}

extension SDPParseError.Code {
    // Limits (see `SDPLimits`)
    /// The body is larger than `SDPLimits.maxSize`.
    public static let tooLarge = Self(rawValue: "sdp-too-large")
    /// A line (without its line ending) is longer than `SDPLimits.maxLineLength`.
    public static let lineTooLong = Self(rawValue: "line-too-long")
    /// More lines than `SDPLimits.maxLines`.
    public static let tooManyLines = Self(rawValue: "too-many-lines")
    /// More `m=` sections than `SDPLimits.maxMediaSections`.
    public static let tooManyMedia = Self(rawValue: "too-many-media")
    /// More `a=` lines in one section than `SDPLimits.maxAttributesPerSection`.
    public static let tooManyAttributes = Self(rawValue: "too-many-attributes")
    /// More formats on one `m=` line than `SDPLimits.maxFormatsPerMedia`.
    public static let tooManyFormats = Self(rawValue: "too-many-formats")

    // Line syntax (RFC 8866 §5)
    /// Not `<letter>=<value>`, or an empty line before the end of the body.
    public static let malformedLine = Self(rawValue: "malformed-line")
    /// A NUL byte, or a CR that does not end a line.
    public static let illegalCharacter = Self(rawValue: "illegal-character")
    /// The first line is not `v=` (RFC 8866 §5: the description starts with it).
    public static let missingVersion = Self(rawValue: "missing-version")
    /// `v=` is not `0`, the only version defined.
    public static let badVersion = Self(rawValue: "bad-version")
    /// No `o=` line.
    public static let missingOrigin = Self(rawValue: "missing-origin")
    /// `o=` does not have six fields, or its session version is not a number.
    public static let badOrigin = Self(rawValue: "bad-origin")
    /// No `s=` line.
    public static let missingSessionName = Self(rawValue: "missing-session-name")
    /// A line that may appear once per section appears again (`o=`, `s=`, `i=`, `u=`, session `c=`, `z=`, `k=`).
    public static let duplicateLine = Self(rawValue: "duplicate-line")
    /// A line where the grammar cannot place it: a second `v=`, or `r=` before any `t=`.
    public static let unexpectedLine = Self(rawValue: "unexpected-line")
    /// `c=` (or the address part of `a=rtcp`) is not `<nettype> <addrtype> <address>[/ttl][/count]`.
    public static let badConnection = Self(rawValue: "bad-connection")
    /// `b=` is not `<bwtype>:<number>`.
    public static let badBandwidth = Self(rawValue: "bad-bandwidth")
    /// `t=` is not two numbers.
    public static let badTiming = Self(rawValue: "bad-timing")
    /// `m=` lacks its media, port or proto field.
    public static let badMediaLine = Self(rawValue: "bad-media-line")
    /// A port (or port count) on `m=` is not a number in range.
    public static let badPort = Self(rawValue: "bad-port")
    /// An `a=` line with an empty name, or a validated attribute (see `SDPParser`) whose value breaks its grammar.
    public static let badAttribute = Self(rawValue: "bad-attribute")
}
