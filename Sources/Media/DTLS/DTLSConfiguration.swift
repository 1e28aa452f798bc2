/// Settings every DTLS-SRTP association of a node shares.
public struct DTLSConfiguration: Sendable, Hashable {
    /// Protection profiles offered (as client) or accepted (as server), most preferred first; as server, OpenSSL
    /// picks the first of these that the client offers. Default: the two AES-CM profiles every SDES endpoint also
    /// knows, then AES-GCM, so a DTLS leg interworks with an SDES one without a cipher change where possible.
    public var profiles: [DTLSSRTPProfile]
    /// Largest datagram a flight is cut into, DTLS headers included. Default 1200 bytes: fits any path that
    /// carries RTP, with room for IPv6 and tunnel headers (the value WebRTC stacks use). OpenSSL is told this
    /// explicitly and never probes the path (SSL_OP_NO_QUERY_MTU): our BIO is not a socket.
    public var mtu: Int
    /// First retransmission timeout; doubled on each retransmission up to `maximumRetransmissionTimeout`.
    /// Default 1 s (RFC 6347 §4.2.4.1). Values under 20 ms are raised to 20 ms: OpenSSL treats a timer with less
    /// than 15 ms left as already expired.
    public var initialRetransmissionTimeout: Duration
    /// Ceiling of the doubling. Default 60 s (RFC 6347 §4.2.4.1, after RFC 6298).
    public var maximumRetransmissionTimeout: Duration
    /// Whether a server answers a ClientHello without a valid cookie with a HelloVerifyRequest (RFC 6347 §4.2.1),
    /// so that a spoofed ClientHello cannot draw the server's certificate flight toward a victim. Default on; it
    /// costs an honest client one round trip.
    public var cookieExchange: Bool

    public init(
        profiles: [DTLSSRTPProfile] = [.aes128CMSHA1Tag80, .aes128CMSHA1Tag32, .aeadAES128GCM], mtu: Int = 1200,
        initialRetransmissionTimeout: Duration = .seconds(1), maximumRetransmissionTimeout: Duration = .seconds(60),
        cookieExchange: Bool = true
    ) {
        self.cookieExchange = cookieExchange
        self.profiles = profiles
        self.mtu = mtu
        self.initialRetransmissionTimeout = initialRetransmissionTimeout
        self.maximumRetransmissionTimeout = maximumRetransmissionTimeout
    }
}
