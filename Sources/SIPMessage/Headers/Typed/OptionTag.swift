/// One option tag of Require, Proxy-Require, Supported or Unsupported (RFC 3261 §19.2, §20.29, §20.32, §20.37,
/// §20.40): the name of a SIP extension.
///
/// ```
/// Require    = "Require" HCOLON option-tag *(COMMA option-tag)
/// Supported  = ( "Supported" / "k" ) HCOLON [option-tag *(COMMA option-tag)]
/// option-tag = token
/// ```
///
/// Read a header's tags with `headers.all(.require, as: OptionTag.self)` or `headers.optionTags(.require)`. Tags
/// compare exactly, as the IANA registry spells them. Errors: `.badOptionTag` (400).
public struct OptionTag: SIPHeaderValue, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var name: String

    public init(_ name: String) { self.name = name }

    public init(stringLiteral value: String) { self.name = value }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        let bytes = value.trimmingWhitespace()
        guard !bytes.isEmpty, bytes.allSatisfy(ASCII.isTokenChar) else {
            throw SIPParseError(.badOptionTag, "option tag '\(String(sipBytes: bytes))' is not a token")
        }
        name = String(sipBytes: bytes)
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendText(name, into: &buffer)
    }

    public var description: String { name }

    /// Reliable provisional responses (RFC 3262).
    public static let reliableProvisional: OptionTag = "100rel"
    /// Session timers (RFC 4028).
    public static let timer: OptionTag = "timer"
    /// The Path header (RFC 3327).
    public static let path: OptionTag = "path"
    /// Client-initiated connections (RFC 5626).
    public static let outbound: OptionTag = "outbound"
    /// Globally routable UA URIs (RFC 5627).
    public static let gruu: OptionTag = "gruu"
    /// Security mechanism agreement (RFC 3329).
    public static let secAgree: OptionTag = "sec-agree"
    /// Preconditions (RFC 3312).
    public static let precondition: OptionTag = "precondition"
    /// The Replaces header (RFC 3891).
    public static let replaces: OptionTag = "replaces"
}

extension SIPHeaders {
    /// The option tags of Require, Proxy-Require, Supported or Unsupported, all fields together.
    public func optionTags(_ name: HeaderName) throws(SIPParseError) -> [OptionTag] {
        try all(name, as: OptionTag.self)
    }
}
