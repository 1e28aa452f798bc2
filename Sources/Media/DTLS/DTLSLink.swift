import COpenSSL

/// What OpenSSL's callbacks reach of an association, through its BIO: the datagrams between the `SSL` and the
/// association (the one OpenSSL may read next, and those it wrote), the retransmission timeouts, and the
/// fingerprints the peer's certificate must match.
///
/// A custom BIO (below) over this object is what keeps datagram boundaries, which a memory BIO would lose: every
/// `BIO_write` OpenSSL makes while sending a flight is one DTLS record sized to the MTU and becomes one datagram;
/// every `BIO_read` gets exactly one received datagram. Nothing here touches a socket; the association hands the
/// datagrams to its caller.
final class DTLSLink {
    /// The received datagram OpenSSL has not read yet.
    var incoming: [UInt8]?
    /// Datagrams written since the caller last took them.
    var outgoing: [[UInt8]] = []
    /// The first retransmission timeout and its ceiling in microseconds, for the timer callback.
    let initialTimeoutMicroseconds: UInt32
    let maximumTimeoutMicroseconds: UInt32

    /// The usable `a=fingerprint`s of the peer's SDP; empty while they are not known yet.
    var expectedFingerprints: [ExpectedFingerprint] = []
    /// Set by the verify callback when it refused the peer's certificate, so the failure gets its proper code.
    var refusedCertificate = false
    /// Where the datagram being read came from (its address, as bytes), for the cookie callbacks.
    var peer: [UInt8] = []
    /// The context's cookie secret (`DTLSCookie`).
    let cookieSecret: [UInt8]

    init(configuration: DTLSConfiguration, cookieSecret: [UInt8]) {
        self.cookieSecret = cookieSecret
        initialTimeoutMicroseconds = max(
            Self.shortestTimeoutMicroseconds, Self.microseconds(configuration.initialRetransmissionTimeout))
        maximumTimeoutMicroseconds = max(
            initialTimeoutMicroseconds, Self.microseconds(configuration.maximumRetransmissionTimeout))
    }

    /// OpenSSL 3.0 counts a timer with less than 15 ms left as expired (`dtls1_get_timeout`); a shorter timeout
    /// would make it retransmit in a busy loop inside one `SSL_do_handshake` until it gives up.
    static let shortestTimeoutMicroseconds: UInt32 = 20_000

    func takeOutgoing() -> [[UInt8]] {
        defer { outgoing = [] }
        return outgoing
    }

    /// The next timeout OpenSSL should use: the initial one at the start of a flight (`previous` 0), else twice
    /// the previous, capped (RFC 6347 §4.2.4.1).
    func nextTimeout(after previous: UInt32) -> UInt32 {
        guard previous > 0 else { return initialTimeoutMicroseconds }
        return min(maximumTimeoutMicroseconds, previous.multipliedReportingOverflow(by: 2).partialValue)
    }

    private static func microseconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return UInt32(clamping: max(1, total))
    }

    /// A new BIO reading from and writing to this link. The BIO does not retain the link: the association owns
    /// both and frees the `SSL` (and with it the BIO) first.
    func makeBIO() -> OpaquePointer? {
        guard let bio = BIO_new(datagramBIOMethod.pointer) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(self).toOpaque())
        BIO_set_init(bio, 1)
        return bio
    }

    static func of(_ bio: OpaquePointer?) -> DTLSLink? {
        guard let bio, let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<DTLSLink>.fromOpaque(data).takeUnretainedValue()
    }
}

/// The `BIO_METHOD` of the datagram BIO, made once per process; OpenSSL only reads it after creation.
private struct DatagramBIOMethod: @unchecked Sendable {
    let pointer: OpaquePointer
}

private let datagramBIOMethod: DatagramBIOMethod = {
    let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK
    guard let method = BIO_meth_new(type, "gatehouse DTLS datagram") else {
        fatalError("BIO_meth_new failed: out of memory at start")
    }
    BIO_meth_set_write(method, datagramWrite)
    BIO_meth_set_read(method, datagramRead)
    BIO_meth_set_ctrl(method, datagramControl)
    return DatagramBIOMethod(pointer: method)
}()

/// One write is one datagram.
private func datagramWrite(_ bio: OpaquePointer?, _ data: UnsafePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let link = DTLSLink.of(bio), let data, length >= 0 else { return -1 }
    gh_BIO_clear_retry_flags(bio)
    link.outgoing.append(Array(UnsafeRawBufferPointer(start: data, count: Int(length))))
    return length
}

/// One read takes the whole pending datagram (truncated to `size`, as a UDP socket would); with none pending it
/// asks OpenSSL to retry later, which `SSL_do_handshake`/`SSL_read` report as SSL_ERROR_WANT_READ.
private func datagramRead(_ bio: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32) -> Int32 {
    guard let link = DTLSLink.of(bio), let buffer, size >= 0 else { return -1 }
    gh_BIO_clear_retry_flags(bio)
    guard let datagram = link.incoming else {
        gh_BIO_set_retry_read(bio)
        return -1
    }
    link.incoming = nil
    let count = min(Int(size), datagram.count)
    datagram.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress!, byteCount: count)
    }
    return Int32(count)
}

/// The controls DTLS asks of a datagram BIO. Flush succeeds (writes are immediate); the path MTU is never probed
/// (SSL_OP_NO_QUERY_MTU), there is no per-datagram overhead to subtract (the configured MTU is the datagram
/// size), and the rest are answered "not supported" as `BIO_s_mem` would.
private func datagramControl(
    _ bio: OpaquePointer?, _ command: Int32, _ argument: Int, _ pointer: UnsafeMutableRawPointer?
)
    -> Int
{
    switch command {
    case BIO_CTRL_FLUSH: 1
    case BIO_CTRL_PENDING: DTLSLink.of(bio)?.incoming?.count ?? 0
    default: 0
    }
}

/// The DTLS timer callback (`DTLS_set_timer_cb`): the retransmission timeouts come from the association's
/// configuration instead of OpenSSL's fixed 1 s start.
func datagramTimerCallback(_ ssl: OpaquePointer?, _ previous: UInt32) -> UInt32 {
    guard let link = DTLSLink.of(SSL_get_rbio(ssl)) else { return 1_000_000 }
    return link.nextTimeout(after: previous)
}

/// The peer-certificate callback (`SSL_CTX_set_verify`). No CA vouches for a DTLS-SRTP peer (RFC 5763 §5): chain
/// errors such as "self-signed" are ignored, and the leaf certificate (depth 0) is accepted when it matches the
/// SDP fingerprint, or provisionally when that is not known yet (the association checks it once the answer
/// arrives). Refusing here makes OpenSSL send the bad_certificate alert RFC 5763 §5 asks for.
func fingerprintVerifyCallback(_ preverified: Int32, _ store: OpaquePointer?) -> Int32 {
    guard let store, X509_STORE_CTX_get_error_depth(store) == 0 else { return 1 }
    guard let sslData = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
        let link = DTLSLink.of(SSL_get_rbio(OpaquePointer(sslData)))
    else { return 0 }
    guard !link.expectedFingerprints.isEmpty else { return 1 }
    guard let certificate = X509_STORE_CTX_get_current_cert(store),
        ExpectedFingerprint.matches(link.expectedFingerprints, certificate: certificate)
    else {
        link.refusedCertificate = true
        return 0
    }
    return 1
}
