import ArgumentParser
import GatehouseServer

#if canImport(Glibc)
    import Glibc
#endif

/// `gatehouse reload`: ask a running node to re-read its policy file, through its admin API (and print the
/// verdict), or by SIGHUP to the pid in its pid file.
struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make a running node re-read its policy file.",
        discussion: """
            By default asks the node's admin listener (--admin, 127.0.0.1:9060) and prints what happened: the
            new policy generation, or every problem of a refused file (the running policy stays). With
            --pid-file it sends SIGHUP to the node started with `gatehouse serve --pid-file PATH` instead; the
            node then logs the verdict. Exits 1 when the node cannot be reached or the file was refused.
            """)

    @Option(name: .long, help: "Signal the node in this pid file instead of using the admin API.", completion: .file())
    var pidFile: String?

    @OptionGroup var options: AdminAddressOptions

    func run() async throws {
        if let pidFile {
            do {
                let pid = try PidFile.signal(SIGHUP, toProcessIn: pidFile)
                print("sent SIGHUP to gatehouse (pid \(pid)); the node logs whether the policy was reloaded")
            } catch {
                printToStandardError("gatehouse reload: \(error)")
                throw ExitCode(1)
            }
            return
        }
        let reply = try await options.fetch("/api/reload", method: .POST, accepting: [200, 422])
        if options.json { print(reply.text, terminator: "") }
        let document = try options.decode(ReloadDocument.self, from: reply)
        if document.result == "applied" {
            if !options.json { print("reloaded: policy generation \(document.generation)") }
            for listener in document.addedListeners where !options.json { print("  listening on \(listener)") }
            for listener in document.removedListeners where !options.json { print("  closed \(listener)") }
        } else {
            for problem in document.problems { printToStandardError(problem) }
            printToStandardError("reload refused; generation \(document.generation) stays in force")
            throw ExitCode(1)
        }
    }
}
