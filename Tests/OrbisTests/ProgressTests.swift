import Foundation
import Testing

/// A large build shows one updating progress line on a terminal, and none through a pipe; `--quiet` prints
/// only errors, `--verbose` adds per-stage detail.
@Suite struct ProgressTests {
    /// A site of 1,100 small pages (above the progress line's threshold of 1,000).
    static func bigSite() throws -> URL {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("orbis-big-\(UUID().uuidString)")
        let pages = site.appendingPathComponent("Content/p")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: site.appendingPathComponent("Templates"), withIntermediateDirectories: true)
        try "title: Big\n".write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        try "---\ntitle: Home\n---\n".write(to: site.appendingPathComponent("Content/index.md"), atomically: true, encoding: .utf8)
        for index in 1...1100 {
            try "---\ntitle: P\(index)\n---\nText.\n".write(to: pages.appendingPathComponent("p\(index).md"), atomically: false, encoding: .utf8)
        }
        try #"<!doctype html><html lang="en"><title>{{page.title}}</title>{{page.title}}</html>"#
            .write(to: site.appendingPathComponent("Templates/page.mustache"), atomically: true, encoding: .utf8)
        return site
    }

    static func remove(_ site: URL) {
        try? FileManager.default.removeItem(at: site)
        CLI.removeOutput(site.path + "-out")
    }

    @Test func aTerminalGetsAProgressLineAndAPipeDoesNot() throws {
        let site = try Self.bigSite()
        defer { Self.remove(site) }
        let orbis = CLI.productsFolder.appendingPathComponent("orbis").path
        // Under a pseudo-terminal (util-linux `script`), as a person at a terminal runs it.
        let terminal = Process()
        terminal.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        terminal.arguments = ["-qec", "'\(orbis)' build --root '\(site.path)' --output '\(site.path)-out'", "/dev/null"]
        let output = Pipe()
        terminal.standardOutput = output
        terminal.standardError = output
        try terminal.run()
        let shown = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        terminal.waitUntilExit()
        #expect(terminal.terminationStatus == 0, "\(shown)")
        #expect(shown.contains("\rRendering 1102 of 1102 pages"), "\(shown.debugDescription)")
        #expect(shown.contains("\r\u{1B}[KRendered 1102 pages in "), "the progress line is not cleared before the next line")

        // Through a pipe (a CI log): the same build prints no progress at all.
        try? FileManager.default.removeItem(atPath: site.path + "-out")
        let piped = try CLI.run(["build", "--root", site.path, "--output", site.path + "-out"])
        #expect(piped.status == 0)
        #expect(!piped.stdout.contains("Rendering") && !piped.stdout.contains("\r") && !piped.stdout.contains("\u{1B}"))
        #expect(piped.stdout.contains("Rendered 1102 pages in "))
    }

    @Test func quietPrintsOnlyErrorsAndVerboseAddsDetail() throws {
        let site = try CLI.copyFixture()
        defer {
            try? FileManager.default.removeItem(at: site)
        }
        let quiet = try CLI.run(["build", "--root", site.path, "--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)\(quiet.stderr)")
        let verbose = try CLI.run(["build", "--root", site.path, "--verbose"])
        #expect(verbose.status == 0)
        #expect(verbose.stdout.contains("  memory after load: resident "))
        try "---\ntitle: A\ndrfat: true\n---\n".write(to: site.appendingPathComponent("Content/a.md"), atomically: true, encoding: .utf8)
        let failed = try CLI.run(["build", "--root", site.path, "--quiet"])
        #expect(failed.status == 1)
        #expect(failed.stdout.isEmpty)
        #expect(failed.stderr == "Content/a.md:3:1: error: unknown front matter key 'drfat'; did you mean 'draft'?\nerror: build failed with 1 error; nothing was written\n")
        #expect(try CLI.run(["build", "--root", site.path, "--quiet", "--verbose"]).status == 2)
    }
}
