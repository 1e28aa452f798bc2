/// A leg's DTLS-SRTP association that failed for good: a certificate that does not match the leg's fingerprint,
/// an alert, no answer to any retransmission. The leg then relays nothing in either direction (no keys, so nothing
/// is unprotected or protected); the session tells its owner once per association, so that the failure is counted
/// and logged when it happens rather than discovered when the call ends.
public struct DTLSLegFailure: Sendable, Hashable {
    /// The stream's `m=` index.
    public var stream: Int
    public var leg: MediaLeg
    /// Why: `code` for counters, `detail` (OpenSSL's reason) for the log.
    public var error: DTLSError

    public init(stream: Int, leg: MediaLeg, error: DTLSError) {
        self.stream = stream
        self.leg = leg
        self.error = error
    }
}
