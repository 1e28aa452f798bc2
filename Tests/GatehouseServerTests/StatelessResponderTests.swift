import Foundation
import GatehouseServer
import SIPMessage
import Testing

/// The stateless responder on every torture request of RFC 4475 and RFC 5118: what this node answers, and why.
///
/// The node implements only OPTIONS so far, and RFC 3261 §8.2.1 inspects the method before headers and body: an
/// INVITE that an INVITE-capable element would reject with 415 (invut) or 406 (sdp01) gets 501 here. The table
/// says so per message, so a change in behaviour shows up as a failing row rather than passing unnoticed.
struct StatelessResponderTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SIPMessageTests/Fixtures")

    /// Torture request → the status this node answers (nil: not answered, e.g. dropped as unparseable or ACK).
    static let expectedAnswers: [String: Int?] = [
        // Valid requests: OPTIONS is answered, other methods are not implemented yet.
        "wsinv": 501, "intmeth": 501, "esc01": 501, "escnull": 501, "esc02": 501, "lwsdisp": 200, "longreq": 501,
        "dblreq": 501, "semiuri": 200, "transports": 200, "mpart01": 501, "inv2543": 501,
        // Syntactically invalid: answered with the parse or validation error's status (the header section is
        // intact in all of them); a Date in the wrong zone is tolerated (RFC 4475 §3.1.2.11).
        "badinv01": 400, "clerr": 400, "ncl": 400, "scalar02": 400, "quotbal": 400, "ltgtruri": 400, "lwsruri": 400,
        "lwsstart": 400, "trws": 400, "escruri": 400, "baddate": 501, "regbadct": 400, "badaspec": 400,
        "baddn": 400, "badvers": 505, "mismatch01": 400, "mismatch02": 400,
        // Semantic: validation, then method, Require and body checks.
        "badbranch": 400, "insuf": 400, "unkscm": 416, "novelsc": 416, "unksm2": 501, "bext01": 420, "invut": 501,
        "regaut01": 501, "multi01": 400, "mcl01": 400, "zeromf": 200, "cparam01": 501, "cparam02": 501,
        "regescrt": 501, "sdp01": 501,
    ]

    @Test(arguments: expectedAnswers.keys.sorted())
    func tortureRequest(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent("rfc4475/\(name).dat")))
        let expected = try #require(Self.expectedAnswers[name])
        let responder = StatelessResponder(tagSecret: 1)
        let answer: SIPMessage?
        switch InboundMessage(bytes: bytes, limits: SIPLimits()) {
        case .request(let request): answer = responder.respond(to: request)
        case .brokenRequest(let request, let error):
            answer = responder.response(to: request, status: error.status, reason: error.detail)
        case .response, .unanswerable: answer = nil
        }
        #expect(
            answer?.statusCode == expected,
            "\(name): \(answer?.statusLine.map { "\($0.code) \($0.reason)" } ?? "no answer")")
    }

    @Test func unsupportedOptionTagsAndBodies() throws {
        let responder = StatelessResponder(tagSecret: 1)
        let base = """
            OPTIONS sip:gatehouse@127.0.0.10 SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.4;branch=z9hG4bK77\r
            From: <sip:alice@example.com>;tag=1\r
            To: <sip:gatehouse@127.0.0.10>\r
            Call-ID: x\r
            CSeq: 1 OPTIONS\r

            """
        let bext = try #require(responder.respond(to: try SIPMessage(parsing: base + "Require: 100rel, foo\r\n\r\n")))
        #expect(bext.statusCode == 420)
        #expect(bext.headers.firstString(.unsupported) == "100rel, foo")

        let text = try #require(
            responder.respond(
                to: try SIPMessage(parsing: base + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi")))
        #expect(text.statusCode == 415)
        #expect(text.headers.firstString(.accept) == "application/sdp")

        let gzip = try #require(responder.respond(to: try SIPMessage(parsing: base + "Content-Encoding: gzip\r\n\r\n")))
        #expect(gzip.statusCode == 415)

        let sdp = try #require(
            responder.respond(
                to: try SIPMessage(parsing: base + "Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n"))
        )
        #expect(sdp.statusCode == 200)
    }

    @Test func responseMirrorsTheRequest() throws {
        let request = try SIPMessage(
            parsing: """
                OPTIONS sip:gatehouse@127.0.0.10 SIP/2.0\r
                v: SIP/2.0/UDP 127.0.0.4:5070;branch=z9hG4bKa, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb\r
                f: "Alice" <sip:alice@example.com>;tag=1\r
                t: <sip:gatehouse@127.0.0.10>\r
                i: abc@example.com\r
                CSeq: 7 OPTIONS\r
                \r

                """)
        let answer = try #require(StatelessResponder(tagSecret: 1).respond(to: request))
        #expect(answer.statusCode == 200)
        #expect(try answer.vias.map(\.branch) == ["z9hG4bKa", "z9hG4bKb"])
        #expect(try answer.from.tag == "1")
        #expect(try answer.to.tag?.hasPrefix("gh") == true)
        #expect(try answer.callID.description == "abc@example.com")
        #expect(try answer.cseq.sequence == 7)
        #expect(answer.headers.firstString(.server) == GatehouseVersion.productToken)
        // Serialized and parsed back, it is a well-formed response.
        #expect(throws: Never.self) { try SIPMessage(parsing: answer.serialize()).validate() }
    }
}

/// `respond(toValid:)`, for requests the sanity stage validated, answers exactly as `respond(to:)` does.
struct StatelessResponderValidatedTests {
    @Test(arguments: StatelessResponderTests.expectedAnswers.keys.sorted())
    func answersAsTheValidatingResponder(_ name: String) throws {
        let bytes = try [UInt8](
            Data(contentsOf: StatelessResponderTests.fixtures.appendingPathComponent("rfc4475/\(name).dat")))
        guard case .request(let request) = InboundMessage(bytes: bytes, limits: SIPLimits()),
            (try? request.validate()) != nil
        else { return }
        let responder = StatelessResponder(tagSecret: 1)
        let validating = responder.respond(to: request)
        let trusting = responder.respond(toValid: request)
        #expect(trusting?.serialize() == validating?.serialize(), "\(name)")
    }
}
