import NIOPosix
import Testing

@testable import Transport

/// A failure of the DNS tests' scaffolding (a server that did not start).
struct DNSTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The error `body` throws, or nil (and an issue recorded) if it succeeds.
func dnsFailure<T>(
    _ body: () async throws(DNSError) -> T, sourceLocation: SourceLocation = #_sourceLocation
) async -> DNSError? {
    do {
        let value = try await body()
        Issue.record("expected a DNSError, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

extension DNSResolver {
    /// The error a lookup fails with, or nil (and an issue recorded) if it succeeds.
    func failure(
        _ name: String, _ type: DNSRecordType, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> DNSError? {
        await dnsFailure({ () async throws(DNSError) in try await lookup(name, type) }, sourceLocation: sourceLocation)
    }
}
