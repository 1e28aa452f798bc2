import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The service files of `systemd/` as `make install` installs them: systemd-analyze accepts the unit and rates
/// its exposure 2.5 or lower, systemd-sysusers and systemd-tmpfiles apply their files, and the default policy
/// passes `gatehouse check`.
///
/// Everything is installed with `make install DESTDIR=<temporary root>` (the binary this build made stands in for
/// the release one), never onto this machine. `systemd-analyze verify` then runs with `--root` on that tree rather
/// than on a copy of the unit pointed at the build directory: so it checks the file `make install` wrote, found
/// where systemd finds it ($(PREFIX)/lib/systemd/system), with ExecStart naming the installed binary. The root
/// also gets the host's unit library (verify loads the targets the unit is ordered after) and `kill` (ExecReload).
struct SystemdUnitTests {
    /// A staged installation, removed by `remove()`.
    struct StagedRoot {
        let path: String

        static func install() async throws -> StagedRoot {
            let binary = try BuiltProducts.gatehouse().get()
            let make = try #require(ExternalProcess.find("make"), "make is missing")
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("gh-root-\(UUID().uuidString)")
            let staged = StagedRoot(path: root.path)
            let outcome = try await ExternalProcess.run(
                make,
                ["-s", "-C", BuiltProducts.repository.path, "install", "DESTDIR=\(root.path)", "BINARY=\(binary)"],
                timeout: .seconds(60))
            guard outcome.status == 0 else {
                staged.remove()
                throw StagingError(description: "make install failed: \(outcome.output)")
            }
            return staged
        }

        func file(_ path: String) -> String { self.path + path }

        func remove() {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    struct StagingError: Error, CustomStringConvertible {
        var description: String
    }

    private static func tool(_ name: String) throws -> String {
        try #require(ExternalProcess.find(name), "\(name) is missing: make test-deps installs systemd")
    }

    @Test func installPutsEachFileWhereSystemdLooks() async throws {
        let root = try await StagedRoot.install()
        defer { root.remove() }
        let files: [(String, Int)] = [
            ("/usr/local/bin/gatehouse", 0o755), ("/usr/local/lib/systemd/system/gatehouse.service", 0o644),
            ("/usr/local/lib/sysusers.d/gatehouse.conf", 0o644), ("/usr/local/lib/tmpfiles.d/gatehouse.conf", 0o644),
            ("/usr/local/share/doc/gatehouse/README.md", 0o644), ("/etc/gatehouse/gatehouse.yaml", 0o640),
        ]
        for (path, mode) in files {
            let attributes = try FileManager.default.attributesOfItem(atPath: root.file(path))
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == mode, "\(path)")
        }
        let unit = try String(
            contentsOfFile: root.file("/usr/local/lib/systemd/system/gatehouse.service"), encoding: .utf8)
        #expect(unit.contains("\nExecStart=/usr/local/bin/gatehouse serve --policy /etc/gatehouse/gatehouse.yaml\n"))
    }

    /// An operator's policy survives a reinstall; the new default goes to the documentation only.
    @Test func reinstallingKeepsTheOperatorsPolicy() async throws {
        let root = try await StagedRoot.install()
        defer { root.remove() }
        let policy = root.file("/etc/gatehouse/gatehouse.yaml")
        try "# edited by the operator\n".write(toFile: policy, atomically: false, encoding: .utf8)
        let make = try Self.tool("make")
        let binary = try BuiltProducts.gatehouse().get()
        let again = try await ExternalProcess.run(
            make, ["-s", "-C", BuiltProducts.repository.path, "install", "DESTDIR=\(root.path)", "BINARY=\(binary)"],
            timeout: .seconds(60))
        #expect(again.status == 0, "\(again.output)")
        #expect(try String(contentsOfFile: policy, encoding: .utf8) == "# edited by the operator\n")
        #expect(again.output.contains("keeping"))

        let uninstall = try await ExternalProcess.run(
            make, ["-s", "-C", BuiltProducts.repository.path, "uninstall", "DESTDIR=\(root.path)"])
        #expect(uninstall.status == 0, "\(uninstall.output)")
        #expect(!FileManager.default.fileExists(atPath: root.file("/usr/local/bin/gatehouse")))
        #expect(!FileManager.default.fileExists(atPath: root.file("/usr/local/lib/systemd/system/gatehouse.service")))
        #expect(!FileManager.default.fileExists(atPath: root.file("/usr/local/share/doc/gatehouse")))
        #expect(FileManager.default.fileExists(atPath: policy))
    }

    @Test func systemdAnalyzeVerifiesTheInstalledUnit() async throws {
        let analyze = try Self.tool("systemd-analyze")
        let root = try await StagedRoot.install()
        defer { root.remove() }
        try FileManager.default.createDirectory(
            atPath: root.file("/usr/lib/systemd"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: "/usr/lib/systemd/system", toPath: root.file("/usr/lib/systemd/system"))
        try FileManager.default.createDirectory(atPath: root.file("/usr/bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/usr/bin/kill", toPath: root.file("/usr/bin/kill"))
        try FileManager.default.createSymbolicLink(atPath: root.file("/bin"), withDestinationPath: "usr/bin")

        let verified = try await ExternalProcess.run(analyze, ["verify", "--root=\(root.path)", "gatehouse.service"])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.isEmpty, "\(verified.output)")

        // The check can fail: without the binary, verify refuses the unit.
        try FileManager.default.removeItem(atPath: root.file("/usr/local/bin/gatehouse"))
        let missing = try await ExternalProcess.run(analyze, ["verify", "--root=\(root.path)", "gatehouse.service"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("/usr/local/bin/gatehouse"), "\(missing.output)")
    }

    @Test func systemdAnalyzeRatesTheExposureAtMost2_5() async throws {
        let analyze = try Self.tool("systemd-analyze")
        let unit = BuiltProducts.repository.appendingPathComponent("systemd/gatehouse.service").path
        let outcome = try await ExternalProcess.run(analyze, ["security", "--offline=yes", "--no-pager", unit])
        #expect(outcome.status == 0, "\(outcome.output)")
        let exposure = try #require(Self.overallExposure(outcome.output), "\(outcome.output)")
        #expect(exposure <= 2.5, "\(outcome.output)")
    }

    /// "→ Overall exposure level for gatehouse.service: 1.9 OK 🙂" → 1.9.
    static func overallExposure(_ report: String) -> Double? {
        guard let line = report.split(separator: "\n").last(where: { $0.contains("Overall exposure level") }),
            let colon = line.lastIndex(of: ":")
        else { return nil }
        return line[line.index(after: colon)...].split(separator: " ").first.flatMap { Double($0) }
    }

    @Test func theExposureLineIsRead() {
        #expect(Self.overallExposure("x\n→ Overall exposure level for gatehouse.service: 1.9 OK 🙂\n") == 1.9)
        #expect(Self.overallExposure("→ Overall exposure level for a.service: 9.6 UNSAFE 😨") == 9.6)
        #expect(Self.overallExposure("no report") == nil)
    }

    /// systemd-sysusers makes the user in the staged root, and systemd-tmpfiles gives its group read access to the
    /// policy (root-owned, mode 0640) and the configuration directory.
    @Test func sysusersAndTmpfilesApply() async throws {
        let sysusers = try Self.tool("systemd-sysusers")
        let tmpfiles = try Self.tool("systemd-tmpfiles")
        guard getuid() == 0 else {
            Issue.record("applying tmpfiles.d ownership needs root (the test runs as uid \(getuid()))")
            return
        }
        let root = try await StagedRoot.install()
        defer { root.remove() }
        let users = try await ExternalProcess.run(sysusers, ["--root=\(root.path)"])
        #expect(users.status == 0, "\(users.output)")
        let passwd = try String(contentsOfFile: root.file("/etc/passwd"), encoding: .utf8)
        let entry = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("gatehouse:") }, "\(passwd)")
        let fields = entry.split(separator: ":", omittingEmptySubsequences: false)
        #expect(fields.count == 7 && fields[5] == "/var/lib/gatehouse" && fields[6] == "/usr/sbin/nologin")
        let gid = try #require(Int(fields[3]))

        let created = try await ExternalProcess.run(tmpfiles, ["--root=\(root.path)", "--create"])
        #expect(created.status == 0, "\(created.output)")
        for (path, mode) in [("/etc/gatehouse", 0o750), ("/etc/gatehouse/gatehouse.yaml", 0o640)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: root.file(path))
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == mode, "\(path)")
            #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 0, "\(path)")
            #expect((attributes[.groupOwnerAccountID] as? NSNumber)?.intValue == gid, "\(path)")
        }
    }

    @Test func theDefaultPolicyPassesGatehouseCheck() async throws {
        let binary = try BuiltProducts.gatehouse().get()
        let policy = BuiltProducts.repository.appendingPathComponent("policies/gatehouse.yaml").path
        let outcome = try await ExternalProcess.run(binary, ["check", policy])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("ok (node gatehouse"), "\(outcome.output)")
    }
}
