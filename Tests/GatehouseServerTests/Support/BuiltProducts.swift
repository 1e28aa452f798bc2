import Foundation

/// Where the tests find the repository and the `gatehouse` executable that the same build made.
enum BuiltProducts {
    /// The repository's root (this file is Tests/GatehouseServerTests/Support/BuiltProducts.swift).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `gatehouse` executable next to the test bundle (SwiftPM puts every product of a build in one directory;
    /// `swift build --build-tests` and `make test` build it), or nil with the reason.
    static func gatehouse() -> Result<String, LookupError> {
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = runner.deletingLastPathComponent().appendingPathComponent("gatehouse").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            return .failure(LookupError(description: "no \(candidate): build it (swift build --product gatehouse)"))
        }
        return .success(candidate)
    }

    struct LookupError: Error, CustomStringConvertible {
        var description: String
    }
}
