import Testing

@testable import SIPMessage

/// Call-ID, CSeq, Max-Forwards, Content-Length, Expires, Min-Expires (RFC 3261 §20.8, §20.14, §20.16, §20.19,
/// §20.22, §20.23).
@Suite struct ScalarHeaderTests {
    @Test func callID() throws {
        let callID = try CallID(parsing: " f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com ")
        #expect(callID.value == "f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com")
        #expect(callID.host == "foo.bar.com")
        #expect(try CallID(parsing: "a84b4c76e66710").host == nil)
        // `word` allows the separators RFC 3261 lists: ( ) < > : \ " / [ ] ? { }
        #expect(try CallID(parsing: #"0ha0isndaksdj@[2001:db8::9:1]"#).value == "0ha0isndaksdj@[2001:db8::9:1]")
        #expect(try CallID(parsing: #"{a}<b>"c"/\?:(d)"#).value == #"{a}<b>"c"/\?:(d)"#)
        #expect(try CallID(parsing: "ABC") != CallID(parsing: "abc"))
    }

    @Test(arguments: ["", "  ", "a b", "@host", "id@", "a@b@c", "a;b", "a,b", "é@x"])
    func badCallID(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: CallID.self) == .badCallID, "\(text)")
    }

    @Test func cseq() throws {
        let cseq = try CSeq(parsing: "4711 INVITE")
        #expect(cseq.sequence == 4711)
        #expect(cseq.method == .invite)
        #expect(try CSeq(parsing: "2147483647  NEWMETHOD ").method == SIPMethod("NEWMETHOD"))
        #expect(try CSeq(parsing: "0 ACK") == CSeq(0, .ack))
        #expect(CSeq(1, .register).serializedString == "1 REGISTER")
    }

    @Test(arguments: [
        "", "INVITE", "1", "1INVITE", "-1 INVITE", "2147483648 INVITE", "36893488147419103232 INVITE",
        "1 INVITE x", "1 INV@ITE", "1.0 INVITE",
    ])
    func badCSeq(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: CSeq.self) == .badCSeq, "\(text)")
    }

    @Test func maxForwards() throws {
        #expect(try MaxForwards(parsing: "70") == MaxForwards.recommended)
        #expect(try MaxForwards(parsing: " 0 ").decremented == nil)
        #expect(try MaxForwards(parsing: "255").decremented == 254)
    }

    @Test(arguments: ["", "256", "300", "-1", "7 0", "seventy", "99999999999999999999999"])
    func badMaxForwards(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: MaxForwards.self) == .badMaxForwards, "\(text)")
    }

    @Test func contentLength() throws {
        #expect(try ContentLength(parsing: "349").value == 349)
        #expect(typedHeaderErrorCode("12a", as: ContentLength.self) == .badContentLength)
        #expect(typedHeaderErrorCode("2147483648", as: ContentLength.self) == .badContentLength)
    }

    @Test func expires() throws {
        #expect(try Expires(parsing: "5").seconds == 5)
        #expect(try Expires(parsing: "4294967295").seconds == UInt32.max)
        #expect(try MinExpires(parsing: "60") == 60)
        #expect(Expires(3600).serializedString == "3600")
    }

    @Test(arguments: [
        "", "Thu, 01 Dec 1994 16:00:00 GMT", "4294967296", "1" + String(repeating: "0", count: 100), "-5",
    ])
    func badExpires(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: Expires.self) == .badExpires, "\(text)")
        #expect(typedHeaderErrorCode(text, as: MinExpires.self) == .badExpires, "\(text)")
    }

    @Test func roundTrips() throws {
        try typedRoundTrip("a84b4c76e66710@pc33.atlanta.com", as: CallID.self)
        try typedRoundTrip("314159   INVITE", as: CSeq.self)
        try typedRoundTrip("70", as: MaxForwards.self)
        try typedRoundTrip("0", as: ContentLength.self)
        try typedRoundTrip("7200", as: Expires.self)
        try typedRoundTrip("3600", as: MinExpires.self)
    }
}
