import SDP
import Testing

/// `a=crypto` keys as an SDES terminator takes them (RFC 4568 §6.1, §6.3): one inline key of the suite's length,
/// nothing it would have to act on; every refusal a typed code, never a trap.
@Suite struct CryptoKeyTests {
    static let key30 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"

    @Test func aPlainInlineKeyIsTaken() throws {
        let line = try #require(CryptoAttribute(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key30)|2^31"))
        #expect(try line.inlineKeySalt() == Array(0..<30))
        let gcm = CryptoAttribute(tag: 3, suite: .aeadAES128GCM, keySalt: Array(repeating: 9, count: 28))
        #expect(try gcm.inlineKeySalt() == Array(repeating: 9, count: 28))
        let hinted = try #require(
            CryptoAttribute(attributeValue: "2 AES_CM_128_HMAC_SHA1_32 inline:\(Self.key30) WSH=128"))
        #expect(try hinted.inlineKeySalt().count == 30, "the window size hint is advisory")
    }

    @Test(arguments: [
        ("1 SOME_SUITE inline:\(CryptoKeyTests.key30)", CryptoKeyError.Code.unknownSuite),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(CryptoKeyTests.key30)|1:1;inline:\(CryptoKeyTests.key30)|2:1", .keyCount),
        ("1 AES_CM_128_HMAC_SHA1_80 uri:https://example.com/key", .keyMethod),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(CryptoKeyTests.key30)|2^20|1:4", .masterKeyIdentifier),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", .keyLength),
        ("1 AEAD_AES_128_GCM inline:\(CryptoKeyTests.key30)", .keyLength),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(CryptoKeyTests.key30) UNENCRYPTED_SRTCP", .sessionParameter),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(CryptoKeyTests.key30) KDR=23", .sessionParameter),
    ])
    func keysThatCannotBeTakenSayWhy(line: String, code: CryptoKeyError.Code) throws {
        let attribute = try #require(CryptoAttribute(attributeValue: line))
        let error = #expect(throws: CryptoKeyError.self) { try attribute.inlineKeySalt() }
        #expect(error?.code == code, "\(line): \(error?.detail ?? "")")
    }

    /// Lines that do not parse at all are skipped by the typed accessor rather than trapping.
    @Test func malformedLinesAreSkipped() throws {
        var attributes = SDPAttributes()
        attributes.append("crypto", value: "x AES_CM_128_HMAC_SHA1_80 inline:\(Self.key30)")
        attributes.append("crypto", value: "1 AES_CM_128_HMAC_SHA1_80")
        attributes.append("crypto", value: "2 AES_CM_128_HMAC_SHA1_80 inline:!!!")
        attributes.append("crypto", value: "3 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key30)")
        #expect(attributes.crypto.map(\.tag) == [3])
    }
}
