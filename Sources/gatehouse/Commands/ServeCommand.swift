import ArgumentParser
import GatehousePolicy
import GatehouseServer
import Logging

/// `gatehouse serve`: run a node until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start a Gatehouse node on a policy file.",
        discussion: """
            Loads and validates the policy, binds every realm's listeners and serves until SIGINT or SIGTERM.
            A policy with problems is refused with FILE:LINE:COLUMN diagnostics and nothing is started.
            """)

    @Option(name: .long, help: "The policy file.", completion: .file(extensions: ["yaml", "yml"]))
    var policy: String = "/etc/gatehouse/gatehouse.yaml"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Worker threads for signalling (default: one per core).")
    var threads: Int?

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
        let node = GatehouseNode(policy: loaded, logger: logger, threads: threads ?? GatehouseNode.defaultThreadCount)
        do {
            try await node.run(untilSignal: true)
        } catch {
            logger.critical("stopped: \(error)")
            throw ExitCode(1)
        }
    }
}
