import Foundation
import GatehouseServer

extension CallDetailRecord {
    /// How the tests read what the writer wrote: snake-case keys, ISO 8601 times with milliseconds.
    static let lineDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
        }
        return decoder
    }()

    /// One `cdr.jsonl` line.
    init(line: some StringProtocol) throws {
        self = try Self.lineDecoder.decode(CallDetailRecord.self, from: Data(line.utf8))
    }

    /// Every record of a `cdr.jsonl` file's text.
    static func records(inLines text: String) throws -> [CallDetailRecord] {
        try text.split(separator: "\n").map { try CallDetailRecord(line: $0) }
    }
}
