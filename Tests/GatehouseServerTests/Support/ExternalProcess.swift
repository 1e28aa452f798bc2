import Foundation

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                timedOut = true
                process.terminate()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), timedOut: timedOut)
    }
}
