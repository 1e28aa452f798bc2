/// The size limits every parsed message is held to, so that no input can make the parser allocate without bound.
///
/// Each limit has a safe default and can be tuned by the policy. Each violation is a distinct `SIPParseError`
/// code carrying the status a server answers with.
public struct SIPLimits: Sendable, Hashable {
    /// Largest whole message, in bytes (start line, headers and body). Default 65,535, the largest UDP payload.
    /// Exceeding it is answered with 513 Message Too Large.
    public var maxMessageSize: Int
    /// Largest header section (start line and header fields with their line endings, not counting the empty line
    /// that ends it), in bytes, which also bounds how long a stream connection may send without finishing its
    /// headers. Default 16,384. Exceeding it: 513.
    public var maxHeaderSectionSize: Int
    /// Most header fields (lines) in one message. Default 128. Exceeding it: 400.
    public var maxHeaderCount: Int
    /// Longest header field, name and value, including continuation lines. Default 8,192 bytes. Exceeding it: 400.
    public var maxHeaderLength: Int
    /// Longest Request-URI. Default 4,096 bytes. Exceeding it: 414 Request-URI Too Long.
    public var maxRequestURILength: Int
    /// Most Via values in one message, counting each comma-separated value. Default 70, the hop budget a UAC starts
    /// with (`Max-Forwards: 70`, RFC 3261 §8.1.1.6), so no honest path exceeds it (RFC 4475's longreq carries 34).
    /// Exceeding it: 483 Too Many Hops.
    public var maxViaCount: Int
    /// Largest body. Default 32,768 bytes, enough for any SDP. Exceeding it: 413 Request Entity Too Large.
    public var maxBodySize: Int

    public init(
        maxMessageSize: Int = 65_535, maxHeaderSectionSize: Int = 16_384, maxHeaderCount: Int = 128,
        maxHeaderLength: Int = 8_192, maxRequestURILength: Int = 4_096, maxViaCount: Int = 70,
        maxBodySize: Int = 32_768
    ) {
        self.maxMessageSize = maxMessageSize
        self.maxHeaderSectionSize = maxHeaderSectionSize
        self.maxHeaderCount = maxHeaderCount
        self.maxHeaderLength = maxHeaderLength
        self.maxRequestURILength = maxRequestURILength
        self.maxViaCount = maxViaCount
        self.maxBodySize = maxBodySize
    }
}
