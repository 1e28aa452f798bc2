import IMSInterfaces
import Testing

/// HTTP digest against the RFCs' own examples, and the hash tokens.
@Suite struct DigestComputationTests {
    /// RFC 2617 §3.5: Mufasa, qop=auth, MD5.
    @Test func rfc2617Example() {
        let ha1 = DigestComputation.ha1(
            algorithm: .md5, username: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life".utf8)
        #expect(ha1 == "939e7578ed9e3c518a452acee763bce9")
        let response = DigestComputation.response(
            algorithm: .md5, ha1: ha1, nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", method: "GET",
            uri: "/dir/index.html", qop: "auth", nonceCount: "00000001", clientNonce: "0a4f113b")
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    /// RFC 7616 §3.9.1: the same exchange with SHA-256 and with MD5.
    @Test(arguments: [
        (DigestHash.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        (DigestHash.md5, "8ca523f5e9506fed4657c9700eebdbec"),
    ])
    func rfc7616Example(algorithm: DigestHash, expected: String) {
        let ha1 = DigestComputation.ha1(
            algorithm: algorithm, username: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life".utf8)
        let response = DigestComputation.response(
            algorithm: algorithm, ha1: ha1, nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", method: "GET",
            uri: "/dir/index.html", qop: "auth", nonceCount: "00000001",
            clientNonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
        #expect(response == expected)
    }

    /// Without qop (RFC 2069 style, still sent by old SIP clients): response = H(HA1:nonce:HA2). The expected value
    /// is from Python's hashlib.
    @Test func withoutQop() {
        let ha1 = DigestComputation.ha1(
            algorithm: .md5, username: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life".utf8)
        let response = DigestComputation.response(
            algorithm: .md5, ha1: ha1, nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", method: "GET",
            uri: "/dir/index.html", qop: nil, nonceCount: nil, clientNonce: nil)
        #expect(response == "670fd8c2df070c60b045671b8b24ff02")
    }

    /// AKAv1-MD5 uses RES as the password, as raw bytes that need not be UTF-8 (RFC 3310 §3.4); value from hashlib.
    @Test func binaryPassword() {
        let ha1 = DigestComputation.ha1(
            algorithm: .md5, username: "alice@ims.gatehouse.test", realm: "ims.gatehouse.test",
            password: [0xFF, 0x00, 0x80, 0x7F, 0x01, 0x02, 0x03, 0x04])
        #expect(ha1 == "2b41c85dad84255653087c7aee9291bb")
    }

    @Test func labSubscriberBob() {
        let ha1 = DigestComputation.ha1(
            algorithm: .md5, username: "bob@ims.gatehouse.test", realm: "ims.gatehouse.test",
            password: "bob-secret".utf8)
        #expect(ha1 == "1439bcea3238876f454ed374156e4106")
    }

    @Test func tokens() {
        #expect(DigestHash(token: "md5") == .md5)
        #expect(DigestHash(token: "SHA-256") == .sha256)
        #expect(DigestHash(token: "sha-256") == .sha256)
        #expect(DigestHash(token: "MD5-sess") == nil)
        #expect(DigestHash(token: "SHA-512-256") == nil)
        #expect(AuthenticationScheme(algorithmToken: "akav1-md5") == .akaV1MD5)
        #expect(AuthenticationScheme(algorithmToken: "MD5") == .digestMD5)
        #expect(AuthenticationScheme(algorithmToken: "SHA-256") == .digestSHA256)
        #expect(AuthenticationScheme(algorithmToken: "AKAv2-SHA-256") == nil)
    }
}
