import ArgumentParser
import GatehousePolicy
import GatehouseServer

/// The policy file of a command that only reads it (`explain`, `replay`): loaded and validated, or every problem
/// printed as FILE:LINE:COLUMN and the command ended with exit status 2.
func loadPolicyOrExit(_ path: String) throws -> Policy {
    do {
        return try PolicyLoader.load(yaml: try PolicyFile.read(path: path), file: path)
    } catch let error as PolicyValidationError {
        for diagnostic in error.diagnostics { printToStandardError("\(diagnostic)") }
        throw ExitCode(2)
    } catch {
        printToStandardError("\(path): \(error)")
        throw ExitCode(2)
    }
}
