import Foundation
import Testing

@testable import SIPMessage

/// One message of `Fixtures/torture-manifest.json` (RFC 4475 §3, RFC 5118 §4); `Fixtures/README.md` explains each
/// field.
struct TortureCase: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var file: String
    var wireFile: String
    var rfc: Int
    var section: String
    var messageType: String
    var kind: String
    var expectedAction: String
    var expectedStatus: Int?
    var alternatives: [String]
    var transport: String?
    var lineEndings: String

    var testDescription: String { name }

    var isResponse: Bool { messageType == "response" }

    /// The outcomes the manifest allows: `accept`, `discard` or a status code as text.
    var allowedOutcomes: Set<String> {
        var allowed = Set(alternatives)
        switch expectedAction {
        case "reject": allowed.insert(expectedStatus.map { String($0) } ?? "reject")
        default: allowed.insert(expectedAction)
        }
        return allowed
    }

    /// The exact bytes to give a parser.
    var wireBytes: [UInt8] { TortureFixtures.bytes(wireFile) }

    /// The bytes as archived (bare LF for RFC 5118); the same as `wireBytes` for RFC 4475.
    var archivedBytes: [UInt8] { TortureFixtures.bytes(file) }
}

/// The fixture files, read from the test bundle.
enum TortureFixtures {
    /// Every case of the manifest; empty if it cannot be read (`manifestIsComplete` then fails).
    static let cases: [TortureCase] = (try? loadManifest()) ?? []

    static func loadManifest() throws -> [TortureCase] {
        let data = try Data(contentsOf: directory.appendingPathComponent("torture-manifest.json"))
        return try JSONDecoder().decode([TortureCase].self, from: data)
    }

    static func bytes(_ path: String) -> [UInt8] {
        (try? Data(contentsOf: directory.appendingPathComponent(path))).map { [UInt8]($0) } ?? []
    }

    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static func `case`(_ name: String) -> TortureCase? {
        cases.first { $0.name == name }
    }
}

/// What parsing and validating a message gives.
enum TortureResult: Equatable, CustomStringConvertible {
    /// `SIPMessage(parsing:)` and `validate()` both succeeded.
    case accepted
    /// `SIPMessage(parsing:)` threw.
    case parse(SIPParseError)
    /// Parsing succeeded and `validate()` threw.
    case validate(SIPParseError)

    init(_ bytes: [UInt8]) {
        let message: SIPMessage
        do {
            message = try SIPMessage(parsing: bytes)
        } catch {
            self = .parse(error)
            return
        }
        do {
            try message.validate()
            self = .accepted
        } catch {
            self = .validate(error)
        }
    }

    var error: SIPParseError? {
        switch self {
        case .accepted: nil
        case .parse(let error), .validate(let error): error
        }
    }

    /// The outcome in the manifest's words: a rejected request is answered with its error's status, a rejected
    /// response is dropped (responses are never answered).
    func outcome(isResponse: Bool) -> String {
        guard let error else { return "accept" }
        return isResponse ? "discard" : String(error.status.code)
    }

    var description: String {
        switch self {
        case .accepted: "accepted"
        case .parse(let error): "parse error \(error)"
        case .validate(let error): "validate error \(error)"
        }
    }
}

/// The exact result expected for a message: the stage that rejects it and the code it rejects it with.
enum ExpectedResult: Equatable, CustomStringConvertible {
    case accepted
    case parse(SIPParseError.Code)
    case validate(SIPParseError.Code)

    func matches(_ result: TortureResult) -> Bool {
        switch (self, result) {
        case (.accepted, .accepted): true
        case (.parse(let code), .parse(let error)): code == error.code
        case (.validate(let code), .validate(let error)): code == error.code
        default: false
        }
    }

    var description: String {
        switch self {
        case .accepted: "accepted"
        case .parse(let code): "parse error \(code)"
        case .validate(let code): "validate error \(code)"
        }
    }
}

/// A header field as a comparable pair: its name and its unfolded value.
struct ComparableField: Equatable, CustomStringConvertible {
    var name: HeaderName
    var value: [UInt8]

    var description: String { "\(name.canonical): \(String(decoding: value, as: UTF8.self))" }
}

extension SIPMessage {
    /// Every header field in order, as name and unfolded value, leaving out Content-Length (which the serializer
    /// rewrites to the true length of the body).
    var fieldsWithoutContentLength: [ComparableField] {
        headers.filter { $0.name != .contentLength }.map { ComparableField(name: $0.name, value: Array($0.value)) }
    }
}

/// Checks that `reparsed` is the same message as `original`: start line, header fields (without Content-Length)
/// and body; and that its Content-Length states its body.
func expectSameMessage(
    _ reparsed: SIPMessage, _ original: SIPMessage, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(reparsed.startLine == original.startLine, "\(label): start line", sourceLocation: sourceLocation)
    #expect(
        reparsed.fieldsWithoutContentLength == original.fieldsWithoutContentLength, "\(label): header fields",
        sourceLocation: sourceLocation)
    #expect(reparsed.body == original.body, "\(label): body", sourceLocation: sourceLocation)
    let declared = try reparsed.headers.first(.contentLength, as: ContentLength.self)
    #expect(declared?.value == reparsed.body.count, "\(label): Content-Length", sourceLocation: sourceLocation)
}
