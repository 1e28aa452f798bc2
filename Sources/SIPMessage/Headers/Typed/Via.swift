/// One Via value: the transport and address a request was sent over and where its response goes back
/// (RFC 3261 §18.2.1, §20.42, §25.1; RFC 3581 `rport`; RFC 5118 §4.5 IPv6).
///
/// ```
/// via-parm         = sent-protocol LWS sent-by *( SEMI via-params )
/// sent-protocol    = protocol-name SLASH protocol-version SLASH transport
/// sent-by          = host [ COLON port ]
/// via-params       = via-ttl / via-maddr / via-received / via-branch / via-extension
/// via-ttl          = "ttl" EQUAL ttl
/// via-maddr        = "maddr" EQUAL host
/// via-received     = "received" EQUAL (IPv4address / IPv6address)
/// via-branch       = "branch" EQUAL token
/// response-port    = "rport" [EQUAL 1*DIGIT]                       ; RFC 3581 §3
/// ```
///
/// White space is allowed around `/` and `:` (RFC 4475's wsinv test). `received` is accepted with or without the
/// brackets of an IPv6 reference, as RFC 5118 §4.5 asks. The known parameters are checked when parsed; they are
/// kept in `parameters`, in order, and the typed accessors read and write them there.
///
/// Errors: `.badVia` (400).
public struct Via: SIPHeaderValue, Hashable, CustomStringConvertible {
    /// `SIP` in every Via Gatehouse will see.
    public var protocolName: String
    /// `2.0`.
    public var protocolVersion: String
    /// `UDP`, `TCP`, `TLS`, `SCTP`, `WS`, `WSS`, … as written.
    public var transport: String
    /// The sent-by host.
    public var host: Host
    /// The sent-by port, if written.
    public var port: UInt16?
    public var parameters: HeaderParameters

    /// RFC 3261 §8.1.1.7: a branch starting with this cookie was made by an RFC 3261 element, and identifies the
    /// transaction on its own.
    public static let magicCookie = "z9hG4bK"

    public init(
        transport: String, host: Host, port: UInt16? = nil, branch: String? = nil,
        protocolName: String = "SIP", protocolVersion: String = "2.0"
    ) {
        self.protocolName = protocolName
        self.protocolVersion = protocolVersion
        self.transport = transport
        self.host = host
        self.port = port
        self.parameters = HeaderParameters()
        if let branch { parameters.set("branch", branch) }
    }

    public init(parsing value: ArraySlice<UInt8>) throws(SIPParseError) {
        var scanner = HeaderScanner(value, code: .badVia, header: "Via")
        scanner.skipWhitespace()
        protocolName = try scanner.tokenString("the protocol name")
        scanner.skipWhitespace()
        try scanner.expect(ASCII.slash, "'/' after the protocol name")
        scanner.skipWhitespace()
        protocolVersion = try scanner.tokenString("the protocol version")
        scanner.skipWhitespace()
        try scanner.expect(ASCII.slash, "'/' after the protocol version")
        scanner.skipWhitespace()
        transport = try scanner.tokenString("the transport")
        let beforeHost = scanner.index
        scanner.skipWhitespace()
        guard scanner.index > beforeHost else { throw scanner.error("white space expected before sent-by") }
        (host, port) = try Self.parseSentBy(&scanner)
        parameters = HeaderParameters()
        try scanner.parameters(into: &parameters)
        try validateParameters()
    }

    /// `host [ COLON port ]`, with the host a name, an IPv4 address or an IPv6 reference.
    private static func parseSentBy(_ scanner: inout HeaderScanner) throws(SIPParseError) -> (Host, UInt16?) {
        let hostBytes: ArraySlice<UInt8>
        if scanner.peek == UInt8(ascii: "[") {
            let start = scanner.index
            _ = scanner.scan { $0 != UInt8(ascii: "]") }
            try scanner.expect(UInt8(ascii: "]"), "']' closing the IPv6 reference")
            hostBytes = scanner.bytes[start..<scanner.index]
        } else {
            hostBytes = scanner.scan { ASCII.isTokenChar($0) }
        }
        guard !hostBytes.isEmpty else { throw scanner.error("the sent-by host is missing") }
        let host: Host
        do { host = try Host(parsing: hostBytes) } catch { throw scanner.error("bad sent-by host: \(error.detail)") }
        scanner.skipWhitespace()
        guard scanner.consume(ASCII.colon) else { return (host, nil) }
        scanner.skipWhitespace()
        let digits = scanner.scan(while: ASCII.isDigit)
        guard let port = digits.parseDecimal(maximum: Int(UInt16.max)) else {
            throw scanner.error("the sent-by port is not a number from 0 to 65535")
        }
        return (host, UInt16(port))
    }

    /// Checks the parameters RFC 3261 and RFC 3581 give a syntax.
    private func validateParameters() throws(SIPParseError) {
        func bad(_ detail: String) -> SIPParseError { SIPParseError(.badVia, "Via: \(detail)") }
        for parameter in parameters {
            if parameter.hasName("branch") {
                guard let value = parameter.value, !parameter.isQuoted, HeaderWriting.isToken(value) else {
                    throw bad("branch must be a token")
                }
            } else if parameter.hasName("received") {
                guard let value = parameter.value, !parameter.isQuoted, Self.parseAddress(value) != nil else {
                    throw bad("received must be an IPv4 or IPv6 address")
                }
            } else if parameter.hasName("rport") {
                if let value = parameter.value {
                    guard Array(value.utf8)[...].parseDecimal(maximum: Int(UInt16.max)) != nil else {
                        throw bad("rport must be a port number")
                    }
                }
            } else if parameter.hasName("maddr") {
                guard let value = parameter.value, (try? Host(parsing: Array(value.utf8)[...])) != nil else {
                    throw bad("maddr must be a host")
                }
            } else if parameter.hasName("ttl") {
                guard let value = parameter.value, Array(value.utf8)[...].parseDecimal(maximum: 255) != nil else {
                    throw bad("ttl must be a number from 0 to 255")
                }
            }
        }
    }

    /// An IP address in `received`: dotted quad, IPv6 address, or IPv6 reference.
    static func parseAddress(_ text: String) -> Host? {
        let bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "[") {
            guard let host = try? Host(parsing: bytes), host.isIPAddress else { return nil }
            return host
        }
        if bytes.contains(ASCII.colon) {
            return (try? IPv6Address(parsing: bytes)).map(Host.ipv6)
        }
        guard let address = try? IPv4Address(parsingIfDotted: bytes) else { return nil }
        return .ipv4(address)
    }

    public func serialize(into buffer: inout [UInt8]) {
        HeaderWriting.appendText(protocolName, into: &buffer)
        buffer.append(ASCII.slash)
        HeaderWriting.appendText(protocolVersion, into: &buffer)
        buffer.append(ASCII.slash)
        HeaderWriting.appendText(transport, into: &buffer)
        buffer.append(ASCII.space)
        host.serialize(into: &buffer)
        if let port {
            buffer.append(ASCII.colon)
            HeaderWriting.appendDecimal(port, into: &buffer)
        }
        parameters.serialize(into: &buffer)
    }

    public var description: String { serializedString }
}
