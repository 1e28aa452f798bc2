import ArgumentParser
import Foundation
import GatehousePolicy
import GatehouseServer

/// `gatehouse hss …`: the embedded HSS's subscribers, in the store the policy names (`node.state`).
struct HSSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hss",
        abstract: "Manage the embedded HSS's subscribers (policy with ims.hss: embedded).",
        discussion: """
            Works on the store the policy's node.state names, with or without a node running: a running node
            reads subscribers at each registration. Secrets are never printed.
            """,
        subcommands: [
            HSSAddCommand.self, HSSShowCommand.self, HSSListCommand.self, HSSRemoveCommand.self,
            HSSImportCommand.self,
        ])
}

/// The policy option every `hss` subcommand takes, and the store it opens.
struct HSSPolicyOption: ParsableArguments {
    @Option(name: .long, help: "The policy file (its node.state locates the store).", completion: .file())
    var policy: String = "/etc/gatehouse/gatehouse.yaml"

    func administration() throws -> IMSAdministration {
        let loaded: Policy
        do {
            loaded = try PolicyLoader.load(yaml: try PolicyFile.read(path: policy), file: policy)
        } catch let error as PolicyValidationError {
            for diagnostic in error.diagnostics { printToStandardError(diagnostic.description) }
            throw ExitCode(1)
        }
        do {
            return try IMSAdministration(policy: loaded, directory: GatehouseNode.directory(ofPolicyFile: policy))
        } catch {
            printToStandardError("\(policy): \(error)")
            throw ExitCode(1)
        }
    }
}

/// `gatehouse hss add`: one subscriber from options (the same validation as a subscriber file).
struct HSSAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add or replace a subscriber.",
        discussion: """
            Example: gatehouse hss add --impi carol@ims.gatehouse.test --impu sip:carol@ims.gatehouse.test \\
              --impu tel:+15550100003 --aka-k 00112233445566778899aabbccddeeff --aka-op ... --aka-amf 8000
            """)

    @OptionGroup var options: HSSPolicyOption
    @Option(help: "The private identity (IMPI), user@realm.") var impi: String
    @Option(help: "A public identity (IMPU): a sip: or tel: URI, or a wildcard with !regex!. Repeat for more.")
    var impu: [String]
    @Option(help: "AKA: K, 32 hex digits.") var akaK: String?
    @Option(help: "AKA: OP, 32 hex digits.") var akaOp: String?
    @Option(help: "AKA: OPc, 32 hex digits (instead of OP).") var akaOpc: String?
    @Option(help: "AKA: AMF, 4 hex digits.") var akaAmf: String = "8000"
    @Option(help: "Digest password.") var password: String?
    @Option(help: "Preferred scheme: aka, digest-md5 or digest-sha256.") var authentication: String?

    func validate() throws {
        guard !impu.isEmpty else { throw ValidationError("at least one --impu") }
        guard akaK != nil || password != nil else {
            throw ValidationError("--aka-k (with --aka-op/--aka-opc) or --password")
        }
    }

    func run() throws {
        // Built as a one-entry subscriber file, so that the checks and their messages are those of the file format.
        var entry =
            "- private_identity: \(Self.quoted(impi))\n  public_identities: [\(impu.map(Self.quoted).joined(separator: ", "))]\n"
        if let akaK {
            entry += "  aka: { k: \(Self.quoted(akaK)), amf: \(Self.quoted(akaAmf))"
            if let akaOp { entry += ", op: \(Self.quoted(akaOp))" }
            if let akaOpc { entry += ", opc: \(Self.quoted(akaOpc))" }
            entry += " }\n"
        }
        if let password { entry += "  digest: { password: \(Self.quoted(password)) }\n" }
        if let authentication { entry += "  authentication: \(Self.quoted(authentication))\n" }
        let added = try HSSImportCommand.provision(
            "subscribers:\n" + entry.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n",
            file: "(command line)", with: options.administration())
        print("added \(added.joined(separator: ", "))")
    }

    /// A YAML double-quoted scalar (JSON string syntax, which YAML accepts).
    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
        let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }
}

/// `gatehouse hss import FILE.yaml`.
struct HSSImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add or replace the subscribers of a file (subscribers: [...]).",
        discussion: "A file with problems is refused with FILE:LINE:COLUMN diagnostics and changes nothing.")

    @OptionGroup var options: HSSPolicyOption
    @Argument(help: "The subscriber file.", completion: .file(extensions: ["yaml", "yml"])) var file: String

    func run() throws {
        let text: String
        do {
            text = try PolicyFile.read(path: file)
        } catch {
            printToStandardError("\(file): \(error)")
            throw ExitCode(2)
        }
        let added = try Self.provision(text, file: file, with: options.administration())
        print("imported \(added.count) subscriber(s): \(added.joined(separator: ", "))")
    }

    static func provision(_ text: String, file: String, with administration: IMSAdministration) throws -> [String] {
        do {
            return try administration.importFile(text, file: file)
        } catch let error as PolicyValidationError {
            for diagnostic in error.diagnostics { printToStandardError(diagnostic.description) }
            printToStandardError("\(file): refused, \(error.diagnostics.count) problem(s); nothing changed")
            throw ExitCode(1)
        } catch {
            printToStandardError("\(file): \(error)")
            throw ExitCode(1)
        }
    }
}

/// `gatehouse hss show IMPI`.
struct HSSShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A subscriber with its registration state and contacts (no secrets).")

    @OptionGroup var options: HSSPolicyOption
    @Argument(help: "The private identity.") var impi: String

    func run() throws {
        do {
            print(try options.administration().show(privateIdentity: impi))
        } catch let error as IMSAdministration.AdministrationError {
            printToStandardError(error.description)
            throw ExitCode(1)
        }
    }
}

/// `gatehouse hss list`.
struct HSSListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every subscriber, one per line.")

    @OptionGroup var options: HSSPolicyOption

    func run() throws {
        let text = try options.administration().list()
        print(text.isEmpty ? "no subscribers" : text)
    }
}

/// `gatehouse hss remove IMPI`.
struct HSSRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a subscriber with its registration state and contacts.")

    @OptionGroup var options: HSSPolicyOption
    @Argument(help: "The private identity.") var impi: String

    func run() throws {
        guard try options.administration().remove(privateIdentity: impi) else {
            printToStandardError("no subscriber \(impi)")
            throw ExitCode(1)
        }
        print("removed \(impi)")
    }
}
