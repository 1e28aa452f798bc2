import COpenSSL

/// Stateless cookies for the HelloVerifyRequest (RFC 6347 §4.2.1), when Gatehouse is the DTLS server: a
/// ClientHello without a valid cookie gets only a HelloVerifyRequest (about 60 bytes) instead of the server flight
/// with its certificate (over 600), so a ClientHello with a spoofed source cannot turn Gatehouse into an amplifier
/// toward the victim. A real client repeats its ClientHello with the cookie, which proves it receives at its
/// address.
///
/// The cookie is HMAC-SHA256 over the address the datagram came from, under a secret of the node's DTLS
/// context (random, made at start and never written anywhere): only Gatehouse can make one, and one made for an
/// address is worthless from another.
enum DTLSCookie {
    /// Bytes of the per-context secret.
    static let secretLength = 32

    static func makeSecret() -> [UInt8] {
        var secret = [UInt8](repeating: 0, count: secretLength)
        guard RAND_bytes(&secret, Int32(secretLength)) == 1 else {
            fatalError("RAND_bytes failed: OpenSSL's random generator cannot be seeded")
        }
        return secret
    }

    /// Whether `datagram` is a ClientHello carrying a cookie that was not made for `peer` (forged, or replayed from
    /// another address). OpenSSL would fail the whole association on it ("cookie mismatch"), so that anyone able
    /// to send one datagram toward the port could end the leg's handshake; the association drops it instead, as
    /// RFC 6347 §4.2.1 allows, and the real client's ClientHello is still welcome.
    static func isForged(_ datagram: [UInt8], secret: [UInt8], peer: [UInt8]) -> Bool {
        guard let cookie = cookie(inClientHello: datagram), !cookie.isEmpty else { return false }
        return !cookie.elementsEqual(self.cookie(secret: secret, peer: peer) ?? [])
    }

    /// The cookie of the ClientHello that starts `datagram` (RFC 6347 §4.1 record header, §4.2.2 handshake
    /// header, §4.2.1 ClientHello: version, random, session id, cookie); nil when the datagram does not start with
    /// an epoch-0 ClientHello whose first fragment reaches that far.
    static func cookie(inClientHello datagram: [UInt8]) -> ArraySlice<UInt8>? {
        let record = 13
        let handshake = record + 12
        // Content type handshake (22), epoch 0, handshake type client_hello (1), fragment offset 0.
        guard datagram.count > handshake + 34, datagram[0] == 22, datagram[3] == 0, datagram[4] == 0,
            datagram[record] == 1, datagram[(record + 6)...(record + 8)].allSatisfy({ $0 == 0 })
        else { return nil }
        let sessionIDLength = Int(datagram[handshake + 34])
        let cookieLengthAt = handshake + 35 + sessionIDLength
        guard cookieLengthAt < datagram.count else { return nil }
        let cookieLength = Int(datagram[cookieLengthAt])
        guard cookieLengthAt + 1 + cookieLength <= datagram.count else { return nil }
        return datagram[(cookieLengthAt + 1)..<(cookieLengthAt + 1 + cookieLength)]
    }

    /// HMAC-SHA256(`secret`, `peer`); nil only if OpenSSL refuses to compute it.
    static func cookie(secret: [UInt8], peer: [UInt8]) -> [UInt8]? {
        var mac = [UInt8](repeating: 0, count: 32)
        var length = 0
        let result = secret.withUnsafeBytes { key in
            peer.withUnsafeBytes { data in
                EVP_Q_mac(
                    nil, "HMAC", nil, "SHA256", nil, key.baseAddress, key.count, data.baseAddress, data.count,
                    &mac, mac.count, &length)
            }
        }
        guard result != nil, length == mac.count else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return mac
    }
}

/// `SSL_CTX_set_cookie_generate_cb`: the cookie for the address the current ClientHello came from.
func cookieGenerateCallback(
    _ ssl: OpaquePointer?, _ cookie: UnsafeMutablePointer<UInt8>?, _ length: UnsafeMutablePointer<UInt32>?
) -> Int32 {
    guard let link = DTLSLink.of(SSL_get_rbio(ssl)), let cookie, let length,
        let mac = DTLSCookie.cookie(secret: link.cookieSecret, peer: link.peer)
    else { return 0 }
    cookie.update(from: mac, count: mac.count)
    length.pointee = UInt32(mac.count)
    return 1
}

/// `SSL_CTX_set_cookie_verify_cb`: whether the ClientHello's cookie is the one made for its source address
/// (compared in constant time).
func cookieVerifyCallback(_ ssl: OpaquePointer?, _ cookie: UnsafePointer<UInt8>?, _ length: UInt32) -> Int32 {
    guard let link = DTLSLink.of(SSL_get_rbio(ssl)), let cookie,
        let expected = DTLSCookie.cookie(secret: link.cookieSecret, peer: link.peer), Int(length) == expected.count
    else { return 0 }
    return CRYPTO_memcmp(cookie, expected, expected.count) == 0 ? 1 : 0
}
