/// The media type of the body (RFC 3261 §20.15; RFC 2045 §5.1).
///
/// ```
/// Content-Type = ( "Content-Type" / "c" ) HCOLON media-type
/// media-type   = m-type SLASH m-subtype *(SEMI m-parameter)
/// m-parameter  = m-attribute EQUAL m-value
/// m-value      = token / quoted-string
/// ```
///
/// Type, subtype and parameter names compare without regard to case: `Application/SDP` equals `application/sdp`.
/// Type and subtype keep the spelling they were written in. Errors: `.badContentType` (400).
public struct ContentType: SIPHeaderValue, Hashable, CustomStringConvertible {
    public var type: String
    public var subtype: String
    /// Media type parameters (`charset`, `boundary`, …); RFC 2045 requires a value, which parsing checks.
    public var parameters: HeaderParameters

    public static let sdp = ContentType(type: "application", subtype: "sdp")
    public static let multipartMixed = ContentType(type: "multipart", subtype: "mixed")
    public static let sipfrag = ContentType(type: "message", subtype: "sipfrag")
    public static let textPlain = ContentType(type: "text", subtype: "plain")

    public init(type: String, subtype: String, parameters: HeaderParameters = []) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: .badContentType, header: "Content-Type")
        scanner.skipWhitespace()
        type = try scanner.tokenString("the media type")
        scanner.skipWhitespace()
        try scanner.expect(ASCII.slash, "'/' after the media type")
        scanner.skipWhitespace()
        subtype = try scanner.tokenString("the media subtype")
        parameters = HeaderParameters()
        try scanner.parameters(into: &parameters)
        if let flag = parameters.first(where: { $0.value == nil }) {
            throw scanner.error("media type parameter '\(flag.name)' has no value")
        }
    }

    /// `type/subtype`, as written.
    public var mediaType: String { "\(type)/\(subtype)" }

    /// Whether the media type (not the parameters) is `type/subtype`, ignoring case.
    public func hasMediaType(_ type: String, _ subtype: String) -> Bool {
        Self.equalsIgnoringCase(self.type, type) && Self.equalsIgnoringCase(self.subtype, subtype)
    }

    /// Whether the body is SDP (`application/sdp`, RFC 3264).
    public var isSDP: Bool { hasMediaType("application", "sdp") }

    /// The `charset` parameter, if any.
    public var charset: String? { parameters.value("charset") }

    /// The `boundary` of a multipart body (RFC 2046 §5.1.1).
    public var boundary: String? { parameters.value("boundary") }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendText(type, into: &buffer)
        buffer.append(ASCII.slash)
        HeaderWriting.appendText(subtype, into: &buffer)
        parameters.serialize(into: &buffer)
    }

    public var description: String { serializedString }

    public static func == (lhs: ContentType, rhs: ContentType) -> Bool {
        lhs.hasMediaType(rhs.type, rhs.subtype) && lhs.parameters == rhs.parameters
    }

    public func hash(into hasher: inout Hasher) {
        for byte in type.utf8 { hasher.combine(ASCII.lowercased(byte)) }
        hasher.combine(ASCII.slash)
        for byte in subtype.utf8 { hasher.combine(ASCII.lowercased(byte)) }
        hasher.combine(parameters)
    }

    static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count
            && zip(lhs.utf8, rhs.utf8).allSatisfy { ASCII.lowercased($0) == ASCII.lowercased($1) }
    }
}
