import ArgumentParser
import GatehousePolicy
import GatehouseServer
import Logging
import ServiceLifecycle

/// `gatehouse serve`: run a node until SIGTERM or SIGINT (which drain it first); SIGHUP reloads the policy file.
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
            SIGTERM or SIGINT drains the node: new calls get 503 with Retry-After, calls in progress go on for up
            to node.drain_timeout, then the listeners close and the process exits 0. A second signal stops at once.
            The admin listener (admin.listen) serves the API, /metrics and the status page.
            """)

    @Option(name: .long, help: "The policy file.", completion: .file(extensions: ["yaml", "yml"]))
    var policy: String = "/etc/gatehouse/gatehouse.yaml"

    @Option(
        name: .long,
        help: "Log level: trace, debug, info, notice, warning, error, critical (default: the policy's node.log_level).")
    var logLevel: String?

    @Option(name: .long, help: "Worker threads for signalling (default: one per core).")
    var threads: Int?

    @Option(
        name: .long, help: "Write the process id to this file once listening (for `gatehouse reload`).",
        completion: .file())
    var pidFile: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        let levels = LogLevelControl(logLevel.flatMap(Logger.Level.init(rawValue:)) ?? .info, fixed: logLevel != nil)
        LoggingSystem.bootstrap { label in levels.standardErrorHandler(label: label) }
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
            policyDirectory: GatehouseNode.directory(ofPolicyFile: policy), logLevels: levels, keepsState: true)
        // The admin listener comes first: a group shuts down in reverse order, so it outlives the node's drain.
        var services: [any Service] = []
        if let admin = loaded.admin {
            let router = AdminRouter(node: node, policyFile: policy, isListening: { node.isListening })
            services.append(AdminService(host: admin.host, port: admin.port, router: router, logger: logger))
        }
        services.append(NodeService(node: node, policyFile: policy, pidFile: pidFile))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("stopped: \(error)")
            printToStandardError("\(policy): stopped: \(error)")
            throw ExitCode(1)
        }
    }
}
