import ArgumentParser
import GatehousePolicy
import GatehouseServer
import Logging

/// `gatehouse serve`: run a node until SIGINT or SIGTERM; SIGHUP reloads the policy file.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start a Gatehouse node on a policy file.",
        discussion: """
            Loads and validates the policy, binds every realm's listeners and serves until SIGINT or SIGTERM.
            A policy with problems is refused with FILE:LINE:COLUMN diagnostics and nothing is started.
            Relative certificate, key and CA paths in the policy are resolved against the policy file's directory.
            SIGHUP (or `gatehouse reload`) re-reads the policy file: a valid one is swapped in, with listeners
            added and removed as it says; a bad one is refused (logged) and the running policy stays.
            """)

    @Option(name: .long, help: "The policy file.", completion: .file(extensions: ["yaml", "yml"]))
    var policy: String = "/etc/gatehouse/gatehouse.yaml"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Worker threads for signalling (default: one per core).")
    var threads: Int?

    @Option(
        name: .long, help: "Write the process id to this file once listening (for `gatehouse reload`).",
        completion: .file())
    var pidFile: String?

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "gatehouse")
        let loaded: Policy
        do {
            loaded = try PolicyLoader.load(yaml: try PolicyFile.read(path: policy), file: policy)
        } catch let error as PolicyValidationError {
            for diagnostic in error.diagnostics { printToStandardError(diagnostic.description) }
            printToStandardError("\(policy): refused, \(error.diagnostics.count) problem(s); nothing started")
            throw ExitCode(1)
        } catch {
            printToStandardError("\(policy): \(error)")
            throw ExitCode(2)
        }
        let node = GatehouseNode(
            policy: loaded, logger: logger, threads: threads ?? GatehouseNode.defaultThreadCount,
            policyDirectory: GatehouseNode.directory(ofPolicyFile: policy))
        do {
            try await node.run(untilSignal: true, reloadingFrom: policy, pidFile: pidFile)
        } catch {
            logger.critical("stopped: \(error)")
            printToStandardError("\(policy): not started: \(error)")
            throw ExitCode(1)
        }
    }
}
