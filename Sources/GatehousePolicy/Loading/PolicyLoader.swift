import SIPMessage
import Yams

/// Turns the text of a policy file into a validated `Policy`, or into every problem the file has, each with its
/// `file:line:column`. Nothing is applied until the whole file is valid.
public enum PolicyLoader {
    /// Parses and validates policy text. `file` is the name used in diagnostics.
    public static func load(yaml: String, file: String) throws(PolicyValidationError) -> Policy {
        try read(yaml: yaml, file: file, what: "the policy file", PolicyReader.read(_:reader:))
    }

    /// Parses and validates a subscriber file (`subscribers: [...]`, the format of `ims.subscribers`), as
    /// `gatehouse hss import` reads it. Digest credentials without a `realm` take their private identity's.
    public static func loadSubscribers(
        yaml: String, file: String
    ) throws(PolicyValidationError) -> [ProvisionedSubscriber] {
        try read(yaml: yaml, file: file, what: "the subscriber file", PolicyReader.readSubscriberFile(_:reader:))
    }

    /// Composes the YAML and reads it with `readRoot`, which reports every problem it finds; the value is returned
    /// only when there was none.
    private static func read<Value>(
        yaml: String, file: String, what: String, _ readRoot: (Node, inout YAMLReader) -> Value?
    ) throws(PolicyValidationError) -> Value {
        var reader = YAMLReader(file: file)
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                reader.report(.missingKey, "\(what) is empty", at: nil)
                throw PolicyValidationError(diagnostics: reader.diagnostics)
            }
            root = composed
        } catch let error as PolicyValidationError {
            throw error
        } catch {
            throw PolicyValidationError(diagnostics: [syntaxDiagnostic(error, file: file)])
        }
        let value = readRoot(root, &reader)
        guard reader.diagnostics.isEmpty, let value else {
            throw PolicyValidationError(diagnostics: reader.diagnostics)
        }
        return value
    }

    /// A YAML syntax error from Yams, located where libyaml found it.
    static func syntaxDiagnostic(_ error: any Error, file: String) -> PolicyDiagnostic {
        var line = 1
        var column = 1
        var problem = "\(error)"
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(let context, let text, let mark, _), .parser(let context, let text, let mark, _),
                .composer(let context, let text, let mark, _):
                line = mark.line
                column = mark.column
                problem = (context.map { "\($0.text) " } ?? "") + text
            default:
                break
            }
        }
        return PolicyDiagnostic(file: file, line: line, column: column, code: .yamlSyntax, message: problem)
    }
}
