import Foundation

/// A request to the admin listener, read whole (bodies are small: a reload, a block).
public struct AdminRequest: Sendable {
    public var method: String
    /// The path without the query, percent-decoded.
    public var path: String
    public var query: [String: String]
    public var body: [UInt8]

    public init(method: String, target: String, body: [UInt8] = []) {
        self.method = method
        self.body = body
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = parts.first.map(String.init) ?? "/"
        self.path = rawPath.removingPercentEncoding ?? rawPath
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(keyValue[0]).removingPercentEncoding ?? String(keyValue[0])
                let value = keyValue.count == 2 ? String(keyValue[1]) : ""
                query[key] = value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? value
            }
        }
        self.query = query
    }
}

/// An answer from the admin listener.
public struct AdminResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var headers: [(String, String)] = []

    public init(status: Int, contentType: String, body: [UInt8], headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    static let jsonType = "application/json"

    /// `value` as JSON (snake_case keys, sorted, so output is stable).
    static func json(_ value: some Encodable, status: Int = 200) -> AdminResponse {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        do {
            return AdminResponse(status: status, contentType: jsonType, body: Array(try encoder.encode(value)) + [0x0A])
        } catch {
            return problem(500, "cannot encode the answer: \(error)")
        }
    }

    /// An error as `{"error": "..."}` with its status.
    static func problem(_ status: Int, _ message: String, details: [String] = []) -> AdminResponse {
        json(AdminProblem(error: message, details: details.isEmpty ? nil : details), status: status)
    }
}

struct AdminProblem: Codable {
    var error: String
    var details: [String]?
}
