/// The session interval and which side refreshes it (RFC 4028 §4).
///
/// ```
/// Session-Expires = ("Session-Expires" / "x") HCOLON delta-seconds *(SEMI se-params)
/// se-params       = refresher-param / generic-param
/// refresher-param = "refresher" EQUAL  ("uas" / "uac")
/// ```
///
/// An interval below Min-SE is a policy matter (422, RFC 4028 §6), not a syntax error. Errors: `.badSessionExpires`
/// (400).
public struct SessionExpires: SIPHeaderValue, Hashable, CustomStringConvertible {
    /// Which side refreshes the session (RFC 4028 §7.1).
    public enum Refresher: String, Hashable, Sendable {
        case uac
        case uas
    }

    public var seconds: UInt32
    /// `refresher` and any other parameters.
    public var parameters: HeaderParameters

    public init(seconds: UInt32, refresher: Refresher? = nil) {
        self.seconds = seconds
        self.parameters = HeaderParameters()
        self.refresher = refresher
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: .badSessionExpires, header: "Session-Expires")
        (seconds, parameters) = try Self.parseDeltaAndParameters(&scanner)
        if let parameter = parameters["refresher"], parameter.value.flatMap(Self.refresher(named:)) == nil {
            throw scanner.error("refresher must be 'uac' or 'uas'")
        }
    }

    /// `delta-seconds *(SEMI generic-param)`, shared with Min-SE.
    static func parseDeltaAndParameters(
        _ scanner: inout HeaderScanner
    ) throws(SIPParseError) -> (UInt32, HeaderParameters) {
        scanner.skipWhitespace()
        let digits = scanner.scan(while: ASCII.isDigit)
        guard let seconds = digits.parseDecimal(maximum: Int(UInt32.max)) else {
            throw scanner.error("the interval is not a number of seconds from 0 to 2^32 - 1")
        }
        var parameters = HeaderParameters()
        try scanner.parameters(into: &parameters)
        return (UInt32(seconds), parameters)
    }

    private static func refresher(named name: String) -> Refresher? {
        Refresher(rawValue: name.lowercased())
    }

    /// The `refresher` parameter.
    public var refresher: Refresher? {
        get { parameters.value("refresher").flatMap(Self.refresher(named:)) }
        set {
            if let newValue { parameters.set("refresher", newValue.rawValue) } else { parameters.remove("refresher") }
        }
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendDecimal(seconds, into: &buffer)
        parameters.serialize(into: &buffer)
    }

    public var description: String { serializedString }
}

/// The shortest session interval a node accepts (RFC 4028 §5), sent with 422 Session Interval Too Small.
///
/// ```
/// Min-SE = "Min-SE" HCOLON delta-seconds *(SEMI generic-param)
/// ```
///
/// Errors: `.badSessionExpires` (400).
public struct MinSE: SIPHeaderValue, Hashable, CustomStringConvertible {
    /// The RFC 4028 §4 minimum, 90 seconds.
    public static let minimum = MinSE(seconds: 90)

    public var seconds: UInt32
    public var parameters: HeaderParameters

    public init(seconds: UInt32, parameters: HeaderParameters = []) {
        self.seconds = seconds
        self.parameters = parameters
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: .badSessionExpires, header: "Min-SE")
        (seconds, parameters) = try SessionExpires.parseDeltaAndParameters(&scanner)
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendDecimal(seconds, into: &buffer)
        parameters.serialize(into: &buffer)
    }

    public var description: String { serializedString }
}
