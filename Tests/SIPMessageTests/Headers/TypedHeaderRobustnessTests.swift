import TestSupport
import Testing

@testable import SIPMessage

/// No input traps a typed parser: every prefix and seeded random mutations of valid values either parse or throw a
/// `SIPParseError` with status 400, and whatever parses round-trips.
@Suite struct TypedHeaderRobustnessTests {
    static let seeds: [String] = [
        "SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111;received=[2001:db8::9:255];rport=5060",
        #""Watson, \"Tom\"" <sip:t.watson@example.org;lr>;tag=1;q=0.5;expires=60"#,
        "sip:user@example.com;tag=1",
        "314159 INVITE",
        "application/sdp;charset=\"utf-8\"",
        "icid-value=AyretyU0dm+6O2IrT5tAFrbHLso=023551024;orig-ioi=home1.net",
        "ipsec-3gpp; alg=hmac-sha-1-96; spi-c=23456789; spi-s=12345678; port-c=2468; port-s=1357",
        #"Digest realm="r", nonce="CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==", qop="auth,auth-int", algorithm=AKAv1-MD5"#,
        "4000;refresher=uac",
        "a84b4c76e66710@pc33.atlanta.com",
    ]

    static let alphabet = Array(#" ;,:="\<>[]@/*.0123456789abcxyzSIP\"#.utf8) + [0x09, 0x00, 0x0D, 0x0A, 0xC3, 0xFF]

    /// Parses `bytes` with every typed view.
    static func parseAll(_ bytes: ArraySlice<UInt8>) {
        check(bytes, as: Via.self)
        check(bytes, as: NameAddress.self)
        check(bytes, as: ContactValue.self)
        check(bytes, as: CallID.self)
        check(bytes, as: CSeq.self)
        check(bytes, as: MaxForwards.self)
        check(bytes, as: ContentLength.self)
        check(bytes, as: ContentType.self)
        check(bytes, as: Expires.self)
        check(bytes, as: OptionTag.self)
        check(bytes, as: SIPMethod.self)
        check(bytes, as: SessionExpires.self)
        check(bytes, as: MinSE.self)
        check(bytes, as: PChargingVector.self)
        check(bytes, as: SecurityMechanism.self)
        check(bytes, as: Credentials.self)
        check(bytes, as: Challenge.self)
        _ = try? HeaderParameters(parsing: bytes)
    }

    static func check<V: SIPHeaderValue & Equatable>(_ bytes: ArraySlice<UInt8>, as type: V.Type) {
        let value: V
        do {
            value = try V(parsing: bytes)
        } catch {
            #expect(error.status == .badRequest)
            return
        }
        let written = value.serialized
        #expect(!written.contains(ASCII.cr) && !written.contains(ASCII.lf), "\(V.self): \(value)")
        do {
            let reparsed = try V(parsing: written[...])
            #expect(reparsed == value, "\(V.self): \(String(decoding: bytes, as: UTF8.self)) → \(value)")
        } catch {
            Issue.record("\(V.self): \(String(decoding: bytes, as: UTF8.self)) wrote \(value), which fails: \(error)")
        }
    }

    @Test func everyPrefixAndSuffix() {
        for seed in Self.seeds {
            let bytes = Array(seed.utf8)
            for end in 0...bytes.count { Self.parseAll(bytes[0..<end]) }
            for start in 0...bytes.count { Self.parseAll(bytes[start...]) }
        }
    }

    @Test func randomMutations() {
        var random = SeededGenerator(seed: 0x5EED_CAFE)
        for seed in Self.seeds {
            for _ in 0..<300 {
                var bytes = Array(seed.utf8)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let position = Int.random(in: 0...bytes.count, using: &random)
                    let byte = Self.alphabet.randomElement(using: &random) ?? 0
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes.insert(byte, at: position)
                    case 1 where position < bytes.count: bytes[position] = byte
                    default: if position < bytes.count { bytes.remove(at: position) }
                    }
                }
                Self.parseAll(bytes[...])
            }
        }
    }

    @Test func qValues() {
        #expect(QValue(parsing: "0.7") == QValue(parsing: "0.700"))
        #expect(QValue(parsing: "1.000")?.description == "1")
        #expect(QValue(parsing: "0.05")?.description == "0.05")
        #expect(QValue(parsing: "0.")?.thousandths == 0)
        for bad in ["", "1.001", "2", "0.1234", ".5", "0,5", "1.5", "-0"] {
            #expect(QValue(parsing: bad) == nil, "\(bad)")
        }
        #expect(QValue(thousandths: 1001) == nil)
        #expect(QValue.zero < QValue.one)
    }
}
