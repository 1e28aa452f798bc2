import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a real peer (sipsak, sipp) to completion with a deadline, capturing its output.
///
/// Every run is bounded: a peer still running after `timeout` is terminated (by the pid this helper started), so
/// a hung peer fails the test instead of hanging the suite.
struct ExternalProcess {
    struct Outcome {
        var status: Int32
        var output: String
        var timedOut: Bool
    }

    /// The path of a program on PATH, or nil (the test then fails with a message saying what to install).
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(
        _ executable: String, _ arguments: [String], timeout: Duration = .seconds(20)
    ) async throws -> Outcome {
        try await start(executable, arguments).finish(within: timeout)
    }

    /// Starts a peer in the background (a SIPp UAS waiting for calls); `finish(within:)` collects it.
    static func start(_ executable: String, _ arguments: [String]) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gh-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, outputFile: output, handle: handle)
    }

    /// A started peer.
    final class Running: @unchecked Sendable {
        let process: Process
        let outputFile: URL
        let handle: FileHandle

        init(process: Process, outputFile: URL, handle: FileHandle) {
            self.process = process
            self.outputFile = outputFile
            self.handle = handle
        }

        /// Waits for the peer to exit; past `timeout` it is terminated (by its pid) and the outcome says so.
        func finish(within timeout: Duration) async throws -> Outcome {
            let deadline = ContinuousClock.now + timeout
            var timedOut = false
            while process.isRunning {
                if ContinuousClock.now >= deadline {
                    timedOut = true
                    kill()
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            process.waitUntilExit()
            try? handle.close()
            let data = (try? Data(contentsOf: outputFile)) ?? Data()
            try? FileManager.default.removeItem(at: outputFile)
            return Outcome(
                status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), timedOut: timedOut)
        }

        /// Stops the peer now (by its pid) if it is still running.
        func stop() {
            if process.isRunning { kill() }
        }

        /// SIGKILL, not SIGTERM: children of the test runner inherit a signal mask in which SIGTERM is blocked,
        /// so `terminate()` would leave them running (and `waitUntilExit()` waiting forever).
        private func kill() {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
        }
    }
}
