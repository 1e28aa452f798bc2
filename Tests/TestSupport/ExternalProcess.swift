import CSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a real peer (sipsak, sipp, dnsmasq, socat, openssl) to completion with a deadline, capturing its output.
///
/// Every run is bounded: a peer still running after `timeout` is killed (by the pid this helper started), so a
/// hung peer fails the test instead of hanging the suite.
///
/// Peers are started with `posix_spawn` and reaped with `waitpid` on their own pid, not with Foundation's
/// `Process`: that one learns of a child's exit when the child's end of a socket pair closes, so a daemon that
/// closes every inherited descriptor at start (dnsmasq does) looks exited at once, and Foundation's one monitor
/// thread then blocks in `waitpid` on it — and with it every other `Process` of the test run, forever.
public struct ExternalProcess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var timedOut: Bool
    }

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The path of a program on PATH, or nil (the test then fails with a message saying what to install).
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        // The sbin directories too: dnsmasq lives in /usr/sbin, which a user's PATH may lack.
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
        for directory in directories {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public static func run(
        _ executable: String, _ arguments: [String], timeout: Duration = .seconds(20)
    ) async throws -> Outcome {
        try await start(executable, arguments).finish(within: timeout)
    }

    /// Starts a peer in the background (a SIPp UAS waiting for calls); `finish(within:)` collects it. Its stdin is
    /// /dev/null, stdout and stderr go to a temporary file, no other descriptor is inherited, and its signal mask is cleared (the test runner blocks
    /// signals its children would otherwise inherit). `environment` is added to the test process's own (a node
    /// started the way systemd starts it gets `NOTIFY_SOCKET`).
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> Running {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gh-\(UUID().uuidString).log")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process: a peer that inherited a node's listening socket would keep its port
        // bound after the node closed it, and the next test's node could not bind it.
        gatehouse_spawn_close_from(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for variable in envp { free(variable) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw StartError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return Running(pid: pid, outputFile: output)
    }

    /// A started peer.
    public final class Running: Sendable {
        let pid: pid_t
        let outputFile: URL
        /// The wait status once the peer has been reaped.
        private let exitStatus = Mutex<Int32?>(nil)

        init(pid: pid_t, outputFile: URL) {
            self.pid = pid
            self.outputFile = outputFile
        }

        /// The peer's process id.
        public var processID: pid_t { pid }

        /// Whether the peer is still running (it may exit on its own, e.g. when it cannot bind its port).
        public var isRunning: Bool { reap(blocking: false) == nil }

        /// Waits for the peer to exit; past `timeout` it is killed (by its pid) and the outcome says so.
        public func finish(within timeout: Duration) async throws -> Outcome {
            let deadline = ContinuousClock.now + timeout
            var timedOut = false
            while isRunning {
                if ContinuousClock.now >= deadline {
                    timedOut = true
                    kill()
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let status = reap(blocking: true) ?? -1
            let data = (try? Data(contentsOf: outputFile)) ?? Data()
            try? FileManager.default.removeItem(at: outputFile)
            return Outcome(
                status: Self.exitCode(of: status), output: String(decoding: data, as: UTF8.self), timedOut: timedOut)
        }

        /// Everything the peer has written so far (while it runs; `finish` removes the file).
        public var output: String {
            String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self)
        }

        /// Sends `signal` to the peer (by its pid) if it is still running: SIGTERM, to let it stop cleanly.
        public func signal(_ signal: Int32) {
            guard isRunning else { return }
            _ = Glibc.kill(pid, signal)
        }

        /// Stops the peer now (by its pid) if it is still running, and reaps it.
        public func stop() {
            guard isRunning else { return }
            kill()
            _ = reap(blocking: true)
        }

        /// Sends `signal` (SIGHUP, SIGTERM) to the peer, by its pid, if it is still running.
        public func send(signal: Int32) {
            guard isRunning else { return }
            _ = Glibc.kill(pid, signal)
        }

        /// SIGKILL: SIPp ignores SIGTERM.
        private func kill() {
            _ = Glibc.kill(pid, SIGKILL)
        }

        /// The wait status, reaping the peer if it has exited (or, `blocking`, once it does); nil while it runs.
        private func reap(blocking: Bool) -> Int32? {
            exitStatus.withLock { status in
                if let status { return status }
                var raw: Int32 = 0
                let result = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
                if result == pid {
                    status = raw
                } else if result < 0, errno != EINTR {
                    status = -1  // already reaped elsewhere (ECHILD): gone, status unknown
                }
                return status
            }
        }

        /// The exit code of a wait status, or 128 + the signal for a peer that was killed, as a shell reports it.
        private static func exitCode(of status: Int32) -> Int32 {
            guard status >= 0 else { return -1 }
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal
        }
    }
}
