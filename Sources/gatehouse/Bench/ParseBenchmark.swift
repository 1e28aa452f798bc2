import SIPMessage

/// The SIP codec's throughput on one core: parse a message, read what a proxy reads on every message, and write it
/// back out — for a ~1 KB INVITE with SDP and a ~400-byte 200 OK, measured separately.
///
/// Each iteration costs what a stateless relay pays per message before any policy runs: `SIPMessage(parsing:)`,
/// the raw bytes of the top Via, Call-ID and CSeq (no typed parsing, which a proxy does only for the headers it
/// acts on), and `serialize(into:)` into a buffer reused across iterations. Figures from a debug build mean nothing;
/// `gatehouse bench parse` says so.
struct ParseBenchmark {
    struct Result: Sendable, Hashable {
        /// Size of `ParseBenchmark.invite` in bytes.
        var inviteBytes: Int
        /// Size of `ParseBenchmark.okResponse` in bytes.
        var responseBytes: Int
        /// INVITEs parsed, read and re-serialized per second (best measured round).
        var invitesPerSecond: Int
        /// 200 OKs parsed, read and re-serialized per second (best measured round).
        var responsesPerSecond: Int
        /// Sum of bytes seen, so that the optimizer cannot drop the work; no meaning of its own.
        var checksum: Int
    }

    /// A realistic INVITE as a B2BUA receives it from an access proxy: two Vias, display names, Record-Route,
    /// P-Asserted-Identity and an SDP offer of PCMU, PCMA and telephone-event: 1,076 bytes, of which the SDP is 289.
    static let invite: [UInt8] = message(
        [
            "INVITE sip:bob@biloxi.example.com SIP/2.0",
            "Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK2d4790.1;rport=5060;received=198.51.100.10",
            "Via: SIP/2.0/UDP 10.20.30.40:5062;branch=z9hG4bK3f1e4d2c;rport=5062;received=203.0.113.77",
            "Max-Forwards: 69",
            "Record-Route: <sip:198.51.100.10;lr;ftag=8fa3c2d1>",
            "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=8fa3c2d1",
            "To: \"Bob\" <sip:bob@biloxi.example.com>",
            "Call-ID: 7d5c9a1e3b2f4c8d9e6a@10.20.30.40",
            "CSeq: 102 INVITE",
            "Contact: <sip:alice@10.20.30.40:5062;transport=udp>",
            "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE",
            "Supported: replaces, timer, 100rel",
            "User-Agent: Acme SoftPhone 7.4",
            "P-Asserted-Identity: \"Alice Liddell\" <sip:+15551234567@atlanta.example.com;user=phone>",
            "Content-Type: application/sdp",
        ],
        body: [
            "v=0",
            "o=alice 2890844526 2890844526 IN IP4 10.20.30.40",
            "s=-",
            "c=IN IP4 10.20.30.40",
            "t=0 0",
            "m=audio 49170 RTP/AVP 0 8 101",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            "a=maxptime:150",
            "a=rtcp:49171 IN IP4 10.20.30.40",
            "a=sendrecv",
        ])

    /// A 200 OK to that INVITE as the B2BUA sends it back toward the access proxy, without SDP: 407 bytes.
    static let okResponse: [UInt8] = message(
        [
            "SIP/2.0 200 OK",
            "Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK2d4790.1;rport=5060",
            "Record-Route: <sip:198.51.100.10;lr;ftag=8fa3c2d1>",
            "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=8fa3c2d1",
            "To: \"Bob\" <sip:bob@biloxi.example.com>;tag=a6c85cf",
            "Call-ID: 7d5c9a1e3b2f4c8d9e6a@10.20.30.40",
            "CSeq: 102 INVITE",
            "Contact: <sip:bob@203.0.113.20:5060>",
            "Supported: replaces, timer",
        ],
        body: [])

    /// Runs `iterations` messages of each kind per round after a warm-up of a tenth as many, and reports the best of
    /// `rounds` rounds (the least disturbed by the rest of the machine).
    func run(iterations: Int, rounds: Int = 3) -> Result {
        precondition(iterations > 0 && rounds > 0)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        var checksum = 0
        let warmUp = max(1, iterations / 10)
        checksum &+= Self.process(Self.invite, times: warmUp, buffer: &buffer)
        checksum &+= Self.process(Self.okResponse, times: warmUp, buffer: &buffer)

        var bestInvite = Duration.seconds(Int64.max)
        var bestResponse = Duration.seconds(Int64.max)
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            var start = clock.now
            checksum &+= Self.process(Self.invite, times: iterations, buffer: &buffer)
            bestInvite = min(bestInvite, clock.now - start)
            start = clock.now
            checksum &+= Self.process(Self.okResponse, times: iterations, buffer: &buffer)
            bestResponse = min(bestResponse, clock.now - start)
        }
        return Result(
            inviteBytes: Self.invite.count, responseBytes: Self.okResponse.count,
            invitesPerSecond: Self.rate(iterations, in: bestInvite),
            responsesPerSecond: Self.rate(iterations, in: bestResponse),
            checksum: checksum)
    }

    /// One iteration, `times` over: parse, read the top Via, Call-ID and CSeq, re-serialize.
    private static func process(_ bytes: [UInt8], times: Int, buffer: inout [UInt8]) -> Int {
        var checksum = 0
        for _ in 0..<times {
            let message: SIPMessage
            do {
                message = try SIPMessage(parsing: bytes)
            } catch {
                preconditionFailure("benchmark message does not parse: \(error)")
            }
            guard let via = message.headers.first(.via), let callID = message.headers.first(.callID),
                let cseq = message.headers.first(.cseq)
            else { preconditionFailure("benchmark message lacks Via, Call-ID or CSeq") }
            checksum &+= via.count &+ callID.count &+ cseq.count &+ Int(via.last ?? 0)
            buffer.removeAll(keepingCapacity: true)
            message.serialize(into: &buffer)
            checksum &+= buffer.count
        }
        return checksum
    }

    private static func rate(_ count: Int, in duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let elapsed = Double(seconds) + Double(attoseconds) / 1e18
        return elapsed > 0 ? Int(Double(count) / elapsed + 0.5) : 0
    }

    /// Header lines and body lines joined with CRLF, with a Content-Length that matches the body.
    private static func message(_ headerLines: [String], body bodyLines: [String]) -> [UInt8] {
        let body = bodyLines.map { $0 + "\r\n" }.joined()
        let head = (headerLines + ["Content-Length: \(body.utf8.count)"]).map { $0 + "\r\n" }.joined()
        return Array((head + "\r\n" + body).utf8)
    }
}
