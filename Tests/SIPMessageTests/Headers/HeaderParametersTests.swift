import Testing

@testable import SIPMessage

/// `HeaderParameters`: the ordered `;name[=value]` list of RFC 3261 §7.3.1 shared by every header.
@Suite struct HeaderParametersTests {
    @Test func parsesTokensFlagsQuotedStringsAndIPv6() throws {
        let parameters = try HeaderParameters(
            parsing: Array(#";tag=abc ; lr;foo="a \"b\";c" ;received=[2001:db8::9:255];MAddr=192.0.2.1"#.utf8)[...])
        #expect(parameters.count == 5)
        #expect(parameters.value("tag") == "abc")
        #expect(parameters.contains("LR"))
        #expect(parameters.value("lr") == nil)
        #expect(parameters["foo"]?.value == #"a "b";c"#)
        #expect(parameters["foo"]?.isQuoted == true)
        #expect(parameters.value("received") == "[2001:db8::9:255]")
        #expect(parameters.value("maddr") == "192.0.2.1")
        #expect(parameters[4].name == "MAddr")
    }

    @Test func serializesFaithfully() throws {
        let text = #";tag=abc;lr;foo="a \"b\";c";received=[2001:db8::9:255]"#
        let parameters = try HeaderParameters(parsing: Array(text.utf8)[...])
        var buffer: [UInt8] = []
        parameters.serialize(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == text)
    }

    @Test func setKeepsPlaceAndRemovesDuplicates() {
        var parameters: HeaderParameters = [
            HeaderParameter(name: "a", value: "1"), HeaderParameter(name: "Tag", value: "x"),
            HeaderParameter(name: "b"), HeaderParameter(name: "tag", value: "y"),
        ]
        parameters.set("tag", "z")
        #expect(parameters.map(\.description) == ["a=1", "Tag=z", "b"])
        parameters.set("new", "has space")
        #expect(parameters.last?.description == #"new="has space""#)
        #expect(parameters.remove("A") == 1)
        #expect(parameters.map(\.name) == ["Tag", "b", "new"])
    }

    @Test func namesCompareWithoutCase() {
        #expect(HeaderParameter(name: "Branch", value: "z9") == HeaderParameter(name: "branch", value: "z9"))
        #expect(HeaderParameter(name: "tag", value: "A") != HeaderParameter(name: "tag", value: "a"))
        #expect(HeaderParameter(name: "tag", value: "a", quoted: true) == HeaderParameter(name: "tag", value: "a"))
    }

    @Test func controlCharactersNeverReachTheWire() {
        let parameter = HeaderParameter(name: "x", value: "a\r\nVia: evil")
        #expect(!parameter.description.utf8.contains(ASCII.cr))
        #expect(!parameter.description.utf8.contains(ASCII.lf))
    }

    @Test(arguments: [";", ";=1", ";a=", ";a b", ";a=\"open", ";a=b c", "a;;b"])
    func rejectsMalformed(_ text: String) {
        let error = typedHeaderError { _ = try HeaderParameters(parsing: Array(text.utf8)[...]) }
        #expect(error?.code == .badHeaderValue, "\(text)")
    }
}
