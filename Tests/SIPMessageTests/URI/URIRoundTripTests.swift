import TestSupport
import Testing

@testable import SIPMessage

/// Randomized round trips with a seeded generator: value → serialize → parse gives the same value, and any input
/// the parser accepts survives parse → serialize → parse unchanged.
@Suite struct URIRoundTripTests {
    /// Characters for random components: every ASCII byte class, including those that must be escaped in one
    /// component and not in another, plus NUL, controls and non-ASCII scalars.
    static let alphabet: [Character] = Array(
        "abcXYZ09-_.!~*'()&=+$,;?/:@[]%#<>\"{}|\\^` \t\u{0}\u{7F}éß日🙂")

    static func randomString(_ rng: inout SeededGenerator, minLength: Int, maxLength: Int) -> String {
        let length = Int.random(in: minLength...maxLength, using: &rng)
        return String((0..<length).map { _ in alphabet.randomElement(using: &rng) ?? "a" })
    }

    static func randomLabel(_ rng: inout SeededGenerator, startingWithLetter: Bool) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let alphanumerics = letters + Array("0123456789")
        let first = (startingWithLetter ? letters : alphanumerics).randomElement(using: &rng) ?? "a"
        let length = Int.random(in: 0...8, using: &rng)
        guard length > 0 else { return String(first) }
        let middle = (0..<length - 1).map { _ in (alphanumerics + ["-"]).randomElement(using: &rng) ?? "a" }
        let last = alphanumerics.randomElement(using: &rng) ?? "a"
        return String([first] + middle + [last])
    }

    static func randomHost(_ rng: inout SeededGenerator) -> Host {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            let labels = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                randomLabel(&rng, startingWithLetter: false)
            }
            let name = (labels + [randomLabel(&rng, startingWithLetter: true)]).joined(separator: ".")
            return .name(Bool.random(using: &rng) ? name : name + ".")
        case 1:
            return .ipv4(IPv4Address(value: UInt32.random(in: 0...UInt32.max, using: &rng)))
        default:
            // Zero groups are frequent so that "::" compression and IPv4-mapped forms both occur.
            var groups = (0..<8).map { _ in
                Bool.random(using: &rng) ? 0 : UInt16.random(in: 0...UInt16.max, using: &rng)
            }
            if Int.random(in: 0..<4, using: &rng) == 0 { groups = [0, 0, 0, 0, 0, 0xFFFF, groups[6], groups[7]] }
            return .ipv6(IPv6Address(groups: groups) ?? IPv6Address(high: 0, low: 1))
        }
    }

    static func randomSIPURI(_ rng: inout SeededGenerator) -> SIPURI {
        var uri = SIPURI(host: randomHost(&rng))
        uri.isSecure = Bool.random(using: &rng)
        if Bool.random(using: &rng) {
            uri.user = randomString(&rng, minLength: 1, maxLength: 12)
            if Bool.random(using: &rng) { uri.password = randomString(&rng, minLength: 0, maxLength: 6) }
        }
        if Bool.random(using: &rng) { uri.port = UInt16.random(in: 0...UInt16.max, using: &rng) }
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            let name = randomString(&rng, minLength: 1, maxLength: 6)
            let value = Bool.random(using: &rng) ? randomString(&rng, minLength: 1, maxLength: 8) : nil
            uri.parameters.append(URIParameter(name: name, value: value))
        }
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            uri.headers.append(
                URIHeader(
                    name: randomString(&rng, minLength: 1, maxLength: 6),
                    value: randomString(&rng, minLength: 0, maxLength: 8)))
        }
        return uri
    }

    static func randomTelURI(_ rng: inout SeededGenerator) -> TelURI {
        let digits = Array("0123456789-.()")
        let middle = (0..<Int.random(in: 0...10, using: &rng)).map { _ in digits.randomElement(using: &rng) ?? "1" }
        let number = "+" + String(middle) + String(Int.random(in: 0...9, using: &rng))
        var tel = TelURI(number: number)
        if Bool.random(using: &rng) { tel.extensionNumber = String(Int.random(in: 1...99_999, using: &rng)) }
        if Bool.random(using: &rng) { tel.isdnSubaddress = randomString(&rng, minLength: 1, maxLength: 6) }
        for index in 0..<Int.random(in: 0...2, using: &rng) {
            let value = Bool.random(using: &rng) ? randomString(&rng, minLength: 1, maxLength: 6) : nil
            let name = "p\(index)-\(randomLabel(&rng, startingWithLetter: true))"
            tel.parameters.append(URIParameter(name: name, value: value))
        }
        return tel
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomSIPURIsRoundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<500 {
            let uri = Self.randomSIPURI(&rng)
            let text = uri.description
            let parsed = try SIPURI(parsing: text)
            #expect(parsed == uri, "\(text)")
            #expect(parsed.isEquivalent(to: uri), "\(text)")
            #expect(parsed.description == text, "a parsed URI reserializes byte for byte: \(text)")
            #expect(try URI(parsing: text) == .sip(uri))
        }
    }

    @Test(arguments: [5, 6] as [UInt64])
    func randomTelURIsRoundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<500 {
            let tel = Self.randomTelURI(&rng)
            let text = tel.description
            let parsed = try TelURI(parsing: text)
            #expect(parsed == tel, "\(text)")
            #expect(parsed.isEquivalent(to: tel), "\(text)")
            #expect(parsed.description == text)
        }
    }

    /// Mutates valid URIs byte by byte; whatever still parses must be stable under serialize → parse, and nothing
    /// may trap.
    @Test func mutatedInputsNeverTrapAndStayStable() throws {
        var rng = SeededGenerator(seed: 42)
        let seeds = [
            "sip:alice:secretword@atlanta.com;transport=tcp",
            "sips:alice@atlanta.com?subject=project%20x&priority=urgent",
            "sip:+1-212-555-1212:1234@gateway.com;user=phone",
            "sip:[2001:db8::10]:5070;maddr=[::ffff:192.0.2.1];lr",
            "tel:863-1234;phone-context=+1-914-555;ext=1;isub=%41",
            "sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com",
            "urn:service:sos", "sip:192.0.2.4:5060;ttl=15",
        ]
        let interesting = Array(":;?&=@[]%.+-#/0aF ".utf8)
        var accepted = 0
        for _ in 0..<4_000 {
            var bytes = Array((seeds.randomElement(using: &rng) ?? "sip:a").utf8)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let position = Int.random(in: 0...bytes.count, using: &rng)
                let byte =
                    Bool.random(using: &rng)
                    ? (interesting.randomElement(using: &rng) ?? 0) : UInt8.random(in: 0...255, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.insert(byte, at: position)
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: if position < bytes.count { bytes[position] = byte }
                }
            }
            guard let uri = try? URI(parsing: bytes[...]) else { continue }
            accepted += 1
            let text = wire(uri)
            let reparsed = try URI(parsing: text)
            #expect(reparsed == uri, "\(String(decoding: bytes, as: UTF8.self)) → \(text)")
            #expect(wire(reparsed) == text)
            #expect(reparsed.isEquivalent(to: uri))
        }
        #expect(accepted > 500, "the mutations should leave many URIs valid")
    }
}
