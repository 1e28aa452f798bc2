import ArgumentParser
import GatehouseServer

enum GatehouseVersionInfo {
    static var text: String { "gatehouse \(GatehouseVersion.current)" }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version of this build.")

    func run() {
        print(GatehouseVersionInfo.text)
    }
}
