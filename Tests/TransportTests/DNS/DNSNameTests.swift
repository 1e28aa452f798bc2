import Testing

@testable import Transport

@Suite struct DNSNameTests {
    @Test func parsesLabelsWithOrWithoutTheTrailingDot() throws {
        let name = try DNSName(parsing: "sip.Example.COM")
        #expect(name.labels.map { String(decoding: $0, as: UTF8.self) } == ["sip", "Example", "COM"])
        #expect(name.description == "sip.Example.COM")
        #expect(try DNSName(parsing: "sip.example.com.") == name)
        #expect(name.wireBytes == DNSPacket.name("sip.Example.COM"))
    }

    @Test func comparesAndHashesWithoutRegardToCase() throws {
        let upper = try DNSName(parsing: "SIP.EXAMPLE.COM")
        let lower = try DNSName(parsing: "sip.example.com")
        #expect(upper == lower)
        #expect(Set([upper, lower]).count == 1)
        #expect(try DNSName(parsing: "sip.example.co") != lower)
    }

    @Test func theRootIsADot() throws {
        #expect(try DNSName(parsing: ".") == .root)
        #expect(DNSName.root.description == ".")
        #expect(DNSName.root.isRoot)
    }

    @Test func escapesRoundTrip() throws {
        let name = try DNSName(parsing: #"a\.b.c\\d.\065\009"#)
        #expect(name.labels.count == 3)
        #expect(Array(name.labels[0]) == Array("a.b".utf8))
        #expect(Array(name.labels[2]) == [65, 9])
        #expect(name.description == #"a\.b.c\\d.A\009"#)
        #expect(try DNSName(parsing: name.description) == name)
    }

    @Test(arguments: ["", "a..b", ".a", "a\\", "a\\25", "a\\256"])
    func rejectsBadText(_ text: String) {
        #expect(throws: DNSWireError.self) { try DNSName(parsing: text) }
        do {
            _ = try DNSName(parsing: text)
        } catch {
            #expect(error.code == .badName)
        }
    }

    @Test func enforcesTheLengthLimits() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(try DNSName(parsing: label63).labels.count == 1)
        #expect(throws: DNSWireError(.labelTooLong, "'\(label63)a' has a label longer than 63 bytes")) {
            try DNSName(parsing: label63 + "a")
        }
        // 4 × (1 + 63) + 1 = 257 bytes in wire form; 3 × 64 + 62 + 1 = 255 is the most.
        let longest = [label63, label63, label63, String(repeating: "b", count: 61)].joined(separator: ".")
        #expect(try DNSName(parsing: longest).wireBytes.count == 255)
        do {
            _ = try DNSName(parsing: longest + "b")
            Issue.record("a 256-byte name was accepted")
        } catch {
            #expect(error.code == .nameTooLong)
        }
    }

    @Test func prependsServiceLabels() throws {
        let name = try DNSName(parsing: "example.com").prepending(["_sip", "_udp"])
        #expect(name == (try DNSName(parsing: "_sip._udp.example.com")))
    }
}
