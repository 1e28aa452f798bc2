import ArgumentParser
import GatehousePolicy
import GatehouseServer

/// `gatehouse check FILE`: validate a policy without starting anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a policy file and print every problem as FILE:LINE:COLUMN: CODE: MESSAGE.",
        discussion: "Exits 0 when the file is valid, 1 when it has problems, 2 when it cannot be read.")

    @Argument(help: "The policy file to check.", completion: .file(extensions: ["yaml", "yml"]))
    var file: String

    func run() throws {
        let text: String
        do {
            text = try PolicyFile.read(path: file)
        } catch {
            printToStandardError("\(file): \(error)")
            throw ExitCode(2)
        }
        do {
            let policy = try PolicyLoader.load(yaml: text, file: file)
            let listeners = policy.realms.reduce(0) { $0 + $1.listeners.count }
            print("\(file): ok (node \(policy.node.name), \(policy.realms.count) realms, \(listeners) listeners)")
        } catch {
            for diagnostic in error.diagnostics { print(diagnostic) }
            printToStandardError("\(file): \(error.diagnostics.count) problem(s)")
            throw ExitCode(1)
        }
    }
}
