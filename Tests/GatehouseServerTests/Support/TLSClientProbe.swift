import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A TLS client for tests: `openssl s_client` sends a request and collects the answer, verifying the node's
/// certificate against a CA file and an IP address. (Debian's sipsak has a TLS mode, but it checks the server
/// name with the port appended and then does not read the answer.)
enum TLSClientProbe {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `request` to `host:port` and returns what came back once a complete header section arrived (or
    /// whatever arrived before `timeout`); the client is always terminated by then.
    static func exchange(
        _ request: String, host: String, port: Int, caFile: String, timeout: Duration = .seconds(10)
    ) async throws -> String {
        guard let openssl = ExternalProcess.find("openssl") else {
            throw Failure(description: "openssl is missing: make test-deps installs it")
        }
        let directory = FileManager.default.temporaryDirectory
        let input = directory.appendingPathComponent("gh-tls-in-\(UUID().uuidString)")
        let output = directory.appendingPathComponent("gh-tls-out-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        try request.write(to: input, atomically: true, encoding: .utf8)
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw Failure(description: "cannot create \(output.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "s_client", "-connect", "\(host):\(port)", "-CAfile", caFile, "-verify_ip", host, "-verify_return_error",
            "-quiet", "-ign_eof",
        ]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        var answer = ""
        while process.isRunning, ContinuousClock.now < deadline {
            answer = String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self)
            if answer.contains("\r\n\r\n") { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        // SIGKILL, not terminate(): the child inherits the test thread's signal mask, which may block SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self)
    }
}
