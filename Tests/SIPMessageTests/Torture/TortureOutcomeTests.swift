import TestSupport
import Testing

@testable import SIPMessage

/// Every RFC 4475 and RFC 5118 torture message (exact bytes, `Fixtures/`) gets the outcome the manifest asks for,
/// for the exact reason in `expectedResults`; none crashes.
@Suite struct TortureOutcomeTests {
    /// The stage and `SIPParseError` code of every message, so that a change in why a message is rejected (not only
    /// whether) fails a test. Messages are the manifest's names; these are the wire files.
    static let expectedResults: [String: ExpectedResult] = [
        // RFC 4475 §3.1.1: valid messages
        "wsinv": .accepted, "intmeth": .accepted, "esc01": .accepted, "escnull": .accepted, "esc02": .accepted,
        "lwsdisp": .accepted, "longreq": .accepted, "dblreq": .accepted, "semiuri": .accepted,
        "transports": .accepted, "mpart01": .accepted, "unreason": .accepted, "noreason": .accepted,
        // RFC 4475 §3.1.2: invalid messages
        "badinv01": .validate(.badVia),  // Via: SIP/2.0/UDP 192.0.2.15;;,;,,
        "clerr": .parse(.badContentLength),  // 9999 declared, 154 present
        "ncl": .parse(.badContentLength),  // -999
        "scalar02": .validate(.badCSeq),  // CSeq 36893488147419103232 (the first header validate() reads)
        "scalarlg": .validate(.badCSeq),  // a response: dropped
        "quotbal": .validate(.badNameAddress),  // To: "Mr. J. User <sip:j.user@example.com>
        "ltgtruri": .validate(.malformedURI),  // INVITE <sip:user@example.com> SIP/2.0
        "lwsruri": .parse(.malformedURI),  // INVITE sip:user@example.com; lr SIP/2.0
        "lwsstart": .parse(.malformedURI),  // INVITE  sip:… (two SP)
        "trws": .parse(.malformedURI),  // OPTIONS sip:… SIP/2.0 + trailing SP
        "escruri": .validate(.malformedURI),  // ?Route=%3Csip:example.com%3E in the Request-URI
        "baddate": .accepted,  // Date is not read; the manifest accepts it
        "regbadct": .validate(.badContact),  // Contact: sip:user@example.com?Route=… without <>
        "badaspec": .validate(.malformedURI),  // To: "Watson, Thomas" < sip:t.watson@example.org >
        "baddn": .parse(.incompleteHeaders),  // archive has no empty line: see `baddnWithItsEmptyLine`
        "badvers": .parse(.badVersion),  // SIP/7.0: 505
        "mismatch01": .validate(.cseqMethodMismatch),
        "mismatch02": .validate(.cseqMethodMismatch),  // 400, which the manifest allows instead of 501
        "bigcode": .parse(.badStatusCode),  // SIP/2.0 4294967301: dropped
        // RFC 4475 §3.2, §3.3: semantic tests
        "badbranch": .validate(.badVia),  // branch=z9hG4bK only
        "insuf": .validate(.missingHeader),  // "Missing Call-ID"
        "unkscm": .validate(.unsupportedURIScheme),  // 416
        "novelsc": .validate(.unsupportedURIScheme),  // soap.beep: 416
        "unksm2": .accepted,  // isbn:, http:, name: URIs in To/From/Contact: valid syntax
        "bext01": .accepted, "invut": .accepted, "regaut01": .accepted,
        "multi01": .validate(.duplicateHeader),  // two Call-IDs (and two To, two CSeq)
        "mcl01": .parse(.badContentLength),  // Content-Length 13 and 5
        "bcast": .accepted,  // dropped by validateForForwarding(): see `decidedOutsideValidate`
        "zeromf": .accepted,  // 483 from validateForForwarding()
        "cparam01": .accepted, "cparam02": .accepted, "regescrt": .accepted, "sdp01": .accepted,
        // RFC 4475 §3.4
        "inv2543": .accepted,
        // RFC 5118 §4 (wire files)
        "ipv6-good": .accepted,
        "ipv6-bad": .validate(.badURIHost),  // REGISTER sip:2001:db8::10
        "port-ambiguous": .accepted, "port-unambiguous": .accepted, "via-received-param-with-delim": .accepted,
        "via-received-param-no-delim": .accepted, "ipv6-in-sdp": .accepted, "mult-ip-in-header": .accepted,
        "mult-ip-in-sdp": .accepted, "ipv4-mapped-ipv6": .accepted,
        "ipv6-bug-abnf-3-colons": .accepted,  // [2001:db8:::192.0.2.1] tolerated (RFC 5118 §4.10)
        "ipv6-correct-abnf-2-colons": .accepted,
    ]

    /// Outcomes that are not `validate()`'s to decide: `validate()` accepts these messages, and the element that
    /// owns the decision gives the manifest's answer. Each is checked here as far as this module can: the header the
    /// decision reads parses, or the forwarding check gives the answer.
    static let decidedOutsideValidate: [String: String] = [
        "bext01": "420: the UAS (StatelessResponder) compares Require with what it supports (RFC 3261 §8.2.2.3)",
        "invut": "415: the UAS checks Content-Type against the bodies it understands (RFC 3261 §8.2.3)",
        "sdp01": "406: the UAS checks Accept against the bodies it can send (RFC 3261 §21.4.7)",
        "zeromf": "483: validateForForwarding(), before a proxy forwards (RFC 3261 §16.3 step 3)",
        "bcast": "discard: validateForForwarding() refuses to send a response to 255.255.255.255",
    ]

    @Test func manifestIsComplete() {
        let cases = TortureFixtures.cases
        #expect(cases.count == 61)
        #expect(cases.filter { $0.rfc == 4475 }.count == 49)
        #expect(Set(cases.map(\.name)) == Set(Self.expectedResults.keys))
        for name in Self.decidedOutsideValidate.keys { #expect(Self.expectedResults[name] == .accepted, "\(name)") }
        for torture in cases {
            #expect(!torture.wireBytes.isEmpty, "\(torture.wireFile) is missing")
            #expect(!torture.archivedBytes.isEmpty, "\(torture.file) is missing")
        }
    }

    @Test(arguments: TortureFixtures.cases)
    func outcomeIsAllowedByTheManifest(_ torture: TortureCase) {
        let result = TortureResult(torture.wireBytes)
        if Self.decidedOutsideValidate[torture.name] != nil {
            #expect(result == .accepted, "\(torture.name): \(result)")
            return
        }
        let outcome = result.outcome(isResponse: torture.isResponse)
        #expect(
            torture.allowedOutcomes.contains(outcome),
            "\(torture.name): \(result) is '\(outcome)', the manifest allows \(torture.allowedOutcomes.sorted())")
        if torture.kind == "valid" {
            #expect(result == .accepted, "\(torture.name) is valid: \(result)")
        }
    }

    @Test(arguments: TortureFixtures.cases)
    func rejectedForTheExpectedReason(_ torture: TortureCase) throws {
        let expected = try #require(Self.expectedResults[torture.name], "\(torture.name) has no expected result")
        let result = TortureResult(torture.wireBytes)
        #expect(expected.matches(result), "\(torture.name): expected \(expected), got \(result)")
    }

    /// Statuses other than 400 come from the error itself, so the server answers them without a lookup.
    @Test func statusesCarriedByTheErrors() {
        func status(_ name: String) -> Int? {
            TortureFixtures.case(name).flatMap { TortureResult($0.wireBytes).error?.status.code }
        }
        #expect(status("badvers") == 505)
        #expect(status("unkscm") == 416)
        #expect(status("novelsc") == 416)
        #expect(status("mismatch02") == 400)
        #expect(status("ipv6-bad") == 400)
        #expect(status("clerr") == 400)
        // The detail is the reason phrase of the 400 (RFC 4475 §3.3.1).
        #expect(
            TortureFixtures.case("insuf").flatMap { TortureResult($0.wireBytes).error?.detail } == "Missing Call-ID")
    }

    /// RFC 4475's baddn.dat ends after its last header line, without the empty line. With that line added (as
    /// ersip's copy has it), the defect the test is about, the unquoted display names with a comma, is found.
    @Test func baddnWithItsEmptyLine() throws {
        let torture = try #require(TortureFixtures.case("baddn"))
        let result = TortureResult(torture.wireBytes + Array("\r\n".utf8))
        #expect(result.error?.code == .badNameAddress, "\(result)")
        #expect(result.error?.status == .badRequest)
    }

    @Test func zeroMaxForwardsIsNotForwarded() throws {
        let torture = try #require(TortureFixtures.case("zeromf"))
        let message = try SIPMessage(parsing: torture.wireBytes)
        let error = typedHeaderError { try message.validateForForwarding() }
        #expect(error?.code == .tooManyHops)
        #expect(error?.status == .tooManyHops)
    }

    @Test func broadcastViaResponseIsNotForwarded() throws {
        let torture = try #require(TortureFixtures.case("bcast"))
        let message = try SIPMessage(parsing: torture.wireBytes)
        #expect(typedHeaderError { try message.validateForForwarding() }?.code == .badVia)
        // The same response with an ordinary second Via is forwarded.
        var ordinary = message
        ordinary.headers.removeAll { name, _ in name == .via }
        ordinary.headers.append(.via, "SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923")
        ordinary.headers.append(.via, "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1saber23")
        #expect(typedHeaderError { try ordinary.validateForForwarding() } == nil)
    }

    /// What the UAS reads to answer 420, 415 and 406 parses, so the answer is the UAS's decision, not a parse error.
    @Test func headersTheUASDecidesOnParse() throws {
        let bext01 = try SIPMessage(parsing: try #require(TortureFixtures.case("bext01")).wireBytes)
        #expect(try bext01.headers.optionTags(.require) == ["nothingSupportsThis", "nothingSupportsThisEither"])
        #expect(try bext01.headers.optionTags(.proxyRequire).count == 2)

        let invut = try SIPMessage(parsing: try #require(TortureFixtures.case("invut")).wireBytes)
        #expect(try invut.contentType == ContentType(type: "application", subtype: "unknownformat"))

        let sdp01 = try SIPMessage(parsing: try #require(TortureFixtures.case("sdp01")).wireBytes)
        #expect(
            try sdp01.headers.values(.accept).map { String(decoding: $0, as: UTF8.self) } == ["text/nobodyKnowsThis"])
        #expect(try sdp01.contentType?.isSDP == true)
    }

    /// Every prefix and a few corruptions of every message: an error or a message, never a crash.
    @Test(arguments: TortureFixtures.cases)
    func noPrefixOrCorruptionCrashes(_ torture: TortureCase) {
        let bytes = torture.wireBytes
        for length in 0...bytes.count {
            _ = TortureResult(Array(bytes[..<length]))
        }
        var random = SeededGenerator(seed: UInt64(bytes.count))
        for _ in 0..<50 {
            var corrupted = bytes
            let position = Int.random(in: 0..<corrupted.count, using: &random)
            corrupted[position] = UInt8.random(in: 0...255, using: &random)
            if case .accepted = TortureResult(corrupted), let message = try? SIPMessage(parsing: corrupted) {
                _ = try? SIPMessage(parsing: message.serialize())
            }
        }
    }
}
