/// A SIP request or response: start line, header fields and body.
///
/// A parsed message keeps the bytes it came from; the start line, header fields and body point into them, so
/// parsing copies nothing and re-serializing an untouched message reproduces its bytes (with a Content-Length that
/// matches the body). Changes are made through `startLine`, `headers` and `body`, and only what changed is
/// written in canonical form.
public struct SIPMessage: Sendable {
    public var startLine: StartLine {
        didSet { originalStartLine = nil }
    }
    public var headers: SIPHeaders
    /// The message body (a slice of the parsed bytes until it is replaced).
    public var body: ArraySlice<UInt8>
    /// Where the untouched start line is in `headers.source`; nil once `startLine` was set.
    var originalStartLine: Range<Int>?

    /// A message built in code.
    public init(startLine: StartLine, headers: SIPHeaders = SIPHeaders(), body: some Collection<UInt8> = []) {
        self.startLine = startLine
        self.headers = headers
        self.body = ArraySlice(body)
        self.originalStartLine = nil
    }

    init(parsedStartLine: StartLine, range: Range<Int>, headers: SIPHeaders, body: ArraySlice<UInt8>) {
        self.startLine = parsedStartLine
        self.headers = headers
        self.body = body
        self.originalStartLine = range
    }

    /// Parses one complete message (a UDP datagram, or a frame from `SIPStreamFramer`).
    public init(parsing bytes: [UInt8], limits: SIPLimits = SIPLimits()) throws(SIPParseError) {
        self = try SIPParser.parse(bytes, limits: limits)
    }

    public init(parsing text: String, limits: SIPLimits = SIPLimits()) throws(SIPParseError) {
        try self.init(parsing: Array(text.utf8), limits: limits)
    }

    public var isRequest: Bool {
        if case .request = startLine { return true }
        return false
    }

    /// The request line, for a request.
    public var requestLine: RequestLine? {
        if case .request(let line) = startLine { return line }
        return nil
    }

    /// The status line, for a response.
    public var statusLine: StatusLine? {
        if case .response(let line) = startLine { return line }
        return nil
    }

    /// The request's method, or nil for a response (whose method is in its CSeq).
    public var method: SIPMethod? { requestLine?.method }

    /// The response's status code, or nil for a request.
    public var statusCode: Int? { statusLine?.code }
}
