import ArgumentParser
import GatehouseServer

#if canImport(Glibc)
    import Glibc
#endif

/// `gatehouse reload`: ask a running node to re-read its policy file (SIGHUP to the pid in its pid file).
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make a running node re-read its policy file.",
        discussion: """
            Sends SIGHUP to the node whose process id is in the pid file it was started with
            (`gatehouse serve --pid-file PATH`). The node validates the file before anything changes: a bad one
            is refused with its diagnostics in the node's log, and the running policy stays. Check a file first
            with `gatehouse check FILE` to see its problems here. Exits 1 when the pid file is missing or its
            process is gone.
            """)

    @Option(name: .long, help: "The pid file the node was started with.", completion: .file())
    var pidFile: String

    func run() throws {
        do {
            let pid = try PidFile.signal(SIGHUP, toProcessIn: pidFile)
            print("sent SIGHUP to gatehouse (pid \(pid)); the node logs whether the policy was reloaded")
        } catch {
            printToStandardError("gatehouse reload: \(error)")
            throw ExitCode(1)
        }
    }
}
