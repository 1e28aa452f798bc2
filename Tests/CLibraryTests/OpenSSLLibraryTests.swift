import COpenSSL
import Testing

/// System OpenSSL 3: version, a digest through EVP, and a DTLS context offering DTLS-SRTP.
@Suite("OpenSSL")
struct OpenSSLLibraryTests {
    @Test("OpenSSL is version 3 or later")
    func version() {
        #expect(OpenSSL_version_num() >= 0x3000_0000)
    }

    @Test("EVP_Digest SHA-256 of \"abc\" matches FIPS 180-2")
    func sha256() throws {
        let input: [UInt8] = Array("abc".utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = EVP_Digest(input, input.count, &digest, &length, EVP_sha256(), nil)
        try #require(ok == 1)
        #expect(length == 32)
        let hex = digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("a DTLS context accepts SRTP_AES128_CM_SHA1_80 and the shim's controls")
    func dtlsSRTPContext() throws {
        let ctx = try #require(SSL_CTX_new(DTLS_method()))
        defer { SSL_CTX_free(ctx) }
        // 0 means success for this call (unlike most of OpenSSL).
        #expect(SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_AES128_CM_SHA1_80") == 0)
        #expect(SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_NO_SUCH_PROFILE") != 0)
        ERR_clear_error()

        #expect(gh_SSL_CTX_set_min_proto_version(ctx, Int(DTLS1_2_VERSION)) == 1)
        let options = SSL_CTX_set_options(ctx, gh_SSL_OP_NO_QUERY_MTU() | gh_SSL_OP_NO_TICKET())
        #expect(options & gh_SSL_OP_NO_QUERY_MTU() != 0)
        #expect(gh_SSL_OP_NO_QUERY_MTU() == 1 << 12)

        let ssl = try #require(SSL_new(ctx))
        defer { SSL_free(ssl) }
        #expect(gh_SSL_set_mtu(ssl, 1200) == 1200)
        var timeout = timeval()
        #expect(gh_DTLSv1_get_timeout(ssl, &timeout) == 0, "no retransmission timer before the handshake")
        #expect(gh_DTLSv1_handle_timeout(ssl) == 0)
    }

    @Test("gh_EVP_EC_gen makes a P-256 key")
    func ecKey() throws {
        let key = try #require(gh_EVP_EC_gen("prime256v1"))
        defer { EVP_PKEY_free(key) }
        #expect(EVP_PKEY_get_bits(key) == 256)
        #expect(gh_EVP_EC_gen("no-such-curve") == nil)
        ERR_clear_error()
    }
}
